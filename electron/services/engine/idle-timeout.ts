// Engine streams that stop moving. A frozen or wedged daemon keeps its socket open and simply sends
// nothing more: without a limit, a save, build or pull then waits forever (the CLI never exits, the
// UI sits at 3 %). Two guards, one rule: silence longer than `idleMs` is a stall, unless silence is
// normal right now AND the engine still answers a ping.
//
// - `untilAnswered` bounds a request until its response headers arrive (the engine accepted the
//   connection but never answers).
// - `guardStream` bounds each silence on a response stream. Only silence the engine is to blame for
//   counts: while the reader is behind (bytes are waiting to be read), the clock does not run.
//
// Where silence is normal: a build (a RUN step may print nothing for minutes, an export or commit is
// quiet, and so is the context upload before the first reply), and a save before its first byte (the
// engine writes the whole export to a temporary folder before it sends anything). There the engine
// is pinged after every `idleMs` of silence; only a ping that gets no answer ends the wait. Everywhere
// else (a save once it streams, a pull, an inspect) silence alone is enough.
//
// Run logs and container waits are silent for hours by design and are never guarded.
import { pipeline, Transform, type Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { ErrorName, SlipwayError } from '../../../shared/errors'

/** Silence allowed on an engine stream or request before Slipway stops waiting: 60 s. */
export const DEFAULT_ENGINE_IDLE_MS = 60_000
/** The longest a liveness ping may take (a frozen engine accepts the connection and never answers). */
const MAX_PING_MS = 10_000
/** Overrides DEFAULT_ENGINE_IDLE_MS in every front end (tests use a short limit). */
export const ENGINE_IDLE_ENV = 'SLIPWAY_ENGINE_IDLE_TIMEOUT_MS'

/** When silence is normal, how to tell a quiet engine from a frozen one. */
export interface Liveness {
  /** Whether silence is expected right now; `bytes` is what the stream carried so far (0 for a request). */
  quietAllowed(bytes: number): boolean
  /** Resolves true when the engine still answers (see engineAnswers); never rejects. */
  answers(): Promise<boolean>
}

export interface StallOptions {
  /** Silence allowed, in ms. */
  idleMs: number
  /** What the engine was doing, for the message: "saving alpine:3.20", "building slipway/app:scratch". */
  doing: string
  /** Where silence can be normal; without it, silence alone is a stall. */
  liveness?: Liveness
  /** Replaces the advice of the message (e.g. a pull also depends on the registry). */
  advice?: string
}

/**
 * The error of a stalled engine stream, with what to check. `answered: false` when a ping got no
 * answer either (the engine itself is stuck, not only this stream).
 */
export function engineStalled(doing: string, idleMs: number, answered = true, advice?: string): SlipwayError {
  const seconds = formatSeconds(idleMs)
  return new SlipwayError(
    ErrorName.EngineStalled,
    answered
      ? `Docker stopped sending data for ${seconds} while ${doing}.`
      : `Docker stopped sending data for ${seconds} while ${doing}, and does not answer a ping.`,
    advice ??
      'It may be frozen or overloaded: check `docker info` (it should answer at once) and restart Docker if it hangs. Slipway stopped waiting; try again once Docker answers.',
  )
}

/** The silence limit from SLIPWAY_ENGINE_IDLE_TIMEOUT_MS (whole milliseconds, > 0); the default otherwise. */
export function engineIdleMs(env: Record<string, string | undefined>): number {
  const raw = env[ENGINE_IDLE_ENV]?.trim()
  if (!raw || !/^\d+$/.test(raw)) return DEFAULT_ENGINE_IDLE_MS
  const ms = Number(raw)
  return ms > 0 && Number.isSafeInteger(ms) ? ms : DEFAULT_ENGINE_IDLE_MS
}

/**
 * Whether the engine answers `/_ping` within `timeoutMs` (capped at 10 s). A frozen daemon accepts
 * the connection and never replies; the request is aborted so it holds no socket afterwards.
 */
export async function engineAnswers(docker: Dockerode, timeoutMs: number): Promise<boolean> {
  try {
    await dial(docker, { path: '/_ping', method: 'GET', statusCodes: { 200: true, 500: 'server error' } }, AbortSignal.timeout(Math.min(timeoutMs, MAX_PING_MS)))
    return true
  } catch {
    return false
  }
}

/** The liveness check for a stream that may be quiet while `quietAllowed` says so. */
export function pingLiveness(docker: Dockerode, idleMs: number, quietAllowed: (bytes: number) => boolean = () => true): Liveness {
  return { quietAllowed, answers: () => engineAnswers(docker, idleMs) }
}

/**
 * One Engine API call through dockerode's modem with an AbortSignal (dockerode's own `inspect()` and
 * `get()` take none, so a stuck call could not be ended). `isStream` calls resolve with the response
 * stream once the headers arrived; the others with the parsed body. Errors are dockerode's.
 */
export function dial<T>(
  docker: Dockerode,
  opts: { path: string; method: 'GET' | 'POST'; isStream?: boolean; statusCodes: Record<number, true | string> },
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    docker.modem.dial({ ...opts, abortSignal: signal } as Parameters<Dockerode['modem']['dial']>[0], (err: unknown, data: unknown) =>
      err ? reject(err as Error) : resolve(data as T),
    )
  })
}

/**
 * Runs `start` (a request; it must end when the signal it gets aborts) and waits for its answer, at
 * most `idleMs` at a time: then, where `liveness` allows silence, the engine is pinged and the wait
 * goes on while it answers; otherwise the request is aborted and the promise rejects with
 * EngineStalled. The caller's `signal` aborts it too (rejecting with what `start` rejects with).
 * The signal handed to `start` stays linked to the caller's, so a cancel after the answer still
 * reaches the request.
 */
export function untilAnswered<T>(start: (signal: AbortSignal) => Promise<T>, opts: StallOptions & { signal?: AbortSignal }): Promise<T> {
  const own = new AbortController()
  const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal
  return new Promise<T>((resolve, reject) => {
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const settle = (f: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      f()
    }
    const stall = (answered: boolean) =>
      settle(() => {
        const err = engineStalled(opts.doing, opts.idleMs, answered, opts.advice)
        own.abort(err)
        reject(err)
      })
    const check = async () => {
      if (settled) return
      if (opts.liveness?.quietAllowed(0)) {
        const ok = await opts.liveness.answers()
        if (settled) return
        if (ok) {
          timer = setTimeout(() => void check(), opts.idleMs)
          return
        }
        stall(false)
        return
      }
      stall(true)
    }
    timer = setTimeout(() => void check(), opts.idleMs)
    let started: Promise<T>
    try {
      started = start(signal)
    } catch (e) {
      settle(() => reject(e as Error))
      return
    }
    started.then(
      (v) => settle(() => resolve(v)),
      (e: unknown) => settle(() => reject(e as Error)),
    )
  })
}

/**
 * A stream that carries `source`'s bytes and fails with EngineStalled (destroying `source`, so the
 * connection is closed) after `idleMs` without a byte while the reader is waiting for one. Errors of
 * `source` pass through; destroying the returned stream destroys `source`.
 */
export function guardStream(source: NodeJS.ReadableStream, opts: StallOptions): Readable {
  let last = performance.now()
  let bytes = 0
  let timer: NodeJS.Timeout | undefined
  let done = false
  const out = new Transform({
    transform(chunk: Buffer | string, _enc, cb) {
      last = performance.now()
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  const stop = () => {
    done = true
    clearTimeout(timer)
  }
  const arm = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(() => void check(), Math.max(1, ms))
  }
  const check = async () => {
    if (done) return
    const silent = performance.now() - last
    if (silent < opts.idleMs) return arm(opts.idleMs - silent)
    // Bytes the reader has not taken yet: the reader is behind (a busy worker, a slow gzip), and the
    // engine is waiting on it, not the other way round.
    if (out.readableLength > 0) return arm(opts.idleMs)
    let answered = true
    if (opts.liveness?.quietAllowed(bytes)) {
      answered = await opts.liveness.answers()
      if (done) return
      if (answered) return arm(opts.idleMs)
    }
    stop()
    out.destroy(engineStalled(opts.doing, opts.idleMs, answered, opts.advice))
  }
  // pipeline passes an error either way and destroys both streams on the first one.
  pipeline(source, out, stop)
  out.once('close', stop)
  arm(opts.idleMs)
  return out
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
