// Compares two images' final trees off the page's main thread: receives both packed indexes, unpacks
// them here and posts the comparison back. One message in, one out; the page starts a worker per
// comparison and ends it when the answer is in (or no longer wanted).
import { compareTrees } from '../../../shared/layers/compare'
import { unpackLayerIndex } from '../../../shared/layers/packed'
import type { CompareReply, CompareRequest } from './compare-client'

const scope = globalThis as unknown as { onmessage: ((e: { data: CompareRequest }) => void) | null; postMessage: (m: CompareReply) => void }

scope.onmessage = (e) => {
  try {
    const result = compareTrees(unpackLayerIndex(e.data.a), unpackLayerIndex(e.data.b))
    scope.postMessage({ ok: true, result })
  } catch (err) {
    scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) })
  }
}
