// The dev stack as front ends see it: the state of each compose service, read from the engine by
// compose's own labels (so a stack started by docker-compose v1, `docker compose` v2 or by hand
// looks the same), and the events of an `up` job.
import type { PreflightFinding } from '../types/build'
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
  /** Slipway has a compose file for it in its data folder (false: only containers a person started by hand, or nothing at all). */
  defined: boolean
  /** URLs and commands to reach it from this computer; null when the database publishes no port. */
  connection: StackConnection | null
  /** `project`: the last Up ran the project's own compose file (its services are the file's); `slipway`: Slipway's app + Postgres. */
  source: 'slipway' | 'project'
}

/** Options of `stack.up`. */
export interface StackUpOptions {
  /** The app image to run; unset: the newest successful build of the project (built first when there is none). */
  image?: string
  /** The base to build on when an image has to be built. */
  base?: string
  /** The Postgres image; unset: the setting, else postgres:16-alpine. */
  postgresImage?: string
  /** The host port for the app (127.0.0.1 only); unset: the one used before when still free or ours, else a free one near the container port. */
  hostPort?: number
  /** The host port for the database (127.0.0.1 only); unset: as for the app, near 5432. */
  dbHostPort?: number
  /** The app's variables as the person edited them (from `StackProposal.env`); they win over the code's defaults. The database variables cannot be set here. */
  env?: Record<string, string>
  /** SQL files of the project (from `StackProposal.initdb.files`) to mount into /docker-entrypoint-initdb.d: run by Postgres when the database is new. */
  initdb?: string[]
  /** Run the project's own compose file as it is (`StackProposal.projectCompose`) instead of Slipway's stack. */
  useProjectCompose?: boolean
  /** The `digest` of the project's compose file the person reviewed: Up refuses a file that changed since (FileChanged). */
  projectComposeDigest?: string
}

/**
 * How to reach a running stack from this computer (the connection panel). Null on a status when
 * the database publishes no port (not running) or the stack is not one of Slipway's.
 */
export interface StackConnection {
  /** `http://127.0.0.1:PORT` for the app's published port; null when the app publishes none (not running). */
  appUrl: string | null
  /** `postgres://USER:PASSWORD@127.0.0.1:DBPORT/DB?sslmode=disable`: for tools on the host (secret: show masked, copy whole). */
  databaseUrl: string
  /** A copyable `psql "postgres://…"` for the same port (contains the password too). */
  psql: string
  /** The database's port on 127.0.0.1 (kept across Ups like the app's). */
  dbHostPort: number
}

/** A host port Slipway proposes for a service. */
export interface StackPortProposal {
  /** The port proposed on 127.0.0.1 (free now, or already the stack's own). */
  host: number
  container: number
  /** The port Slipway would have preferred (the one used before, or the container port) when another process holds it; null when it was free. */
  taken: number | null
}

/** One of the app's variables as proposed (the database variables are not in this list: they are wired). */
export interface StackProposedEnv {
  name: string
  /** The default the code falls back to (or the stack's current value); editable, sent back in `stack.up`'s `env`. */
  value: string
  /** A name that usually holds a secret: show masked. */
  secret: boolean
  /** Where the code reads it (`main.go:38`), when known. */
  evidence?: string
  /** The program stops without it: the page asks for a value. */
  required?: boolean
}

/**
 * What `stack.up` would start, said before it starts (`stack.propose`). The UI shows it, lets the
 * person edit `env`, the ports and the Postgres image, and sends those back to `stack.up`.
 */
export interface StackProposal {
  dir: string
  /** The compose project name. */
  project: string
  app: {
    /** `use`: `image` is current. `build`: no build of this base exists. `rebuild`: the newest build is stale (`reason`). */
    action: 'use' | 'build' | 'rebuild'
    /** The image Up would run (`use`), or the stale one (`rebuild`); null for `build`. */
    image: string | null
    /** The base the image is (or would be) built on. */
    base: string
    /** Why a build is needed (`Sources changed after the last build (main.go)`); null for `use`. */
    reason: string | null
    /**
     * The build Up needs would be refused: its base or builder is not here and cannot be pulled. Each
     * finding carries the base Slipway can make instead (`make`). Unset when nothing is refused.
     */
    refused?: PreflightFinding[]
  }
  postgresImage: string
  ports: { app: StackPortProposal; db: StackPortProposal }
  /** The variables the database URL is written to (`DATABASE_URL`, or libpq's PG*). */
  databaseVars: string[]
  env: StackProposedEnv[]
  dbName: string
  dbUser: string
  /** The named volume that holds the data, and whether it exists (Up keeps and reuses it). */
  volume: string
  volumeExists: boolean
  /** The compose tool Up would run, or why there is none (ComposeNotFound's words). */
  composeTool: { command: string; version: string } | { error: string; detail: string }
  /** Slipway has a compose file for this project in its data folder. */
  defined: boolean
  notices: string[]
  /** The compose file Up would write (the password is not in it: it comes from the stack's .env). */
  yaml: string
  /**
   * The program reads a .env file at start: Up writes one from the stack's variables into the data
   * folder (0600) and mounts it read-only at `target` in the app container. Null when it reads none.
   */
  envFile: { path: string; target: string } | null
  /** `*.sql` files under the project's schema/migrations/initdb folders that Up can run in a new database (`StackUpOptions.initdb`); `skipped` names files left out and why. */
  initdb: { files: string[]; skipped: string[] }
  /** The project's own compose file, when it has one: runnable as it is with `useProjectCompose`. */
  projectCompose: ProjectCompose | null
}

/** A compose file the project already has, as Slipway read it (never rewritten). */
export interface ProjectCompose {
  /** Its name in the project folder (`compose.yaml`, `docker-compose.yml`, …). */
  file: string
  /** Its services, as written. Empty when it could not be read (`problem`). */
  services: ProjectComposeService[]
  /** What running it would do to this computer that a dev stack should not need: bind mounts outside the project, privileged, the Docker socket, the host's network or processes. Said before Up. */
  warnings: string[]
  /** Why it cannot be run (not YAML, no services, too large); null when it can. */
  problem: string | null
  /** The compose project name Slipway runs it under. */
  project: string
  /** SHA-256 (hex) of the file as read: send it back with Up, so a file changed after the review is not started. */
  digest: string | null
}

/** One service of a project's own compose file. */
export interface ProjectComposeService {
  name: string
  /** Its image, or null when it is built (`build`). */
  image: string | null
  /** Its build context, when it is built. */
  build: string | null
  /** Its `ports` entries as written. */
  ports: string[]
}

/** What Export to project would write (`stack.export`), next to the project's current files for a diff. */
export interface StackExport {
  dir: string
  files: { name: 'compose.yaml' | '.env.example'; content: string; current: string | null }[]
  notices: string[]
}

/** One batch of a followed stack's log lines (`stack.log`); `seq` numbers the first line of the batch within the follow stream. */
export interface StackLogChunk {
  streamId: string
  project: string
  service: string
  stream: 'stdout' | 'stderr'
  lines: string[]
  seq: number
}
