// One build on the engine, through the API: the context tar streamed from the folder, BuildKit
// (`version: '2'`) or the classic builder, every event turned into the shared step model.
//
// - dockerode's followProgress reports no error when a build fails (and leaves BuildKit log bytes
//   base64-encoded), so the raw JSON stream is read here and scanned for `error`/`errorDetail`.
// - BuildKit's `moby.buildkit.trace` messages are StatusResponse protobufs (dockerode ships the
//   .proto): vertexes become steps, statuses become transfer progress, logs become per-step lines
//   with stdout and stderr apart.
// - The classic stream (`Step 3/12 : RUN …`, ` ---> Using cache`, command output) feeds the same model.
// - An AbortSignal stops the build at once: the request is destroyed and the engine cancels it.
// - A frozen engine ends the build with EngineStalled (idle-timeout.ts). A build may be silent for
//   long (a RUN step that prints nothing, the classic builder committing a big layer, an export), so
//   silence alone is no failure: after every `idleMs` of silence the engine is pinged, and only an
//   engine that does not answer ends the build. The same holds while the context uploads.
// - Classic multi-stage builds leave the last image of every non-final stage behind, untagged; their
//   ids are returned so the caller can remove the ones still dangling.
import { createRequire } from 'node:module'
import type Dockerode from 'dockerode'
import protobuf from 'protobufjs'
import { StepModel } from '../../../shared/build/steps'
import { ErrorName, SlipwayError } from '../../../shared/errors'
import type { BuildStep, LogStream } from '../../../shared/types/build'
import { DEFAULT_ENGINE_IDLE_MS, dial, guardStream, pingLiveness, untilAnswered } from '../engine/idle-timeout'
import { packContext } from './context'

export interface EngineBuildOptions {
  /** The build context folder; read only. */
  contextDir: string
  dockerfile: string
  /** The .dockerignore text applied to the context on the client. */
  dockerignore: string
  tags: string[]
  buildkit: boolean
  buildArgs?: Record<string, string>
  /** The stage to build (a shared Dockerfile's target); unset: the last. */
  target?: string
  /** Labels for the image (on the final stage only, with either builder). */
  labels?: Record<string, string>
  signal?: AbortSignal
  /** Called for every step that appeared or changed. */
  onStep?: (step: BuildStep) => void
  /** Called with log lines as they arrive; stepId null for the builder's own messages. */
  onLog?: (stepId: string | null, stream: LogStream, lines: string[]) => void
  /** Classic builder: each step image as it is committed, so a failed or cancelled build can be cleaned up. */
  onStageImage?: (id: string) => void
  clock?: () => number
  /** Silence after which the engine is pinged, and the build given up when it does not answer (default 60 s). */
  idleMs?: number
}

export interface EngineBuildResult {
  imageId: string
  steps: BuildStep[]
  /** Every log line, in order. */
  log: string[]
  /** Classic builder only: ids of the images it committed for the steps. */
  stageImages: string[]
}

/** A build the engine reported as failed: its message, the failed step and the log. */
export class BuildFailed extends SlipwayError {
  constructor(
    message: string,
    detail: string,
    readonly log: string[],
    readonly steps: BuildStep[],
  ) {
    super('BuildFailed', message, detail)
  }
}

interface BuildEvent {
  stream?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
  id?: string
  aux?: string | { ID?: string }
}

/** Builds the context with the in-memory Dockerfile and tags the result; throws BuildFailed when the engine reports an error. */
export async function engineBuild(docker: Dockerode, opts: EngineBuildOptions): Promise<EngineBuildResult> {
  opts.signal?.throwIfAborted()
  const now = opts.clock ?? Date.now
  const dockerfileName = `.slipway-dockerfile-${opts.buildkit ? 'bk' : 'classic'}`
  const tar = packContext(opts.contextDir, { dockerfile: opts.dockerfile, dockerfileName, dockerignore: opts.dockerignore, forEngine: !opts.buildkit })
  const model = new StepModel()
  const log: string[] = []
  const step = (s: BuildStep | undefined) => s && opts.onStep?.({ ...s })
  const emitLog = (stepId: string | null, stream: LogStream, lines: string[]) => {
    if (lines.length === 0) return
    for (const l of lines) log.push(l)
    if (stepId) step(model.logged(stepId, lines.length))
    opts.onLog?.(stepId, stream, lines)
  }
  const [first, ...more] = opts.tags
  if (!first) throw new Error('engineBuild needs a tag')
  const idleMs = opts.idleMs ?? DEFAULT_ENGINE_IDLE_MS
  const stall = { idleMs, doing: `building ${first}`, liveness: pingLiveness(docker, idleMs) }
  let raw: NodeJS.ReadableStream
  try {
    raw = await untilAnswered(
      (abortSignal) =>
        docker.buildImage(tar as unknown as NodeJS.ReadableStream, {
          t: first,
          dockerfile: dockerfileName,
          version: opts.buildkit ? '2' : '1',
          buildargs: opts.buildArgs ?? {},
          labels: opts.labels ?? {},
          ...(opts.target ? { target: opts.target } : {}),
          rm: true,
          forcerm: true,
          abortSignal,
        } as Dockerode.ImageBuildOptions),
      { ...stall, ...(opts.signal ? { signal: opts.signal } : {}) },
    )
  } catch (e) {
    tar.destroy()
    opts.signal?.throwIfAborted()
    throw e
  }
  const stream = guardStream(raw, stall)
  const trace = new TraceDecoder(model, step, emitLog)
  const classic = new ClassicParser(model, step, emitLog, now)
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
      emitLog(null, 'stdout', [text])
      return
    }
    if (ev.error || ev.errorDetail) {
      failure ??= ev.errorDetail?.message ?? ev.error ?? 'unknown error'
      emitLog(model.running()?.id ?? null, 'stderr', [`ERROR: ${ev.errorDetail?.message ?? ev.error}`])
    }
    if (ev.id === 'moby.buildkit.trace' && typeof ev.aux === 'string') trace.decode(ev.aux)
    else if (ev.aux && typeof ev.aux === 'object' && ev.aux.ID) imageId = ev.aux.ID
    if (typeof ev.stream === 'string') {
      for (const id of classic.feed(ev.stream)) {
        stageImages.add(id)
        opts.onStageImage?.(id)
      }
    }
    if (typeof ev.status === 'string' && ev.id !== 'moby.buildkit.trace') emitLog(null, 'stdout', [ev.status])
  }
  const abort = () => stream.destroy(opts.signal?.reason as Error)
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
    if (opts.signal?.aborted) {
      for (const s of model.finishRunning(now(), 'cancelled')) step(s)
      opts.signal.throwIfAborted()
    }
    for (const s of model.finishRunning(now(), 'error', (e as Error).message)) step(s)
    // The engine stopped answering: its own name and advice, not "the connection broke".
    if (e instanceof SlipwayError && e.name === ErrorName.EngineStalled) throw e
    throw new BuildFailed('The connection to Docker broke during the build.', (e as Error).message, log, model.steps())
  } finally {
    opts.signal?.removeEventListener('abort', abort)
  }
  opts.signal?.throwIfAborted()
  if (failure !== null) {
    for (const s of model.finishRunning(now(), 'error', failure)) step(s)
    const failed = model.steps().find((s) => s.status === 'error')
    throw new BuildFailed(
      failed ? `The build failed at ${failed.name}.` : 'The build failed.',
      failure,
      log,
      model.steps(),
    )
  }
  for (const s of model.finishRunning(now())) step(s)
  // Small requests after the stream: still bounded, a frozen engine must not hang the build here.
  const answered = <T>(doing: string, call: (signal: AbortSignal) => Promise<T>) =>
    untilAnswered(call, { idleMs, doing, ...(opts.signal ? { signal: opts.signal } : {}) })
  imageId ??= (
    await answered(`reading the details of ${first}`, (signal) =>
      dial<Dockerode.ImageInspectInfo>(docker, { path: `/images/${first}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, signal),
    )
  ).Id
  const id: string = imageId
  await Promise.all(
    more.map((t) => {
      const { repo, tag } = splitTag(t)
      return answered(`tagging ${t}`, (abortSignal) => docker.getImage(id).tag({ repo, tag, abortSignal }))
    }),
  )
  return {
    imageId: id,
    steps: model.steps(),
    log,
    stageImages: [...stageImages].filter((s) => !id.replace(/^sha256:/, '').startsWith(s)),
  }
}

/** `reg:5000/a/b:tag` → repo and tag (the last colon after the last slash). */
export function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':')
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repo: ref, tag: 'latest' }
}

/**
 * Removes the classic builder's step images of a build that are still dangling (untagged): the
 * leftovers of its non-final stages. Images still in use (the final image's parents) stay. Each call
 * waits at most `idleMs`: after a build ended by a frozen engine, the cleanup gives up at the first
 * call that gets no answer instead of holding the build's end.
 */
export async function removeStageImages(docker: Dockerode, ids: readonly string[], idleMs = DEFAULT_ENGINE_IDLE_MS): Promise<number> {
  let removed = 0
  const stalled = (e: unknown) => e instanceof SlipwayError && e.name === ErrorName.EngineStalled
  for (const id of [...ids].reverse()) {
    const info = await untilAnswered(
      (signal) => dial<Dockerode.ImageInspectInfo>(docker, { path: `/images/${id}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, signal),
      { idleMs, doing: `cleaning up after the build` },
    ).catch((e: unknown) => (stalled(e) ? 'stalled' : null))
    if (info === 'stalled') break
    if (!info || (info.RepoTags ?? []).length > 0) continue
    const gone = await untilAnswered((abortSignal) => docker.getImage(id).remove({ abortSignal }), { idleMs, doing: `cleaning up after the build` }).then(
      () => true,
      (e: unknown) => (stalled(e) ? 'stalled' : false), // false: a parent of another image (409), or gone already
    )
    if (gone === 'stalled') break
    if (gone) removed++
  }
  return removed
}

// ── BuildKit ──────────────────────────────────────────────────────────────────────────────────

interface Ts {
  seconds?: number | string | { toNumber(): number }
  nanos?: number
}
interface Trace {
  vertexes?: { digest: string; name?: string; started?: Ts; completed?: Ts; cached?: boolean; error?: string }[]
  statuses?: { ID?: string; vertex: string; current?: number | string; total?: number | string; completed?: Ts }[]
  logs?: { vertex: string; stream?: number | string; msg?: Uint8Array }[]
  warnings?: { vertex: string; short?: Uint8Array }[]
}

let statusType: protobuf.Type | null = null

function toMs(t: Ts | undefined): number | null {
  if (!t || t.seconds === undefined) return null
  const s = typeof t.seconds === 'object' ? t.seconds.toNumber() : Number(t.seconds)
  return s * 1000 + Math.floor((t.nanos ?? 0) / 1e6)
}

/** Turns `moby.buildkit.trace` aux messages into step updates and per-step log lines. */
class TraceDecoder {
  private readonly transfers = new Map<string, Map<string, { current: number; total: number | null }>>()
  private readonly partial = new Map<string, string>()
  constructor(
    private readonly model: StepModel,
    private readonly step: (s: BuildStep | undefined) => void,
    private readonly log: (stepId: string | null, stream: LogStream, lines: string[]) => void,
  ) {}

  decode(base64: string): void {
    statusType ??= protobuf
      .loadSync(createRequire(import.meta.url).resolve('dockerode/lib/proto/buildkit_status.proto'))
      .lookupType('moby.buildkit.v1.StatusResponse')
    const t = statusType.toObject(statusType.decode(Buffer.from(base64, 'base64')), { defaults: false, longs: Number }) as Trace
    for (const v of t.vertexes ?? []) {
      this.step(
        this.model.vertex({
          digest: v.digest,
          ...(v.name ? { name: v.name } : {}),
          startedAt: toMs(v.started),
          completedAt: toMs(v.completed),
          ...(v.cached ? { cached: true } : {}),
          ...(v.error ? { error: v.error } : {}),
        }),
      )
      if (v.error) this.log(v.digest, 'stderr', [`ERROR: ${v.error}`])
    }
    for (const s of t.statuses ?? []) {
      let per = this.transfers.get(s.vertex)
      if (!per) this.transfers.set(s.vertex, (per = new Map()))
      const total = Number(s.total ?? 0)
      per.set(s.ID ?? '', { current: Number(s.current ?? 0), total: total > 0 ? total : null })
      const all = [...per.values()]
      const sum = all.reduce((a, x) => a + x.current, 0)
      const tot = all.every((x) => x.total !== null) ? all.reduce((a, x) => a + (x.total ?? 0), 0) : null
      this.step(this.model.progress({ vertex: s.vertex, current: sum, total: tot }))
    }
    for (const l of t.logs ?? []) {
      const stream: LogStream = Number(l.stream) === 2 ? 'stderr' : 'stdout'
      const key = `${l.vertex}\0${stream}`
      const text = (this.partial.get(key) ?? '') + Buffer.from(l.msg ?? []).toString('utf8')
      const parts = text.split(/\r?\n/)
      this.partial.set(key, parts.pop() ?? '')
      this.log(l.vertex, stream, parts)
    }
    for (const w of t.warnings ?? []) this.log(w.vertex, 'stderr', [`WARNING: ${Buffer.from(w.short ?? []).toString('utf8')}`])
  }
}

// ── Classic builder ───────────────────────────────────────────────────────────────────────────

/** Reads the classic builder's `stream` text into steps; returns the step image ids it saw. */
class ClassicParser {
  private stage: string | null = null
  private stageCount = 0
  constructor(
    private readonly model: StepModel,
    private readonly step: (s: BuildStep | undefined) => void,
    private readonly log: (stepId: string | null, stream: LogStream, lines: string[]) => void,
    private readonly now: () => number,
  ) {}

  feed(text: string): string[] {
    const images: string[] = []
    for (const l of text.replace(/\n$/, '').split('\n')) {
      const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(l)
      if (m) {
        const instruction = m[3] as string
        const from = /^FROM\s+(?:--platform=\S+\s+)?\S+(?:\s+AS\s+(\S+))?/i.exec(instruction)
        if (from) this.stage = from[1] ?? `stage-${this.stageCount}`
        if (from) this.stageCount++
        for (const s of this.model.classicStep(Number(m[1]), Number(m[2]), instruction, this.now(), this.stage)) this.step(s)
        continue
      }
      if (/^ ---> Using cache$/.test(l)) {
        this.step(this.model.classicCached())
        continue
      }
      const img = /^ ---> ([0-9a-f]{12,64})$/.exec(l)
      if (img) {
        images.push(img[1] as string)
        continue
      }
      if (/^ ---> Running in [0-9a-f]+$/.test(l) || /^Removing intermediate container /.test(l) || /^Successfully (built|tagged) /.test(l)) continue
      this.log(this.model.running()?.id ?? null, 'stdout', [l])
    }
    return images
  }
}
