// A made base as an image: an OCI image config (fixed creation time, the recipe's Env/User/
// WorkingDir/Cmd and labels) over one layer, packed in the docker-save format and loaded through
// the engine's load API. The image id is the SHA256 of the config, so it follows from the layer
// and the labels alone: the same packages give the same id.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type Dockerode from 'dockerode'
import { pack as tarPack, type Header } from 'tar-stream'
import { SlipwayError } from '../../../shared/errors'
import { MADE_CREATED } from '../../../shared/debian/recipes'

export interface ImageSpec {
  tag: string
  arch: string
  diffId: string
  layerFile: string
  layerSize: number
  env: readonly string[]
  user?: string
  workingDir?: string
  cmd?: readonly string[]
  labels: Record<string, string>
  createdBy: string
}

const CREATED = MADE_CREATED

/** The image config JSON, with keys in a fixed order. */
export function imageConfig(s: ImageSpec): string {
  const config: Record<string, unknown> = { Env: [...s.env] }
  if (s.cmd) config.Cmd = [...s.cmd]
  if (s.workingDir) config.WorkingDir = s.workingDir
  if (s.user) config.User = s.user
  config.Labels = Object.fromEntries(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)))
  return JSON.stringify({
    architecture: s.arch,
    os: 'linux',
    created: CREATED,
    config,
    rootfs: { type: 'layers', diff_ids: [s.diffId] },
    history: [{ created: CREATED, created_by: s.createdBy }],
  })
}

/** The id the engine gives the image: the SHA256 of its config. */
export function imageIdOf(s: ImageSpec): string {
  return `sha256:${createHash('sha256').update(imageConfig(s)).digest('hex')}`
}

/** Loads the image into the engine; resolves with its id (sha256:…) once the engine has it. */
export async function loadImage(docker: Dockerode, s: ImageSpec, signal: AbortSignal): Promise<string> {
  signal.throwIfAborted()
  const config = imageConfig(s)
  const configHex = createHash('sha256').update(config).digest('hex')
  const layerDir = s.diffId.slice('sha256:'.length)
  const manifest = JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [s.tag], Layers: [`${layerDir}/layer.tar`] }])
  const pack = tarPack()
  const entry = (h: Partial<Header> & { name: string }, body?: Buffer) =>
    new Promise<void>((res, rej) => (body ? pack.entry(h, body, (e) => (e ? rej(e) : res())) : res()))
  const fill = (async () => {
    const mtime = new Date(0)
    await entry({ name: `${configHex}.json`, mode: 0o644, mtime }, Buffer.from(config))
    await new Promise<void>((res, rej) => {
      const sink = pack.entry({ name: `${layerDir}/layer.tar`, mode: 0o644, mtime, size: s.layerSize }, (e) => (e ? rej(e) : res()))
      createReadStream(s.layerFile).on('error', rej).pipe(sink)
    })
    await entry({ name: 'manifest.json', mode: 0o644, mtime }, Buffer.from(manifest))
    pack.finalize()
  })()
  fill.catch((e: Error) => pack.destroy(e))
  // A cancel ends the wait at once, whatever the engine's request does with it.
  let onAbort = () => undefined as void
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('cancelled')
      pack.destroy(reason)
      reject(reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  aborted.catch(() => undefined)
  let res: NodeJS.ReadableStream | null = null
  try {
    res = (await Promise.race([docker.loadImage(pack as unknown as NodeJS.ReadableStream, { quiet: true }), aborted])) as NodeJS.ReadableStream
    const answer = res
    const text = await Promise.race([
      (async () => {
        let t = ''
        for await (const c of answer) t += c.toString()
        return t
      })(),
      aborted,
    ])
    await Promise.race([fill, aborted])
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      let msg: { error?: string; errorDetail?: { message?: string } }
      try {
        msg = JSON.parse(line) as typeof msg
      } catch {
        continue
      }
      if (msg.error || msg.errorDetail) throw new SlipwayError('BaseMakeFailed', `The engine refused the image ${s.tag}.`, msg.errorDetail?.message ?? msg.error)
    }
  } catch (e) {
    ;(res as { destroy?: () => void } | null)?.destroy?.()
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : e
    if (e instanceof SlipwayError) throw e
    throw new SlipwayError('BaseMakeFailed', `Loading ${s.tag} into the engine failed.`, (e as Error).message)
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  const id = `sha256:${configHex}`
  const info = await docker.getImage(s.tag).inspect()
  if (info.Id !== id) throw new SlipwayError('BaseMakeFailed', `The engine tagged ${s.tag} as ${info.Id}, not the image Slipway loaded (${id}).`)
  return id
}
