// The dev stack as front ends see it: the state of each compose service, read from the engine by
// compose's own labels (so a stack started by docker-compose v1, `docker compose` v2 or by hand
// looks the same), and the events of an `up` job.
/** Where a service is on its way up, in the words the UI shows. */
export type StackServicePhase = 'missing' | 'created' | 'starting' | 'unhealthy' | 'healthy' | 'running' | 'restarting' | 'exited'

/** One compose service of a stack, as the engine reports its container. */
export interface StackService {
  /** The compose service name (`app`, `db`). */
  service: string
  containerId: string | null
  image: string | null
  phase: StackServicePhase
  /** The engine's health status when the container has a healthcheck. */
  health: 'starting' | 'healthy' | 'unhealthy' | null
  exitCode: number | null
  /** Ports published on the host (always 127.0.0.1 for Slipway's stacks). */
  ports: { host: number; container: number }[]
}

/** A stack on the engine: its services and its volumes. */
export interface StackStatus {
  /** The compose project name (`slipway-<name>-<hash>`). */
  project: string
  /** The project folder the stack is for. */
  dir: string
  services: StackService[]
  /** Named volumes of the project that exist on the engine (removed only by down with removeVolumes). */
  volumes: string[]
  /** Every service is up (healthy when it has a healthcheck). */
  up: boolean
}

/** Options of `stack.up`. */
export interface StackUpOptions {
  /** The app image to run; unset: the newest successful build of the project (built first when there is none). */
  image?: string
  /** The base to build on when an image has to be built. */
  base?: string
  /** The Postgres image; unset: the setting, else postgres:16-alpine. */
  postgresImage?: string
  /** The host port for the app (127.0.0.1 only); unset: a free one near the container port. */
  hostPort?: number
}
