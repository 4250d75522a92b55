// The first view kept in the index's header (shared/layers/first-view.ts) must be exactly what the
// explorer's model shows first — the top layer's top-level rows in size order with their marks — since
// the page paints it before the model exists and then swaps the model's rows in.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FIRST_ROWS, firstView } from '../../../shared/layers/first-view'
import { packLayerIndex, unpackLayerIndex } from '../../../shared/layers/packed'
import { TYPE_DIR, type LayerIndex } from '../../../shared/layers/types'
import { LayerModel, REMOVED_HERE } from '../../../renderer/src/features/images/layer-model'
import { imageOf, type Spec } from '../../support/layer-specs'

/** The model's first rows (top layer, sorted by size, nothing open) in the first view's terms. */
function modelRows(index: LayerIndex) {
  const m = new LayerModel(index)
  const view = m.view(m.layerCount - 1)
  const rows = m.rows({ view, sort: 'size', expanded: new Uint8Array(m.n), filter: null })
  return {
    removedAtTop: Array.from(rows.node).some((n) => view.present[n] === REMOVED_HERE),
    files: view.files[0],
    size: view.size[0],
    counts: m.marks.map((x) => x.counts),
    rows: Array.from(rows.node, (node) => {
      const meta = m.entryMeta(view, node)
      const dir = view.dir[node] === 1
      return {
        node,
        name: m.name(node),
        dir,
        type: dir && m.entryType(view, node) >= 0 ? TYPE_DIR : m.entryType(view, node),
        size: view.size[node],
        files: view.files[node],
        mark: view.mark[node],
        inside: dir ? view.changesBelow[node] : 0,
        expandable: dir && m.hasVisibleChildren(view, node, null),
        mode: meta?.mode ?? null,
        uid: meta?.uid ?? null,
        gid: meta?.gid ?? null,
        link: meta?.link ?? '',
      }
    }),
  }
}

const name = fc.constantFrom('a', 'B', 'b', 'c', 'd/e', 'd/f', 'g/h/i', 'g/j', 'k/')
const layerSpec = fc.array(
  fc.oneof(
    fc.tuple(name, fc.nat(1000)).map(([n, s]) => [n, s] as Spec),
    name.map((n) => (n.endsWith('/') ? n : n.includes('/') ? `${n.slice(0, n.lastIndexOf('/'))}/.wh.${n.slice(n.lastIndexOf('/') + 1)}` : `.wh.${n}`)),
    fc.constantFrom('d/.wh..wh..opq', '.wh.d', '.wh.g', 'd/', ['l', '->a'] as Spec),
  ),
  { maxLength: 8 },
)

describe('the first view', () => {
  it('is the model’s top-level rows of the top layer, with the layer list’s counts', () => {
    fc.assert(
      fc.property(fc.array(layerSpec, { minLength: 1, maxLength: 5 }), (layers) => {
        const index = imageOf(layers)
        const want = modelRows(index)
        const got = firstView(index)
        if (want.removedAtTop) {
          expect(got).toBeUndefined()
          return
        }
        expect(got).toBeDefined()
        expect(got?.rows).toEqual(want.rows)
        expect(got?.total).toBe(want.rows.length)
        expect({ files: got?.files, size: got?.size }).toEqual({ files: want.files, size: want.size })
        expect(got?.counts).toEqual(want.counts)
        expect(got?.layer).toBe(layers.length - 1)
      }),
      { numRuns: 300 },
    )
  })

  it('is made with the index and travels in the packed header', () => {
    const index = imageOf([['usr/', ['usr/a', 5], 'etc/', ['etc/x', 1]], [['usr/a', 9], '.wh.etc', ['tmp/b', 2]]])
    const back = unpackLayerIndex(packLayerIndex(imageOf([['usr/', ['usr/a', 5], ['etc/x', 1]], [['usr/a', 9], ['tmp/b', 2]]])))
    expect(back.firstView?.rows.map((r) => `${r.name} ${r.size} ${r.mark}`)).toEqual(['usr 9 2', 'tmp 2 1', 'etc 1 0'])
    // The top layer removes /etc: the page computes that view itself.
    expect(index.firstView).toBeUndefined()
  })

  it('keeps a screenful of a root with many entries, and says how many there are', () => {
    const many: Spec[] = Array.from({ length: FIRST_ROWS + 50 }, (_, i) => [`f${i}`, i] as Spec)
    const v = firstView(imageOf([many]))
    expect(v?.rows).toHaveLength(FIRST_ROWS)
    expect(v?.total).toBe(FIRST_ROWS + 50)
    expect(v?.rows[0]?.name).toBe(`f${FIRST_ROWS + 49}`)
  })
})
