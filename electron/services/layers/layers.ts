import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import type { Emit, Events } from '../../../shared/contract'
import { engineImageRefProblem } from '../../../shared/dockerfile/image-ref'
import { SlipwayError, toWireError } from '../../../shared/errors'
import { indexFirst, type IndexFirst } from '../../../shared/layers/first-view'
import type { PackedLayerIndex } from '../../../shared/layers/packed'
import type { LayerIndex, LayerSummary, LayersProgress } from '../../../shared/layers/types'
import type { EngineEndpoint } from '../../../shared/types/engine'
import { DEFAULT_ENGINE_IDLE_MS, dial, guardStream, pingLiveness, untilAnswered } from '../engine/idle-timeout'
import { apiPathName } from '../engine/api-path'
import { explainConnectionError } from '../engine/problems'
import { IndexCache } from './cache'
import { imageNotFound, indexCancelled, invalidImageName } from './errors'
import { indexStream, prewarmIndexer } from './index-stream'

/** The events the layers service publishes (a slice of the contract's events). */
export type LayersEvents = Pick<Events, 'layers.progress' | 'layers.done' | 'layers.failed'>
/** The app's own emit: the layers service publishes only the events above. */
export type LayersEmit = Emit

export interface LayersDeps {
  /** The client for the current engine; throws EngineUnavailable when there is none (Engine.client()). */
  docker: () => Dockerode
  /** Where indexes are cached; created when first needed. */
  cacheDir: string
  emit: LayersEmit
  /** Bound on the cache's total size (default 512 MB). */
  cacheMaxBytes?: number
  /** The worker script, for a bundled build (see index-stream.ts). */
  workerUrl?: URL
  /** Whether `prewarm()` starts an idle worker (default true). */
  prewarm?: boolean
  /**
   * Silence allowed on the engine's answers and on the save stream (default 60 s, see
   * idle-timeout.ts): then the job fails with EngineStalled instead of waiting forever.
   */
  idleMs?: number
}

export interface IndexOptions {
  signal?: AbortSignal
  /** Skip the cache and read the image again (the new index replaces the cached one). */
  refresh?: boolean
  onProgress?: (p: LayersProgress) => void
  jobId?: string
}

/** What one indexing run cost; the benchmarks read it. */
export interface IndexStats {
  cached: boolean
  bytesRead: number
  peakWorkerMemory: number
  /** From the call to the first byte of the save stream (the engine preparing the export). */
  firstByteMs: number
  /** Time the worker spent busy parsing and computing. */
  workerBusyMs: number
  ms: number
}

/**
 * Indexes images layer by layer: streams the engine's save endpoint through a worker thread, caches
 * the index per image id, reports progress, and can be cancelled.
 */
export class Layers {
  private readonly cache: IndexCache
  private readonly jobs = new Map<string, AbortController>()
  /** Cache writes still running in their workers, by image id. */
  private readonly writing = new Map<string, Promise<unknown>>()
  /** The last run's cost, for benchmarks and diagnostics. */
  lastStats: IndexStats | undefined

  constructor(private readonly deps: LayersDeps) {
    this.cache = new IndexCache(deps.cacheDir, deps.cacheMaxBytes)
  }

  /**
   * Starts an idle indexing worker so the next job begins at once. Called when the user is about to
   * open an image (the Images page lists them), not at start-up: most sessions never index one.
   */
  prewarm(): void {
    if (this.deps.prewarm !== false) prewarmIndexer(this.deps.workerUrl)
  }

  /** Starts indexing and returns at once; the outcome arrives as `layers.done` or `layers.failed`. */
  start(image: string, opts: { refresh?: boolean } = {}): { jobId: string } {
    const jobId = randomUUID()
    const ac = new AbortController()
    this.jobs.set(jobId, ac)
    this.run(image, { ...opts, signal: ac.signal, jobId, onProgress: (p) => this.deps.emit('layers.progress', p) }, 'summary')
      .then(
        ({ imageId, summary, first, stats }) => this.deps.emit('layers.done', { jobId, image, imageId, cached: stats.cached, summary, ...(first ? { first } : {}) }),
        (err: unknown) => this.deps.emit('layers.failed', { jobId, image, error: toWireError(err), cancelled: ac.signal.aborted }),
      )
      .finally(() => this.jobs.delete(jobId))
    return { jobId }
  }

  /** Cancels a running job; false when there is no such job (it may have finished). */
  cancel(jobId: string): boolean {
    const ac = this.jobs.get(jobId)
    ac?.abort()
    return ac !== undefined
  }

  /** The cached index of an image id, if there is one (waits for a write still in progress). */
  async cached(imageId: string): Promise<LayerIndex | undefined> {
    await this.whenCached(imageId)
    return this.cache.get(imageId)
  }

  /**
   * The cached index of an image id as its packed bytes (what `layers.get` sends), if there is one;
   * waits for a write still in progress.
   */
  async packed(imageId: string): Promise<PackedLayerIndex | undefined> {
    await this.whenCached(imageId)
    return this.cache.getPacked(imageId)
  }

  /** Resolves when the index of `imageId` (or of every image, without an id) has been written to the cache. */
  async whenCached(imageId?: string): Promise<void> {
    if (imageId) await this.writing.get(imageId)
    else await Promise.all(this.writing.values())
  }

  /** Indexes an image (name, tag or id), from the cache when it was indexed before. */
  async index(image: string, opts: IndexOptions = {}): Promise<LayerIndex> {
    const { index, stats } = await this.run(image, opts, 'index')
    this.lastStats = stats
    return index
  }

  /**
   * Indexes, or finds the index in the cache. With `need: 'summary'` a cache hit reads the file's
   * header only (the job's caller fetches the index itself with `packed`).
   */
  private async run(image: string, opts: IndexOptions, need: 'index'): Promise<RunResult & { index: LayerIndex }>
  private async run(image: string, opts: IndexOptions, need: 'summary'): Promise<RunResult>
  private async run(image: string, opts: IndexOptions, need: 'index' | 'summary'): Promise<RunResult> {
    const started = performance.now()
    const jobId = opts.jobId ?? randomUUID()
    // Checked here, not only at the RPC boundary: the CLI and other services call in directly, and
    // the name becomes part of an engine API path.
    checkImageName(image)
    const report = (p: Omit<LayersProgress, 'jobId' | 'image'>) => opts.onProgress?.({ jobId, image, ...p })
    if (!opts.refresh && need === 'summary' && FULL_ID.test(image)) {
      // An image id names immutable content: its cached index is this image's, with no engine call
      // first (the page opens images by id; a reopen paints from this header). Whether the image is
      // still in the engine is the image list's to say.
      await this.whenCached(image)
      const head = await this.cache.getHead(image)
      if (head) {
        // No progress event: layers.done follows at once (one message and one render less before the first view).
        const stats = { cached: true, bytesRead: 0, peakWorkerMemory: 0, firstByteMs: 0, workerBusyMs: 0, ms: performance.now() - started }
        return { imageId: image, summary: head.summary, ...(head.first ? { first: head.first } : {}), stats }
      }
    }
    const docker = this.deps.docker()
    report({ phase: 'inspecting', bytesRead: 0, bytesExpected: 0, layersDone: 0, layersTotal: 0 })
    const info = await this.inspect(docker, image, opts.signal)
    const layersTotal = info.RootFS?.Layers?.length ?? 0
    const bytesExpected = info.Size ?? 0
    if (!opts.refresh) {
      await this.whenCached(info.Id)
      const hit = need === 'index' ? await this.cache.get(info.Id) : undefined
      const head = hit ? { summary: hit.summary, first: indexFirst(hit) } : need === 'summary' ? await this.cache.getHead(info.Id) : undefined
      if (head) {
        report({ phase: 'done', bytesRead: 0, bytesExpected, layersDone: layersTotal, layersTotal })
        const stats = { cached: true, bytesRead: 0, peakWorkerMemory: 0, firstByteMs: 0, workerBusyMs: 0, ms: performance.now() - started }
        return { ...(hit ? { index: hit } : {}), imageId: info.Id, summary: head.summary, ...(head.first ? { first: head.first } : {}), stats }
      }
    }
    if (opts.signal?.aborted) throw indexCancelled(image)
    checkImageName(info.Id)
    const stream = await this.save(docker, info.Id, image, opts.signal)
    const streamAt = performance.now()
    report({ phase: 'reading', bytesRead: 0, bytesExpected, layersDone: 0, layersTotal })
    const result = await indexStream(stream, {
      label: image,
      workerUrl: this.deps.workerUrl,
      signal: opts.signal,
      // The engine's id is what the app knows the image by (with the containerd store it is not the config digest).
      job: { imageId: info.Id, repoTags: info.RepoTags ?? [], cache: { dir: this.deps.cacheDir, maxBytes: this.deps.cacheMaxBytes } },
      onProgress: (p) => report({ phase: 'reading', bytesRead: p.bytesRead, bytesExpected, layersDone: p.layersDone, layersTotal }),
    })
    const index = result.index
    const write = result.cached.finally(() => {
      if (this.writing.get(info.Id) === write) this.writing.delete(info.Id)
    })
    this.writing.set(info.Id, write)
    report({ phase: 'done', bytesRead: result.bytesRead, bytesExpected, layersDone: index.layers.length, layersTotal })
    const { bytesRead, peakWorkerMemory, workerBusyMs } = result
    const firstByteMs = streamAt - started + result.firstByteMs
    const first = indexFirst(index)
    return { index, imageId: index.imageId, summary: index.summary, ...(first ? { first } : {}), stats: { cached: false, bytesRead, peakWorkerMemory, firstByteMs, workerBusyMs, ms: performance.now() - started } }
  }

  private get idleMs(): number {
    return this.deps.idleMs ?? DEFAULT_ENGINE_IDLE_MS
  }

  /** The image's details; an engine that does not answer within the idle limit ends the job. */
  private async inspect(docker: Dockerode, image: string, signal?: AbortSignal): Promise<Dockerode.ImageInspectInfo> {
    try {
      return await untilAnswered(
        (s) => dial<Dockerode.ImageInspectInfo>(docker, { path: `/images/${apiPathName(image)}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, s),
        { idleMs: this.idleMs, doing: `reading the details of ${image}`, ...(signal ? { signal } : {}) },
      )
    } catch (err) {
      throw this.explain(docker, err, image, signal)
    }
  }

  /**
   * The save stream, guarded: before its first byte the engine may be quiet for long (it writes the
   * whole export to a temporary folder first), so there only an engine that no longer answers a ping
   * ends the wait; once bytes flow, `idleMs` of silence does.
   */
  private async save(docker: Dockerode, id: string, image: string, signal?: AbortSignal): Promise<Readable> {
    const doing = `saving ${image}`
    try {
      const raw = await untilAnswered(
        (s) => dial<Readable>(docker, { path: `/images/${apiPathName(id)}/get`, method: 'GET', isStream: true, statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, s),
        { idleMs: this.idleMs, doing, liveness: pingLiveness(docker, this.idleMs), ...(signal ? { signal } : {}) },
      )
      return guardStream(raw, { idleMs: this.idleMs, doing, liveness: pingLiveness(docker, this.idleMs, (bytes) => bytes === 0) })
    } catch (err) {
      throw this.explain(docker, err, image, signal)
    }
  }

  private explain(docker: Dockerode, err: unknown, image: string, signal?: AbortSignal): Error {
    if (signal?.aborted) return indexCancelled(image)
    if (err instanceof SlipwayError) return err
    const status = (err as { statusCode?: number } | null)?.statusCode
    if (status === 404) return imageNotFound(image)
    if (status !== undefined) {
      const reason = (err as { json?: { message?: string } }).json?.message ?? (err as Error).message
      return new SlipwayError('EngineError', `Docker could not export "${image}".`, reason)
    }
    return explainConnectionError(err, endpointOf(docker), process.platform)
  }
}

/** What a run found: the index (when asked for, or freshly made) and what `layers.done` says. */
interface RunResult {
  index?: LayerIndex
  imageId: string
  summary: LayerSummary
  /** What the page paints first (see shared/layers/first-view.ts). */
  first?: IndexFirst
  stats: IndexStats
}

export { apiPathName }

/** A full image id (`sha256:` and 64 hex digits), as the engine lists images. */
const FULL_ID = /^sha256:[0-9a-f]{64}$/

/** Throws a BadRequest for anything that is not an image id, short id or valid reference. */
function checkImageName(image: string): void {
  const problem = engineImageRefProblem(image)
  if (problem !== null) throw invalidImageName(image, problem)
}

function endpointOf(docker: Dockerode): EngineEndpoint {
  const m = docker.modem as { socketPath?: string; host?: string; port?: number | string; protocol?: string }
  const host = m.socketPath ? `unix://${m.socketPath}` : `${m.protocol === 'https' ? 'tcp' : (m.protocol ?? 'tcp')}://${m.host ?? 'localhost'}:${m.port ?? ''}`
  return { host, source: 'default', tls: m.protocol === 'https' }
}
