import type { AppSlice } from './app-slice'
import type { EngineSlice } from './engine-slice'
import type { TransportSlice } from './transport-slice'

/** The whole renderer store: one object made of feature slices. */
export type AppState = EngineSlice & AppSlice & TransportSlice
