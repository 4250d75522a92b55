export interface CrashGuardOptions {
  /** Where the report goes (default: stderr). */
  log?: (text: string) => void
  /**
   * Exit instead of carrying on (SLIPWAY_STRICT=1): for runs where a stray error must fail loudly,
   * such as tests of the whole app, so the guard never hides a real bug there.
   */
  strict?: boolean
  /** The process to guard (tests pass a stand-in EventEmitter). */
  target?: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>
}

/**
 * The last line of defence of a long-running host (browser mode, the Electron main process): an
 * error nothing caught — a stream's `error` event without a listener, a rejected promise nobody
 * awaited — is reported and the host keeps serving, instead of one bad request taking every
 * page down with it. Each report says it is a bug, so it is not mistaken for normal operation.
 * Not for the CLI (a one-shot command should fail) and not installed by unit tests (vitest
 * reports stray errors itself). Returns the function that removes the guard.
 */
export function installCrashGuard(opts: CrashGuardOptions = {}): () => void {
  const log = opts.log ?? ((t: string) => process.stderr.write(`${t}\n`))
  const target = opts.target ?? process
  const report = (kind: string) => (err: unknown) => {
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err)
    log(`Slipway: ${kind} — this is a bug in Slipway; ${opts.strict ? 'stopping (SLIPWAY_STRICT)' : 'carrying on'}.\n${text}`)
    if (opts.strict) target.exit(70)
  }
  const onException = report('an error nothing handled')
  const onRejection = report('a promise rejection nothing handled')
  target.on('uncaughtException', onException)
  target.on('unhandledRejection', onRejection)
  return () => {
    target.off('uncaughtException', onException)
    target.off('unhandledRejection', onRejection)
  }
}

/** Whether SLIPWAY_STRICT asks stray errors to stop the process (see installCrashGuard). */
export function strictFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.SLIPWAY_STRICT?.trim().toLowerCase()
  return v !== undefined && v !== '' && v !== '0' && v !== 'false'
}
