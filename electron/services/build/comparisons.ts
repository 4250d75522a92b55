// Builds one project on several bases at once (sharing the builder stage where bases need the same
// binary) and measures each image, so the same app's sizes stand side by
// side. A job like a build: compare.progress / compare.row events, exactly one compare.done or
// compare.failed, cancel at any time.
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { withVerdicts } from '../../../shared/build/compare'
import { SlipwayError, toWireError } from '../../../shared/errors'
import type { CompareRequest, CompareResult, CompareRow } from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import type { Builds } from './builds'
import type { BuildHistory } from './history'
import type { LayerMeasures } from './layer-measures'
import { coldStart, measureImage } from './measure'

/** The bases compared when the caller names none. */
export const DEFAULT_COMPARE_BASES = ['scratch', 'distroless-static', 'alpine'] as const

export interface ComparisonsDeps {
  builds: Builds
  engine: { client(): Dockerode }
  history: BuildHistory
  emit: Emit
  clock?: () => number
  /** Silence allowed on the measurement's engine requests and save stream (default 60 s, see idle-timeout.ts). */
  idleMs?: number
  /** Layers measured before, by diffID (the data folder's cache): a base's layers are read once ever. */
  layerMeasures?: LayerMeasures
}

export class Comparisons {
  private readonly jobs = new Map<string, { controller: AbortController; buildJobIds: Set<string> }>()
  /** Probe containers being removed after a comparison was reported. */
  private readonly cleanups = new Set<Promise<void>>()
  /**
   * Cold starts measured before, by image id (the last 100): comparing an unchanged project again
   * builds the same images from the cache and does not start each one again.
   */
  private readonly coldStarts = new Map<string, { ms: number | null; note: string | null }>()
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
    const job = { controller: new AbortController(), buildJobIds: new Set<string>() }
    this.jobs.set(req.jobId, job)
    const bases = [...new Set(req.bases ?? DEFAULT_COMPARE_BASES)]
    const failures: CompareResult['failures'] = []
    const rows: Omit<CompareRow, 'verdict'>[] = []
    const signal = job.controller.signal
    let project = ''
    const emitRow = (row: Omit<CompareRow, 'verdict'>) => {
      const i = rows.findIndex((r) => r.base === row.base)
      if (i >= 0) rows[i] = row
      else rows.push(row)
      rows.sort((a, b) => bases.indexOf(a.base) - bases.indexOf(b.base))
      this.deps.emit('compare.row', { jobId: req.jobId, row: withVerdicts(rows).find((r) => r.base === row.base) as CompareRow })
    }
    // One measurement at a time: on two cores two saves only slow each other, and a layer two images
    // share (the same binary on two bases) is then read for the first and known for the second.
    let measuring: Promise<unknown> = Promise.resolve()
    const measure = (imageId: string) => {
      const next = measuring.then(() => measureImage(this.deps.engine.client(), imageId, signal, this.deps.idleMs, this.deps.layerMeasures))
      measuring = next.catch(() => undefined)
      return next
    }
    const probes: (() => Promise<void>)[] = []
    try {
      // Bases whose recipes share the build stage (the same binary) send one Dockerfile — the stage
      // once, each base's final stage a target (PreparedBuild.sent) — so their contexts are
      // byte-identical and BuildKit compiles the program once for all of them (with a Dockerfile per
      // base, measured: three bases, three compiles). Each image is measured as soon as it is built;
      // its row appears then.
      const prepare = (base: string, analysis?: ProjectAnalysis) => this.deps.builds.prepare(req.dir, { base, ...(req.main ? { main: req.main } : {}), ...(analysis ? { analysis } : {}) })
      // One analysis for every base's recipe.
      const first = await prepare(bases[0] as string).catch(() => null)
      const plans = await Promise.all(bases.map((base, i) => (i === 0 && first ? Promise.resolve(first) : prepare(base, first?.analysis)).catch(() => undefined)))
      const built = await Promise.all(
        bases.map(async (base, index) => {
          const buildJobId = crypto.randomUUID()
          job.buildJobIds.add(buildJobId)
          this.deps.emit('compare.progress', { jobId: req.jobId, base, index, total: bases.length, phase: 'building', buildJobId })
          let record
          try {
            const buildReq = { jobId: buildJobId, dir: req.dir, base, ...(req.main ? { main: req.main } : {}) }
            record = await (await this.deps.builds.launch(buildReq, plans[index])).done
          } catch (e) {
            if (signal.aborted) throw e
            failures.push({ base, error: toWireError(e) })
            return null
          }
          project = record.project
          this.deps.emit('compare.progress', { jobId: req.jobId, base, index, total: bases.length, phase: 'measuring', buildJobId })
          const imageId = record.imageId as string
          const m = await measure(imageId)
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
            coldStartMs: null,
            coldStartNote: null,
            coldStartPending: true,
          }
          emitRow(row)
          return { row, port: m.exposedPort }
        }),
      )
      // Cold starts one after another on a quiet engine, so builds do not skew them; each probe
      // container stays (idle) until the last is measured, then they are removed together.
      for (const b of built) {
        if (!b) continue
        signal.throwIfAborted()
        const start =
          this.coldStarts.get(b.row.imageId) ??
          (await coldStart(this.deps.engine.client(), b.row.imageId, b.port, [], { removeLater: (remove) => probes.push(remove) }))
        if (start.ms !== null) this.keepColdStart(b.row.imageId, start)
        emitRow({ ...b.row, coldStartMs: start.ms === null ? null : Math.round(start.ms), coldStartNote: start.note, coldStartPending: false })
      }
      failures.sort((a, b) => bases.indexOf(a.base) - bases.indexOf(b.base))
      const result: CompareResult = { jobId: req.jobId, dir: req.dir, project, finishedAt: this.clock(), rows: withVerdicts(rows), failures }
      if (rows.length === 0) throw new SlipwayError('CompareFailed', 'No base could be built.', failures.map((f) => `${f.base}: ${[f.error.message, f.error.detail].filter(Boolean).join(' ')}`).join('\n'))
      await this.deps.history.addCompare(result).catch(() => undefined)
      this.deps.emit('compare.done', { jobId: req.jobId, result })
      // The probes go after the result is out (a force-remove takes ~1 s each on a busy engine); a
      // front end that exits afterwards waits for settled().
      const cleanup = Promise.all(probes.splice(0).map((remove) => remove())).then(() => undefined)
      this.cleanups.add(cleanup)
      void cleanup.finally(() => this.cleanups.delete(cleanup))
      return result
    } catch (e) {
      const cancelled = job.controller.signal.aborted
      this.deps.emit('compare.failed', { jobId: req.jobId, error: toWireError(cancelled ? new SlipwayError('Cancelled', 'The comparison was cancelled.') : e), cancelled })
      throw e
    } finally {
      await Promise.all(probes.map((remove) => remove()))
      this.jobs.delete(req.jobId)
    }
  }

  /** Resolves when the probe containers of finished comparisons are removed (the CLI waits before it exits). */
  async settled(): Promise<void> {
    await Promise.all([...this.cleanups])
  }

  private keepColdStart(imageId: string, start: { ms: number | null; note: string | null }) {
    this.coldStarts.delete(imageId)
    this.coldStarts.set(imageId, start)
    while (this.coldStarts.size > 100) this.coldStarts.delete(this.coldStarts.keys().next().value as string)
  }

  /** Cancels a comparison and the builds it is running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job) return false
    job.controller.abort(new SlipwayError('Cancelled', 'The comparison was cancelled.'))
    for (const id of job.buildJobIds) this.deps.builds.cancel(id)
    return true
  }

  /** The project's comparisons, newest first. */
  history(dir: string): Promise<CompareResult[]> {
    return this.deps.history.compares(dir)
  }
}
