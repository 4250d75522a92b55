// The Images page end to end in Chromium against the real engine: the header and the status bar
// count the same images; columns sort by click and by keyboard (aria-sort), remembered across a
// reload; in-use and dangling are shown and filterable; Esc and the sidebar link go back from an
// image to the list as it was; the explorer's change legend; the compare picker and metadata.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import type { Browser, Page, WebSocket } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ALPINE } from '../support/build-image'
import { buildImage } from '../support/docker-build'
import { standIn } from '../support/stand-ins'
import { ARTIFACTS, launchChromium, pageErrors, startWeb, type WebApp } from './support'

const docker = new Dockerode()
const RUN = `${process.pid}-${Date.now().toString(36)}`
const REPO = `slipway-e2e-images/app`
const TAG_A = `${REPO}:${RUN}-a`
const TAG_B = `${REPO}:${RUN}-b`
let web: WebApp
let browser: Browser
let container = ''
let ctx = ''
const pages: Page[] = []

beforeAll(async () => {
  ctx = mkdtempSync(join(tmpdir(), 'slipway-e2e-images-'))
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  // Two tags of one repository: A is the stand-in plus a folder; B adds, changes and removes files in it.
  await buildImage(docker, {
    contextDir: ctx,
    dockerfile: `FROM ${TEST_ALPINE}\nWORKDIR /src\nRUN echo one > /src/keep && echo two > /src/gone\nENV MODE=a\nLABEL org.slipway.e2e=${RUN}\n`,
    tag: TAG_A,
    buildkit: true,
  })
  await buildImage(docker, {
    contextDir: ctx,
    dockerfile: `FROM ${TAG_A}\nRUN echo changed > /src/keep && rm /src/gone && mkdir -p /src/new && echo x > /src/new/file\nENV MODE=b PORT=8080\nUSER 65532\nEXPOSE 8080\nENTRYPOINT ["/bin/sh"]\nLABEL org.slipway.e2e.b=${RUN}\n`,
    tag: TAG_B,
    buildkit: true,
  })
  container = (await docker.createContainer({ Image: TAG_A, Cmd: ['true'], Labels: { 'org.slipway.e2e': RUN } })).id
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  if (container) await docker.getContainer(container).remove({ force: true }).catch(() => undefined)
  for (const t of [TAG_B, TAG_A]) await docker.getImage(t).remove({ force: true }).catch(() => undefined)
  if (ctx) rmSync(ctx, { recursive: true, force: true })
})

/** The page's WebSockets (its connection to browser mode's host), to see what it asks. */
const sockets_ = new WeakMap<Page, WebSocket[]>()
const webSockets = (page: Page): WebSocket[] => sockets_.get(page) ?? []

async function openImages(viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, colorScheme })
  pages.push(page)
  const errors = pageErrors(page)
  const sockets: WebSocket[] = []
  sockets_.set(page, sockets)
  page.on('websocket', (ws) => sockets.push(ws))
  await page.goto(web.url)
  await page.getByTestId('engine-version').waitFor({ timeout: 60_000 })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
  await page.getByRole('grid', { name: 'Images' }).locator('.itable-row').first().waitFor({ timeout: 60_000 })
  return { page, errors }
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Images' })
const header = (page: Page, name: string) => grid(page).getByRole('columnheader', { name })
const number = (text: string | null) => Number(/([\d,]+) images?/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN)

describe('Images page', () => {
  it('counts the same images in the header and the status bar', async () => {
    const { page, errors } = await openImages()
    const toolbar = page.locator('header.toolbar').first()
    // Both refresh on the engine's events; other work (another test file) may add images meanwhile,
    // so the header, the status bar and the rows listed must meet.
    await expect
      .poll(async () => {
        const [h, s, rows] = await Promise.all([toolbar.textContent(), page.locator('.status-counts').textContent(), page.locator('.itable-row').count()])
        return number(h) === number(s) && number(h) === rows && Number.isFinite(number(h))
      }, { timeout: 15_000 })
      .toBe(true)
    // At 1024 px the count stays whole (what it holds gives way first).
    await page.setViewportSize({ width: 1024, height: 700 })
    const cut = await page.getByTestId('images-count').evaluate((el) => {
      const box = el.getBoundingClientRect()
      const clip = el.parentElement?.getBoundingClientRect()
      return box.width === 0 || !clip || box.right > clip.right + 0.5
    })
    expect(cut).toBe(false)
    expect(errors).toEqual([])
  })

  it('sorts by click and by keyboard, remembers it, and shows and filters in-use and dangling', async () => {
    const { page, errors } = await openImages()
    const sizes = async () => Promise.all((await grid(page).locator('.itable-row').all()).slice(0, 40).map(async (r) => Number(await r.getAttribute('data-size'))))
    const sorted = (xs: number[], dir: 1 | -1) => xs.every((x, i) => i === 0 || dir * (x - (xs[i - 1] as number)) >= 0)

    expect(await header(page, 'Created').getAttribute('aria-sort')).toBe('descending')
    await header(page, 'Size').getByRole('button').click()
    expect(await header(page, 'Size').getAttribute('aria-sort')).toBe('descending')
    expect(await header(page, 'Created').getAttribute('aria-sort')).toBe('none')
    expect(sorted(await sizes(), -1)).toBe(true)
    // Keyboard: the header is a button; Enter flips the order.
    await header(page, 'Size').getByRole('button').focus()
    await page.keyboard.press('Enter')
    expect(await header(page, 'Size').getAttribute('aria-sort')).toBe('ascending')
    expect(sorted(await sizes(), 1)).toBe(true)

    // Remembered: a reload keeps the order.
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await grid(page).locator('.itable-row').first().waitFor()
    expect(await header(page, 'Size').getAttribute('aria-sort')).toBe('ascending')

    // In use: the container made from A says so; Dangling: only untagged, digestless images.
    const rowA = grid(page).locator('.itable-row', { hasText: TAG_A })
    await page.getByLabel('Filter images by tag or id').fill(REPO)
    await expect.poll(() => rowA.locator('.itable-use').textContent()).toBe('1 container')
    expect(await grid(page).locator('.itable-row', { hasText: TAG_B }).locator('.itable-use').textContent()).toBe('—')
    await page.getByRole('combobox', { name: 'Which images' }).click()
    await page.getByRole('option', { name: 'In use', exact: true }).click()
    await expect.poll(() => grid(page).locator('.itable-row').count()).toBe(1)
    await page.getByLabel('Filter images by tag or id').fill('')
    await page.getByRole('combobox', { name: 'Which images' }).click()
    await page.getByRole('option', { name: 'Dangling', exact: true }).click()
    const rows = grid(page).locator('.itable-row')
    // The header's "N of M images" and the rows meet once the list has settled; every row is dangling.
    await expect
      .poll(async () => {
        const shown = Number(/(\d+) of [\d,]+ images/.exec((await page.locator('header.toolbar').first().textContent()) ?? '')?.[1] ?? -1)
        return shown > 0 && shown === (await rows.count())
      })
      .toBe(true)
    expect(await rows.locator('.itable-badge[data-kind="dangling"]').count()).toBe(await rows.count())
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-images-dangling.png') })
    await page.getByRole('combobox', { name: 'Which images' }).click()
    await page.getByRole('option', { name: 'All images' }).click()
    expect(errors).toEqual([])
  })

  it('goes back from an image with Esc and with the sidebar link, to the list as it was', async () => {
    const { page, errors } = await openImages({ width: 1024, height: 700 })
    await header(page, 'Created').getByRole('button').click()
    await header(page, 'Created').getByRole('button').click()
    expect(await header(page, 'Created').getAttribute('aria-sort')).toBe('descending')
    const table = page.locator('#image-table')
    await table.evaluate((el) => (el.scrollTop = 120))
    const before = await table.evaluate((el) => el.scrollTop)
    const row = table.locator('.itable-row').nth(8)
    const id = await row.getAttribute('data-image')
    await row.click()
    await page.getByTestId('image-title').waitFor()
    await page.keyboard.press('Escape')
    await grid(page).waitFor()
    expect(await table.evaluate((el) => el.scrollTop)).toBe(before)
    expect(await table.locator('.itable-row[aria-selected="true"]').getAttribute('data-image')).toBe(id)
    // The keys work at once: Enter opens the highlighted image again; the sidebar's Images goes back.
    await page.keyboard.press('Enter')
    await page.getByTestId('image-title').waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await grid(page).waitFor()
    expect(await table.evaluate((el) => el.scrollTop)).toBe(before)
    for (const [w, h] of [
      [1024, 700],
      [1440, 900],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.screenshot({ path: join(ARTIFACTS, `e2e-images-table-${w}.png`) })
    }
    expect(errors).toEqual([])
  })
})

describe('layer explorer marks', () => {
  it('agree in the layer list, the tree and the details, with a legend', async () => {
    const { page, errors } = await openImages({ width: 1440, height: 900 })
    await page.getByLabel('Filter images by tag or id').fill(TAG_B)
    await grid(page).locator('.itable-row', { hasText: TAG_B }).click()
    await page.getByRole('tree', { name: 'Files' }).waitFor({ timeout: 60_000 })
    const legend = page.getByTestId('mark-legend')
    expect(await legend.textContent()).toMatch(/\+added~modified−removed/)

    // The WORKDIR layer makes only /src: the list says +1 (a folder), the tree marks /src added.
    const workdir = page.locator('.layer-row', { hasText: 'WORKDIR /src' })
    await workdir.click()
    expect(await workdir.getByTestId('change-counts').locator('[data-tone="added"]').getAttribute('aria-label')).toBe('1 path added (a folder)')
    const src = page.locator('.tree-row[data-path="/src"]')
    expect(await src.getAttribute('data-tone')).toBe('added')
    await src.click()
    await expect.poll(() => page.getByTestId('file-details').textContent()).toContain('added in this layer')

    // B's RUN: /src/keep rewritten, /src/gone removed, /src/new/file added; /src changes by its contents.
    const runB = page.locator('.layer-row', { hasText: 'rm /src/gone' })
    await runB.click()
    const counts = runB.getByTestId('change-counts')
    expect(await counts.textContent()).toBe('+2~2−1')
    const tone = (p: string) => page.locator(`.tree-row[data-path="${p}"]`).getAttribute('data-tone')
    await page.locator('.tree-row[data-path="/src"]').click()
    if ((await page.locator('.tree-row[data-path="/src"]').getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight')
    expect(await tone('/src')).toBe('modified')
    expect(await tone('/src/keep')).toBe('modified')
    expect(await tone('/src/gone')).toBe('removed')
    expect(await tone('/src/new')).toBe('added')
    const details = page.getByTestId('file-details')
    await expect.poll(() => details.textContent()).toContain('modified in this layer')
    // The details list the same layers with the same marks: WORKDIR added it, A's and B's RUN filled it.
    const touched = details.locator('.touched-row')
    expect(await touched.count()).toBe(3)
    const words = await Promise.all((await touched.all()).map((r) => r.getByRole('img').getAttribute('aria-label')))
    expect(words).toEqual(['added', 'modified', 'modified'])
    // Only this layer's changes shows exactly what the counts count.
    await page.getByText('Only this layer’s changes').first().click()
    await expect.poll(() => page.locator('.tree-row[data-tone]').count()).toBe(5)

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const [w, h] of [
        [1024, 700],
        [1440, 900],
        [1920, 1080],
      ] as const) {
        await page.setViewportSize({ width: w, height: h })
        await page.screenshot({ path: join(ARTIFACTS, `e2e-images-marks-${w}-${scheme}.png`) })
      }
    }
    // At 1024 px the tree's toolbar keeps one row: sort and collapse are in the ⋯ menu.
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.getByTestId('tree-more').click()
    await page.getByRole('menuitemradio', { name: 'Name' }).click()
    await expect.poll(() => page.locator('.tree-row').first().getAttribute('data-path')).toBe('/src')
    expect(errors).toEqual([])
  })
})

describe('compare', () => {
  it('picks B from a searchable list (same repository first, with sizes), swaps A and B, and lines up their metadata', async () => {
    const { page, errors } = await openImages({ width: 1440, height: 900 })
    await page.getByLabel('Filter images by tag or id').fill(TAG_A)
    await grid(page).locator('.itable-row', { hasText: TAG_A }).click()
    await page.getByRole('tree', { name: 'Files' }).waitFor({ timeout: 60_000 })
    await page.getByRole('radio', { name: 'Compare' }).click()
    await page.getByRole('combobox', { name: 'Image to compare with' }).click()
    // The other tag of the same repository leads, under its own heading, with its size.
    const first = page.getByRole('listbox', { name: 'Images' }).getByRole('option').first()
    expect(await first.getAttribute('aria-label')).toBe(TAG_B)
    expect(await first.textContent()).toMatch(/\d(\.\d)? (B|kB|MB)$/)
    expect(await page.locator('.picker-group').first().textContent()).toBe('Same repository')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-images-picker.png') })
    // Search narrows; Enter picks the highlighted one.
    await page.getByLabel('Search images to compare with').fill(`${RUN}-b`)
    await expect.poll(() => page.getByRole('listbox', { name: 'Images' }).getByRole('option').count()).toBe(1)
    await page.keyboard.press('Enter')
    await page.getByTestId('compare-delta').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('compare-picker').textContent()).toContain(TAG_B)
    // Opened again, it starts from an empty search (cleared on opening, not while the list closes).
    await page.getByRole('combobox', { name: 'Image to compare with' }).click()
    expect(await page.getByLabel('Search images to compare with').inputValue()).toBe('')
    expect(await page.getByRole('listbox', { name: 'Images' }).getByRole('option').count()).toBeGreaterThan(1)
    await page.keyboard.press('Escape')

    await page.getByRole('radio', { name: 'Metadata' }).click()
    const meta = page.getByTestId('compare-metadata')
    await meta.waitFor()
    const row = (key: string) => meta.locator(`tr[data-key="${key}"]`)
    expect(await row('MODE').locator('td').allTextContents()).toEqual(['a', 'b'])
    expect(await row('MODE').getAttribute('data-differs')).toBe('true')
    expect(await row('User').locator('td').allTextContents()).toEqual(['root (not set)', '65532'])
    expect(await row('Ports').locator('td').allTextContents()).toEqual(['(empty)', '8080/tcp'])
    expect(await row('Entrypoint').locator('td').nth(1).textContent()).toBe('["/bin/sh"]')
    expect(await row('Platform').getAttribute('data-differs')).toBeNull()
    for (const [w, h] of [
      [1024, 700],
      [1440, 900],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.screenshot({ path: join(ARTIFACTS, `e2e-images-metadata-${w}.png`) })
    }

    // Swapped with the configurations shown: both stay on screen, turned round in the same render (the
    // page knows both images' details; no spinner while they are asked again). Then back.
    const swappedPorts = await page.evaluate(`(async () => {
      document.querySelector('button[aria-label="Swap A and B"]').click()
      await Promise.resolve()
      await Promise.resolve()
      return [...document.querySelectorAll('[data-testid="compare-metadata"] tr[data-key="Ports"] td')].map((td) => td.textContent)
    })()`)
    expect(swappedPorts).toEqual(['8080/tcp', '(empty)'])
    await page.getByRole('button', { name: 'Swap A and B' }).click()
    await expect.poll(() => page.getByTestId('image-title').textContent()).toBe(TAG_A)
    expect(await row('Ports').locator('td').allTextContents()).toEqual(['(empty)', '8080/tcp'])

    // Swap: B is now the open image, compared with A — the comparison turned round, nothing asked of the host.
    await page.getByRole('radio', { name: 'Files' }).click()
    const delta = async () => (await page.getByTestId('compare-delta').locator('dd').textContent())?.replace(/\s+/g, ' ')
    const before = await delta()
    expect(before).toMatch(/^[+−]/)
    const asked: string[] = []
    const onFrame = (f: { payload: string | Buffer }) => {
      const m = /"method":"([\w.]+)"/.exec(String(f.payload))
      if (m) asked.push(m[1] as string)
    }
    const sockets = webSockets(page)
    expect(sockets.length).toBeGreaterThan(0)
    for (const ws of sockets) ws.on('framesent', onFrame)
    await page.getByRole('button', { name: 'Swap A and B' }).click()
    await expect.poll(() => page.getByTestId('image-title').textContent()).toBe(TAG_B)
    await expect.poll(() => page.getByTestId('compare-picker').textContent(), { timeout: 30_000 }).toContain(TAG_A)
    await page.getByTestId('compare-delta').waitFor({ timeout: 60_000 })
    // The same bytes the other way: the sign flips, the figure stays.
    const after = await delta()
    expect(after?.replace(/[+−]/g, '')).toBe(before?.replace(/[+−]/g, ''))
    expect(after?.match(/[+−]/g)).toEqual(before?.match(/[+−]/g)?.map((c) => (c === '+' ? '−' : '+')))
    // B's own layers and tree, also from what the page held.
    await page.getByRole('radio', { name: 'Layers' }).click()
    await page.getByRole('tree', { name: 'Files' }).waitFor()
    expect(asked.filter((m) => m.startsWith('layers.'))).toEqual([])
    for (const ws of sockets) ws.off('framesent', onFrame)
    expect(errors).toEqual([])
  })
})

describe('indexing', () => {
  it('shows the layers, platform, size and history at once, and honest progress before the first byte', async () => {
    const { page, errors } = await openImages({ width: 1440, height: 900 })
    // The Postgres stand-in is ~390 MB in 3 layers of 12 steps: Docker takes seconds to export it
    // before a byte arrives. (The made bases are one layer of one step: no history to show early.)
    const big = standIn('postgres:15')
    await page.getByLabel('Filter images by tag or id').fill(big)
    await grid(page).locator('.itable-row', { hasText: big }).first().click()
    const progress = page.getByTestId('index-progress')
    await progress.waitFor()
    const history = page.getByTestId('history-preview')
    await history.waitFor({ timeout: 10_000 })
    // Still reading, and the summary already has the engine's answer.
    expect(await progress.isVisible()).toBe(true)
    const summary = page.getByLabel('Image summary')
    expect(await summary.textContent()).toMatch(/Layers\d+ of \d+ steps/)
    expect(await summary.textContent()).toMatch(/Platformlinux\/\w+/)
    expect(await history.locator('.layer-row').count()).toBeGreaterThan(1)
    expect(await history.textContent()).toMatch(/postgres|apt-get|PGDATA/)
    // Before the first byte: a moving bar and the seconds waited, not an empty bar; then bytes of the total.
    const first = await progress.textContent()
    if ((await progress.getAttribute('data-waiting')) === 'true') expect(first).toMatch(/once Docker has written the export · \d+ s/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-images-indexing.png') })
    await expect.poll(() => progress.textContent(), { timeout: 60_000 }).toMatch(/of ~\d/)
    await progress.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.locator('.iv-state').first().textContent(), { timeout: 15_000 }).toContain('Indexing cancelled')
    expect(errors).toEqual([])
  })
})
