import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Handlers } from '../../../shared/contract'
import type { RpcResponse } from '../../../shared/rpc'
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
