// The real browser-mode host with the real handler table and services (a temp data folder, the
// real engine) fed the worst a page could send. No crash guard is installed here on purpose: a
// stray error must fail this file (vitest reports it), not be swallowed. After each barrage the
// host must still answer app.info.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { EventName, Events } from '../../../shared/contract'
import type { RpcResponse } from '../../../shared/rpc'
import { appInfo, findAppRoot } from '../../../electron/host/app-info'
import { EventHub } from '../../../electron/host/events'
import { createHandlers } from '../../../electron/host/handlers'
import { startWsHost, type WsHost } from '../../../electron/host/ws-host'
import { createServices, type Services } from '../../../electron/services'
import { Recorder } from '../../support/recorder'

let host: WsHost
let services: Services
let dataDir: string
let scratch: string
const rec = new Recorder()

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-hostile-data-'))
  scratch = mkdtempSync(join(tmpdir(), 'slipway-hostile-'))
  const hub = new EventHub()
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    hub.emit(event, payload)
    rec.emit(event, payload)
  }
  services = createServices({ emit, dataDir, appVersion: '0.0.0-test', env: { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' } })
  await services.engine.start()
  const handlers = createHandlers(services, appInfo(findAppRoot(import.meta.dirname), 'websocket'))
  host = await startWsHost({ handlers, hub, port: 0 })
}, 60_000)

afterAll(async () => {
  await host?.close()
  services?.engine.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(scratch, { recursive: true, force: true })
})

const url = () => `ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(host.token)}`

const opened: WebSocket[] = []
afterEach(() => {
  // A failed test must not leave its pages counted against the next one.
  for (const ws of opened.splice(0)) ws.terminate()
})

/** A page: opens a socket and matches answers to requests by id. */
async function page() {
  const ws = new WebSocket(url())
  opened.push(ws)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const answers = new Map<number, (r: RpcResponse) => void>()
  const unmatched: RpcResponse[] = []
  ws.on('message', (d) => {
    const msg = JSON.parse(String(d)) as RpcResponse | { event: string }
    if ('event' in msg) return
    const wait = answers.get(msg.id)
    if (wait) {
      answers.delete(msg.id)
      wait(msg)
    } else unmatched.push(msg)
  })
  let nextId = 1
  return {
    ws,
    unmatched,
    /** Sends one request and resolves with its answer. */
    call(method: unknown, args: unknown, id = nextId++): Promise<RpcResponse> {
      const answer = new Promise<RpcResponse>((resolve) => answers.set(id, resolve))
      ws.send(JSON.stringify({ id, method, args }))
      return answer
    },
    /** Sends raw text or bytes; answers without a usable id arrive in `unmatched`. */
    raw(data: string | Buffer) {
      ws.send(data)
    },
    close: () => ws.close(),
  }
}

/** The host is alive and serving: app.info on a fresh connection. */
async function stillServing() {
  const p = await page()
  const r = await p.call('app.info', [])
  p.close()
  expect(r.result).toMatchObject({ name: 'Slipway', transport: 'websocket' })
}

describe('the browser-mode host under hostile input', () => {
  it('answers wrong types, unknown methods and prototype names with BadRequest', async () => {
    const p = await page()
    const bad: [unknown, unknown][] = [
      ['project.analyze', [42]],
      ['project.analyze', [{ toString: 'x' }]],
      ['project.analyze', ['/tmp', { main: 7 }]],
      ['project.analyze', ['/tmp', { main: '.', extra: true }]],
      ['layers.index', [{}]],
      ['layers.get', ['../../etc/passwd']],
      ['build.start', ['x']],
      ['build.cancel', ['not-a-uuid']],
      ['settings.update', [{ builderImage: ['a'] }]],
      ['project.writeFile', [scratch, '../evil', 'x', null]],
      ['nope.nothing', []],
      ['__proto__', []],
      ['constructor', []],
      ['toString', []],
      [42, []],
      ['app.info', 'not an array'],
    ]
    for (const [method, args] of bad) {
      const r = await p.call(method, args)
      expect(r.error?.name, JSON.stringify([method, args])).toBe('BadRequest')
    }
    p.close()
    await stillServing()
  })

  it('answers junk frames and oversized requests, and closes a socket that sends an oversized frame', async () => {
    const p = await page()
    for (const junk of ['', 'not json', '{', 'null', '[]', '"text"', '{"id":"1","method":"app.info","args":[]}', '{"id":-5,"method":"app.info","args":[]}'])
      p.raw(junk)
    p.raw(Buffer.from([0xff, 0x00, 0xfe]))
    // Deep nesting in one frame: parsed without blowing the stack.
    p.raw(`{"id":90001,"method":"app.info","args":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}`)
    const big = await p.call('project.analyze', ['x'.repeat(2 * 1024 * 1024)])
    expect(big.error?.message).toMatch(/^Request too large/)
    const long = await p.call('project.analyze', ['/' + 'a'.repeat(100_000)])
    expect(long.error?.name).toBe('BadRequest')
    await expect.poll(() => p.unmatched.length).toBeGreaterThanOrEqual(9)
    expect(p.unmatched.every((r) => r.error?.name === 'BadRequest' || r.error === undefined)).toBe(true)

    const closed = new Promise<number>((resolve) => p.ws.once('close', (code) => resolve(code)))
    p.raw('x'.repeat(5 * 1024 * 1024))
    expect(await closed).toBe(1009)
    await stillServing()
  })

  it('refuses to analyse / and says why', async () => {
    const p = await page()
    const r = await p.call('project.analyze', ['/'])
    expect(r.error).toMatchObject({ name: 'FolderTooBroad', message: '/ is the whole file system, not a project folder.' })
    p.close()
    await stillServing()
  })

  it('does not write into a folder that was never analysed', async () => {
    const p = await page()
    const r = await p.call('project.writeFile', [scratch, 'Dockerfile', 'FROM scratch\n', null])
    expect(r.error).toBeDefined()
    expect(readdirSync(scratch)).toEqual([])
    p.close()
    await stillServing()
  })

  it('survives image names made to escape the Engine API path: each indexing fails as a job, the host lives', async () => {
    const p = await page()
    for (const image of ['', 'a b']) expect((await p.call('layers.index', [image])).error?.name).toBe('BadRequest')
    const jobs: string[] = []
    for (const image of ['../containers/json', '%2e%2e', '..', 'no-such-image-' + 'z'.repeat(40), 'sha256:' + '0'.repeat(64)]) {
      const r = await p.call('layers.index', [image])
      if (r.error) expect(r.error.name, image).toBe('BadRequest')
      else jobs.push((r.result as { jobId: string }).jobId)
    }
    // Each job that started ends in exactly one failure event, not a dead process.
    const failures = (jobId: string) => rec.seen.filter((e) => e.event === 'layers.failed' && (e.payload as { jobId: string }).jobId === jobId).length
    for (const jobId of jobs) await expect.poll(() => failures(jobId), { timeout: 30_000 }).toBe(1)
    expect(rec.seen.some((e) => e.event === 'layers.done' && jobs.includes((e.payload as { jobId: string }).jobId))).toBe(false)
    p.close()
    await stillServing()
  }, 60_000)

  it('takes 100 parallel analyses from one page: a few run, the rest are told Busy, every one is answered', async () => {
    const p = await page()
    const dir = join(findAppRoot(import.meta.dirname), 'examples', 'hello-api')
    const all = await Promise.all(Array.from({ length: 100 }, () => p.call('project.analyze', [dir])))
    const ok = all.filter((r) => r.result !== undefined)
    const busy = all.filter((r) => r.error?.name === 'Busy')
    expect(ok.length + busy.length).toBe(100)
    expect(ok.length).toBeGreaterThanOrEqual(1)
    expect(busy.length).toBeGreaterThan(50)
    expect(busy[0]?.error?.detail).toMatch(/Wait for one to finish/)
    p.close()
    await stillServing()
  }, 60_000)

  it('takes 100 parallel analyses spread over the most pages it allows, and turns the page after those away', async () => {
    const pages = await Promise.all(Array.from({ length: 8 }, () => page()))
    const refused = new WebSocket(url())
    const code = await new Promise<number>((resolve) => refused.once('close', (c) => resolve(c)))
    expect(code).toBe(1013)
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => (pages[i % 8] as Awaited<ReturnType<typeof page>>).call('project.analyze', ['/'])))
    expect(all.every((r) => r.error?.name === 'FolderTooBroad' || r.error?.name === 'Busy')).toBe(true)
    for (const p of pages) p.close()
    await new Promise((r) => setTimeout(r, 100))
    await stillServing()
  }, 60_000)
})
