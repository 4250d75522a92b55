import type { EventName, Events, Method, Methods } from '../../../shared/contract'
import { RemoteError } from '../../../shared/errors'
import type { Bridge, RpcResponse } from '../../../shared/rpc'
import { rpcUrlFromLocation, wsTransport } from './ws-transport'

declare global {
  interface Window {
    /** Present only inside Electron, exposed by the preload. */
    bridge?: Bridge
  }
}

/** Transport-level notices that are not part of the contract: the browser-mode socket opened or dropped. */
export type TransportEvent = 'transport.open' | 'transport.closed'

let nextId = 1
let bridge: Bridge | undefined

function transport(): Bridge {
  bridge ??= window.bridge ?? wsTransport(rpcUrlFromLocation())
  return bridge
}

/** Which transport this page talks through. */
export function transportKind(): 'ipc' | 'websocket' {
  return window.bridge ? 'ipc' : 'websocket'
}

function unwrap(r: RpcResponse): unknown {
  if (r.error) throw new RemoteError(r.error)
  return r.result
}

/** Calls one method of the contract; errors arrive as real Errors with `name`, `message` and `detail`. */
export function call<M extends Method>(method: M, ...args: Parameters<Methods[M]>): ReturnType<Methods[M]> {
  return transport().request({ id: nextId++, method, args }).then(unwrap) as ReturnType<Methods[M]>
}

/** Subscribes to one event of the contract; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void {
  return transport().onEvent((e) => {
    if (e.event === event) cb(e.payload as Events[E])
  })
}

/** Subscribes to the browser-mode transport's own open/closed notices. */
export function onTransport(cb: (e: TransportEvent) => void): () => void {
  return transport().onEvent((e) => {
    if (e.event === 'transport.open' || e.event === 'transport.closed') cb(e.event)
  })
}
