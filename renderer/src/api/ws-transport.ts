import type { ErrorName } from '../../../shared/errors'
import type { RpcEvent, RpcRequest, RpcResponse, Bridge } from '../../../shared/rpc'

/** Reads the browser-mode RPC address from the page URL (`#token=…`, printed by `npm run web`). */
export function rpcUrlFromLocation(loc: Location = window.location): string {
  const token = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token') ?? ''
  return `ws://${loc.host}/rpc?token=${encodeURIComponent(token)}`
}

type Pending = { resolve: (r: RpcResponse) => void }

/**
 * A Bridge over one WebSocket. Requests made while (re)connecting wait for the socket; if the
 * host goes away, open requests fail with a clear error and the transport reconnects by itself.
 */
export function wsTransport(url: string): Bridge & { status(): 'open' | 'closed' } {
  const listeners = new Set<(e: RpcEvent) => void>()
  const pending = new Map<number, Pending>()
  const queue: string[] = []
  let ws: WebSocket | undefined
  let open = false
  // Announce "closed" once per outage, including a first connection that never opens (wrong token, host gone).
  let announcedClosed = false
  let retry = 250

  const fail = (id: number, name: ErrorName, message: string, detail: string): RpcResponse => ({ id, error: { name, message, detail } })

  const connect = () => {
    const sock = new WebSocket(url)
    ws = sock
    sock.onopen = () => {
      open = true
      announcedClosed = false
      retry = 250
      for (const m of queue.splice(0)) sock.send(m)
      for (const l of listeners) l({ event: 'transport.open', payload: null })
    }
    sock.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as RpcResponse | RpcEvent
      if ('event' in msg) for (const l of listeners) l(msg)
      else {
        const p = pending.get(msg.id)
        if (p) {
          pending.delete(msg.id)
          p.resolve(msg)
        }
      }
    }
    sock.onclose = () => {
      open = false
      for (const [id, p] of pending)
        p.resolve(fail(id, 'TransportClosed', 'Lost the connection to Slipway.', 'Is `npm run web` still running? The page reconnects by itself.'))
      pending.clear()
      if (!announcedClosed) for (const l of listeners) l({ event: 'transport.closed', payload: null })
      announcedClosed = true
      setTimeout(connect, retry)
      retry = Math.min(retry * 2, 4000)
    }
  }
  connect()

  return {
    status: () => (open ? 'open' : 'closed'),
    request(req: RpcRequest) {
      return new Promise<RpcResponse>((resolve) => {
        pending.set(req.id, { resolve })
        const text = JSON.stringify(req)
        if (open && ws) ws.send(text)
        else queue.push(text)
      })
    },
    onEvent(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
  }
}
