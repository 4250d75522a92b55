// The page's model worker and its client, in-process: the real worker module and the real client
// joined by structured clones with transfer lists (what a DOM Worker does between threads). The model
// that comes back is the one the page would have made itself; the page keeps its bytes; the worker's
// arrays move instead of being copied; a damaged index is refused with the unpacker's reason.
import { beforeAll, describe, expect, it } from 'vitest'
import { packLayerIndex } from '../../../shared/layers/packed'
import { LayerModel } from '../../../renderer/src/features/images/layer-model'
import { buildModel, whenWarm, type ModelReply, type ModelRequest } from '../../../renderer/src/workers/model-client'
import { inProcessWorker } from '../../support/in-process-worker'
import { imageOf } from '../../support/layer-specs'

const moved: number[] = []
/** The model replies as the page received them. */
const replies: Extract<ModelReply, { ok: true }>[] = []
/** The warm-up replies (request → bytes moved; -1: the worker could not make them). */
const warmReplies = new Map<number, number>()
beforeAll(() =>
  inProcessWorker<ModelRequest, ModelReply>(() => import('../../../renderer/src/workers/model.worker'), {
    fromWorker: (m, transfer, bytes) => {
      if ('warm' in m) warmReplies.set(m.req, m.warm ? bytes : -1)
      else {
        moved.push(bytes)
        if (m.ok) replies.push(m)
      }
      // Moved, not copied: the worker's side is left with nothing.
      if (transfer.some((b) => b.byteLength !== 0)) throw new Error('a buffer was not transferred')
    },
  }),
)

const LAYERS = [
  ['usr/', ['usr/bin/app', 1000], ['usr/lib/a.so', 300], 'etc/', ['etc/passwd', 10], ['tmp/x', 5]],
  [['usr/bin/app', 2000], 'tmp/.wh.x', ['etc/group', 4], ['srv/l', '->/usr/bin/app']],
] as Parameters<typeof imageOf>[0]

describe('the model worker', () => {
  it('gives the model the page would make, on the top layer, and leaves the page its bytes', async () => {
    const index = imageOf(LAYERS)
    const packed = packLayerIndex(index)
    const size = packed.byteLength
    const got = await buildModel(packed)
    const want = new LayerModel(index)
    expect(packed.byteLength).toBe(size)
    expect(moved.at(-1)).toBeGreaterThan(0)
    expect(Array.from(got.parent)).toEqual(Array.from(want.parent))
    expect(got.marks.map((m) => m.counts)).toEqual(want.marks.map((m) => m.counts))
    const top = got.layerCount - 1
    const [gv, wv] = [got.view(top), want.view(top)]
    for (const k of ['present', 'dir', 'size', 'files', 'mark', 'changesBelow', 'kids', 'srcLayer', 'srcEntry'] as const) expect(Array.from(gv[k]), k).toEqual(Array.from(wv[k]))
    const open = new Uint8Array(got.n).fill(1)
    const rows = (m: LayerModel) => Array.from(m.rows({ view: m.view(top), sort: 'size', expanded: open, filter: null }).node, (n) => m.path(n))
    expect(rows(got)).toEqual(rows(want))
    // Views it did not make come from its own replay, as the page's would.
    expect(Array.from(got.view(0).present)).toEqual(Array.from(want.view(0).present))
    expect(got.details(gv, got.find('/usr/bin/app'))).toEqual(want.details(wv, want.find('/usr/bin/app')))
  })

  it('then sends the name order, the lower layers’ views and their size order, which the page’s model takes instead of sorting', async () => {
    const index = imageOf(LAYERS)
    const got = await buildModel(packLayerIndex(index))
    const want = new LayerModel(index)
    // The model comes first: the worker sorts afterwards, on its own copy.
    expect(got.warmSorted()).toBe(false)
    await whenWarm(got)
    expect([...warmReplies.values()].at(-1)).toBeGreaterThan(0)
    expect(got.warmSorted()).toBe(true)
    expect(Array.from(got.nameRanks())).toEqual(Array.from(want.nameRanks()))
    const open = new Uint8Array(got.n).fill(1)
    for (let layer = 0; layer < got.layerCount; layer++)
      for (const sort of ['size', 'name'] as const) {
        const rows = (m: LayerModel) => Array.from(m.rows({ view: m.view(layer), sort, expanded: open, filter: null }).node, (n) => m.path(n))
        expect(rows(got), `layer ${layer} by ${sort}`).toEqual(rows(want))
      }
    // What the page still warms is strings only, and it ends with the same search strings.
    for (const _ of got.warmUp());
    expect(got.lowerPaths()).toEqual(want.paths().map((p) => p.toLowerCase()))
  })

  it('warms a model made in place in slices, with the same strings and sorts', () => {
    const specs: Parameters<typeof imageOf>[0] = [[...Array.from({ length: 17_000 }, (_, i) => [`srv/D${i % 7}/F${i}.txt`, i] as [string, number])], [['srv/D1/F1.txt', 5]]]
    const model = new LayerModel(imageOf(specs))
    const steps = [...model.warmUp()]
    // 17,009 lower-case names and paths: made 8,192 a step, so they yield twice each on the way.
    expect(steps.filter((s) => s === 'names').length).toBeGreaterThanOrEqual(2)
    expect(steps.filter((s) => s === 'lower-case paths').length).toBeGreaterThanOrEqual(2)
    expect(model.warmSorted()).toBe(true)
    expect(model.lowerNames()).toEqual(model.index.paths.names.map((n) => n.toLowerCase()))
    expect(model.lowerPaths()).toEqual(model.paths().map((p) => p.toLowerCase()))
  })

  it('sends the strings as one text per column, and the page makes no name list until one is asked for', async () => {
    const index = imageOf(LAYERS)
    const got = await buildModel(packLayerIndex(index))
    const want = new LayerModel(index)
    const reply = replies.at(-1)
    // What crossed: empty string arrays, and the names as one string whose ends were transferred.
    expect(reply?.index.paths.names).toEqual([])
    expect(reply?.index.entries.every((e) => e.link.length === 0)).toBe(true)
    expect(typeof reply?.text.names.text).toBe('string')
    const top = got.layerCount - 1
    const open = new Uint8Array(got.n).fill(1)
    const rows = (m: LayerModel) => Array.from(m.rows({ view: m.view(top), sort: 'size', expanded: open, filter: null }).node, (n) => `${m.path(n)} ${m.name(n)}`)
    expect(rows(got)).toEqual(rows(want))
    const link = got.find('/srv/l')
    expect(got.details(got.view(top), link).link).toBe('/usr/bin/app')
    expect(got.entryMeta(got.view(top), link)?.link).toBe('/usr/bin/app')
    // Rows, paths and a link's details read single strings: the lists are still to be made.
    expect(Object.getOwnPropertyDescriptor(got.index.paths, 'names')?.get).toBeTypeOf('function')
    expect(Object.getOwnPropertyDescriptor(got.index.entries[top], 'link')?.get).toBeTypeOf('function')
    // Read whole, they are the index's own.
    expect(got.index.paths.names).toEqual(index.paths.names)
    expect(got.index.entries.map((e) => e.link)).toEqual(index.entries.map((e) => e.link))
    expect(Object.getOwnPropertyDescriptor(got.index.paths, 'names')?.get).toBeUndefined()
  })

  it('refuses a damaged index with the unpacker’s reason', async () => {
    const packed = packLayerIndex(imageOf(LAYERS)).slice(0, 40)
    await expect(buildModel(packed)).rejects.toThrow(/Packed layer index/)
  })
})
