import type { TreeComparison } from '../../../shared/layers/compare'
import { comparePacked, comparisonFromTransfer, type ComparisonTransfer } from '../../../shared/layers/compare-transfer'
import type { PackedLayerIndex } from '../../../shared/layers/packed'

/** One side of a comparison: the image id, and its packed index unless the worker holds it already. */
export interface CompareSide {
  imageId: string
  bytes?: PackedLayerIndex
}

/** Page → compare worker: compare A (the open image) with B. */
export interface CompareRequest {
  req: number
  a: CompareSide
  b: CompareSide
}

/**
 * Compare worker → page. `held`: the image ids whose indexes the worker keeps (unpacked) for the next
 * request; `missing`: a side came without bytes and the worker no longer holds it.
 */
export type CompareReply =
  | { req: number; ok: true; result: ComparisonTransfer; held: string[] }
  | { req: number; ok: false; message: string; missing?: boolean; held: string[] }

/** How many unpacked indexes the worker keeps (A, B and the ones before). */
export const WORKER_HELD = 4

/** A comparison running in a worker; `cancel` drops its answer (the promise then never settles). */
export interface RunningComparison {
  result: Promise<TreeComparison>
  cancel: () => void
}

/** An index to compare: its image id and packed bytes (sent to the worker only when it does not hold them). */
export interface CompareInput {
  imageId: string
  packed: PackedLayerIndex
}

/** The part of a DOM Worker used here. */
interface PageWorker {
  onmessage: ((e: { data: CompareReply }) => void) | null
  onerror: ((e: { message: string }) => void) | null
  postMessage(m: CompareRequest, transfer: ArrayBuffer[]): void
  terminate(): void
}

/**
 * The page's one comparison worker, started at the first comparison and kept: starting a module worker
 * and cloning two 4.4 MB indexes into it on every comparison held the page up for hundreds of ms. Each
 * index crosses once, as a transferred copy; the worker keeps it unpacked for the next comparison.
 */
class CompareWorker {
  private readonly pending = new Map<number, { resolve: (t: TreeComparison) => void; reject: (e: Error) => void; a: CompareInput; b: CompareInput; retried: boolean }>()
  private held = new Set<string>()
  private next = 1

  constructor(private readonly worker: PageWorker) {
    worker.onmessage = (e) => this.answer(e.data)
    worker.onerror = (e) => {
      const error = new Error(e.message || 'The comparison worker failed.')
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
      this.held.clear()
    }
  }

  compare(a: CompareInput, b: CompareInput): RunningComparison {
    const req = this.next++
    const result = new Promise<TreeComparison>((resolve, reject) => {
      this.pending.set(req, { resolve, reject, a, b, retried: false })
      this.post(req, a, b)
    })
    return { result, cancel: () => this.pending.delete(req) }
  }

  private post(req: number, a: CompareInput, b: CompareInput, all = false): void {
    const transfer: ArrayBuffer[] = []
    const side = (x: CompareInput, again: boolean): CompareSide => {
      if (!all && (this.held.has(x.imageId) || again)) return { imageId: x.imageId }
      // A copy, transferred: the page keeps its own bytes for the next comparison or a swap.
      const bytes = x.packed.slice()
      transfer.push(bytes.buffer as ArrayBuffer)
      return { imageId: x.imageId, bytes }
    }
    const sa = side(a, false)
    const m: CompareRequest = { req, a: sa, b: side(b, b.imageId === a.imageId && sa.bytes !== undefined) }
    // Marked as held now: a request sent right after this one need not send them again.
    this.held.add(a.imageId).add(b.imageId)
    this.worker.postMessage(m, transfer)
  }

  private answer(r: CompareReply): void {
    this.held = new Set(r.held)
    const p = this.pending.get(r.req)
    if (!p) return
    if (!r.ok && r.missing && !p.retried) {
      // The worker let an index go meanwhile (requests queued past its room): send both again.
      p.retried = true
      return this.post(r.req, p.a, p.b, true)
    }
    this.pending.delete(r.req)
    if (r.ok) p.resolve(comparisonFromTransfer(r.result))
    else p.reject(new Error(r.message))
  }
}

let shared: CompareWorker | null = null

/**
 * Compares two packed indexes in the page's comparison worker, so unpacking 2 × 100,000 files and
 * walking both trees never holds up the page. Where there is no Worker (a test in Node), it runs in place.
 */
export function compareInWorker(a: CompareInput, b: CompareInput): RunningComparison {
  // Through globalThis: this module is also type-checked and run in Node, which has no DOM Worker.
  const Worker = (globalThis as { Worker?: new (url: URL, opts: { type: 'module'; name: string }) => PageWorker }).Worker
  if (typeof Worker !== 'function') {
    return { result: Promise.resolve().then(() => comparisonFromTransfer(comparePacked(a.packed, b.packed))), cancel: () => undefined }
  }
  // Written `new Worker(new URL(…), …)` so Vite bundles the worker.
  shared ??= new CompareWorker(new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module', name: 'slipway-compare' }))
  return shared.compare(a, b)
}
