import { create } from 'zustand'
import { call, on, onTransport, transportKind } from '../api/client'
import type { AppState } from './app-state'
import { createAppSlice } from './app-slice'
import { createBasesSlice, subscribeBases } from './bases-slice'
import { createBuildSlice, subscribeBuilds } from './build-slice'
import { createCompareSlice, subscribeCompare } from './compare-slice'
import { createEngineSlice } from './engine-slice'
import { createImagesSlice, subscribeImages } from './images-slice'
import { createProjectSlice } from './project-slice'
import { createRunSlice, subscribeRuns } from './run-slice'
import { createSettingsSlice } from './settings-slice'
import { createStacksSlice, subscribeStacks } from './stacks-slice'
import { createTransportSlice } from './transport-slice'

export type { AppState } from './app-state'
export type { Page } from './app-slice'
export { PAGES } from './app-slice'
export type { StoredEngineEvent } from './engine-slice'
export { MAX_ENGINE_EVENTS } from './engine-slice'
export type { SocketStatus } from './transport-slice'
export type { Explorer, IndexJob, OpenImage } from './images-slice'
export type { LastSave, ProjectError, RecipeSettings, SaveOutcome } from './project-types'
export type { ContainerLogs } from './run-slice'
export type { BuildJob, BuildPhase, HistoryState, PreflightState, ProjectViewTab } from './build-slice'
export type { CompareHistoryState, CompareJob, ComparePhase } from './compare-slice'
export type { BasesJob } from './bases-slice'
export type { ProposalState, StackAction, StackJob, StackLogs, StackUpChoices } from './stacks-slice'

/** The renderer's one store. Read it with a selector: `useApp((s) => s.engine.state)`. */
export const useApp = create<AppState>()((...a) => ({
  ...createEngineSlice(...a),
  ...createAppSlice(...a),
  ...createTransportSlice(...a),
  ...createImagesSlice(...a),
  ...createProjectSlice(...a),
  ...createRunSlice(...a),
  ...createBuildSlice(...a),
  ...createSettingsSlice(...a),
  ...createCompareSlice(...a),
  ...createStacksSlice(...a),
  ...createBasesSlice(...a),
}))

const disposers: (() => void)[] = []

/**
 * Subscribes the store to the host's events and fetches what it needs at start. Call once, before
 * the first render; calling again does nothing until `resetStore()`.
 */
export function initStore(): void {
  if (disposers.length) return
  const s = useApp.getState

  disposers.push(
    on('engine.state', (state) => s().setEngineState(state)),
    on('engine.event', (event) => s().addEngineEvent(event)),
    ...subscribeImages(useApp),
    ...subscribeRuns(useApp),
    ...subscribeBuilds(useApp),
    ...subscribeCompare(useApp),
    ...subscribeStacks(useApp),
    ...subscribeBases(useApp),
  )

  if (transportKind() === 'ipc') s().setSocket('ipc')
  else
    disposers.push(
      onTransport((e) => {
        if (e === 'transport.closed') return s().setSocket('closed')
        const reopened = s().transport.everOpened
        s().setSocket('open')
        // Events pushed while the socket was down are gone; ask again for what the screen shows.
        if (reopened) void refresh().then(() => s().syncBuilds())
      }),
    )

  void refresh()
  void s().initProjects()
  void s().syncBuilds({ initial: true })
}

/** Fetches the app facts and the engine state, without letting a late answer overwrite a newer pushed state. */
async function refresh(): Promise<void> {
  const s = useApp.getState
  const revision = s().engine.revision
  await Promise.allSettled([
    call('app.info').then((info) => s().setAppInfo(info)),
    call('engine.state').then((state) => {
      if (s().engine.revision === revision) s().setEngineState(state)
    }),
  ])
}

/** Drops every subscription and puts the store back to its first state (for tests). */
export function resetStore(): void {
  for (const d of disposers.splice(0)) d()
  useApp.setState(useApp.getInitialState(), true)
}
