// Image names go into engine API paths (`/images/NAME/json`). `slipway layers ''` or
// `layers ../containers/json` made the engine answer 301, docker-modem followed the redirect to a
// TCP host named after a path segment, and the failed follow-up was an unhandled 'error' event that
// ended the process — the CLI, and browser mode when the name came over the WebSocket. Each bad name
// must now end in a clear error, through the service, the CLI and the socket, with the process alive.
// Quick: nothing is built or pulled.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RpcResponse } from '../../shared/rpc'
import { EventHub } from '../../electron/host/events'
import { createHandlers } from '../../electron/host/handlers'
import { startWsHost, type WsHost } from '../../electron/host/ws-host'
import { createServices, type Services } from '../../electron/services'
import { Engine } from '../../electron/services/engine/engine'
import { Layers } from '../../electron/services/layers/layers'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const BAD = ['', '../containers/json', 'a b', 'x\ny', '%2e%2e/containers/json', 'a/../../containers/json', 'x?all=1', 'sha256:../../x']
/** A valid name of an image that is not there: it must still reach the engine and get its answer. */
const ABSENT = `slipway-it/absent:${process.pid}`

const work = mkdtempSync(join(tmpdir(), 'slipway-it-names-'))
const hub = new EventHub()
let engine: Engine
let layers: Layers

beforeAll(async () => {
  engine = Engine.fromEnvironment(() => undefined)
  expect((await engine.start()).status).toBe('connected')
  layers = new Layers({ docker: () => engine.client(), cacheDir: join(work, 'cache'), emit: hub.emit, prewarm: false })
})
afterAll(() => {
  engine.stop()
  rmSync(work, { recursive: true, force: true })
})

describe('the layers service', () => {
  for (const name of BAD) {
    it(`refuses ${JSON.stringify(name)} before it reaches the engine`, async () => {
      const err = await layers.index(name).catch((e: Error) => e)
      expect(err).toMatchObject({ name: 'BadRequest' })
      expect((err as Error).message).toMatch(/^Not an image name or id: /)
    })
  }

  it('ends a job for a bad name in layers.failed, not in a crash', async () => {
    const failed = new Promise<unknown>((resolve) => {
      const off = hub.subscribe((e) => {
        if (e.event === 'layers.failed') {
          off()
          resolve(e.payload)
        }
      })
    })
    const { jobId } = layers.start('../containers/json')
    expect(await failed).toMatchObject({ jobId, error: { name: 'BadRequest' }, cancelled: false })
  })

  it('still asks the engine about valid names', async () => {
    await expect(layers.index(ABSENT)).rejects.toMatchObject({ name: 'ImageNotFound' })
  })

  it('a redirecting request that bypasses the checks fails instead of ending the process', async () => {
    // Straight through dockerode, as any future caller might; the engine answers 301 to unclean
    // paths. In a child process, because an unhandled 'error' event is exactly what must not happen.
    const script = `
      import { Engine } from ${JSON.stringify(join(ROOT, 'electron/services/engine/engine.ts'))}
      const engine = Engine.fromEnvironment(() => undefined)
      await engine.start()
      const docker = engine.client()
      for (const name of ['', '../containers/json', '%2e%2e/containers/json']) {
        for (const call of [() => docker.getImage(name).inspect(), () => docker.getImage(name).get()]) {
          await call().then(() => console.log('answered'), () => console.log('failed'))
        }
      }
      await new Promise((r) => setTimeout(r, 300))
      console.log((await docker.version()).ApiVersion ? 'alive' : 'no version')
      engine.stop()`
    // The child must also exit by itself: a redirect's response left unread would keep it running.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 })
    expect(stdout.trim().split('\n')).toEqual([...Array(6).fill('failed'), 'alive'])
  })
})

describe.concurrent('slipway layers', () => {
  for (const name of BAD) {
    it(`exits 1 with a message for ${JSON.stringify(name)}`, async () => {
      const err = await run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'layers', name], { cwd: ROOT, env: { ...process.env, SLIPWAY_DATA_DIR: work } }).then(
        () => null,
        (e: { code: number; stderr: string; signal: string | null }) => e,
      )
      expect(err).toMatchObject({ code: 1, signal: null })
      expect(err?.stderr).toMatch(/^Not an image name or id: "/)
      expect(err?.stderr).not.toMatch(/Unhandled|node:events|at .*\.js:\d+/)
    })
  }
})

describe('browser mode', () => {
  let services: Services
  let host: WsHost
  beforeAll(async () => {
    services = createServices({ emit: hub.emit, dataDir: join(work, 'data'), engine })
    host = await startWsHost({ handlers: createHandlers(services, { name: 'Slipway', version: 'test', platform: process.platform, transport: 'websocket', defaultProject: null }), hub, port: 0 })
  })
  afterAll(async () => {
    await host.close()
  })

  it('answers each bad name with BadRequest and keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(host.token)}`, { headers: { origin: `http://127.0.0.1:${host.port}` } })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const pending = new Map<number, (r: RpcResponse) => void>()
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d)) as RpcResponse | { event: string }
      if ('id' in msg) pending.get(msg.id)?.(msg)
    })
    let id = 0
    const ask = (method: string, args: unknown[]) =>
      new Promise<RpcResponse>((resolve) => {
        pending.set(++id, resolve)
        ws.send(JSON.stringify({ id, method, args }))
      })
    for (const name of BAD) {
      const r = await ask('layers.index', [name])
      expect(r.error, JSON.stringify(name)).toMatchObject({ name: 'BadRequest' })
      expect(r.error?.detail ?? '').toMatch(/the image name /)
    }
    // A job that would have crashed the host ran after its answer: give it time, then ask again.
    await new Promise((r) => setTimeout(r, 500))
    expect((await ask('engine.state', [])).result).toMatchObject({ status: 'connected' })
    ws.close()
  })
})
