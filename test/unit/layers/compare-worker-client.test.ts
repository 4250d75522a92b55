// The page's comparison worker and its client, in-process: the real worker module and the real client,
// joined by structured clones with transfer lists (what a DOM Worker does between threads). Each index
// crosses once; the page keeps its own bytes; requests queued past the worker's room are sent again;
// a cancelled comparison's answer is dropped.
import { beforeAll, describe, expect, it } from 'vitest'
import { compareTrees } from '../../../shared/layers/compare'
import { packLayerIndex } from '../../../shared/layers/packed'
import type { LayerIndex } from '../../../shared/layers/types'
import { compareInWorker, WORKER_HELD, type CompareReply, type CompareRequest } from '../../../renderer/src/workers/compare-client'
import { inProcessWorker } from '../../support/in-process-worker'
import { imageOf } from '../../support/layer-specs'
import { plainComparison } from '../../support/plain-index'

const sent: CompareRequest[] = []
beforeAll(() => inProcessWorker<CompareRequest, CompareReply>(() => import('../../../renderer/src/workers/compare.worker'), { fromPage: (m) => sent.push(m) }))

const image = (n: number): { imageId: string; index: LayerIndex; packed: Uint8Array } => {
  const index = imageOf([['app/', ['app/server', 1000 + n], [`app/only-${n}`, n], 'etc/', ['etc/passwd', 10 * (n % 3)]]], { imageId: `sha256:${String(n).repeat(64).slice(0, 64)}` })
  return { imageId: index.imageId, index, packed: packLayerIndex(index) }
}
const withBytes = (r: CompareRequest) => [r.a, r.b].filter((s) => s.bytes !== undefined).length

describe('the comparison worker', () => {
  it('compares as compareTrees does, sends each index once, and leaves the page its bytes', async () => {
    const [a, b] = [image(1), image(2)]
    const before = sent.length
    const first = await compareInWorker(a, b).result
    expect(plainComparison(first)).toEqual(plainComparison(compareTrees(a.index, b.index)))
    expect(a.packed.length).toBeGreaterThan(0)
    expect(b.packed.byteLength).toBe(packLayerIndex(b.index).byteLength)
    const again = await compareInWorker(b, a).result
    expect(plainComparison(again)).toEqual(plainComparison(compareTrees(b.index, a.index)))
    expect(sent.slice(before).map(withBytes)).toEqual([2, 0])
  })

  it('sends indexes again when requests queued past its room made it let them go', async () => {
    const x = Array.from({ length: WORKER_HELD + 2 }, (_, i) => image(i + 3))
    const pairs: [number, number][] = [[0, 1], [2, 3], [4, 5], [0, 1]]
    const before = sent.length
    // Sent at once: the page still counts 0 and 1 as held when the worker has let them go for 2…5.
    const runs = pairs.map(([i, j]) => compareInWorker(x[i]!, x[j]!))
    const results = await Promise.all(runs.map((r) => r.result))
    results.forEach((r, k) => expect(plainComparison(r)).toEqual(plainComparison(compareTrees(x[pairs[k]![0]]!.index, x[pairs[k]![1]]!.index))))
    const mine = sent.slice(before)
    expect(mine.map(withBytes)).toEqual([2, 2, 2, 0, 2])
    expect(mine[4]?.req).toBe(mine[3]?.req)
  })

  it('drops the answer of a cancelled comparison and answers the next one', async () => {
    const [a, b, c] = [image(1), image(2), image(7)]
    const cancelled = compareInWorker(a, c)
    let settled = false
    cancelled.result.then(
      () => (settled = true),
      () => (settled = true),
    )
    cancelled.cancel()
    const next = await compareInWorker(a, b).result
    expect(plainComparison(next)).toEqual(plainComparison(compareTrees(a.index, b.index)))
    await new Promise((r) => setTimeout(r, 20))
    expect(settled).toBe(false)
  })
})
