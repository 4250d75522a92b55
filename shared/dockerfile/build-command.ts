// The `docker build` command line for a recipe, as the CLI prints it and the project page shows it.

/** A word for a POSIX shell: left as is when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * `docker build --build-arg K=V … [-t TAG] DIR`, with `DOCKER_BUILDKIT=1` in front for a BuildKit
 * recipe (its cache mounts need BuildKit, which older engines do not use by default).
 */
export function buildCommand(buildArgs: Readonly<Record<string, string>>, dir: string, opts: { buildkit: boolean; tag?: string }): string {
  const args = Object.entries(buildArgs).map(([k, v]) => `--build-arg ${shellQuote(`${k}=${v}`)}`)
  const tag = opts.tag ? [`-t ${shellQuote(opts.tag)}`] : []
  return [...(opts.buildkit ? ['DOCKER_BUILDKIT=1'] : []), 'docker build', ...args, ...tag, shellQuote(dir)].join(' ')
}
