// Compares two images' final trees off the page's main thread. The page's one comparison worker
// (compare-client.ts) receives each packed index once, keeps the last few unpacked by image id, and
// posts each comparison back as columns whose buffers are transferred
// (shared/layers/compare-transfer.ts), so the page never rebuilds thousands of objects at once.
import { compareTrees } from '../../../shared/layers/compare'
import { flattenComparison, transferables } from '../../../shared/layers/compare-transfer'
import { unpackLayerIndex } from '../../../shared/layers/packed'
import type { LayerIndex } from '../../../shared/layers/types'
import { WORKER_HELD, type CompareReply, type CompareRequest, type CompareSide } from './compare-client'

const scope = globalThis as unknown as {
  onmessage: ((e: { data: CompareRequest }) => void) | null
  postMessage: (m: CompareReply, transfer?: ArrayBuffer[]) => void
}

/** Unpacked indexes by image id, most recently used last. */
const held = new Map<string, LayerIndex>()

/** The side's index: unpacked from the bytes sent (then kept), or the one kept; undefined when neither. */
function indexOf(side: CompareSide): LayerIndex | undefined {
  if (side.bytes) {
    const index = unpackLayerIndex(side.bytes)
    held.delete(side.imageId)
    held.set(side.imageId, index)
    return index
  }
  const index = held.get(side.imageId)
  if (index) {
    held.delete(side.imageId)
    held.set(side.imageId, index)
  }
  return index
}

scope.onmessage = (e) => {
  const { req, a, b } = e.data
  try {
    // Both looked up before anything is let go.
    const A = indexOf(a)
    const B = indexOf(b)
    while (held.size > WORKER_HELD) held.delete(held.keys().next().value as string)
    if (!A || !B) {
      scope.postMessage({ req, ok: false, message: 'An index is no longer held.', missing: true, held: [...held.keys()] })
      return
    }
    const result = flattenComparison(compareTrees(A, B))
    scope.postMessage({ req, ok: true, result, held: [...held.keys()] }, transferables(result))
  } catch (err) {
    scope.postMessage({ req, ok: false, message: err instanceof Error ? err.message : String(err), held: [...held.keys()] })
  }
}
