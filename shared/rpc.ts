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

/**
 * A result that is a Uint8Array (a packed layer index) crosses the WebSocket as one binary frame:
 * the request id as a little-endian float64, then the bytes. Eight bytes keep the payload 8-aligned.
 */
export const BINARY_RESULT_HEAD = 8

/** The binary frame for a Uint8Array result. */
export function binaryResultFrame(id: number, bytes: Uint8Array): Uint8Array {
  const frame = new Uint8Array(BINARY_RESULT_HEAD + bytes.length)
  new DataView(frame.buffer).setFloat64(0, id, true)
  frame.set(bytes, BINARY_RESULT_HEAD)
  return frame
}

/** The response a binary frame carries, or null for a frame too short to be one. */
export function readBinaryResult(frame: ArrayBuffer): RpcResponse | null {
  if (frame.byteLength < BINARY_RESULT_HEAD) return null
  const id = new DataView(frame).getFloat64(0, true)
  return { id, result: new Uint8Array(frame, BINARY_RESULT_HEAD) }
}
