// Remembered choices, in Chromium against browser mode: what was chosen for a project (base, cache
// mounts, build args) and the size of the explanation pane survive a reload, and a project whose
// Dockerfile Slipway wrote opens on that file's recipe, with nothing in the Diff tab. The copyable
// build command says when it would not build the preview.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GoProjects } from '../../electron/services/go-project'
import { recipeView } from '../../renderer/src/features/projects/recipe-view'
import { STAND_IN_BASES, STAND_IN_BUILDER } from '../support/services'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, ROOT, startWeb, writeSettings, type WebApp } from './support'

const RUN = `${Date.now().toString(36)}${process.pid}`
let web: WebApp
let browser: Browser
let page: Page
let tmp: string
let chosen: string
let saved: string
let handWritten: string
const HAND_WRITTEN = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\nHEALTHCHECK CMD ["/server", "-health"]\nCMD ["/server"]\n'
const errors: string[] = []

async function open(dir: string, name: string): Promise<void> {
  await page.keyboard.press('Control+o')
  const field = page.getByTestId('path-field')
  await field.waitFor()
  await field.fill(dir)
  await field.press('Enter')
  await page.getByTestId('project-name').filter({ hasText: name }).waitFor({ timeout: 20_000 })
}

const baseShown = () => page.locator('.df-base-trigger').textContent()
const inspectorHeight = () => page.locator('.df-inspector').evaluate((el) => Math.round(el.getBoundingClientRect().height))

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-choices-'))
  chosen = exampleCopy(tmp, `e2e-chosen-${RUN}`)
  saved = exampleCopy(tmp, `e2e-saved-${RUN}`)
  handWritten = exampleCopy(tmp, `e2e-hand-${RUN}`)
  writeFileSync(join(handWritten, 'Dockerfile'), HAND_WRITTEN)
  // A Dockerfile as Slipway writes it for the alpine stand-in (as if saved earlier, or by the CLI).
  const settings = { customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER }
  const analysis = await new GoProjects().analyze(saved)
  const written = recipeView({ analysis, settings, baseId: 'alpine', recipe: { buildkit: null, builderImage: '', version: '', commit: '' }, engineBuildkit: true })
  writeFileSync(join(saved, 'Dockerfile'), written.recipe.dockerfile)
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  writeSettings(web)
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').waitFor({ timeout: 20_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('remembered choices', () => {
  it('says on first start that this is the bundled example, and what to do next', async () => {
    const guide = page.getByTestId('example-guide')
    await guide.waitFor()
    expect(await guide.textContent()).toContain('the example that comes with Slipway')
    // Save is not the loudest button on a project the person did not choose.
    expect(await page.getByTestId('save-dockerfile').getAttribute('class')).toContain('rt-variant-soft')
    await page.setViewportSize({ width: 1024, height: 700 })
    expect(await page.evaluate(`${readFileSync(join(ROOT, 'test/e2e/browser/layout-check.js'), 'utf8')}\nwindow.slipwayLayoutProblems()`)).toEqual([])
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-choices-example-1024.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await guide.getByTestId('example-open').click()
    await page.getByTestId('path-field').waitFor()
    await page.keyboard.press('Escape')
  })

  it('brings back the base, cache mounts, build args and pane size after a reload', async () => {
    await open(chosen, `e2e-chosen-${RUN}`)
    expect(await page.getByTestId('example-guide').count()).toBe(0)
    expect(await page.getByTestId('save-dockerfile').getAttribute('class')).toContain('rt-variant-solid')
    expect(await baseShown()).toContain('Distroless static')
    // Nothing saved: the copyable command (which builds the file on disk) says so.
    expect(await page.getByTestId('build-command-state').textContent()).toBe('not saved')
    await page.locator('.df-base-trigger').click()
    await page.getByRole('option', { name: /^Alpine/ }).click()
    await page.getByTestId('buildkit-switch').click()
    await page.getByLabel('Version build arg').fill('v9.9.9')
    // The explanation pane: three steps taller by keyboard.
    const before = await inspectorHeight()
    await page.getByTestId('split-handle').focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp')
    await expect.poll(inspectorHeight).toBe(before + 48)
    // Saved into the data folder (after typing pauses), keyed by the project root.
    await expect
      .poll(() => {
        const s = JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { projectChoices?: Record<string, { choices: unknown }> }
        return s.projectChoices?.[chosen]?.choices
      })
      .toEqual({ main: null, baseId: 'alpine', buildkit: false, builderImage: '', version: 'v9.9.9', commit: '' })

    await page.reload()
    await page.getByTestId('project-name').filter({ hasText: `e2e-chosen-${RUN}` }).waitFor({ timeout: 20_000 })
    expect(await baseShown()).toContain('Alpine')
    expect(await page.getByTestId('buildkit-switch').getAttribute('aria-checked')).toBe('false')
    expect(await page.getByLabel('Version build arg').inputValue()).toBe('v9.9.9')
    expect(await page.getByTestId('dockerfile-code').textContent()).not.toContain('--mount=type=cache')
    expect(await inspectorHeight()).toBe(before + 48)
  })

  it('reads a Slipway-written Dockerfile back: its base, and no false difference', async () => {
    await open(saved, `e2e-saved-${RUN}`)
    expect(await baseShown()).toContain('Alpine')
    // No count of changed lines on the Diff tab.
    expect(await page.getByTestId('diff-tab').locator('.rt-Badge').count()).toBe(0)
    expect(await page.getByTestId('build-command-state').count()).toBe(0)
    await page.getByTestId('diff-tab').click()
    await expect.poll(() => page.getByTestId('diff-dockerfile-status').textContent()).toContain('No differences')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-choices-read-back.png') })
    // Another project's choices did not leak into this one.
    expect(await page.getByLabel('Version build arg').inputValue()).toBe('')
    expect(await page.getByTestId('buildkit-switch').getAttribute('aria-checked')).toBe('true')
  })

  it('names what a save drops, says where it saved, and undoes it', async () => {
    await open(handWritten, `e2e-hand-${RUN}`)
    expect(await page.getByTestId('build-command-state').textContent()).toBe('differs from saved')
    await page.getByTestId('save-dockerfile').click()
    const dialog = page.getByTestId('save-dialog')
    const dropped = dialog.getByTestId('save-dropped')
    await dropped.waitFor()
    expect(await dropped.textContent()).toContain('HEALTHCHECK CMD ["/server", "-health"]')
    expect(await dropped.textContent()).toContain('line 5')
    await dialog.getByTestId('save-confirm').click()
    const toast = page.getByTestId('save-toast')
    await toast.waitFor()
    expect(await toast.getByTestId('save-toast-path').textContent()).toBe(join(handWritten, 'Dockerfile'))
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-choices-save-toast.png') })
    const written = readFileSync(join(handWritten, 'Dockerfile'), 'utf8')
    expect(written.startsWith('# Generated by Slipway for ')).toBe(true)
    expect(await page.getByTestId('build-command-state').count()).toBe(0)

    await toast.getByTestId('save-undo').click()
    await expect.poll(() => readFileSync(join(handWritten, 'Dockerfile'), 'utf8')).toBe(HAND_WRITTEN)
    await toast.waitFor({ state: 'detached' })
    await expect.poll(() => page.getByTestId('build-command-state').textContent()).toBe('differs from saved')
    expect(errors).toEqual([])
  })
})
