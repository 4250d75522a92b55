import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type { Handlers } from '../../shared/contract'
import { SlipwayError, toWireError } from '../../shared/errors'
import type { RpcResponse } from '../../shared/rpc'
import { ConnectionStreams } from '../host/connection-streams'
import { dispatch } from '../host/dispatch'
import type { EventHub } from '../host/events'
import { isAppUrl } from './app-url'
import { EVENT_CHANNEL, RPC_CHANNEL } from './channels'
import { isTrustedSender } from './sender'

export interface IpcTransportOptions {
  handlers: Handlers
  hub: EventHub
  /** The renderer's origin (`slipway://app`, or the dev server's); only its top frames may call. */
  origin: string
}

export interface IpcTransport {
  /** Lets this window call the handlers and receive every hub event until it closes. */
  attach(win: BrowserWindow): void
  /** Removes the handler and every subscription (on quit). */
  dispose(): void
}

/**
 * The Electron transport: one `invoke` channel into `dispatch`, one `send` channel for events.
 * A request is served only when it comes from the top frame of a window attached here that shows
 * the app's own origin; anything else (a subframe, a window that got navigated away, a webContents
 * we never created) gets a Forbidden error and reaches no handler.
 */
export function startIpcTransport(opts: IpcTransportOptions): IpcTransport {
  const attached = new Map<WebContents, () => void>()
  // The follow streams each window's page opened: a reload or a closed window never unfollows.
  const streams = new Map<WebContents, ConnectionStreams>()

  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event, (wc) => attached.has(wc), opts.origin)

  ipcMain.handle(RPC_CHANNEL, async (event, raw: unknown): Promise<RpcResponse> => {
    if (!trusted(event)) {
      console.warn(`Slipway: refused an IPC request from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
      return { id: requestId(raw), error: toWireError(new SlipwayError('Forbidden', 'This page may not call Slipway.', 'Only the Slipway window itself can use the app.')) }
    }
    const res = await dispatch(opts.handlers, raw)
    const req = typeof raw === 'object' && raw !== null ? (raw as { method?: unknown; args?: unknown }) : {}
    streams.get(event.sender)?.track(req.method, req.args, res)
    return res
  })

  const detach = (wc: WebContents) => {
    attached.get(wc)?.()
    attached.delete(wc)
    streams.get(wc)?.close()
    streams.delete(wc)
  }

  return {
    attach(win) {
      const wc = win.webContents
      if (attached.has(wc)) return
      const unsubscribe = opts.hub.subscribe((e) => {
        // Never push to a page that is not ours (navigation is blocked, this is the second lock).
        if (!wc.isDestroyed() && isAppUrl(wc.getURL(), opts.origin)) wc.send(EVENT_CHANNEL, e)
      })
      attached.set(wc, unsubscribe)
      streams.set(wc, new ConnectionStreams(opts.handlers))
      // A reload (or any new document) leaves the old page's streams without a reader.
      wc.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) streams.get(wc)?.close()
      })
      win.once('closed', () => detach(wc))
      wc.once('destroyed', () => detach(wc))
    },
    dispose() {
      ipcMain.removeHandler(RPC_CHANNEL)
      for (const wc of [...attached.keys()]) detach(wc)
    },
  }
}

function requestId(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'number' ? id : -1
}
