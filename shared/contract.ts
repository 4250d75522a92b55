// The one contract between every front end (renderer, CLI, tests) and the host: each method is
// defined once, as its zod argument schema plus its result type. `Methods` is derived from that
// definition and `dispatch()` validates with the same schema, so the types and the run-time checks
// cannot drift apart.
import { z } from 'zod'
import type { WireError } from './errors'
import type { PackedLayerIndex } from './layers/packed'
import type { IndexFirst } from './layers/first-view'
import type { LayerSummary, LayersProgress } from './layers/types'
import { imageRef, path } from './schemas'
import { projectChoicesSchema, settingsPatchSchema, type Settings } from './settings'
import type {
  BuildLogChunk,
  BuildRecord,
  BuildSnapshot,
  BuildStep,
  CompareResult,
  CompareRow,
  CompileError,
  PreflightFinding,
  RunningContainer,
  RunLogs,
  RunProposal,
} from './types/build'
import type { EngineEvent, EngineState } from './types/engine'
import type { ImageAvailability, ImageDetails, ImageSummary, SlipwayProject } from './types/images'
import type { StackExport, StackLogChunk, StackProposal, StackService, StackStatus } from './stack/types'
import type { ProjectAnalysis } from './types/project'
import { MADE_BASE_IDS } from './debian/recipes'
import type { BasesProgress, MadeBase, MadeResult } from './debian/types'

/** Facts about the running app that the renderer shows. */
export interface AppInfo {
  name: string
  version: string
  platform: string
  transport: 'ipc' | 'websocket'
  /** The project the app opens at start (the bundled example unless told otherwise). */
  defaultProject: string | null
}

/** The files Slipway may write into a project folder, and only on an explicit, confirmed action (the stack's Export writes the last two). */
export const PROJECT_FILE_NAMES = ['Dockerfile', '.dockerignore', 'compose.yaml', '.env.example'] as const
export type ProjectFileName = (typeof PROJECT_FILE_NAMES)[number]

/** Options for `project.analyze`. */
export interface AnalyzeOptions {
  /** The main package to compute the needs for: its folder relative to the project ("." for the root, "cmd/api"). */
  main?: string
}

/** Declares one method: `args` validates the arguments at the boundary; `R` is what it resolves to. */
const method = <R>() => <A extends z.ZodType<readonly unknown[]>>(args: A) => ({ args, result: undefined as unknown as R })

const jobId = z.string().uuid()
const imageId = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be an image id (sha256:…)')
const baseId = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a base id such as "distroless-static"')
const mainDir = z.string().max(4096)
/** A version or commit the person typed for the build args (the recipe cleans it further). */
const stampValue = z.string().max(128).regex(/^[\w.+-]*$/, 'letters, digits and . + - _ only')
const port = z.number().int().min(1).max(65535)
const containerId = z.string().regex(/^[0-9a-f]{12,64}$/, 'must be a container id')
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name (letters, digits, _)')
const stackService = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be a compose service name such as "db"')

/**
 * Every method any front end can call: its argument schema and result type, defined once.
 * The handler table in electron/host is written `satisfies Handlers`, so a missing or mistyped
 * method does not compile.
 */
export const contract = {
  'app.info': method<AppInfo>()(z.tuple([])),
  /**
   * Opens a file of an analysed project (a compile error's place) with the system's handler for its
   * type: desktop app only (browser mode answers NotAvailable; copy the path instead). Source and
   * text files inside the project only. The OS handler takes no line; `line` is for the message.
   */
  'app.openFile': method<void>()(z.tuple([path, z.string().min(1).max(4096), z.number().int().min(1).max(10_000_000)])),
  'engine.state': method<EngineState>()(z.tuple([])),
  /** Reconnect now instead of waiting for the next automatic attempt. */
  'engine.reconnect': method<EngineState>()(z.tuple([])),
  /** Reads a Go project folder (never writes to it). `opts.main` picks the main package when there are several. */
  'project.analyze': method<ProjectAnalysis>()(z.tuple([path, z.object({ main: mainDir.optional() }).strict().optional()])),
  /** Shows the system folder picker (desktop app only); null when cancelled. */
  'project.pick': method<string | null>()(z.tuple([])),
  /** Removes a folder from the recent projects. */
  'project.forget': method<Settings>()(z.tuple([path])),
  /** Remembers the choices made for an open project (main package, base, builder, cache mounts, build args) in the settings. */
  'project.remember': method<void>()(z.tuple([path, projectChoicesSchema])),
  /**
   * Writes Dockerfile or .dockerignore into the project, the one write Slipway makes, after the user
   * saw the diff and confirmed. `expected` is the content the user saw (null: the file did not exist);
   * if the file changed since, nothing is written and a FileChanged error says so.
   */
  'project.writeFile': method<void>()(
    z.tuple([path, z.enum(PROJECT_FILE_NAMES), z.string().max(1024 * 512), z.string().max(1024 * 512).nullable()]),
  ),
  'settings.get': method<{ settings: Settings; notice?: string }>()(z.tuple([])),
  'settings.update': method<Settings>()(z.tuple([settingsPatchSchema])),
  /** Images in the engine, newest first. */
  'images.list': method<ImageSummary[]>()(z.tuple([])),
  /** The images Slipway built, grouped by project and base, each current, stale, project-gone or unknown. */
  'images.slipway': method<SlipwayProject[]>()(z.tuple([])),
  /** Deletes an image Slipway built (the UI asks first); others are refused with NotSlipwayImage, used ones with ImageInUse. */
  'images.remove': method<void>()(z.tuple([imageId])),
  /** What the engine says about an image without reading its content: platform, size, history, configuration. */
  'images.inspect': method<ImageDetails>()(z.tuple([imageId])),
  /** Whether an image is here, else whether its registry would give it (the manifest only, as a pull would ask; at most 15 s). */
  'images.check': method<ImageAvailability>()(z.tuple([imageRef])),
  /** Starts indexing an image's layers (or answers from the cache); progress and the result arrive as events. */
  'layers.index': method<{ jobId: string }>()(z.tuple([imageRef, z.object({ refresh: z.boolean().optional() }).strict().optional()])),
  'layers.cancel': method<boolean>()(z.tuple([jobId])),
  /**
   * The cached index of an image id, packed (`shared/layers/packed.ts`: unpackLayerIndex), or null
   * when it has not been indexed. Crosses Electron IPC as a Uint8Array and the WebSocket as a binary frame.
   */
  'layers.get': method<PackedLayerIndex | null>()(z.tuple([imageId])),

  /** What would make a build of this project on this base fail late, said before it starts. */
  'build.preflight': method<PreflightFinding[]>()(
    z.tuple([path, z.object({ base: baseId.optional(), main: mainDir.optional(), builderImage: imageRef.optional() }).strict().optional()]),
  ),
  /**
   * Starts building a project on one base; steps, logs and exactly one build.done or build.failed
   * arrive as events for the caller's jobId. A build of the same project and base already running
   * is refused with BuildRunning (its detail names the running job).
   */
  'build.start': method<{ jobId: string }>()(
    z.tuple([
      z
        .object({
          jobId,
          dir: path,
          base: baseId.optional(),
          main: mainDir.optional(),
          buildkit: z.boolean().optional(),
          tag: imageRef.optional(),
          builderImage: imageRef.optional(),
          version: stampValue.optional(),
          commit: stampValue.optional(),
        })
        .strict(),
    ]),
  ),
  'build.cancel': method<boolean>()(z.tuple([jobId])),
  /** A running or recently finished build, for a front end that connects late. */
  'build.get': method<BuildSnapshot | null>()(z.tuple([jobId])),
  /** The builds running now. */
  'build.running': method<BuildSnapshot[]>()(z.tuple([])),
  /** The project's build history, newest first. */
  'build.history': method<BuildRecord[]>()(z.tuple([path])),

  /** Builds the project on several bases one after another and measures each image; rows arrive as compare.row events. */
  'compare.start': method<{ jobId: string }>()(
    z.tuple([z.object({ jobId, dir: path, bases: z.array(baseId).min(1).max(10).optional(), main: mainDir.optional() }).strict()]),
  ),
  'compare.cancel': method<boolean>()(z.tuple([jobId])),
  /** The last comparisons of a project, newest first. */
  'compare.history': method<CompareResult[]>()(z.tuple([path])),

  /**
   * Ports (a free host port proposed for each) and variables for running an image. `dir` is the
   * project to read suggestions from; unset, the image's org.slipway.project label is used.
   */
  'run.propose': method<RunProposal>()(z.tuple([imageRef, z.object({ dir: path.optional() }).strict().optional()])),
  /**
   * Creates and starts a container (ports published on 127.0.0.1 only); its logs stream as run.log,
   * its state as run.state. A host port in use is refused with PortInUse, naming a free one.
   */
  'run.start': method<RunningContainer>()(
    z.tuple([
      z
        .object({
          image: imageRef,
          ports: z.array(z.object({ host: port, container: port }).strict()).max(20).optional(),
          env: z.record(envName, z.string().max(32 * 1024)).optional(),
          args: z.array(z.string().max(4096)).max(100).optional(),
        })
        .strict(),
    ]),
  ),
  'run.stop': method<RunningContainer>()(z.tuple([containerId])),
  /** Removes a container Slipway started (running or not); the UI asks first. */
  'run.remove': method<void>()(z.tuple([containerId])),
  /** Containers Slipway started, newest first. */
  'run.list': method<RunningContainer[]>()(z.tuple([])),
  /** The last lines a container wrote, and from which run.log sequence number on the stream continues. */
  'run.logs': method<RunLogs>()(z.tuple([containerId])),

  /**
   * Brings the project's dev stack (the app + Postgres) up through the compose tool; stack.service
   * events follow each service and exactly one stack.done or stack.failed ends the caller's jobId.
   * `image` unset: the newest build of the project (built first when there is none). What started
   * is taken down again on failure (volumes kept) unless `keepOnFailure`.
   */
  'stack.up': method<{ jobId: string }>()(
    z.tuple([
      z
        .object({
          jobId,
          dir: path,
          image: imageRef.optional(),
          base: baseId.optional(),
          postgresImage: imageRef.optional(),
          hostPort: port.optional(),
          dbHostPort: port.optional(),
          /** The app's variables as edited from the proposal; the database variables and SLIPWAY_* cannot be set. */
          env: z.record(envName, z.string().max(32 * 1024)).optional(),
          /** SQL files from `StackProposal.initdb.files` to run in a new database; others are refused. */
          initdb: z.array(z.string().min(1).max(1024)).max(100).optional(),
          /** Run the project's own compose file as it is (never rewritten) instead of Slipway's stack. */
          useProjectCompose: z.boolean().optional(),
          projectComposeDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex').optional(),
          keepOnFailure: z.boolean().optional(),
        })
        .strict(),
    ]),
  ),
  /**
   * What `stack.up` would start, before it starts: the app image to use (or that it must build, or
   * rebuild because the newest build is older than the sources or its recipe changed), the Postgres
   * image (`postgresImage` unset: the setting, else postgres:16-alpine), free host ports (the ones
   * in use said), the database variables, the app's other variables with defaults, notices and the
   * compose YAML. Reads the project; starts and writes nothing.
   */
  'stack.propose': method<StackProposal>()(
    z.tuple([path, z.object({ base: baseId.optional(), postgresImage: imageRef.optional() }).strict().optional()]),
  ),
  /**
   * What Export to project would write (compose.yaml and .env.example, no password, no path of this
   * computer) with the project's current files for a diff; writes nothing (`project.writeFile` does, once confirmed).
   */
  'stack.export': method<StackExport>()(z.tuple([path])),
  /** Every Slipway stack on the engine (any folder), plus stacks defined in the data folder that have no containers now. */
  'stack.list': method<StackStatus[]>()(z.tuple([])),
  /** Restarts one service's container (as `docker compose restart SERVICE`); resolves with the stack's status. */
  'stack.restart': method<StackStatus>()(z.tuple([path, stackService])),
  /**
   * Follows every service's output, merged: stack.log events for the returned streamId (the last
   * `tail` lines of each container first, default 200), following containers that are recreated
   * or restarted, until stack.unfollow. At most 16 streams live at a time (the oldest is stopped),
   * so a page that went away without unfollowing cannot pile them up: unfollow on unmount.
   */
  'stack.follow': method<{ streamId: string }>()(
    z.tuple([path, z.object({ tail: z.number().int().min(0).max(10_000).optional() }).strict().optional()]),
  ),
  /** Stops a stack.follow stream; false when there was none. */
  'stack.unfollow': method<boolean>()(z.tuple([z.string().uuid()])),
  'stack.cancel': method<boolean>()(z.tuple([jobId])),
  /** Stops and removes the stack's containers; its volumes (the database) only with `removeVolumes: true`, after the UI asked. */
  'stack.down': method<StackStatus>()(z.tuple([path, z.object({ removeVolumes: z.boolean().optional() }).strict().optional()])),
  /** The stack's services and volumes as the engine has them (by compose's labels, so v1, v2 and by-hand runs look alike). */
  'stack.status': method<StackStatus>()(z.tuple([path])),
  /** The last lines a service's container wrote. */
  'stack.logs': method<{ service: string; lines: string[] }>()(
    z.tuple([path, stackService, z.object({ tail: z.number().int().min(1).max(10_000).optional() }).strict().optional()]),
  ),

  /** The bases Slipway can make from the machine's Debian mirror, each with whether the engine has it and the exact packages inside. */
  'bases.list': method<MadeBase[]>()(z.tuple([])),
  /**
   * Makes bases from Debian packages (no registry, no root): bases.progress events, then exactly one
   * bases.done or bases.failed for the caller's jobId. One make at a time (BaseMakeRunning).
   */
  'bases.make': method<{ jobId: string }>()(z.tuple([jobId, z.array(z.enum(MADE_BASE_IDS)).min(1).max(MADE_BASE_IDS.length)])),
  'bases.cancel': method<boolean>()(z.tuple([jobId])),
} as const

type Contract = typeof contract
export type Method = keyof Contract
/** Every method with its argument and result types, derived from `contract`. */
export type Methods = { [M in Method]: (...args: z.infer<Contract[M]['args']>) => Promise<Contract[M]['result']> }

/** Every event pushed to front ends, with its payload type. */
export type Events = {
  'engine.state': EngineState
  'engine.event': EngineEvent
  'layers.progress': LayersProgress
  /** `first`: what the explorer paints before the index itself arrives (an index made before it existed has none). */
  'layers.done': { jobId: string; image: string; imageId: string; cached: boolean; summary: LayerSummary; first?: IndexFirst }
  'layers.failed': { jobId: string; image: string; error: WireError; cancelled: boolean }
  /** A step was seen or changed (upsert by step id). */
  'build.step': { jobId: string; step: BuildStep }
  'build.log': BuildLogChunk
  'build.done': { jobId: string; record: BuildRecord }
  'build.failed': { jobId: string; error: WireError; cancelled: boolean; compileErrors: CompileError[]; record: BuildRecord | null }
  /** Which base the comparison is at; buildJobId's build events stream as for any build. */
  'compare.progress': { jobId: string; base: string; index: number; total: number; phase: 'building' | 'measuring'; buildJobId: string }
  'compare.row': { jobId: string; row: CompareRow }
  'compare.done': { jobId: string; result: CompareResult }
  'compare.failed': { jobId: string; error: WireError; cancelled: boolean }
  /** Lines a container wrote; `seq` numbers the first of them (see run.logs). */
  'run.log': { containerId: string; stream: 'stdout' | 'stderr'; lines: string[]; seq: number }
  'run.state': RunningContainer
  /** A service's state changed while a stack job waits for it. */
  'stack.service': { jobId: string; project: string; service: StackService }
  'stack.done': { jobId: string; status: StackStatus; notices: string[] }
  'stack.failed': { jobId: string; error: WireError; cancelled: boolean; status: StackStatus | null }
  /**
   * Where an up job is: `preparing` (analysis, ports), `building` the app image (its build.* events
   * stream under `buildJobId`), `pulling` a missing image (`service`, `detail`: the reference),
   * `starting` (compose up: containers created and started), `waiting` (for healthy). Per-service
   * state arrives as stack.service.
   */
  'stack.progress': { jobId: string; project: string; phase: 'preparing' | 'building' | 'pulling' | 'starting' | 'waiting'; service?: string; buildJobId?: string; detail?: string }
  /** Lines of a followed stack (stack.follow), tagged by service; seq numbers them within the stream. */
  'stack.log': StackLogChunk
  /** What a bases.make job is doing (per base and phase). */
  'bases.progress': BasesProgress
  /** `notices`: what the user should know (a signature not checked for lack of a keyring, a suite the mirror lacks). */
  'bases.done': { jobId: string; made: MadeResult[]; notices: string[] }
  'bases.failed': { jobId: string; error: WireError; cancelled: boolean }
}

export type EventName = keyof Events
export type Handlers = { [M in Method]: (...args: Parameters<Methods[M]>) => ReturnType<Methods[M]> | Awaited<ReturnType<Methods[M]>> }
/** How a service publishes an event to every connected front end. */
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void
