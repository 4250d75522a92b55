import type { StateCreator } from 'zustand'
import type { AppState } from './app-state'

/**
 * The link between this page and the Slipway host. Inside Electron it is IPC and cannot drop;
 * in browser mode it is a WebSocket that can close and reopen.
 */
export type SocketStatus = 'ipc' | 'connecting' | 'open' | 'closed'

export interface TransportSlice {
  transport: {
    socket: SocketStatus
    /** Whether the socket has ever opened: a first connection that never succeeds reads differently from a lost one. */
    everOpened: boolean
  }
  setSocket: (socket: SocketStatus) => void
}

export const createTransportSlice: StateCreator<AppState, [], [], TransportSlice> = (set) => ({
  transport: { socket: 'connecting', everOpened: false },
  setSocket: (socket) =>
    set((s) => ({ transport: { socket, everOpened: s.transport.everOpened || socket === 'open' || socket === 'ipc' } })),
})
