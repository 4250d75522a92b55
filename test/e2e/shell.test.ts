import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, startWeb, type WebApp } from './support'

const run = promisify(execFile)
let web: WebApp
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('browser mode', () => {
  it('shows the real engine version in the status bar', async () => {
    const { stdout } = await run('docker', ['version', '--format', '{{.Server.Version}}'])
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(web.url)
    await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 15_000 }).toContain(stdout.trim())
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-shell-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-shell-dark.png') })
    expect(errors).toEqual([])
  })

  it('takes the token out of the address bar, and a reload of the tab still connects', async () => {
    const page = await browser.newPage()
    await page.goto(web.url)
    await expect.poll(() => page.getByTestId('engine-version').count(), { timeout: 15_000 }).toBe(1)
    expect(page.url()).not.toContain('token')
    await page.reload()
    await expect.poll(() => page.getByTestId('engine-version').count(), { timeout: 15_000 }).toBe(1)
    expect(page.url()).not.toContain('token')
    await page.close()
  })

  it('refuses a page that does not carry the token', async () => {
    const page = await browser.newPage()
    const url = web.url.replace(/#token=.*/, '#token=wrong')
    await page.goto(url)
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 10_000 }).toContain('Cannot reach Slipway')
    await expect(page.getByTestId('engine-version').count()).resolves.toBe(0)
  })
})
