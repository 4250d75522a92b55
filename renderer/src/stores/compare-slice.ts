import type { StateCreator, StoreApi } from 'zustand'
import type { Events } from '../../../shared/contract'
import { withVerdicts } from '../../../shared/build/compare'
import { toWireError, type WireError } from '../../../shared/errors'
import type { BuildStep, CompareResult, CompareRow, PreflightFinding } from '../../../shared/types/build'
import { call, on, onTransport } from '../api/client'
import type { AppState } from './app-state'
import { acceptOffers, offersOf, offerStore, type OfferMaking } from './make-offers'

export type ComparePhase = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One comparison as the renderer follows it, from the click to its one compare.done / compare.failed. */
export interface CompareJob {
  jobId: string
  dir: string
  project: string
  /** The bases asked for, in build order: the view reserves a row for each. */
  bases: string[]
  /** Epoch ms. */
  startedAt: number
  phase: ComparePhase
  cancelling: boolean
  /** The bases being built or measured now (the service builds them all at once), by base id. */
  active: Record<string, ActiveBase>
  rows: CompareRow[]
  failures: CompareResult['failures']
  result: CompareResult | null
  error: WireError | null
}

/** A base whose build or measurement runs: its build job and that build's steps (for the running step's name). */
export interface ActiveBase {
  phase: 'building' | 'measuring'
  buildJobId: string
  steps: Pick<BuildStep, 'id' | 'index' | 'name' | 'status' | 'internal'>[]
}

export interface CompareHistoryState {
  /** Newest first; null until read. */
  results: CompareResult[] | null
  loading: boolean
  error: WireError | null
}

/** Before a comparison starts: each chosen base's builder and base checked; ones that cannot be pulled offer to be made. */
export interface ComparePreflight {
  status: 'blocked'
  findings: PreflightFinding[]
  req: CompareAsk
  making: OfferMaking | null
}

export interface CompareAsk {
  dir: string
  project: string
  bases: string[]
  main?: string | undefined
}

export interface CompareSlice {
  compare: {
    /** A comparison refused before it started, with the offer to make what cannot be pulled, per project. */
    preflight: Record<string, ComparePreflight>
    /** The comparison each project (by its root folder) shows: the one started last in this window. */
    jobs: Record<string, CompareJob>
    /** The bases ticked per project; unset: the defaults. */
    selection: Record<string, string[]>
    history: Record<string, CompareHistoryState>
    /** The earlier comparison (its jobId) each project's numbers are set against, or unset. */
    baseline: Record<string, string>
  }
  setCompareSelection: (dir: string, bases: string[]) => void
  /** Starts a comparison of the chosen bases under a new job id; does nothing while one runs for the project. */
  startCompare: (req: CompareAsk) => Promise<void>
  /** Accepts the offer of a refused comparison: makes the bases, points Settings at them, then compares. */
  makeCompareOffer: (dir: string) => Promise<void>
  cancelCompareOffer: (dir: string) => void
  dismissComparePreflight: (dir: string) => void
  cancelCompare: (dir: string) => void
  loadCompareHistory: (dir: string) => Promise<void>
  /** Sets an earlier comparison (by jobId) to show deltas against; null clears it. */
  setCompareBaseline: (dir: string, jobId: string | null) => void
  applyCompareProgress: (e: Events['compare.progress']) => void
  applyCompareRow: (e: Events['compare.row']) => void
  applyCompareDone: (e: Events['compare.done']) => void
  applyCompareFailed: (e: Events['compare.failed']) => void
  applyCompareStep: (e: Events['build.step']) => void
  /** A base's build failed: its row says so before the comparison ends. */
  applyCompareBuildFailed: (e: Events['build.failed']) => void
  /** After a dropped connection: settles comparisons that ended while their events could not arrive. */
  syncCompares: () => Promise<void>
}

const live = (j: CompareJob | undefined) => j !== undefined && (j.phase === 'starting' || j.phase === 'running')

/** Rows carry verdicts against the smallest row so far: a smaller base arriving later changes the others'. */
function addRow(rows: readonly CompareRow[], row: CompareRow): CompareRow[] {
  const rest = rows.filter((r) => r.base !== row.base)
  return withVerdicts([...rest, row].map(({ verdict: _verdict, ...r }) => r))
}

export const createCompareSlice: StateCreator<AppState, [], [], CompareSlice> = (set, get) => {
  const byJob = (jobId: string): CompareJob | undefined => Object.values(get().compare.jobs).find((j) => j.jobId === jobId)
  const patchJob = (jobId: string, f: (j: CompareJob) => Partial<CompareJob>) =>
    set((s) => {
      const job = Object.values(s.compare.jobs).find((j) => j.jobId === jobId)
      if (!job) return s
      return { compare: { ...s.compare, jobs: { ...s.compare.jobs, [job.dir]: { ...job, ...f(job) } } } }
    })
  const patch = (p: Partial<CompareSlice['compare']>) => set((s) => ({ compare: { ...s.compare, ...p } }))
  /** Jobs the host was asked to start (before that, a cancel ends them here). */
  const sent = new Set<string>()
  const setPreflight = (dir: string, state: ComparePreflight | null) =>
    set((s) => {
      const preflight = { ...s.compare.preflight }
      if (state) preflight[dir] = state
      else delete preflight[dir]
      return { compare: { ...s.compare, preflight } }
    })

  return {
    compare: { jobs: {}, selection: {}, history: {}, baseline: {}, preflight: {} },

    setCompareSelection: (dir, bases) => patch({ selection: { ...get().compare.selection, [dir]: bases } }),

    startCompare: async (req) => {
      const { dir, project, bases, main } = req
      const pf = get().compare.preflight[dir]
      if (bases.length === 0 || live(get().compare.jobs[dir]) || (pf?.making && !pf.making.error)) return
      // The caller names the job and registers it before asking, so no event can arrive for an unknown id;
      // every chosen base has its row (and Compare is Cancel) from the first moment.
      const jobId = crypto.randomUUID()
      const before = get().compare.jobs[dir]
      const job: CompareJob = {
        jobId,
        dir,
        project,
        bases: [...bases],
        startedAt: Date.now(),
        phase: 'starting',
        cancelling: false,
        active: {},
        rows: [],
        failures: [],
        result: null,
        error: null,
      }
      patch({ jobs: { ...get().compare.jobs, [dir]: job } })
      setPreflight(dir, null)
      // A base or builder that cannot be pulled is said (and offered to be made) before anything builds.
      const findings = (await Promise.all(bases.map((base) => call('build.preflight', dir, { base, ...(main ? { main } : {}) }).catch(() => [])))).flat()
      // Cancelled while checking: it never started.
      if (get().compare.jobs[dir]?.jobId !== jobId || get().compare.jobs[dir]?.phase !== 'starting') return
      const seen = new Set<string>()
      // One offer per made base and what it is pointed at (several bases share the builder).
      const refused = findings.filter((f) => {
        if (f.level !== 'blocking' || !f.make) return false
        const key = `${f.make.base}\0${JSON.stringify(f.make.target)}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      if (refused.length > 0) {
        // Nothing started: the view shows what it showed before, with the offer above it.
        const jobs = { ...get().compare.jobs }
        if (before) jobs[dir] = before
        else delete jobs[dir]
        patch({ jobs })
        setPreflight(dir, { status: 'blocked', findings: refused, req, making: null })
        return
      }
      sent.add(jobId)
      try {
        await call('compare.start', { jobId, dir, bases, ...(main ? { main } : {}) })
        patchJob(jobId, (j) => (j.phase === 'starting' ? { phase: 'running' } : {}))
      } catch (e) {
        patchJob(jobId, (j) => (live(j) ? { phase: 'failed', error: toWireError(e), cancelling: false } : {}))
      }
    },

    makeCompareOffer: async (dir) => {
      const blocked = get().compare.preflight[dir]
      if (!blocked || (blocked.making && !blocked.making.error)) return
      const offers = offersOf(blocked.findings)
      if (offers.length === 0) return
      const jobId = crypto.randomUUID()
      const view = {
        current: () => {
          const pf = get().compare.preflight[dir]
          return pf?.making?.jobId === jobId ? pf : null
        },
        put: (pf: ComparePreflight) => setPreflight(dir, pf),
      }
      if (!(await acceptOffers(blocked, offers, jobId, view, offerStore(get)))) return
      setPreflight(dir, null)
      await get().startCompare(blocked.req)
    },

    cancelCompareOffer: (dir) => {
      const pf = get().compare.preflight[dir]
      if (!pf?.making || pf.making.cancelling || pf.making.error) return
      setPreflight(dir, { ...pf, making: { ...pf.making, cancelling: true } })
      void call('bases.cancel', pf.making.jobId).catch(() => false)
    },

    dismissComparePreflight: (dir) => setPreflight(dir, null),

    cancelCompare: (dir) => {
      const job = get().compare.jobs[dir]
      if (!job || !live(job) || job.cancelling) return
      // Still checking the bases: the host has not heard of it, so it ends here.
      if (!sent.has(job.jobId)) return patchJob(job.jobId, () => ({ phase: 'cancelled' }))
      patchJob(job.jobId, () => ({ cancelling: true }))
      void call('compare.cancel', job.jobId).then(
        (found) => {
          // Not running any more: it ended meanwhile, and its own event says how.
          if (!found) patchJob(job.jobId, () => ({ cancelling: false }))
        },
        () => patchJob(job.jobId, () => ({ cancelling: false })),
      )
    },

    loadCompareHistory: async (dir) => {
      const prev = get().compare.history[dir]
      const put = (h: CompareHistoryState) => set((s) => ({ compare: { ...s.compare, history: { ...s.compare.history, [dir]: h } } }))
      put({ results: prev?.results ?? null, loading: true, error: null })
      try {
        put({ results: await call('compare.history', dir), loading: false, error: null })
      } catch (e) {
        put({ results: prev?.results ?? null, loading: false, error: toWireError(e) })
      }
    },

    setCompareBaseline: (dir, jobId) => {
      const baseline = { ...get().compare.baseline }
      if (jobId) baseline[dir] = jobId
      else delete baseline[dir]
      patch({ baseline })
    },

    applyCompareProgress: (e) => {
      if (!byJob(e.jobId)) return
      patchJob(e.jobId, (j) => {
        const was = j.active[e.base]
        // Measuring keeps the finished build's steps; a new build starts with none.
        const steps = was?.buildJobId === e.buildJobId ? was.steps : []
        return { active: { ...j.active, [e.base]: { phase: e.phase, buildJobId: e.buildJobId, steps } }, ...(j.phase === 'starting' ? { phase: 'running' as const } : {}) }
      })
    },

    applyCompareStep: ({ jobId, step }) => {
      const job = Object.values(get().compare.jobs).find((j) => live(j) && Object.values(j.active).some((a) => a.buildJobId === jobId))
      if (!job) return
      const slim = { id: step.id, index: step.index, name: step.name, status: step.status, internal: step.internal }
      patchJob(job.jobId, (j) => {
        const entry = Object.entries(j.active).find(([, a]) => a.buildJobId === jobId)
        if (!entry) return {}
        const [base, a] = entry
        const i = a.steps.findIndex((x) => x.id === step.id)
        const steps = i >= 0 ? a.steps.map((x, k) => (k === i ? slim : x)) : [...a.steps, slim]
        return { active: { ...j.active, [base]: { ...a, steps } } }
      })
    },

    applyCompareBuildFailed: ({ jobId, error, cancelled }) => {
      if (cancelled) return
      const job = Object.values(get().compare.jobs).find((j) => live(j) && Object.values(j.active).some((a) => a.buildJobId === jobId))
      if (!job) return
      patchJob(job.jobId, (j) => {
        const base = Object.entries(j.active).find(([, a]) => a.buildJobId === jobId)?.[0]
        if (!base || j.failures.some((f) => f.base === base)) return {}
        const active = { ...j.active }
        delete active[base]
        return { active, failures: [...j.failures, { base, error }] }
      })
    },

    applyCompareRow: ({ jobId, row }) => {
      if (!byJob(jobId)) return
      patchJob(jobId, (j) => {
        // Its row is in: the base is built and measured (a later row for it only adds the cold start).
        const active = { ...j.active }
        delete active[row.base]
        return { rows: addRow(j.rows, row), active }
      })
    },

    applyCompareDone: ({ jobId, result }) => {
      const job = byJob(jobId)
      if (!job) return
      patchJob(jobId, () => ({ phase: 'succeeded', result, rows: result.rows, failures: result.failures, active: {}, cancelling: false, error: null }))
      void get().loadCompareHistory(job.dir)
    },

    applyCompareFailed: ({ jobId, error, cancelled }) => {
      const job = byJob(jobId)
      if (!job) return
      patchJob(jobId, () => ({ phase: cancelled ? 'cancelled' : 'failed', error, active: {}, cancelling: false }))
      void get().loadCompareHistory(job.dir)
    },

    syncCompares: async () => {
      for (const job of Object.values(get().compare.jobs)) {
        if (job.phase !== 'running') continue
        await get().loadCompareHistory(job.dir)
        // compare.done was missed: the history has the result under the same job id.
        const result = get().compare.history[job.dir]?.results?.find((r) => r.jobId === job.jobId)
        if (result) patchJob(job.jobId, () => ({ phase: 'succeeded', result, rows: result.rows, failures: result.failures, active: {}, cancelling: false }))
      }
    },
  }
}

/** Subscribes the compare slice to the host's compare events (and its builds' steps). Returns the unsubscribers. */
export function subscribeCompare(store: Pick<StoreApi<AppState>, 'getState'>): (() => void)[] {
  const s = store.getState
  return [
    on('compare.progress', (e) => s().applyCompareProgress(e)),
    on('compare.row', (e) => s().applyCompareRow(e)),
    on('compare.done', (e) => s().applyCompareDone(e)),
    on('compare.failed', (e) => s().applyCompareFailed(e)),
    on('build.step', (e) => s().applyCompareStep(e)),
    on('build.failed', (e) => s().applyCompareBuildFailed(e)),
    onTransport((e) => {
      if (e === 'transport.open') void s().syncCompares()
    }),
  ]
}
