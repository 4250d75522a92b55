// The images slice against a bridge that answers like the host and pushes layers events the way the
// host does (the transport replaced at its one seam; the model and the comparison made in place, as
// where there is no Worker). An index the page holds is not asked for again: comparing with an image
// compared before starts no job.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { create, type StoreApi, type UseBoundStore } from 'zustand'
import type { EventName, Events } from '../../../shared/contract'
import type { RpcEvent, RpcRequest, RpcResponse } from '../../../shared/rpc'
import { packLayerIndex } from '../../../shared/layers/packed'
import { imageOf } from '../../support/layer-specs'

// Loaded by a computed path: its imports reach the renderer's DOM-typed client, which this Node-typed
// test project does not compile. What the test uses of it is typed here.
interface Job {
  status: string
  imageId?: string
}
interface ImagesSlice {
  images: { job: Job; compare: { job: Job; result: { onlyA: number; onlyB: number; changed: number } | null }; explorer: unknown }
  openImage: (image: { id: string; label: string }) => void
  closeImage: () => void
  compareWith: (image: { id: string; label: string } | null) => void
}
interface SliceModule {
  createImagesSlice: (...a: unknown[]) => ImagesSlice
  subscribeImages: (store: { getState: () => ImagesSlice; subscribe: unknown }) => (() => void)[]
}
const SLICE = new URL('../../../renderer/src/stores/images-slice.ts', import.meta.url).href

const A = 'sha256:' + 'a'.repeat(64)
const B = 'sha256:' + 'b'.repeat(64)
const packed: Record<string, Uint8Array> = {
  [A]: packLayerIndex(imageOf([[['usr/bin/app', 1000], ['etc/passwd', 10]]], { imageId: A })),
  [B]: packLayerIndex(imageOf([[['usr/bin/app', 2000], ['etc/group', 4]]], { imageId: B })),
}

const requests: RpcRequest[] = []
const listeners = new Set<(e: RpcEvent) => void>()
const push = <E extends EventName>(event: E, payload: Events[E]) => {
  for (const l of listeners) l({ event, payload } as RpcEvent)
}
let jobs = 0
const bridge = {
  request: async (req: RpcRequest): Promise<RpcResponse> => {
    requests.push(req)
    if (req.method === 'layers.index') {
      const image = req.args[0] as string
      const jobId = `job-${++jobs}`
      // The job ends after its id is answered, as the host's cached jobs do.
      setTimeout(() => push('layers.done', { jobId, image, imageId: image, cached: true, summary: {} as Events['layers.done']['summary'] }), 0)
      return { id: req.id, result: { jobId } }
    }
    if (req.method === 'layers.get') return { id: req.id, result: packed[req.args[0] as string] ?? null }
    return { id: req.id, error: { name: 'BadRequest', message: `unexpected ${req.method}` } }
  },
  onEvent: (cb: (e: RpcEvent) => void) => {
    listeners.add(cb)
    return () => listeners.delete(cb)
  },
}

let useStore: UseBoundStore<StoreApi<ImagesSlice>>
let unsubscribe: (() => void)[] = []
beforeAll(async () => {
  vi.stubGlobal('window', { bridge })
  const { createImagesSlice, subscribeImages } = (await import(/* @vite-ignore */ SLICE)) as SliceModule
  // Only this slice, and the engine state its subscription reads.
  useStore = create<ImagesSlice>()((...a) => ({ engine: { state: null }, ...createImagesSlice(...a) }))
  unsubscribe = subscribeImages(useStore)
})
afterAll(() => {
  for (const u of unsubscribe) u()
  vi.unstubAllGlobals()
})

const s = () => useStore.getState()
const until = (f: () => boolean) => vi.waitFor(() => expect(f()).toBe(true), { timeout: 5000, interval: 5 })

describe('images slice: indexes the page holds', () => {
  it('compares again with an image compared before without a job or a fetch', async () => {
    s().openImage({ id: A, label: 'a' })
    await until(() => s().images.explorer !== null)
    s().compareWith({ id: B, label: 'b' })
    await until(() => s().images.compare.result !== null)
    const first = s().images.compare.result
    expect(requests.filter((r) => r.method === 'layers.index').map((r) => r.args[0])).toEqual([A, B])
    expect(requests.filter((r) => r.method === 'layers.get').map((r) => r.args[0])).toEqual([A, B])

    s().closeImage()
    requests.length = 0
    s().openImage({ id: A, label: 'a' })
    expect(s().images.explorer).not.toBeNull()
    s().compareWith({ id: B, label: 'b' })
    expect(s().images.compare.job).toMatchObject({ status: 'loading', imageId: B })
    await until(() => s().images.compare.result !== null)
    expect(s().images.compare.job).toMatchObject({ status: 'ready', imageId: B })
    expect(s().images.compare.result).toMatchObject({ onlyA: first?.onlyA, onlyB: first?.onlyB, changed: first?.changed })
    expect(requests).toEqual([])
  })
})
