import { ErrorName } from '../../../shared/errors'
import { CLOSE_TRY_AGAIN, readBinaryResult, type Bridge, type RpcEvent, type RpcRequest, type RpcResponse } from '../../../shared/rpc'

/** Where the per-run token is kept after it left the address bar (see takeToken). */
export const TOKEN_KEY = 'slipway.token'

// The few browser APIs used here, typed structurally so the transport also runs (and is tested)
// in Node against `ws`, which has no DOM types.
interface PageLocation {
  host: string
  hash: string
  pathname: string
  search: string
}
interface PageHistory {
  readonly state: unknown
  replaceState(data: unknown, unused: string, url?: string | null): void
}
interface PageStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** The parts of the page `takeToken` reads and changes; tests pass their own. */
export interface TokenPlace {
  location: PageLocation
  history: PageHistory
  /** null when the browser refuses storage (some private modes): the token then lives for this page load only. */
  storage: PageStorage | null
}

function pagePlace(): TokenPlace {
  const page = globalThis as unknown as { location: PageLocation; history: PageHistory; sessionStorage: PageStorage }
  let storage: PageStorage | null = null
  try {
    storage = page.sessionStorage
  } catch {
    // Storage can be disabled (reading it throws); a reload then needs the printed address again.
  }
  return { location: page.location, history: page.history, storage }
}

/**
 * Reads the browser-mode token and takes it out of the address bar, so it does not stay in the
 * history, in bookmarks or in a screenshot of the URL. It is kept in sessionStorage: that is per
 * tab and gone when the tab closes, yet a reload of the same tab still connects. Another tab needs
 * the address `npm run web` printed. A token in the address always wins (a new run's address).
 */
export function takeToken(place: TokenPlace = pagePlace()): string {
  const params = new URLSearchParams(place.location.hash.replace(/^#/, ''))
  const fromAddress = params.get('token')
  if (fromAddress === null) return safeGet(place.storage) ?? ''
  try {
    place.storage?.setItem(TOKEN_KEY, fromAddress)
  } catch {
    // Quota or disabled storage: the token still works for this page load.
  }
  params.delete('token')
  const rest = params.toString()
  place.history.replaceState(place.history.state, '', `${place.location.pathname}${place.location.search}${rest ? `#${rest}` : ''}`)
  return fromAddress
}

function safeGet(storage: TokenPlace['storage']): string | null {
  try {
    return storage?.getItem(TOKEN_KEY) ?? null
  } catch {
    return null
  }
}

/** The browser-mode RPC address for this page (the token from `takeToken`, which also clears it from the address bar). */
export function rpcUrlFromLocation(place: TokenPlace = pagePlace()): string {
  const token = takeToken(place)
  return `ws://${place.location.host}/rpc?token=${encodeURIComponent(token)}`
}

type Pending = { resolve: (r: RpcResponse) => void }

/** The part of the WebSocket API the transport uses: the browser's, or `ws`'s in a Node test. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
  /** 'arraybuffer': binary frames (a packed layer index) arrive as ArrayBuffers. */
  binaryType: string
  send(text: string): void
  close(): void
}
export type WebSocketCtor = new (url: string) => SocketLike

export interface WsTransport extends Bridge {
  status(): 'open' | 'closed'
  /** Stops reconnecting and closes the socket; open requests fail with TransportClosed. */
  close(): void
}

/**
 * A Bridge over one WebSocket. Requests made while (re)connecting wait for the socket; if the
 * socket closes, every request not yet answered — sent or still waiting — fails with a clear
 * error and is forgotten: a request the page was told had failed is never sent later (a save the
 * person saw fail must not happen behind their back). The transport then reconnects by itself.
 */
export function wsTransport(url: string, Socket: WebSocketCtor = (globalThis as unknown as { WebSocket: WebSocketCtor }).WebSocket): WsTransport {
  const listeners = new Set<(e: RpcEvent) => void>()
  const pending = new Map<number, Pending>()
  // Requests made while the socket is not open, sent in order when it opens.
  let queue: { id: number; text: string }[] = []
  let ws: SocketLike | undefined
  let open = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  // Announce "closed" once per outage, including a first connection that never opens (wrong token, host gone).
  let announcedClosed = false
  let retry = 250

  const fail = (id: number, name: ErrorName, message: string, detail: string): RpcResponse => ({ id, error: { name, message, detail } })
  const emit = (e: RpcEvent) => {
    for (const l of listeners) l(e)
  }

  const failAll = (code: number, reason: string) => {
    // The host turned this page away for now (too many connections): say so, not "lost".
    const answer =
      code === CLOSE_TRY_AGAIN
        ? (id: number) => fail(id, ErrorName.Busy, reason || 'Slipway is busy.', 'Close other Slipway tabs; this page connects again by itself.')
        : (id: number) => fail(id, ErrorName.TransportClosed, 'Lost the connection to Slipway.', 'Is `npm run web` still running? The page reconnects by itself.')
    queue = []
    const open = [...pending]
    pending.clear()
    for (const [id, p] of open) p.resolve(answer(id))
  }

  const connect = () => {
    timer = undefined
    if (stopped) return
    const sock = new Socket(url)
    sock.binaryType = 'arraybuffer'
    ws = sock
    sock.onopen = () => {
      open = true
      announcedClosed = false
      retry = 250
      const ready = queue
      queue = []
      for (const m of ready) if (pending.has(m.id)) sock.send(m.text)
      emit({ event: 'transport.open', payload: null })
    }
    // A failed connection or a broken socket is followed by `close`, which answers and retries.
    sock.onerror = () => undefined
    sock.onmessage = (m) => {
      let msg: RpcResponse | RpcEvent
      if (m.data instanceof ArrayBuffer) {
        const res = readBinaryResult(m.data)
        if (!res) return
        msg = res
      } else {
        try {
          msg = JSON.parse(String(m.data)) as RpcResponse | RpcEvent
        } catch {
          return // Not from Slipway's host; nothing to answer.
        }
      }
      if (typeof msg !== 'object' || msg === null) return
      if ('event' in msg) emit(msg)
      else {
        const p = pending.get(msg.id)
        if (p) {
          pending.delete(msg.id)
          p.resolve(msg)
        }
      }
    }
    sock.onclose = (e) => {
      if (ws !== sock) return
      open = false
      failAll(e.code, e.reason)
      if (!announcedClosed) emit({ event: 'transport.closed', payload: null })
      announcedClosed = true
      if (stopped) return
      timer = setTimeout(connect, retry)
      retry = Math.min(retry * 2, 4000)
    }
  }
  connect()

  return {
    status: () => (open ? 'open' : 'closed'),
    request(req: RpcRequest) {
      return new Promise<RpcResponse>((resolve) => {
        if (stopped) return resolve(fail(req.id, ErrorName.TransportClosed, 'This connection to Slipway was closed.', 'Reload the page.'))
        pending.set(req.id, { resolve })
        const text = JSON.stringify(req)
        if (open && ws) ws.send(text)
        else queue.push({ id: req.id, text })
      })
    },
    onEvent(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    close() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      open = false
      failAll(1000, '')
      ws?.close()
    },
  }
}
