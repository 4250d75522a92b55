// Reopening a 100,000-file image from the index cache, and comparing two of them, against the JSON
// path the index used to take. Run: npx tsx bench/layers-transfer.bench.ts   (figures; no pass/fail)
//
// 1. Host + page work per reopen, in this process: the packed path (the summary from the cache file's
//    header, the file's bytes as one binary frame, unpacked) against the old JSON path (the cache file
//    parsed twice — the hit check and layers.get —, the answer stringified, the page's JSON.parse).
// 2. In Chromium: the same two transfers over a WebSocket into a page (a bench-owned socket; the page
//    gets shared/layers/packed.ts bundled by esbuild), from the request to the parsed index.
// 3. In Chromium against browser mode: open the image again (click its row → tree rows in the DOM and
//    the next frame: in a fresh page the first view that layers.done carries, shared/layers/first-view.ts),
//    in the same page (the page keeps the indexes it has) and in a fresh page (from the host's cache
//    file), then until the explorer itself is there (the whole index, its model), with the page's own
//    User Timing measures of each part. Goal < 200 ms painted.
// 4. In Chromium against browser mode: compare it with the second 100,000-file image (both cached),
//    from choosing B to the comparison on screen, with the page's long tasks (PerformanceObserver) and
//    its longest gap between frames; against the same comparison on the page's main thread, as it
//    ran before (compareTrees on both unpacked indexes in the page). Goal: no long task.
// 5. Swap A and B on the comparison shown: time and long tasks.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { WebSocketServer } from 'ws'
import { appInfo } from '../electron/host/app-info'
import { EventHub } from '../electron/host/events'
import { createHandlers } from '../electron/host/handlers'
import { startWsHost } from '../electron/host/ws-host'
import { createServices } from '../electron/services'
import { Layers } from '../electron/services/layers/layers'
import { IndexCache } from '../electron/services/layers/cache'
import { formatBytes } from '../shared/format'
import { unpackLayerIndex } from '../shared/layers/packed'
import { binaryResultFrame } from '../shared/rpc'
import { launchChromium, ROOT } from '../test/e2e/support'
import { clickIn, installTimer, installWatch, median, ms, takeMeasures, topScripts, type Timing, type Watched } from './support/chromium-timing'
import { ensureSynthetic, SYNTHETIC_100K, SYNTHETIC_100K_B } from './synthetic-images'

// With their tags: the table and the picker match by substring, and A's name is the start of B's.
const tagged = (image: string) => (/:[^/]+$/.test(image) ? image : `${image}:latest`)
const A = tagged(process.env.IMAGE ?? SYNTHETIC_100K)
const B = tagged(process.env.IMAGE_B ?? SYNTHETIC_100K_B)
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const docker = new Dockerode()


async function timed(f: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

/** Part 1: host + page work in Node, old JSON path vs packed, alternated. */
async function nodeSide(layers: Layers, cacheDir: string, imageId: string): Promise<{ json: string; packed: Uint8Array }> {
  const cache = new IndexCache(cacheDir)
  const packed = (await layers.packed(imageId)) as Uint8Array
  const index = unpackLayerIndex(packed)
  // The JSON the old path carried: plain arrays (an unpacked index holds typed arrays).
  const json = JSON.stringify(index, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))
  const jsonFile = join(cacheDir, 'old-format.json')
  writeFileSync(jsonFile, json)
  const oldPath = async () => {
    JSON.parse(readFileSync(jsonFile, 'utf8')) // the hit check read the whole index
    const again = JSON.parse(readFileSync(jsonFile, 'utf8')) // layers.get read it again
    const text = JSON.stringify({ id: 1, result: again }) // the WebSocket answer
    JSON.parse(text) // the page
  }
  const newPath = async () => {
    await cache.getHead(imageId)
    const bytes = (await cache.getPacked(imageId)) as Uint8Array
    const frame = binaryResultFrame(1, bytes)
    unpackLayerIndex(frame.subarray(8))
  }
  const olds: number[] = []
  const news: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    olds.push(await timed(oldPath))
    news.push(await timed(newPath))
  }
  console.log(`\n1. host + page work per reopen (Node, ${ROUNDS} rounds alternated, median)`)
  console.log(`   old JSON path        ${ms(median(olds))}   ${formatBytes(json.length).padStart(8)} on the socket`)
  console.log(`   packed path          ${ms(median(news))}   ${formatBytes(packed.length).padStart(8)} on the socket`)
  console.log(`   ratio packed / JSON  ${(median(news) / median(olds)).toFixed(2)} (time), ${(packed.length / json.length).toFixed(2)} (bytes)`)
  return { json, packed }
}

/** shared/layers/packed.ts and compare.ts as one script for the page (window.SlipwayBench). */
async function pageBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents:
        "export { unpackLayerIndex } from './shared/layers/packed'\nexport { compareTrees } from './shared/layers/compare'\nexport { LayerModel } from './renderer/src/features/images/layer-model'\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'SlipwayBench',
    write: false,
    minify: true,
  })
  return out.outputFiles[0]!.text
}

/** Part 2: the two transfers into a page over a bench-owned WebSocket. */
async function pageTransfer(page: Page, data: { json: string; packed: Uint8Array; packedB: Uint8Array }): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  wss.on('connection', (ws) =>
    ws.on('message', (m) => {
      const what = String(m)
      if (what === 'json') ws.send(JSON.stringify({ id: 1, result: JSON.parse(data.json) }))
      else if (what === 'packed') ws.send(binaryResultFrame(1, data.packed), { binary: true })
      else if (what === 'packedB') ws.send(binaryResultFrame(2, data.packedB), { binary: true })
    }),
  )
  await new Promise((r) => wss.once('listening', r))
  const port = (wss.address() as { port: number }).port
  try {
    await page.addScriptTag({ content: await pageBundle() })
    const result = (await page.evaluate(`(async () => {
      const ws = new WebSocket('ws://127.0.0.1:${port}')
      ws.binaryType = 'arraybuffer'
      await new Promise((r) => (ws.onopen = r))
      const ask = (what) => new Promise((resolve) => {
        const t0 = performance.now()
        ws.onmessage = (m) => {
          const got = performance.now()
          const index = typeof m.data === 'string' ? JSON.parse(m.data).result : SlipwayBench.unpackLayerIndex(new Uint8Array(m.data, 8))
          resolve({ total: performance.now() - t0, decode: performance.now() - got, files: index.tree.node.length, bytes: m.data })
        }
        ws.send(what)
      })
      const json = [], packed = []
      for (let r = 0; r < ${ROUNDS}; r++) {
        json.push(await ask('json'))
        packed.push(await ask('packed'))
      }
      // The old compare, on the main thread: both indexes as the page had them, then compareTrees.
      const a = SlipwayBench.unpackLayerIndex(new Uint8Array(packed[0].bytes, 8))
      const b = SlipwayBench.unpackLayerIndex(new Uint8Array((await ask('packedB')).bytes, 8))
      // What the page does with the open image's index once it is here: the explorer's model, its top layer's view, the first rows.
      const model = []
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now()
        const m = new SlipwayBench.LayerModel(a)
        const t1 = performance.now()
        const view = m.view(m.layerCount - 1)
        const t2 = performance.now()
        m.rows({ view, sort: 'size', expanded: new Uint8Array(m.n), filter: null })
        model.push({ construct: t1 - t0, view: t2 - t1, rows: performance.now() - t2 })
      }
      const mainThread = []
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now()
        const cmp = SlipwayBench.compareTrees(a, b)
        const ms = performance.now() - t0
        // What the page pays to take the worker's answer (a structured clone: copy in, copy out).
        const t1 = performance.now()
        structuredClone(cmp)
        mainThread.push({ ms, changed: cmp.changed.files, onlyB: cmp.onlyB.files, cloneMs: performance.now() - t1 })
      }
      ws.close()
      const strip = (xs) => xs.map(({ total, decode, files }) => ({ total, decode, files }))
      return { json: strip(json), packed: strip(packed), mainThread, model }
    })()`)) as {
      json: { total: number; decode: number; files: number }[]
      packed: { total: number; decode: number; files: number }[]
      mainThread: { ms: number; changed: number; onlyB: number; cloneMs: number }[]
      model: { construct: number; view: number; rows: number }[]
    }
    const m = (xs: { total: number; decode: number }[], k: 'total' | 'decode') => median(xs.map((x) => x[k]))
    console.log(`\n2. into a page over a WebSocket (Chromium, ${ROUNDS} rounds alternated, median; ${result.packed[0]?.files} rows in the final tree)`)
    console.log(`   old JSON             ${ms(m(result.json, 'total'))} request → index   (JSON.parse ${ms(m(result.json, 'decode'))})`)
    console.log(`   packed               ${ms(m(result.packed, 'total'))} request → index   (unpack     ${ms(m(result.packed, 'decode'))})`)
    console.log(`   ratio packed / JSON  ${(m(result.packed, 'total') / m(result.json, 'total')).toFixed(2)}`)
    const md = (k: 'construct' | 'view' | 'rows') => ms(median(result.model.map((x) => x[k])))
    console.log(`   then the explorer (renderer/src/features/images/layer-model.ts, median of 3): new LayerModel ${md('construct')}, top layer's view ${md('view')}, first rows ${md('rows')}`)
    const cmp = result.mainThread
    console.log(`   the comparison on the page's main thread (before): ${ms(median(cmp.map((c) => c.ms)))} in one task (${cmp[0]?.changed} changed, ${cmp[0]?.onlyB} only in B)`)
    console.log(`   a structured clone of that comparison (the worker's answer, both ends): ${ms(median(cmp.map((c) => c.cloneMs)))}`)
    ;(globalThis as { mainThreadCompareMs?: number }).mainThreadCompareMs = median(cmp.map((c) => c.ms))
  } finally {
    wss.close()
  }
}

/**
 * Opens `image` from the table (click → tree rows painted: the first view, or the explorer's own rows),
 * then waits for the explorer itself (its search box: the whole index here and its model made);
 * with the page's own measures of what it did meanwhile.
 */
async function openRow(page: Page, image: string): Promise<Timing & { ready: number; measures: Record<string, number> }> {
  await page.getByLabel('Filter images by tag or id').fill(image)
  await page.locator('.itable-row', { hasText: image }).first().waitFor()
  await takeMeasures(page)
  const t = (await page.evaluate(`(() => { window.__clickAt = performance.now(); return window.__time(${clickIn('.itable-row', image)}, () => document.querySelector('.tree-row') !== null) })()`)) as Timing
  // Polled per frame in the page (the app's CSP refuses waitForFunction's string eval).
  const ready = (await page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now()
    const tick = () => document.querySelector('[data-testid="tree-search"]') ? resolve(performance.now() - window.__clickAt) : performance.now() - t0 > 60000 ? reject(new Error('no explorer within 60 s')) : requestAnimationFrame(tick)
    tick()
  })`)) as number
  return { ...t, ready, measures: await takeMeasures(page) }
}

/** The median of each measure over the rounds, as one line. */
function measuresLine(rounds: Record<string, number>[]): string {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r)))]
  if (!names.length) return '(no page measures: nothing fetched or built)'
  return names.map((n) => `${n.replace('slipway:', '')} ${median(rounds.map((r) => r[n] ?? 0)).toFixed(1)} ms`).join(' · ')
}

async function main(): Promise<void> {
  await ensureSynthetic(docker, process.env.IMAGE ?? SYNTHETIC_100K)
  await ensureSynthetic(docker, process.env.IMAGE_B ?? SYNTHETIC_100K_B)
  console.log(`${A} vs ${B}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  // BENCH_DATA_DIR keeps the indexes between runs (the first open then comes from the cache too).
  const kept = process.env.BENCH_DATA_DIR
  if (kept) mkdirSync(kept, { recursive: true })
  const cacheDir = kept ?? mkdtempSync(join(tmpdir(), 'slipway-transfer-bench-'))
  const layers = new Layers({ docker: () => docker, cacheDir, emit: () => undefined, prewarm: false })
  // Browser mode in this process (as web.ts wires it), serving its own copy of the renderer build:
  // others may rebuild out/renderer while this runs.
  // RENDERER_DIR: a renderer build of one's own (e.g. before/after a change) instead of out/renderer.
  const rendererDir = process.env.RENDERER_DIR ?? join(ROOT, 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  const staticDir = join(cacheDir, 'renderer')
  rmSync(staticDir, { recursive: true, force: true })
  cpSync(rendererDir, staticDir, { recursive: true })
  const hub = new EventHub()
  const services = createServices({ emit: (event, payload) => hub.emit(event, payload), dataDir: join(cacheDir, 'data'), appVersion: '0.0.0-bench' })
  await services.engine.start()
  const host = await startWsHost({ handlers: createHandlers(services, appInfo(ROOT, 'websocket')), hub, staticDir })
  const web = { url: host.url }
  const browser = await launchChromium()
  try {
    const a = await layers.index(A)
    const b = await layers.index(B)
    await layers.whenCached()
    const data = await nodeSide(layers, cacheDir, a.imageId)
    const packedB = (await layers.packed(b.imageId)) as Uint8Array

    if (!process.env.SKIP_TRANSFER) {
      const bench = await (await browser.newContext({ bypassCSP: true })).newPage()
      await bench.goto(web.url)
      await pageTransfer(bench, { ...data, packedB })
      await bench.close()
    }

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 120_000 })
    await installTimer(page, 60_000)
    await installWatch(page)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    // First opens index both images into browser mode's own cache (not timed).
    const t0 = Date.now()
    await page.getByLabel('Filter images by tag or id').fill(A)
    await page.locator('.itable-row', { hasText: A }).first().click()
    await page.locator('.tree-row').first().waitFor({ timeout: 300_000 })
    const compareWith = async (image: string) => {
      await page.getByRole('radio', { name: 'Compare' }).click()
      await page.getByRole('combobox', { name: 'Image to compare with' }).click()
      await page.getByLabel('Search images to compare with').fill(image)
      await page.getByRole('option', { name: image }).first().click()
    }
    await compareWith(B)
    await page.getByTestId('compare-delta').waitFor({ timeout: 300_000 })
    console.log(`\n(first open and compare, indexing both: ${((Date.now() - t0) / 1000).toFixed(1)} s)`)

    const reopen: (Timing & { ready: number; measures: Record<string, number> })[] = []
    const watched: Watched[] = []
    const compareMeasures: Record<string, number>[] = []
    for (let r = 0; r < ROUNDS; r++) {
      await page.getByRole('button', { name: 'Back to the images' }).first().click()
      reopen.push(await openRow(page, A))
      await page.getByRole('radio', { name: 'Compare' }).click()
      await page.getByRole('combobox', { name: 'Image to compare with' }).click()
      await page.getByLabel('Search images to compare with').fill(B)
      await page.getByRole('option', { name: B }).first().waitFor()
      await takeMeasures(page)
      watched.push((await page.evaluate(`window.__watch(${clickIn('[role="option"]', B)}, () => document.querySelector('[data-testid="compare-delta"]') !== null)`)) as (typeof watched)[number])
      compareMeasures.push(await takeMeasures(page))
    }
    // Swap A and B on the comparison on screen, back and forth: the title names the other image.
    const swaps: Watched[] = []
    for (let r = 0; r < ROUNDS; r++) {
      const want = r % 2 === 0 ? B : A
      swaps.push((await page.evaluate(`window.__watch(() => document.querySelector('button[aria-label="Swap A and B"]').click(), () => document.querySelector('[data-testid="image-title"]')?.textContent === ${JSON.stringify(want)} && document.querySelector('[data-testid="compare-delta"]') !== null)`)) as Watched)
    }
    // A fresh page (a reload): nothing kept in the page, the index comes from the host's cache file.
    const cold: (Timing & { ready: number; measures: Record<string, number> })[] = []
    for (let r = 0; r < ROUNDS; r++) {
      await page.reload()
      await page.getByTestId('engine-version').waitFor({ timeout: 120_000 })
      await installTimer(page, 60_000)
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
      cold.push(await openRow(page, A))
    }
    const line = (what: string, ts: (Timing & { ready: number })[]) =>
      console.log(
        `   ${what.padEnd(28)} DOM ${ms(median(ts.map((t) => t.dom)))} (worst ${ms(Math.max(...ts.map((t) => t.dom)))})   painted ${ms(median(ts.map((t) => t.paint)))} (worst ${ms(Math.max(...ts.map((t) => t.paint)))})   explorer ready ${ms(median(ts.map((t) => t.ready)))}`,
      )
    console.log(`\n3. open ${A} again (browser mode, click → tree rows; ${ROUNDS} rounds, median; goal < 200 ms painted)`)
    line('in the same page', reopen)
    console.log(`      page measures: ${measuresLine(reopen.map((t) => t.measures))}`)
    line('in a fresh page (reload)', cold)
    console.log(`      page measures: ${measuresLine(cold.map((t) => t.measures))}`)
    const longs = watched.flatMap((w) => w.long)
    console.log(`\n4. compare with ${B} (both cached; choose B → comparison shown; ${ROUNDS} rounds)`)
    console.log(`   time          median ${ms(median(watched.map((w) => w.ms)))}`)
    console.log(`   long tasks    ${longs.length} in ${ROUNDS} rounds${longs.length ? `, longest ${ms(Math.max(...longs))}` : ''}   (the comparison in the page before: ${ms((globalThis as { mainThreadCompareMs?: number }).mainThreadCompareMs ?? NaN)} in one task)`)
    console.log(`   frame gaps    median of the longest per round ${ms(median(watched.map((w) => w.maxGap)))}, worst ${ms(Math.max(...watched.map((w) => w.maxGap)))}`)
    console.log(`   in long frames, per round: ${topScripts(watched)}`)
    console.log(`   page measures: ${measuresLine(compareMeasures)}`)
    const swapLongs = swaps.flatMap((w) => w.long)
    console.log(`\n5. swap A and B on the comparison shown (${ROUNDS} rounds)`)
    console.log(`   time          median ${ms(median(swaps.map((w) => w.ms)))}   long tasks ${swapLongs.length}${swapLongs.length ? `, longest ${ms(Math.max(...swapLongs))}` : ''}   longest frame gap ${ms(Math.max(...swaps.map((w) => w.maxGap)))}`)
    console.log(`   in long frames, per round: ${topScripts(swaps)}`)
    if (errors.length) console.log(`page errors:\n${errors.join('\n')}`)
  } catch (e) {
    for (const p of browser.contexts().flatMap((c) => c.pages())) await p.screenshot({ path: join(tmpdir(), 'layers-transfer-bench-failed.png') }).catch(() => undefined)
    throw e
  } finally {
    await browser.close()
    await host.close()
    services.engine.stop()
    if (!kept) rmSync(cacheDir, { recursive: true, force: true })
  }
}

await main()
