/**
 * What Slipway learns about a Go project folder. Produced by electron/services/go-project
 * (reading files) with pure parsers from shared/go; consumed by the Dockerfile recipes
 * (shared/dockerfile) and the project page. Every finding carries its evidence.
 */

/** Where a finding comes from: a path relative to the project root (forward slashes) and a 1-based line. */
export interface Evidence {
  file: string
  line: number
  /** The source line, trimmed, for display. */
  text?: string
}

export interface GoRequire {
  path: string
  version: string
  indirect: boolean
}

export interface GoReplace {
  from: string
  fromVersion?: string
  /** A module path, or a file path for a local replacement. */
  to: string
  toVersion?: string
  /** `to` is a directory (starts with ./, ../ or /). */
  local: boolean
  /** A local replacement that points outside the project folder, so outside the build context. */
  outsideContext: boolean
  evidence: Evidence
}

export interface GoModule {
  path: string
  /** The `go` directive, e.g. "1.23" or "1.22.3"; null when absent. */
  goVersion: string | null
  /** The `toolchain` directive, e.g. "go1.23.4"; null when absent. */
  toolchain: string | null
  requires: GoRequire[]
  replaces: GoReplace[]
  evidence: Evidence
}

/** How a `-X main.NAME=…` stamp would fare for this variable. */
export type StampVar =
  /** `var version = "dev"` / `var version string`: a plain package-level string variable, safe to stamp. */
  | { kind: 'string'; evidence: Evidence }
  /** Declared but not a plain string variable (a const, `flag.String(…)`, another type): -X would fail or do nothing. */
  | { kind: 'unsuitable'; reason: string; evidence: Evidence }
  | { kind: 'missing' }

export interface MainPackage {
  /** Directory relative to the root, "." for the root itself. */
  dir: string
  /** Folder of the module it belongs to, relative to the root, when that is not the root. */
  module?: string
  /** Suggested binary name: the directory's base name, or the module's last path element for ".". */
  binary: string
  files: string[]
  version: StampVar
  commit: StampVar
}

export interface ListenFinding {
  /** Port the program listens on by default, when it can be told. */
  port: number | null
  /** The default host part: "" (all interfaces), "localhost", "127.0.0.1", "0.0.0.0", … */
  host: string
  /** True when the default binds to loopback only: unreachable from outside a container. */
  loopbackOnly: boolean
  /** How the address can be changed at run time, so the image can set a container-friendly default. */
  via: { kind: 'flag'; name: string } | { kind: 'env'; name: string } | { kind: 'literal' }
  /** Other flags and variables that also set it (a flag default that an env variable overrides), when there are any. */
  alsoVia?: ({ kind: 'flag'; name: string } | { kind: 'env'; name: string })[]
  evidence: Evidence
}

export interface RuntimeFile {
  /** Path as written in the source, relative to the working directory. */
  path: string
  /** Whether it exists in the project folder (so it can be copied into the image). */
  exists: boolean
  /** `required` when the program exits without it (e.g. log.Fatal on the open error). */
  required: boolean
  evidence: Evidence
}

export interface EnvRead {
  name: string
  /** A default value the code falls back to, when one is visible. */
  fallback?: string
  /** The program stops without it (a check that exits, a library's required mark), or listens on a port only it names. */
  required?: true
  evidence: Evidence[]
}

/** A flag the program stops without (checked for "" before an exit, urfave/cli `Required`, cobra `MarkFlagRequired`). */
export interface RequiredFlag {
  name: string
  evidence: Evidence
}

/** What the chosen main package (and the module's own packages it imports) needs at run time. */
export interface RuntimeNeeds {
  /** `import "C"` or a well-known cgo dependency: CGO_ENABLED=0 would fail or change behaviour. */
  cgo: Evidence[]
  /** Outbound TLS (net/http clients, crypto/tls, …): the image needs a CA bundle. */
  caCerts: Evidence[]
  /** time.LoadLocation and friends: the image needs tz data (or `-tags timetzdata`). */
  tzdata: Evidence[]
  /** The code already imports time/tzdata, so it carries its own. */
  embedsTzdata: boolean
  /** `//go:embed` directives: compiled in, nothing to copy. */
  embeds: Evidence[]
  runtimeFiles: RuntimeFile[]
  listen: ListenFinding[]
  env: EnvRead[]
  /** Positional arguments or flags without defaults that the program needs to start. */
  requiredArgs: Evidence[]
  /** The flags among them, by name. */
  requiredFlags: RequiredFlag[]
}

export interface VendorState {
  present: boolean
  /** vendor/modules.txt lists exactly the module's requires (explicitly marked), so `-mod=vendor` works. */
  consistent: boolean
  problems: string[]
}

export interface GitState {
  /** `git describe --tags --always --dirty` style tag, when there is one. */
  tag: string | null
  commit: string
  dirty: boolean
}

export type Severity = 'info' | 'warning' | 'error'

/** Something the user should know, in words they can act on. */
export interface Notice {
  code: string
  severity: Severity
  message: string
  detail?: string
  evidence?: Evidence[]
}

export interface ProjectAnalysis {
  /** Absolute path of the folder. */
  root: string
  /** Display name: the module's last path element, or the folder name. */
  name: string
  /** The chosen main's module (its go.mod); null: no go.mod (a GOPATH-style program), built with a generated module. */
  module: GoModule | null
  /** Folder of that module relative to the root, when it is not the root (a nested module, a workspace module); absent: ".". */
  moduleDir?: string
  hasGoSum: boolean
  goWork: Evidence | null
  /** How the go.work is built (absent without one): 'workspace' keeps it (every `use` is inside the folder), 'off' sets GOWORK=off. */
  workspace?: 'workspace' | 'off'
  vendor: VendorState
  mains: MainPackage[]
  /** `dir` of the main package the needs were computed for. */
  selectedMain: string | null
  needs: RuntimeNeeds
  git: GitState | null
  /** An existing Dockerfile / .dockerignore in the root, for diffs. */
  existing: { dockerfile: string | null; dockerignore: string | null }
  notices: Notice[]
  stats: { files: number; goFiles: number; durationMs: number }
}
