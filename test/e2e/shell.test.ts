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

  // A network change on the host (Docker adding a bridge) aborts loads in flight: a page's chunk that
  // failed to arrive is fetched again, and when it keeps failing the page says so and offers a retry.
  it('loads a page whose chunk failed to arrive at first, and offers a retry when it keeps failing', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    let stacksFetches = 0
    let settingsFetches = 0
    let settingsDown = true
    await page.route(/\/assets\/StacksPage-[\w-]+\.js$/, (r) => (++stacksFetches <= 2 ? r.abort('internetdisconnected') : r.continue()))
    await page.route(/\/assets\/SettingsPage-[\w-]+\.js$/, (r) => (++settingsFetches, settingsDown ? r.abort('internetdisconnected') : r.continue()))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })

    // Two aborted fetches, then it arrives: the page shows as if nothing happened.
    await page.getByRole('button', { name: /^Stacks/ }).click()
    await page.getByTestId('stacks-main').waitFor({ timeout: 15_000 })
    expect(stacksFetches).toBe(3)

    // Every try fails: the page says so (not a blank page, not an unhandled error)…
    await page.getByRole('button', { name: /^Settings/ }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Loading this page failed' })
    await alert.waitFor({ timeout: 15_000 })
    // (the first try and three more; another chunk may ask for the same file too)
    expect(settingsFetches).toBeGreaterThanOrEqual(4)
    const triedBefore = settingsFetches
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-shell-page-failed.png') })
    // …and once the network is back, "Try again" fetches it afresh.
    settingsDown = false
    await alert.getByRole('button', { name: 'Try again' }).click()
    await page.getByTestId('settings-save').waitFor({ timeout: 15_000 })
    expect(settingsFetches).toBeGreaterThan(triedBefore)
    expect(errors).toEqual([])
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
