import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Handlers } from '../../../shared/contract'
import { CLOSE_TRY_AGAIN, type RpcResponse } from '../../../shared/rpc'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { EventHub } from '../../../electron/host/events'
import { handlersWith } from './stub-handlers'
import { startWsHost, type WsHost } from '../../../electron/host/ws-host'

const handlers: Handlers = handlersWith({
  'app.info': () => ({ name: 'Slipway', version: '9.9.9', platform: 'linux', transport: 'websocket', defaultProject: null }),
  'engine.state': () => ({ status: 'connecting', endpoint: { host: 'unix:///x', source: 'default', tls: false } }),
  'engine.reconnect': () => ({ status: 'connecting', endpoint: { host: 'unix:///x', source: 'default', tls: false } }),
})

let host: WsHost
let dir: string
const hub = new EventHub()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-ws-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
  host = await startWsHost({ handlers, hub, staticDir: dir, port: 0 })
})
afterAll(async () => {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

const rpcUrl = (token = host.token) => `ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(token)}`

/** Opens a socket and resolves with it, or rejects with the HTTP status the host refused it with. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c))
      res.on('end', () => reject(Object.assign(new Error(body), { status: res.statusCode })))
    })
    ws.once('error', reject)
  })
}

function ask(ws: WebSocket, msg: unknown): Promise<RpcResponse> {
  return new Promise((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(String(d))))
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg))
  })
}

describe('browser-mode host', () => {
  it('listens on loopback only and prints a URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer with a strict CSP', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/index.html`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe/)
  })

  it('refuses a Host header that is not this host (DNS rebinding)', async () => {
    // fetch() may not override Host, so ask with node:http as a rebinding page's browser would arrive.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request({ host: '127.0.0.1', port: host.port, path: '/index.html', headers: { host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
        .on('error', reject)
        .end(),
    )
    expect(status).toBe(421)
  })

  it('answers calls over the socket with the token', async () => {
    const ws = await open(rpcUrl(), { origin: `http://127.0.0.1:${host.port}` })
    expect(await ask(ws, { id: 1, method: 'app.info', args: [] })).toMatchObject({ id: 1, result: { version: '9.9.9' } })
    ws.close()
  })

  it('refuses a connection without the token, or with a wrong one', async () => {
    await expect(open(`ws://127.0.0.1:${host.port}/rpc`)).rejects.toMatchObject({ status: 401, message: 'Missing or wrong token.' })
    await expect(open(rpcUrl('x'.repeat(host.token.length)))).rejects.toMatchObject({ status: 401 })
  })

  it('refuses a connection from another Origin even with the token', async () => {
    await expect(open(rpcUrl(), { origin: 'http://evil.example' })).rejects.toMatchObject({
      status: 403,
      message: 'Origin http://evil.example is not allowed.',
    })
  })

  it('refuses bad messages clearly and keeps serving', async () => {
    const ws = await open(rpcUrl())
    expect((await ask(ws, 'not json')).error).toEqual({ name: 'BadRequest', message: 'Malformed request: not JSON.' })
    expect((await ask(ws, { id: 2, method: 'nope', args: [] })).error?.message).toBe('Unknown method "nope".')
    expect((await ask(ws, { id: 3, method: 'app.info', args: [42] })).error?.name).toBe('BadRequest')
    const big = await ask(ws, { id: 4, method: 'app.info', args: ['x'.repeat(2 * 1024 * 1024)] })
    expect(big.error?.message).toMatch(/^Request too large/)
    expect(await ask(ws, { id: 5, method: 'app.info', args: [] })).toMatchObject({ id: 5, result: { name: 'Slipway' } })
    ws.close()
  })

  it('closes a socket that sends a frame over the hard limit, and serves the next one', async () => {
    const ws = await open(rpcUrl())
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send('x'.repeat(5 * 1024 * 1024))
    expect(await closed).toBe(1009)
    const again = await open(rpcUrl())
    expect((await ask(again, { id: 6, method: 'app.info', args: [] })).result).toBeDefined()
    again.close()
  })

  it('pushes service events to connected clients', async () => {
    const ws = await open(rpcUrl())
    const got = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))))
    hub.emit('engine.event', { type: 'image', action: 'tag', id: 'sha256:1', time: 1 })
    expect(await got).toEqual({ event: 'engine.event', payload: { type: 'image', action: 'tag', id: 'sha256:1', time: 1 } })
    ws.close()
  })
})

describe('browser-mode host limits', () => {
  /** A host whose project.analyze waits until the test lets it go. */
  async function limitedHost(opts: { maxConnections?: number; perConnection?: number; overall?: number }) {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const started: string[] = []
    const h = handlersWith({
      'app.info': () => ({ name: 'Slipway', version: '9.9.9', platform: 'linux', transport: 'websocket', defaultProject: null }),
      'project.analyze': async (dir) => {
        started.push(dir)
        await gate
        return { root: dir } as unknown as ProjectAnalysis
      },
    })
    const limited = await startWsHost({
      handlers: h,
      hub: new EventHub(),
      port: 0,
      maxConnections: opts.maxConnections ?? 8,
      limits: { perConnection: opts.perConnection ?? 4, overall: opts.overall ?? 8 },
    })
    const url = `ws://127.0.0.1:${limited.port}/rpc?token=${encodeURIComponent(limited.token)}`
    return { host: limited, url, release, started }
  }

  /** Collects every answer on a socket by id. */
  function answers(ws: WebSocket) {
    const got = new Map<number, RpcResponse>()
    const waiters = new Map<number, (r: RpcResponse) => void>()
    ws.on('message', (d) => {
      const r = JSON.parse(String(d)) as RpcResponse
      got.set(r.id, r)
      waiters.get(r.id)?.(r)
    })
    return (id: number) => (got.has(id) ? Promise.resolve(got.get(id) as RpcResponse) : new Promise<RpcResponse>((resolve) => waiters.set(id, resolve)))
  }

  it('turns away one page too many with a close code and a reason a page can show, and takes the next one when a page leaves', async () => {
    const { host: limited, url } = await limitedHost({ maxConnections: 2 })
    try {
      const a = await open(url)
      const b = await open(url)
      const c = await open(url)
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => c.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
      expect(closed).toEqual({ code: CLOSE_TRY_AGAIN, reason: 'Too many Slipway pages are connected (2). Close one, then reload this one.' })
      const aClosed = new Promise((r) => a.once('close', r))
      a.close()
      await aClosed
      // The host counts the close a moment after the client sees it.
      await new Promise((r) => setTimeout(r, 50))
      const d = await open(url)
      expect((await ask(d, { id: 1, method: 'app.info', args: [] })).result).toBeDefined()
      b.close()
      d.close()
    } finally {
      await limited.close()
    }
  })

  it('answers expensive calls over the limit with Busy at once, per page and overall, and keeps serving cheap ones', async () => {
    const { host: limited, url, release, started } = await limitedHost({ perConnection: 2, overall: 3 })
    try {
      const one = await open(url)
      const two = await open(url)
      const a1 = answers(one)
      const a2 = answers(two)
      for (const id of [1, 2, 3]) one.send(JSON.stringify({ id, method: 'project.analyze', args: [`/p${id}`] }))
      const third = await a1(3)
      expect(third.error).toMatchObject({ name: 'Busy', message: 'This page already has 2 long requests running, so "project.analyze" was not started.' })
      expect(third.error?.detail).toMatch(/Wait for one to finish/)

      two.send(JSON.stringify({ id: 1, method: 'project.analyze', args: ['/q1'] }))
      two.send(JSON.stringify({ id: 2, method: 'project.analyze', args: ['/q2'] }))
      const overall = await a2(2)
      expect(overall.error).toMatchObject({ name: 'Busy', message: 'Slipway is busy: 3 long requests are running, so "project.analyze" was not started.' })
      expect(overall.error?.detail).toMatch(/close other Slipway tabs/)
      // Cheap calls are not limited.
      two.send(JSON.stringify({ id: 3, method: 'app.info', args: [] }))
      expect((await a2(3)).result).toMatchObject({ name: 'Slipway' })
      expect(started).toEqual(['/p1', '/p2', '/q1'])

      release()
      expect((await a1(1)).result).toEqual({ root: '/p1' })
      expect((await a2(1)).result).toEqual({ root: '/q1' })
      await a1(2)
      // Slots come back when the calls end.
      one.send(JSON.stringify({ id: 4, method: 'project.analyze', args: ['/p4'] }))
      expect((await a1(4)).result).toEqual({ root: '/p4' })
      one.close()
      two.close()
    } finally {
      await limited.close()
    }
  })
})
