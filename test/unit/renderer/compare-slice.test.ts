import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { create, type StoreApi, type UseBoundStore } from 'zustand'
import type { EventName, Events } from '../../../shared/contract'
import type { RpcEvent, RpcRequest, RpcResponse } from '../../../shared/rpc'
import type { WireError } from '../../../shared/errors'
import type { BuildStep, CompareResult, CompareRow } from '../../../shared/types/build'

// The slice is loaded by a computed path: its imports reach the renderer's DOM-typed client, which
// this Node-typed test project does not compile. What the test uses of it is typed here.
interface Job {
  jobId: string
  phase: string
  cancelling: boolean
  active: Record<string, { phase: string; buildJobId: string; steps: unknown[] }>
  rows: CompareRow[]
  failures: { base: string; error: WireError }[]
  result: CompareResult | null
}
interface CompareSlice {
  compare: { jobs: Record<string, Job>; selection: Record<string, string[]>; history: Record<string, unknown>; baseline: Record<string, string> }
  startCompare: (req: { dir: string; project: string; bases: string[] }) => Promise<void>
  cancelCompare: (dir: string) => void
  setCompareSelection: (dir: string, bases: string[]) => void
  setCompareBaseline: (dir: string, jobId: string | null) => void
}
interface SliceModule {
  createCompareSlice: (...a: unknown[]) => CompareSlice
  subscribeCompare: (store: { getState: () => CompareSlice }) => (() => void)[]
}
const SLICE = new URL('../../../renderer/src/stores/compare-slice.ts', import.meta.url).href

// The compare slice against a bridge that answers like the host and pushes events the way the
// host does: the same path the app takes, with the transport replaced at its one seam.

const requests: RpcRequest[] = []
const listeners = new Set<(e: RpcEvent) => void>()
let history: CompareResult[] = []
const bridge = {
  request: async (req: RpcRequest): Promise<RpcResponse> => {
    requests.push(req)
    if (req.method === 'compare.start') return { id: req.id, result: { jobId: (req.args[0] as { jobId: string }).jobId } }
    if (req.method === 'compare.cancel') return { id: req.id, result: true }
    if (req.method === 'compare.history') return { id: req.id, result: history }
    return { id: req.id, error: { name: 'BadRequest', message: `unexpected ${req.method}` } }
  },
  onEvent: (cb: (e: RpcEvent) => void) => {
    listeners.add(cb)
    return () => listeners.delete(cb)
  },
}
const push = <E extends EventName>(event: E, payload: Events[E]) => {
  for (const l of listeners) l({ event, payload } as RpcEvent)
}

let useStore: UseBoundStore<StoreApi<CompareSlice>>
let unsubscribe: (() => void)[] = []
const DIR = '/p/hello'

beforeAll(async () => {
  vi.stubGlobal('window', { bridge })
  const { createCompareSlice, subscribeCompare } = (await import(/* @vite-ignore */ SLICE)) as SliceModule
  // Only this slice: it reads nothing of the others.
  useStore = create<CompareSlice>()((...a) => createCompareSlice(...a))
  unsubscribe = subscribeCompare(useStore)
})
afterAll(() => {
  for (const u of unsubscribe) u()
  vi.unstubAllGlobals()
})
beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true)
  requests.length = 0
  history = []
})

const s = () => useStore.getState()
const row = (base: string, sizeBytes: number): CompareRow => ({
  base,
  baseImage: base,
  imageId: `sha256:${base}`,
  tag: `slipway/hello:${base}`,
  sizeBytes,
  compressedBytes: sizeBytes / 2,
  binaryBytes: 5_000_000,
  overheadBytes: sizeBytes - 5_000_000,
  layers: 2,
  hasShell: base === 'alpine',
  hasCaBundle: base !== 'scratch',
  hasTzData: false,
  packageManager: null,
  user: 'root',
  coldStartMs: null,
  coldStartNote: null,
  coldStartPending: true,
  verdict: 'from the host',
})
const step = (id: string, name: string, status: BuildStep['status']): BuildStep => ({
  id,
  index: 1,
  name,
  stage: null,
  internal: false,
  status,
  cached: false,
  startedAt: null,
  completedAt: null,
  current: 0,
  total: null,
  error: null,
  logLines: 0,
})

async function started(bases = ['scratch', 'alpine']): Promise<string> {
  await s().startCompare({ dir: DIR, project: 'hello', bases })
  const job = s().compare.jobs[DIR]
  if (!job) throw new Error('no job')
  return job.jobId
}

describe('compare slice', () => {
  it('names the job before asking, so the first events find it, and follows each base', async () => {
    const jobId = await started()
    const req = requests.find((r) => r.method === 'compare.start')
    expect(req?.args[0]).toEqual({ jobId, dir: DIR, bases: ['scratch', 'alpine'] })
    expect(s().compare.jobs[DIR]?.phase).toBe('running')

    push('compare.progress', { jobId, base: 'scratch', index: 0, total: 2, phase: 'building', buildJobId: 'b-scratch' })
    push('compare.progress', { jobId, base: 'alpine', index: 1, total: 2, phase: 'building', buildJobId: 'b-alpine' })
    push('build.step', { jobId: 'b-alpine', step: step('s1', '[build 3/5] RUN go build', 'running') })
    push('build.step', { jobId: 'b-alpine', step: step('s1', '[build 3/5] RUN go build', 'done') })
    push('build.step', { jobId: 'b-other', step: step('s9', 'not ours', 'running') })
    const job = s().compare.jobs[DIR]
    expect(Object.keys(job?.active ?? {})).toEqual(['scratch', 'alpine'])
    expect(job?.active.alpine?.steps).toEqual([{ id: 's1', index: 1, name: '[build 3/5] RUN go build', status: 'done', internal: false }])
    expect(job?.active.scratch?.steps).toEqual([])

    // Measuring keeps the build's steps; the row ends the base's activity.
    push('compare.progress', { jobId, base: 'alpine', index: 1, total: 2, phase: 'measuring', buildJobId: 'b-alpine' })
    expect(s().compare.jobs[DIR]?.active.alpine).toMatchObject({ phase: 'measuring', steps: [{ id: 's1' }] })
    push('compare.row', { jobId, row: row('alpine', 8_000_000) })
    expect(s().compare.jobs[DIR]?.active.alpine).toBeUndefined()
  })

  it('recomputes every verdict when a smaller base arrives later, and updates a row in place', async () => {
    const jobId = await started()
    push('compare.row', { jobId, row: row('alpine', 8_000_000) })
    expect(s().compare.jobs[DIR]?.rows[0]?.verdict).toMatch(/^alpine: the smallest/)
    push('compare.row', { jobId, row: row('scratch', 5_800_000) })
    const rows = s().compare.jobs[DIR]?.rows ?? []
    expect(rows.map((r) => r.verdict)).toEqual(['alpine: +2.2 MB over scratch for a CA bundle and a shell.', 'scratch: the smallest, 5.8 MB with nothing but the binary.'])
    // The cold start arrives as the same row again.
    push('compare.row', { jobId, row: { ...row('scratch', 5_800_000), coldStartMs: 412, coldStartNote: null, coldStartPending: false } })
    expect(s().compare.jobs[DIR]?.rows.filter((r) => r.base === 'scratch')).toMatchObject([{ coldStartMs: 412 }])
  })

  it('shows a failed build on its base before the comparison ends, ignores a cancelled one', async () => {
    const jobId = await started()
    push('compare.progress', { jobId, base: 'scratch', index: 0, total: 2, phase: 'building', buildJobId: 'b-scratch' })
    push('compare.progress', { jobId, base: 'alpine', index: 1, total: 2, phase: 'building', buildJobId: 'b-alpine' })
    const error = { name: 'BuildFailed' as const, message: 'go build failed' }
    push('build.failed', { jobId: 'b-alpine', error, cancelled: false, compileErrors: [], record: null })
    push('build.failed', { jobId: 'b-scratch', error, cancelled: true, compileErrors: [], record: null })
    const job = s().compare.jobs[DIR]
    expect(job?.failures).toEqual([{ base: 'alpine', error }])
    expect(Object.keys(job?.active ?? {})).toEqual(['scratch'])
  })

  it('settles on compare.done with the host’s result and reads the history again', async () => {
    const jobId = await started()
    const result: CompareResult = { jobId, dir: DIR, project: 'hello', finishedAt: 1, rows: [row('scratch', 5_800_000)], failures: [] }
    history = [result]
    push('compare.done', { jobId, result })
    const job = s().compare.jobs[DIR]
    expect(job).toMatchObject({ phase: 'succeeded', result, rows: result.rows, active: {} })
    await vi.waitFor(() => expect(s().compare.history[DIR]).toEqual({ results: [result], loading: false, error: null }))
    // Another job's events change nothing.
    push('compare.failed', { jobId: crypto.randomUUID(), error: { name: 'InternalError', message: 'x' }, cancelled: false })
    expect(s().compare.jobs[DIR]?.phase).toBe('succeeded')
  })

  it('cancels by job id once, and a cancelled comparison says so', async () => {
    const jobId = await started()
    s().cancelCompare(DIR)
    s().cancelCompare(DIR)
    expect(requests.filter((r) => r.method === 'compare.cancel').map((r) => r.args)).toEqual([[jobId]])
    expect(s().compare.jobs[DIR]?.cancelling).toBe(true)
    push('compare.failed', { jobId, error: { name: 'Cancelled', message: 'The comparison was cancelled.' }, cancelled: true })
    expect(s().compare.jobs[DIR]).toMatchObject({ phase: 'cancelled', cancelling: false })
    // A new comparison can start now; a second click while it runs does not start another.
    await started(['scratch'])
    await s().startCompare({ dir: DIR, project: 'hello', bases: ['alpine'] })
    expect(requests.filter((r) => r.method === 'compare.start')).toHaveLength(2)
  })

  it('after a reconnect, settles a comparison whose done event was lost, from the history', async () => {
    const jobId = await started()
    const result: CompareResult = { jobId, dir: DIR, project: 'hello', finishedAt: 2, rows: [row('alpine', 8_000_000)], failures: [] }
    history = [result]
    push('transport.open' as EventName, undefined as never)
    await vi.waitFor(() => expect(s().compare.jobs[DIR]?.phase).toBe('succeeded'))
    expect(s().compare.jobs[DIR]?.rows).toEqual(result.rows)
  })

  it('keeps the chosen bases and the earlier comparison per project', () => {
    s().setCompareSelection(DIR, ['scratch', 'debian-slim'])
    s().setCompareBaseline(DIR, 'earlier')
    expect(s().compare.selection[DIR]).toEqual(['scratch', 'debian-slim'])
    expect(s().compare.baseline).toEqual({ [DIR]: 'earlier' })
    s().setCompareBaseline(DIR, null)
    expect(s().compare.baseline).toEqual({})
  })
})
