// Layer indexing speed and memory, against the time it takes just to read the same save stream.
// Run: npx tsx bench/layers.bench.ts [image…]   (prints figures and ratios; no pass/fail)
//
// Images: the Go builder stand-in (slipway-test/golang:1.23, else slipway-test/debian:bookworm) and
// a synthetic image with 100,000 small files (slipway-bench/100k-files, built once and kept).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { formatBytes } from '../shared/format'
import { Layers, type IndexStats } from '../electron/services/layers/layers'
import { ensureSynthetic, SYNTHETIC_100K } from './synthetic-images'

const docker = new Dockerode()
const SYNTHETIC = SYNTHETIC_100K
const ROUNDS = Number(process.env.ROUNDS ?? 3)

async function exists(image: string): Promise<boolean> {
  return docker
    .getImage(image)
    .inspect()
    .then(() => true)
    .catch(() => false)
}

async function drain(image: string): Promise<{ ms: number; bytes: number; firstByteMs: number }> {
  const t0 = performance.now()
  let bytes = 0
  let firstByteMs = -1
  for await (const chunk of (await docker.getImage(image).get()) as AsyncIterable<Buffer>) {
    if (firstByteMs < 0) firstByteMs = performance.now() - t0
    bytes += chunk.length
  }
  return { ms: performance.now() - t0, bytes, firstByteMs }
}

function rssSampler() {
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  return () => {
    clearInterval(timer)
    return { base, peak }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function bench(image: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-bench-layers-'))
  const layers = new Layers({ docker: () => docker, cacheDir, emit: () => undefined })
  layers.prewarm()
  const reads: { ms: number; firstByteMs: number }[] = []
  const runs: IndexStats[] = []
  const cacheWaits: number[] = []
  let peakWorker = 0
  let rssGrowth = 0
  let bytes = 0
  let files = 0
  let entries = 0
  try {
    await drain(image) // warm the engine's side (its first save of an image is slower for both)
    for (let i = 0; i < ROUNDS; i++) {
      const r = await drain(image)
      reads.push(r)
      bytes = r.bytes
      const stop = rssSampler()
      const index = await layers.index(image, { refresh: true })
      const tw = performance.now()
      await layers.whenCached()
      const rss = stop()
      const stats = layers.lastStats as IndexStats
      runs.push(stats)
      cacheWaits.push(performance.now() - tw)
      peakWorker = Math.max(peakWorker, stats.peakWorkerMemory)
      rssGrowth = Math.max(rssGrowth, rss.peak - rss.base)
      files = index.summary.fileCount
      entries = index.layers.reduce((n, l) => n + l.entryCount, 0)
    }
    const t0 = performance.now()
    await layers.index(image)
    const cachedMs = performance.now() - t0
    const ms = (xs: number[]) => `${median(xs).toFixed(0).padStart(6)} ms  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`
    const read = median(reads.map((r) => r.ms))
    const idx = median(runs.map((r) => r.ms))
    const readStream = median(reads.map((r) => r.ms - r.firstByteMs))
    const idxStream = median(runs.map((r) => r.ms - r.firstByteMs))
    const busy = median(runs.map((r) => r.workerBusyMs))
    console.log(`\n${image}: ${formatBytes(bytes)} save stream, ${entries.toLocaleString('en-US')} tar entries, ${files.toLocaleString('en-US')} files in the final tree`)
    console.log(`  read the save stream to the end        ${ms(reads.map((r) => r.ms))}`)
    console.log(`    of which waiting for the first byte  ${ms(reads.map((r) => r.firstByteMs))}`)
    console.log(`  index it (inspect, stream, worker)     ${ms(runs.map((r) => r.ms))}`)
    console.log(`    of which waiting for the first byte  ${ms(runs.map((r) => r.firstByteMs))}`)
    console.log(`  then the worker writes the cache       ${ms(cacheWaits)}  (after the index is returned)`)
    console.log(`    worker busy (parsing + tree math)    ${ms(runs.map((r) => r.workerBusyMs))}`)
    console.log(`  ratio index ÷ read                     ${(idx / read).toFixed(2).padStart(6)}     (goal ≤ 1.20; best of each: ${(Math.min(...runs.map((r) => r.ms)) / Math.min(...reads.map((r) => r.ms))).toFixed(2)})`)
    console.log(`  ratio after the first byte             ${(idxStream / readStream).toFixed(2).padStart(6)}     (streaming phase only)`)
    console.log(`  worker busy ÷ read                     ${(busy / read).toFixed(2).padStart(6)}     (the indexing cost itself, which overlaps the read)`)
    console.log(`  worker peak heap + external         ${formatBytes(peakWorker, { binary: true }).padStart(9)}  (goal ≤ 250 MB for 100,000 files)`)
    console.log(`  main process RSS growth             ${formatBytes(rssGrowth, { binary: true }).padStart(9)}  (includes the worker's isolate)`)
    console.log(`  open again from the cache              ${cachedMs.toFixed(0).padStart(6)} ms`)
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

const args = process.argv.slice(2)
let images = args
if (images.length === 0) {
  const go = (await exists('slipway-test/golang:1.23')) ? 'slipway-test/golang:1.23' : 'slipway-test/debian:bookworm'
  await ensureSynthetic(docker, SYNTHETIC)
  images = [go, SYNTHETIC]
}
for (const image of images) await bench(image)
