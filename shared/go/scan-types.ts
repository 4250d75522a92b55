/**
 * What the Go scanner (go-source.ts) reports about one file, and the values it can tell without
 * running the program: the shapes needs.ts resolves across files.
 */
import type { Evidence, StampVar } from '../types/project'
import type { ConfigLib, GoStructField } from './config-libs'

/**
 * A value as far as the scanner can tell without running the program. `ref`s (to variables and
 * fields) and `call`s (to functions it does not know) are resolved later, across files, in needs.ts.
 */
export type GoValue =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  /** The value of a command-line flag: its default unless the user passes `-name`. */
  | { k: 'flag'; name: string; def: GoValue }
  /** An environment variable; `fallback` is what the code uses when it is empty or unset. */
  | { k: 'env'; name: string; fallback?: GoValue; line: number }
  /** A variable or field (`addr`, `cfg.Addr`; `*addr` is the same ref). */
  | { k: 'ref'; name: string; line: number }
  | { k: 'cat'; parts: GoValue[] }
  | { k: 'fmt'; format: string; args: GoValue[] }
  /** `cmp.Or(a, b, …)`: the first non-empty part. */
  | { k: 'or'; parts: GoValue[] }
  /** A call the scanner does not know; `pkg` is the import path, or null for a local function or method. */
  | { k: 'call'; pkg: string | null; name: string; args: GoValue[]; line: number }
  /** `viper.GetString("server.port")`: resolved against the program's viper calls in needs.ts. */
  | { k: 'cfgkey'; key: string; line: number }
  /** A flag read by name (`c.String("port")` in urfave/cli, `cmd.Flags().GetInt("port")` in cobra): resolved against the declared flags. */
  | { k: 'flagref'; name: string; line: number }
  /** A package-level name of another package (`config.DefaultAddr`, `pkg` its import path, not the standard library): resolved when the package is the module's own. */
  | { k: 'pkgref'; pkg: string; name: string; line: number }
  | { k: 'unknown' }

/** One import spec. */
export interface GoImport {
  path: string
  /** The explicit name (`foo "x/y"`, `_`, `.`), or null. */
  name: string | null
  evidence: Evidence
}

/** An assignment or declaration `name = value` (package-level or inside a function). */
export interface GoDef {
  name: string
  value: GoValue
  line: number
  topLevel: boolean
}

/** `os.Getenv("NAME")` / `os.LookupEnv("NAME")`, with the fallback the code uses when one is visible. */
export interface GoEnvRead {
  name: string
  fallback?: GoValue
  evidence: Evidence
}

/** A local function that wraps os.Getenv: `func getenv(key, fallback string) string`. */
export interface GoEnvHelper {
  name: string
  keyIndex: number
  fallbackIndex: number | null
  evidence: Evidence
}

/** A call whose first argument looks like an environment variable name, e.g. `envOr("PORT", "8080")`. */
export interface GoCall {
  pkg: string | null
  name: string
  args: GoValue[]
  evidence: Evidence
}

/** A command-line flag declared with the flag (or pflag) package. */
export interface GoFlag {
  name: string
  /** `string`, `int`, `bool`, `duration`, … */
  kind: string
  def: GoValue
  /** Variables that set it when the flag is not given (urfave/cli's EnvVars), in the order they are tried. */
  env?: string[]
  /** The program stops without it (urfave/cli `Required: true`). */
  required?: boolean
  evidence: Evidence
}

/** A struct type declared at package level. */
export interface GoStruct {
  name: string
  fields: GoStructField[]
}

/** A variable declared with a type and no value (`var cfg Config`), or from a composite literal (`cfg := Config{…}`). */
export interface GoVarType {
  name: string
  /** The type's name without its package (`Config`), or `struct` for an inline one. */
  type: string
  /** The import path of a qualified type (`config.Config`), else null. */
  typePkg: string | null
  fields: GoStructField[] | null
  line: number
  topLevel: boolean
}

/** A struct handed to a configuration library: `envconfig.Process("app", &cfg)`, `env.Parse(&cfg)`, `conf.Parse("SALES", &cfg)`. */
export interface GoConfigBind {
  lib: ConfigLib
  /** The variable or field that is filled (`cfg`, `s.cfg`). */
  target: string
  /** Its type as far as this file tells (from its declaration, or `env.ParseAs[T]`). */
  type: string | null
  typePkg: string | null
  fields: GoStructField[] | null
  prefix: GoValue
  /** caarlos0/env `Options{RequiredIfNoDef: true}`. */
  requiredIfNoDef: boolean
  evidence: Evidence
}

/** A call that sets up viper (global or an instance): what needs.ts needs to name the variables a key is read from. */
export interface GoViperOp {
  op: 'default' | 'prefix' | 'automatic' | 'bind' | 'replacer' | 'get' | 'pflag'
  key: string | null
  value: GoValue | null
  /** BindEnv's variable names; SetEnvKeyReplacer's pairs, flattened. */
  names: string[]
  evidence: Evidence
}

/** A place the program starts listening, with the address expression it uses. */
export interface GoListen {
  addr: GoValue
  /** What set it up: `http.ListenAndServe`, `net.Listen`, `http.Server{Addr}`, `gin Run`, … */
  how: string
  evidence: Evidence
}

/** A file or folder opened at run time by a path the scanner can evaluate. */
export interface GoFileUse {
  path: GoValue
  kind: 'file' | 'glob' | 'dir'
  /** The program stops when it is missing (log.Fatal, panic, os.Exit, returning the error, template.Must). */
  required: boolean
  how: string
  evidence: Evidence
}

/** A reason for a need (CA certificates, cgo), with where it was seen. */
export interface GoHint {
  reason: string
  evidence: Evidence
}

/** A use of time zones. */
export interface GoTzUse {
  /** `load`: time.LoadLocation with a zone name (needs tz data); `data`: LoadLocationFromTZData (brings its own); `local`: time.Local. */
  kind: 'load' | 'data' | 'local'
  evidence: Evidence
}

/** Everything found in one file. Lists are in source order. */
export interface GoFileScan {
  file: string
  packageName: string | null
  packageLine: number | null
  /** Built for linux (amd64/arm64) with cgo off: build constraints and `_GOOS` file names allow it. */
  buildable: boolean
  /** The `//go:build` line (or the first `// +build` line), when there is one. */
  constraint: Evidence | null
  imports: GoImport[]
  /** `header`: only the package clause and imports were scanned; `decls`: also package-level var/const (function bodies skipped). */
  scope: 'header' | 'decls' | 'full'
  /** The import block ended before the input did (false: the text may have been cut short mid-header). */
  headerComplete: boolean
  /** `import "C"`. */
  cgo: Evidence | null
  /** Imports of well-known packages that need cgo. */
  cgoDeps: GoHint[]
  /** `func main()` (package main only). */
  hasMain: boolean
  embeds: { patterns: string[]; evidence: Evidence }[]
  /** Package-level `version` / `commit` declarations, judged for `-X` stamping. */
  stamps: { version?: StampVar; commit?: StampVar }
  defs: GoDef[]
  envReads: GoEnvRead[]
  envHelpers: GoEnvHelper[]
  calls: GoCall[]
  flags: GoFlag[]
  listens: GoListen[]
  fileUses: GoFileUse[]
  tls: GoHint[]
  tz: GoTzUse[]
  /** Checks that stop the program without arguments or a flag: `if flag.NArg() < 1 { os.Exit(2) }`. */
  requiredArgs: Evidence[]
  /** `if NAME == "" { log.Fatal(…) }` on a variable or field (resolved to flags and variables in needs.ts), or `value` for a read itself (`os.Getenv("NAME") == ""`, `viper.GetString("token") == ""`). */
  requiredChecks: { name: string; value?: GoValue; evidence: Evidence }[]
  /** cobra's `MarkFlagRequired("name")`. */
  requiredFlags: { name: string; evidence: Evidence }[]
  structs: GoStruct[]
  varTypes: GoVarType[]
  configBinds: GoConfigBind[]
  viper: GoViperOp[]
  /** String literals that look like a listen address (`:8080`, `127.0.0.1:8080`). */
  addressLiterals: { value: string; evidence: Evidence }[]
  /** The file contains NUL bytes: the Go compiler refuses it. */
  binary: boolean
  /** Characters that are not Go at all. */
  illegal: number
}

/** How much of a file scanGoFile reads (everything by default). */
export interface ScanOptions {
  /** Stop after the import block (enough to find packages, imports and build constraints). */
  headerOnly?: boolean
  /** Only package-level declarations (defs and version/commit), skipping function bodies unread: for files whose bodies hold nothing of interest. */
  declsOnly?: boolean
}
