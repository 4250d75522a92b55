/**
 * Combines per-file scans into what Slipway needs to know: the main packages, the module's own
 * packages a main imports (transitively), and from those the run-time needs — listen address,
 * environment, files, certificates, tz data, cgo — with the `-X` verdict for version/commit.
 * Values are resolved across files (a flag declared in one file, the address built in another).
 */
import type { EnvRead, Evidence, ListenFinding, MainPackage, Notice, RequiredFlag, RuntimeFile, RuntimeNeeds, StampVar } from '../types/project'
import { configVars, viperEnvName, type ConfigVar, type GoStructField, type ViperState } from './config-libs'
import { globToRegExp } from '../glob'
import type { GoDef, GoFileScan, GoFlag, GoValue } from './scan-types'

/** Buildable, non-test files of one package directory ("." for the root). */
export type Packages = ReadonlyMap<string, readonly GoFileScan[]>

/** What computeNeeds works from: the scanned packages and a view of the folder's files. */
export interface NeedsInput {
  modulePath: string | null
  /**
   * The other modules of a kept workspace, whose packages the main may import: their package
   * folders are keys of `packages` relative to the main's module folder (`../lib/x`).
   */
  workspaceModules?: readonly WorkspaceModule[]
  mainDir: string
  /**
   * Every package directory. Files of the closure of `mainDir` that can hold findings must be
   * fully scanned (scope 'full'), and the rest of their packages at least for declarations
   * ('decls'); header-only scans count as having no findings (see scanLevel). The map must not
   * change between calls: closures are memoized per map.
   */
  packages: Packages
  /** Whether a file or folder (path relative to the root, forward slashes) exists in the project. */
  exists: (path: string) => boolean
  /** Whether a `path.Match`-style pattern (relative to the root) matches any file or folder. */
  globMatches: (pattern: string) => boolean
}

/** The import path of a package directory, or null without a module path. */
export function importPathOf(modulePath: string | null, dir: string): string | null {
  if (modulePath === null) return null
  return dir === '.' ? modulePath : `${modulePath}/${dir}`
}

/** Another module of a kept workspace: its module path, and its folder relative to the chosen main's module folder. */
export interface WorkspaceModule {
  path: string
  dir: string
}

/**
 * The package directory an import path names when it lies inside the module (or, in a kept
 * workspace, inside one of its other modules: the folder relative to the module's, `../lib/x`),
 * else null. The longest module path wins, as in the go command (`a/b` may be a module inside `a`).
 */
export function dirOfImport(modulePath: string | null, importPath: string, others: readonly WorkspaceModule[] = []): string | null {
  let best: { path: string; dir: string } | null = null
  for (const m of modulePath === null ? others : [{ path: modulePath, dir: '.' }, ...others]) {
    if ((importPath === m.path || importPath.startsWith(`${m.path}/`)) && (best === null || m.path.length > best.path.length)) best = m
  }
  if (best === null) return null
  const sub = importPath.slice(best.path.length + 1)
  return best.dir === '.' ? sub || '.' : sub ? `${best.dir}/${sub}` : best.dir
}

const closures = new WeakMap<Packages, Map<string, string[]>>()

/**
 * `mainDir` plus every package of the module it imports, directly or not (sorted, mainDir first).
 * Memoized per packages map (imports do not change when a header scan is replaced by a full one).
 */
export function packageClosure(mainDir: string, modulePath: string | null, packages: Packages, others: readonly WorkspaceModule[] = []): string[] {
  let memo = closures.get(packages)
  if (!memo) closures.set(packages, (memo = new Map()))
  const key = `${modulePath ?? ''}\u0000${mainDir}\u0000${others.map((m) => `${m.path}=${m.dir}`).join(',')}`
  const known = memo.get(key)
  if (known) return known
  const result = computeClosure(mainDir, modulePath, packages, others)
  memo.set(key, result)
  return result
}

function computeClosure(mainDir: string, modulePath: string | null, packages: Packages, others: readonly WorkspaceModule[]): string[] {
  const seen = new Set<string>([mainDir])
  const queue = [mainDir]
  if (modulePath === null) return queue
  const prefix = `${modulePath}/`
  for (let q = 0, dir = queue[0]; dir !== undefined; dir = queue[++q]) {
    for (const f of packages.get(dir) ?? []) {
      for (const imp of f.imports) {
        const p = imp.path
        const d = others.length > 0 ? dirOfImport(modulePath, p, others) : p === modulePath ? '.' : p.startsWith(prefix) ? p.slice(prefix.length) : null
        if (d !== null && !seen.has(d) && packages.has(d)) {
          seen.add(d)
          queue.push(d)
        }
      }
    }
  }
  const rest = [...seen].filter((d) => d !== mainDir).sort()
  return [mainDir, ...rest]
}

/**
 * The import paths whose package-level names the closure's findings depend on (`config.DefaultAddr`,
 * `config.Addr()` feeding a listen address, an env fallback or a file path, through the package's
 * own variables): those packages need their declarations scanned for the values to resolve. Values
 * nothing reads (`var _ = other.F`) do not count.
 */
export function referencedImports(dirs: readonly string[], packages: Packages, modulePath: string | null, others: readonly WorkspaceModule[] = []): Set<string> {
  const out = new Set<string>()
  const defsOf = new Map<string, Map<string, GoValue[]>>()
  const defs = (dir: string) => {
    let m = defsOf.get(dir)
    if (!m) {
      defsOf.set(dir, (m = new Map()))
      for (const f of packages.get(dir) ?? []) for (const d of f.defs) m.set(d.name, [...(m.get(d.name) ?? []), d.value])
    }
    return m
  }
  const seen = new Set<string>()
  const follow = (dir: string | null, name: string, depth: number) => {
    const key = `${dir}\u0000${name}`
    if (dir === null || seen.has(key)) return
    seen.add(key)
    for (const d of defs(dir).get(name) ?? []) visit(d, dir, depth + 1)
  }
  const visit = (v: GoValue | undefined, dir: string, depth: number): void => {
    if (!v || depth > 16) return
    if (v.k === 'pkgref') {
      out.add(v.pkg)
      follow(dirOfImport(modulePath, v.pkg, others), v.name, depth)
    } else if (v.k === 'ref') follow(dir, v.name, depth)
    else if (v.k === 'call') {
      if (v.args.length === 0) {
        if (v.pkg !== null) out.add(v.pkg)
        follow(v.pkg === null ? dir : dirOfImport(modulePath, v.pkg, others), `${v.name}()`, depth)
      }
      for (const a of v.args) visit(a, dir, depth + 1)
    } else if (v.k === 'cat' || v.k === 'or') for (const p of v.parts) visit(p, dir, depth + 1)
    else if (v.k === 'fmt') for (const a of v.args) visit(a, dir, depth + 1)
    else if (v.k === 'flag') visit(v.def, dir, depth + 1)
    else if (v.k === 'env') visit(v.fallback, dir, depth + 1)
  }
  for (const dir of dirs)
    for (const f of packages.get(dir) ?? []) {
      if (f.scope === 'header') continue
      for (const l of f.listens) visit(l.addr, dir, 0)
      for (const r of f.envReads) visit(r.fallback, dir, 0)
      for (const u of f.fileUses) visit(u.path, dir, 0)
    }
  return out
}

/** The binary name for a main package: its folder's name, or the module's last element (without /vN) for the root; characters other than letters, digits, `.`, `_`, `-` become `-`. */
export function binaryName(dir: string, modulePath: string | null, folderName: string): string {
  if (dir !== '.') return sanitizeName(dir.slice(dir.lastIndexOf('/') + 1)) || 'app'
  if (modulePath) {
    const parts = modulePath.split('/').filter(Boolean)
    let last = parts[parts.length - 1] ?? folderName
    if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? last
    return sanitizeName(last) || sanitizeName(folderName) || 'app'
  }
  return sanitizeName(folderName) || 'app'
}

function sanitizeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[-.]+/, '')
}

/** Every main package (a `package main` with `func main()`), root first, then by folder. */
export function findMains(packages: Packages, modulePath: string | null, folderName: string): MainPackage[] {
  const mains: MainPackage[] = []
  for (const [dir, files] of packages) {
    const mainFiles = files.filter((f) => f.packageName === 'main')
    if (!mainFiles.some((f) => f.hasMain)) continue
    const sorted = [...mainFiles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    mains.push({
      dir,
      binary: binaryName(dir, modulePath, folderName),
      files: sorted.map((f) => f.file),
      version: stampOf(sorted, 'version'),
      commit: stampOf(sorted, 'commit'),
    })
  }
  return mains.sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))
}

function stampOf(files: readonly GoFileScan[], name: 'version' | 'commit'): StampVar {
  for (const f of files) {
    const s = f.stamps[name]
    if (s) return s
  }
  return { kind: 'missing' }
}

/** The main analysed when the user has not picked one: the root, else cmd/<module name>, else the first. */
export function defaultMain(mains: readonly MainPackage[], modulePath: string | null): MainPackage | null {
  const root = mains.find((m) => m.dir === '.')
  if (root) return root
  const name = modulePath ? binaryName('.', modulePath, '') : ''
  return mains.find((m) => m.dir === `cmd/${name}`) ?? mains[0] ?? null
}

/** A resolved value: its default as a string (null when it cannot be told) and the env vars and flags that can change it. */
interface Resolved {
  value: string | null
  env: string[]
  flags: string[]
}

const NOTHING: Resolved = { value: null, env: [], flags: [] }
const MAX_RESOLVE = 16
const HOLE = '\u0000'

type DefEntry = { def: GoDef; file: GoFileScan; dir: string; config?: true }

/** A variable a configuration library reads for a struct the program hands it, with where that happens. */
interface BoundVar extends ConfigVar {
  file: GoFileScan
  dir: string
}

class Resolver {
  private readonly byName = new Map<string, DefEntry[]>()
  private readonly helpers = new Map<string, { keyIndex: number; fallbackIndex: number | null }>()
  private readonly flags = new Map<string, { flag: GoFlag; file: GoFileScan; dir: string }>()
  private readonly structs = new Map<string, GoStructField[]>()
  readonly viper: ViperState = { prefix: '', automatic: false, binds: new Map(), replacer: [] }
  private readonly viperDefaults = new Map<string, { value: GoValue; file: GoFileScan; dir: string }>()
  /** Keys bound to a flag with BindPFlag: key → flag name. */
  private readonly viperFlags = new Map<string, string>()
  /** Every variable a configuration struct reads (envconfig, caarlos0/env, ardanlabs/conf). */
  readonly configVars: BoundVar[] = []

  constructor(
    private readonly modulePath: string | null,
    private readonly closure: readonly { dir: string; files: readonly GoFileScan[] }[],
    private readonly others: readonly WorkspaceModule[] = [],
  ) {
    for (const { dir, files } of closure) {
      for (const file of files) {
        for (const def of file.defs) this.addDef({ def, file, dir })
        for (const h of file.envHelpers) this.helpers.set(`${dir}|${h.name}`, { keyIndex: h.keyIndex, fallbackIndex: h.fallbackIndex })
        for (const flag of file.flags) if (!this.flags.has(flag.name)) this.flags.set(flag.name, { flag, file, dir })
        for (const st of file.structs) this.structs.set(`${dir}|${st.name}`, st.fields)
      }
    }
    for (const { dir, files } of closure) {
      for (const file of files) {
        for (const op of file.viper) {
          if (op.op === 'default' && op.key !== null && op.value) this.viperDefaults.set(op.key, { value: op.value, file, dir })
          else if (op.op === 'prefix' && op.value) this.viper.prefix = this.resolve(op.value, file, dir).value ?? this.viper.prefix
          else if (op.op === 'automatic') this.viper.automatic = true
          else if (op.op === 'bind' && op.key !== null) this.viper.binds.set(op.key, op.names)
          else if (op.op === 'pflag' && op.key !== null && op.names[0] !== undefined) this.viperFlags.set(op.key, op.names[0])
          else if (op.op === 'replacer') for (let i = 0; i + 1 < op.names.length; i += 2) this.viper.replacer.push([op.names[i] ?? '', op.names[i + 1] ?? ''])
        }
        for (const bind of file.configBinds) this.bindConfig(bind, file, dir)
      }
    }
  }

  private addDef(entry: DefEntry) {
    const list = this.byName.get(entry.def.name)
    if (list) list.push(entry)
    else this.byName.set(entry.def.name, [entry])
  }

  /** The fields of a named struct type of the module, as seen from package `dir` (`Config`, or `pkg` imported under its path). */
  private structOf(type: string, typePkg: string | null, dir: string): GoStructField[] | null {
    const home = typePkg === null ? dir : dirOfImport(this.modulePath, typePkg, this.others)
    return home === null ? null : (this.structs.get(`${home}|${type}`) ?? null)
  }

  /** A struct handed to a configuration library: a definition (env read with its default) for each field it fills. */
  private bindConfig(bind: GoFileScan['configBinds'][number], file: GoFileScan, dir: string) {
    let fields = bind.fields
    let typePkg = bind.typePkg
    if (!fields) {
      let type = bind.type
      if (type === null) {
        // Declared at package level in another file: `var cfg Config`.
        for (const f of this.files(dir)) {
          const vt = f.varTypes.find((v) => v.topLevel && v.name === bind.target)
          if (vt) {
            type = vt.type
            typePkg = vt.typePkg
            fields = vt.fields
            break
          }
        }
      }
      if (!fields && type !== null) fields = this.structOf(type, typePkg, dir)
    }
    if (!fields) return
    // Types named inside the struct live in the struct's own package.
    const home = typePkg === null ? dir : (dirOfImport(this.modulePath, typePkg, this.others) ?? dir)
    const lookup = (t: string) => {
      const dot = t.indexOf('.')
      if (dot < 0) return this.structOf(t, null, home)
      const pkg = file.imports.find((i) => (i.name ?? i.path.slice(i.path.lastIndexOf('/') + 1)) === t.slice(0, dot))
      return pkg ? this.structOf(t.slice(dot + 1), pkg.path, home) : null
    }
    const prefix = this.resolve(bind.prefix, file, dir).value ?? ''
    for (const v of configVars(bind.lib, fields, { prefix, requiredIfNoDef: bind.requiredIfNoDef }, lookup)) {
      this.configVars.push({ ...v, file, dir })
      let value: GoValue = v.def === null ? { k: 'unknown' } : { k: 'str', v: v.def }
      for (const name of [...v.env].reverse()) value = v.def === null && value.k === 'unknown' ? { k: 'env', name, line: bind.evidence.line } : { k: 'env', name, fallback: value, line: bind.evidence.line }
      this.addDef({ def: { name: `${bind.target}.${v.path.join('.')}`, value, line: bind.evidence.line, topLevel: true }, file, dir, config: true })
    }
  }

  private files(dir: string): readonly GoFileScan[] {
    return this.closure.find((p) => p.dir === dir)?.files ?? []
  }

  /** The variable viper reads for `key`, and the default it falls back to. */
  viperKey(key: string): { env: string | null; def: { value: GoValue; file: GoFileScan; dir: string } | undefined } {
    return { env: viperEnvName(this.viper, key), def: this.viperDefaults.get(key) }
  }

  /** A declared flag by name (urfave/cli, cobra/pflag, flag). */
  flag(name: string) {
    return this.flags.get(name)
  }

  /** An env helper call (`getenv("PORT", "8080")`), known by its declaration or, failing that, by its name. */
  helperFor(pkg: string | null, name: string, dir: string): { keyIndex: number; fallbackIndex: number | null } | null {
    const home = pkg === null ? dir : dirOfImport(this.modulePath, pkg, this.others)
    const declared = home === null ? undefined : this.helpers.get(`${home}|${name}`)
    if (declared) return declared
    if (pkg !== null && home === null) {
      // A function from another module: trust a name that says env (envy.Get, env.GetOr, os-like Getenv helpers).
      const full = `${pkg.slice(pkg.lastIndexOf('/') + 1)}.${name}`
      return /env/i.test(full) && !/set|unset|clear/i.test(name) ? { keyIndex: 0, fallbackIndex: 1 } : null
    }
    return /env/i.test(name) && !/set|unset|clear/i.test(name) ? { keyIndex: 0, fallbackIndex: 1 } : null
  }

  /** Resolves a value as seen from `file` (in package `dir`); `mark` replaces env/flag defaults with HOLE. */
  resolve(v: GoValue, file: GoFileScan, dir: string, depth = 0, mark = false): Resolved {
    if (depth > MAX_RESOLVE) return NOTHING
    const next = (x: GoValue, f = file, d = dir) => this.resolve(x, f, d, depth + 1, mark)
    switch (v.k) {
      case 'str':
        return { value: v.v, env: [], flags: [] }
      case 'num':
        return { value: String(v.v), env: [], flags: [] }
      case 'flag': {
        const r = next(v.def)
        return { value: mark ? HOLE : r.value, env: r.env, flags: [v.name, ...r.flags] }
      }
      case 'env': {
        const r = v.fallback ? next(v.fallback) : { value: '', env: [], flags: [] }
        return { value: mark ? HOLE : r.value, env: [v.name, ...r.env], flags: r.flags }
      }
      case 'ref': {
        const hit = this.lookup(v.name, v.line, file, dir)
        return hit ? this.resolve(hit.def.value, hit.file, hit.dir, depth + 1, mark) : NOTHING
      }
      case 'cat': {
        const parts = v.parts.map((p) => next(p))
        return combine(parts, parts.every((p) => p.value !== null) ? parts.map((p) => p.value).join('') : null)
      }
      case 'fmt': {
        const args = v.args.map((a) => next(a))
        return combine(args, sprintf(v.format, args.map((a) => a.value)))
      }
      case 'or': {
        const parts: Resolved[] = []
        for (const p of v.parts) {
          const r = next(p)
          parts.push(r)
          if (r.value !== '' && r.value !== HOLE) break
        }
        const chosen = parts[parts.length - 1]
        return combine(parts, mark && parts.some((p) => p.value === HOLE) ? HOLE : (chosen?.value ?? null))
      }
      case 'call': {
        const h = this.helperFor(v.pkg, v.name, dir)
        const key = h ? v.args[h.keyIndex] : undefined
        if (!h || !key || key.k !== 'str') {
          // A function of the module whose body returns one value (`func Addr() string { return ":8080" }`).
          const fn = v.args.length === 0 ? this.packageDef(v.pkg, `${v.name}()`, dir) : undefined
          return fn ? this.resolve(fn.def.value, fn.file, fn.dir, depth + 1, mark) : NOTHING
        }
        const fb = h.fallbackIndex === null ? undefined : v.args[h.fallbackIndex]
        return next(fb ? { k: 'env', name: key.v, fallback: fb, line: v.line } : { k: 'env', name: key.v, line: v.line })
      }
      case 'cfgkey': {
        const { env, def } = this.viperKey(v.key)
        // viper's order: a flag given (BindPFlag), the variable, the default, and last the flag's own default.
        const bound = this.viperFlags.get(v.key)
        const flag = bound === undefined ? undefined : this.flags.get(bound)
        const flagDef = flag ? this.resolve(flag.flag.def, flag.file, flag.dir, depth + 1) : null
        const d = def ? this.resolve(def.value, def.file, def.dir, depth + 1, mark) : flagDef && !mark ? flagDef : { value: null, env: [], flags: [] }
        const withFlag = (r: Resolved): Resolved => (bound === undefined ? r : { value: mark ? HOLE : r.value, env: r.env, flags: [bound, ...r.flags] })
        if (env === null) return withFlag(d)
        return withFlag({ value: mark ? HOLE : def || flagDef ? d.value : '', env: [env, ...d.env], flags: d.flags })
      }
      case 'flagref': {
        const f = this.flags.get(v.name)
        if (!f) return { value: mark ? HOLE : null, env: [], flags: [v.name] }
        return this.resolve({ k: 'flag', name: f.flag.name, def: f.flag.def }, f.file, f.dir, depth + 1, mark)
      }
      case 'pkgref': {
        const hit = this.packageDef(v.pkg, v.name, dir)
        return hit ? this.resolve(hit.def.value, hit.file, hit.dir, depth + 1, mark) : NOTHING
      }
      case 'unknown':
        return NOTHING
    }
  }

  /** A package-level definition of the module: in the package `pkg` imports (null: `dir` itself). */
  private packageDef(pkg: string | null, name: string, dir: string): DefEntry | undefined {
    const home = pkg === null ? dir : dirOfImport(this.modulePath, pkg, this.others)
    return home === null ? undefined : this.byName.get(name)?.find((e) => e.dir === home && e.def.topLevel)
  }

  /** The definition a name refers to, as Go scopes it: the latest one above it in the same file, else a package-level one of the same package. */
  lookup(name: string, line: number, file: GoFileScan, dir: string) {
    const list = this.byName.get(name)
    if (!list) return undefined
    let best: (typeof list)[number] | undefined
    for (const e of list) if (e.file === file && e.def.line <= line && (!best || e.def.line >= best.def.line)) best = e
    // A package-level `var addr string` bound to a flag further down (cobra's `Flags().StringVar(&addr, …)` after the
    // RunE closure that reads it): the flag is what the variable holds when the closure runs.
    if ((!best || (best.def.topLevel && best.def.value.k === 'unknown')) && list.some((e) => e.dir === dir && e.def.topLevel && e.def.value.k === 'unknown')) {
      const bound = list.find((e) => e.dir === dir && e.def.value.k === 'flag')
      if (bound) return bound
    }
    // A configuration struct's fields are also found from the packages it is passed to.
    return best ?? list.find((e) => e.dir === dir && e.def.topLevel) ?? list.find((e) => e.config === true)
  }
}

function combine(parts: readonly Resolved[], value: string | null): Resolved {
  return { value, env: parts.flatMap((p) => p.env), flags: parts.flatMap((p) => p.flags) }
}

/** fmt.Sprintf for the verbs addresses use (%s %d %v %q); null when an argument is unknown. */
export function sprintf(format: string, args: readonly (string | null)[]): string | null {
  let i = 0
  let unknown = false
  const out = format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([%sdvqxX])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%'
    const a = args[i++]
    if (a === null || a === undefined) {
      unknown = true
      return ''
    }
    return verb === 'q' ? JSON.stringify(a) : a
  })
  return unknown ? null : out
}

/** Splits a listen address into host and port (`:8080`, `127.0.0.1:8080`, `[::1]:80`, `localhost:http`). */
export function parseAddress(addr: string): { host: string; port: number | null } {
  const colon = addr.lastIndexOf(':')
  if (colon < 0) return { host: addr, port: null }
  let host = addr.slice(0, colon)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const p = addr.slice(colon + 1)
  const named: Record<string, number> = { http: 80, https: 443 }
  const port = /^\d{1,5}$/.test(p) && Number(p) > 0 && Number(p) < 65536 ? Number(p) : (named[p] ?? null)
  return { host, port }
}

/** localhost, 127.0.0.0/8 and ::1 are unreachable from outside a container. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1' || host === 'ip6-localhost'
}

const byPlace = (a: Evidence, b: Evidence) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>()
  return list.filter((e) => {
    const k = `${e.file}:${e.line}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '')
}

/** A `path.Match` pattern as a RegExp over forward-slash paths (the shared matcher's Go dialect). */
export function goGlob(pattern: string): RegExp {
  return globToRegExp(pattern, 'go')
}

/** Computes the run-time needs of `input.mainDir` and the module's packages it imports. */
export function computeNeeds(input: NeedsInput): RuntimeNeeds {
  const dirs = packageClosure(input.mainDir, input.modulePath, input.packages, input.workspaceModules)
  // Header-only scans hold no findings (see scanLevel): leave them out of every pass below.
  const closure = dirs.map((dir) => ({ dir, files: (input.packages.get(dir) ?? []).filter((f) => f.scope !== 'header') })).filter((p) => p.files.length > 0)
  const resolver = new Resolver(input.modulePath, closure, input.workspaceModules)
  const each = <T>(pick: (f: GoFileScan, dir: string) => T[]): T[] => closure.flatMap(({ dir, files }) => files.flatMap((f) => pick(f, dir)))

  const cgo = dedupe([...each((f) => (f.cgo ? [f.cgo] : [])), ...each((f) => f.cgoDeps.map((h) => h.evidence))]).sort(byPlace)
  const caCerts = dedupe(each((f) => f.tls.map((h) => h.evidence))).sort(byPlace)
  const tzdata = dedupe(each((f) => f.tz.filter((t) => t.kind === 'load').map((t) => t.evidence))).sort(byPlace)
  const embedsTzdata = each((f) => f.imports.filter((i) => i.path === 'time/tzdata')).length > 0
  const embeds = dedupe(each((f) => f.embeds.map((e) => e.evidence))).sort(byPlace)

  // Environment: direct reads, helper calls, and variables that feed a listen address.
  const env = new Map<string, EnvRead>()
  const addEnv = (name: string, evidence: Evidence, fallback: string | null, required = false) => {
    const e = env.get(name)
    if (!e) {
      const read: EnvRead = { name, evidence: [evidence] }
      if (fallback !== null) read.fallback = fallback
      if (required) read.required = true
      env.set(name, read)
      return
    }
    if (!e.evidence.some((x) => x.file === evidence.file && x.line === evidence.line)) e.evidence.push(evidence)
    if (e.fallback === undefined && fallback !== null) e.fallback = fallback
    if (required) e.required = true
  }
  // Configuration structs (envconfig, caarlos0/env, ardanlabs/conf): every variable they read, with its default.
  for (const v of resolver.configVars) for (const name of v.env) addEnv(name, v.evidence, v.def, v.required)
  for (const { dir, files } of closure) {
    for (const f of files) {
      for (const r of f.envReads) addEnv(r.name, r.evidence, r.fallback ? resolver.resolve(r.fallback, f, dir).value : null)
      for (const c of f.calls) {
        const h = resolver.helperFor(c.pkg, c.name, dir)
        const key = h ? c.args[h.keyIndex] : undefined
        if (!h || !key || key.k !== 'str') continue
        const fb = h.fallbackIndex === null ? undefined : c.args[h.fallbackIndex]
        addEnv(key.v, c.evidence, fb ? resolver.resolve(fb, f, dir).value : null)
      }
      // urfave/cli flags with EnvVars, and viper keys read from the environment.
      for (const flag of f.flags) {
        if (!flag.env) continue
        const def = resolver.resolve(flag.def, f, dir).value
        for (const name of flag.env) addEnv(name, flag.evidence, def === '' && flag.required ? null : def, flag.required === true)
      }
      for (const op of f.viper) {
        if (op.op !== 'get' || op.key === null) continue
        const { env: name, def } = resolver.viperKey(op.key)
        if (name !== null) addEnv(name, op.evidence, def ? resolver.resolve(def.value, def.file, def.dir).value : null)
      }
    }
  }

  const listen: ListenFinding[] = []
  const seenListen = new Set<string>()
  for (const { dir, files } of closure) {
    for (const f of files) {
      for (const l of f.listens) {
        const at = `${l.evidence.file}:${l.evidence.line}`
        if (seenListen.has(at)) continue
        seenListen.add(at)
        const r = resolver.resolve(l.addr, f, dir)
        const marked = resolver.resolve(l.addr, f, dir, 0, true).value
        const { host, port } = r.value === null ? { host: '', port: null } : parseAddress(r.value)
        const loopbackOnly = isLoopback(host)
        const colon = marked === null ? -1 : marked.lastIndexOf(':')
        const hostFixed = marked !== null && colon >= 0 && !marked.slice(0, colon).includes(HOLE)
        const via: ListenFinding['via'] =
          loopbackOnly && hostFixed
            ? { kind: 'literal' }
            : r.env[0] !== undefined
              ? { kind: 'env', name: r.env[0] }
              : r.flags[0] !== undefined
                ? { kind: 'flag', name: r.flags[0] }
                : { kind: 'literal' }
        const finding: ListenFinding = { port, host, loopbackOnly, via, evidence: l.evidence }
        const also: NonNullable<ListenFinding['alsoVia']> = [
          ...[...new Set(r.env)].map((name) => ({ kind: 'env' as const, name })),
          ...[...new Set(r.flags)].map((name) => ({ kind: 'flag' as const, name })),
        ]
        const others = also.filter((x) => !(via.kind === x.kind && via.name === x.name))
        if (others.length > 0 && via.kind !== 'literal') finding.alsoVia = others
        listen.push(finding)
        for (const name of r.env) if (!env.has(name)) addEnv(name, l.evidence, null)
      }
    }
  }

  const files = new Map<string, RuntimeFile>()
  for (const { dir, files: scans } of closure) {
    for (const f of scans) {
      for (const u of f.fileUses) {
        const value = resolver.resolve(u.path, f, dir).value
        if (value === null || value === '' || value.includes(HOLE)) continue
        const path = normalizePath(value)
        if (path === '' || path === '.' || path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) continue
        const prev = files.get(path)
        if (prev) {
          prev.required ||= u.required
          continue
        }
        files.set(path, { path, exists: u.kind === 'glob' ? input.globMatches(path) : input.exists(path), required: u.required, evidence: u.evidence })
      }
    }
  }

  const requiredArgs: Evidence[] = each((f) => f.requiredArgs)
  const requiredFlags: RequiredFlag[] = []
  const requireFlag = (name: string, evidence: Evidence) => {
    requiredArgs.push(evidence)
    if (!requiredFlags.some((x) => x.name === name)) requiredFlags.push({ name, evidence })
  }
  const requireEnv = (name: string, evidence: Evidence) => {
    addEnv(name, evidence, null, true)
    const e = env.get(name)
    if (e && e.fallback === '') delete e.fallback
  }
  for (const { dir, files: scans } of closure) {
    for (const f of scans) {
      for (const c of f.requiredChecks) {
        const hit = c.value ? { def: { value: c.value }, file: f, dir } : resolver.lookup(c.name, c.evidence.line, f, dir)
        if (!hit) continue
        // The check stops the program when the value is empty: what sets it is required when its default is empty.
        const r = resolver.resolve(hit.def.value, hit.file, hit.dir)
        if (r.value !== '') continue
        for (const name of r.flags) requireFlag(name, c.evidence)
        if (r.flags.length === 0) for (const name of r.env) requireEnv(name, c.evidence)
      }
      for (const m of f.requiredFlags) {
        const flag = resolver.flag(m.name)
        if (flag?.flag.env) continue
        requireFlag(m.name, m.evidence)
      }
      for (const flag of f.flags) if (flag.required && !flag.env) requireFlag(flag.name, flag.evidence)
    }
  }

  return {
    cgo,
    caCerts,
    tzdata,
    embedsTzdata,
    embeds,
    runtimeFiles: [...files.values()].sort((a, b) => byPlace(a.evidence, b.evidence)),
    listen: listen.sort((a, b) => byPlace(a.evidence, b.evidence)),
    env: [...env.values()].map((e) => ({ ...e, evidence: e.evidence.sort(byPlace) })).sort((a, b) => byPlace(firstOf(a), firstOf(b))),
    requiredArgs: dedupe(requiredArgs).sort(byPlace),
    requiredFlags: requiredFlags.sort((a, b) => byPlace(a.evidence, b.evidence)),
  }
}

/** `a`, `a and b`, `a, b and c`. */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

const firstOf = (e: EnvRead): Evidence => e.evidence[0] ?? { file: '', line: 0 }
const where = (e: Evidence) => `${e.file}:${e.line}`

/** Notices about the needs: loopback-only listening, missing run-time files and embeds, cgo, arguments, -X stamping. */
export function needsNotices(input: NeedsInput, needs: RuntimeNeeds, main: MainPackage | null): Notice[] {
  const notices: Notice[] = []
  for (const l of needs.listen.filter((x) => x.loopbackOnly)) {
    const addr = `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port ?? ''}`
    const fix =
      l.via.kind === 'env'
        ? `The address comes from the environment variable ${l.via.name}, so the image can set ${l.via.name}=:${l.port ?? 8080} (all interfaces).`
        : l.via.kind === 'flag'
          ? `The address comes from the flag -${l.via.name}, so the image can pass -${l.via.name}=:${l.port ?? 8080} (all interfaces).`
          : `The address is fixed in the code: listen on ":${l.port ?? 8080}" (all interfaces) or make it configurable.`
    notices.push({
      code: 'loopback-only',
      severity: 'warning',
      message: `The program listens on ${addr} by default: inside a container that is unreachable from outside.`,
      detail: fix,
      evidence: [l.evidence],
    })
  }
  for (const f of needs.runtimeFiles.filter((x) => !x.exists)) {
    // A .env is never copied (secrets): the image carries an empty one, so what the program needs is its variables.
    if (f.required && /(^|\/)\.env(\.[^/]*)?$/i.test(f.path)) {
      notices.push({
        code: 'runtime-file-missing',
        severity: 'warning',
        message: `The program needs ${f.path} at start (it stops without it), and there is none in the folder: the image carries an empty one, so the program starts with the variables you pass it.`,
        detail: `Pass them with \`docker run -e NAME=value\` (or the stack's variables), or mount a ${f.path} of your own.`,
        evidence: [f.evidence],
      })
      continue
    }
    notices.push({
      code: 'runtime-file-missing',
      severity: f.required ? 'error' : 'warning',
      message: f.required
        ? `The program needs ${f.path} at start (it stops without it), but there is no ${f.path} in the folder.`
        : `The program reads ${f.path}, but there is no ${f.path} in the folder.`,
      detail: f.required
        ? `Add ${f.path} to the project, or mount it into the container at run time (e.g. \`docker run -v ./${f.path}:/app/${f.path}\`).`
        : 'It carries on without it; mount it into the container if you need it.',
      evidence: [f.evidence],
    })
  }
  for (const { dir, files } of packageClosure(input.mainDir, input.modulePath, input.packages, input.workspaceModules).map((d) => ({ dir: d, files: (input.packages.get(d) ?? []).filter((f) => f.embeds.length > 0) }))) {
    for (const f of files) {
      for (const e of f.embeds) {
        for (const pattern of e.patterns) {
          const rel = pattern.replace(/^all:/, '')
          const full = dir === '.' ? rel : `${dir}/${rel}`
          if (!input.globMatches(normalizePath(full)))
            notices.push({
              code: 'embed-missing',
              severity: 'error',
              message: `//go:embed ${pattern} matches no file: the build will fail.`,
              detail: `The pattern is relative to ${dir === '.' ? 'the root folder' : dir}. Hidden and _ folders, vendor and testdata are not searched.`,
              evidence: [e.evidence],
            })
        }
      }
    }
  }
  if (needs.cgo.length > 0) {
    const first = needs.cgo[0]
    notices.push({
      code: 'cgo',
      severity: 'warning',
      message: `This program needs cgo (${first?.text ?? 'import "C"'}${first ? ` at ${where(first)}` : ''}).`,
      detail: 'It must be built with CGO_ENABLED=1 and a C compiler, and it links against the C library: a scratch or distroless/static image cannot run it. Use a base with glibc (distroless/base, debian-slim) or musl (alpine, built on alpine).',
      evidence: needs.cgo,
    })
  }
  if (needs.requiredArgs.length > 0) {
    const flags = needs.requiredFlags.map((f) => `--${f.name}`)
    const named = flags.length > 0 && needs.requiredArgs.length === needs.requiredFlags.length
    notices.push({
      code: 'required-args',
      severity: 'info',
      message: named ? `The program stops unless it is given ${listWords(flags)}.` : 'The program stops unless it is given arguments or flags.',
      detail: named
        ? `Pass ${flags.length === 1 ? 'it' : 'them'} to \`docker run IMAGE ${flags.map((f) => `${f} …`).join(' ')}\` (the Run dialog asks for ${flags.length === 1 ? 'it' : 'them'}), or put ${flags.length === 1 ? 'it' : 'them'} in the image’s CMD.`
        : 'Put them in the image’s CMD, or pass them to `docker run`.',
      evidence: needs.requiredArgs,
    })
  }
  const requiredEnv = needs.env.filter((e) => e.required)
  if (requiredEnv.length > 0) {
    const names = requiredEnv.map((e) => e.name)
    notices.push({
      code: 'required-env',
      severity: 'info',
      message: `The program stops unless ${listWords(names)} ${names.length === 1 ? 'is' : 'are'} set.`,
      detail: `Pass ${names.length === 1 ? 'it' : 'them'} at run time: \`docker run ${names.map((n) => `-e ${n}=…`).join(' ')} IMAGE\`; the app’s Run dialog and dev stack ask for ${names.length === 1 ? 'it' : 'them'}. The image does not carry ${names.length === 1 ? 'a value' : 'values'}: a secret never belongs in an image.`,
      evidence: requiredEnv.flatMap((e) => e.evidence.slice(-1)),
    })
  }
  if (main) {
    for (const [name, s] of [['version', main.version], ['commit', main.commit]] as const) {
      if (s.kind === 'unsuitable')
        notices.push({
          code: 'stamp-unsuitable',
          severity: 'warning',
          message: s.reason,
          detail: `Slipway will not stamp main.${name} with -X. To stamp it, declare a plain string variable (var ${name} = "dev").`,
          evidence: [s.evidence],
        })
    }
  }
  return notices
}
