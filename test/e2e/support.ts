import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import { STAND_IN_BASES, STAND_IN_BUILDER } from '../support/services'
import { isolatedLaunch } from './loopback-proxy'

export const ROOT = join(import.meta.dirname, '..', '..')
export const ARTIFACTS = join(ROOT, 'test-results')

/** The widths every page is checked and photographed at. */
export const SIZES = [
  [1024, 700],
  [1440, 900],
  [1920, 1080],
] as const

/** Collects what a page reports as broken — uncaught errors and console errors — into `into`; a test ends by expecting none. */
export function pageErrors(page: Page, into: string[] = []): string[] {
  page.on('pageerror', (e) => into.push(e.message))
  page.on('console', (m) => m.type() === 'error' && into.push(m.text()))
  return into
}

/** Removes every tag the reference matches (`slipway/NAME`, or with `*`: `slipway/*RUN*`), and so the images only they held. Never fails: a test's clean-up. */
export async function removeTags(reference: string): Promise<void> {
  const run = promisify(execFile)
  const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=${reference}`]).catch(() => ({ stdout: '' }))
  const tags = stdout.split('\n').filter(Boolean)
  if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
}

/**
 * Waits until what the last change caused (a resize, a theme) is laid out and painted: three animation
 * frames — resize observers run in the first, the renders they schedule (virtual lists) land before
 * the third. Instead of a fixed pause.
 */
export async function settled(page: Page): Promise<void> {
  // A string: this file is compiled without the DOM's types.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))))')
}

export { exampleCopy } from '../support/example-copy'

/**
 * Writes the run's settings: the catalog pointed at the offline stand-ins, with the test's own on top.
 * Settings are read on the page's first request, so written right after startWeb they are in time.
 */
export function writeSettings(web: WebApp, settings: Record<string, unknown> = {}): void {
  writeFileSync(
    join(web.dataDir, 'settings.json'),
    JSON.stringify({ version: 1, recentProjects: [], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER, ...settings }),
  )
}

export interface WebApp {
  url: string
  proc: ChildProcess
  output: () => string
  /** This run's settings and cache folder (removed by stop()). */
  dataDir: string
  stop(): Promise<void>
}

/** Starts the real browser-mode entry (`bin/web.mjs`, as `npm run web` does) on a free port and reads the URL it prints. */
export async function startWeb(env: Record<string, string> = {}, args: string[] = [], as?: { uid: number; gid: number }): Promise<WebApp> {
  // Settings and caches of this run only: never the developer's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-e2e-data-'))
  // Run as another user (a socket that refuses them): the data folder, and HOME, are theirs.
  if (as) chownSync(dataDir, as.uid, as.gid)
  const proc = spawn(process.execPath, [join(ROOT, 'bin/web.mjs'), '--port', '0', ...args], {
    cwd: ROOT,
    // SLIPWAY_STRICT: a stray error ends the run (and fails the test) instead of being logged and survived.
    env: { ...process.env, SLIPWAY_DATA_DIR: dataDir, SLIPWAY_STRICT: '1', ...(as ? { HOME: dataDir } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
  })
  let out = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${out}`)), 30_000)
    proc.stdout.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    proc.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${out}`)))
  })
  return {
    url,
    proc,
    output: () => out,
    dataDir,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r))
        proc.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Debian's Chromium, headless, with the flags this closed network needs, in a network namespace of
 * its own where the machine allows it (loopback-proxy.ts: containers that start beside it then
 * never abort its requests with net::ERR_NETWORK_CHANGED).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']
  const isolated = await isolatedLaunch(path)
  if (!isolated) return chromium.launch({ executablePath: path, args })
  return chromium.launch({ executablePath: isolated.executablePath, args: [...args, ...isolated.args], env: { ...process.env, ...isolated.env } })
}
