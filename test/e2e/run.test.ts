// Running an image end to end, in Chromium through browser mode against the real engine: the
// example is built here (labelled with its project folder, as Slipway's builds are), opened on the
// Images page, Run… proposes port 8080 and the variables its code reads (DATABASE_URL masked), Start
// shows the running panel, its "Open in browser" URL answers 200 from the test, Stop → Exited, Remove.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRecipe } from '../../shared/dockerfile/generate'
import { GoProjects } from '../../electron/services/go-project'
import { removeImage, TEST_BUILDER, testDistrolessBase } from '../support/build-image'
import { buildImage } from '../support/docker-build'
import { ARTIFACTS, launchChromium, pageErrors, ROOT, SIZES, startWeb, type WebApp } from './support'

const docker = new Dockerode()
const EXAMPLE = join(ROOT, 'examples/hello-api')
const TAG = `slipway-e2e/hello-run:${process.pid}-${Date.now()}`
/** The ports fixture: stops without $GREETING, listens on 8090. */
const PORTS = join(ROOT, 'test/fixtures/go/ports')
const PORTS_TAG = `slipway-e2e/ports-run:${process.pid}-${Date.now()}`
let web: WebApp
let browser: Browser

/** A project built as Slipway builds it: the recipe, and the project label that leads back to the folder. */
async function buildProject(dir: string, tag: string): Promise<void> {
  const analysis = await new GoProjects({ git: null }).analyze(dir)
  const recipe = generateRecipe(analysis, { base: testDistrolessBase(), builderImage: TEST_BUILDER, buildkit: true })
  await buildImage(docker, {
    contextDir: dir,
    dockerfile: recipe.dockerfile,
    dockerignore: recipe.dockerignore,
    tag,
    buildkit: true,
    buildArgs: recipe.buildArgs,
    labels: { 'org.slipway.project': dir },
  })
}
const buildExample = () => buildProject(EXAMPLE, TAG)

async function ourContainers(): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ['org.slipway.run=1'], ancestor: [TAG] } })
}

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWeb(), launchChromium(), buildExample(), buildProject(PORTS, PORTS_TAG)])
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  for (const c of await ourContainers().catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
  for (const c of await docker.listContainers({ all: true, filters: { ancestor: [PORTS_TAG] } }).catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
  await removeImage(docker, TAG)
  await removeImage(docker, PORTS_TAG)
})

/** Screenshots at the three sizes, and nothing of `box` outside the window at any of them. */
async function shoot(page: Page, name: string, within: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150)
    const box = await page.getByTestId(within).boundingBox()
    expect(box, `${name} at ${width}`).not.toBeNull()
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0)
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width)
    // Nothing inside is wider than its box (a cut-off table or button row scrolls sideways).
    const overflow = await page.getByTestId(within).evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow, `${name} overflows at ${width}`).toBeLessThanOrEqual(1)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-run-${name}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('run an image', () => {
  it('proposes the port, starts the example, answers through "Open in browser", stops and removes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    pageErrors(page, errors)
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByLabel('Filter images by tag or id').fill(TAG)
    await page.locator('.itable-row', { hasText: TAG }).first().click()
    await expect.poll(() => page.getByTestId('image-title').textContent()).toBe(TAG)

    // Run…: the port from the code and EXPOSE, a free host port, the variables with their defaults.
    await page.getByTestId('run-button').click()
    const dialog = page.getByTestId('run-dialog')
    const row = dialog.getByTestId('run-port-row').first()
    await row.waitFor({ timeout: 20_000 })
    expect(await dialog.getByLabel('Container port').first().inputValue()).toBe('8080')
    const host = Number(await dialog.getByLabel('Host port for container port 8080').inputValue())
    expect(host).toBeGreaterThan(0)
    // Taken is shown only when the proposal had to move off 8080.
    expect(await dialog.getByTestId('port-taken').count()).toBe(host === 8080 ? 0 : 1)
    await expect.poll(() => dialog.getByText('from the code').count()).toBe(1)
    expect(await dialog.getByLabel('Value of PORT').inputValue()).toBe('8080')
    expect(await dialog.getByLabel('Value of DATABASE_URL').getAttribute('type')).toBe('password')
    expect(await dialog.getByLabel('Value of TZ_NAME').getAttribute('type')).toBe('text')
    await dialog.getByLabel('Value of DATABASE_URL').fill('postgres://app:s3cret@db:5432/app')
    await shoot(page, 'dialog', 'run-dialog')
    // Reveal shows the secret; hiding it again masks it.
    await dialog.getByLabel('Show DATABASE_URL').click()
    expect(await dialog.getByLabel('Value of DATABASE_URL').getAttribute('type')).toBe('text')
    await dialog.getByLabel('Hide DATABASE_URL').click()
    // The example refuses a database it cannot parse only when set; leave it unset for a clean start.
    await dialog.getByLabel('Value of DATABASE_URL').fill('')

    await dialog.getByRole('button', { name: 'Start' }).click()
    const panel = page.getByTestId('run-panel')
    await panel.waitFor({ timeout: 20_000 })
    await expect.poll(() => panel.getByTestId('run-state').textContent()).toBe('Running')
    const link = panel.getByTestId('run-open-url').first()
    const href = await link.getAttribute('href')
    expect(href).toBe(`http://localhost:${host}`)
    expect(await link.getAttribute('target')).toBe('_blank')
    expect(await link.getAttribute('rel')).toContain('noopener')

    // The URL the UI offers answers, from outside the browser.
    let status = 0
    await expect
      .poll(
        async () => {
          status = await fetch(`${href}/healthz`).then(
            (r) => r.status,
            () => 0,
          )
          return status
        },
        { timeout: 15_000 },
      )
      .toBe(200)
    // The request shows up in the live log.
    await expect.poll(() => page.getByTestId('run-log').textContent(), { timeout: 10_000 }).toMatch(/starting server[\s\S]*\/healthz/)
    expect(await ourContainers()).toHaveLength(1)
    await shoot(page, 'panel', 'run-panel')

    await panel.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 20_000 }).toBe('Exited (0)')
    await expect.poll(() => page.getByTestId('run-log').textContent()).toMatch(/server stopped/)
    await panel.getByRole('button', { name: 'Remove' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click()
    await panel.waitFor({ state: 'detached', timeout: 10_000 })
    await expect.poll(async () => (await ourContainers()).length).toBe(0)
    expect(errors).toEqual([])
  })

  it('asks for a variable the program stops without, and starts once it is given', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByLabel('Filter images by tag or id').fill(PORTS_TAG)
    await page.locator('.itable-row', { hasText: PORTS_TAG }).first().click()
    await page.getByTestId('run-button').click()
    const dialog = page.getByTestId('run-dialog')
    await dialog.getByTestId('run-env-row').first().waitFor({ timeout: 20_000 })
    expect(await dialog.getByLabel('Container port').first().inputValue()).toBe('8090')
    const greeting = dialog.getByLabel('Value of GREETING')
    expect(await greeting.getAttribute('placeholder')).toBe('required · read at main.go:31')
    expect(await greeting.getAttribute('aria-required')).toBe('true')
    expect(await dialog.getByLabel('Value of PORT').getAttribute('placeholder')).toBe('unset · read at main.go:24')
    // Start waits for it, and says why.
    await expect.poll(() => dialog.getByText('GREETING is required: the program stops without it.').count()).toBe(1)
    expect(await dialog.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true)
    await shoot(page, 'required', 'run-dialog')
    await greeting.fill('hello')
    expect(await dialog.getByRole('button', { name: 'Start' }).isDisabled()).toBe(false)
    const host = Number(await dialog.getByLabel('Host port for container port 8090').inputValue())
    await dialog.getByRole('button', { name: 'Start' }).click()
    const panel = page.getByTestId('run-panel')
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 20_000 }).toBe('Running')
    await expect
      .poll(() => fetch(`http://127.0.0.1:${host}/`).then((r) => r.text(), () => ''), { timeout: 15_000 })
      .toBe('hello from port 8090\n')
    await panel.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 20_000 }).toMatch(/^Exited/)
    expect(errors).toEqual([])
  })

  it('lists Slipway containers on the Images page and opens one', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } })
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
    // One started outside this page (as the CLI would), that exits at once: a database URL without a host.
    const c = await docker.createContainer({ Image: TAG, Labels: { 'org.slipway.run': '1' }, Env: ['DATABASE_URL=postgres://'], name: `slipway-e2e-ctr-${process.pid}` })
    await c.start()
    expect((await c.wait()).StatusCode).toBe(1)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Images/ }).click()
    await page.getByRole('radio', { name: /Containers/ }).click()
    const row = page.getByTestId('container-row').filter({ hasText: `slipway-e2e-ctr-${process.pid}` })
    await row.waitFor({ timeout: 20_000 })
    await expect.poll(() => row.getByTestId('run-state').textContent()).toBe('Exited (1)')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-run-containers-1024.png') })
    await row.click()
    await page.getByTestId('run-panel').waitFor()
    // Its exit code and its last line, which says why.
    await expect.poll(() => page.getByTestId('run-exit').textContent()).toMatch(/exited with code 1 right after it started.*invalid DATABASE_URL: missing host/)
    await page.waitForTimeout(300) // the dialog's opening animation
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-run-exited-1024.png') })
  })
})
