// The layer explorer end to end: the bundled example is built into an image here (BuildKit, the
// stand-in builder and distroless base), then opened in Chromium through browser mode against the
// real engine: index it, pick the largest layer, find the binary, compare, cancel, lose the image.
import { join } from 'node:path'
import Dockerode from 'dockerode'
import type { Browser, Page } from 'playwright-core'
import { pack } from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProjectImage, removeImage, testBase, type ProjectImage } from '../support/build-image'
import { ARTIFACTS, launchChromium, ROOT, startWeb, type WebApp } from './support'

const docker = new Dockerode()
const run = `${process.pid}-${Date.now()}`
const TAG = `slipway-e2e/hello-api:${run}`
const TAG_ALPINE = `slipway-e2e/hello-api-alpine:${run}`
const DOOMED = `slipway-e2e/doomed:${run}`
let web: WebApp
let browser: Browser
let built: ProjectImage
const pages: Page[] = []

beforeAll(async () => {
  const example = join(ROOT, 'examples/hello-api')
  ;[web, browser, built] = await Promise.all([startWeb(), launchChromium(), buildProjectImage(docker, example, { tag: TAG })])
  // The same project on another base, for the comparison (the build stage comes from the cache).
  await buildProjectImage(docker, example, { tag: TAG_ALPINE, base: testBase('alpine') })
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  await removeImage(docker, TAG)
  await removeImage(docker, TAG_ALPINE)
  await removeImage(docker, DOOMED)
})

/** A page on the Images list, with page errors collected. */
async function openImages(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme })
  pages.push(page)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(web.url)
  await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByRole('grid', { name: 'Images' }).waitFor({ timeout: 20_000 })
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, `e2e-layers-failed-${pages.length}.png`) })
    throw e
  }
  return { page, errors }
}

/** Filters the table to one tag and opens it. */
async function openImage(page: Page, tag: string): Promise<void> {
  await page.getByLabel('Filter images by tag or id').fill(tag)
  await page.locator('.itable-row', { hasText: tag }).first().click()
  await expect.poll(() => page.getByTestId('image-title').textContent()).toBe(tag)
}

describe('layer explorer', () => {
  it('opens the example image, selects the largest layer and finds the binary in the tree', async () => {
    const { page, errors } = await openImages()
    // Keyboard only: filter, ↓ into the table (the first row is highlighted), Enter opens it.
    await page.getByLabel('Filter images by tag or id').fill(TAG)
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.locator('.itable-row[aria-selected="true"]').textContent()).toContain(TAG)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('image-title').textContent()).toBe(TAG)
    const tree = page.getByRole('tree', { name: 'Files' })
    await tree.waitFor({ timeout: 60_000 })

    // The summary comes from the index: the example is one binary on a ~1.5 MB base, nothing wasted.
    const summary = page.getByLabel('Image summary')
    await expect.poll(() => summary.textContent()).toMatch(/Efficiency100 %/)

    // The largest layer is the binary's; select it by its size, as a person reading the bars would.
    const sizes: number[] = []
    for (const row of await page.locator('.layer-row[data-size]').all()) sizes.push(Number(await row.getAttribute('data-size')))
    const largest = sizes.indexOf(Math.max(...sizes))
    const layerRow = page.locator(`.layer-row[data-layer="${largest}"]`)
    await layerRow.click()
    await expect.poll(() => layerRow.getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => page.getByTestId('tree-layer').textContent()).toContain(`as of layer ${largest + 1} of ${sizes.length}`)

    await page.getByTestId('tree-search').fill(built.binary)
    await expect.poll(() => page.getByTestId('tree-matches').textContent()).toBe('1 match')
    const hit = page.locator(`.tree-row[data-path="/app/${built.binary}"]`)
    await hit.waitFor()
    expect(await hit.getAttribute('data-match')).toBe('true')
    expect(await hit.locator('mark').textContent()).toBe(built.binary)
    // Added by this layer: said with a symbol and a word, not only a colour.
    expect(await hit.getAttribute('data-tone')).toBe('added')
    expect(await hit.getByRole('img', { name: 'added' }).count()).toBe(1)
    // Its parent opened by itself to show it.
    expect(await page.locator('.tree-row[data-path="/app"]').getAttribute('aria-expanded')).toBe('true')

    await hit.click()
    const details = page.getByTestId('file-details')
    await expect.poll(() => details.textContent()).toContain(`/app/${built.binary}`)
    expect(await details.textContent()).toMatch(/-rwxr-xr-x/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-dark.png') })

    // Keyboard: Escape clears the search and what was found stays in sight; ←/→ fold and unfold /app.
    await page.getByTestId('tree-search').press('Escape')
    await expect.poll(() => page.getByTestId('tree-search').inputValue()).toBe('')
    expect(await page.locator(`.tree-row[data-path="/app/${built.binary}"]`).getAttribute('aria-selected')).toBe('true')
    await page.locator('.tree-row[data-path="/app"]').click()
    await expect.poll(() => page.locator('.tree-row[data-path="/app"]').getAttribute('aria-expanded')).toBe('false')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.tree-row[data-path="/app"]').getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator(`.tree-row[data-path="/app/${built.binary}"]`).getAttribute('aria-selected')).toBe('true')
    expect(errors).toEqual([])
  })

  it('compares the distroless build with the alpine build of the same project', async () => {
    const { page, errors } = await openImages()
    await openImage(page, TAG)
    await page.getByRole('tree', { name: 'Files' }).waitFor({ timeout: 60_000 })
    await page.getByRole('radio', { name: 'Compare' }).click()
    await page.getByRole('combobox', { name: 'Image to compare with' }).click()
    // A screenful of a long list is rendered (virtualised): search first, as a user would.
    await page.getByLabel('Search images to compare with').fill(TAG_ALPINE)
    await page.getByRole('option', { name: TAG_ALPINE }).click()
    const delta = page.getByTestId('compare-delta')
    await delta.waitFor({ timeout: 60_000 })
    // Distroless brings time zone data (only in A); alpine brings busybox (only in B). The binary is
    // the same program on both (every base shares one build stage), so it is no difference at all.
    const zoneinfo = page.locator('.compare-row', { hasText: 'zoneinfo' }).first()
    await zoneinfo.waitFor()
    expect(await zoneinfo.getAttribute('data-tone')).toBe('removed')
    expect(await page.locator('.compare-row', { hasText: built.binary }).count()).toBe(0)
    await page.getByRole('radio', { name: 'Largest files' }).click()
    const busybox = page.locator('.compare-row', { hasText: 'busybox' }).first()
    await busybox.waitFor()
    expect(await busybox.getAttribute('data-tone')).toBe('added')
    await page.getByRole('radio', { name: 'By folder' }).click()
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-compare-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-compare-dark.png') })
    expect(errors).toEqual([])
  })

  it('cancels indexing a large image and says so', async () => {
    const { page, errors } = await openImages()
    // The Go builder stand-in is ~470 MB: long enough to press Cancel while it streams.
    await openImage(page, 'slipway-test/golang:1.23')
    const progress = page.getByTestId('index-progress')
    await progress.waitFor()
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(/of ~\d/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-progress.png') })
    await progress.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.locator('.iv-state').textContent(), { timeout: 15_000 }).toContain('Indexing cancelled')
    expect(errors).toEqual([])
  })

  it('says so when the open image is removed from the engine', async () => {
    const ctx = pack()
    ctx.entry({ name: 'Dockerfile' }, `FROM scratch\nCOPY note.txt /note.txt\nLABEL run=${run}\n`)
    ctx.entry({ name: 'note.txt' }, `doomed ${run}\n`)
    ctx.finalize()
    const stream = await docker.buildImage(ctx as unknown as NodeJS.ReadableStream, { t: DOOMED })
    const out: { error?: string }[] = await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, o: { error?: string }[]) => (err ? reject(err) : resolve(o))),
    )
    expect(out.find((o) => o.error)).toBeUndefined()

    const { page, errors } = await openImages()
    await openImage(page, DOOMED)
    await page.locator('.tree-row[data-path="/note.txt"]').waitFor({ timeout: 30_000 })
    await removeImage(docker, DOOMED)
    await expect.poll(() => page.getByRole('main').textContent(), { timeout: 15_000 }).toContain('no longer in the engine')
    // The index read before stays on screen.
    expect(await page.locator('.tree-row[data-path="/note.txt"]').count()).toBe(1)
    // Back on the list, it is gone there too.
    await page.getByRole('button', { name: 'Back to the images' }).click()
    await expect.poll(() => page.locator('.itable-row', { hasText: DOOMED }).count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('says what to do when Docker is not there', async () => {
    // A browser-mode app of its own, pointed at a socket nobody listens on.
    const down = await startWeb({ DOCKER_HOST: `unix:///tmp/slipway-e2e-no-docker-${run}.sock` })
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    try {
      await page.goto(down.url)
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
      const main = page.getByRole('main')
      await expect.poll(() => main.textContent(), { timeout: 15_000 }).toContain('Docker is not running')
      expect(await main.getByRole('button', { name: 'Try again' }).count()).toBe(1)
      // The engine's details stay a tab away.
      await page.getByRole('radio', { name: 'Engine' }).click()
      await expect.poll(() => main.textContent()).toContain('Unavailable')
      await page.getByRole('radio', { name: 'Images' }).click()
      await page.screenshot({ path: join(ARTIFACTS, 'e2e-layers-engine-down.png') })
    } finally {
      await page.close()
      await down.stop()
    }
  })
})
