import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareTrees, largestDifferences, type DiffEntry } from '../../../shared/layers/compare'
import { imageOf, type Spec } from '../../support/layer-specs'

/** The comparison as `path kind delta` lines, depth first in the order the function sorted them. */
function lines(e: DiffEntry, out: string[] = []): string[] {
  for (const c of e.children) {
    out.push(`${c.path}${c.dir ? '/' : ''} ${c.kind} ${c.delta > 0 ? '+' : ''}${c.delta}`)
    lines(c, out)
  }
  return out
}

// The same Go service on two bases: an alpine-like one with a shell, a distroless-like one without.
const ALPINE: Spec[][] = [
  ['bin/', ['bin/busybox', 900], ['bin/sh', '=>bin/busybox'], 'etc/', ['etc/passwd', 40], 'etc/ssl/', ['etc/ssl/ca.crt', 200]],
  ['app/', ['app/server', 5000]],
]
const DISTROLESS: Spec[][] = [
  ['etc/', ['etc/passwd', 60], 'etc/ssl/', ['etc/ssl/ca.crt', 200], 'usr/share/zoneinfo/', ['usr/share/zoneinfo/UTC', 100]],
  ['app/', ['app/server', 5000]],
]

describe('compareTrees', () => {
  it('finds files only in A, only in B and in both at different sizes, with per-directory deltas', () => {
    const cmp = compareTrees(imageOf(ALPINE), imageOf(DISTROLESS))
    expect(lines(cmp.root)).toEqual([
      '/bin/ onlyA -900',
      '/bin/busybox onlyA -900',
      '/bin/sh onlyA 0',
      '/usr/ onlyB +100',
      '/usr/share/ onlyB +100',
      '/usr/share/zoneinfo/ onlyB +100',
      '/usr/share/zoneinfo/UTC onlyB +100',
      '/etc/ dir +20',
      '/etc/passwd changed +20',
    ])
    expect(cmp.sizeA).toBe(6140)
    expect(cmp.sizeB).toBe(5360)
    expect(cmp.delta).toBe(-780)
    expect(cmp.onlyA).toEqual({ files: 2, bytes: 900 })
    expect(cmp.onlyB).toEqual({ files: 1, bytes: 100 })
    expect(cmp.changed).toEqual({ files: 1, bytesA: 40, bytesB: 60 })
    expect(cmp.root.files).toBe(4)
    expect(cmp.fileCountA).toBe(5)
    expect(cmp.fileCountB).toBe(4)
    // The unchanged app binary and CA bundle are not listed at all.
    expect(lines(cmp.root).some((l) => l.includes('server') || l.includes('ca.crt'))).toBe(false)
  })

  it('compares the final trees, not the layers: a file deleted by a later layer is not there', () => {
    const a = imageOf([[['big', 1000], ['keep', 5]], ['.wh.big']])
    const b = imageOf([[['keep', 5]]])
    const cmp = compareTrees(a, b)
    expect(cmp.root.children).toEqual([])
    expect(cmp.delta).toBe(0)
    expect(cmp.onlyA.files + cmp.onlyB.files + cmp.changed.files).toBe(0)
  })

  it('uses the last version of an overwritten file', () => {
    const a = imageOf([[['f', 10]], [['f', 30]]])
    const b = imageOf([[['f', 30]]])
    expect(compareTrees(a, b).root.children).toEqual([])
    expect(lines(compareTrees(b, imageOf([[['f', 12]]])).root)).toEqual(['/f changed -18'])
  })

  it('counts a path that is a directory on one side and a file on the other as both gone and new', () => {
    const a = imageOf([['x/', ['x/inner', 7]]])
    const b = imageOf([[['x', 3]]])
    const cmp = compareTrees(a, b)
    expect(lines(cmp.root)).toEqual(['/x/ onlyA -7', '/x/inner onlyA -7', '/x onlyB +3'])
    expect(cmp.onlyA).toEqual({ files: 1, bytes: 7 })
    expect(cmp.onlyB).toEqual({ files: 1, bytes: 3 })
  })

  it('sorts siblings by impact, then by name, and lists the largest file differences flat', () => {
    const a = imageOf([[['d/small', 1], ['d/mid', 50], ['z', 10]]])
    const b = imageOf([[['d/small', 2], ['d/new', 500], ['a', 10]]])
    const cmp = compareTrees(a, b)
    expect(cmp.root.children.map((c) => c.name)).toEqual(['d', 'a', 'z'])
    expect(cmp.root.children[0]?.children.map((c) => `${c.name}${c.delta}`)).toEqual(['new500', 'mid-50', 'small1'])
    expect(largestDifferences(cmp, 3).map((e) => e.path)).toEqual(['/d/new', '/d/mid', '/a'])
  })

  it('sees identical trees as identical', () => {
    const cmp = compareTrees(imageOf(ALPINE), imageOf(ALPINE))
    expect(cmp.root.children).toEqual([])
    expect(cmp.delta).toBe(0)
  })

  it('keeps the books: directory deltas add up and both sides reconcile with the totals', () => {
    const file = fc.tuple(fc.constantFrom('a', 'b', 'c/d', 'c/e', 'f/g/h'), fc.nat(1000))
    const layer = fc.uniqueArray(file, { selector: ([p]) => p, maxLength: 5 })
    fc.assert(
      fc.property(layer, layer, (la, lb) => {
        const cmp = compareTrees(imageOf([la]), imageOf([lb]))
        const check = (e: DiffEntry) => {
          if (e.dir && e.kind === 'dir') expect(e.children.reduce((s, c) => s + c.delta, 0)).toBe(e.delta)
          e.children.forEach(check)
        }
        check(cmp.root)
        expect(cmp.sizeA - cmp.onlyA.bytes - cmp.changed.bytesA).toBe(cmp.sizeB - cmp.onlyB.bytes - cmp.changed.bytesB)
        // Swapping the sides mirrors the result.
        const back = compareTrees(imageOf([lb]), imageOf([la]))
        expect(back.delta + cmp.delta).toBe(0)
        expect(back.onlyA).toEqual(cmp.onlyB)
      }),
    )
  })
})
