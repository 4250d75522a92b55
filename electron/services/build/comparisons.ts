// Builds one project on several bases at once (sharing the builder stage where bases need the same
// binary) and measures each image, so the same app's sizes stand side by
// side. A job like a build: compare.progress / compare.row events, exactly one compare.done or
// compare.failed, cancel at any time.
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { INCLUDES_NETWORK, withVerdicts } from '../../../shared/build/compare'
import { SlipwayError, toWireError } from '../../../shared/errors'
import type { CompareRequest, CompareResult, CompareRow } from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import type { Builds } from './builds'
import type { BuildHistory } from './history'
import { ColdStarts } from './cold-starts'
import type { LayerMeasures } from './layer-measures'
import { createProbe, createProbeNet, measureImage, PROBE_LABEL, PROBE_OWNER_LABEL, probeOwner, type Probe, type ProbeNet } from './measure'
import { processAlive } from '../pid'

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
  /** Cold starts measured before, by image id (the data folder's cache; default: this process only). */
  coldStarts?: ColdStarts
}

/** A probe container older than this is left over whoever made it: no cold start takes so long. */
const PROBE_MAX_AGE_MS = 10 * 60_000

export class Comparisons {
  private readonly jobs = new Map<string, { controller: AbortController; buildJobIds: Set<string> }>()
  /** Probe containers being removed after a comparison was reported. */
  private readonly cleanups = new Set<Promise<void>>()
  /** This process's probe containers and network holders that exist (created, not yet removed), by container id. */
  private readonly probes = new Map<string, { remove(): Promise<void> }>()
  /** Comparisons running, for close(). */
  private readonly running = new Set<Promise<unknown>>()
  private swept: Promise<number> | null = null
  private readonly clock: () => number
  /**
   * Cold starts measured before, by image id: comparing an unchanged project again builds the same
   * images from the cache and does not start each one again.
   */
  private readonly coldStarts: ColdStarts
  constructor(private readonly deps: ComparisonsDeps) {
    this.clock = deps.clock ?? Date.now
    this.coldStarts = deps.coldStarts ?? new ColdStarts()
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
    // The first comparison of a session (a CLI run is one) removes what an earlier one left behind.
    this.swept ??= this.sweepProbes().catch(() => 0)
    const run = this.run(req)
    this.running.add(run)
    void run.catch(() => undefined).finally(() => this.running.delete(run))
    return run
  }

  private async run(req: CompareRequest): Promise<CompareResult> {
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
    const probes: Probe[] = []
    // One network holder per comparison (measure.ts, ProbeNet): made from the builder image beside
    // the builds (after the first one when the builder image is not local yet), publishing the
    // recipe's port; each probe joins it, so the cold start leaves out the bridge setup that is the same for every base. Null
    // (the builder image has no `sleep`, or is not local): each probe gets a bridge of its own, and
    // its figure says it includes network setup.
    type Held = { net: ProbeNet } | { net: null; why: string; again?: true }
    let net: Promise<Held> | null = null
    let holderId: string | null = null
    const holderFor = (builderImage: string, port: number | null, early = false): Promise<Held> =>
      (net ??= createProbeNet(this.deps.engine.client(), builderImage, port ? [port] : [], {
        signal,
        // Tracked from its creation, so quitting while it starts removes it too.
        onCreated: (h) => this.probes.set((holderId = h.id), { remove: () => h.remove().finally(() => this.probes.delete(h.id)) }),
      }).then(
        (n) => ({ net: { ...n, remove: () => n.remove().finally(() => this.probes.delete(n.id)) } }),
        (e: unknown) => {
          // createProbeNet removed it.
          if (holderId) this.probes.delete(holderId)
          // Before any build the builder image may not be local yet: tried again after the first.
          if (early && (e as { statusCode?: number }).statusCode === 404) {
            net = null
            return { net: null, why: 'the builder image is not local yet', again: true }
          }
          return { net: null, why: `no shared probe network from ${builderImage} (${e instanceof Error ? e.message : String(e)})` }
        },
      ))
    // A probe is created as soon as its image is measured (while the other builds run: creating is
    // not part of the figure), so the cold starts below only start containers.
    const makeProbe = async (imageId: string, port: number | null, builderImage: string): Promise<Probe | { ms: null; note: string }> => {
      let held = await holderFor(builderImage, port)
      if (!held.net && held.again) held = await holderFor(builderImage, port)
      const docker = this.deps.engine.client()
      if (signal.aborted) return { ms: null, note: 'cancelled' }
      try {
        let probe: Probe | null = null
        let bridged: string | null = held.net ? null : held.why
        if (held.net && (port === null || held.net.hostPorts.has(port)))
          probe = await createProbe(docker, imageId, port, [], { net: held.net }).catch((e: unknown) => {
            bridged = `could not join the shared probe network (${e instanceof Error ? e.message : String(e)})`
            return null
          })
        else if (held.net) bridged = `port ${port} is not the one the shared probe network publishes`
        probe ??= await createProbe(docker, imageId, port, [])
        const made = probe
        const tracked: Probe = { ...made, remove: () => made.remove().finally(() => this.probes.delete(made.id)) }
        if (bridged) bridgedWhy.set(made.id, bridged)
        this.probes.set(made.id, tracked)
        probes.push(tracked)
        return tracked
      } catch (e) {
        return { ms: null, note: `could not be started: ${e instanceof Error ? e.message : String(e)}` }
      }
    }
    /** Why a probe has a bridge of its own (its figure then includes network setup). */
    const bridgedWhy = new Map<string, string>()
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
      // The network holder is made now, beside the builds (its builder image is local once a build
      // has run; when it is not yet, it is made after the first build).
      const plan = plans.find((x) => x !== undefined)
      if (plan) void holderFor(plan.builderImage, recipePort(plan), true)
      // Every base settles before a failure ends the comparison, so no probe is still being created
      // when the probes are removed.
      const settled = await Promise.allSettled(
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
          const builderImage = plans[index]?.builderImage ?? record.builderImage
          const known = await this.coldStarts.get(imageId)
          // The probe is made beside the measuring (neither is timed): its port is the recipe's EXPOSE.
          const port = plans[index] ? recipePort(plans[index]) : undefined
          const early = known || signal.aborted || port === undefined ? null : makeProbe(imageId, port, builderImage)
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
            coldStartMeasuredAt: null,
            coldStartPending: true,
          }
          emitRow(row)
          return { row, known, probe: early ? await early : known || signal.aborted ? null : await makeProbe(imageId, m.exposedPort, builderImage) }
        }),
      )
      const failed = settled.find((x) => x.status === 'rejected')
      if (failed) throw failed.reason
      const built = settled.map((x) => (x.status === 'fulfilled' ? x.value : null))
      // Cold starts one after another once every build is done, on an engine doing nothing else:
      // measured here, three at once read 70–150 % slower each than one at a time, and one beside
      // the next base's build 10–70 % slower (docs/ARCHITECTURE.md). Probes in the shared network
      // go one at a time (the port is the namespace's): each is stopped before the next starts; the
      // rest stay (idle) until the last is measured, then they are removed together.
      let running: Probe | null = null
      for (const b of built) {
        if (!b) continue
        signal.throwIfAborted()
        let start: { ms: number | null; note: string | null; measuredAt: number | null }
        if (b.known) start = b.known
        else if (b.probe && 'time' in b.probe) {
          const probe = b.probe
          if (running && probe.shared) await running.stop()
          running = probe.shared ? probe : running
          const measuredAt = this.clock()
          start = { ...(await probe.time(signal).catch((e: unknown) => {
            signal.throwIfAborted()
            return { ms: null, note: `could not be started: ${e instanceof Error ? e.message : String(e)}` }
          })), measuredAt }
          const why = bridgedWhy.get(probe.id)
          if (why && start.ms !== null) start.note = [start.note, `${INCLUDES_NETWORK}: ${why}`].filter(Boolean).join('; ')
          if (start.ms !== null) await this.coldStarts.put(b.row.imageId, { ms: start.ms, note: start.note, measuredAt })
        } else start = { ms: null, note: b.probe?.note ?? null, measuredAt: null }
        emitRow({ ...b.row, coldStartMs: start.ms === null ? null : Math.round(start.ms), coldStartNote: start.note, coldStartMeasuredAt: start.ms === null ? null : start.measuredAt, coldStartPending: false })
      }
      failures.sort((a, b) => bases.indexOf(a.base) - bases.indexOf(b.base))
      const result: CompareResult = { jobId: req.jobId, dir: req.dir, project, finishedAt: this.clock(), rows: withVerdicts(rows), failures }
      if (rows.length === 0) throw new SlipwayError('CompareFailed', 'No base could be built.', failures.map((f) => `${f.base}: ${[f.error.message, f.error.detail].filter(Boolean).join(' ')}`).join('\n'))
      await this.deps.history.addCompare(result).catch(() => undefined)
      this.deps.emit('compare.done', { jobId: req.jobId, result })
      // The probes go after the result is out (a force-remove takes ~1 s each on a busy engine); a
      // front end that exits afterwards waits for settled().
      const cleanup = this.removeProbes(probes.splice(0), net)
      net = null
      this.cleanups.add(cleanup)
      void cleanup.finally(() => this.cleanups.delete(cleanup))
      return result
    } catch (e) {
      const cancelled = job.controller.signal.aborted
      this.deps.emit('compare.failed', { jobId: req.jobId, error: toWireError(cancelled ? new SlipwayError('Cancelled', 'The comparison was cancelled.') : e), cancelled })
      throw e
    } finally {
      await this.removeProbes(probes.splice(0), net)
      this.jobs.delete(req.jobId)
    }
  }

  /** Removes a comparison's probes and the network holder they joined, all at once (the engine allows the holder to go first); never throws. */
  private async removeProbes(probes: readonly Probe[], net: Promise<{ net: ProbeNet | null }> | null): Promise<void> {
    await Promise.all([...probes.map((p) => p.remove()), net?.then((n) => n.net?.remove())])
  }

  /** Resolves when the probe containers of finished comparisons are removed (the CLI waits before it exits). */
  async settled(): Promise<void> {
    await Promise.all([...this.cleanups])
  }

  /**
   * Removes probe containers left behind by a Slipway that quit or crashed mid-comparison: those
   * labelled as made by a process of this machine that is gone, and any older than a cold start
   * can take. A live process's probes (another window, a CLI run, a test) are left alone. Resolves
   * with how many were removed.
   */
  async sweepProbes(): Promise<number> {
    const docker = this.deps.engine.client()
    const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [PROBE_LABEL] }) })
    const me = probeOwner()
    const host = me.slice(0, me.lastIndexOf(':'))
    const now = this.clock()
    const stale = list.filter((c) => {
      if (this.probes.has(c.Id)) return false
      const owner = c.Labels?.[PROBE_OWNER_LABEL] ?? ''
      const at = owner.lastIndexOf(':')
      const pid = Number(owner.slice(at + 1))
      if (at > 0 && owner.slice(0, at) === host && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) return true
      return now - c.Created * 1000 > PROBE_MAX_AGE_MS
    })
    await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
    return stale.length
  }

  /** For quitting: cancels running comparisons and removes every probe container this process made. */
  async close(): Promise<void> {
    for (const id of [...this.jobs.keys()]) this.cancel(id)
    // What exists goes at once, beside the cancelled comparisons' own clean-up; then what they made meanwhile.
    const removeAll = () => Promise.all([...this.probes.values()].map((p) => p.remove()))
    await Promise.all([removeAll(), ...[...this.running].map((r) => r.catch(() => undefined))])
    await Promise.all([removeAll(), this.settled()])
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

/** The first port the recipe EXPOSEs for the app, null for none. */
function recipePort(plan: { recipe: { ports: readonly number[] } }): number | null {
  return plan.recipe.ports[0] ?? null
}
