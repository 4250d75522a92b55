// The change marks on real images: an image built here (a WORKDIR that only makes a folder, files
// written, rewritten and removed, a folder removed and made again, a chmod of a folder) and the
// stand-in bases, read through the engine's save stream by the Layers service. For every layer and
// every path, the tree's mark, the layer list's counts and the details pane agree, because all three
// read shared/layers/marks.ts; and the marks are the ones the Dockerfile's steps mean.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Layers } from '../../electron/services/layers/layers'
import { LayerModel, REMOVED_HERE } from '../../renderer/src/features/images/layer-model'
import { MARK_ADDED, MARK_MODIFIED, MARK_NONE, MARK_REMOVED, type Mark } from '../../shared/layers/marks'
import type { LayerIndex } from '../../shared/layers/types'
import { TEST_ALPINE, TEST_DISTROLESS } from '../support/build-image'
import { buildImage } from '../support/docker-build'

const docker = new Dockerode()
const RUN = `${process.pid}-${Date.now().toString(36)}`
const TAG = `slipway-it-marks/app:${RUN}`
const work = mkdtempSync(join(tmpdir(), 'slipway-it-marks-'))
const layers = new Layers({ docker: () => docker, cacheDir: join(work, 'cache'), emit: () => undefined })

const DOCKERFILE = `FROM ${TEST_ALPINE}
WORKDIR /src
RUN mkdir -p /src/d /src/gone-dir/sub && echo a > /src/a && echo b > /src/b && echo x > /src/gone-dir/sub/x && echo y > /src/d/y
RUN echo a2 > /src/a && rm /src/b && rm -rf /src/gone-dir && chmod 700 /src/d
RUN rm -rf /src/d && mkdir /src/d && echo z > /src/d/z
`

/** Every path's mark in one layer, as the tree shows it ("+", "~", "-"), for the paths under `under`. */
function treeMarks(model: LayerModel, layer: number, under: string): Record<string, string> {
  const v = model.view(layer)
  const out: Record<string, string> = {}
  for (let x = 1; x < model.n; x++) {
    const p = model.path(x)
    if (v.mark[x] && (p === under || p.startsWith(`${under}/`))) out[p] = ['', '+', '~', '-'][v.mark[x] as number] as string
  }
  return out
}

/** The three views of the marks agree on every path of every layer; returns how many marks were checked. */
function expectAgreement(index: LayerIndex): number {
  const model = new LayerModel(index)
  let checked = 0
  for (let l = 0; l < model.layerCount; l++) {
    const v = model.view(l)
    const counts = model.marks[l]?.counts
    const seen = { [MARK_ADDED]: 0, [MARK_MODIFIED]: 0, [MARK_REMOVED]: 0 } as Record<Mark, number>
    for (let x = 1; x < model.n; x++) {
      const m = v.mark[x] as Mark
      if (m === MARK_NONE) {
        if (v.present[x] && model.details(v, x).touchedBy.some((t) => t.layer === l)) throw new Error(`${model.path(x)}: unmarked in the tree, changed by layer ${l + 1} in the details`)
        continue
      }
      seen[m]++
      checked++
      const d = model.details(v, x)
      if (d.mark !== m || d.touchedBy.find((t) => t.layer === l)?.change !== m || (m === MARK_REMOVED) !== (v.present[x] === REMOVED_HERE))
        throw new Error(`${model.path(x)} in layer ${l + 1}: tree ${m}, details ${d.mark}, touched ${JSON.stringify(d.touchedBy)}`)
    }
    expect({ layer: l, added: counts?.added, modified: counts?.modified, removed: counts?.removed }).toEqual({ layer: l, added: seen[MARK_ADDED], modified: seen[MARK_MODIFIED], removed: seen[MARK_REMOVED] })
  }
  return checked
}

describe('change marks on real images', () => {
  let index: LayerIndex

  beforeAll(async () => {
    const ctx = mkdtempSync(join(work, 'ctx-'))
    await buildImage(docker, { contextDir: ctx, dockerfile: DOCKERFILE, tag: TAG, buildkit: true })
    index = await layers.index(TAG)
  }, 180_000)

  afterAll(async () => {
    await docker
      .getImage(TAG)
      .remove({ force: true })
      .catch(() => undefined)
    rmSync(work, { recursive: true, force: true })
  })

  it('marks what each step did, folders by their contents', () => {
    const model = new LayerModel(index)
    const top = model.layerCount - 1
    // WORKDIR /src: one folder added, and the layer list counts it.
    expect(treeMarks(model, top - 3, '/src')).toEqual({ '/src': '+' })
    expect(model.marks[top - 3]?.counts).toEqual({ added: 1, modified: 0, removed: 0, folders: { added: 1, modified: 0, removed: 0 } })
    expect(treeMarks(model, top - 2, '/src')).toEqual({
      '/src': '~',
      '/src/a': '+',
      '/src/b': '+',
      '/src/d': '+',
      '/src/d/y': '+',
      '/src/gone-dir': '+',
      '/src/gone-dir/sub': '+',
      '/src/gone-dir/sub/x': '+',
    })
    // A rewritten file, a removed file, a removed folder with everything in it, a folder's mode.
    expect(treeMarks(model, top - 1, '/src')).toEqual({
      '/src': '~',
      '/src/a': '~',
      '/src/b': '-',
      '/src/d': '~',
      '/src/gone-dir': '-',
      '/src/gone-dir/sub': '-',
      '/src/gone-dir/sub/x': '-',
    })
    // A folder removed and made again in one step (opaque): it stays, modified; y went, z came.
    expect(treeMarks(model, top, '/src')).toEqual({ '/src': '~', '/src/d': '~', '/src/d/y': '-', '/src/d/z': '+' })
  })

  it('agrees in the tree, the layer list and the details on every path and layer', () => {
    expect(expectAgreement(index)).toBeGreaterThan(10)
  })

  it('agrees on the stand-in bases too', async () => {
    for (const image of [TEST_ALPINE, TEST_DISTROLESS]) expect(expectAgreement(await layers.index(image))).toBeGreaterThan(0)
  }, 120_000)
})
