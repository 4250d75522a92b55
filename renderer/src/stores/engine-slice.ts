import type { StateCreator } from 'zustand'
import type { EngineEvent, EngineState } from '../../../shared/types/engine'
import { call } from '../api/client'
import type { AppState } from './app-state'

/** How many engine events the activity list keeps. */
export const MAX_ENGINE_EVENTS = 200

/** An engine event with a local sequence number, so list rows keep a stable key. */
export interface StoredEngineEvent extends EngineEvent {
  seq: number
}

export interface EngineSlice {
  engine: {
    /** `null` until the first state arrives. */
    state: EngineState | null
    /** Newest first, at most MAX_ENGINE_EVENTS. */
    events: StoredEngineEvent[]
    /** Counts state updates, so a slow `engine.state` answer cannot overwrite a newer pushed state. */
    revision: number
    reconnecting: boolean
    /** Why the last "Retry now" could not even be asked (e.g. the socket to Slipway is down). */
    reconnectError: string | null
  }
  setEngineState: (state: EngineState) => void
  addEngineEvent: (event: EngineEvent) => void
  /** Asks the host to reconnect now instead of waiting for the next automatic attempt. */
  reconnect: () => Promise<void>
}

let seq = 0

export const createEngineSlice: StateCreator<AppState, [], [], EngineSlice> = (set, get) => ({
  engine: { state: null, events: [], revision: 0, reconnecting: false, reconnectError: null },

  setEngineState: (state) => set((s) => ({ engine: { ...s.engine, state, revision: s.engine.revision + 1 } })),

  addEngineEvent: (event) =>
    set((s) => ({
      engine: { ...s.engine, events: [{ ...event, seq: ++seq }, ...s.engine.events.slice(0, MAX_ENGINE_EVENTS - 1)] },
    })),

  reconnect: async () => {
    if (get().engine.reconnecting) return
    set((s) => ({ engine: { ...s.engine, reconnecting: true, reconnectError: null } }))
    try {
      const state = await call('engine.reconnect')
      get().setEngineState(state)
      set((s) => ({ engine: { ...s.engine, reconnecting: false } }))
    } catch (e) {
      set((s) => ({ engine: { ...s.engine, reconnecting: false, reconnectError: e instanceof Error ? e.message : String(e) } }))
    }
  },
})
