// Building from the UI, end to end: browser mode in Chromium against the real engine, the catalog
// pointed at the offline stand-ins through the normal settings. A private copy of the example is
// built and watched (steps, result, history, layer explorer); a copy with a slow compile is
// cancelled; a copy with compile errors shows them as file:line:col; the Settings page refuses a
// bad custom base inline and saves a good one that the base picker then offers.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STAND_IN_BASES } from '../support/services'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, removeTags, SIZES, startWeb, writeSettings, type WebApp } from './support'

const run = promisify(execFile)
const RUN = `${Date.now().toString(36)}${process.pid}`

let web: WebApp
let browser: Browser
let context: BrowserContext
let page: Page
let tmp: string
const errors: string[] = []

const okName = `e2e-build-${RUN}`
const slowName = `e2e-slow-${RUN}`
const brokenName = `e2e-broken-${RUN}`
const newGoName = `e2e-newgo-${RUN}`
const bigName = `e2e-big-${RUN}`
let okDir: string
let slowDir: string
let brokenDir: string

async function shoot(name: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-build-${name}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

async function openProject(dir: string, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Projects/ }).click()
  await page.keyboard.press('Control+o')
  const field = page.getByTestId('path-field')
  await expect.poll(() => field.evaluate((el) => el.matches(':focus'))).toBe(true)
  await field.fill(dir)
  await field.press('Enter')
  await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 20_000 }).toBe(name)
}

const phase = () => page.getByTestId('build-status').getAttribute('data-phase')

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-build-'))
  okDir = exampleCopy(tmp, okName)
  slowDir = exampleCopy(tmp, slowName)
  // One function of 12,000 branches: the compiler needs many seconds for it, so a cancel lands mid-compile.
  const body = Array.from({ length: 12_000 }, (_, i) => `\tif x%${i + 7} == ${i % 5} {\n\t\tx += ${i}\n\t} else {\n\t\tx ^= ${i * 3}\n\t}`)
  writeFileSync(join(slowDir, 'slow.go'), `package main\n\nfunc slow(n int) int {\n\tx := n\n${body.join('\n')}\n\treturn x\n}\n\nvar _ = slow\n`)
  brokenDir = exampleCopy(tmp, brokenName)
  writeFileSync(join(brokenDir, 'broken.go'), 'package main\n\nfunc broken() int {\n\treturn undefinedThing + 1\n}\n')
  // Asks for a Go newer than the stand-in builder's 1.23: preflight refuses before anything runs.
  const newGo = exampleCopy(tmp, newGoName)
  writeFileSync(join(newGo, 'go.mod'), `module example.com/${newGoName}\n\ngo 1.99\n`)
  // 120 MB of data in the context (sparse: cheap to make): preflight warns and offers a .dockerignore line.
  const big = exampleCopy(tmp, bigName)
  mkdirSync(join(big, 'testdata-big'))
  writeFileSync(join(big, 'testdata-big', 'blob.bin'), '')
  truncateSync(join(big, 'testdata-big', 'blob.bin'), 120 * 1024 * 1024)

  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  writeSettings(web, { recentProjects: [{ path: okDir, name: okName, openedAt: Date.now() }] })
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web.url).origin })
  page = await context.newPage()
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').filter({ hasText: okName }).waitFor({ timeout: 30_000 })
}, 120_000)

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(web?.output())
  await browser?.close()
  await web?.stop()
  await removeTags(`slipway/*${RUN}*`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('build view', () => {
  it('builds the chosen base with live steps and shows what it made', async () => {
    await page.getByTestId('build-button').click()
    expect(await page.getByTestId('view-switch').getByRole('radio', { name: /Build/ }).getAttribute('aria-checked')).toBe('true')
    // Steps appear while it runs…
    await expect.poll(() => page.getByTestId('build-step').count(), { timeout: 60_000 }).toBeGreaterThan(3)
    await expect.poll(phase, { timeout: 180_000 }).toBe('succeeded')
    // …and all end: none still waiting or running.
    const statuses = await page.getByTestId('build-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    expect(statuses.every((s) => s === 'done' || s === 'cached')).toBe(true)
    expect(await page.getByTestId('build-step').filter({ hasText: 'RUN' }).count()).toBeGreaterThan(0)
    const count = await page.getByTestId('build-step-count').textContent()
    const [done, seen] = (/^(\d+) of (\d+) steps$/.exec(count ?? '') ?? []).slice(1).map(Number)
    expect(done).toBe(seen)
    // The result: a size with its unit, this run's tag, the image id.
    expect(await page.getByTestId('result-size').textContent()).toMatch(/^Size\d+(\.\d)? MB$/)
    const result = page.getByTestId('build-result')
    expect(await result.textContent()).toContain(`slipway/${okName}:distroless-static`)
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', `slipway/${okName}:distroless-static`])
    expect(await result.textContent()).toContain(stdout.trim().replace('sha256:', '').slice(0, 12))
    expect(await result.getByTestId('run-button').isVisible()).toBe(true)
    await page.mouse.move(0, 0)
    await shoot('finished')
    expect(errors).toEqual([])
  }, 240_000)

  it('lists the build in the history with its Dockerfile, and opens its image in the layer explorer', async () => {
    await page.getByTestId('view-switch').getByRole('radio', { name: 'History' }).click()
    const rows = page.getByTestId('history-row')
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)
    expect(await rows.first().getAttribute('data-result')).toBe('succeeded')
    expect(await rows.first().textContent()).toContain('distroless-static')
    await shoot('history')
    await rows.first().getByTestId('history-dockerfile-button').click()
    await expect.poll(() => page.getByTestId('history-dockerfile').textContent()).toContain('FROM slipway-test/distroless-static:nonroot')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('history-dockerfile').count()).toBe(0)

    await page.getByTestId('view-switch').getByRole('radio', { name: /Build/ }).click()
    await page.getByTestId('open-in-explorer').click()
    await expect.poll(() => page.getByTestId('image-title').textContent(), { timeout: 20_000 }).toBe(`slipway/${okName}:distroless-static`)
    expect(errors).toEqual([])
  }, 60_000)

  it('cancels a running build with Esc and says so', async () => {
    await openProject(slowDir, slowName)
    await page.getByTestId('build-button').click()
    const compile = page.locator('[data-testid="build-step"][data-status="running"]', { hasText: 'RUN' })
    await compile.first().waitFor({ timeout: 120_000 })
    // Nothing moves while it runs: the log and the step list keep their place between two looks.
    const boxes = async () => Promise.all([page.getByTestId('build-log').boundingBox(), page.getByTestId('build-steps').boundingBox()])
    const before = await boxes()
    await page.waitForTimeout(1200)
    expect(await boxes()).toEqual(before)
    expect(await page.getByTestId('build-cancel').isVisible()).toBe(true)
    await shoot('running')
    expect(await phase()).toBe('running')
    await page.getByTestId('build-log').focus()
    await page.keyboard.press('Escape')
    await expect.poll(phase, { timeout: 30_000 }).toBe('cancelled')
    expect(await page.getByTestId('build-cancelled').textContent()).toContain('Cancelled')
    const { stdout } = await run('docker', ['image', 'ls', '-q', `slipway/${slowName}`])
    expect(stdout.trim()).toBe('')
    expect(errors).toEqual([])
  }, 240_000)

  it('shows a compile error as file:line:col and copies where it is', async () => {
    await openProject(brokenDir, brokenName)
    await page.getByTestId('build-button').click()
    await expect.poll(phase, { timeout: 180_000 }).toBe('failed')
    const item = page.getByTestId('compile-error')
    expect(await item.count()).toBe(1)
    expect(await item.textContent()).toContain('broken.go:4:9')
    expect(await item.textContent()).toContain('undefined: undefinedThing')
    // Browser mode cannot hand a file to the OS: no Open beside it, the place is copied instead.
    expect(await page.getByTestId('compile-error-open').count()).toBe(0)
    await item.click()
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(`${brokenDir}/broken.go:4:9`)
    // The log has the compiler's lines, and search finds them.
    await expect.poll(async () => Number((await page.getByTestId('log-count').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0)
    expect(await page.getByTestId('build-log').textContent()).toContain('undefined: undefinedThing')
    await page.getByTestId('log-search').fill('undefinedthing')
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toMatch(/^1 of \d+$/)
    // The failed step, selected in the list, filters the log to its own lines.
    await page.locator('[data-testid="build-step"][data-status="error"]').first().click()
    expect(await page.getByTestId('log-filter').textContent()).toContain('RUN')
    const rows = await page.getByTestId('log-row').allTextContents()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => /^#\d+/.test(r))).toBe(true)
    await shoot('failed')
    expect(errors).toEqual([])
  }, 240_000)
})

describe('preflight', () => {
  it('says in plain words why a build cannot start, and starts none', async () => {
    await openProject(join(tmp, newGoName), newGoName)
    await page.getByTestId('build-button').click()
    const blocking = page.getByTestId('preflight-blocking')
    await blocking.waitFor({ timeout: 60_000 })
    const text = await blocking.getByTestId('preflight-builder-go-too-old').textContent()
    expect(text).toContain('slipway-test/golang:1.23')
    expect(text).toContain('Go 1.99')
    expect(await page.getByTestId('build-step').count()).toBe(0)
    expect(await page.getByTestId('build-status').count()).toBe(0)
    expect(errors).toEqual([])
  }, 90_000)

  it('warns about a large context with the .dockerignore line to copy, and builds anyway', async () => {
    await openProject(join(tmp, bigName), bigName)
    await page.getByTestId('build-button').click()
    const warning = page.getByTestId('preflight-context-large')
    await warning.waitFor({ timeout: 60_000 })
    expect(await warning.textContent()).toContain('testdata-big/blob.bin')
    expect(await warning.getByTestId('ignore-line').textContent()).toBe('testdata-big/')
    await expect.poll(phase, { timeout: 30_000 }).toMatch(/^(starting|running|succeeded)$/)
    await page.getByTestId('build-log').focus()
    await page.keyboard.press('Escape')
    await expect.poll(phase, { timeout: 60_000 }).toMatch(/^(cancelled|succeeded)$/)
    expect(errors).toEqual([])
  }, 120_000)
})

describe('settings page', () => {
  it('refuses a bad custom base inline and saves a good one that the base picker offers', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click()
    await page.getByTestId('base-catalog').waitFor()
    // The rows are the stored custom bases: here, the stand-ins the run started with.
    await expect.poll(() => page.getByTestId('custom-base-row').count()).toBe(STAND_IN_BASES.length)
    const before = STAND_IN_BASES.length

    await page.getByTestId('add-base').click()
    const bad = page.getByTestId('custom-base-row').nth(before)
    await bad.getByTestId('custom-base-id').fill(`e2e-bad-${RUN}`)
    await bad.getByTestId('custom-base-image').fill('Not A Reference')
    await expect.poll(() => bad.getByTestId('custom-base-problem').textContent()).toContain('not a valid image reference')

    await page.getByTestId('add-base').click()
    const good = page.getByTestId('custom-base-row').nth(before + 1)
    const goodId = `e2e-mirror-${RUN}`
    await good.getByTestId('custom-base-id').fill(goodId)
    await good.getByLabel('Based on').click()
    await page.getByRole('option', { name: 'like Alpine' }).click()
    await good.getByTestId('custom-base-image').fill('slipway-test/alpine:3.20')
    expect(await good.getByTestId('custom-base-problem').count()).toBe(0)
    await expect.poll(() => good.getByTestId('presence').textContent()).toBe('on this machine')
    expect(await page.getByTestId(`catalog-${goodId}`).textContent()).toContain('slipway-test/alpine:3.20')
    // An image that is not here is asked about at its registry: one that answers nothing is flagged before any build.
    await page.getByTestId('add-base').click()
    const away = page.getByTestId('custom-base-row').nth(before + 2)
    await away.getByTestId('custom-base-id').fill(`e2e-away-${RUN}`)
    await away.getByTestId('custom-base-image').fill('127.0.0.1:1/mirror/static:nonroot')
    await expect.poll(() => away.getByTestId('presence').getAttribute('data-presence'), { timeout: 20_000 }).toBe('unpullable')
    expect(await away.getByTestId('presence').textContent()).toBe('cannot be pulled')
    await away.getByRole('button', { name: 'Remove this base' }).click()
    expect(await page.getByTestId(`catalog-e2e-bad-${RUN}`).count()).toBe(0)
    await page.mouse.move(0, 0)
    await shoot('settings')

    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-state').textContent()).toBe('Saved')
    // The good entry is stored beside the others; the bad one is not (the host refuses it) and stays in the form to fix.
    const stored = JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { customBases: { id: string; image: string }[] }
    expect(stored.customBases.map((b) => b.id)).toEqual([...STAND_IN_BASES.map((b) => b.id), goodId])
    expect(await bad.getByTestId('custom-base-problem').textContent()).toContain('Not saved')
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true)

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Projects/ }).click()
    await page.getByTestId('view-switch').getByRole('radio', { name: 'Recipe' }).click()
    await expect.poll(() => page.getByTestId(`base-${goodId}`).count()).toBe(1)
    expect(await page.getByTestId(`base-e2e-bad-${RUN}`).count()).toBe(0)
    expect(errors).toEqual([])
  }, 60_000)
})
