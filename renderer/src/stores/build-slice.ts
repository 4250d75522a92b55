import type { StateCreator, StoreApi } from 'zustand'
import type { Events } from '../../../shared/contract'
import { ErrorName, toWireError, type WireError } from '../../../shared/errors'
import type { BuildRecord, BuildSnapshot, BuildStep, CompileError, PreflightFinding } from '../../../shared/types/build'
import { call, on } from '../api/client'
import { newJobId } from '../features/build/build-model'
import { LogBuffer } from '../features/build/log-buffer'
import type { AppState } from './app-state'
import { acceptOffers, offersOf, offerStore, type OfferMaking } from './make-offers'

export type { OfferMaking } from './make-offers'

/** Which view the project page shows: the recipe (findings, bases, Dockerfile), the build, past builds, or the comparison of bases. */
export type ProjectViewTab = 'recipe' | 'build' | 'history' | 'compare'

export type BuildPhase = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One build as the renderer follows it, from the click (or from joining late) to its one done/failed event. */
export interface BuildJob {
  jobId: string
  dir: string
  base: string
  /** Epoch ms. */
  startedAt: number
  phase: BuildPhase
  cancelling: boolean
  /** In first-seen order (by index). */
  steps: BuildStep[]
  /** Mutable and append-only; `logRevision` says when it grew. */
  log: LogBuffer
  logRevision: number
  /** Joined after it started (a reload, another window): the log holds only the lines since then. */
  joinedLate: boolean
  record: BuildRecord | null
  error: WireError | null
  compileErrors: CompileError[]
  /** What preflight warned about before this build started. */
  warnings: PreflightFinding[]
}

/** What the Build button asks for: the base, main package and the Recipe tab's overrides (blank: Settings, go.mod, git). */
export interface BuildAsk {
  dir: string
  base?: string | undefined
  main?: string | undefined
  buildkit?: boolean | undefined
  builderImage?: string | undefined
  version?: string | undefined
  commit?: string | undefined
}

/** Checks before a build; a build starts only when none of them blocks. */
export type PreflightState =
  | { status: 'checking'; base: string | null }
  | { status: 'blocked'; base: string | null; findings: PreflightFinding[]; ask: BuildAsk; making: OfferMaking | null }
  | { status: 'failed'; base: string | null; error: WireError }

export interface HistoryState {
  records: BuildRecord[] | null
  loading: boolean
  error: WireError | null
}

export interface BuildSlice {
  build: {
    jobs: Record<string, BuildJob>
    /** The job each project (by its root folder) shows: the one started or joined last. */
    shown: Record<string, string>
    /** Preflight in progress or refused, per project. */
    preflight: Record<string, PreflightState>
    history: Record<string, HistoryState>
    view: ProjectViewTab
    /** Jobs being looked up with build.get (started elsewhere); their events are dropped until the snapshot is in. */
    adopting: Record<string, true>
  }
  /**
   * Checks the project (build.preflight), then starts a build under a new job id. Blocking findings
   * stop it and stay on screen; warnings travel with the job.
   */
  /** Preflight, then a build; builderImage/version/commit are the Recipe tab's overrides (blank: Settings, go.mod, git). */
  startBuild: (req: BuildAsk) => Promise<void>
  /**
   * Accepts the offer of a refused build: makes the bases it could not pull (bases.make, progress
   * and cancel), points the catalog base or the builder at them as Settings → Use does, then builds.
   */
  makeOfferedBases: (dir: string) => Promise<void>
  cancelOfferedBases: (dir: string) => void
  cancelBuild: (jobId: string) => void
  setProjectView: (view: ProjectViewTab) => void
  dismissPreflight: (dir: string) => void
  loadBuildHistory: (dir: string) => Promise<void>
  /** Joins builds running in the host (after a reload or a dropped socket) and settles the ones that ended meanwhile. */
  syncBuilds: (opts?: { initial?: boolean }) => Promise<void>
  /** Shows a running build by its job id (e.g. the one a refused start named). */
  adoptBuild: (jobId: string) => Promise<boolean>
  applyBuildStep: (e: Events['build.step']) => void
  applyBuildLog: (e: Events['build.log']) => void
  applyBuildDone: (e: Events['build.done']) => void
  applyBuildFailed: (e: Events['build.failed']) => void
}

/** Finished jobs kept in memory (with their logs) besides the ones on screen. */
const KEEP_FINISHED = 6
/** How often the log view hears about new lines, at most. */
const LOG_FLUSH_MS = 80
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

function upsertStep(steps: readonly BuildStep[], step: BuildStep): BuildStep[] {
  const i = steps.findIndex((s) => s.id === step.id)
  if (i >= 0) {
    const next = steps.slice()
    next[i] = step
    return next
  }
  // Steps arrive in index order almost always; keep the list sorted when one does not.
  const next = [...steps, step]
  if (steps.length > 0 && (steps[steps.length - 1] as BuildStep).index > step.index) next.sort((a, b) => a.index - b.index)
  return next
}

function fromSnapshot(snap: BuildSnapshot): BuildJob {
  const log = new LogBuffer()
  for (const l of snap.logTail) log.append(l.stepId, l.stream, [l.line])
  const written = snap.steps.reduce((n, s) => n + s.logLines, 0)
  const phase: BuildPhase = snap.state
  return {
    jobId: snap.jobId,
    dir: snap.dir,
    base: snap.base,
    startedAt: snap.startedAt,
    phase,
    cancelling: false,
    steps: [...snap.steps].sort((a, b) => a.index - b.index),
    log,
    logRevision: 1,
    joinedLate: written > snap.logTail.length,
    record: snap.record,
    error: snap.record?.error ?? null,
    compileErrors: snap.record?.compileErrors ?? [],
    warnings: [],
  }
}

const isLive = (j: BuildJob) => j.phase === 'starting' || j.phase === 'running'

export const createBuildSlice: StateCreator<AppState, [], [], BuildSlice> = (set, get) => {
  const patchJob = (jobId: string, f: (j: BuildJob) => Partial<BuildJob>) =>
    set((s) => {
      const job = s.build.jobs[jobId]
      if (!job) return s
      return { build: { ...s.build, jobs: { ...s.build.jobs, [jobId]: { ...job, ...f(job) } } } }
    })

  // Log lines go into the job's buffer at once, but the view hears about them at most every
  // LOG_FLUSH_MS: a chatty build sends hundreds of small chunks a second, and re-rendering (and
  // re-measuring the virtual list) for each one made the view fall minutes behind (bench/build-log-ui).
  const logTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const flushLog = (jobId: string) => {
    const timer = logTimers.get(jobId)
    if (timer === undefined) return
    clearTimeout(timer)
    logTimers.delete(jobId)
    patchJob(jobId, (j) => ({ logRevision: j.logRevision + 1 }))
  }

  /** Adds a job and makes it the one its project shows; forgets old finished jobs that nothing shows. */
  const addJob = (job: BuildJob, show: boolean) =>
    set((s) => {
      const jobs = { ...s.build.jobs, [job.jobId]: job }
      const shown = show ? { ...s.build.shown, [job.dir]: job.jobId } : s.build.shown
      const onScreen = new Set(Object.values(shown))
      const finished = Object.values(jobs).filter((j) => !isLive(j) && !onScreen.has(j.jobId))
      for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) delete jobs[j.jobId]
      return { build: { ...s.build, jobs, shown } }
    })

  const setPreflight = (dir: string, state: PreflightState | null) =>
    set((s) => {
      const preflight = { ...s.build.preflight }
      if (state) preflight[dir] = state
      else delete preflight[dir]
      return { build: { ...s.build, preflight } }
    })

  const finished = (dir: string) => {
    // The history the page shows gains the build that just ended.
    if (get().build.history[dir] || get().build.view === 'history') void get().loadBuildHistory(dir)
  }

  return {
    build: { jobs: {}, shown: {}, preflight: {}, history: {}, view: 'recipe', adopting: {} },

    startBuild: async (ask) => {
      const { dir, base, main, buildkit, builderImage, version, commit } = ask
      const shownId = get().build.shown[dir]
      const current = shownId ? get().build.jobs[shownId] : undefined
      const pf = get().build.preflight[dir]
      // While the bases a refused build offered are being made, that build starts by itself afterwards.
      if (pf?.status === 'checking' || (pf?.status === 'blocked' && pf.making && !pf.making.error) || (current && isLive(current))) return
      set((s) => ({ build: { ...s.build, view: 'build' } }))
      setPreflight(dir, { status: 'checking', base: base ?? null })
      const opts = { ...(base ? { base } : {}), ...(main ? { main } : {}), ...(builderImage?.trim() ? { builderImage: builderImage.trim() } : {}) }
      const stamps = { ...(version?.trim() ? { version: version.trim() } : {}), ...(commit?.trim() ? { commit: commit.trim() } : {}) }
      let findings: PreflightFinding[]
      try {
        findings = await call('build.preflight', dir, opts)
      } catch (e) {
        setPreflight(dir, { status: 'failed', base: base ?? null, error: toWireError(e) })
        return
      }
      const blocking = findings.filter((f) => f.level === 'blocking')
      if (blocking.length > 0) {
        setPreflight(dir, { status: 'blocked', base: base ?? null, findings, ask, making: null })
        return
      }
      setPreflight(dir, null)

      // The caller names the job and registers it before asking, so no event can arrive for an unknown id.
      const jobId = newJobId()
      addJob(
        {
          jobId,
          dir,
          base: base ?? '',
          startedAt: Date.now(),
          phase: 'starting',
          cancelling: false,
          steps: [],
          log: new LogBuffer(),
          logRevision: 0,
          joinedLate: false,
          record: null,
          error: null,
          compileErrors: [],
          warnings: findings,
        },
        true,
      )
      try {
        await call('build.start', { jobId, dir, ...opts, ...stamps, ...(buildkit === undefined ? {} : { buildkit }) })
        patchJob(jobId, (j) => (j.phase === 'starting' ? { phase: 'running' } : {}))
      } catch (e) {
        const error = toWireError(e)
        patchJob(jobId, (j) => (isLive(j) ? { phase: 'failed', error, cancelling: false } : {}))
        // Refused because the same build runs already: show that one instead, as the message offers.
        const other = error.name === ErrorName.BuildRunning ? UUID.exec(error.detail ?? '')?.[0] : undefined
        if (other && other !== jobId) void get().adoptBuild(other)
      }
    },

    makeOfferedBases: async (dir) => {
      const blocked = get().build.preflight[dir]
      if (blocked?.status !== 'blocked' || (blocked.making && !blocked.making.error)) return
      const offers = offersOf(blocked.findings)
      if (offers.length === 0) return
      // The make job's id names this attempt: a new Build or a dismiss replaces it, and then nothing here touches the view.
      const jobId = newJobId()
      const view = {
        current: () => {
          const pf = get().build.preflight[dir]
          return pf?.status === 'blocked' && pf.making?.jobId === jobId ? pf : null
        },
        put: (pf: Extract<PreflightState, { status: 'blocked' }>) => setPreflight(dir, pf),
      }
      if (!(await acceptOffers(blocked, offers, jobId, view, offerStore(get)))) return
      // A builder typed on the Recipe tab would still win over the setting: the made one replaces it.
      let ask = blocked.ask
      if (offers.some((o) => o.target.kind === 'builder') && ask.builderImage?.trim()) {
        get().setRecipe({ builderImage: '' })
        ask = { ...ask, builderImage: undefined }
      }
      setPreflight(dir, null)
      await get().startBuild(ask)
    },

    cancelOfferedBases: (dir) => {
      const pf = get().build.preflight[dir]
      if (pf?.status !== 'blocked' || !pf.making || pf.making.cancelling || pf.making.error) return
      const { jobId } = pf.making
      set((s) => ({ build: { ...s.build, preflight: { ...s.build.preflight, [dir]: { ...pf, making: pf.making && { ...pf.making, cancelling: true } } } } }))
      void call('bases.cancel', jobId).catch(() => false)
    },

    cancelBuild: (jobId) => {
      const job = get().build.jobs[jobId]
      if (!job || !isLive(job) || job.cancelling) return
      patchJob(jobId, () => ({ cancelling: true }))
      void call('build.cancel', jobId).then(
        (found) => {
          // Not running any more: it ended meanwhile, and its own event says how.
          if (!found) patchJob(jobId, () => ({ cancelling: false }))
        },
        (e) => {
          patchJob(jobId, () => ({ cancelling: false }))
          console.warn('Could not cancel the build:', e)
        },
      )
    },

    setProjectView: (view) => set((s) => (s.build.view === view ? s : { build: { ...s.build, view } })),
    dismissPreflight: (dir) => setPreflight(dir, null),

    loadBuildHistory: async (dir) => {
      const prev = get().build.history[dir]
      set((s) => ({ build: { ...s.build, history: { ...s.build.history, [dir]: { records: prev?.records ?? null, loading: true, error: null } } } }))
      try {
        const records = await call('build.history', dir)
        set((s) => ({ build: { ...s.build, history: { ...s.build.history, [dir]: { records, loading: false, error: null } } } }))
      } catch (e) {
        const error = toWireError(e)
        set((s) => ({ build: { ...s.build, history: { ...s.build.history, [dir]: { records: prev?.records ?? null, loading: false, error } } } }))
      }
    },

    syncBuilds: async ({ initial = false } = {}) => {
      let running: BuildSnapshot[]
      try {
        running = await call('build.running')
      } catch {
        return // No host yet: the next reconnect asks again.
      }
      const known = get().build.jobs
      for (const snap of running) {
        if (known[snap.jobId]) continue
        const mine = get().build.shown[snap.dir]
        const busy = mine ? get().build.jobs[mine] : undefined
        addJob(fromSnapshot(snap), !busy || !isLive(busy))
      }
      // A build started before a reload is what the person was looking at.
      if (initial && running.length > 0 && get().build.view === 'recipe') set((s) => ({ build: { ...s.build, view: 'build' } }))
      // Jobs this page follows that are no longer running ended while their events could not reach it.
      const ids = new Set(running.map((r) => r.jobId))
      for (const job of Object.values(get().build.jobs)) {
        if (job.phase !== 'running' || ids.has(job.jobId)) continue
        const snap = await call('build.get', job.jobId).catch(() => null)
        if (!snap || snap.state === 'running') continue
        patchJob(job.jobId, () => ({
          phase: snap.state,
          steps: [...snap.steps].sort((a, b) => a.index - b.index),
          record: snap.record,
          error: snap.record?.error ?? null,
          compileErrors: snap.record?.compileErrors ?? [],
          cancelling: false,
        }))
        finished(job.dir)
      }
    },

    adoptBuild: async (jobId) => {
      const have = get().build.jobs[jobId]
      if (have) {
        addJob(have, true)
        return true
      }
      if (get().build.adopting[jobId]) return false
      set((s) => ({ build: { ...s.build, adopting: { ...s.build.adopting, [jobId]: true } } }))
      // Events sent before the snapshot are in it; the ones after it arrive after the answer (one ordered channel).
      const snap = await call('build.get', jobId).catch(() => null)
      set((s) => {
        const adopting = { ...s.build.adopting }
        delete adopting[jobId]
        return { build: { ...s.build, adopting } }
      })
      if (!snap) return false
      addJob(fromSnapshot(snap), true)
      return true
    },

    applyBuildStep: ({ jobId, step }) => {
      const job = get().build.jobs[jobId]
      if (!job) {
        // A comparison's builds belong to the Compare view, not to the project's Build view.
        const ofComparison = Object.values(get().compare.jobs).some((c) => Object.values(c.active).some((a) => a.buildJobId === jobId))
        // A build another window or tab started: follow it from now on.
        if (!ofComparison && !get().build.adopting[jobId]) void get().adoptBuild(jobId)
        return
      }
      patchJob(jobId, (j) => ({ steps: upsertStep(j.steps, step), ...(j.phase === 'starting' ? { phase: 'running' as const } : {}) }))
    },

    applyBuildLog: ({ jobId, stepId, stream, lines }) => {
      const job = get().build.jobs[jobId]
      if (!job) return
      job.log.append(stepId, stream, lines)
      if (!logTimers.has(jobId)) logTimers.set(jobId, setTimeout(() => flushLog(jobId), LOG_FLUSH_MS))
    },

    applyBuildDone: ({ jobId, record }) => {
      const job = get().build.jobs[jobId]
      if (!job) return
      flushLog(jobId)
      patchJob(jobId, () => ({ phase: 'succeeded', record, cancelling: false, error: null }))
      finished(job.dir)
    },

    applyBuildFailed: ({ jobId, error, cancelled, compileErrors, record }) => {
      const job = get().build.jobs[jobId]
      if (!job) return
      flushLog(jobId)
      patchJob(jobId, () => ({ phase: cancelled ? 'cancelled' : 'failed', error, compileErrors, record, cancelling: false }))
      finished(job.dir)
    },
  }
}

/** Subscribes the build slice to the host's build events. Returns the unsubscribers. */
export function subscribeBuilds(store: Pick<StoreApi<AppState>, 'getState'>): (() => void)[] {
  const s = store.getState
  return [
    on('build.step', (e) => s().applyBuildStep(e)),
    on('build.log', (e) => s().applyBuildLog(e)),
    on('build.done', (e) => s().applyBuildDone(e)),
    on('build.failed', (e) => s().applyBuildFailed(e)),
  ]
}
