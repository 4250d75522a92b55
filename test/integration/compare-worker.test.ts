// The image comparison as the page now gets it — both indexes packed as the cache holds them, compared
// the way the comparison worker does, read back entry by entry — says exactly what compareTrees said on
// the indexes as they were built, on real images from the engine.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { Layers } from '../../electron/services/layers/layers'
import { compareTrees } from '../../shared/layers/compare'
import { comparePacked, comparisonFromTransfer } from '../../shared/layers/compare-transfer'
import { plainComparison } from '../support/plain-index'

const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-compare-worker-'))
const layers = new Layers({ docker: () => new Dockerode(), cacheDir, emit: () => undefined, prewarm: false })
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }))

const PAIRS = [
  ['slipway-test/distroless-static:nonroot', 'slipway-test/alpine:3.20'],
  ['slipway-test/alpine:3.20', 'slipway-test/debian-slim:bookworm'],
] as const

describe('the comparison worker on the integration images', () => {
  for (const [a, b] of PAIRS) {
    it(`${a} vs ${b}: the same result as comparing the built indexes`, async () => {
      const [ia, ib] = [await layers.index(a, { refresh: true }), await layers.index(b, { refresh: true })]
      await layers.whenCached()
      const [pa, pb] = [await layers.packed(ia.imageId), await layers.packed(ib.imageId)]
      expect(pa).toBeDefined()
      expect(pb).toBeDefined()
      const before = compareTrees(ia, ib)
      const now = comparisonFromTransfer(comparePacked(pa as Uint8Array, pb as Uint8Array))
      expect(before.root.children.length).toBeGreaterThan(0)
      expect(plainComparison(now)).toEqual(plainComparison(before))
    }, 180_000)
  }
})
