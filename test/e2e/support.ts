import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

export const ROOT = join(import.meta.dirname, '..', '..')
export const ARTIFACTS = join(ROOT, 'test-results')

export interface WebApp {
  url: string
  proc: ChildProcess
  output: () => string
  /** This run's settings and cache folder (removed by stop()). */
  dataDir: string
  stop(): Promise<void>
}

/** Starts the real browser-mode entry (`electron/host/web.ts`) on a free port and reads the URL it prints. */
export async function startWeb(env: Record<string, string> = {}, args: string[] = [], as?: { uid: number; gid: number }): Promise<WebApp> {
  // Settings and caches of this run only: never the developer's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-e2e-data-'))
  // Run as another user (a socket that refuses them): the data folder, and HOME, are theirs.
  if (as) chownSync(dataDir, as.uid, as.gid)
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/host/web.ts'), '--port', '0', ...args], {
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

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}
