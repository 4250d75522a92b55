// Settings → Dev stack in Chromium against browser mode: the Postgres image every stack starts,
// moved to another major version with the picker (repository and tag suffix kept) and saved into
// settings.json; a reference that is not one is said at once and cannot be saved.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, startWeb, type WebApp } from './support'

let app: WebApp
let browser: Browser

beforeAll(async () => {
  app = await startWeb()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

it('saves the Postgres image from the version picker and refuses a bad reference', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } })
  await page.goto(app.url)
  await page.keyboard.press('Control+4')
  const field = page.getByTestId('postgres-image')
  await field.waitFor()
  // Blank: the default, whose version the picker shows.
  expect(await field.inputValue()).toBe('')
  expect(await page.getByTestId('postgres-version').textContent()).toBe('Postgres 16')
  await expect.poll(() => page.getByTestId('postgres-save').isDisabled()).toBe(true)

  await page.getByTestId('postgres-version').click()
  await page.getByRole('option', { name: 'Postgres 15' }).click()
  expect(await field.inputValue()).toBe('postgres:15-alpine')
  await page.getByTestId('postgres-save').click()
  const stored = () => (JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { postgresImage?: string | null }).postgresImage
  await expect.poll(stored).toBe('postgres:15-alpine')
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-settings-postgres.png') })

  await field.fill('bad image!')
  expect(await page.getByTestId('postgres-problem').textContent()).toMatch(/not a valid image reference/)
  expect(await page.getByTestId('postgres-save').isDisabled()).toBe(true)
  // Blank again: the default, saved as "no setting".
  await field.fill('')
  await page.getByTestId('postgres-save').click()
  await expect.poll(stored).toBeNull()
})
