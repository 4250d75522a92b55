import type { StateCreator, StoreApi } from 'zustand'
import type { Events } from '../../../shared/contract'
import { toWireError, type WireError } from '../../../shared/errors'
import type { RunLogLine, RunningContainer, RunRequest } from '../../../shared/types/build'
import { call, on } from '../api/client'
import type { AppState } from './app-state'

/** The lines of one container as the panel shows them. */
export interface ContainerLogs {
  status: 'loading' | 'ready' | 'failed'
  lines: RunLogLine[]
  /** The seq the next streamed line must carry; lines below it are already here. */
  next: number
  /** Lines dropped from the front to keep the view bounded. */
  dropped: number
  /** run.log events that arrived while the backlog was being fetched. */
  early: Events['run.log'][]
  error: WireError | null
}

export interface RunSlice {
  run: {
    /** Containers Slipway started; null until first listed. */
    containers: RunningContainer[] | null
    listError: WireError | null
    /** Logs of the containers a panel follows, by id. */
    logs: Record<string, ContainerLogs>
  }
  loadContainers: () => Promise<void>
  /** Starts a container; rejects with the host's error (the dialog shows it). */
  startRun: (req: RunRequest) => Promise<RunningContainer>
  stopRun: (id: string) => Promise<void>
  removeRun: (id: string) => Promise<void>
  /** Fetches a container's kept lines and follows its stream from there. */
  followLogs: (id: string) => Promise<void>
  unfollowLogs: (id: string) => void
}

/** The panel keeps this many lines; older ones are dropped from the front (the engine keeps them all). */
export const MAX_LOG_LINES = 20_000

const upsert = (list: RunningContainer[] | null, c: RunningContainer): RunningContainer[] => {
  const rest = (list ?? []).filter((x) => x.id !== c.id)
  return c.state === 'removed' ? rest : [c, ...rest].sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || (b.startedAt ?? 0) - (a.startedAt ?? 0))
}

/** Appends streamed lines that are not already there (by seq), keeping the view bounded. */
function append(logs: ContainerLogs, e: Events['run.log']): ContainerLogs {
  const skip = logs.next - e.seq
  if (skip >= e.lines.length) return logs
  const fresh = e.lines.slice(Math.max(0, skip)).map((line) => ({ stream: e.stream, line }))
  let lines = logs.lines.concat(fresh)
  let dropped = logs.dropped
  if (lines.length > MAX_LOG_LINES) {
    dropped += lines.length - MAX_LOG_LINES
    lines = lines.slice(lines.length - MAX_LOG_LINES)
  }
  return { ...logs, lines, dropped, next: Math.max(logs.next, e.seq + e.lines.length) }
}

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  const setLogs = (id: string, f: (l: ContainerLogs | undefined) => ContainerLogs | undefined) =>
    set((s) => {
      const next = f(s.run.logs[id])
      const logs = { ...s.run.logs }
      if (next) logs[id] = next
      else delete logs[id]
      return { run: { ...s.run, logs } }
    })

  return {
    run: { containers: null, listError: null, logs: {} },

    loadContainers: async () => {
      try {
        const containers = await call('run.list')
        set((s) => ({ run: { ...s.run, containers, listError: null } }))
      } catch (e) {
        set((s) => ({ run: { ...s.run, listError: toWireError(e) } }))
      }
    },

    startRun: async (req) => {
      const c = await call('run.start', req)
      set((s) => ({ run: { ...s.run, containers: upsert(s.run.containers, c) } }))
      return c
    },

    stopRun: async (id) => {
      const c = await call('run.stop', id)
      set((s) => ({ run: { ...s.run, containers: upsert(s.run.containers, c) } }))
    },

    removeRun: async (id) => {
      await call('run.remove', id)
      set((s) => ({ run: { ...s.run, containers: (s.run.containers ?? []).filter((c) => c.id !== id) } }))
      get().unfollowLogs(id)
    },

    followLogs: async (id) => {
      const current = get().run.logs[id]
      if (current && current.status !== 'failed') return
      setLogs(id, () => ({ status: 'loading', lines: [], next: 0, dropped: 0, early: [], error: null }))
      try {
        const kept = await call('run.logs', id)
        setLogs(id, (l) => {
          if (!l) return l // unfollowed meanwhile
          let logs: ContainerLogs = { status: 'ready', lines: kept.lines, next: kept.next, dropped: 0, early: [], error: null }
          for (const e of l.early) logs = append(logs, e)
          return logs
        })
      } catch (e) {
        setLogs(id, (l) => l && { ...l, status: 'failed', early: [], error: toWireError(e) })
      }
    },

    unfollowLogs: (id) => setLogs(id, () => undefined),
  }
}

/** Subscribes the run slice to run.log / run.state, and lists the containers again after an engine outage. */
export function subscribeRuns(store: Pick<StoreApi<AppState>, 'getState' | 'setState' | 'subscribe'>): (() => void)[] {
  return [
    on('run.log', (e) =>
      store.setState((s) => {
        const logs = s.run.logs[e.containerId]
        if (!logs) return s // no panel follows it
        const next = logs.status === 'loading' ? { ...logs, early: [...logs.early, e] } : append(logs, e)
        return { run: { ...s.run, logs: { ...s.run.logs, [e.containerId]: next } } }
      }),
    ),
    on('run.state', (c) => store.setState((s) => ({ run: { ...s.run, containers: upsert(s.run.containers, c) } }))),
    store.subscribe((s, prev) => {
      if (s.engine.state?.status === 'connected' && prev.engine.state?.status !== 'connected' && s.run.containers !== null) void s.loadContainers()
    }),
  ]
}
