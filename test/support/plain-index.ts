import { largestDifferences, type DiffEntry, type TreeComparison } from '../../shared/layers/compare'
import type { LayerIndex } from '../../shared/layers/types'

/**
 * An index with every typed-array column as a plain array: an unpacked index (typed arrays) and a built
 * one (arrays) hold the same numbers, and this lets `toEqual` say so.
 */
export function plainIndex(index: LayerIndex): unknown {
  return JSON.parse(JSON.stringify(index, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value)))
}

/** A comparison with every entry read out as a plain object (lazy entries made), for `toEqual`. */
export function plainComparison(cmp: TreeComparison): unknown {
  const plain = (e: DiffEntry): unknown => ({ name: e.name, path: e.path, kind: e.kind, dir: e.dir, sizeA: e.sizeA, sizeB: e.sizeB, delta: e.delta, files: e.files, children: e.children.map(plain) })
  const { root, largest: _l, ...totals } = cmp
  return { ...totals, root: plain(root), largest: largestDifferences(cmp, 500).map(plain) }
}
