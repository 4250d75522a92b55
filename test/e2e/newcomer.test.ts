// Issue 7's "done when", as a newcomer does it, in browser mode in Chromium against the real engine,
// with no terminal and no API call: the app starts on the bundled example; Build the example and
// watch the steps; Compare and get the chart and the table for three bases; run the smallest image,
// get an HTTP answer from its "Open in browser" URL; stop it. The catalog points at the offline
// stand-ins through the same settings every e2e test uses (no registry here).
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, pageErrors, ROOT, SIZES, startWeb, writeSettings, type WebApp } from './support'

const run = promisify(execFile)
const docker = new Dockerode()
const EXAMPLE = join(ROOT, 'examples/hello-api')
const BASES = ['scratch', 'distroless-static', 'alpine'] as const

let web: WebApp
let browser: Browser
let page: Page
const errors: string[] = []
let tagsBefore = new Set<string>()

const exampleTags = async () =>
  (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'slipway/hello-api'])).stdout.split('\n').filter(Boolean)
/** Slipway's runs of the example's images (they carry the image's project label). */
const exampleContainers = async () => docker.listContainers({ all: true, filters: { label: ['org.slipway.run', `org.slipway.project=${EXAMPLE}`] } })

async function shoot(name: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(250)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-newcomer-${name}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

beforeAll(async () => {
  tagsBefore = new Set(await exampleTags())
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  // Only the catalog: no recent project, so the app opens on its example as on a first start.
  writeSettings(web)
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
  pageErrors(page, errors)
  await page.goto(web.url)
}, 120_000)

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(web?.output())
  for (const c of await exampleContainers().catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
  await browser?.close()
  await web?.stop()
  // The example's own tags stay as they were: only what this run added goes.
  const added = (await exampleTags().catch(() => [])).filter((t) => !tagsBefore.has(t))
  if (added.length) await run('docker', ['image', 'rm', ...added]).catch(() => undefined)
})

describe('a newcomer in browser mode, from the example to its answer', () => {
  it('opens on the example, builds it with live steps, compares three bases, runs the smallest and opens it, then stops it', async () => {
    // 1. The app starts on the example and says so.
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 30_000 }).toBe('hello-api')
    const guide = page.getByTestId('example-guide')
    await guide.waitFor()
    expect(await guide.getAttribute('data-state')).toBe('new')
    await shoot('start')

    // 2. Build the example: the steps show while it runs, and it ends built.
    await guide.getByRole('button', { name: 'Build the example' }).click()
    const phase = () => page.getByTestId('build-status').getAttribute('data-phase')
    await expect.poll(() => page.getByTestId('build-step').count(), { timeout: 60_000 }).toBeGreaterThan(3)
    await expect.poll(phase, { timeout: 300_000 }).toBe('succeeded')
    const statuses = await page.getByTestId('build-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    expect(statuses.every((s) => s === 'done' || s === 'cached')).toBe(true)
    // The guide steps on from "Build the example" to what comes next.
    await expect.poll(() => guide.getAttribute('data-state'), { timeout: 10_000 }).toBe('built')
    expect(await guide.getByRole('button', { name: 'Build the example' }).count()).toBe(0)
    expect(await guide.textContent()).toContain('The example is built: slipway/hello-api:')
    await shoot('built')

    // 3. Compare (the guide's next step): three bases by default, the chart and the table fill in.
    await guide.getByTestId('example-compare').click()
    await page.getByTestId('compare-view').waitFor()
    for (const b of BASES) expect(await page.getByTestId(`compare-base-${b}`).getAttribute('data-state')).toBe('checked')
    await page.getByTestId('compare-start').click()
    await expect.poll(() => page.getByTestId('compare-status').getAttribute('data-phase'), { timeout: 600_000, interval: 1000 }).toBe('succeeded')
    expect(await page.getByTestId('compare-row').count()).toBe(3)
    expect(await page.locator('[data-testid="compare-chart"] .chart-row').count()).toBe(3)
    const sizes: Record<string, number> = {}
    for (const b of BASES) {
      const row = page.locator(`[data-testid="compare-row"][data-base="${b}"]`)
      expect(await row.getAttribute('data-state')).toBe('done')
      sizes[b] = (await docker.getImage(`slipway/hello-api:${b}`).inspect()).Size
      expect(await row.getByTestId('cell-cold').textContent()).toMatch(/^[\d.]+ (ms|s)$/)
    }
    const smallest = BASES.reduce((a, b) => ((sizes[b] ?? Infinity) < (sizes[a] ?? Infinity) ? b : a))
    const smallestRow = page.locator(`[data-testid="compare-row"][data-base="${smallest}"]`)
    expect(await smallestRow.getByTestId('compare-verdict').textContent()).toContain('the smallest')
    await shoot('compared')

    // 4. Run the smallest: Run… proposes the port, Start, and its "Open in browser" URL answers.
    await smallestRow.getByTestId('run-button').click()
    const dialog = page.getByTestId('run-dialog')
    await dialog.waitFor()
    expect(await dialog.getByRole('heading').textContent()).toBe(`Run slipway/hello-api:${smallest}`)
    await expect.poll(() => dialog.getByTestId('run-port-row').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await dialog.getByRole('button', { name: 'Start' }).click()
    const panel = page.getByTestId('run-panel')
    await panel.waitFor({ timeout: 30_000 })
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('Running')
    // The run is named from the row's tag, as from the Build view, never from its sha256 id.
    expect(await panel.locator('.run-panel-name').textContent()).toMatch(/^hello-api-[0-9a-f]{4}$/)
    expect(await panel.locator('.run-facts dd').first().textContent()).toBe(`slipway/hello-api:${smallest}`)
    const href = (await panel.getByTestId('run-open-url').first().getAttribute('href')) ?? ''
    expect(href).toMatch(/^http:\/\/localhost:\d+$/)
    let answer = { status: 0, body: '' }
    await expect
      .poll(
        async () => {
          answer = await fetch(href).then(
            async (r) => ({ status: r.status, body: await r.text() }),
            () => ({ status: 0, body: '' }),
          )
          return answer.status
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(200)
    expect(answer.body).toContain('Hello from hello-api!')
    const started = await exampleContainers()
    expect(started).toHaveLength(1)
    expect(started[0]?.Names).toEqual([expect.stringMatching(/^\/hello-api-[0-9a-f]{4}$/)])
    await shoot('running')

    // 5. Stop it.
    await panel.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => panel.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('Exited (0)')
    expect((await exampleContainers()).every((c) => c.State !== 'running')).toBe(true)

    // 6. Back another day (a reload): the build history says the example is built, so the guide points on.
    await page.reload()
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 30_000 }).toBe('hello-api')
    await expect.poll(() => page.getByTestId('example-guide').getAttribute('data-state'), { timeout: 10_000 }).toBe('built')
    expect(errors).toEqual([])
  }, 1_200_000)
})
