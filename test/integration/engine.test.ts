import { execFile } from 'node:child_process'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EngineState } from '../../shared/types/engine'
import { resolveEndpoint } from '../../electron/services/engine/endpoint'
import { Engine } from '../../electron/services/engine/engine'
import { SecondDaemon } from '../engine/second-daemon'
import { Recorder } from '../support/recorder'

const run = promisify(execFile)

const engineFor = (rec: Recorder, env: Record<string, string | undefined>) =>
  new Engine({ emit: rec.emit, resolve: () => resolveEndpoint({ env, homeDir: '/nonexistent', platform: 'linux' }), heartbeatMs: 1000 })

describe('engine service against the shared daemon', () => {
  const rec = new Recorder()
  const engine = engineFor(rec, { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' })
  const tag = `slipway-it/engine-events:${process.pid}-${Date.now()}`
  beforeAll(() => engine.start())
  afterAll(async () => {
    engine.stop()
    await run('docker', ['image', 'rm', '-f', tag]).catch(() => undefined)
  })

  it('reports the same version, API and driver as the docker CLI', async () => {
    const state = engine.state()
    expect(state.status).toBe('connected')
    if (state.status !== 'connected') return
    const { stdout } = await run('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}/{{.Server.Arch}}'])
    const { info } = state
    expect(`${info.version} ${info.apiVersion} ${info.os}/${info.arch}`).toBe(stdout.trim())
    const { stdout: driver } = await run('docker', ['info', '--format', '{{.Driver}} {{.NCPU}}'])
    expect(`${info.storageDriver} ${info.cpus}`).toBe(driver.trim())
    expect(info.buildkit).toBe(true)
    expect(info.endpoint).toMatchObject({ source: 'DOCKER_HOST', tls: false })
  })

  it('streams engine events and refreshes the image count', async () => {
    const before = engine.state()
    if (before.status !== 'connected') throw new Error('not connected')
    const imported = rec.waitFor('engine.event', (e) => e.type === 'image' && e.action === 'import', 10_000)
    const counted = rec.waitFor('engine.state', (s) => s.status === 'connected' && s.info.images === before.info.images + 1, 10_000)
    // An image made from an empty tar: the smallest thing that fires a real image event.
    const tar = Readable.from([Buffer.alloc(1024)])
    const [repo, version] = tag.split(':') as [string, string]
    const docker = engine.client()
    const stream = await docker.importImage(tar as unknown as NodeJS.ReadableStream, { repo, tag: version })
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(undefined))))
    await imported
    await counted
  })
})

describe('engine service when its daemon stops and comes back', () => {
  const daemon = new SecondDaemon()
  const rec = new Recorder()
  const engine = engineFor(rec, { DOCKER_HOST: daemon.host })
  beforeAll(() => daemon.start(), 60_000)
  afterAll(async () => {
    engine.stop()
    await daemon.dispose()
  })
  afterEach(() => (rec.seen.length = 0))

  it('connects to the test-owned daemon', async () => {
    const state = await engine.start()
    expect(state).toMatchObject({ status: 'connected', info: { endpoint: { host: daemon.host }, images: 0, containers: 0 } })
  })

  it('says Docker is not running within two seconds of it stopping', async () => {
    const down = rec.waitFor('engine.state', (s) => s.status === 'unavailable', 15_000)
    const stopped = daemon.stop()
    const ms = await down
    await stopped
    const state = engine.state() as Extract<EngineState, { status: 'unavailable' }>
    expect(state.problem).toBe('not-running')
    expect(state.error).toMatchObject({ name: 'EngineUnavailable', message: 'Docker is not running.' })
    expect(state.error.detail).toContain(daemon.host)
    expect(ms).toBeLessThan(2000)
    expect(() => engine.client()).toThrow('Docker is not running.')
  })

  it('reconnects by itself when the daemon comes back', async () => {
    const up = rec.waitFor('engine.state', (s) => s.status === 'connected', 30_000)
    await daemon.start()
    const ms = await up
    expect(ms).toBeLessThan(30_000)
    expect(engine.client()).toBeDefined()
    const statuses = rec.seen.filter((e) => e.event === 'engine.state').map((e) => (e.payload as EngineState).status)
    expect(statuses.at(-1)).toBe('connected')
  })
})

describe('engine service with a host that is not there', () => {
  it('reports an unreachable remote host with advice, and keeps retrying', async () => {
    const rec = new Recorder()
    const engine = engineFor(rec, { DOCKER_HOST: 'tcp://127.0.0.1:9' })
    const state = await engine.start()
    expect(state).toMatchObject({ status: 'unavailable', problem: 'unreachable' })
    await rec.waitFor('engine.state', (s) => s.status === 'unavailable' && s.nextRetryAt > Date.now() - 5000, 5000)
    engine.stop()
  })

  it('reports a missing local socket as not running', async () => {
    const rec = new Recorder()
    const engine = engineFor(rec, { DOCKER_HOST: 'unix:///tmp/slipway-no-such.sock' })
    expect(await engine.start()).toMatchObject({ status: 'unavailable', problem: 'not-running' })
    engine.stop()
  })
})
