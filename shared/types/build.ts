// The build, compare and run model that every front end shows: the app's build view, the CLI's
// streamed steps and the history all read these shapes. Produced by electron/services/build.
import type { MakeOffer } from '../debian/stand-ins'
import type { WireError } from '../errors'

/** What a person asks to build: a project folder on one base. */
export interface BuildRequest {
  /** Named by the caller (a UUID) so no event can arrive for an id it does not know yet. */
  jobId: string
  dir: string
  /** A base id from the catalog (built-in or custom); unset: the recommended base. */
  base?: string
  /** The main package folder ("." or "cmd/api"); unset: the analysed one. */
  main?: string
  /** Use BuildKit when the engine has it (default); false forces the classic builder. */
  buildkit?: boolean
  /** Extra tag on top of Slipway's own two (`slipway/<project>:<base>` and `…:<base>-<commit>`). */
  tag?: string
  /** The builder image for this build instead of the one in Settings (or the one go.mod picks). */
  builderImage?: string
  /** VERSION and COMMIT build args instead of git's. */
  version?: string
  commit?: string
}

export type StepStatus = 'waiting' | 'running' | 'done' | 'cached' | 'error' | 'cancelled'

/** One step of a build: a BuildKit vertex, or one instruction of the classic builder. */
export interface BuildStep {
  /** The vertex digest (BuildKit) or `step-N` (classic). */
  id: string
  /** 1-based, in the order steps were first seen. */
  index: number
  /** As the builder names it, e.g. `[build 4/7] RUN go build …`. */
  name: string
  /** The stage (`build`, `final`, …) when the name says it; null for internal steps. */
  stage: string | null
  /** BuildKit's internal steps (load metadata, context transfer) are shown dimmed. */
  internal: boolean
  status: StepStatus
  cached: boolean
  /** Epoch ms; null until it starts or ends. */
  startedAt: number | null
  completedAt: number | null
  /** Bytes moved so far (context transfer, pulls, exports), and the total when known. */
  current: number
  total: number | null
  error: string | null
  /** How many log lines this step has written so far. */
  logLines: number
}

export type LogStream = 'stdout' | 'stderr'

/** Lines a step wrote (or the builder printed, stepId null), in order. */
export interface BuildLogChunk {
  jobId: string
  stepId: string | null
  stream: LogStream
  lines: string[]
}

/** A Go compiler error pulled out of the log, pointing into the project. */
export interface CompileError {
  /** Relative to the project root, forward slashes. */
  file: string
  line: number
  column: number | null
  message: string
}

/** The facts a finished build leaves in the history. */
export interface BuildRecord {
  jobId: string
  dir: string
  project: string
  base: string
  baseImage: string
  builderImage: string
  buildkit: boolean
  startedAt: number
  durationMs: number
  result: 'succeeded' | 'failed' | 'cancelled'
  /** Set when it succeeded. */
  imageId: string | null
  tags: string[]
  sizeBytes: number | null
  /** Steps that came from the cache / steps that ran or were cached (internal steps left out). */
  cachedSteps: number
  totalSteps: number
  version: string
  commit: string
  /** The Dockerfile the build used (it travelled in the context, never onto the disk). */
  dockerfile: string
  error: WireError | null
  compileErrors: CompileError[]
}

/** Checks made before a build starts; `blocking` ones stop it, the rest are warnings. */
export interface PreflightFinding {
  level: 'blocking' | 'warning'
  code: 'builder-missing' | 'base-missing' | 'builder-go-too-old' | 'context-large' | 'engine'
  message: string
  detail: string
  /** For context-large: the biggest paths, and a .dockerignore line that would leave them out. */
  biggest?: { path: string; bytes: number }[]
  ignoreLine?: string
  /** For builder-missing/base-missing when the image cannot be pulled: the base Slipway can make (or made) instead. */
  make?: MakeOffer
}

/** A build in progress or finished, as a front end that (re)connects late can ask for it. */
export interface BuildSnapshot {
  jobId: string
  dir: string
  base: string
  state: 'running' | 'succeeded' | 'failed' | 'cancelled'
  startedAt: number
  steps: BuildStep[]
  /** The last lines of the log (the full log streams as build.log events). */
  logTail: { stepId: string | null; stream: LogStream; line: string }[]
  record: BuildRecord | null
}

// ── Compare ──────────────────────────────────────────────────────────────────────────────────

export interface CompareRequest {
  jobId: string
  dir: string
  /** Base ids, built in this order; default scratch, distroless-static, alpine. */
  bases?: string[]
  main?: string
}

/** One base's row of the comparison, every number read from the built image. */
export interface CompareRow {
  base: string
  baseImage: string
  imageId: string
  tag: string
  /** Uncompressed size as `docker image inspect` reports it. */
  sizeBytes: number
  /** What a pull transfers: the sum of each layer's gzip size. */
  compressedBytes: number
  /** The Go binary's size in the image. */
  binaryBytes: number
  /** sizeBytes - binaryBytes. */
  overheadBytes: number
  layers: number
  hasShell: boolean
  hasCaBundle: boolean
  hasTzData: boolean
  packageManager: string | null
  /** The user the image runs as (`65532:65532`, `root` when unset). */
  user: string
  /** Container start until the port answers (a server) or the process exits (a CLI); null when it could not be measured. */
  coldStartMs: number | null
  coldStartNote: string | null
  /**
   * When the cold start was measured (epoch ms): earlier than the comparison when an unchanged
   * image's figure was kept; absent in comparisons saved before it was recorded.
   */
  coldStartMeasuredAt?: number | null
  /** The row is measured but its cold start is timed later, once every build is done. */
  coldStartPending: boolean
  verdict: string
}

export interface CompareResult {
  jobId: string
  dir: string
  project: string
  finishedAt: number
  rows: CompareRow[]
  /** Bases that failed to build, with why. */
  failures: { base: string; error: WireError }[]
}

// ── Run ──────────────────────────────────────────────────────────────────────────────────────

export interface PortMapping {
  host: number
  container: number
}

export interface RunRequest {
  image: string
  ports?: PortMapping[]
  env?: Record<string, string>
  args?: string[]
}

/** A port Slipway proposes to publish, with where it learnt of it. */
export interface ProposedPort extends PortMapping {
  /** The same number as the container port is taken on this computer, so `host` is another, free one. */
  hostTaken: boolean
  /** The image declares it (EXPOSE). */
  exposed: boolean
  /** The project's code listens on it by default. */
  detected: boolean
}

/** A variable the analysis found, pre-filled with the code's default when it has one. */
export interface ProposedEnv {
  name: string
  value: string
  /** A name that usually holds a password, token, key or connection string: shown masked. */
  secret: boolean
  /** Where the code reads it (`main.go:38`), when known. */
  evidence?: string
  /** The program stops without it, or listens where only it says (and the image does not set it): the form asks for a value. */
  required?: boolean
}

/** What Slipway proposes before running an image: its ports (a free host port for each) and variables. */
export interface RunProposal {
  image: string
  /** The project folder the suggestions were read from (the request's, or the image's org.slipway.project label). */
  dir: string | null
  ports: ProposedPort[]
  env: ProposedEnv[]
  /** Flags the program stops without (`token` for `--token`): the form asks for them in the arguments. */
  requiredFlags?: string[]
  /** Things a person should know before starting it (e.g. the program listens on loopback only). */
  notices: string[]
}

export interface RunningContainer {
  id: string
  name: string
  image: string
  /** `removed`: sent once, as the last run.state of a container. */
  state: 'running' | 'exited' | 'created' | 'removed' | 'other'
  exitCode: number | null
  /** The engine's own error for a container that could not run (e.g. an executable that is missing). */
  error: string | null
  ports: PortMapping[]
  /** `http://localhost:PORT` for each published port. */
  urls: string[]
  startedAt: number | null
  finishedAt: number | null
  /** The project folder the image was built from (its org.slipway.project label), when known. */
  project: string | null
}

/** One line a container wrote. */
export interface RunLogLine {
  stream: 'stdout' | 'stderr'
  line: string
}

/** The lines kept for a container (the last ones), and the sequence number the next run.log line will carry. */
export interface RunLogs {
  containerId: string
  lines: RunLogLine[]
  /** run.log events whose `seq` is below this are already in `lines`. */
  next: number
}
