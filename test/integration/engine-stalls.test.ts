// A frozen engine: the test-owned second dockerd is stopped with SIGSTOP (its socket still accepts
// connections; nothing answers), as a hung Docker looks from outside. Every engine stream and the
// request that starts it must then fail with EngineStalled after the idle limit (2 s here, 60 s by
// default) instead of waiting forever; once the daemon runs again (SIGCONT) the next job works. The
// shared engine is never touched. See electron/services/engine/idle-timeout.ts.
//
// The daemon is Docker 20.10 with its legacy exporter: a save first writes the export into a
// `docker-export-*` folder under the daemon's tmp, then streams it. That folder appearing is how the
// tests catch a save that has started but not yet sent a byte; the layer indexer's progress tells
// when bytes flow.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../electron/services'
import { engineBuild } from '../../electron/services/build/engine-build'
import { pullImage } from '../../electron/services/build/images'
import { SecondDaemon } from '../engine/second-daemon'
import { copyImage, importRandomImage } from '../support/engine-images'
import { payloads, Recorder } from '../support/recorder'

const ROOT = join(import.meta.dirname, '..', '..')
const IDLE = 2000
const SMALL = 'slipway-test/alpine:3.20'
/** 48 MiB of random bytes: its save takes long enough to freeze the daemon in the middle of it. */
const BIG = 'slipway-test/stall-big:1'
const BIG_MB = 48

describe('a frozen engine (SIGSTOP)', () => {
  const daemon = new SecondDaemon()
  const rec = new Recorder()
  const data = mkdtempSync(join(tmpdir(), 'slipway-stall-'))
  const context = mkdtempSync(join(tmpdir(), 'slipway-stall-ctx-'))
  let services: Services
  let docker: Dockerode

  /** The daemon's export folders now (the legacy exporter's `docker-export-*` under its tmp). */
  const exports = () => new Set(readdirSync(join(daemon.dir, 'data', 'tmp')).filter((n) => n.startsWith('docker-export-')))
  /** Resolves when an export folder that was not there `before` appears: a save has started. */
  const exportStarted = async (before: Set<string>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs
    while (![...exports()].some((n) => !before.has(n))) {
      if (Date.now() > deadline) throw new Error(`no save started on the test daemon within ${timeoutMs} ms`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  /** Lets the daemon run again and reconnects the app's engine (its heartbeat may have given up on it). */
  const thaw = async () => {
    await daemon.resume()
    expect((await services.engine.reconnect()).status).toBe('connected')
    docker = services.engine.client()
  }

  beforeAll(async () => {
    await daemon.start()
    await Promise.all([copyImage(SMALL, daemon.host), importRandomImage(BIG, daemon.host, BIG_MB)])
    services = createServices({ emit: rec.emit, dataDir: data, appVersion: '0.0.0-test', env: { DOCKER_HOST: daemon.host }, engineIdleMs: IDLE })
    expect((await services.engine.start()).status).toBe('connected')
    docker = services.engine.client()
  }, 120_000)
  afterAll(async () => {
    services?.engine.stop()
    await daemon.dispose() // resumes a paused daemon first
    rmSync(data, { recursive: true, force: true })
    rmSync(context, { recursive: true, force: true })
  })

  it('pause() stops the dockerd process itself and resume() lets it answer again', async () => {
    const pid = daemon.dockerdPid()
    expect(readdirSync('/proc').includes(String(pid))).toBe(true)
    await daemon.pause()
    const answered = await fetchPing(daemon.socket, 500)
    await thaw()
    expect(answered).toBe(false)
    expect(await fetchPing(daemon.socket, 2000)).toBe(true)
  })

  it('indexing fails with EngineStalled when the daemon freezes in the middle of the save, and works again after SIGCONT', async () => {
    let bytesAtPause = 0
    let pausedAt = 0
    let pausing: Promise<void> | undefined
    const err = await services.layers
      .index(BIG, {
        refresh: true,
        onProgress: (p) => {
          if (pausing || p.phase !== 'reading' || p.bytesRead === 0) return
          bytesAtPause = p.bytesRead
          pausing = daemon.pause().then(() => void (pausedAt = performance.now()))
        },
      })
      .catch((e: unknown) => e)
    const failedAt = performance.now()
    await pausing
    expect(bytesAtPause).toBeGreaterThan(0)
    expect(bytesAtPause).toBeLessThan(BIG_MB << 20) // it froze mid-stream, not after the end
    expect(err).toMatchObject({ name: 'EngineStalled', message: `Docker stopped sending data for 2 s while saving ${BIG}.` })
    expect((err as { detail: string }).detail).toMatch(/frozen or overloaded: check `docker info`/)
    // 2 s after the last byte (the bytes already on their way still arrive after the freeze).
    expect(failedAt - pausedAt).toBeLessThan(IDLE + 4000)

    await thaw()
    const index = await services.layers.index(BIG, { refresh: true })
    expect(index.layers).toHaveLength(1)
    expect(index.summary.sizeBytes).toBeGreaterThanOrEqual(BIG_MB << 20)
  }, 60_000)

  it('a layers job (the UI path) fails when the daemon froze before the first byte of the save, and the next job works', async () => {
    const before = exports()
    const { jobId } = services.layers.start(BIG, { refresh: true })
    await exportStarted(before)
    await daemon.pause()
    const pausedAt = performance.now()
    await rec.waitFor('layers.failed', (p) => p.jobId === jobId, 20_000)
    const waited = performance.now() - pausedAt
    const ev = payloads(rec, 'layers.failed').find((p) => p.jobId === jobId)
    expect(ev?.cancelled).toBe(false)
    // Before the first byte silence is normal (the export is being written), so the engine was asked too.
    expect(ev?.error).toMatchObject({ name: 'EngineStalled', message: `Docker stopped sending data for 2 s while saving ${BIG}, and does not answer a ping.` })
    expect(waited).toBeLessThan(2 * IDLE + 4000)

    await thaw()
    const next = services.layers.start(SMALL, { refresh: true })
    await rec.waitFor('layers.done', (p) => p.jobId === next.jobId, 30_000)
  }, 60_000)

  it('inspect, pull and build requests give up on a daemon that accepts them and never answers', async () => {
    await daemon.pause()
    const t0 = performance.now()
    const [inspect, pull, build] = await Promise.all([
      services.layers.index(SMALL, { refresh: true }).catch((e: unknown) => e),
      pullImage(docker, 'registry.invalid/app:1', 'base image', undefined, undefined, IDLE).catch((e: unknown) => e),
      engineBuild(docker, { contextDir: context, dockerfile: `FROM ${SMALL}\nRUN true\n`, dockerignore: '', tags: ['slipway-test/stall-headers:1'], buildkit: false, idleMs: IDLE }).catch((e: unknown) => e),
    ])
    const ms = performance.now() - t0
    await thaw()
    expect(inspect).toMatchObject({ name: 'EngineStalled', message: `Docker stopped sending data for 2 s while reading the details of ${SMALL}.` })
    expect(pull).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 2 s while pulling the base image registry.invalid/app:1.' })
    expect((pull as { detail: string }).detail).toMatch(/or the registry stopped sending/)
    // A build may be silent (the context upload, a quiet step): only a daemon that does not answer a ping ends it.
    expect(build).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 2 s while building slipway-test/stall-headers:1, and does not answer a ping.' })
    expect(ms).toBeLessThan(2 * IDLE + 4000)
  }, 60_000)

  it('a build step that prints nothing for longer than the limit is fine while the engine answers; a frozen one ends the build', async () => {
    const quiet = 1000
    let quietStepMs = 0
    let pausing: Promise<void> | undefined
    let pausedAt = 0
    const err = await engineBuild(docker, {
      contextDir: context,
      // The first step is silent for three limits in a row on a live engine; the daemon freezes in the second.
      dockerfile: `FROM ${SMALL}\nRUN sleep 3.5\nRUN sleep 60\n`,
      dockerignore: '',
      tags: ['slipway-test/stall-build:1'],
      buildkit: false,
      idleMs: quiet,
      onStep: (s) => {
        if (/sleep 3\.5/.test(s.name) && s.startedAt !== null && s.completedAt !== null) quietStepMs = s.completedAt - s.startedAt
        if (!pausing && s.status === 'running' && /sleep 60/.test(s.name)) pausing = daemon.pause().then(() => void (pausedAt = performance.now()))
      },
    }).catch((e: unknown) => e)
    const failedAt = performance.now()
    await pausing
    await thaw()
    expect(quietStepMs).toBeGreaterThan(3 * quiet)
    expect(err).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 1 s while building slipway-test/stall-build:1, and does not answer a ping.' })
    expect(failedAt - pausedAt).toBeLessThan(2 * quiet + 4000)
  }, 60_000)

  it('`slipway layers` exits 1 with the message instead of hanging (SLIPWAY_ENGINE_IDLE_TIMEOUT_MS)', async () => {
    const cliData = mkdtempSync(join(tmpdir(), 'slipway-stall-cli-'))
    const before = exports()
    const cli = spawn(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'layers', BIG], {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST: daemon.host, SLIPWAY_DATA_DIR: cliData, SLIPWAY_ENGINE_IDLE_TIMEOUT_MS: String(IDLE) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>((r) => cli.on('exit', (code) => r(code)))
    try {
      await exportStarted(before)
      await daemon.pause()
      const pausedAt = performance.now()
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))])
      const waited = performance.now() - pausedAt
      expect(code).toBe(1)
      expect(stdout).toBe('')
      expect(stderr).toMatch(new RegExp(`^Docker stopped sending data for 2 s while saving ${BIG.replace(/[/.]/g, '\\$&')}`, 'm'))
      expect(stderr).toMatch(/check `docker info`/)
      expect(waited).toBeLessThan(2 * IDLE + 5000)
    } finally {
      if (cli.exitCode === null && cli.pid !== undefined) process.kill(cli.pid, 'SIGKILL')
      await thaw()
      rmSync(cliData, { recursive: true, force: true })
    }
  }, 60_000)
})

/** Whether the daemon's `/_ping` answers within `ms`. */
function fetchPing(socket: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket, () => s.write('GET /_ping HTTP/1.0\r\n\r\n'))
    const done = (ok: boolean) => {
      clearTimeout(timer)
      s.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), ms)
    s.on('data', (d) => done(d.toString().includes('200 OK')))
    s.on('error', () => done(false))
  })
}
