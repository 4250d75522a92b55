// The change marks, defined once (shared/layers/marks.ts): hand cases from the issue (a layer that
// only makes /src), folders by their contents, and a property test against a plain string-path
// replay of the same definition; the explorer's views, layer counts and details read the same marks.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LayerModel, REMOVED_HERE } from '../../../renderer/src/features/images/layer-model'
import { layerMarks, markOf, MARK_ADDED, MARK_MODIFIED, MARK_NONE, MARK_REMOVED, type Mark } from '../../../shared/layers/marks'
import type { LayerIndex } from '../../../shared/layers/types'
import { imageOf, specEntry, type Spec } from '../../support/layer-specs'

const SYMBOL = ['', '+', '~', '-']
/** path → mark symbol for every marked path of each layer. */
function marked(index: LayerIndex): Record<string, string>[] {
  const model = new LayerModel(index)
  return layerMarks(index.paths.parents, index.entries).map((lm) => {
    const out: Record<string, string> = {}
    lm.node.forEach((x, k) => (out[model.path(x)] = SYMBOL[lm.mark[k] as number] as string))
    return out
  })
}

describe('change marks', () => {
  it('marks a folder a layer only makes as added, and counts it', () => {
    const index = imageOf([['etc/', ['etc/passwd', 10]], ['src/']])
    expect(marked(index)[1]).toEqual({ '/src': '+' })
    const counts = layerMarks(index.paths.parents, index.entries)[1]?.counts
    expect(counts).toEqual({ added: 1, modified: 0, removed: 0, folders: { added: 1, modified: 0, removed: 0 } })
  })

  it('marks folders by their contents: a restated folder is unchanged, one with a change inside is modified', () => {
    const index = imageOf([
      ['usr/', 'usr/lib/', ['usr/lib/a', 1], 'opt/'],
      ['usr/', 'usr/lib/', ['usr/lib/b', 2], 'opt/'],
      ['usr/lib/.wh.a'],
    ])
    expect(marked(index)[1]).toEqual({ '/usr': '~', '/usr/lib': '~', '/usr/lib/b': '+' })
    expect(marked(index)[2]).toEqual({ '/usr': '~', '/usr/lib': '~', '/usr/lib/a': '-' })
  })

  it('marks a folder whose mode changed, and a file that became a folder', () => {
    const index = imageOf([['app/', 'x'], ['x/', ['x/y', 1]]])
    index.entries[0]!.mode[0] = 0o700
    expect(marked(index)[1]).toEqual({ '/x': '~', '/x/y': '+' })
    const again = imageOf([['app/'], ['app/']])
    expect(marked(again)[1]).toEqual({})
    again.entries[1]!.mode[0] = 0o700
    expect(marked(again)[1]).toEqual({ '/app': '~' })
  })

  it('agrees with a plain replay of the definition, and the views, counts and details agree with it', () => {
    const names = ['a/', 'a/x', 'a/b/', 'a/b/y', 'c', 'c/', 'c/z', 'a/.wh.x', '.wh.a', 'a/.wh..wh..opq', 'a/b/.wh.y', 'd/e/f']
    const spec = fc.oneof(fc.constantFrom(...names), fc.tuple(fc.constantFrom('a/x', 'c', 'a/b/y', 'c/z', 'd/e/f'), fc.integer({ min: 0, max: 3 })))
    fc.assert(
      fc.property(fc.array(fc.array(spec as fc.Arbitrary<Spec>, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), (layers) => {
        const index = imageOf(layers)
        const ours = marked(index)
        expect(ours).toEqual(oracle(layers))
        // The tree's view, the layer list's counts and the details pane read the same marks.
        const model = new LayerModel(index)
        for (let l = 0; l < model.layerCount; l++) {
          const v = model.view(l)
          const lm = model.marks[l]!
          const count = { [MARK_ADDED]: 0, [MARK_MODIFIED]: 0, [MARK_REMOVED]: 0 } as Record<Mark, number>
          for (let x = 1; x < model.n; x++) {
            const m = v.mark[x] as Mark
            expect(m).toBe(markOf(lm, x))
            expect(m === MARK_REMOVED).toBe(v.present[x] === REMOVED_HERE)
            if (m !== MARK_NONE) {
              count[m]++
              expect(v.present[x]).not.toBe(0)
              const d = model.details(v, x)
              expect(d.mark).toBe(m)
              expect(d.touchedBy.find((t) => t.layer === l)?.change).toBe(m)
            } else if (v.present[x]) expect(model.details(v, x).touchedBy.some((t) => t.layer === l)).toBe(false)
          }
          expect([lm.counts.added, lm.counts.modified, lm.counts.removed]).toEqual([count[MARK_ADDED], count[MARK_MODIFIED], count[MARK_REMOVED]])
        }
      }),
      { numRuns: 300 },
    )
  })
})

interface Node {
  dir: boolean
  mode: number
  /** Written by an entry of the current layer (not only implied). */
  written: boolean
  implied: boolean
}

/** The definition, replayed on path strings: snapshots below and after each layer, compared path by path. */
function oracle(layers: Spec[][]): Record<string, string>[] {
  let fs = new Map<string, Node>()
  const out: Record<string, string>[] = []
  const under = (p: string, q: string) => q.startsWith(`${p}/`)
  for (const specs of layers) {
    const before = new Map([...fs].map(([k, v]) => [k, { ...v, written: false }]))
    fs = new Map(before)
    const entries = specs.map(specEntry).map((e) => ({ ...e, name: `/${e.name.replace(/\/$/, '')}` }))
    for (const e of entries) {
      const base = e.name.slice(e.name.lastIndexOf('/') + 1)
      const dir = e.name.slice(0, e.name.lastIndexOf('/'))
      if (base === '.wh..wh..opq') {
        if (fs.get(dir)?.dir) for (const k of [...fs.keys()]) if (under(dir, k)) fs.delete(k)
      } else if (base.startsWith('.wh.')) {
        const target = `${dir}/${base.slice(4)}`
        if (fs.has(target)) for (const k of [...fs.keys()]) if (k === target || under(target, k)) fs.delete(k)
      }
    }
    for (const e of entries) {
      const base = e.name.slice(e.name.lastIndexOf('/') + 1)
      if (base.startsWith('.wh.')) continue
      const parts = e.name.split('/').slice(1)
      for (let i = 1; i < parts.length; i++) {
        const p = `/${parts.slice(0, i).join('/')}`
        if (!fs.get(p)?.dir) fs.set(p, { dir: true, mode: -1, written: false, implied: true })
      }
      const isDir = e.type === 'dir'
      if (fs.get(e.name)?.dir && !isDir) for (const k of [...fs.keys()]) if (under(e.name, k)) fs.delete(k)
      fs.set(e.name, { dir: isDir, mode: e.mode ?? 0, written: true, implied: false })
    }
    const marks: Record<string, string> = {}
    const own = new Map<string, string>()
    for (const p of new Set([...before.keys(), ...fs.keys()])) {
      const b = before.get(p)
      const a = fs.get(p)
      let m = ''
      if (!b && a) m = '+'
      else if (b && !a) m = '-'
      else if (a && b) {
        if (a.dir !== b.dir) m = '~'
        else if (a.written && !a.dir) m = '~'
        else if (a.written && a.dir && !b.implied && a.mode !== b.mode) m = '~'
      }
      if (m) own.set(p, m)
    }
    for (const p of new Set([...before.keys(), ...fs.keys()])) {
      const m = own.get(p) ?? ([...own.keys()].some((q) => under(p, q)) && before.has(p) && fs.has(p) ? '~' : '')
      if (m) marks[p] = m
    }
    out.push(marks)
  }
  return out
}
