// Making sure an image is there before a build needs it: present locally, or pulled with
// per-layer progress, or a clear error that names the image and the setting to change. A pull that
// stops moving (a frozen engine, or a registry that stopped sending) ends with EngineStalled after
// `idleMs` of silence (idle-timeout.ts): the engine reports progress while a pull makes any.
import type Dockerode from 'dockerode'
import { ErrorName, SlipwayError, toWireError } from '../../../shared/errors'
import type { ImageAvailability } from '../../../shared/types/images'
import { DEFAULT_ENGINE_IDLE_MS, dial, guardStream, untilAnswered } from '../engine/idle-timeout'

/** Progress of one pull: bytes over every layer seen so far. */
export interface PullProgress {
  ref: string
  current: number
  total: number | null
  /** Layers by id with their last status ("Downloading", "Pull complete", …). */
  layers: Record<string, string>
}

/** Whether the engine has `ref` locally; EngineStalled when it does not answer within `idleMs`. */
export async function hasImage(docker: Dockerode, ref: string, idleMs = DEFAULT_ENGINE_IDLE_MS): Promise<boolean> {
  return (await localImage(docker, ref, idleMs)) !== null
}

/** The engine's inspect of `ref`, null when it does not have it; EngineStalled when it does not answer within `idleMs`. */
export async function localImage(docker: Dockerode, ref: string, idleMs = DEFAULT_ENGINE_IDLE_MS): Promise<Dockerode.ImageInspectInfo | null> {
  try {
    return await untilAnswered(
      (signal) => dial<Dockerode.ImageInspectInfo>(docker, { path: `/images/${ref}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, signal),
      { idleMs, doing: `looking for ${ref}` },
    )
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null
    throw e
  }
}

const PULL_ADVICE =
  'Docker may be frozen or overloaded (check `docker info`; it should answer at once), or the registry stopped sending. Slipway stopped waiting; try again, or pull the image by hand with `docker pull`.'

/**
 * Pulls `ref`, reporting per-layer progress; throws ImagePullFailed with advice (auth, not found,
 * offline). `role` says what the image is for in messages ("builder image", "base image").
 */
export async function pullImage(
  docker: Dockerode,
  ref: string,
  role: string,
  onProgress?: (p: PullProgress) => void,
  signal?: AbortSignal,
  idleMs = DEFAULT_ENGINE_IDLE_MS,
  /** Where the person chooses another image, for the advice (default: the bases' settings). */
  where = BASES_SETTING,
): Promise<void> {
  const layers: Record<string, { status: string; current: number; total: number | null }> = {}
  let failure: string | null = null
  const stall = { idleMs, doing: `pulling the ${role} ${ref}`, advice: PULL_ADVICE }
  let stream: NodeJS.ReadableStream & { destroy(e?: Error): void }
  try {
    const raw = await untilAnswered((abortSignal) => docker.pull(ref, { abortSignal }) as Promise<NodeJS.ReadableStream>, { ...stall, ...(signal ? { signal } : {}) })
    stream = guardStream(raw, stall)
  } catch (e) {
    signal?.throwIfAborted()
    if (isStall(e)) throw e
    throw pullError(ref, role, (e as { json?: { message?: string }; message: string }).json?.message ?? (e as Error).message, where)
  }
  const abort = () => stream.destroy(signal?.reason as Error)
  signal?.addEventListener('abort', abort, { once: true })
  let pending = ''
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      pending += chunk.toString()
      const parts = pending.split(/\r?\n/)
      pending = parts.pop() ?? ''
      for (const p of parts) {
        if (!p.trim()) continue
        let ev: { status?: string; id?: string; error?: string; errorDetail?: { message?: string }; progressDetail?: { current?: number; total?: number } }
        try {
          ev = JSON.parse(p)
        } catch {
          continue
        }
        if (ev.error || ev.errorDetail) failure ??= ev.errorDetail?.message ?? ev.error ?? 'unknown error'
        if (ev.id && ev.status && !/^(Pulling from|Digest|Status)/.test(ev.status)) {
          const l = (layers[ev.id] ??= { status: '', current: 0, total: null })
          l.status = ev.status
          if (ev.progressDetail?.total) {
            // Downloads and extractions both report; the download's bytes are what a pull costs.
            if (ev.status === 'Downloading') {
              l.current = ev.progressDetail.current ?? 0
              l.total = ev.progressDetail.total
            }
          }
          if (ev.status === 'Download complete' || ev.status === 'Pull complete' || ev.status === 'Already exists') l.current = l.total ?? l.current
          const all = Object.values(layers)
          onProgress?.({
            ref,
            current: all.reduce((a, x) => a + x.current, 0),
            total: all.every((x) => x.total !== null) ? all.reduce((a, x) => a + (x.total ?? 0), 0) : null,
            layers: Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, v.status])),
          })
        }
      }
    }
  } catch (e) {
    signal?.throwIfAborted()
    if (isStall(e)) throw e
    throw pullError(ref, role, (e as Error).message, where)
  } finally {
    signal?.removeEventListener('abort', abort)
  }
  signal?.throwIfAborted()
  if (failure) throw pullError(ref, role, failure, where)
}

function isStall(e: unknown): boolean {
  return e instanceof SlipwayError && e.name === ErrorName.EngineStalled
}

/** Where a base or builder image is chosen instead of one that cannot be pulled. */
export const BASES_SETTING = 'Settings → Bases (a company mirror, or an image you made locally)'

/** A pull failure said plainly: which image, why, and where to point Slipway instead. */
export function pullError(ref: string, role: string, message: string, where = BASES_SETTING): SlipwayError {
  if (/unauthorized|authentication required|denied|no basic auth credentials/i.test(message))
    return new SlipwayError(
      'ImagePullFailed',
      `The registry refused to give the ${role} ${ref}: you are not logged in, or not allowed.`,
      `Log in with \`docker login\` for that registry, or point Slipway at another image in ${where}. Docker said: ${message}`,
    )
  if (/not found|manifest unknown|does not exist/i.test(message))
    return new SlipwayError('ImagePullFailed', `The ${role} ${ref} does not exist in its registry.`, `Check the name and tag, or choose another image in ${where}. Docker said: ${message}`)
  return new SlipwayError(
    'ImagePullFailed',
    `The ${role} ${ref} is not on this machine and could not be pulled.`,
    `This machine may not reach the registry (offline, or a company network). Pull it by hand, or point Slipway at a mirror in ${where}. Docker said: ${message}`,
  )
}

/**
 * Whether `ref` is on this machine, and if not, whether a pull would find it: the engine asks the
 * registry for the manifest only (`GET /distribution/{ref}/json`, no layers), with the engine's own
 * mirrors and credentials, so the answer is the one a pull would get. At most `waitMs` per request:
 * a registry that does not answer is reported as unreachable rather than waited on.
 */
export async function imageAvailability(docker: Dockerode, ref: string, waitMs = 15_000): Promise<ImageAvailability> {
  if (await hasImage(docker, ref)) return { ref, local: true, pullable: null }
  try {
    const info = await untilAnswered(
      (signal) =>
        dial<{ Descriptor?: { digest?: string } }>(
          docker,
          { path: `/distribution/${ref}/json`, method: 'GET', statusCodes: { 200: true, 401: 'unauthorized', 403: 'denied', 404: 'not found', 500: 'server error' } },
          signal,
        ),
      { idleMs: waitMs, doing: `asking the registry for ${ref}` },
    )
    return { ref, local: false, pullable: true, ...(info.Descriptor?.digest ? { digest: info.Descriptor.digest } : {}) }
  } catch (e) {
    if (isStall(e)) return { ref, local: false, pullable: false, problem: toWireError(pullError(ref, 'image', `the registry did not answer within ${Math.round(waitMs / 1000)} s`)) }
    const message = (e as { json?: { message?: string }; message: string }).json?.message ?? (e as Error).message
    return { ref, local: false, pullable: false, problem: toWireError(pullError(ref, 'image', message)) }
  }
}
