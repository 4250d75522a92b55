// The newcomer on a machine with no image registry, with Slipway's default settings (no
// stand-ins configured): the example is opened, Build says the builder and the base cannot be
// pulled and offers the ones made here from Debian packages (made now if missing), one click
// points the settings at them, and the build succeeds.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, removeTags, startWeb, type WebApp } from './support'

const run = promisify(execFile)
const NAME = `e2e-offline-${Date.now().toString(36)}${process.pid}`
let web: WebApp
let browser: Browser
let page: Page
let tmp: string
const errors: string[] = []

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-offline-'))
  const dir = exampleCopy(tmp, NAME)
  // No settings written: the catalog and the builder are the product's defaults (official images).
  ;[web, browser] = await Promise.all([startWeb({}, [dir]), launchChromium()])
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 60_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  await removeTags(`slipway/${NAME}`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('a newcomer on a machine with no image registry, default settings', () => {
  it('Build offers the builder and the base made from Debian packages, and one click builds', { timeout: 480_000 }, async () => {
    await page.getByTestId('build-button').click()
    const blocking = page.getByTestId('preflight-blocking')
    await blocking.waitFor({ timeout: 90_000 })
    const said = (await blocking.textContent()) ?? ''
    expect(said).toContain('The builder image golang:1.23-bookworm is not on this machine and cannot be pulled.')
    expect(said).toMatch(/The base image gcr\.io\/distroless\/static-debian12:nonroot is not on this machine and cannot be pulled\./)
    const accept = blocking.getByTestId('make-accept')
    // Made here earlier (provisioning makes them on a test machine): Use; else Make.
    expect(await accept.textContent()).toMatch(/^(Use|Make) .*Go builder/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-offline-default-offer.png') })
    expect(await page.getByTestId('build-step').count()).toBe(0)

    await accept.click()
    await expect.poll(() => page.getByTestId('build-status').getAttribute('data-phase'), { timeout: 420_000 }).toBe('succeeded')
    expect(await page.getByTestId('preflight-blocking').count()).toBe(0)
    // Through the same settings a mirror uses: the builder and the base point at the made images.
    const settings = JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { builderImage: string; customBases: { id: string; image: string }[] }
    expect(settings.builderImage).toBe('slipway-made/golang:bookworm')
    expect(settings.customBases.find((b) => b.id === 'distroless-static')?.image).toBe('slipway-made/static:bookworm')
    const app = await run('docker', ['image', 'inspect', '--format', '{{.Config.User}}', `slipway/${NAME}:distroless-static`])
    expect(app.stdout.trim()).toBe('65532:65532')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-offline-default-built.png') })
    expect(errors).toEqual([])
  })
})
