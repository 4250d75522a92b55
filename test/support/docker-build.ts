// Builds an image on the real engine from a folder plus an in-memory Dockerfile (and .dockerignore),
// the way `docker build -f - DIR` does: the folder is only read, never written.
//
// - The context is tarred here with tar-stream, applying the .dockerignore on the client like the
//   docker CLI does. This is required, not a nicety: BuildKit behind the API (dockerd 20.10, a tar
//   context) ignores a .dockerignore inside the tar — measured: `COPY . /c/` copied it and the
//   Dockerfile. The Dockerfile is added to the tar under a name of its own (a project's own
//   Dockerfile is left alone). With BuildKit `COPY . .` therefore sees that one extra file; the
//   classic builder removes it (and the .dockerignore) because the tar's .dockerignore lists them.
// - BuildKit (`version: '2'`) or the classic builder. dockerode's followProgress reports no error
//   when a build fails, so every event is scanned for `error`/`errorDetail` here; BuildKit's
//   `moby.buildkit.trace` messages are decoded (protobufjs + dockerode's proto) into a plain log,
//   whose tail goes into the BuildError.
// - An AbortSignal stops the build at once (the request is aborted and the engine cancels it).
// - Classic multi-stage builds leave the last image of every non-final stage behind, untagged and
//   without the build's labels (the engine puts API labels on the final stage only): their ids are
//   returned in `stageImages`, and removeStageImages() deletes the ones still dangling.
import { lstat, readdir, readFile, readlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import ignore from '@balena/dockerignore'
import type Dockerode from 'dockerode'
import protobuf from 'protobufjs'
import { pack, type Pack } from 'tar-stream'

export interface BuildOptions {
  /** The build context folder; read only. */
  contextDir: string
  /** The Dockerfile's text. */
  dockerfile: string
  /** A .dockerignore's text, applied to the context like the docker CLI does; null/undefined: the folder's own .dockerignore, if any. */
  dockerignore?: string | null
  tag: string
  /** BuildKit (`version: '2'`) or the classic builder. */
  buildkit: boolean
  buildArgs?: Record<string, string>
  /** Labels for the image (on the final stage only, with either builder). */
  labels?: Record<string, string>
  signal?: AbortSignal
  /** Every log line as it arrives (BuildKit steps, command output, errors; classic `stream` text). */
  onLine?: (line: string) => void
}

export interface BuildResult {
  /** `sha256:…` of the built image. */
  imageId: string
  /** The build log, one line per entry. */
  log: string[]
  durationMs: number
  /** Classic builder only: ids of the images it committed for the steps (see removeStageImages). */
  stageImages: string[]
}

/** A failed build: the engine's message, and the log's tail for the reader. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly log: string[],
    options?: { cause?: unknown },
  ) {
    super(`${message}\n--- build log (last ${Math.min(log.length, TAIL)} lines) ---\n${log.slice(-TAIL).join('\n')}`, options)
    this.name = 'BuildError'
  }
}

const TAIL = 40

/** Builds `opts.tag` from the folder and the in-memory Dockerfile; throws BuildError when the engine reports an error. */
export async function buildImage(docker: Dockerode, opts: BuildOptions): Promise<BuildResult> {
  const started = Date.now()
  opts.signal?.throwIfAborted()
  const dockerfileName = `.slipway-dockerfile-${opts.buildkit ? 'bk' : 'classic'}`
  const ignoreText = opts.dockerignore ?? (await readFile(join(opts.contextDir, '.dockerignore'), 'utf8').catch(() => ''))
  const tar = packContext(opts.contextDir, { dockerfile: opts.dockerfile, dockerfileName, dockerignore: ignoreText, forEngine: !opts.buildkit })
  const log: string[] = []
  const line = (l: string) => {
    log.push(l)
    opts.onLine?.(l)
  }
  let stream: NodeJS.ReadableStream
  try {
    stream = await docker.buildImage(tar as unknown as NodeJS.ReadableStream, {
      t: opts.tag,
      dockerfile: dockerfileName,
      version: opts.buildkit ? '2' : '1',
      buildargs: opts.buildArgs ?? {},
      labels: opts.labels ?? {},
      rm: true,
      forcerm: true,
      ...(opts.signal ? { abortSignal: opts.signal } : {}),
    } as Dockerode.ImageBuildOptions)
  } catch (e) {
    tar.destroy()
    throw e
  }
  const trace = new TraceDecoder(line)
  const stageImages = new Set<string>()
  let imageId: string | null = null
  let failure: string | null = null
  let pending = ''
  const onEvent = (text: string) => {
    if (text.trim() === '') return
    let ev: BuildEvent
    try {
      ev = JSON.parse(text) as BuildEvent
    } catch {
      line(text)
      return
    }
    if (ev.error || ev.errorDetail) {
      failure ??= ev.errorDetail?.message ?? ev.error ?? 'unknown error'
      line(`ERROR: ${ev.errorDetail?.message ?? ev.error}`)
    }
    if (ev.id === 'moby.buildkit.trace' && typeof ev.aux === 'string') trace.decode(ev.aux)
    else if (ev.id === 'moby.image.id' && typeof ev.aux === 'object') imageId = ev.aux.ID ?? imageId
    else if (ev.aux && typeof ev.aux === 'object' && ev.aux.ID) imageId = ev.aux.ID
    if (typeof ev.stream === 'string') {
      for (const l of ev.stream.replace(/\n$/, '').split('\n')) {
        line(l)
        const step = /^ ---> ([0-9a-f]{12,64})$/.exec(l)
        if (step) stageImages.add(step[1] as string)
      }
    }
    if (typeof ev.status === 'string') line(ev.status)
  }
  const abort = () => (stream as unknown as { destroy(e?: Error): void }).destroy(opts.signal?.reason as Error)
  opts.signal?.addEventListener('abort', abort, { once: true })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      pending += chunk.toString()
      const parts = pending.split(/\r?\n/)
      pending = parts.pop() ?? ''
      for (const p of parts) onEvent(p)
    }
    onEvent(pending)
  } catch (e) {
    opts.signal?.throwIfAborted()
    throw new BuildError(`The build stream broke: ${(e as Error).message}`, log, { cause: e })
  } finally {
    opts.signal?.removeEventListener('abort', abort)
  }
  opts.signal?.throwIfAborted()
  if (failure !== null) throw new BuildError(`Building ${opts.tag} failed: ${failure}`, log)
  imageId ??= (await docker.getImage(opts.tag).inspect()).Id
  const id: string = imageId
  return {
    imageId: id,
    log,
    durationMs: Date.now() - started,
    stageImages: [...stageImages].filter((s) => !id.replace(/^sha256:/, '').startsWith(s)),
  }
}

/**
 * Removes the classic builder's step images of a build that are still dangling (untagged, no
 * children): the leftovers of its non-final stages. Removing a leaf also removes its untagged
 * parents; images still in use (the final image's parents) are left alone.
 */
export async function removeStageImages(docker: Dockerode, ids: readonly string[]): Promise<number> {
  let removed = 0
  for (const id of [...ids].reverse()) {
    const info = await docker
      .getImage(id)
      .inspect()
      .catch(() => null)
    if (!info || (info.RepoTags ?? []).length > 0) continue
    await docker
      .getImage(id)
      .remove()
      .then(
        () => removed++,
        () => undefined, // a parent of another image (409), or gone already
      )
  }
  return removed
}

interface BuildEvent {
  stream?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
  id?: string
  aux?: string | { ID?: string }
}

/**
 * The tar of `dir` minus what `dockerignore` excludes, plus the Dockerfile as `dockerfileName`. With
 * `forEngine` (the classic builder honours it) also a .dockerignore that names the Dockerfile and
 * itself, so the engine drops both from the context, as the docker CLI arranges for `-f -`.
 */
export function packContext(dir: string, o: { dockerfile: string; dockerfileName: string; dockerignore: string; forEngine?: boolean }): Pack {
  const tar = pack()
  const patterns = o.dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
  const ig = ignore({ ignorecase: false }).add(patterns)
  const hasExceptions = patterns.some((p) => p.startsWith('!'))
  const reserved = new Set([o.dockerfileName, '.dockerignore'])
  const entry = (header: Parameters<Pack['entry']>[0], body?: Buffer | string) =>
    new Promise<void>((resolve, reject) => {
      if (body === undefined) tar.entry(header, (err) => (err ? reject(err) : resolve()))
      else tar.entry(header, body, (err) => (err ? reject(err) : resolve()))
    })
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(dir, rel))).sort()
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`
      if (reserved.has(path)) continue
      const ignored = ig.ignores(path)
      const st = await lstat(join(dir, path))
      const common = { name: path, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 }
      if (st.isDirectory()) {
        if (ignored && !hasExceptions) continue
        if (!ignored) await entry({ ...common, type: 'directory' })
        await walk(path)
      } else if (ignored) {
        continue
      } else if (st.isFile()) {
        await entry({ ...common, type: 'file' }, await readFile(join(dir, path)))
      } else if (st.isSymbolicLink()) {
        await entry({ ...common, type: 'symlink', linkname: await readlink(join(dir, path)) })
      }
      // sockets, fifos and devices are not part of a build context
    }
  }
  const ignoreForEngine = `${o.dockerignore.replace(/\n?$/, '\n')}.dockerignore\n${o.dockerfileName}\n`
  void (async () => {
    await walk('')
    await entry({ name: o.dockerfileName, mode: 0o644, mtime: new Date(0) }, o.dockerfile)
    if (o.forEngine) await entry({ name: '.dockerignore', mode: 0o644, mtime: new Date(0) }, ignoreForEngine)
    tar.finalize()
  })().catch((e: Error) => tar.destroy(e))
  return tar
}

// ── BuildKit progress ─────────────────────────────────────────────────────────────────────────

interface Trace {
  vertexes?: { digest: string; name?: string; started?: object; completed?: object; cached?: boolean; error?: string }[]
  logs?: { vertex: string; msg?: Uint8Array }[]
  warnings?: { vertex: string; short?: Uint8Array }[]
}

let statusType: protobuf.Type | null = null

/** Turns `moby.buildkit.trace` aux messages into plain lines, like `--progress=plain`. */
class TraceDecoder {
  private readonly steps = new Map<string, number>()
  private readonly done = new Set<string>()
  constructor(private readonly line: (l: string) => void) {}

  decode(base64: string): void {
    statusType ??= protobuf
      .loadSync(createRequire(import.meta.url).resolve('dockerode/lib/proto/buildkit_status.proto'))
      .lookupType('moby.buildkit.v1.StatusResponse')
    const t = statusType.toObject(statusType.decode(Buffer.from(base64, 'base64')), { defaults: false }) as Trace
    for (const v of t.vertexes ?? []) {
      const n = this.step(v.digest)
      if (v.started && !this.done.has(`s${v.digest}`)) {
        this.done.add(`s${v.digest}`)
        this.line(`#${n} ${v.name ?? v.digest}`)
      }
      if (v.error) this.line(`#${n} ERROR: ${v.error}`)
      else if (v.completed && !this.done.has(`c${v.digest}`)) {
        this.done.add(`c${v.digest}`)
        this.line(`#${n} ${v.cached ? 'CACHED' : 'DONE'}`)
      }
    }
    for (const l of t.logs ?? []) {
      const n = this.step(l.vertex)
      for (const text of Buffer.from(l.msg ?? []).toString('utf8').replace(/\n$/, '').split('\n')) this.line(`#${n} ${text}`)
    }
    for (const w of t.warnings ?? []) this.line(`#${this.step(w.vertex)} WARNING: ${Buffer.from(w.short ?? []).toString('utf8')}`)
  }

  private step(digest: string): number {
    let n = this.steps.get(digest)
    if (n === undefined) this.steps.set(digest, (n = this.steps.size + 1))
    return n
  }
}
