import type { TreeComparison } from '../../../shared/layers/compare'
import { comparePacked, comparisonFromTransfer, type ComparisonTransfer } from '../../../shared/layers/compare-transfer'
import type { PackedLayerIndex } from '../../../shared/layers/packed'

/** Page → compare worker: the two packed indexes, A (the open image) and B. */
export interface CompareRequest {
  a: PackedLayerIndex
  b: PackedLayerIndex
}

/** Compare worker → page. */
export type CompareReply = { ok: true; result: ComparisonTransfer } | { ok: false; message: string }

/** A comparison running in a worker; `cancel` ends the worker (the promise then never settles). */
export interface RunningComparison {
  result: Promise<TreeComparison>
  cancel: () => void
}

/**
 * Compares two packed indexes in a Web Worker, so unpacking 2 × 100,000 files and walking both trees
 * never holds up the page. Where there is no Worker (a test in Node), it runs in place.
 */
export function compareInWorker(a: PackedLayerIndex, b: PackedLayerIndex): RunningComparison {
  // Through globalThis: this module is also type-checked and run in Node, which has no DOM Worker.
  const Worker = (globalThis as { Worker?: new (url: URL, opts: { type: 'module'; name: string }) => PageWorker }).Worker
  if (typeof Worker !== 'function') {
    return { result: Promise.resolve().then(() => comparisonFromTransfer(comparePacked(a, b))), cancel: () => undefined }
  }
  // Written `new Worker(new URL(…), …)` so Vite bundles the worker.
  const worker = new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module', name: 'slipway-compare' })
  const result = new Promise<TreeComparison>((resolve, reject) => {
    worker.onmessage = (e) => {
      worker.terminate()
      if (e.data.ok) resolve(comparisonFromTransfer(e.data.result))
      else reject(new Error(e.data.message))
    }
    worker.onerror = (e) => {
      worker.terminate()
      reject(new Error(e.message || 'The comparison worker failed to start.'))
    }
  })
  // Copies, not transfers: the page keeps both indexes for the next comparison.
  worker.postMessage({ a, b } satisfies CompareRequest)
  return { result, cancel: () => worker.terminate() }
}

/** The part of a DOM Worker used here. */
interface PageWorker {
  onmessage: ((e: { data: CompareReply }) => void) | null
  onerror: ((e: { message: string }) => void) | null
  postMessage(m: CompareRequest): void
  terminate(): void
}
