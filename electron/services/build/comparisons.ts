// Builds one project on several bases one after another (sharing the builder cache: the builder
// stage is the same for every base) and measures each image, so the same app's sizes stand side by
// side. A job like a build: compare.progress / compare.row events, exactly one compare.done or
// compare.failed, cancel at any time.
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { withVerdicts } from '../../../shared/build/compare'
import { SlipwayError, toWireError } from '../../../shared/errors'
import type { CompareRequest, CompareResult, CompareRow } from '../../../shared/types/build'
import type { Builds } from './builds'
import type { BuildHistory } from './history'
import { coldStart, measureImage } from './measure'

/** The bases compared when the caller names none. */
export const DEFAULT_COMPARE_BASES = ['scratch', 'distroless-static', 'alpine'] as const

export interface ComparisonsDeps {
  builds: Builds
  engine: { client(): Dockerode }
  history: BuildHistory
  emit: Emit
  clock?: () => number
}

export class Comparisons {
  private readonly jobs = new Map<string, { controller: AbortController; buildJobId: string | null }>()
  private readonly clock: () => number
  constructor(private readonly deps: ComparisonsDeps) {
    this.clock = deps.clock ?? Date.now
  }

  /** Starts a comparison and returns at once. */
  async start(req: CompareRequest): Promise<{ jobId: string }> {
    void this.launch(req).catch(() => undefined)
    return { jobId: req.jobId }
  }

  /** Runs a comparison and resolves with its result (the CLI waits on this); events stream as for start(). */
  async launch(req: CompareRequest): Promise<CompareResult> {
    if (this.jobs.has(req.jobId)) throw new SlipwayError('BadRequest', `A job ${req.jobId} exists already.`, 'Use a new id for each comparison.')
    this.deps.engine.client()
    const job = { controller: new AbortController(), buildJobId: null as string | null }
    this.jobs.set(req.jobId, job)
    const bases = req.bases ?? [...DEFAULT_COMPARE_BASES]
    const rows: Omit<CompareRow, 'verdict'>[] = []
    const failures: CompareResult['failures'] = []
    let project = ''
    try {
      for (const [index, base] of bases.entries()) {
        job.controller.signal.throwIfAborted()
        const buildJobId = crypto.randomUUID()
        job.buildJobId = buildJobId
        this.deps.emit('compare.progress', { jobId: req.jobId, base, index, total: bases.length, phase: 'building', buildJobId })
        let record
        try {
          record = await (await this.deps.builds.launch({ jobId: buildJobId, dir: req.dir, base, ...(req.main ? { main: req.main } : {}) })).done
        } catch (e) {
          if (job.controller.signal.aborted) throw e
          failures.push({ base, error: toWireError(e) })
          continue
        }
        project = record.project
        this.deps.emit('compare.progress', { jobId: req.jobId, base, index, total: bases.length, phase: 'measuring', buildJobId })
        const docker = this.deps.engine.client()
        const imageId = record.imageId as string
        const m = await measureImage(docker, imageId, job.controller.signal)
        const prepared = await this.deps.builds.prepare(req.dir, { base, ...(req.main ? { main: req.main } : {}) })
        const listen = prepared.analysis.needs.listen[0]
        const port = m.exposedPort ?? listen?.port ?? null
        const start = await coldStart(docker, imageId, port, [])
        const row: Omit<CompareRow, 'verdict'> = {
          base,
          baseImage: record.baseImage,
          imageId,
          tag: record.tags[0] ?? imageId,
          sizeBytes: m.sizeBytes,
          compressedBytes: m.compressedBytes,
          binaryBytes: m.binaryBytes,
          overheadBytes: Math.max(0, m.sizeBytes - m.binaryBytes),
          layers: m.layers,
          hasShell: m.hasShell,
          hasCaBundle: m.hasCaBundle,
          hasTzData: m.hasTzData,
          packageManager: m.packageManager,
          user: m.user,
          coldStartMs: start.ms === null ? null : Math.round(start.ms),
          coldStartNote: start.note,
        }
        rows.push(row)
        const current = withVerdicts(rows)
        this.deps.emit('compare.row', { jobId: req.jobId, row: current.find((r) => r.base === base) as CompareRow })
      }
      const result: CompareResult = { jobId: req.jobId, dir: req.dir, project, finishedAt: this.clock(), rows: withVerdicts(rows), failures }
      if (rows.length === 0) throw new SlipwayError('CompareFailed', 'No base could be built.', failures.map((f) => `${f.base}: ${f.error.message}`).join('\n'))
      await this.deps.history.addCompare(result).catch(() => undefined)
      this.deps.emit('compare.done', { jobId: req.jobId, result })
      return result
    } catch (e) {
      const cancelled = job.controller.signal.aborted
      this.deps.emit('compare.failed', { jobId: req.jobId, error: toWireError(cancelled ? new SlipwayError('Cancelled', 'The comparison was cancelled.') : e), cancelled })
      throw e
    } finally {
      this.jobs.delete(req.jobId)
    }
  }

  /** Cancels a comparison and the build it is running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job) return false
    job.controller.abort(new SlipwayError('Cancelled', 'The comparison was cancelled.'))
    if (job.buildJobId) this.deps.builds.cancel(job.buildJobId)
    return true
  }

  /** The project's comparisons, newest first. */
  history(dir: string): Promise<CompareResult[]> {
    return this.deps.history.compares(dir)
  }
}
