// The Stacks page with an app that stops without a variable (the ports fixture exits at once
// without $GREETING): the field says "required", a line under the variables names it and Up stays
// disabled until it has a value; nothing is built or started. Screenshots at 1024, 1440 and 1920,
// light and dark.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, pageErrors, ROOT, SIZES, startWeb, writeSettings, type WebApp } from './support'

const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-stackreq-${RUN}`

let tmp = ''
let web: WebApp
let browser: Awaited<ReturnType<typeof launchChromium>>
let page: Page
const errors: string[] = []

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-stackreq-'))
  const dir = join(tmp, NAME)
  cpSync(join(ROOT, 'test', 'fixtures', 'go', 'ports'), dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${NAME}`))
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  writeSettings(web, { recentProjects: [{ path: dir, name: NAME, openedAt: Date.now() }], postgresImage: 'slipway-test/postgres:15' })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page = await context.newPage()
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('Stacks page: a required variable', () => {
  it('names the empty required variable and keeps Up disabled until it has a value', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Stacks/ }).click()
    const config = page.getByTestId('stack-config')
    await config.waitFor({ timeout: 60_000 })
    const field = config.getByLabel('Value of GREETING')
    expect(await field.getAttribute('placeholder')).toMatch(/^required · read at main\.go:\d+$/)
    const notice = page.getByTestId('stack-required-empty')
    expect(await notice.textContent()).toBe('The app stops without GREETING: Up starts once it has a value.')
    const up = page.getByTestId('stack-up')
    expect(await up.isDisabled()).toBe(true)
    expect(await up.getAttribute('title')).toBe('The app stops without GREETING: give it a value before Up.')
    await notice.scrollIntoViewIfNeeded()
    mkdirSync(ARTIFACTS, { recursive: true })
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height })
        await notice.scrollIntoViewIfNeeded()
        const overflow = await page.getByTestId('stacks-main').evaluate((el) => el.scrollWidth - el.clientWidth)
        expect(overflow, `overflow at ${width}`).toBeLessThanOrEqual(1)
        await page.screenshot({ path: join(ARTIFACTS, `e2e-stacks-required-${theme}-${width}.png`) })
      }
    }
    await field.fill('hello')
    expect(await notice.count()).toBe(0)
    expect(await up.isDisabled()).toBe(false)
    // Other tests creating Docker networks on this machine make Chromium drop a request now and then: not this page's error.
    expect(errors.filter((e) => !e.includes('ERR_NETWORK_CHANGED'))).toEqual([])
  }, 120_000)
})
