import type { EngineProblem, WireError } from '../errors'

/** Where the engine connection came from, resolved the way the docker CLI does it. */
export interface EngineEndpoint {
  /** e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`, `npipe:////./pipe/docker_engine` */
  host: string
  source: 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'context' | 'default'
  /** Name of the docker context, when one was used. */
  context?: string
  tls: boolean
}

/** What the connected engine is and what it holds. */
export interface EngineInfo {
  endpoint: EngineEndpoint
  name: string
  version: string
  apiVersion: string
  minApiVersion: string
  os: string
  arch: string
  kernel: string
  operatingSystem: string
  storageDriver: string
  /** BuildKit can be asked for through the API (`version: '2'`). */
  buildkit: boolean
  /** Which builder the daemon uses when not told, from the `Builder-Version` ping header. */
  defaultBuilder: 'buildkit' | 'classic'
  cpus: number
  memoryBytes: number
  /** Top-level images, tagged or dangling (`docker images`, not `docker info`'s count): the Images page's list length. */
  images: number
  containers: number
  containersRunning: number
}

export type EngineState =
  | { status: 'connecting'; endpoint: EngineEndpoint }
  | { status: 'connected'; info: EngineInfo; since: number }
  | {
      status: 'unavailable'
      endpoint: EngineEndpoint
      problem: EngineProblem
      error: WireError
      since: number
      /** When the next automatic reconnect attempt happens (epoch ms). */
      nextRetryAt: number
    }

/** One engine event, trimmed to what the UI shows. */
export interface EngineEvent {
  type: string
  action: string
  id: string
  name?: string
  time: number
  /**
   * Container events of a compose project (anyone's: v1, v2, by hand): its project and service
   * labels. A stack view refreshes `stack.status` when `project` is its StackStatus.project.
   */
  project?: string
  service?: string
}
