import type { EngineEvent, EngineState } from './types/engine'
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
}

/** Options for `project.analyze`. */
export interface AnalyzeOptions {
  /** The main package to compute the needs for: its folder relative to the project ("." for the root, "cmd/api"). */
  main?: string
}

/** Every event pushed to front ends, with its payload type. */
export type Events = {
  'engine.state': EngineState
  'engine.event': EngineEvent
}

export type Method = keyof Methods
export type EventName = keyof Events
export type Handlers = { [M in Method]: (...args: Parameters<Methods[M]>) => ReturnType<Methods[M]> | Awaited<ReturnType<Methods[M]>> }
/** How a service publishes an event to every connected front end. */
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void
