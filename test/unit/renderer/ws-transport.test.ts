// The browser-mode transport against a real `ws` server in Node: the page's code, a real socket,
// a host that goes away and comes back on the same port.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { CLOSE_TRY_AGAIN, type RpcEvent, type RpcResponse } from '../../../shared/rpc'
import { rpcUrlFromLocation, takeToken, TOKEN_KEY, wsTransport, type TokenPlace, type WebSocketCtor, type WsTransport } from '../../../renderer/src/api/ws-transport'

// ws's WebSocket speaks the browser API the transport uses (onopen, onmessage, onclose, send).
const NodeSocket = WebSocket as unknown as WebSocketCtor

interface FakeHost {
  port: number
  /** Every request the host received, in order. */
  received: { id: number; method: string }[]
  wss: WebSocketServer
  server: Server
  stop(): Promise<void>
}

/** A tiny RPC host: answers each request with its method name. */
async function startHost(port = 0): Promise<FakeHost> {
  const server = createServer()
  const wss = new WebSocketServer({ server })
  const received: FakeHost['received'] = []
  wss.on('connection', (ws) =>
    ws.on('message', (d) => {
      const req = JSON.parse(String(d)) as { id: number; method: string }
      received.push(req)
      ws.send(JSON.stringify({ id: req.id, result: req.method }))
    }),
  )
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    received,
    wss,
    server,
    stop: async () => {
      for (const c of wss.clients) c.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const transports: WsTransport[] = []
const hosts: FakeHost[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  for (const h of hosts.splice(0)) await h.stop().catch(() => undefined)
})

function connect(port: number): WsTransport {
  const t = wsTransport(`ws://127.0.0.1:${port}/rpc?token=t`, NodeSocket)
  transports.push(t)
  return t
}

/** Resolves at the next transport notice of this kind. */
function next(t: WsTransport, event: 'transport.open' | 'transport.closed'): Promise<void> {
  return new Promise((resolve) => {
    const off = t.onEvent((e) => {
      if (e.event === event) {
        off()
        resolve()
      }
    })
  })
}

describe('wsTransport', () => {
  it('sends requests made before the socket opened, once it opens, and routes each answer to its request', async () => {
    const host = await startHost()
    hosts.push(host)
    const t = connect(host.port)
    const [a, b] = await Promise.all([t.request({ id: 1, method: 'app.info', args: [] }), t.request({ id: 2, method: 'engine.state', args: [] })])
    expect(a).toEqual({ id: 1, result: 'app.info' })
    expect(b).toEqual({ id: 2, result: 'engine.state' })
    expect(t.status()).toBe('open')
  })

  it('never sends a request it already answered as failed: the queue is emptied when the socket closes', async () => {
    const host = await startHost()
    hosts.push(host)
    const port = host.port
    const t = connect(port)
    await next(t, 'transport.open')

    const closed = next(t, 'transport.closed')
    await host.stop()
    hosts.splice(0)
    await closed

    // Made while the host is down: it waits for a socket, then the next failed attempt answers it.
    const write = await t.request({ id: 10, method: 'project.writeFile', args: ['/p', 'Dockerfile', 'x', null] })
    expect(write.error).toMatchObject({ name: 'TransportClosed', message: 'Lost the connection to Slipway.' })

    const back = await startHost(port)
    hosts.push(back)
    await next(t, 'transport.open')
    expect(await t.request({ id: 11, method: 'app.info', args: [] })).toEqual({ id: 11, result: 'app.info' })
    // The host must never have seen the save the page was told had failed.
    expect(back.received.map((r) => r.method)).toEqual(['app.info'])
  })

  it('answers requests in flight with TransportClosed when the host goes away, and announces the outage once', async () => {
    const host = await startHost()
    hosts.push(host)
    // A host that takes a request and never answers it.
    host.wss.removeAllListeners('connection')
    const t = connect(host.port)
    const events: string[] = []
    t.onEvent((e: RpcEvent) => events.push(e.event))
    await next(t, 'transport.open')
    const inFlight = t.request({ id: 20, method: 'project.analyze', args: ['/x'] })
    await new Promise((r) => setTimeout(r, 50))
    await host.stop()
    hosts.splice(0)
    expect((await inFlight).error?.name).toBe('TransportClosed')
    // Let a few reconnect attempts fail: still one "closed" notice.
    await new Promise((r) => setTimeout(r, 900))
    expect(events.filter((e) => e === 'transport.closed')).toHaveLength(1)
  })

  it('says Busy, with the host\'s reason, when the host turns the connection away for now', async () => {
    const server = createServer()
    const wss = new WebSocketServer({ server })
    wss.on('connection', (ws) => ws.close(CLOSE_TRY_AGAIN, 'Too many Slipway pages are connected (8).'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    hosts.push({ port: 0, received: [], wss, server, stop: () => new Promise<void>((r) => (wss.close(), server.close(() => r()))) })
    const t = connect((server.address() as AddressInfo).port)
    const r: RpcResponse = await t.request({ id: 30, method: 'app.info', args: [] })
    expect(r.error).toMatchObject({ name: 'Busy', message: 'Too many Slipway pages are connected (8).' })
    expect(r.error?.detail).toMatch(/Close other Slipway tabs/)
  })

  it('ignores frames that are not JSON and keeps answering', async () => {
    const host = await startHost()
    hosts.push(host)
    host.wss.on('connection', (ws) => {
      ws.send('}{ not json')
      ws.send('null')
    })
    const t = connect(host.port)
    expect(await t.request({ id: 40, method: 'app.info', args: [] })).toEqual({ id: 40, result: 'app.info' })
  })

  it('after close() answers at once and does not reconnect', async () => {
    const host = await startHost()
    hosts.push(host)
    const t = connect(host.port)
    await next(t, 'transport.open')
    t.close()
    expect((await t.request({ id: 50, method: 'app.info', args: [] })).error?.name).toBe('TransportClosed')
    await new Promise((r) => setTimeout(r, 400))
    expect(host.wss.clients.size).toBe(0)
  })
})

/** A page in a tab: its address, its history entry and its sessionStorage. */
function page(hash: string, storage: Map<string, string> | null = new Map()) {
  const location = { host: '127.0.0.1:5317', hash, pathname: '/', search: '' }
  const addresses: string[] = []
  const place: TokenPlace = {
    location,
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, url?: string | URL | null) => {
        addresses.push(String(url))
        const h = String(url).indexOf('#')
        location.hash = h < 0 ? '' : String(url).slice(h)
      },
    },
    storage: storage && { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  }
  return { place, location, addresses, storage }
}

describe('takeToken', () => {
  it('takes the token out of the address bar and keeps it for a reload of the same tab', () => {
    const p = page('#token=abc-123')
    expect(takeToken(p.place)).toBe('abc-123')
    expect(p.addresses).toEqual(['/'])
    expect(p.location.hash).toBe('')
    expect(p.storage?.get(TOKEN_KEY)).toBe('abc-123')
    // The reload: no token in the address any more, the tab's storage still has it.
    expect(takeToken(p.place)).toBe('abc-123')
    expect(p.addresses).toEqual(['/'])
  })

  it('prefers a token in the address (a new run) over a stored one, and keeps other hash parameters', () => {
    const p = page('#token=new&view=images', new Map([[TOKEN_KEY, 'old']]))
    expect(rpcUrlFromLocation(p.place)).toBe('ws://127.0.0.1:5317/rpc?token=new')
    expect(p.addresses).toEqual(['/#view=images'])
    expect(p.storage?.get(TOKEN_KEY)).toBe('new')
  })

  it('still works without storage (the token then lasts for this page load) and sends an empty token when there is none', () => {
    const p = page('#token=abc', null)
    expect(takeToken(p.place)).toBe('abc')
    expect(p.location.hash).toBe('')
    expect(takeToken(p.place)).toBe('')
    expect(rpcUrlFromLocation(page('').place)).toBe('ws://127.0.0.1:5317/rpc?token=')
  })

  it('survives a storage that throws', () => {
    const p = page('#token=abc')
    p.place.storage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
    }
    expect(takeToken(p.place)).toBe('abc')
    expect(takeToken(p.place)).toBe('')
  })
})
