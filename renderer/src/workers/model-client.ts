// The explorer's model of an index, made off the page's main thread: unpacking 100,000 files, the
// children and marks of every path and the top layer's view took one task of 400–900 ms on the page
// (a fresh page's reopen, the first Swap to an image never opened). The page's one model worker does
// it and hands every array back transferred; the page only puts the model together.
import type { PackedLayerIndex } from '../../../shared/layers/packed'
import { unpackLayerIndexWithText } from '../../../shared/layers/packed'
import { withText, type IndexText } from '../../../shared/layers/text-column'
import type { LayerIndex } from '../../../shared/layers/types'
import { LayerModel, type LayerModelParts, type LayerWarmParts } from '../features/images/layer-model'

/** Page → model worker: the packed index (a transferred copy). */
export interface ModelRequest {
  req: number
  bytes: PackedLayerIndex
}

/**
 * Model worker → page: the unpacked index without its strings, which come as one text per column
 * (text-column.ts: 100,000 names cloned one by one were ~25 ms on the page), and the model's arrays
 * (transferred), or why not; then, for a model made, its warm-up sorts and views
 * (LayerModel.warmParts, transferred), or nothing when they failed. `took`: the worker's own ms, from
 * the request's arrival to the reply (the page records it as the measure `slipway:model.worker`).
 */
export type ModelReply =
  | { req: number; ok: true; index: LayerIndex; text: IndexText; parts: LayerModelParts; took: number }
  | { req: number; ok: false; message: string }
  | { req: number; warm: LayerWarmParts | null }

/**
 * The model the worker makes: the index unpacked, its model, and the top layer's view (what the
 * explorer opens on); with the index's string columns as the block holds them, to send apart.
 */
export function makeModel(bytes: PackedLayerIndex): { model: LayerModel; text: IndexText } {
  const { index, text } = unpackLayerIndexWithText(bytes)
  const model = new LayerModel(index)
  if (model.layerCount > 0) model.view(model.layerCount - 1)
  return { model, text }
}

/** A copy of `value` whose typed arrays are copies (strings and arrays of strings are shared): what the worker keeps of what it transfers. */
export function copyArrays<T>(value: T): T {
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice() as T
  if (Array.isArray(value)) return (value.length > 0 && typeof value[0] === 'object' ? value.map((v: unknown) => copyArrays(v)) : value) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyArrays(v)])) as T
  return value
}

/** Every ArrayBuffer under `value` (typed arrays in objects and arrays; arrays of strings are skipped at their first item), once each. */
export function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) out.add(value.buffer as ArrayBuffer)
  else if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'object') for (const v of value) buffersOf(v, out)
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, out)
  return [...out]
}

/** The part of a DOM Worker used here. */
interface PageWorker {
  onmessage: ((e: { data: ModelReply }) => void) | null
  onerror: ((e: { message: string }) => void) | null
  postMessage(m: ModelRequest, transfer: ArrayBuffer[]): void
}

let worker: PageWorker | null = null
let next = 1
const pending = new Map<number, { resolve: (m: LayerModel) => void; reject: (e: Error) => void }>()
/** Models made whose warm-up parts are still to come, by request. */
const warming = new Map<number, { model: LayerModel; done: () => void }>()
/** Per model still warming in the worker: resolves once its parts are in (or will not come). */
const warmed = new WeakMap<LayerModel, Promise<void>>()

function started(Worker: new (url: URL, opts: { type: 'module'; name: string }) => PageWorker): PageWorker {
  if (worker) return worker
  // Written `new Worker(new URL(…), …)` so Vite bundles the worker.
  const w = new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module', name: 'slipway-model' })
  w.onmessage = (e) => {
    const r = e.data
    if ('warm' in r) {
      const m = warming.get(r.req)
      warming.delete(r.req)
      if (m && r.warm) m.model.adoptWarm(r.warm)
      m?.done()
      return
    }
    const p = pending.get(r.req)
    if (!p) return
    pending.delete(r.req)
    if (r.ok) {
      const now = performance.now()
      performance.measure('slipway:model.worker', { start: Math.max(0, now - r.took), end: now })
      const model = new LayerModel(withText(r.index, r.text), r.parts, r.text)
      warmed.set(model, new Promise<void>((done) => warming.set(r.req, { model, done })))
      p.resolve(model)
    } else p.reject(new Error(r.message))
  }
  w.onerror = (e) => {
    const error = new Error(e.message || 'The model worker failed.')
    for (const p of pending.values()) p.reject(error)
    pending.clear()
    for (const m of warming.values()) m.done()
    warming.clear()
  }
  worker = w
  return w
}

/** Starts the page's model worker (its module loads) while the index is still being asked for. */
export function prewarmModelWorker(): void {
  const W = (globalThis as { Worker?: new (url: URL, opts: { type: 'module'; name: string }) => PageWorker }).Worker
  if (typeof W === 'function') started(W)
}

/**
 * Resolves once the model worker's warm-up parts for `model` are in it (at once for a model made
 * in place, or one whose parts came): the page's own warm-up then only makes strings.
 */
export function whenWarm(model: LayerModel): Promise<void> {
  return warmed.get(model) ?? Promise.resolve()
}

/**
 * The explorer's model of a packed index, made in the page's model worker (the page keeps its bytes:
 * the worker gets a copy). Where there is no Worker (a test in Node), it is made in place.
 */
export function buildModel(packed: PackedLayerIndex): Promise<LayerModel> {
  // Through globalThis: this module is also type-checked and run in Node, which has no DOM Worker.
  const W = (globalThis as { Worker?: new (url: URL, opts: { type: 'module'; name: string }) => PageWorker }).Worker
  if (typeof W !== 'function') return Promise.resolve().then(() => makeModel(packed).model)
  const w = started(W)
  const req = next++
  return new Promise<LayerModel>((resolve, reject) => {
    pending.set(req, { resolve, reject })
    const bytes = packed.slice()
    w.postMessage({ req, bytes }, [bytes.buffer as ArrayBuffer])
  })
}
