// Every page at every width: browser mode in Chromium against the real engine, each page (Projects
// with each tab, Build, History, Compare, Run, Images, the layers of an image and its compare view,
// Settings, Stacks) at 1024×700, 1440×900 and 1920×1080. Fails when an interactive element lies
// outside the window or is cut by its container, or when texts overlap (test/e2e/browser/layout-check.js).
// Screenshots of each, light and dark, go to test-results/e2e-layout-<page>-<width>-<theme>.png.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { standIn } from '../support/stand-ins'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, removeTags, ROOT, settled, SIZES, startWeb, writeSettings, type WebApp } from './support'

const run = promisify(execFile)
const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-layout-${RUN}`
const CHECK = join(ROOT, 'test/e2e/browser/layout-check.js')

let web: WebApp
let browser: Browser
let page: Page
let tmp: string
let dir: string
const errors: string[] = []

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-layout-'))
  dir = exampleCopy(tmp, NAME)
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  writeSettings(web)
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('engine-version').waitFor({ timeout: 60_000 })
  // The bundled example opens first; then this run's copy.
  await page.getByTestId('project-name').waitFor({ timeout: 60_000 })
  await page.keyboard.press('Control+o')
  const field = page.getByTestId('path-field')
  await field.waitFor()
  await field.fill(dir)
  await field.press('Enter')
  await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 60_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  const ids = await run('docker', ['ps', '-aq', '--filter', `ancestor=slipway/${NAME}:distroless-static`]).catch(() => ({ stdout: '' }))
  const containers = ids.stdout.split('\n').filter(Boolean)
  if (containers.length) await run('docker', ['rm', '-f', ...containers]).catch(() => undefined)
  await removeTags(`slipway/${NAME}*`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** The problems the checker finds on the current screen. */
async function problems(): Promise<string[]> {
  // Evaluated, not added as a script tag: the app's CSP allows no inline script, rightly.
  return page.evaluate(`${readFileSync(CHECK, 'utf8')}\nwindow.slipwayLayoutProblems()`)
}

/** Checks the current screen at each width, with a screenshot per width and theme; returns what was wrong. */
async function everyWidth(name: string): Promise<string[]> {
  const found: string[] = []
  await page.mouse.move(0, 0)
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await settled(page)
    for (const p of await problems()) found.push(`${width}×${height}: ${p}`)
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await settled(page)
      // Colour transitions are run to their end for the picture.
      await page.screenshot({ path: join(ARTIFACTS, `e2e-layout-${name}-${width}-${theme}.png`), animations: 'disabled' })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
  return found
}

const nav = (label: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label }).click()
const projectView = (label: RegExp) => page.getByTestId('view-switch').getByRole('radio', { name: label }).click()

describe('every page at 1024×700, 1440×900 and 1920×1080', () => {
  it('Projects: the recipe with each tab', async () => {
    await page.getByTestId('dockerfile-code').waitFor()
    const found = await everyWidth('projects-dockerfile')
    await page.getByRole('tab', { name: '.dockerignore' }).click()
    found.push(...(await everyWidth('projects-dockerignore')))
    await page.getByTestId('diff-tab').click()
    found.push(...(await everyWidth('projects-diff')))
    await page.getByRole('tab', { name: 'Dockerfile' }).click()
    expect(found).toEqual([])
  })

  it('Build: a finished build', async () => {
    await page.getByTestId('build-button').click()
    await expect.poll(() => page.getByTestId('build-result').count(), { timeout: 240_000 }).toBe(1)
    expect(await everyWidth('build')).toEqual([])
  }, 300_000)

  it('History', async () => {
    await projectView(/History/)
    await page.getByTestId('history-row').first().waitFor()
    expect(await everyWidth('history')).toEqual([])
  })

  it('Compare', async () => {
    await projectView(/Compare/)
    await page.getByTestId('compare-view').waitFor()
    expect(await everyWidth('compare')).toEqual([])
  })

  it('Run: the dialog and a running container', async () => {
    await projectView(/Build/)
    await page.getByTestId('build-result').getByTestId('run-button').click()
    const dialog = page.getByTestId('run-dialog')
    await dialog.getByTestId('run-port-row').first().waitFor({ timeout: 20_000 })
    const found = await everyWidth('run-dialog')
    await dialog.getByRole('button', { name: 'Start' }).click()
    const panel = page.getByTestId('run-panel')
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 20_000 }).toBe('Running')
    found.push(...(await everyWidth('run-panel')))
    await panel.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 20_000 }).toMatch(/^Exited/)
    await page.keyboard.press('Escape')
    expect(found).toEqual([])
  })

  it('Images: the engine list and the Slipway view', async () => {
    await nav(/Images/)
    await page.locator('.itable-row').first().waitFor({ timeout: 20_000 })
    const found = await everyWidth('images')
    await page.getByRole('radio', { name: 'Slipway' }).click()
    await page.getByTestId('slipway-images').waitFor({ timeout: 20_000 })
    found.push(...(await everyWidth('images-slipway')))
    expect(found).toEqual([])
  })

  it('Layers of an image, and its compare view', async () => {
    await page.getByRole('radio', { name: 'Images' }).click()
    await page.getByLabel('Filter images by tag or id').fill(`slipway/${NAME}:distroless-static`)
    await page.locator('.itable-row', { hasText: NAME }).first().click()
    await page.getByTestId('tree-layer').first().waitFor({ timeout: 60_000 })
    const found = await everyWidth('layers')
    await page.getByRole('radio', { name: 'Compare' }).click()
    // Against the distroless stand-in: the summary cards and the differences with real figures.
    // The picker shows a screenful of a long list (virtualised): search for the stand-in first.
    await page.getByLabel('Image to compare with').click()
    await page.getByLabel('Search images to compare with').fill(standIn('distroless-static'))
    await page.getByRole('option', { name: new RegExp(standIn('distroless-static')) }).first().click()
    await page.getByLabel('Comparison summary').waitFor({ timeout: 60_000 })
    found.push(...(await everyWidth('layers-compare')))
    // The two images' configuration side by side.
    await page.getByRole('radio', { name: 'Metadata' }).click()
    await page.getByTestId('compare-metadata').waitFor({ timeout: 20_000 })
    found.push(...(await everyWidth('layers-metadata')))
    await page.getByRole('radio', { name: 'Files' }).click()
    expect(found).toEqual([])
    // Three views at three widths, two light and dark: longer than the default on a loaded 2-core machine.
  }, 120_000)

  it('Settings', async () => {
    await nav(/Settings/)
    await page.getByTestId('settings-save').waitFor()
    expect(await everyWidth('settings')).toEqual([])
  })

  it('Stacks', async () => {
    await nav(/Stacks/)
    await page.getByTestId('stacks-main').waitFor({ timeout: 20_000 })
    expect(await everyWidth('stacks')).toEqual([])
  })

  it('reported no page errors', () => {
    expect(errors).toEqual([])
  })
})
