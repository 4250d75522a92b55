import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import sirv from 'sirv'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Handlers } from '../../shared/contract'
import { BadRequest, ErrorName, toWireError } from '../../shared/errors'
import { binaryResultFrame, CLOSE_TRY_AGAIN, type RpcResponse } from '../../shared/rpc'
import { CallLimits, type CallLimitOptions } from './call-limits'
import { ConnectionStreams } from './connection-streams'
import { dispatch } from './dispatch'
import type { EventHub } from './events'

/** Hard ceiling for one WebSocket frame; `dispatch` refuses anything over MAX_REQUEST_BYTES with a clear error first. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024

export interface WsHostOptions {
  handlers: Handlers
  hub: EventHub
  /** Built renderer to serve (out/renderer); omit to serve only the RPC endpoint. */
  staticDir?: string
  /** 0 picks a free port. */
  port?: number
  /** Per-run secret; a random one is made when omitted. */
  token?: string
  /** Pages connected at once (default 8); one more is turned away with a close code that says why. */
  maxConnections?: number
  /** How many expensive calls run at once, per connection and overall (see call-limits.ts). */
  limits?: CallLimitOptions
}

export interface WsHost {
  /** The address to open in a browser, token included. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Content-Security-Policy for pages served in browser mode; mirrors the Electron one. */
export function browserCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Radix/react-remove-scroll inject small <style> elements; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Browser mode: serves the built renderer and the same handler table over a WebSocket, on
 * 127.0.0.1 only. A connection needs the per-run token and, when it comes from a browser, an
 * Origin of this very host; the Host header is checked too, against DNS rebinding.
 */
export async function startWsHost(opts: WsHostOptions): Promise<WsHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  let port = opts.port ?? 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const maxConnections = opts.maxConnections ?? 8
  const limits = new CallLimits(opts.limits)
  let connections = 0
  const serveStatic = opts.staticDir ? sirv(opts.staticDir, { etag: true, dev: false, single: false }) : undefined

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'Unknown host.')
    res.setHeader('Content-Security-Policy', browserCsp(port))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    if (!serveStatic) return refuse(res, 404, 'Not found.')
    serveStatic(req, res, () => refuse(res, 404, 'Not found.'))
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const origin = req.headers.origin
    if (url.pathname !== '/rpc') return reject(socket, 404, 'Not found.')
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(socket, 421, 'Unknown host.')
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return reject(socket, 403, `Origin ${origin} is not allowed.`)
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return reject(socket, 401, 'Missing or wrong token.')
    if (connections >= maxConnections) {
      // Finish the handshake only to say why: a page cannot read the body of a refused upgrade,
      // but it does get the close code and reason (the transport turns them into a Busy error).
      wss.handleUpgrade(req, socket, head, (ws) =>
        ws.close(CLOSE_TRY_AGAIN, `Too many Slipway pages are connected (${maxConnections}). Close one, then reload this one.`),
      )
      return
    }
    // ws completes the handshake synchronously (no async verifyClient), so the check above and
    // this count cannot interleave with another upgrade; a socket that dies mid-handshake is never counted.
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections++
      serve(ws)
    })
  })

  const serve = (ws: WebSocket) => {
    const unsubscribe = opts.hub.subscribe((e) => send(ws, e))
    const slots = limits.connection()
    const streams = new ConnectionStreams(opts.handlers)
    ws.on('close', () => {
      connections--
      unsubscribe()
      // A closed or reloaded page never unfollows: end what it still follows.
      streams.close()
    })
    ws.on('error', () => ws.terminate())
    ws.on('message', (data, isBinary) => {
      // Nothing a page sends may reach the event loop as an unhandled rejection.
      answer(data, isBinary).catch((e: unknown) => send(ws, { id: -1, error: toWireError(e) } satisfies RpcResponse))
    })
    const answer = async (data: WebSocket.RawData, isBinary: boolean) => {
      const text = isBinary ? '' : data.toString()
      let req: unknown
      try {
        req = JSON.parse(text)
      } catch {
        send(ws, { id: -1, error: toWireError(new BadRequest('Malformed request: not JSON.')) } satisfies RpcResponse)
        return
      }
      const method = typeof req === 'object' && req !== null ? (req as { method?: unknown }).method : undefined
      const id = typeof req === 'object' && req !== null && typeof (req as { id?: unknown }).id === 'number' ? (req as { id: number }).id : -1
      let res: RpcResponse
      try {
        res = await slots.run(typeof method === 'string' ? method : '', () => dispatch(opts.handlers, req, Buffer.byteLength(text)))
      } catch (e) {
        res = { id, error: toWireError(e) }
      }
      streams.track(method, typeof req === 'object' && req !== null ? (req as { args?: unknown }).args : undefined, res)
      // A follow answered after the page went away is ended at once.
      if (ws.readyState !== ws.OPEN) streams.close()
      send(ws, res)
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function send(ws: WebSocket, msg: RpcResponse | { event: string; payload: unknown }) {
  if (ws.readyState !== ws.OPEN) return
  // Bytes (a packed layer index) go as they are, not as a JSON array of numbers.
  if ('id' in msg && msg.result instanceof Uint8Array) {
    ws.send(binaryResultFrame(msg.id, msg.result), { binary: true })
    return
  }
  let text: string
  try {
    text = JSON.stringify(msg)
  } catch (e) {
    // A result that cannot be serialised (a cycle, a BigInt) is a bug in a handler: answer it, do not crash.
    if (!('id' in msg)) return
    text = JSON.stringify({ id: msg.id, error: { name: ErrorName.InternalError, message: `The answer could not be sent: ${e instanceof Error ? e.message : String(e)}` } })
  }
  ws.send(text)
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function refuse(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message)
}

function reject(socket: Duplex, status: number, message: string) {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' }[status] ?? 'Error'
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`)
}
