// Compares two images' final trees off the page's main thread: receives both packed indexes, unpacks
// and compares them here, and posts the comparison back as columns whose buffers are transferred
// (shared/layers/compare-transfer.ts), so the page never rebuilds thousands of objects at once.
import { comparePacked, transferables } from '../../../shared/layers/compare-transfer'
import type { CompareReply, CompareRequest } from './compare-client'

const scope = globalThis as unknown as {
  onmessage: ((e: { data: CompareRequest }) => void) | null
  postMessage: (m: CompareReply, transfer?: ArrayBuffer[]) => void
}

scope.onmessage = (e) => {
  try {
    const result = comparePacked(e.data.a, e.data.b)
    scope.postMessage({ ok: true, result }, transferables(result))
  } catch (err) {
    scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) })
  }
}
