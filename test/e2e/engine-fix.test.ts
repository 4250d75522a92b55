// The status bar's fix-it when no engine answers, in browser mode in Chromium: DOCKER_HOST at a
// socket that is not there (install and start one on this OS), and at a test-owned socket that
// refuses the user Slipway runs as (the group fix). Never the shared engine's socket.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linuxPackage, parseOsRelease } from '../../shared/engine-fix'
import { ARTIFACTS, launchChromium, SIZES, startWeb, type WebApp } from './support'

/** The user the refused Slipway runs as: nobody, so the root-owned 0600 socket refuses it. */
const NOBODY = { uid: 65534, gid: 65534 }

let browser: Browser
let tmp: string
let server: Server
const apps: WebApp[] = []

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-nodocker-'))
  // nobody must reach the socket to be refused by it (not stopped at the folder).
  chmodSync(tmp, 0o755)
  server = createServer((c) => c.end())
  await new Promise<void>((r) => server.listen(join(tmp, 'engine.sock'), r))
  chmodSync(join(tmp, 'engine.sock'), 0o600)
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const a of apps) await a.stop()
  server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** Opens browser mode on `dockerHost` and the status bar's engine popover; returns the page. */
async function openFixIt(dockerHost: string, as?: { uid: number; gid: number }): Promise<{ page: Page; errors: string[] }> {
  const web = await startWeb({ DOCKER_HOST: dockerHost }, [], as)
  apps.push(web)
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(web.url)
  await expect.poll(() => page.getByTestId('engine-status').getAttribute('data-engine'), { timeout: 20_000 }).toBe('unavailable')
  await page.getByTestId('engine-status').locator('.status-engine').click()
  await page.getByTestId('engine-fix-steps').waitFor({ timeout: 5_000 })
  return { page, errors }
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(250)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-engine-fix-${name}-${width}.png`) })
  }
}

describe('no engine at all', () => {
  it("says how to install and start one on this OS, with each command to copy", async () => {
    const missing = join(tmp, 'no-engine-here.sock')
    const { page, errors } = await openFixIt(`unix://${missing}`)
    expect(await page.getByTestId('engine-status').textContent()).toContain('Docker is not running')
    const fix = page.getByTestId('engine-fix')
    const text = (await fix.textContent()) ?? ''
    expect(text).toContain(`Nothing answers on unix://${missing} (from DOCKER_HOST).`)
    expect(text).toContain('DOCKER_HOST chose this socket')
    // This machine's own distribution decides the package (Debian here: docker.io).
    const pkg = linuxPackage(parseOsRelease(readFileSync('/etc/os-release', 'utf8')))
    const codes = await page.getByTestId('engine-fix-steps').locator('code').allTextContents()
    expect(codes).toEqual(pkg ? [pkg.install, pkg.start, 'dockerd-rootless-setuptool.sh install', 'systemctl --user enable --now podman.socket'] : expect.arrayContaining(['sudo systemctl enable --now docker']))
    expect(await page.getByTestId('engine-fix-steps').getByRole('button', { name: 'Copy the command' }).count()).toBe(codes.length)
    await shoot(page, 'missing')
    expect(errors).toEqual([])
  }, 90_000)

  // Only root can start Slipway as nobody (and only root's 0600 socket refuses nobody): this machine's tests run as root.
  it.runIf(process.getuid?.() === 0)('a socket that refuses this user: the group fix, and to start Slipway again', async () => {
    const sock = join(tmp, 'engine.sock')
    const { page, errors } = await openFixIt(`unix://${sock}`, NOBODY)
    expect(await page.getByTestId('engine-status').textContent()).toContain('Permission denied on the Docker socket')
    const text = (await page.getByTestId('engine-fix').textContent()) ?? ''
    // The test's socket is root's alone (0600, group root): no group to join, so the fix makes one.
    expect(text).toContain(`Only root may use unix://${sock} (from DOCKER_HOST) (its group is root).`)
    expect(text).toContain('start Slipway again')
    expect(await page.getByTestId('engine-fix-steps').locator('code').allTextContents()).toEqual([
      'sudo groupadd -f docker && sudo usermod -aG docker $USER',
      'sudo systemctl restart docker',
      'newgrp docker',
      'dockerd-rootless-setuptool.sh install',
    ])
    await shoot(page, 'permission')
    expect(errors).toEqual([])
  }, 90_000)
})
