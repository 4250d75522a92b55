import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROBE_NET_LABEL, PROBE_OWNER_LABEL } from '../../electron/services/build/measure'
import { formatBytes } from '../../shared/format'
import { STAND_IN_BASES, STAND_IN_BUILDER } from '../support/services'
import { ARTIFACTS, launchChromium, removeTags, ROOT, startWeb, type WebApp } from './support'

// The Compare tab in browser mode against the real host and engine: a copy of the example (its own
// module name, so its image tags are its own) built on three bases through the stand-ins; the
// numbers on screen are checked against `docker image inspect`, the CSV and PNG exports are read
// back, and the history sets a later comparison against this one.

const run = promisify(execFile)
const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-cmp-${RUN}`
const BASES = ['scratch', 'distroless-static', 'alpine'] as const
const LABELS: Record<string, string> = { scratch: 'Scratch', 'distroless-static': 'Distroless static', alpine: 'Alpine' }

let web: WebApp
let browser: Browser
let page: Page
let tmp: string
const errors: string[] = []

interface Inspect {
  Id: string
  Size: number
  RootFS: { Layers: string[] }
}
async function inspect(ref: string): Promise<Inspect> {
  const { stdout } = await run('docker', ['image', 'inspect', ref])
  return (JSON.parse(stdout) as Inspect[])[0] as Inspect
}

const row = (base: string) => page.locator(`[data-testid="compare-row"][data-base="${base}"]`)

async function shoot(name: string, width: number, height: number, dark = false): Promise<void> {
  await page.setViewportSize({ width, height })
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' })
  // Let the chart re-measure and colour transitions finish.
  await page.waitForTimeout(350)
  await page.screenshot({ path: join(ARTIFACTS, `e2e-compare-${name}${dark ? '-dark' : ''}.png`) })
}

/** PNG width and height from its IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-compare-'))
  const dir = join(tmp, NAME)
  cpSync(join(ROOT, 'examples/hello-api'), dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${NAME}`))
  ;[web, browser] = await Promise.all([startWeb({}, [dir]), launchChromium()])
  // Settings are read on the first request, which the page makes: writing them now is in time.
  writeFileSync(join(web.dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER }))
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(web.url)
})

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  await removeTags(`slipway/${NAME}`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('compare bases', () => {
  it('offers the default three bases ticked, debian-slim optional', async () => {
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 20_000 }).toBe(NAME)
    await page.getByTestId('view-switch').getByRole('radio', { name: 'Compare' }).click()
    await page.getByTestId('compare-view').waitFor()
    for (const b of BASES) expect(await page.getByTestId(`compare-base-${b}`).getAttribute('data-state')).toBe('checked')
    expect(await page.getByTestId('compare-base-debian-slim').getAttribute('data-state')).toBe('unchecked')
    expect(await page.getByTestId('compare-start').textContent()).toContain('Compare 3 bases')
    await expect.poll(() => page.getByTestId('compare-history').textContent()).toContain('None yet')
  })

  it('reserves a row per base at once and says what each one is doing, with the running step', async () => {
    await page.getByTestId('compare-start').click()
    // Every chosen base has its row from the first moment: nothing jumps as results arrive.
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(3)
    expect(await page.locator('[data-testid="compare-chart"] .chart-row').count()).toBe(3)
    expect(await page.getByTestId('compare-cancel').isVisible()).toBe(true)
    const title = page.getByTestId('compare-status-title')
    // The service builds every base at once (BuildKit shares the builder stage).
    await expect.poll(() => title.textContent(), { timeout: 60_000 }).toBe('Building Scratch, Distroless static and Alpine')
    expect(await row('alpine').getAttribute('data-state')).toBe('building')
    // The builds' own step names stream in, in the status line and in each waiting row.
    await expect.poll(() => page.getByTestId('compare-status-step').textContent(), { timeout: 120_000 }).toMatch(/^(Scratch|Distroless static|Alpine): \S/)
    expect(await page.getByTestId('compare-status-step').textContent()).not.toContain('--mount=')
    // The comparison's builds are not taken for the project's own build: no spinning Build button, no switch to the Build view.
    expect(await page.getByTestId('build-button').locator('.rt-Spinner').count()).toBe(0)
    expect(await page.getByTestId('view-switch').getByRole('radio', { name: 'Compare' }).getAttribute('aria-checked')).toBe('true')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-compare-running-1440x900.png') })
    // Rows still building (with their long step names) never push the table wider than the view.
    expect(await page.locator('.cmp-table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
    await expect.poll(() => title.textContent(), { timeout: 400_000, interval: 250 }).toMatch(/^[123] of 3 measured/)
  }, 560_000)

  it('fills the chart and the table with the sizes docker image inspect reports', async () => {
    const status = page.getByTestId('compare-status')
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 600_000, interval: 1000 }).toBe('succeeded')
    expect(await page.getByTestId('compare-status-title').textContent()).toMatch(/^Compared 3 bases in [\dm. ]+s$/)
    const aria = (await page.locator('[data-testid="compare-chart"] svg').getAttribute('aria-label')) ?? ''
    const sizes: number[] = []
    for (const b of BASES) {
      const info = await inspect(`slipway/${NAME}:${b}`)
      sizes.push(info.Size)
      const r = row(b)
      expect(await r.getAttribute('data-state')).toBe('done')
      expect(await r.getByTestId('cell-size').textContent()).toBe(formatBytes(info.Size))
      expect(await r.getByTestId('cell-layers').textContent()).toBe(String(info.RootFS.Layers.length))
      expect(await page.locator(`.chart-row[data-base="${b}"] [data-testid="chart-size"]`).textContent()).toBe(formatBytes(info.Size))
      expect(aria).toContain(`${LABELS[b]} ${formatBytes(info.Size)}`)
      // Binary + overhead add up to the image, as shown.
      const binary = (await r.getByTestId('cell-binary').textContent()) ?? ''
      expect(binary).toMatch(/^[\d.]+ (B|kB|MB)$/)
      // Cold starts are timed after every build, then fill their cells, saying when on hover.
      expect(await r.getByTestId('cell-cold').textContent()).toMatch(/^[\d.]+ (ms|s)$/)
      expect(await r.getByTestId('cell-cold').getAttribute('title')).toMatch(/^Timed \S.*\nCold start: container start until the port answers \(or until exit for a CLI\); network setup excluded — it is the same for every base\.$/)
    }
    // The verdicts name the smallest base, and the chart highlights that one.
    const smallest = BASES[sizes.indexOf(Math.min(...sizes))] as string
    expect(await row(smallest).getByTestId('compare-verdict').textContent()).toContain('the smallest')
    expect(await page.locator('.chart-label.is-best').textContent()).toBe(LABELS[smallest])
    expect(await row('distroless-static').getByTestId('compare-verdict').textContent()).toMatch(/^distroless-static: \+[\d.]+ (B|kB|MB) over scratch for a CA bundle, tz data and a non-root user\./)
    expect(aria).toContain(`Smallest: ${LABELS[smallest]}`)
  }, 620_000)

  it('opens Run for a row’s image, and the row’s image in the layer explorer', async () => {
    await row('scratch').getByTestId('run-button').click()
    const dialog = page.getByTestId('run-dialog')
    await dialog.waitFor()
    // Run proposes the port the example listens on.
    await expect.poll(() => dialog.getByTestId('run-port-row').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await row('alpine').getByTestId('compare-open-layers').click()
    await expect.poll(() => page.getByTestId('image-title').textContent(), { timeout: 15_000 }).toContain(`slipway/${NAME}:alpine`)
    // Back to the comparison, as it was.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Projects/ }).click()
    await page.getByTestId('compare-view').waitFor()
    expect(await page.getByTestId('compare-status').getAttribute('data-phase')).toBe('succeeded')
  })

  it('looks right at 1024, 1440 and 1920 wide, nothing cut off', async () => {
    for (const [w, h] of [
      [1024, 700],
      [1440, 900],
      [1920, 1080],
    ] as const) {
      await shoot(`${w}x${h}`, w, h)
      // The table fits without a horizontal scroll bar, and the chart fits its card.
      const overflow = await page.locator('.cmp-table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth)
      expect(overflow, `table overflows at ${w}px`).toBeLessThanOrEqual(0)
      // Every header and cell fits its column (headers wrap between words, never inside one).
      const spilled = await page.locator('.cmp-table thead th, .cmp-main td').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent))
      expect(spilled, `cut off at ${w}px`).toEqual([])
      const chart = await page.locator('[data-testid="compare-chart"]').evaluate((el) => ({ svg: el.querySelector('svg')?.getBoundingClientRect().width ?? 0, box: el.getBoundingClientRect().width }))
      expect(chart.svg).toBeGreaterThan(0)
      expect(chart.svg).toBeLessThanOrEqual(chart.box)
      // The size labels end inside the chart.
      const right = await page.locator('[data-testid="chart-size"]').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)))
      expect(right).toBeLessThanOrEqual(chart.box + (await page.locator('[data-testid="compare-chart"]').evaluate((el) => el.getBoundingClientRect().left)))
    }
    await shoot('1440x900', 1440, 900, true)
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('copies the comparison as Markdown for a pull request', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web.url).origin })
    await page.getByTestId('compare-export').click()
    await page.getByTestId('export-markdown').click()
    await expect.poll(() => page.getByTestId('compare-export-said').textContent()).toBe('Markdown copied')
    // A string, because this file is compiled without the DOM's types.
    const md = (await page.evaluate('navigator.clipboard.readText()')) as string
    expect(md.startsWith(`### ${NAME} on 3 bases\n`)).toBe(true)
    for (const b of BASES) expect(md).toContain(`| ${b} | ${formatBytes((await inspect(`slipway/${NAME}:${b}`)).Size)} |`)
    expect(md).toContain('- scratch: the smallest')
  })

  it('exports CSV with the exact byte counts and the chart as PNG', async () => {
    await page.getByTestId('compare-export').click()
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv-download').click()])
    expect(csvDownload.suggestedFilename()).toMatch(new RegExp(`^${NAME}-compare-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.csv$`))
    // Said for 2.5 s: read before the docker inspects below (seconds each on a busy engine).
    await expect.poll(() => page.getByTestId('compare-export-said').textContent()).toBe('CSV saved')
    const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n')
    const head = (csv[0] as string).split(',')
    expect(head.slice(0, 4)).toEqual(['base', 'baseImage', 'imageId', 'sizeBytes'])
    expect(csv).toHaveLength(4)
    for (const [i, b] of BASES.entries()) {
      const cells = (csv[i + 1] as string).split(',')
      const info = await inspect(`slipway/${NAME}:${b}`)
      expect(cells[0]).toBe(b)
      expect(cells[2]).toBe(info.Id)
      expect(Number(cells[head.indexOf('sizeBytes')])).toBe(info.Size)
      expect(Number(cells[head.indexOf('layers')])).toBe(info.RootFS.Layers.length)
    }

    await page.getByTestId('compare-export').click()
    expect(await page.getByTestId('export-png').textContent()).toBe('Download chart as PNG')
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()])
    expect(pngDownload.suggestedFilename()).toMatch(/\.png$/)
    const png = readFileSync(await pngDownload.path())
    writeFileSync(join(ARTIFACTS, 'e2e-compare-chart.png'), png)
    const svg = await page.locator('[data-testid="compare-chart"] svg').boundingBox()
    // Twice the on-screen size, for sharp text in documents.
    expect(pngSize(png)).toEqual({ width: Math.round((svg?.width ?? 0) * 2), height: Math.round((svg?.height ?? 0) * 2) })
    // A picture, not a blank canvas: a real chart compresses to more than a few kB.
    expect(png.length).toBeGreaterThan(8_000)
  })

  it('keeps the comparison in the history and sets a later one against it', async () => {
    // After a reload the page shows the last comparison from the history.
    await page.reload()
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 20_000 }).toBe(NAME)
    await page.getByTestId('view-switch').getByRole('radio', { name: 'Compare' }).click()
    await expect.poll(() => page.getByTestId('compare-status').getAttribute('data-phase'), { timeout: 10_000 }).toBe('history')
    expect(await page.getByTestId('compare-row').count()).toBe(3)
    const scratch = await inspect(`slipway/${NAME}:scratch`)
    expect(await row('scratch').getByTestId('cell-size').textContent()).toBe(formatBytes(scratch.Size))

    // A second comparison of one base (cached: quick), then the first one is an earlier comparison.
    await page.getByTestId('compare-base-distroless-static').click()
    await page.getByTestId('compare-base-alpine').click()
    expect(await page.getByTestId('compare-start').textContent()).toContain('Compare 1 base')
    await page.getByTestId('compare-start').click()
    await expect.poll(() => page.getByTestId('compare-status').getAttribute('data-phase'), { timeout: 300_000, interval: 1000 }).toBe('succeeded')
    expect(await page.getByTestId('compare-row').count()).toBe(1)
    const item = page.getByTestId('compare-history-item')
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.textContent()).toContain('3 bases')
    await item.click()
    expect(await item.getAttribute('aria-pressed')).toBe('true')
    // The same build from the cache: the same size, so no change against the earlier comparison.
    await expect.poll(() => row('scratch').getByTestId('cell-size').getByTestId('compare-delta').textContent()).toBe('±0')
    expect(await page.getByTestId('chart-baseline-marker').count()).toBe(1)
    await shoot('history-1440x900', 1440, 900)
    // One more click clears it.
    await item.click()
    await expect.poll(() => page.getByTestId('compare-delta').count()).toBe(0)
  }, 320_000)

  it('cancels a running comparison with Esc, from the keyboard alone', async () => {
    await page.getByTestId('compare-base-scratch').click()
    await page.getByTestId('compare-base-debian-slim').click()
    await page.getByTestId('compare-start').focus()
    await page.keyboard.press('Enter')
    const title = page.getByTestId('compare-status-title')
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toBe('Building Debian slim')
    // Compare became Cancel in place: the focus stayed in the view, so Esc reaches it.
    expect(await page.getByTestId('compare-cancel').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('compare-status').getAttribute('data-phase'), { timeout: 30_000 }).toBe('cancelled')
    expect(await title.textContent()).toBe('Cancelled after 0 of 1')
    expect(await row('debian-slim').getAttribute('data-state')).toBe('skipped')
    expect(await page.getByTestId('compare-start').isEnabled()).toBe(true)
    expect(errors).toEqual([])
  }, 90_000)

  // The last test: it ends the browser-mode server.
  it('removes its probe containers and their network holder when browser mode quits mid-comparison', async () => {
    const owner = `label=${PROBE_OWNER_LABEL}=${hostname()}:${web.proc.pid}`
    const ps = async (...filters: string[]) => (await run('docker', ['ps', '-aq', '--no-trunc', '--filter', owner, ...filters])).stdout.split('\n').filter(Boolean)
    // Debian slim alone (ticked by the test before): never measured in this session, so it is timed.
    expect(await page.getByTestId('compare-start').textContent()).toContain('Compare 1 base')
    await page.getByTestId('compare-start').click()
    // Quit once the holder (made at the start) and the probe (made beside the measuring) both exist.
    await expect.poll(async () => [(await ps('--filter', `label=${PROBE_NET_LABEL}`)).length, (await ps()).length], { timeout: 240_000, interval: 100 }).toEqual([1, 2])
    await web.stop()
    expect(web.proc.exitCode).toBe(0)
    expect(await ps()).toEqual([])
  }, 260_000)
})
