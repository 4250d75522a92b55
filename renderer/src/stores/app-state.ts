import type { AppSlice } from './app-slice'
import type { BasesSlice } from './bases-slice'
import type { BuildSlice } from './build-slice'
import type { CompareSlice } from './compare-slice'
import type { EngineSlice } from './engine-slice'
import type { ImagesSlice } from './images-slice'
import type { ProjectSlice } from './project-slice'
import type { RunSlice } from './run-slice'
import type { SettingsSlice } from './settings-slice'
import type { StacksSlice } from './stacks-slice'
import type { TransportSlice } from './transport-slice'

/** The whole renderer store: one object made of feature slices. */
export type AppState = EngineSlice & AppSlice & TransportSlice & ImagesSlice & ProjectSlice & RunSlice & BuildSlice & SettingsSlice & CompareSlice & StacksSlice & BasesSlice
