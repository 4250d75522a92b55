import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecondDaemon } from '../engine/second-daemon'
import { ARTIFACTS, launchChromium, startWeb, type WebApp } from './support'

// The status bar follows a daemon that stops and comes back: a test-owned dockerd, never the shared one.
const daemon = new SecondDaemon()
let web: WebApp
let browser: Browser
let page: Page

beforeAll(async () => {
  await daemon.start()
  ;[web, browser] = await Promise.all([startWeb({ DOCKER_HOST: daemon.host }), launchChromium()])
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(web.url)
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
  await daemon.dispose()
})

describe('engine state in the UI', () => {
  it('shows the connected engine', async () => {
    await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 15_000 }).toMatch(/\d+\.\d+/)
  })

  it('says Docker is not running within a couple of seconds of it stopping', async () => {
    await daemon.stop()
    const t0 = Date.now()
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 5_000, interval: 100 }).toContain('Docker is not running')
    expect(Date.now() - t0).toBeLessThan(3000)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-down.png') })
  })

  it('recovers by itself when the daemon comes back', async () => {
    await daemon.start()
    await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 20_000 }).toMatch(/\d+\.\d+/)
  })
})
