import type { EngineEvent, EngineState } from './types/engine'
import type { WireError } from './errors'
import type { LayerIndex, LayerSummary, LayersProgress } from './layers/types'
import type { Settings, SettingsPatch } from './settings'
import type { ImageSummary } from './types/images'
import type { ProjectAnalysis } from './types/project'

/** Facts about the running app that the renderer shows. */
export interface AppInfo {
  name: string
  version: string
  platform: string
  transport: 'ipc' | 'websocket'
  /** The project the app opens at start (the bundled example unless told otherwise). */
  defaultProject: string | null
}

/**
 * Every method the renderer (or any front end) can call, with its argument and result types.
 * The handler table in electron/host is written `satisfies Handlers`, so a missing or mistyped
 * method does not compile; `shared/schemas.ts` validates the arguments at run time.
 */
export type Methods = {
  'app.info': () => Promise<AppInfo>
  'engine.state': () => Promise<EngineState>
  /** Reconnect now instead of waiting for the next automatic attempt. */
  'engine.reconnect': () => Promise<EngineState>
  /** Reads a Go project folder (never writes to it). `opts.main` picks the main package when there are several. */
  'project.analyze': (dir: string, opts?: AnalyzeOptions) => Promise<ProjectAnalysis>
  /** Shows the system folder picker (desktop app only); null when cancelled. */
  'project.pick': () => Promise<string | null>
  /** Removes a folder from the recent projects. */
  'project.forget': (dir: string) => Promise<Settings>
  /**
   * Writes Dockerfile or .dockerignore into the project, the one write Slipway makes, after the user
   * saw the diff and confirmed. `expected` is the content the user saw (null: the file did not exist);
   * if the file changed since, nothing is written and a FileChanged error says so.
   */
  'project.writeFile': (dir: string, name: ProjectFileName, content: string, expected: string | null) => Promise<void>
  'settings.get': () => Promise<{ settings: Settings; notice?: string }>
  'settings.update': (patch: SettingsPatch) => Promise<Settings>
  /** Images in the engine, newest first. */
  'images.list': () => Promise<ImageSummary[]>
  /** Starts indexing an image's layers (or answers from the cache); progress and the result arrive as events. */
  'layers.index': (image: string, opts?: { refresh?: boolean }) => Promise<{ jobId: string }>
  'layers.cancel': (jobId: string) => Promise<boolean>
  /** The cached index of an image id, or null when it has not been indexed. */
  'layers.get': (imageId: string) => Promise<LayerIndex | null>
}

/** The files Slipway may write into a project folder, and only on an explicit, confirmed action. */
export const PROJECT_FILE_NAMES = ['Dockerfile', '.dockerignore'] as const
export type ProjectFileName = (typeof PROJECT_FILE_NAMES)[number]

/** Options for `project.analyze`. */
export interface AnalyzeOptions {
  /** The main package to compute the needs for: its folder relative to the project ("." for the root, "cmd/api"). */
  main?: string
}

/** Every event pushed to front ends, with its payload type. */
export type Events = {
  'engine.state': EngineState
  'engine.event': EngineEvent
  'layers.progress': LayersProgress
  'layers.done': { jobId: string; image: string; imageId: string; cached: boolean; summary: LayerSummary }
  'layers.failed': { jobId: string; image: string; error: WireError; cancelled: boolean }
}

export type Method = keyof Methods
export type EventName = keyof Events
export type Handlers = { [M in Method]: (...args: Parameters<Methods[M]>) => ReturnType<Methods[M]> | Awaited<ReturnType<Methods[M]>> }
/** How a service publishes an event to every connected front end. */
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void
