// The Images page's Slipway view in Chromium through browser mode against the real engine. Three
// small labelled images stand in for builds (no Go compile): one with the recipe the host would
// write for a copy of the example on scratch (Current), one with another recipe (Stale), one whose
// project folder does not exist (Project gone). Open leads to the layer explorer; Delete asks,
// naming the image, and removes it from the engine. Screenshots at 1024×700 and 1440×900.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../electron/services'
import { TEST_ALPINE } from '../support/build-image'
import { buildImage } from '../support/docker-build'
import { ARTIFACTS, launchChromium, ROOT, startWeb, type WebApp } from './support'

const docker = new Dockerode()
const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-slipway-${RUN}`
const CURRENT = `slipway-e2e/${NAME}:scratch`
const STALE = `slipway-e2e/${NAME}:alpine`
const GONE = `slipway-e2e/gone-${RUN}:scratch`
let web: WebApp
let browser: Browser
let dir: string

/** A labelled image built from the alpine stand-in in a moment: Slipway's view reads only the labels. */
async function labelled(tag: string, labels: Record<string, string>): Promise<void> {
  const ctx = mkdtempSync(join(tmpdir(), 'slipway-e2e-ctx-'))
  await buildImage(docker, { contextDir: ctx, dockerfile: `FROM ${TEST_ALPINE}\n`, tag, buildkit: true, labels })
  rmSync(ctx, { recursive: true, force: true })
}

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'slipway-e2e-images-')), NAME)
  cpSync(join(ROOT, 'examples/hello-api'), dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${NAME}`))
  // The labels the host's Builds service would write with default settings, as the web host has them.
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-e2e-labels-'))
  const services = createServices({ emit: () => undefined, dataDir, appVersion: 'e2e' })
  await services.engine.start()
  const { labels } = await services.builds.prepare(dir, { base: 'scratch' })
  services.engine.stop()
  rmSync(dataDir, { recursive: true, force: true })
  ;[web, browser] = await Promise.all([
    startWeb(),
    launchChromium(),
    labelled(CURRENT, labels),
    labelled(STALE, { ...labels, 'org.slipway.base': 'alpine', 'org.slipway.recipe': '0123456789abcdef' }),
    labelled(GONE, { ...labels, 'org.slipway.project': `/nonexistent/${NAME}` }),
  ])
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  for (const t of [CURRENT, STALE, GONE]) await docker.getImage(t).remove({ force: true }).catch(() => undefined)
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true })
})

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150)
    const view = page.getByTestId('slipway-images')
    const overflow = await view.evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow, `${name} overflows at ${width}`).toBeLessThanOrEqual(1)
    // Every row's actions are inside the window.
    for (const b of await view.getByTestId('slipway-delete').all()) {
      const box = await b.boundingBox()
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width)
    }
    await page.screenshot({ path: join(ARTIFACTS, `e2e-slipway-images-${name}-${width}.png`) })
  }
}

describe('Images page: Slipway view', () => {
  it('groups images by project and base with Current, Stale and Project gone; Open; Delete asks and removes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByRole('radio', { name: 'Slipway' }).click()

    const project = page.locator(`[data-testid="slipway-project"][data-dir="${dir}"]`)
    await project.waitFor({ timeout: 20_000 })
    const rows = project.getByTestId('slipway-image')
    await expect.poll(() => rows.count()).toBe(2)
    const current = rows.filter({ hasText: CURRENT })
    const stale = rows.filter({ hasText: STALE })
    expect(await current.getAttribute('data-status')).toBe('current')
    expect(await current.getByTestId('slipway-status').textContent()).toBe('Current')
    expect(await stale.getByTestId('slipway-status').textContent()).toBe('Stale')
    expect(await current.textContent()).toMatch(/scratch/)
    const gone = page.getByTestId('slipway-image').filter({ hasText: GONE })
    expect(await gone.getByTestId('slipway-status').textContent()).toBe('Project gone')
    await project.scrollIntoViewIfNeeded()
    await shoot(page, 'view')

    // Delete asks first, naming the image; Cancel keeps it, Delete removes it from the engine.
    await stale.getByTestId('slipway-delete').click()
    const dialog = page.getByTestId('slipway-delete-dialog')
    expect(await dialog.getByRole('heading').textContent()).toBe(`Delete ${STALE}?`)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(docker.getImage(STALE).inspect()).resolves.toBeTruthy()
    await stale.getByTestId('slipway-delete').click()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)
    await expect(docker.getImage(STALE).inspect()).rejects.toMatchObject({ statusCode: 404 })

    // Open leads to the layer explorer.
    await current.getByTestId('slipway-open').click()
    await expect.poll(() => page.getByTestId('image-title').textContent(), { timeout: 20_000 }).toBe(CURRENT)
    expect(errors).toEqual([])
    await page.close()
  })
})
