// Tree interactions of the layer explorer on a 100,000-file image, measured in Chromium against
// browser mode and the real engine: expand, search, switch layer. Goal: each under 50 ms from the
// input to the updated DOM. Run: npx tsx bench/layers-ui.bench.ts   (prints figures; no pass/fail)
//
// Each figure is timed inside the page (bench/support/chromium-timing.ts): performance.now() before the input (a click, or an input
// event in the search box), then the first DOM mutation that shows the result ("DOM"), then the next
// frame after it ("paint": requestAnimationFrame + a task, so layout and paint are included).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import Dockerode from 'dockerode'
import type { Page } from 'playwright-core'
import { launchChromium, ROOT, startWeb } from '../test/e2e/support'
import { ensureSynthetic, SYNTHETIC_100K } from './synthetic-images'
import { inPage, installTimer, report, type Row, type Timing } from './support/chromium-timing'

const IMAGE = process.env.IMAGE ?? SYNTHETIC_100K
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const GOAL_MS = 50
const docker = new Dockerode()

type Step = (page: Page) => Promise<Timing>

/** Clicks a tree row by path and waits for its aria-expanded to flip. */
const toggleRow =
  (path: string): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const sel = ${JSON.stringify(`.tree-row[data-path="${path}"]`)}
        const row = document.querySelector(sel)
        if (!row) throw new Error('no row ' + sel)
        const was = row.getAttribute('aria-expanded')
        return window.__time(() => row.click(), () => document.querySelector(sel)?.getAttribute('aria-expanded') !== was)
      })()`,
    )

/** Types a whole query into the search box as one input event and waits for the match count (or its absence). */
const search =
  (query: string): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const q = ${JSON.stringify(query)}
        const input = document.querySelector('input[data-testid="tree-search"]')
        if (!input) throw new Error('no search box')
        const state = () => (document.querySelector('[role="tree"]')?.getAttribute('data-rows') ?? '') + '|' + (document.querySelector('[data-testid="tree-matches"]')?.textContent ?? '')
        const before = state()
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set
        return window.__time(
          () => {
            setValue.call(input, q)
            input.dispatchEvent(new Event('input', { bubbles: true }))
          },
          () => {
            const matches = document.querySelector('[data-testid="tree-matches"]')?.textContent ?? ''
            return state() !== before && (q === '' ? matches === '' : /match/.test(matches))
          },
        )
      })()`,
    )

/** Clicks a layer in the list and waits for the tree to say it shows that layer. */
const switchLayer =
  (layer: number): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const row = document.querySelector('.layer-row[data-layer="${layer}"]')
        if (!row) throw new Error('no layer ${layer}')
        return window.__time(() => row.click(), () => (document.querySelector('[data-testid="tree-layer"]')?.textContent ?? '').includes('as of layer ${layer + 1} of'))
      })()`,
    )

/** Flips "Only this layer's changes" and waits for the rows to change. */
const toggleChanges: Step = (page) =>
  inPage(
    page,
    `(() => {
      const sw = document.querySelector('.tree-switch button[role="checkbox"]')
      if (!sw) throw new Error('no checkbox')
      const was = sw.getAttribute('aria-checked')
      return window.__time(() => sw.click(), () => document.querySelector('.tree-switch button[role="checkbox"]')?.getAttribute('aria-checked') !== was)
    })()`,
  )

async function main(): Promise<void> {
  await ensureSynthetic(docker, IMAGE)
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  const web = await startWeb()
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 30_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByLabel('Filter images by tag or id').fill(IMAGE)
    const t0 = Date.now()
    await page.locator('.itable-row', { hasText: IMAGE }).first().click()
    await page.getByRole('tree', { name: 'Files' }).waitFor({ timeout: 180_000 })
    const openMs = Date.now() - t0
    const files = await page.getByTestId('tree-layer').textContent()
    console.log(`${IMAGE}: opened (indexed, fetched, explorer built) in ${(openMs / 1000).toFixed(1)} s — ${files?.trim()}`)
    await installTimer(page)

    const run = async (name: string, step: Step, undo?: Step, note?: string): Promise<Row> => {
      const first = await step(page)
      const rest: Timing[] = []
      for (let i = 1; i < ROUNDS; i++) {
        if (undo) await undo(page)
        rest.push(await step(page))
      }
      if (undo) await undo(page)
      return { name, first, rest, ...(note ? { note } : {}) }
    }

    const rows: Row[] = []
    // Expand: /data holds 100 directories; /data/d12 (in sight when /data is open) holds 1,000 files, sorted by size on first open.
    rows.push(await run('expand /data (100 dirs)', toggleRow('/data'), toggleRow('/data')))
    await toggleRow('/data')(page)
    rows.push(await run('expand /data/d12 (1,000 files)', toggleRow('/data/d12'), toggleRow('/data/d12')))
    await toggleRow('/data/d12')(page)
    rows.push(await run('collapse /data (1,100 rows below)', toggleRow('/data'), toggleRow('/data')))
    // Search: every query scans all 106,000 paths; the matches' parents open by themselves.
    rows.push(await run('search "file-999" (100 matches)', search('file-999'), search(''), 'then clear'))
    rows.push(await run('search "file-9" (11,100 matches)', search('file-9'), search('')))
    rows.push(await run('search glob "/data/d1*/file-1?.txt"', search('/data/d1*/file-1?.txt'), search('')))
    await search('file-9')(page)
    rows.push(await run('clear a 11,100-match search', search(''), search('file-9')))
    await search('')(page)
    // Switch layer: the base (6,600 entries) and the 100,000-file layer; the first visit computes the view.
    const layers = await page.locator('.layer-row[data-layer]').count()
    rows.push(await run(`switch to layer 1 of ${layers}`, switchLayer(0), switchLayer(layers - 1), 'views computed while idle after opening'))
    await switchLayer(0)(page)
    rows.push(await run(`switch to layer ${layers} of ${layers}`, switchLayer(layers - 1), switchLayer(0)))
    // "Only this layer's changes" on the 100,000-file layer: every directory opens, ~106,000 rows.
    rows.push(await run(`only the changes of layer ${layers} (on)`, toggleChanges, toggleChanges, 'every row of the layer'))
    report(rows, ROUNDS, GOAL_MS)
    // Opening it again answers from the index cache: fetch the index, build the explorer, first paint.
    await page.getByRole('button', { name: 'Back to the images' }).click()
    const t1 = Date.now()
    await page.locator('.itable-row', { hasText: IMAGE }).first().click()
    await page.locator('.tree-row').first().waitFor({ timeout: 60_000 })
    console.log(`\nopen again (cached index: fetched over the socket, explorer built, first rows shown): ${Date.now() - t1} ms`)
    const heap = (await page.evaluate('performance.memory?.usedJSHeapSize ?? 0')) as number
    if (heap) console.log(`\npage JS heap after the run: ${(heap / 1024 / 1024).toFixed(0)} MiB`)
    if (errors.length) console.log(`page errors:\n${errors.join('\n')}`)
  } finally {
    await browser.close()
    await web.stop()
  }
}

await main()
