// The comparison as the worker sends it back (columns) and as the page reads it (entries made when
// read) says exactly what compareTrees says, the largest differences included; swapped (Swap A and B),
// it says what compareTrees says of the other direction.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { childCount, compareTrees, LARGEST_AHEAD, largestDifferences, swapComparison, type DiffEntry } from '../../../shared/layers/compare'
import { comparePacked, comparisonFromTransfer, flattenComparison, transferables } from '../../../shared/layers/compare-transfer'
import { buildLayerIndex } from '../../../shared/layers/build-index'
import { addTarEntry, newLayerEntries, type TarEntry } from '../../../shared/layers/entries'
import { packLayerIndex } from '../../../shared/layers/packed'
import { PathTable } from '../../../shared/layers/paths'
import type { LayerIndex } from '../../../shared/layers/types'
import { plainComparison } from '../../support/plain-index'

function indexOf(layers: TarEntry[][]): LayerIndex {
  const paths = new PathTable()
  const read = layers.map((entries) => {
    const e = newLayerEntries()
    for (const h of entries) addTarEntry(paths, e, h)
    return { entries: e, blobSize: 0, compression: 'none' as const }
  })
  return buildLayerIndex({ imageId: `sha256:${'d'.repeat(64)}`, repoTags: [], created: '', os: 'linux', architecture: 'amd64', format: 'oci', diffIds: [], history: [] }, paths.data(), read)
}

const A = indexOf([
  [
    { name: 'etc/ssl/certs/ca.crt', type: 'file', size: 200 },
    { name: 'usr/share/zoneinfo/UTC', type: 'file', size: 100 },
    { name: 'app/server', type: 'file', size: 5000 },
    { name: 'app/static/日本語 file\n.txt', type: 'file', size: 7 },
    { name: 'bin', type: 'dir' },
  ],
])
const B = indexOf([
  [
    { name: 'etc/ssl/certs/ca.crt', type: 'file', size: 200 },
    { name: 'bin/busybox', type: 'file', size: 900 },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'app/server', type: 'file', size: 4800 },
    { name: 'app/static', type: 'file', size: 3 },
  ],
])

describe('the comparison through the worker', () => {
  it('reads back as compareTrees says, from the packed indexes, in both directions', () => {
    for (const [a, b] of [
      [A, B],
      [B, A],
      [A, A],
    ] as const) {
      const direct = compareTrees(a, b)
      const back = comparisonFromTransfer(comparePacked(packLayerIndex(a), packLayerIndex(b)))
      expect(plainComparison(back)).toEqual(plainComparison(direct))
      expect(largestDifferences(back, 3).map((e) => e.path)).toEqual(largestDifferences(direct, 3).map((e) => e.path))
    }
  })

  it('makes an entry only when it is read, and its buffers can be transferred', () => {
    const t = flattenComparison(compareTrees(A, B))
    // Eight number columns, and where each name and each largest difference's path ends.
    expect(transferables(t)).toHaveLength(10)
    const back = comparisonFromTransfer(structuredClone(t, { transfer: transferables(t) }))
    expect(back.largest?.map((e) => e.path)).toEqual(largestDifferences(compareTrees(A, B), LARGEST_AHEAD).map((e) => e.path))
    expect(back.largest?.length).toBeGreaterThan(0)
    const app = back.root.children.find((e) => e.name === 'app')
    expect(app?.path).toBe('/app')
    expect(app?.children.find((e) => e.name === 'static')?.children.map((e) => e.path)).toEqual(['/app/static/日本語 file\n.txt'])
    expect(app?.children).toBe(app?.children)
  })

  it('says how many children an entry has without making them, from the columns and swapped', () => {
    const back = comparisonFromTransfer(flattenComparison(compareTrees(A, B)))
    const walk = (e: DiffEntry): void => {
      const n = childCount(e)
      expect(n).toBe(e.children.length)
      e.children.forEach(walk)
    }
    walk(back.root)
    walk(swapComparison(comparisonFromTransfer(flattenComparison(compareTrees(A, B)))).root)
    walk(compareTrees(A, B).root)
  })

  it('matches compareTrees on any pair of trees (property)', () => {
    const entry = fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd/e', 'd/f', 'g/h/i', 'g/h'),
      type: fc.constantFrom('file', 'dir', 'symlink') as fc.Arbitrary<TarEntry['type']>,
      size: fc.nat(50),
    })
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 10 }), fc.array(entry, { maxLength: 10 }), (x, y) => {
        const a = indexOf([x])
        const b = indexOf([y])
        expect(plainComparison(comparisonFromTransfer(flattenComparison(compareTrees(a, b))))).toEqual(plainComparison(compareTrees(a, b)))
      }),
      { numRuns: 200 },
    )
  })
})

describe('swapping a comparison', () => {
  // Children with the same |delta| and name (a path that is a folder on one side, a file on the other)
  // keep their order across a swap; compareTrees puts A's first. Sorted, both say the same.
  const sorted = (x: unknown): unknown => {
    const s = (e: { children: unknown[] }): unknown => ({ ...e, children: e.children.map((c) => s(c as { children: unknown[] })).sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1)) })
    const { root, largest, ...rest } = x as { root: { children: unknown[] }; largest: unknown[] }
    return { ...rest, root: s(root), largest: largest.map((e) => JSON.stringify(e)).sort() }
  }

  it('says what compareTrees says of B and A, directly and over the worker columns, and swaps back', () => {
    for (const [a, b] of [
      [A, B],
      [B, A],
      [A, A],
    ] as const) {
      const direct = compareTrees(a, b)
      const other = plainComparison(compareTrees(b, a))
      expect(plainComparison(swapComparison(direct))).toEqual(other)
      expect(plainComparison(swapComparison(comparisonFromTransfer(comparePacked(packLayerIndex(a), packLayerIndex(b)))))).toEqual(other)
      expect(plainComparison(swapComparison(swapComparison(direct)))).toEqual(plainComparison(direct))
    }
  })

  it('reads each entry once, when first read', () => {
    const swapped = swapComparison(compareTrees(A, B))
    const app = swapped.root.children.find((e) => e.name === 'app')
    expect(app?.children).toBe(app?.children)
    expect(swapped.root.children.find((e) => e.name === 'bin')?.children.find((e) => e.name === 'busybox')?.kind).toBe('onlyA')
    expect(swapped.onlyA.files).toBe(compareTrees(A, B).onlyB.files)
  })

  it('matches compareTrees the other way on any pair of trees (property)', () => {
    const entry = fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd/e', 'd/f', 'g/h/i', 'g/h'),
      type: fc.constantFrom('file', 'dir', 'symlink') as fc.Arbitrary<TarEntry['type']>,
      size: fc.nat(50),
    })
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 10 }), fc.array(entry, { maxLength: 10 }), (x, y) => {
        const a = indexOf([x])
        const b = indexOf([y])
        expect(sorted(plainComparison(swapComparison(compareTrees(a, b))))).toEqual(sorted(plainComparison(compareTrees(b, a))))
      }),
      { numRuns: 300 },
    )
  })
})
