import type { StateCreator, StoreApi } from 'zustand'
import type { Events } from '../../../shared/contract'
import { toWireError, type WireError } from '../../../shared/errors'
import type { StackLogChunk, StackProposal, StackService, StackStatus } from '../../../shared/stack/types'
import type { BuildStep } from '../../../shared/types/build'
import { call, on } from '../api/client'
import { newJobId } from '../features/build/build-model'
import type { StackLogLine } from '../features/stacks/stack-model'
import type { AppState } from './app-state'

/** One Up as the page follows it: from the click to its one stack.done or stack.failed. */
export interface StackJob {
  jobId: string
  dir: string
  /** The compose project, once the first event names it. */
  project: string | null
  phase: 'starting' | 'done' | 'failed'
  cancelling: boolean
  cancelled: boolean
  /** Where the job is (preparing, building the app image, pulling, starting, waiting for healthy). */
  progress: Omit<Events['stack.progress'], 'jobId' | 'project'> | null
  /** The steps of the build Up started for the app image (by step id), while it runs. */
  buildSteps: Record<string, Pick<BuildStep, 'name' | 'status' | 'internal'>>
  /** The latest state of each service while it comes up, by service name. */
  services: Record<string, StackService>
  error: WireError | null
  notices: string[]
  /** Epoch ms. */
  startedAt: number
  endedAt: number | null
}

/** The merged output of the stack the page shows (one followed at a time). */
export interface StackLogs {
  dir: string
  streamId: string | null
  status: 'loading' | 'ready' | 'failed'
  lines: StackLogLine[]
  /** The seq the next streamed line must carry; lines below it are already here. */
  next: number
  /** Lines dropped from the front to keep the view bounded. */
  dropped: number
  /** stack.log chunks that arrived before stack.follow answered with their stream id. */
  early: StackLogChunk[]
  error: WireError | null
}

export interface ProposalState {
  value: StackProposal | null
  loading: boolean
  error: WireError | null
}

/** What a person chose in the proposal before pressing Up. */
export interface StackUpChoices {
  postgresImage?: string | undefined
  hostPort?: number | undefined
  dbHostPort?: number | undefined
  env?: Record<string, string> | undefined
  base?: string | undefined
  initdb?: string[] | undefined
  useProjectCompose?: boolean | undefined
  /** The SHA-256 of the project's compose file as the person reviewed it: Up refuses one that changed since. */
  projectComposeDigest?: string | undefined
}

/** An action on a stack that is not a job: Down, Down and delete data, Restart one service. */
export type StackAction = { kind: 'down' } | { kind: 'delete' } | { kind: 'restart'; service: string }

export interface StacksSlice {
  stacks: {
    /** Every Slipway stack on the engine (and defined ones without containers); null until first listed. */
    list: StackStatus[] | null
    listLoading: boolean
    listError: WireError | null
    /** The latest status of each stack the page looked at, by project folder. */
    status: Record<string, StackStatus>
    statusError: Record<string, WireError>
    /** The stack the page shows (a project folder); null: the open project's. */
    selected: string | null
    proposals: Record<string, ProposalState>
    /** The last Up of each stack, by project folder. */
    jobs: Record<string, StackJob>
    /** An action running on a stack, by project folder. */
    busy: Record<string, StackAction>
    actionError: Record<string, WireError>
    logs: StackLogs | null
  }
  loadStacks: () => Promise<void>
  loadStack: (dir: string) => Promise<void>
  proposeStack: (dir: string, opts?: { postgresImage?: string | undefined; base?: string | undefined }) => Promise<void>
  /** Starts an Up job; its progress arrives as events. Refusals (busy, bad port) end the job at once with the error. */
  upStack: (dir: string, choices: StackUpChoices) => Promise<void>
  cancelStack: (dir: string) => void
  /** Down (keeps the data), Down and delete data (after the page asked), or restart one service. */
  stackAction: (dir: string, action: StackAction) => Promise<void>
  selectStack: (dir: string | null) => void
  /** Follows the merged output of one stack (and stops following the previous one). */
  followStack: (dir: string) => Promise<void>
  unfollowStack: () => void
  /** Puts away the error shown for a stack (the last Up's or the last action's). */
  clearStackError: (dir: string) => void
}

/** The log keeps this many lines; older ones are dropped from the front (the engine keeps them all). */
export const MAX_STACK_LOG_LINES = 20_000
/** How many lines of each service a newly followed stack starts with. */
const TAIL = 500

/** Appends a chunk's lines that are not already there (by seq), keeping the view bounded. */
function append(logs: StackLogs, e: StackLogChunk): StackLogs {
  const skip = logs.next - e.seq
  if (skip >= e.lines.length) return logs
  const fresh = e.lines.slice(Math.max(0, skip)).map((line) => ({ service: e.service, stream: e.stream, line }))
  let lines = logs.lines.concat(fresh)
  let dropped = logs.dropped
  if (lines.length > MAX_STACK_LOG_LINES) {
    dropped += lines.length - MAX_STACK_LOG_LINES
    lines = lines.slice(lines.length - MAX_STACK_LOG_LINES)
  }
  return { ...logs, lines, dropped, next: Math.max(logs.next, e.seq + e.lines.length) }
}

const withStatus = (list: StackStatus[] | null, st: StackStatus): StackStatus[] | null => {
  if (!list) return list
  const i = list.findIndex((x) => x.project === st.project)
  if (i < 0) return [...list, st]
  const next = list.slice()
  next[i] = st
  return next
}

const without = <T>(rec: Record<string, T>, key: string): Record<string, T> => {
  if (!(key in rec)) return rec
  const next = { ...rec }
  delete next[key]
  return next
}

export const createStacksSlice: StateCreator<AppState, [], [], StacksSlice> = (set, get) => {
  type S = StacksSlice['stacks']
  const patch = (f: (s: S) => Partial<S>) => set((st) => ({ stacks: { ...st.stacks, ...f(st.stacks) } }))
  const setStatus = (status: StackStatus) =>
    patch((s) => ({ status: { ...s.status, [status.dir]: status }, statusError: without(s.statusError, status.dir), list: withStatus(s.list, status) }))
  const setJob = (dir: string, f: (j: StackJob) => StackJob) =>
    patch((s) => {
      const j = s.jobs[dir]
      return j ? { jobs: { ...s.jobs, [dir]: f(j) } } : {}
    })

  return {
    stacks: { list: null, listLoading: false, listError: null, status: {}, statusError: {}, selected: null, proposals: {}, jobs: {}, busy: {}, actionError: {}, logs: null },

    loadStacks: async () => {
      patch(() => ({ listLoading: true }))
      try {
        const list = await call('stack.list')
        patch((s) => {
          const status = { ...s.status }
          for (const st of list) status[st.dir] = st
          return { list, listLoading: false, listError: null, status }
        })
      } catch (e) {
        patch(() => ({ listLoading: false, listError: toWireError(e) }))
      }
    },

    loadStack: async (dir) => {
      try {
        setStatus(await call('stack.status', dir))
      } catch (e) {
        patch((s) => ({ statusError: { ...s.statusError, [dir]: toWireError(e) } }))
      }
    },

    proposeStack: async (dir, opts = {}) => {
      patch((s) => ({ proposals: { ...s.proposals, [dir]: { value: s.proposals[dir]?.value ?? null, loading: true, error: null } } }))
      const args = { ...(opts.postgresImage ? { postgresImage: opts.postgresImage } : {}), ...(opts.base ? { base: opts.base } : {}) }
      try {
        const value = await call('stack.propose', dir, args)
        patch((s) => ({ proposals: { ...s.proposals, [dir]: { value, loading: false, error: null } } }))
      } catch (e) {
        patch((s) => ({ proposals: { ...s.proposals, [dir]: { value: s.proposals[dir]?.value ?? null, loading: false, error: toWireError(e) } } }))
      }
    },

    upStack: async (dir, choices) => {
      const jobId = newJobId()
      const job: StackJob = { jobId, dir, project: null, phase: 'starting', cancelling: false, cancelled: false, progress: null, buildSteps: {}, services: {}, error: null, notices: [], startedAt: Date.now(), endedAt: null }
      patch((s) => ({ jobs: { ...s.jobs, [dir]: job }, actionError: without(s.actionError, dir) }))
      const req = {
        jobId,
        dir,
        ...(choices.postgresImage ? { postgresImage: choices.postgresImage } : {}),
        ...(choices.hostPort ? { hostPort: choices.hostPort } : {}),
        ...(choices.dbHostPort ? { dbHostPort: choices.dbHostPort } : {}),
        ...(choices.env ? { env: choices.env } : {}),
        ...(choices.base ? { base: choices.base } : {}),
        ...(choices.initdb?.length ? { initdb: choices.initdb } : {}),
        ...(choices.useProjectCompose ? { useProjectCompose: true } : {}),
        ...(choices.useProjectCompose && choices.projectComposeDigest ? { projectComposeDigest: choices.projectComposeDigest } : {}),
      }
      try {
        await call('stack.up', req)
      } catch (e) {
        // Refused before it started (another job on the stack, a bad argument): no event will come.
        setJob(dir, (j) => (j.jobId === jobId && j.phase === 'starting' ? { ...j, phase: 'failed', error: toWireError(e), endedAt: Date.now() } : j))
      }
    },

    cancelStack: (dir) => {
      const job = get().stacks.jobs[dir]
      if (!job || job.phase !== 'starting' || job.cancelling) return
      setJob(dir, (j) => ({ ...j, cancelling: true }))
      void call('stack.cancel', job.jobId).catch(() => setJob(dir, (j) => ({ ...j, cancelling: false })))
    },

    stackAction: async (dir, action) => {
      if (get().stacks.busy[dir]) return
      patch((s) => ({ busy: { ...s.busy, [dir]: action }, actionError: without(s.actionError, dir) }))
      try {
        const status =
          action.kind === 'restart' ? await call('stack.restart', dir, action.service) : await call('stack.down', dir, action.kind === 'delete' ? { removeVolumes: true } : {})
        setStatus(status)
        if (action.kind !== 'restart') void get().proposeStack(dir)
      } catch (e) {
        patch((s) => ({ actionError: { ...s.actionError, [dir]: toWireError(e) } }))
      } finally {
        patch((s) => ({ busy: without(s.busy, dir) }))
      }
    },

    selectStack: (dir) => patch(() => ({ selected: dir })),

    followStack: async (dir) => {
      const current = get().stacks.logs
      if (current?.dir === dir && current.status !== 'failed') return
      get().unfollowStack()
      patch(() => ({ logs: { dir, streamId: null, status: 'loading', lines: [], next: 0, dropped: 0, early: [], error: null } }))
      try {
        const { streamId } = await call('stack.follow', dir, { tail: TAIL })
        const logs = get().stacks.logs
        if (logs?.dir !== dir || logs.streamId !== null) {
          // Another stack was chosen meanwhile: this stream is nobody's.
          void call('stack.unfollow', streamId).catch(() => undefined)
          return
        }
        let next: StackLogs = { ...logs, streamId, status: 'ready', early: [] }
        for (const e of logs.early) if (e.streamId === streamId) next = append(next, e)
        patch(() => ({ logs: next }))
      } catch (e) {
        patch((s) => (s.logs?.dir === dir ? { logs: { ...s.logs, status: 'failed', early: [], error: toWireError(e) } } : {}))
      }
    },

    unfollowStack: () => {
      const logs = get().stacks.logs
      if (!logs) return
      if (logs.streamId) void call('stack.unfollow', logs.streamId).catch(() => undefined)
      patch(() => ({ logs: null }))
    },

    clearStackError: (dir) =>
      patch((s) => {
        const job = s.jobs[dir]
        return { actionError: without(s.actionError, dir), ...(job?.error ? { jobs: { ...s.jobs, [dir]: { ...job, error: null } } } : {}) }
      }),
  }
}

/** The job an event is for, by its id. */
const jobOf = (s: AppState, jobId: string): StackJob | undefined => Object.values(s.stacks.jobs).find((j) => j.jobId === jobId)

/**
 * Subscribes the stacks slice to the stack jobs' events, the followed log, and the engine's
 * container events: a compose project's container that changes (Slipway's or a person's own
 * `docker compose`) refreshes that stack, so the page stays live whoever drives it.
 */
export function subscribeStacks(store: Pick<StoreApi<AppState>, 'getState' | 'setState' | 'subscribe'>): (() => void)[] {
  const s = store.getState
  const set = (f: (st: AppState['stacks']) => Partial<AppState['stacks']>) => store.setState((st) => ({ stacks: { ...st.stacks, ...f(st.stacks) } }))
  const updateJob = (jobId: string, f: (j: StackJob) => StackJob) =>
    set((st) => {
      const j = Object.values(st.jobs).find((x) => x.jobId === jobId)
      return j ? { jobs: { ...st.jobs, [j.dir]: f(j) } } : {}
    })

  // Engine events come in bursts (create, start, health_status…): refresh each stack once per burst.
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  let listTimer: ReturnType<typeof setTimeout> | null = null
  const refreshLater = (project: string) => {
    const known = Object.values(s().stacks.status).find((x) => x.project === project) ?? s().stacks.list?.find((x) => x.project === project)
    if (known) {
      if (timers.has(known.dir)) return
      timers.set(
        known.dir,
        setTimeout(() => {
          timers.delete(known.dir)
          void s().loadStack(known.dir)
        }, 250),
      )
    } else if (s().stacks.list !== null && !listTimer) {
      // A stack the page has not seen (started from the CLI or by hand): list again.
      listTimer = setTimeout(() => {
        listTimer = null
        void s().loadStacks()
      }, 400)
    }
  }

  return [
    on('stack.service', (e: Events['stack.service']) =>
      updateJob(e.jobId, (j) => ({ ...j, project: e.project, services: { ...j.services, [e.service.service]: e.service } })),
    ),
    on('stack.progress', ({ jobId, project, ...progress }) => updateJob(jobId, (j) => ({ ...j, project, progress }))),
    // The build an Up runs first streams as any build: count its steps for the page.
    on('build.step', (e) =>
      set((st) => {
        const j = Object.values(st.jobs).find((x) => x.phase === 'starting' && x.progress?.buildJobId === e.jobId)
        if (!j) return {}
        const step = { name: e.step.name, status: e.step.status, internal: e.step.internal }
        return { jobs: { ...st.jobs, [j.dir]: { ...j, buildSteps: { ...j.buildSteps, [e.step.id]: step } } } }
      }),
    ),
    on('stack.done', (e) => {
      const job = jobOf(s(), e.jobId)
      updateJob(e.jobId, (j) => ({ ...j, phase: 'done', cancelling: false, progress: null, notices: e.notices, endedAt: Date.now(), project: e.status.project }))
      if (job) {
        set((st) => ({ status: { ...st.status, [e.status.dir]: e.status }, list: withStatus(st.list, e.status) }))
        void s().proposeStack(job.dir)
      }
    }),
    on('stack.failed', (e) => {
      const job = jobOf(s(), e.jobId)
      updateJob(e.jobId, (j) => ({ ...j, phase: 'failed', cancelling: false, progress: null, cancelled: e.cancelled, error: e.cancelled ? null : e.error, endedAt: Date.now() }))
      if (job && e.status) {
        const status = e.status
        set((st) => ({ status: { ...st.status, [status.dir]: status }, list: withStatus(st.list, status) }))
      }
    }),
    on('stack.log', (e) =>
      set((st) => {
        const logs = st.logs
        if (!logs) return {}
        if (logs.streamId === null) return logs.status === 'loading' && logs.early.length < 5000 ? { logs: { ...logs, early: [...logs.early, e] } } : {}
        return logs.streamId === e.streamId ? { logs: append(logs, e) } : {}
      }),
    ),
    on('engine.event', (e) => {
      if (e.type === 'container' && e.project) refreshLater(e.project)
    }),
    // After an engine outage, read again what the page shows.
    store.subscribe((st, prev) => {
      if (st.engine.state?.status === 'connected' && prev.engine.state?.status !== 'connected' && st.stacks.list !== null) void st.loadStacks()
    }),
    () => {
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
      if (listTimer) clearTimeout(listTimer)
    },
  ]
}
