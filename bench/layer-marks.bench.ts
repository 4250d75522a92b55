// The change marks' cost on a 100,000-file image: `layerMarks` (every layer's marks, computed once
// when the explorer opens an index) against one layer view of the same index (what the tree already
// computes per layer), and the explorer model's construction with it.
// Run: npx tsx bench/layer-marks.bench.ts   (figures; no pass/fail)
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { Layers } from '../electron/services/layers/layers'
import { LayerModel } from '../renderer/src/features/images/layer-model'
import { layerMarks } from '../shared/layers/marks'
import { ensureSynthetic, SYNTHETIC_100K } from './synthetic-images'

const docker = new Dockerode()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const time = (f: () => void) => {
  const t = performance.now()
  f()
  return performance.now() - t
}

async function main() {
  await ensureSynthetic(docker, SYNTHETIC_100K)
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-marks-'))
  try {
    const index = await new Layers({ docker: () => docker, cacheDir: dir, emit: () => undefined }).index(SYNTHETIC_100K)
    const paths = index.paths.names.length
    const marks: number[] = []
    const model: number[] = []
    const view: number[] = []
    for (let i = 0; i < 7; i++) {
      marks.push(time(() => layerMarks(index.paths.parents, index.entries)))
      let m: LayerModel | undefined
      model.push(time(() => (m = new LayerModel(index))))
      view.push(time(() => m?.view(index.layers.length - 1)))
    }
    const changed = layerMarks(index.paths.parents, index.entries).reduce((n, l) => n + l.node.length, 0)
    console.log(`${SYNTHETIC_100K}: ${paths.toLocaleString('en-US')} paths, ${index.layers.length} layers, ${changed.toLocaleString('en-US')} marks in all; load ${loadavg()[0]?.toFixed(1)}`)
    console.log(`layerMarks (every layer)     median ${median(marks).toFixed(1)} ms  (first ${marks[0]?.toFixed(1)} ms)`)
    console.log(`one layer view (baseline)    median ${median(view).toFixed(1)} ms`)
    console.log(`LayerModel incl. marks       median ${median(model).toFixed(1)} ms`)
    console.log(`ratio marks / one view       ${(median(marks) / median(view)).toFixed(2)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
