// The `docker build` command line for a recipe, as the CLI prints it and the project page shows it.
import { hasControlChars } from './safe-text'

/**
 * A word for a POSIX shell: left as is when it is plain, else single-quoted. A word with control or
 * format characters (a folder name with a newline or an escape sequence) is written `$'…'` with
 * those characters as `\xHH` bytes, so the command stays one line and cannot move a terminal's cursor.
 */
export function shellQuote(word: string): string {
  if (/^[\w./:@%+=,-]+$/.test(word)) return word
  if (!hasControlChars(word)) return `'${word.replace(/'/g, `'\\''`)}'`
  const body = [...word]
    .map((c) => {
      if (c === "'" || c === '\\') return `\\${c}`
      if (!hasControlChars(c)) return c
      return utf8(c.codePointAt(0) as number)
        .map((b) => `\\x${b.toString(16).padStart(2, '0')}`)
        .join('')
    })
    .join('')
  return `$'${body}'`
}

/** The UTF-8 bytes of one code point (shared/ has no TextEncoder in its type environment). */
function utf8(cp: number): number[] {
  if (cp < 0x80) return [cp]
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)]
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
}

/**
 * `docker build --build-arg K=V … [-t TAG] DIR`, with `DOCKER_BUILDKIT=1` in front for a BuildKit
 * recipe (its cache mounts need BuildKit, which older engines do not use by default). With
 * `dockerfile`, the command builds that text instead of DIR/Dockerfile: `-f -` and a quoted
 * here-document, so what is copied builds exactly the preview, saved or not.
 */
export function buildCommand(buildArgs: Readonly<Record<string, string>>, dir: string, opts: { buildkit: boolean; tag?: string; dockerfile?: string }): string {
  const args = Object.entries(buildArgs).map(([k, v]) => `--build-arg ${shellQuote(`${k}=${v}`)}`)
  const tag = opts.tag ? [`-t ${shellQuote(opts.tag)}`] : []
  const stdin = opts.dockerfile !== undefined ? ['-f -'] : []
  const line = [...(opts.buildkit ? ['DOCKER_BUILDKIT=1'] : []), 'docker build', ...args, ...tag, ...stdin, shellQuote(dir)].join(' ')
  return opts.dockerfile === undefined ? line : `${line} <<'${heredocEnd(opts.dockerfile)}'\n${opts.dockerfile.replace(/\n?$/, '\n')}${heredocEnd(opts.dockerfile)}`
}

/** A here-document delimiter no line of `text` equals (the quoted form: nothing in it is expanded). */
function heredocEnd(text: string): string {
  const lines = new Set(text.split('\n'))
  let end = 'SLIPWAY_DOCKERFILE'
  while (lines.has(end)) end += '_'
  return end
}
