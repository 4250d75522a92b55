// "Make it locally" in the build view, end to end: browser mode in Chromium, the real engine and the
// real Debian mirror. The example's base (distroless-static) points at a registry that is not there
// (127.0.0.1:1), so Build is refused before anything runs, with the offer to make the static base
// from Debian packages. Cancel leaves nothing; accepting makes it, points the setting at it and
// builds on it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeImage } from '../support/build-image'
import { STAND_IN_BASES } from '../support/services'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, removeTags, SIZES, startWeb, writeSettings, type WebApp } from './support'

const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-offer-${RUN}`
const STATIC = 'slipway-made/static:bookworm'
const NO_BASE = '127.0.0.1:1/slipway-e2e/static:nonroot'
const NO_ALPINE = '127.0.0.1:1/slipway-e2e/alpine:3.20'
const BUSYBOX = 'slipway-made/busybox:bookworm'

const docker = new Docker()
let web: WebApp
let browser: Browser
let page: Page
let tmp: string
const errors: string[] = []

async function shoot(name: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-make-offer-${name}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

const stored = () => JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { customBases: { id: string; image: string }[] }
const phase = () => page.getByTestId('build-status').getAttribute('data-phase')

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-offer-'))
  const dir = exampleCopy(tmp, NAME)
  // Not made yet: accepting the offer has to make it (the bases tests do the same; a make gives the same id each time).
  await removeImage(docker, STATIC)
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  writeSettings(web, {
    recentProjects: [{ path: dir, name: NAME, openedAt: Date.now() }],
    customBases: [
      { id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE },
      { id: 'alpine', basedOn: 'alpine', image: NO_ALPINE },
      ...STAND_IN_BASES.filter((b) => b.id !== 'distroless-static' && b.id !== 'alpine'),
    ],
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page = await context.newPage()
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 30_000 })
}, 120_000)

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(web?.output())
  await browser?.close()
  await web?.stop()
  await removeTags(`slipway/${NAME}`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('a base that cannot be pulled', () => {
  it('is said before building, with the offer to make it from Debian packages', async () => {
    await page.getByTestId('build-button').click()
    const blocking = page.getByTestId('preflight-blocking')
    await blocking.waitFor({ timeout: 60_000 })
    expect(await blocking.getByTestId('preflight-base-missing').textContent()).toContain(`The base image ${NO_BASE} is not on this machine and cannot be pulled.`)
    const accept = page.getByTestId('make-accept')
    expect(await accept.textContent()).toMatch(/^Make Static \(distroless-like\) from Debian packages \(≈ 0\.5 MB, from [\w.-]+(:\d+)?\)$/)
    // Nothing ran.
    expect(await page.getByTestId('build-step').count()).toBe(0)
    await shoot('offer')
    // The offer's colours in the dark theme too.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(250)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-make-offer-offer-1280-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    expect(errors).toEqual([])
  }, 90_000)

  it('Cancel while making leaves no image and the setting as it was', async () => {
    await page.getByTestId('make-accept').click()
    await page.getByTestId('make-progress').waitFor({ timeout: 10_000 })
    await page.getByTestId('make-cancel').click()
    await page.getByTestId('make-accept').waitFor({ timeout: 30_000 })
    await expect(docker.getImage(STATIC).inspect()).rejects.toMatchObject({ statusCode: 404 })
    expect(stored().customBases[0]).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE })
    expect(await page.getByTestId('make-error').count()).toBe(0)
    expect(errors).toEqual([])
  }, 60_000)

  it('accepting makes the static base, points distroless-static at it and builds on it', async () => {
    await page.getByTestId('make-accept').click()
    const progress = page.getByTestId('make-progress')
    await progress.waitFor({ timeout: 10_000 })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-make-offer-making-1440.png') })
    // Made, pointed at, then the build runs on it with its steps.
    await expect.poll(phase, { timeout: 240_000 }).toBe('succeeded')
    expect(await page.getByTestId('preflight-blocking').count()).toBe(0)
    expect(await page.getByTestId('build-step').count()).toBeGreaterThan(3)
    expect(stored().customBases.find((b) => b.id === 'distroless-static')).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: STATIC })
    const made = await docker.getImage(STATIC).inspect()
    expect(made.Config.Labels?.['org.slipway.made']).toBe('static')
    const app = await docker.getImage(`slipway/${NAME}:distroless-static`).inspect()
    expect(app.RootFS.Layers?.[0]).toBe(made.RootFS.Layers?.[0])
    await shoot('built')
    expect(errors).toEqual([])
  }, 300_000)

  it('Compare says it before building too, and its offer makes (or uses) busybox for alpine, then compares', async () => {
    await page.getByTestId('view-switch').getByRole('radio', { name: 'Compare' }).click()
    await page.getByTestId('compare-start').click()
    const refused = page.getByTestId('compare-preflight')
    await refused.waitFor({ timeout: 60_000 })
    expect(await refused.textContent()).toContain('The comparison did not start')
    expect(await refused.textContent()).toContain(`The base image ${NO_ALPINE} is not on this machine and cannot be pulled.`)
    // distroless-static is the made static base now: only alpine is refused.
    expect(await refused.getByTestId('preflight-base-missing').count()).toBe(1)
    expect(await refused.getByTestId('make-accept').textContent()).toMatch(/^(Make Busybox \(alpine-like\) from Debian packages \(≈ 1\.1 MB, from [\w.:-]+\)|Use Busybox \(alpine-like\) made here \(slipway-made\/busybox:bookworm\))$/)
    expect(await page.getByTestId('compare-row').count()).toBe(0)
    await shoot('compare-offer')
    await refused.getByTestId('make-accept').click()
    await expect.poll(() => page.getByTestId('compare-status').getAttribute('data-phase'), { timeout: 400_000, interval: 1000 }).toBe('succeeded')
    expect(await page.getByTestId('compare-preflight').count()).toBe(0)
    expect(await page.getByTestId('compare-row').count()).toBe(3)
    expect(stored().customBases.find((b) => b.id === 'alpine')).toEqual({ id: 'alpine', basedOn: 'alpine', image: BUSYBOX })
    const busybox = await docker.getImage(BUSYBOX).inspect()
    expect((await docker.getImage(`slipway/${NAME}:alpine`).inspect()).RootFS.Layers?.[0]).toBe(busybox.RootFS.Layers?.[0])
    expect(errors).toEqual([])
  }, 500_000)

  it('the Stacks page says it before Up, and its offer points the base at the static base made here', async () => {
    // The setting back at the registry that is not there (as a hand-edited file would be): read at the next proposal.
    const now = JSON.parse(readFileSync(join(web.dataDir, 'settings.json'), 'utf8')) as { customBases: { id: string; image: string }[] }
    writeFileSync(
      join(web.dataDir, 'settings.json'),
      JSON.stringify({ ...now, customBases: now.customBases.map((b) => (b.id === 'distroless-static' ? { ...b, image: NO_BASE } : b)) }),
    )
    // The base's build is cached now: a new source file makes the stack's image stale, so Up would build.
    writeFileSync(join(tmp, NAME, 'stack_offer.go'), 'package main\n')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Stacks/ }).click()
    const offer = page.getByTestId('stack-make-offer')
    await offer.waitFor({ timeout: 60_000 })
    expect(await offer.textContent()).toContain('Up would stop before it starts anything')
    expect(await offer.textContent()).toContain(`The base image ${NO_BASE} is not on this machine and cannot be pulled.`)
    expect(await offer.getByTestId('make-accept').textContent()).toBe(`Use Static (distroless-like) made here (${STATIC})`)
    await shoot('stack-offer')
    await offer.getByTestId('make-accept').click()
    await offer.waitFor({ state: 'detached', timeout: 30_000 })
    expect(stored().customBases.find((b) => b.id === 'distroless-static')).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: STATIC })
    // Nothing was started: the offer only pointed the setting at the made base.
    expect(await page.getByTestId('stack-app-image').textContent()).toMatch(/^Rebuilt on distroless-static first$|^Built on distroless-static first$/)
    expect(errors).toEqual([])
  }, 120_000)
})
