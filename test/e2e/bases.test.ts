// Settings → Bases made here, in Chromium against browser mode: the list of bases, Make on the
// static base with progress (from the real Debian mirror, into the real engine), its exact
// packages, and Use pointing the catalog's distroless-static at it. Screenshots at three widths.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, startWeb, type WebApp } from './support'

let web: WebApp
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150)
    const section = page.getByTestId('settings-made-bases')
    await section.scrollIntoViewIfNeeded()
    const overflow = await section.evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow, `${name} overflows at ${width}`).toBeLessThanOrEqual(1)
    for (const b of await section.getByRole('button').all()) {
      const box = await b.boundingBox()
      expect((box?.x ?? 0) + (box?.width ?? 0), `a button is cut off at ${width}`).toBeLessThanOrEqual(width)
    }
    await page.screenshot({ path: join(ARTIFACTS, `e2e-made-bases-${name}-${width}.png`) })
  }
}

describe('Settings: bases made here', () => {
  it('makes the static base from the Debian mirror with progress, lists its packages, and uses it for distroless-static', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(web.url)
    await page.getByTestId('engine-version').waitFor({ timeout: 20_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click()
    const row = page.getByTestId('made-base-static')
    await row.waitFor({ timeout: 20_000 })
    for (const id of ['glibc', 'busybox', 'debian', 'golang']) await page.getByTestId(`made-base-${id}`).waitFor()

    await row.getByTestId('made-base-make-static').click()
    await page.getByTestId('made-bases-progress').waitFor({ timeout: 10_000 })
    await expect.poll(() => page.getByTestId('made-bases-progress').count(), { timeout: 120_000 }).toBe(0)
    expect(await page.getByTestId('made-bases-error').count()).toBe(0)
    await expect.poll(() => row.getByText('Made', { exact: true }).count(), { timeout: 10_000 }).toBe(1)

    await row.getByTestId('made-base-packages-static').click()
    const packages = page.getByRole('list', { name: 'Packages in slipway-made/static:bookworm' })
    expect(await packages.textContent()).toMatch(/ca-certificates \S+.*tzdata \S+/)
    await shoot(page, 'made')

    await row.getByTestId('made-base-use-static').click()
    await expect.poll(() => row.getByText('In use').count(), { timeout: 10_000 }).toBe(1)
    // Through the custom-base setting, as a mirror would be.
    const stored = JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { customBases: unknown[] }
    expect(stored.customBases).toContainEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: 'slipway-made/static:bookworm' })
    await shoot(page, 'in-use')
    expect(errors).toEqual([])
  })
})
