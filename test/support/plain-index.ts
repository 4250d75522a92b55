import type { LayerIndex } from '../../shared/layers/types'

/**
 * An index with every typed-array column as a plain array: an unpacked index (typed arrays) and a built
 * one (arrays) hold the same numbers, and this lets `toEqual` say so.
 */
export function plainIndex(index: LayerIndex): unknown {
  return JSON.parse(JSON.stringify(index, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value)))
}
