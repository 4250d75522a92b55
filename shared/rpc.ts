import type { WireError } from './errors'

/**
 * WebSocket close code with which browser mode turns a page away for now (RFC 6455 "Try Again
 * Later"): too many pages are connected. The reason text says what to do.
 */
export const CLOSE_TRY_AGAIN = 1013

/** Largest serialised request the host accepts; bigger ones get a BadRequest, not a crash. */
export const MAX_REQUEST_BYTES = 1024 * 1024

export interface RpcRequest {
  id: number
  method: string
  args: unknown[]
}

export type RpcResponse = { id: number; result: unknown; error?: undefined } | { id: number; error: WireError; result?: undefined }

export interface RpcEvent {
  event: string
  payload: unknown
}

/** The one thing the preload exposes to the renderer, and the shape of every transport. */
export interface Bridge {
  request(req: RpcRequest): Promise<RpcResponse>
  onEvent(cb: (e: RpcEvent) => void): () => void
  /**
   * Desktop only: the file-system path of a dropped File (Electron's webUtils.getPathForFile), since a
   * sandboxed page cannot read it itself. Typed loosely because shared/ has no DOM types.
   */
  pathForFile?(file: object): string
}
