import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { create, type StoreApi, type UseBoundStore } from 'zustand'
import type { EventName, Events } from '../../../shared/contract'
import { type MakeOffer } from '../../../shared/debian/stand-ins'
import type { RpcEvent, RpcRequest, RpcResponse } from '../../../shared/rpc'
import type { PreflightFinding } from '../../../shared/types/build'

// The build slice's "make it locally" against a bridge that answers like the host and pushes the
// bases.* events the way it does: the path the app takes, with the transport replaced at its seam.
// What the test uses of the slice is typed here (its imports reach the renderer's DOM-typed client).
interface Making {
  jobId: string
  progress: { message: string } | null
  cancelling: boolean
  error: { message: string } | null
}
type Preflight = { status: 'checking' } | { status: 'blocked'; findings: PreflightFinding[]; making: Making | null } | { status: 'failed' }
interface State {
  build: { preflight: Record<string, Preflight>; shown: Record<string, string>; jobs: Record<string, { phase: string }> }
  startBuild: (req: { dir: string; base?: string; builderImage?: string }) => Promise<void>
  makeOfferedBases: (dir: string) => Promise<void>
  cancelOfferedBases: (dir: string) => void
}
const SLICE = new URL('../../../renderer/src/stores/build-slice.ts', import.meta.url).href

const DIR = '/p/hello'
const requests: RpcRequest[] = []
const listeners = new Set<(e: RpcEvent) => void>()
let settings: { customBases: unknown[]; builderImage: string | null }
let preflightAnswers: PreflightFinding[][] = []
const recipeSet: unknown[] = []

const bridge = {
  request: async (req: RpcRequest): Promise<RpcResponse> => {
    requests.push(req)
    const ok = (result: unknown): RpcResponse => ({ id: req.id, result })
    switch (req.method) {
      case 'build.preflight':
        return ok(preflightAnswers.shift() ?? [])
      case 'build.start':
        return ok({ jobId: (req.args[0] as { jobId: string }).jobId })
      case 'bases.make':
        return ok({ jobId: req.args[0] })
      case 'bases.cancel':
        return ok(true)
      case 'settings.get':
        return ok({ settings })
      case 'settings.update':
        settings = { ...settings, ...(req.args[0] as object) }
        return ok(settings)
      default:
        return { id: req.id, error: { name: 'BadRequest', message: `unexpected ${req.method}` } }
    }
  },
  onEvent: (cb: (e: RpcEvent) => void) => {
    listeners.add(cb)
    return () => listeners.delete(cb)
  },
}
const push = <E extends EventName>(event: E, payload: Events[E]) => {
  for (const l of listeners) l({ event, payload } as RpcEvent)
}

let useStore: UseBoundStore<StoreApi<State>>
beforeAll(async () => {
  vi.stubGlobal('window', { bridge })
  const { createBuildSlice } = (await import(/* @vite-ignore */ SLICE)) as { createBuildSlice: (...a: unknown[]) => State }
  // The build slice, plus what it reads of the others.
  useStore = create<State>()((...a) => ({
    ...createBuildSlice(...a),
    madeBases: { list: null },
    loadMadeBases: async () => undefined,
    loadSettingsForm: async () => undefined,
    // As the bases slice's own: the saved settings become the project's.
    adoptSettings: (saved: unknown) => (a[0] as (f: (st: State) => Partial<State>) => void)((st) => ({ project: { ...(st as unknown as { project: object }).project, settings: saved } }) as Partial<State>),
    setRecipe: (p: unknown) => recipeSet.push(p),
    project: { settings: null },
    compare: { jobs: {} },
  }))
})
afterAll(() => vi.unstubAllGlobals())
beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true)
  requests.length = 0
  recipeSet.length = 0
  settings = { customBases: [{ id: 'alpine', basedOn: 'alpine', image: 'mirror.example/alpine:3.20' }], builderImage: null }
  preflightAnswers = []
})

const s = () => useStore.getState()
const pf = () => s().build.preflight[DIR]
const making = () => (pf() as { making?: Making | null } | undefined)?.making ?? null
const calls = (m: string) => requests.filter((r) => r.method === m)

const staticOffer: MakeOffer = {
  base: 'static',
  label: 'Static (distroless-like)',
  image: 'slipway-made/static:bookworm',
  present: false,
  downloadBytes: 500_000,
  imageBytes: 1_540_000,
  mirror: 'deb.debian.org',
  suite: 'bookworm',
  target: { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' },
}
const golangOffer: MakeOffer = { ...staticOffer, base: 'golang', label: 'Go builder', image: 'slipway-made/golang:bookworm', present: true, target: { kind: 'builder' } }
const refused = (make: MakeOffer, code: PreflightFinding['code'] = 'base-missing'): PreflightFinding => ({ level: 'blocking', code, message: `${make.image} cannot be pulled`, detail: '', make })

async function blocked(findings: PreflightFinding[], req: { builderImage?: string } = {}): Promise<void> {
  preflightAnswers = [findings]
  await s().startBuild({ dir: DIR, base: 'distroless-static', ...req })
  expect(pf()).toMatchObject({ status: 'blocked', making: null })
}

describe('make it locally, in the build view', () => {
  it('makes the base with progress, points the setting at it as Use does, then builds', async () => {
    await blocked([refused(staticOffer)])
    expect(calls('build.start')).toHaveLength(0)
    const accepted = s().makeOfferedBases(DIR)
    await vi.waitFor(() => expect(calls('bases.make')).toHaveLength(1))
    const [jobId, ids] = calls('bases.make')[0]?.args as [string, string[]]
    expect(ids).toEqual(['static'])
    push('bases.progress', { jobId, base: 'static', phase: 'downloading', done: 1, total: 2, message: 'Downloading 2 packages' })
    push('bases.progress', { jobId: 'someone-else', base: 'static', phase: 'loading', done: 0, total: 1, message: 'not ours' })
    expect(making()).toMatchObject({ jobId, progress: { message: 'Downloading 2 packages' }, error: null })
    // The Build buttons do nothing meanwhile: the build starts by itself afterwards.
    await s().startBuild({ dir: DIR, base: 'distroless-static' })
    expect(calls('build.preflight')).toHaveLength(1)
    push('bases.done', { jobId, made: [], notices: [] })
    await accepted
    expect(settings.customBases).toEqual([
      { id: 'alpine', basedOn: 'alpine', image: 'mirror.example/alpine:3.20' },
      { id: 'distroless-static', basedOn: 'distroless-static', image: 'slipway-made/static:bookworm' },
    ])
    expect(calls('build.preflight')).toHaveLength(2)
    expect(calls('build.start').map((r) => (r.args[0] as { base: string }).base)).toEqual(['distroless-static'])
    expect(pf()).toBeUndefined()
  })

  it('Cancel puts the offer back as it was: nothing pointed at, nothing built', async () => {
    await blocked([refused(staticOffer)])
    const accepted = s().makeOfferedBases(DIR)
    await vi.waitFor(() => expect(calls('bases.make')).toHaveLength(1))
    const jobId = making()?.jobId as string
    s().cancelOfferedBases(DIR)
    s().cancelOfferedBases(DIR)
    expect(calls('bases.cancel').map((r) => r.args)).toEqual([[jobId]])
    expect(making()?.cancelling).toBe(true)
    push('bases.failed', { jobId, error: { name: 'Cancelled', message: 'Making the bases was cancelled.' }, cancelled: true })
    await accepted
    expect(pf()).toMatchObject({ status: 'blocked', making: null })
    expect(calls('settings.update')).toHaveLength(0)
    expect(calls('build.start')).toHaveLength(0)
  })

  it('a failed make stays on screen with its reason, and the offer can be taken again', async () => {
    await blocked([refused(staticOffer)])
    const first = s().makeOfferedBases(DIR)
    await vi.waitFor(() => expect(calls('bases.make')).toHaveLength(1))
    push('bases.failed', { jobId: making()?.jobId as string, error: { name: 'MirrorUnreachable', message: 'The mirror stopped answering.' }, cancelled: false })
    await first
    expect(making()).toMatchObject({ error: { message: 'The mirror stopped answering.' } })
    expect(calls('settings.update')).toHaveLength(0)
    const again = s().makeOfferedBases(DIR)
    await vi.waitFor(() => expect(calls('bases.make')).toHaveLength(2))
    push('bases.done', { jobId: making()?.jobId as string, made: [], notices: [] })
    await again
    expect(calls('build.start')).toHaveLength(1)
  })

  it('a builder made here already is only pointed at (no make), and replaces a builder typed on the Recipe tab', async () => {
    await blocked([refused(golangOffer, 'builder-missing')], { builderImage: 'gone.example/golang:1' })
    await s().makeOfferedBases(DIR)
    expect(calls('bases.make')).toHaveLength(0)
    expect(settings.builderImage).toBe('slipway-made/golang:bookworm')
    expect(recipeSet).toEqual([{ builderImage: '' }])
    expect(calls('build.start')).toHaveLength(1)
    expect(calls('build.start')[0]?.args[0]).not.toHaveProperty('builderImage')
  })

  it('offers nothing when a blocking finding is not an image it can make', async () => {
    await blocked([refused(staticOffer), { level: 'blocking', code: 'builder-go-too-old', message: 'Go too old', detail: '' }])
    await s().makeOfferedBases(DIR)
    expect(calls('bases.make')).toHaveLength(0)
    expect(calls('settings.update')).toHaveLength(0)
  })
})
