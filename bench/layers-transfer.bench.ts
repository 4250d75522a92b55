// Reopening a 100,000-file image from the index cache, and comparing two of them, against the JSON
// path the index used to take. Run: npx tsx bench/layers-transfer.bench.ts   (figures; no pass/fail)
//
// 1. Host + page work per reopen, in this process: the packed path (the summary from the cache file's
//    header, the file's bytes as one binary frame, unpacked) against the old JSON path (the cache file
//    parsed twice — the hit check and layers.get —, the answer stringified, the page's JSON.parse).
// 2. In Chromium: the same two transfers over a WebSocket into a page (a bench-owned socket; the page
//    gets shared/layers/packed.ts bundled by esbuild), from the request to the parsed index.
// 3. In Chromium against browser mode: open the image again (click its row → tree rows in the DOM and
//    the next frame). Goal < 200 ms.
// 4. In Chromium against browser mode: compare it with the second 100,000-file image (both cached),
//    from choosing B to the comparison on screen, with the page's long tasks (PerformanceObserver) and
//    its longest gap between frames; against the same comparison on the page's main thread, as it
//    ran before (compareTrees on both unpacked indexes in the page). Goal: no long task.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
import { ensureSynthetic, SYNTHETIC_100K, SYNTHETIC_100K_B } from './synthetic-images'

// With their tags: the table and the picker match by substring, and A's name is the start of B's.
const tagged = (image: string) => (/:[^/]+$/.test(image) ? image : `${image}:latest`)
const A = tagged(process.env.IMAGE ?? SYNTHETIC_100K)
const B = tagged(process.env.IMAGE_B ?? SYNTHETIC_100K_B)
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const docker = new Dockerode()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`

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
    await cache.getSummary(imageId)
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

/** In-page timer: runs `act`, resolves after `done()` holds and the next frame (as bench/layers-ui.bench.ts). */
const TIMER = `window.__time = (act, done) => new Promise((resolve, reject) => {
  let dom = -1
  const t0 = performance.now()
  let mo = null
  let timer = 0
  const finish = () => {
    dom = performance.now() - t0
    mo.disconnect()
    clearTimeout(timer)
    requestAnimationFrame(() => setTimeout(() => resolve({ dom, paint: performance.now() - t0 }), 0))
  }
  mo = new MutationObserver(() => { if (dom < 0 && done()) finish() })
  timer = setTimeout(() => { mo.disconnect(); reject(new Error('the page did not show the result within 60 s')) }, 60000)
  mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  act()
  if (dom < 0 && done()) finish()
})`

/** Long tasks and frame gaps while `act` runs until `done()` holds. */
const WATCH = `window.__watch = (act, done) => new Promise((resolve, reject) => {
  const long = []
  const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration) })
  po.observe({ type: 'longtask' })
  let last = performance.now()
  let maxGap = 0
  let frames = 0
  let running = true
  const tick = () => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; frames++; if (running) requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
  const t0 = performance.now()
  const timer = setTimeout(() => { running = false; po.disconnect(); reject(new Error('no comparison within 120 s')) }, 120000)
  const poll = () => {
    if (done()) {
      const ms = performance.now() - t0
      // One more frame, so a long task that painted the result is counted.
      requestAnimationFrame(() => setTimeout(() => { running = false; clearTimeout(timer); po.disconnect(); resolve({ ms, long, maxGap, frames }) }, 60))
    } else setTimeout(poll, 5)
  }
  act()
  poll()
})`

/** Clicks the first element matching `selector` whose text includes `text`, inside `fn` (page source). */
const clickIn = (selector: string, text: string) =>
  `() => [...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => e.textContent.includes(${JSON.stringify(text)})).click()`

async function openRow(page: Page, image: string): Promise<{ dom: number; paint: number }> {
  await page.getByLabel('Filter images by tag or id').fill(image)
  await page.locator('.itable-row', { hasText: image }).first().waitFor()
  return (await page.evaluate(`window.__time(${clickIn('.itable-row', image)}, () => document.querySelector('.tree-row') !== null)`)) as { dom: number; paint: number }
}

async function main(): Promise<void> {
  await ensureSynthetic(docker, process.env.IMAGE ?? SYNTHETIC_100K)
  await ensureSynthetic(docker, process.env.IMAGE_B ?? SYNTHETIC_100K_B)
  console.log(`${A} vs ${B}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-transfer-bench-'))
  const layers = new Layers({ docker: () => docker, cacheDir, emit: () => undefined, prewarm: false })
  // Browser mode in this process (as web.ts wires it), serving its own copy of the renderer build:
  // others may rebuild out/renderer while this runs.
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  const staticDir = join(cacheDir, 'renderer')
  cpSync(join(ROOT, 'out', 'renderer'), staticDir, { recursive: true })
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

    const bench = await (await browser.newContext({ bypassCSP: true })).newPage()
    await bench.goto(web.url)
    await pageTransfer(bench, { ...data, packedB })
    await bench.close()

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 120_000 })
    await page.evaluate(TIMER)
    await page.evaluate(WATCH)
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

    const reopen: { dom: number; paint: number }[] = []
    const watched: { ms: number; long: number[]; maxGap: number; frames: number }[] = []
    for (let r = 0; r < ROUNDS; r++) {
      await page.getByRole('button', { name: 'Back to the images' }).first().click()
      reopen.push(await openRow(page, A))
      await page.getByRole('radio', { name: 'Compare' }).click()
      await page.getByRole('combobox', { name: 'Image to compare with' }).click()
      await page.getByLabel('Search images to compare with').fill(B)
      await page.getByRole('option', { name: B }).first().waitFor()
      watched.push((await page.evaluate(`window.__watch(${clickIn('[role="option"]', B)}, () => document.querySelector('[data-testid="compare-delta"]') !== null)`)) as (typeof watched)[number])
    }
    console.log(`\n3. open ${A} again from the cache (browser mode, click → tree rows; ${ROUNDS} rounds)`)
    console.log(`   DOM     median ${ms(median(reopen.map((t) => t.dom)))}   worst ${ms(Math.max(...reopen.map((t) => t.dom)))}`)
    console.log(`   painted median ${ms(median(reopen.map((t) => t.paint)))}   worst ${ms(Math.max(...reopen.map((t) => t.paint)))}   goal < 200 ms`)
    const longs = watched.flatMap((w) => w.long)
    console.log(`\n4. compare with ${B} (both cached; choose B → comparison shown; ${ROUNDS} rounds)`)
    console.log(`   time          median ${ms(median(watched.map((w) => w.ms)))}`)
    console.log(`   long tasks    ${longs.length} in ${ROUNDS} rounds${longs.length ? `, longest ${ms(Math.max(...longs))}` : ''}   (the comparison in the page before: ${ms((globalThis as { mainThreadCompareMs?: number }).mainThreadCompareMs ?? NaN)} in one task)`)
    console.log(`   frame gaps    median of the longest per round ${ms(median(watched.map((w) => w.maxGap)))}, worst ${ms(Math.max(...watched.map((w) => w.maxGap)))}`)
    if (errors.length) console.log(`page errors:\n${errors.join('\n')}`)
  } catch (e) {
    for (const p of browser.contexts().flatMap((c) => c.pages())) await p.screenshot({ path: join(tmpdir(), 'layers-transfer-bench-failed.png') }).catch(() => undefined)
    throw e
  } finally {
    await browser.close()
    await host.close()
    services.engine.stop()
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

await main()
