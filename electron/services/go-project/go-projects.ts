import { availableParallelism, homedir, loadavg } from 'node:os'
import { basename, isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { AnalyzeOptions } from '../../../shared/contract'
import { SlipwayError } from '../../../shared/errors'
import { goModNotices, parseGoMod, pointsOutside } from '../../../shared/go/go-mod'
import { parseGoWorkUses, workspaceMode, type GoWorkUses } from '../../../shared/go/go-work'
import { CGO_PACKAGES, underPath } from '../../../shared/go/imports'
import type { ScanLevel } from '../../../shared/go/scan-level'
import type { GoFileScan } from '../../../shared/go/scan-types'
import { binaryName, computeNeeds, defaultMain, dirOfImport, findMains, goGlob, needsNotices, packageClosure, referencedImports, type NeedsInput, type WorkspaceModule } from '../../../shared/go/needs'
import { checkVendor } from '../../../shared/go/vendor'
import type { Evidence, GoModule, MainPackage, Notice, ProjectAnalysis, RuntimeNeeds, VendorState } from '../../../shared/types/project'
import { dockerignoreNotice } from './dockerignore-check'
import { FolderScanner, scanSourceFile, truncatedNotice, type FileScanJob, type FileScanResult } from './file-scan'
import { gitState, runGit, type GitRunner } from './git'
import { nodeProjectFs, type FsPath, type ProjectFs } from './project-fs'
import { checkNotTooBroad, checkPathGiven, rootListError, rootStatError } from './root-check'
import { sharedScanPool, type ScanPool } from './scan-pool'
import { walkProject, type GoSourceFile, type WalkResult } from './walk'

/** What GoProjects depends on; every field has a default (the real file system, git on PATH, a 200,000-entry limit). */
export interface GoProjectsDeps {
  /** Clock for `stats.durationMs`. */
  now?: () => number
  /** Stop with ProjectTooLarge past this many files and folders (default 200,000). */
  maxFiles?: number
  /** Read at most this much of any one file (default 1 MiB); longer files are analysed in part, with a notice. */
  maxBytesPerFile?: number
  /** How git is run for the dirty flag (always hardened: see git.ts); null turns git state off. */
  git?: GitRunner | null
  fs?: ProjectFs
  /** Directory reads in flight at once (default 16). */
  concurrency?: number
  /**
   * Worker threads that read and scan the files of a big project (past POOL_AFTER files); null:
   * everything on this thread. Default: the process's shared pool, with the real file system only.
   */
  scanPool?: ScanPool | null
  /**
   * Whether the pool is worth using now (asked once per analysis). Default: when the machine has a
   * core to spare (1-minute load average below the core count minus one half, or no load average,
   * as on Windows): on a busy machine the threads do not run side by side, and the pool's hand-over
   * is pure cost (measured at load 15 on 2 cores: ~0.45 s more CPU for 20,000 files).
   */
  usePool?: () => boolean
}

/** Per-file notices of one analysis, which files already have one, and how much of each file is worth scanning (see scanLevel). */
interface ScanContext {
  notices: Notice[]
  reported: Set<string>
  levels: Map<string, ScanLevel>
  /** The scan pool, when this analysis uses it. */
  pool: ScanPool | null
}

const SLICE_MS = 8
/** Files scanned on the service's thread before the rest go to the scan pool: a small project never starts it. */
const POOL_AFTER = 400
/** Files per batch sent to a scan worker. */
const POOL_BATCH = 200
const EMPTY_NEEDS: RuntimeNeeds = { cgo: [], caCerts: [], tzdata: [], embedsTzdata: false, embeds: [], runtimeFiles: [], listen: [], env: [], requiredArgs: [], requiredFlags: [] }
/**
 * Every other file a build of `mainDir` reads from the context: the .go files of each package of the
 * module it imports, the files its //go:embed patterns match, the run-time files the recipe copies,
 * A .dockerignore line that drops one fails the build late.
 */
function copiedByRecipe(
  mainDir: string,
  modulePath: string | null,
  packages: ReadonlyMap<string, readonly GoFileScan[]>,
  others: readonly WorkspaceModule[],
  needs: RuntimeNeeds,
  paths: ReadonlySet<string>,
  inModule: (p: string) => string,
): string[] {
  const out: string[] = []
  const under = (prefix: string) => {
    for (const p of paths) if (p.startsWith(`${prefix}/`)) out.push(p)
  }
  for (const dir of packageClosure(mainDir, modulePath, packages, others)) {
    for (const f of packages.get(dir) ?? []) {
      out.push(f.file)
      for (const e of f.embeds) {
        for (const pattern of e.patterns) {
          const rel = pattern.replace(/^all:/, '')
          const re = goGlob(inModule(dir === '.' ? rel : `${dir}/${rel}`))
          for (const p of paths) {
            if (!re.test(p)) continue
            out.push(p)
            under(p)
          }
        }
      }
    }
  }
  for (const f of needs.runtimeFiles) {
    if (!f.exists || f.path === '.env' || f.path.endsWith('/.env')) continue
    if (/[*?[]/.test(f.path)) {
      const re = goGlob(inModule(f.path))
      for (const p of paths) if (re.test(p)) out.push(p)
    } else {
      out.push(inModule(f.path))
      under(inModule(f.path))
    }
  }
  return out
}

/** `vendor/<package>` for each package line of vendor/modules.txt (only plain relative paths). */
function vendoredPackages(modulesTxt: string): string[] {
  const out: string[] = []
  for (const raw of modulesTxt.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || !/^[A-Za-z0-9._~+\-/]+$/.test(line) || line.split('/').includes('..')) continue
    out.push(`vendor/${line}`)
    if (out.length >= 5000) break
  }
  return out
}

/** One module whose mains are offered: its folder, go.mod, and its buildable packages by folder relative to it. */
interface ModuleUnit {
  dir: string
  text: string | null
  parse: ReturnType<typeof parseGoMod> | null
  modulePath: string | null
  packages: Map<string, GoFileScan[]>
  mains: MainPackage[]
}

/** Files `go build` reads from a package folder: Go, assembly, C/C++/Objective-C/Fortran sources and headers, .syso objects. */
const GO_BUILD_FILE = /\.(?:go|s|S|sx|c|cc|cpp|cxx|h|hh|hpp|hxx|m|f|F|for|f90|syso)$/

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const

/**
 * Reads a Go project folder and reports what a container image of it needs, with evidence. Plain
 * Node, read-only: it lists folders, reads .go files, go.mod, go.work, vendor/modules.txt, the
 * Dockerfile and .dockerignore, and asks git; it never writes anything.
 */
export class GoProjects {
  private readonly now: () => number
  private readonly maxFiles: number
  private readonly maxBytes: number
  private readonly git: GitRunner | null
  private readonly fs: ProjectFs
  private readonly concurrency: number
  private readonly pool: ScanPool | null
  private readonly usePool: () => boolean
  /** Roots analysed by this instance: the only folders a front end may have Slipway write into. */
  private readonly roots = new Set<string>()

  constructor(deps: GoProjectsDeps = {}) {
    this.now = deps.now ?? (() => performance.now())
    this.maxFiles = deps.maxFiles ?? 200_000
    this.maxBytes = deps.maxBytesPerFile ?? 1024 * 1024
    this.git = deps.git === undefined ? runGit : deps.git
    this.fs = deps.fs ?? nodeProjectFs
    this.concurrency = deps.concurrency ?? 16
    this.pool = deps.scanPool !== undefined ? deps.scanPool : deps.fs === undefined ? sharedScanPool() : null
    this.usePool = deps.usePool ?? coreToSpare
  }

  /** Analyses the folder `dir`. Throws NotFound, NotADirectory, NotAGoProject, ProjectTooLarge or MainNotFound (SlipwayErrors with advice). */
  async analyze(dir: string, opts: AnalyzeOptions = {}): Promise<ProjectAnalysis> {
    const started = this.now()
    checkPathGiven(dir)
    const root = resolve(dir)
    await this.checkRoot(root)
    const rootReal = await this.fs.realpath(root)
    const gitP = this.git ? gitState(root, this.git).catch(() => null) : Promise.resolve(null)
    const notices: Notice[] = []

    // .go files are read and scanned while the walk goes on: the walk waits on the thread pool, the reads run here.
    const ctx: ScanContext = { notices: [], reported: new Set(), levels: new Map(), pool: this.pool && this.usePool() ? this.pool : null }
    const scans = new Map<string, GoFileScan>()
    const folders = new FolderScanner((path, max) => this.fs.readHead(path, max), this.maxBytes)
    const reader = new ScanQueue((f) => {
      for (const r of folders.push({ rel: f.rel, abs: f.abs, mode: 'auto' })) this.apply(r, ctx, scans)
    })
    const feed = new PoolFeed(ctx.pool, this.maxBytes, reader, (results) => {
      for (const r of results) this.apply(r, ctx, scans)
    })
    const walk = await walkProject(root, rootReal, { fs: this.fs, maxEntries: this.maxFiles, concurrency: this.concurrency, onGoFile: (f) => feed.push(f) })
    await feed.finish()
    await reader.finish(walk.tooLarge)
    for (const r of folders.flush()) this.apply(r, ctx, scans)
    if (walk.tooLarge)
      throw new SlipwayError(
        'ProjectTooLarge',
        `${root} has more than ${this.maxFiles.toLocaleString('en-US')} files and folders: that is not one Go project.`,
        'Open the folder that holds the go.mod (or main.go) of the program you want to containerize. Slipway already skips .git, node_modules, vendor, testdata and hidden or _ folders; move big data or build output into one of those, or out of the project.',
      )
    if (walk.goCount === 0)
      throw new SlipwayError(
        'NotAGoProject',
        `No Go source files in ${root}.`,
        'Slipway looks for .go files in the folder and its subfolders (skipping vendor, testdata, node_modules and hidden or _ folders). Open the folder that holds your go.mod or main.go.',
      )

    // The root files that matter, read while nothing else is going on.
    const read = (f: string) => this.readRootFile(root, f, walk, notices)
    const [goModText, goWorkText, rootModulesTxt, dockerfile, dockerignore] = await Promise.all([
      read('go.mod'),
      read('go.work'),
      read('vendor/modules.txt'),
      read('Dockerfile'),
      read('.dockerignore'),
    ])
    const rootMod = goModText === null ? null : parseGoMod(goModText)
    const folderName = basename(root)

    // Which modules offer mains, and how a go.work is built (one rule, see go-work.ts): the root
    // module; with a workspace whose every `use` is inside the folder, the modules it uses too;
    // with no go.mod at the root, the modules in subfolders (those a go.work uses, else all).
    const uses = goWorkText === null ? null : parseGoWorkUses(goWorkText)
    const hasModuleAt = (d: string) => (d === '.' ? rootMod?.module != null : walk.nestedModules.includes(d))
    const workspace = uses ? workspaceMode(uses, hasModuleAt) : undefined
    const moduleDirs = rootMod?.module
      ? ['.', ...(workspace === 'workspace' ? (uses?.inside ?? []).filter((d) => d !== '.' && hasModuleAt(d)) : [])]
      : goModText !== null
        ? ['.']
        : uses
          ? uses.inside.filter((d) => d !== '.' && hasModuleAt(d))
          : ['.', ...walk.nestedModules]
    const units = new Map<string, ModuleUnit>()
    const byModule = this.groupPackages(scans, new Set(moduleDirs), walk.nestedModules)
    const modTexts = await Promise.all(moduleDirs.map((md) => (md === '.' ? goModText : read(`${md}/go.mod`))))
    for (const [k, md] of moduleDirs.entries()) {
      const text = modTexts[k] ?? null
      const parse = md === '.' ? rootMod : text === null ? null : parseGoMod(text, `${md}/go.mod`)
      if (parse?.module && md !== '.')
        for (const r of parse.module.replaces) r.outsideContext = r.local && (pointsOutside(r.to) || pointsOutside(`${md}/${r.to}`))
      const modulePath = parse?.module?.path ?? null
      const packages = byModule.get(md) ?? new Map<string, GoFileScan[]>()
      const mains = findMains(packages, modulePath, md === '.' ? folderName : md.slice(md.lastIndexOf('/') + 1)).map((m) => (md === '.' ? m : { ...m, dir: m.dir === '.' ? md : `${md}/${m.dir}`, module: md }))
      units.set(md, { dir: md, text, parse, modulePath, packages, mains })
    }
    const mains = [...units.values()].flatMap((u) => u.mains).sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : byText(a.dir, b.dir)))
    const selected = this.pickMain(mains, rootMod?.module?.path ?? null, opts.main)
    // Everything below is about the chosen main's module; its package folders are relative to the module's folder.
    const md = selected?.module ?? '.'
    const unit = units.get(md) ?? { dir: '.', text: goModText, parse: rootMod, modulePath: rootMod?.module?.path ?? null, packages: new Map<string, GoFileScan[]>(), mains: [] }
    const mod = unit.parse
    const module: GoModule | null = mod?.module ?? null
    if (mod) notices.push(...goModNotices(mod, md === '.' ? 'go.mod' : `${md}/go.mod`))
    const modulePath = unit.modulePath
    // A kept workspace: the packages of its other modules join the chosen module's, keyed by their
    // folder relative to it (`../lib/x`), so imports between the modules are followed as go does.
    const others: WorkspaceModule[] = []
    let packages = unit.packages
    if (workspace === 'workspace' && units.size > 1) {
      packages = new Map(unit.packages)
      for (const u of units.values()) {
        if (u.dir === md || u.modulePath === null) continue
        const rel = posix.relative(md, u.dir)
        others.push({ path: u.modulePath, dir: rel })
        for (const [dir, files] of u.packages) packages.set(dir === '.' ? rel : `${rel}/${dir}`, files)
      }
    }
    const inModule = (p: string) => (md === '.' ? posix.normalize(p) : posix.join(md, p))
    const mainRel = selected ? (md === '.' ? selected.dir : selected.dir === md ? '.' : selected.dir.slice(md.length + 1)) : '.'
    const hasGoSum = walk.paths.has(inModule('go.sum'))
    const modulesTxt = md === '.' ? rootModulesTxt : walk.paths.has(`${md}/vendor`) ? await read(`${md}/vendor/modules.txt`) : null

    let needs = EMPTY_NEEDS
    const input: NeedsInput = {
      modulePath,
      ...(others.length > 0 ? { workspaceModules: others } : {}),
      mainDir: mainRel,
      packages,
      exists: (p) => walk.paths.has(inModule(p)),
      globMatches: (pattern) => {
        const re = goGlob(inModule(pattern))
        for (const p of walk.paths) if (re.test(p)) return true
        return false
      },
    }
    if (selected) {
      await this.completeClosure(mainRel, modulePath, packages, others, walk, ctx)
      needs = computeNeeds(input)
      await this.refineRuntimeFiles(md === '.' ? root : join(root, ...md.split('/')), rootReal, needs)
      notices.push(...needsNotices(input, needs, { ...selected, dir: mainRel }))
      // The compiler reads every .go file of a package it builds: junk there fails this build, not just some other one.
      const built = new Set(packageClosure(mainRel, modulePath, packages, others).map(inModule))
      for (const n of ctx.notices) {
        const file = n.code === 'not-go-source' ? n.evidence?.[0]?.file : undefined
        if (file === undefined || !built.has(file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.')) continue
        n.severity = 'error'
        n.message = `${n.message.replace(/\.$/, '')}, in a package this program builds: the build fails.`
      }
    }

    const vendor = walk.paths.has(inModule('vendor')) ? checkVendor(module, modulesTxt) : { present: false, consistent: false, problems: [] }
    notices.push(...this.moduleNotices(module, mod?.requireLines ?? [], unit.text, hasGoSum, goWorkText, vendor, folderName, packages, selected && { ...selected, dir: mainRel }, modulePath, md))
    notices.push(...this.workspaceNotices(goWorkText, uses, workspace, md, rootMod?.module != null || goModText !== null, units))
    notices.push(...this.walkNotices(walk, scans, new Set(moduleDirs)))
    const ignoreNotice = dockerignoreNotice(dockerignore, [
      ...(module ? [inModule('go.mod')] : []),
      ...(hasGoSum ? [inModule('go.sum')] : []),
      // A kept workspace reads go.work and the go.mod (and go.sum) of every module it uses.
      ...(workspace === 'workspace' ? ['go.work', ...['go.work.sum', ...(uses?.inside ?? []).flatMap((u) => (u === '.' ? ['go.mod', 'go.sum'] : [`${u}/go.mod`, `${u}/go.sum`]))].filter((p) => walk.paths.has(p))] : []),
      ...(vendor.present && modulesTxt !== null ? [inModule('vendor/modules.txt')] : []),
      ...(selected?.files ?? []),
      ...(selected ? copiedByRecipe(mainRel, modulePath, packages, others, needs, walk.paths, inModule) : []),
      // With -mod=vendor the source files of each vendored package (the walk does not list vendor/'s files).
      ...(dockerignore !== null && vendor.present && vendor.consistent && modulesTxt !== null ? await this.vendoredFiles(root, vendoredPackages(modulesTxt).map(inModule)) : []),
    ])
    if (ignoreNotice) notices.push(ignoreNotice)
    // Per-file notices arrive in the order the parallel walk found the files: sort them by file.
    notices.push(...ctx.notices.sort((a, b) => byText(a.evidence?.[0]?.file ?? '', b.evidence?.[0]?.file ?? '')))
    notices.push(...this.mainNotices(mains, selected))
    notices.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])

    const goWork: Evidence | null = goWorkText === null ? null : firstLineEvidence('go.work', goWorkText)
    const git = await gitP
    this.remember(root)
    return {
      root,
      // The project's name stays the folder's (or the root module's) whichever main is chosen: image names follow it.
      name: binaryName('.', rootMod?.module?.path ?? null, folderName),
      module,
      ...(md !== '.' ? { moduleDir: md } : {}),
      hasGoSum,
      goWork,
      ...(workspace ? { workspace } : {}),
      vendor,
      mains,
      selectedMain: selected?.dir ?? null,
      needs,
      git,
      existing: { dockerfile, dockerignore },
      notices,
      stats: { files: walk.files, goFiles: walk.goFiles.length, durationMs: Math.round(this.now() - started) },
    }
  }

  /** Whether `dir` (absolute) is the root of a project this instance analysed successfully. */
  isAnalysedRoot(dir: string): boolean {
    return isAbsolute(dir) && this.roots.has(resolve(dir))
  }

  private remember(root: string) {
    // Most recent last; a long-running app forgets the oldest of very many.
    this.roots.delete(root)
    this.roots.add(root)
    if (this.roots.size > 1000) for (const r of this.roots) {
      this.roots.delete(r)
      break
    }
  }

  /** Refuses, with the precise reason, a root that cannot be one project: see root-check.ts. */
  private async checkRoot(root: string) {
    checkNotTooBroad(root)
    let kind: 'file' | 'dir' | 'other'
    try {
      kind = await this.fs.stat(root)
    } catch (e) {
      throw rootStatError(root, e)
    }
    if (kind !== 'dir') throw new SlipwayError('NotADirectory', `${root} is a file, not a folder.`, 'Open the folder that holds the Go project (the one with go.mod or main.go), not a file in it.')
    // An unreadable root would otherwise read as "no Go source files".
    await this.fs.list(root).catch((e: unknown) => {
      throw rootListError(root, e)
    })
    // A symlink to / or to the home folder is as broad as either.
    const real = await this.fs.realpath(root).catch(() => root)
    if (real !== root) checkNotTooBroad(real, [homedir(), await this.fs.realpath(homedir()).catch(() => homedir())])
  }

  private async readRootFile(root: string, rel: string, walk: WalkResult, notices: Notice[]): Promise<string | null> {
    if (!walk.paths.has(rel.startsWith('vendor/') ? 'vendor' : rel)) return null
    try {
      if ((await this.fs.stat(`${root}${sep}${rel.split('/').join(sep)}`)) !== 'file') return null
      const bytes = this.fs.readHead(`${root}${sep}${rel.split('/').join(sep)}`, this.maxBytes + 1)
      if (bytes.length > this.maxBytes) notices.push(truncatedNotice(rel, this.maxBytes))
      return bytes.subarray(0, this.maxBytes).toString('utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') notices.push({ code: 'unreadable', severity: 'warning', message: `Cannot read ${rel} (${code ?? 'error'}).`, detail: 'Slipway carries on without it.' })
      return null
    }
  }

  /** Reads and scans one .go file on this thread (see file-scan.ts). */
  private scanOne(rel: string, abs: FsPath, mode: FileScanJob['mode']): FileScanResult {
    return scanSourceFile((path, max) => this.fs.readHead(path, max), { rel, abs, mode }, this.maxBytes)
  }

  /** Takes one file's scan into the analysis: its notices once each, its scan level, its scan. */
  private apply(r: FileScanResult, ctx: ScanContext, scans: Map<string, GoFileScan> | null): GoFileScan | null {
    for (const { key, notice } of r.notices) {
      if (key !== null) {
        if (ctx.reported.has(key)) continue
        ctx.reported.add(key)
      }
      ctx.notices.push(notice)
    }
    if (r.level !== undefined) ctx.levels.set(r.rel, r.level)
    if (r.scan && scans) scans.set(r.rel, r.scan)
    return r.scan
  }

  /**
   * Buildable files by module (each of `offered`) and package folder relative to the module's folder,
   * in one pass: a file belongs to the deepest folder above it with a go.mod (`nested`, or the root);
   * files of modules not offered are left out.
   */
  private groupPackages(scans: Map<string, GoFileScan>, offered: ReadonlySet<string>, nested: readonly string[]): Map<string, Map<string, GoFileScan[]>> {
    const modules = new Set(nested)
    const out = new Map<string, Map<string, GoFileScan[]>>()
    for (const [rel, scan] of scans) {
      if (!scan.buildable || scan.packageName === null || scan.binary) continue
      let owner = '.'
      for (let cut = rel.lastIndexOf('/'); cut > 0; cut = rel.lastIndexOf('/', cut - 1)) {
        if (modules.has(rel.slice(0, cut))) {
          owner = rel.slice(0, cut)
          break
        }
      }
      if (!offered.has(owner)) continue
      const inModule = owner === '.' ? rel : rel.slice(owner.length + 1)
      const slash = inModule.lastIndexOf('/')
      const dir = slash < 0 ? '.' : inModule.slice(0, slash)
      let packages = out.get(owner)
      if (!packages) out.set(owner, (packages = new Map()))
      const list = packages.get(dir)
      if (list) list.push(scan)
      else packages.set(dir, [scan])
    }
    // Test-only package clauses (`package foo_test`) are in *_test.go files and never reach here.
    return out
  }

  private pickMain(mains: MainPackage[], modulePath: string | null, wanted: string | undefined): MainPackage | null {
    if (wanted === undefined || wanted.trim() === '') return defaultMain(mains, modulePath)
    const norm = wanted.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '') || '.'
    const hit = mains.find((m) => m.dir === norm)
    if (hit) return hit
    throw new SlipwayError(
      'MainNotFound',
      `There is no main package in "${wanted}".`,
      mains.length > 0
        ? `Main packages in this project: ${mains.map((m) => (m.dir === '.' ? '. (the root folder)' : m.dir)).join(', ')}.`
        : 'This project has no main package (package main with func main).',
    )
  }

  /**
   * Scans the packages the chosen main imports (phase one only read their headers) where a file
   * could hold a finding (scanLevel 'full'): such files, and files calling the package's own env
   * helpers, in full; the other files of the package for their package-level declarations only, so
   * a value defined in one file and used in another still resolves.
   */
  private async completeClosure(mainDir: string, modulePath: string | null, packages: Map<string, GoFileScan[]>, others: readonly WorkspaceModule[], walk: WalkResult, ctx: ScanContext) {
    const byRel = new Map(walk.goFiles.map((f) => [f.rel, f.abs]))
    const todo: { list: GoFileScan[]; index: number; job: FileScanJob }[] = []
    for (const dir of packageClosure(mainDir, modulePath, packages, others)) {
      const files = packages.get(dir) ?? []
      if (!files.some((f) => f.scope === 'full' || ctx.levels.get(f.file) === 'full')) continue
      files.forEach((f, index) => {
        const abs = byRel.get(f.file)
        const mode = ctx.levels.get(f.file) === 'decls' ? 'decls' : 'full'
        // Already scanned as far as needed (FolderScanner does it while a folder's bytes are at hand).
        if (f.scope === 'full' || (f.scope === 'decls' && mode === 'decls') || abs === undefined) return
        todo.push({ list: files, index, job: { rel: f.file, abs, mode } })
      })
    }
    const done = new Array<boolean>(todo.length).fill(false)
    const put = (k: number, r: FileScanResult) => {
      const t = todo[k]
      const scan = this.apply(r, ctx, null)
      if (t && scan) t.list[t.index] = scan
      done[k] = true
    }
    if (ctx.pool && todo.length >= POOL_AFTER) {
      // Two halves at once, one per worker; a half whose worker failed is scanned below.
      const half = Math.ceil(todo.length / 2)
      await Promise.all(
        [0, half].map(async (from) => {
          const part = todo.slice(from, from + half).map((t) => t.job)
          const results = await ctx.pool?.run(part, this.maxBytes).catch(() => null)
          results?.forEach((r, k) => put(from + k, r))
        }),
      )
    }
    let slice = performance.now()
    for (let k = 0; k < todo.length; k++) {
      const t = todo[k]
      if (!t || done[k]) continue
      if (performance.now() - slice > SLICE_MS) {
        await yieldToLoop()
        slice = performance.now()
      }
      put(k, this.scanOne(t.job.rel, t.job.abs, t.job.mode))
    }
    // Packages the closure's values name (`config.DefaultAddr`, `config.Addr()`) whose files were only
    // header-scanned: their declarations, so the values resolve (a few rounds: such a value may name another).
    for (let round = 0; round < 4; round++) {
      const wanted: { list: GoFileScan[]; index: number; abs: FsPath }[] = []
      for (const path of referencedImports(packageClosure(mainDir, modulePath, packages, others), packages, modulePath, others)) {
        const home = dirOfImport(modulePath, path, others)
        const files = home === null ? [] : (packages.get(home) ?? [])
        files.forEach((g, index) => {
          const abs = byRel.get(g.file)
          if (g.scope === 'header' && abs !== undefined) wanted.push({ list: files, index, abs })
        })
      }
      if (wanted.length === 0) break
      for (const w of wanted) {
        const scan = this.apply(this.scanOne(w.list[w.index]?.file ?? '', w.abs, 'decls'), ctx, null)
        if (scan) w.list[w.index] = scan
      }
    }
  }

  /**
   * The files go compiles in each vendored package folder (`vendor/<package>`, one level: a package
   * is one folder), so a .dockerignore line such as `vendor/**\/*.go` is caught; a folder that
   * cannot be listed stands for itself.
   */
  private async vendoredFiles(root: string, dirs: readonly string[]): Promise<string[]> {
    const out: string[] = []
    let next = 0
    const work = async () => {
      for (let i = next++; i < dirs.length; i = next++) {
        const dir = dirs[i] as string
        const entries = await this.fs.list(join(root, ...dir.split('/'))).catch(() => null)
        if (!entries) {
          out.push(dir)
          continue
        }
        for (const e of entries) if (e.kind !== 'dir' && !e.raw && GO_BUILD_FILE.test(e.name) && !e.name.endsWith('_test.go')) out.push(`${dir}/${e.name}`)
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, dirs.length) }, work))
    return out
  }

  /** A run-time file the walk did not see may sit in a skipped folder (e.g. .config/app.yaml): ask the file system. */
  private async refineRuntimeFiles(root: string, rootReal: string, needs: RuntimeNeeds) {
    await Promise.all(
      needs.runtimeFiles
        .filter((f) => !f.exists && !/[*?[]/.test(f.path))
        .map(async (f) => {
          const abs = resolve(root, f.path)
          const rel = relative(root, abs)
          if (rel.startsWith('..') || resolve(rel) === rel) return
          try {
            const real = await this.fs.realpath(abs)
            if (real === rootReal || real.startsWith(rootReal + sep)) f.exists = true
          } catch {
            // missing: stays false
          }
        }),
    )
  }

  private moduleNotices(
    module: GoModule | null,
    requireLines: number[],
    goModText: string | null,
    hasGoSum: boolean,
    goWorkText: string | null,
    vendor: VendorState,
    folderName: string,
    packages: Map<string, GoFileScan[]>,
    selected: MainPackage | null,
    modulePath: string | null,
    moduleDir: string,
  ): Notice[] {
    const notices: Notice[] = []
    const goModFile = moduleDir === '.' ? 'go.mod' : `${moduleDir}/go.mod`
    if (!module) {
      // A go.mod that is there but unusable is reported by go-mod-invalid: it must be fixed, not worked around.
      if (goModText !== null) return []
      // A workspace whose modules (inside this folder) have no main: `go mod init` at its root would not see them.
      if (goWorkText !== null) {
        const { inside, outside } = parseGoWorkUses(goWorkText)
        const listed = [...inside, ...outside]
        return [
          {
            code: 'go-work-root',
            severity: 'error',
            message: `This folder is a Go workspace (go.work${listed.length ? `: ${listed.map((u) => `${u}/`).join(', ')}` : ''}) and none of the modules it uses inside this folder has a main package: there is no program to build here.`,
            detail: 'Slipway offers the mains of the modules a go.work uses that are inside the folder (each with its go.mod). Open the folder that holds the program, or add it to the workspace with `go work use`.',
            evidence: [firstLineEvidence('go.work', goWorkText)],
          },
        ]
      }
      const name = binaryName('.', null, folderName)
      return [
        {
          code: 'no-go-mod',
          severity: 'info',
          message: 'No usable go.mod: this is a GOPATH-style program, so Slipway builds it with a generated module.',
          detail: `The Dockerfile runs \`go mod init ${name}\` (and \`go mod tidy\`, which downloads any imports outside the standard library) inside the builder; your folder is not changed. Run \`go mod init\` yourself to pin dependency versions.`,
        },
      ]
    }
    for (const r of module.replaces.filter((x) => x.outsideContext))
      notices.push({
        code: 'replace-outside',
        severity: 'error',
        message: `go.mod replaces ${r.from} with ${r.to}, which is outside this folder: the build context will not contain it and the build fails.`,
        detail: 'Vendor the dependency (`go mod vendor`), publish it and require a version, or open the parent folder that holds both modules.',
        evidence: [r.evidence],
      })
    if (module.requires.length > 0 && !hasGoSum && !(vendor.present && vendor.consistent))
      notices.push({
        code: 'go-sum-missing',
        severity: 'warning',
        message: `go.mod requires ${module.requires.length} module${module.requires.length === 1 ? '' : 's'} but there is no go.sum: \`go mod download\` in the builder will stop with "missing go.sum entry".`,
        detail: 'Run `go mod tidy` and keep go.sum next to go.mod.',
        evidence: [module.evidence],
      })
    if (module.toolchain !== null && module.toolchain !== 'default')
      notices.push({
        code: 'toolchain',
        severity: 'info',
        message: `go.mod asks for toolchain ${module.toolchain} (language version go ${module.goVersion ?? 'unset'}).`,
        detail: `A builder image with Go ${module.toolchain.replace(/^go/, '')} or newer builds it without downloading a toolchain (offline builds need that).`,
        evidence: [lineEvidence(goModFile, goModText ?? '', /^\s*toolchain\s/) ?? module.evidence],
      })
    if (vendor.present && vendor.consistent && module.requires.length > 0)
      notices.push({ code: 'vendor', severity: 'info', message: 'vendor/ matches go.mod: builds use -mod=vendor and download nothing.' })
    else if (vendor.present && !vendor.consistent)
      notices.push({
        code: 'vendor-inconsistent',
        severity: 'error',
        message: 'vendor/ does not match go.mod: `go build` stops with "inconsistent vendoring".',
        detail: `${vendor.problems.slice(0, 10).join('\n')}\nRun \`go mod vendor\` to bring vendor/ up to date (or delete vendor/ to download modules instead).`,
      })
    // A cgo-only dependency in go.mod that the chosen main does not import itself may still come in through another dependency.
    if (selected && module.requires.some((r) => CGO_PACKAGES.some((p) => underPath(r.path, p)))) {
      const imported = new Set(packageClosure(selected.dir, modulePath, packages).flatMap((d) => (packages.get(d) ?? []).flatMap((f) => f.imports.map((i) => i.path))))
      module.requires.forEach((r, idx) => {
        if (r.indirect || !CGO_PACKAGES.some((p) => underPath(r.path, p)) || [...imported].some((i) => underPath(i, r.path))) return
        notices.push({
          code: 'cgo-dependency',
          severity: 'info',
          message: `go.mod requires ${r.path}, which needs cgo; ${selected.dir === '.' ? 'the main package' : selected.dir} does not import it directly.`,
          detail: 'If another dependency uses it, the program needs CGO_ENABLED=1 and a C library in the image.',
          evidence: [{ file: goModFile, line: requireLines[idx] ?? module.evidence.line }],
        })
      })
    }
    return notices
  }

  /**
   * What the go.work means for this build, and where the chosen main's module is: said the way the
   * Dockerfile does it (GOWORK kept for a workspace inside the folder, GOWORK=off otherwise; the
   * module's own folder for a module in a subfolder).
   */
  private workspaceNotices(goWorkText: string | null, uses: GoWorkUses | null, mode: 'workspace' | 'off' | undefined, moduleDir: string, rootIsModule: boolean, units: ReadonlyMap<string, ModuleUnit>): Notice[] {
    const notices: Notice[] = []
    const offered = [...units.values()].filter((u) => u.dir !== '.' && u.mains.length > 0).map((u) => `${u.dir}/`)
    const where = moduleDir === '.' ? 'the module at the root' : `the module in ${moduleDir}/`
    if (goWorkText !== null && uses && mode === 'workspace')
      notices.push({
        code: 'go-work',
        severity: 'info',
        message: `go.work: a workspace of ${uses.inside.map((u) => (u === '.' ? 'the root module' : `${u}/`)).join(', ')}, all inside this folder, so the build keeps it: ${where} builds as \`go build\` does in the workspace.`,
        detail: 'The whole folder (with go.work and go.work.sum) is the build context, so imports between the workspace’s modules resolve to the folders it uses.',
        evidence: [firstLineEvidence('go.work', goWorkText)],
      })
    else if (goWorkText !== null && uses && (rootIsModule || units.size > 0)) {
      const missing = uses.inside.filter((d) => !(d === '.' ? rootIsModule : units.has(d)))
      const why = uses.outside.length
        ? `it uses ${uses.outside.map((u) => `"${u.slice(0, 80)}"`).join(', ')}, outside this folder, which the build context cannot hold`
        : missing.length
          ? `it uses ${missing.map((u) => `${u}/`).join(', ')}, which ${missing.length === 1 ? 'has' : 'have'} no go.mod (go stops with "cannot load module")`
          : 'it uses no module Slipway can read'
      notices.push({
        code: 'go-work',
        severity: 'warning',
        message: `go.work cannot be built as a workspace here: ${why}. The Dockerfile sets GOWORK=off and builds ${where} alone, from its go.mod.`,
        detail: 'Imports of other workspace modules then resolve through that go.mod: a require with a published version, or a replace with a folder inside this one (or `go mod vendor`).',
        evidence: [firstLineEvidence('go.work', goWorkText)],
      })
    }
    if (!rootIsModule && offered.length > 0)
      notices.push({
        code: 'modules-in-subfolders',
        severity: 'info',
        message: `No go.mod at the root: the main packages of the module${offered.length === 1 ? '' : 's'} in ${offered.join(', ')} are offered, and the chosen one builds from its module's folder${moduleDir === '.' ? '' : ` (${moduleDir}/)`}.`,
      })
    return notices
  }

  private walkNotices(walk: WalkResult, scans: Map<string, GoFileScan>, offered: ReadonlySet<string>): Notice[] {
    const notices: Notice[] = []
    const list = (paths: string[]) => paths.slice(0, 10).join(', ') + (paths.length > 10 ? `, … (${paths.length - 10} more)` : '')
    if (walk.unreadable.length > 0)
      notices.push({
        code: 'unreadable',
        severity: 'warning',
        message: `${walk.unreadable.length} folder${walk.unreadable.length === 1 ? '' : 's'} could not be read: ${list(walk.unreadable.map((u) => `${u.path} (${u.code})`))}.`,
        detail: 'Slipway skipped them. `docker build` will fail to send them as part of the build context too: fix their permissions or list them in .dockerignore.',
      })
    if (walk.symlinkOutside.length > 0)
      notices.push({
        code: 'symlink-outside',
        severity: 'warning',
        message: `${walk.symlinkOutside.length} symlink${walk.symlinkOutside.length === 1 ? ' points' : 's point'} outside the folder: ${list(walk.symlinkOutside)}.`,
        detail: 'Slipway did not follow them, and inside the build context they point nowhere. Copy the files into the project instead.',
      })
    if (walk.symlinkDirs.length > 0)
      notices.push({
        code: 'symlink-dir',
        severity: 'info',
        message: `Folder symlinks are not followed (as \`go build ./...\` does not): ${list(walk.symlinkDirs)}.`,
      })
    if (walk.symlinkBroken.length > 0)
      notices.push({ code: 'symlink-broken', severity: 'info', message: `Broken symlinks (missing target or a loop): ${list(walk.symlinkBroken)}.` })
    if (walk.nonUtf8Names.length > 0)
      notices.push({
        code: 'non-utf8-name',
        severity: 'info',
        message: `${walk.nonUtf8Names.length} name${walk.nonUtf8Names.length === 1 ? ' is' : 's are'} not valid UTF-8 (shown with �): ${list(walk.nonUtf8Names)}.`,
        detail: '`go build` accepts them, but module zips (`go mod vendor`, proxies) refuse them and many tools mangle them; consider renaming.',
      })
    const nested = walk.nestedModules.filter((d) => !offered.has(d))
    if (nested.length > 0)
      notices.push({
        code: 'nested-module',
        severity: 'info',
        message: `${list(nested.map((d) => `${d}/`))} ${nested.length === 1 ? 'has its' : 'have their'} own go.mod: separate module${nested.length === 1 ? '' : 's'}, not part of this build.`,
        detail: 'Open such a folder on its own to containerize it.',
      })
    const noPackage = [...scans.values()].filter((s) => s.packageName === null && !s.binary && s.illegal === 0).map((s) => s.file)
    if (noPackage.length > 0)
      notices.push({
        code: 'no-package-clause',
        severity: 'warning',
        message: `${list(noPackage)} ${noPackage.length === 1 ? 'has' : 'have'} no package clause: the Go compiler refuses ${noPackage.length === 1 ? 'it' : 'them'}.`,
        evidence: noPackage.slice(0, 10).map((file) => ({ file, line: 1 })),
      })
    return notices
  }

  private mainNotices(mains: MainPackage[], selected: MainPackage | null): Notice[] {
    if (mains.length === 0)
      return [
        {
          code: 'no-main',
          severity: 'error',
          message: 'No main package: there is no program to build into an image.',
          detail: 'Slipway looks for `package main` with `func main()` in the folder and its subfolders. A library has nothing to run.',
        },
      ]
    if (mains.length > 1 && selected)
      return [
        {
          code: 'several-mains',
          severity: 'info',
          message: `${mains.length} main packages (${mains.map((m) => m.dir).join(', ')}); the needs shown are for ${selected.dir}.`,
          // Each front end says how to pick one (the app's Main menu, the CLI's --main): see there.
          detail: 'Pick another one to see its needs.',
        },
      ]
    return []
  }
}

/**
 * Hands the walk's .go files to the scan queue on this thread, and past POOL_AFTER of them to the
 * scan pool in batches (a batch whose worker fails goes to the queue instead).
 */
class PoolFeed {
  private seen = 0
  private batch: FileScanJob[] = []
  private readonly pending: Promise<void>[] = []

  constructor(
    private readonly pool: ScanPool | null,
    private readonly maxBytes: number,
    private readonly queue: ScanQueue,
    private readonly onResults: (results: FileScanResult[]) => void,
  ) {}

  push(f: GoSourceFile) {
    if (!this.pool || this.seen++ < POOL_AFTER) return this.queue.push(f)
    this.batch.push({ rel: f.rel, abs: f.abs, mode: 'auto' })
    if (this.batch.length >= POOL_BATCH) this.send()
  }

  /** Sends what is left and waits for every batch. */
  async finish() {
    this.send()
    await Promise.all(this.pending)
  }

  private send() {
    const jobs = this.batch
    if (!this.pool || jobs.length === 0) return
    this.batch = []
    this.pending.push(
      this.pool.run(jobs, this.maxBytes).then(this.onResults, () => {
        for (const j of jobs) this.queue.push({ rel: j.rel, abs: j.abs })
      }),
    )
  }
}

/** Whether the machine has a core to spare for the scan pool (see GoProjectsDeps.usePool). */
function coreToSpare(): boolean {
  const load = loadavg()[0] ?? 0
  return load === 0 || load < availableParallelism() - 0.5
}

/** Runs a synchronous job for each pushed item, in slices of SLICE_MS with the event loop in between. */
class ScanQueue {
  private readonly items: GoSourceFile[] = []
  private next = 0
  private wake: (() => void) | null = null
  private closed = false
  private cancelled = false
  private readonly done: Promise<void>

  constructor(private readonly job: (f: GoSourceFile) => void) {
    this.done = this.run()
  }

  push(f: GoSourceFile) {
    this.items.push(f)
    this.wake?.()
  }

  /** No more items: wait until all are done (or drop the rest when `cancel`). */
  async finish(cancel: boolean) {
    this.closed = true
    this.cancelled = cancel
    this.wake?.()
    await this.done
  }

  private async run() {
    for (;;) {
      if (this.next >= this.items.length) {
        if (this.closed) return
        await new Promise<void>((resolve) => (this.wake = resolve))
        this.wake = null
        continue
      }
      const slice = performance.now()
      while (this.next < this.items.length && !this.cancelled && performance.now() - slice < SLICE_MS) {
        const f = this.items[this.next++]
        if (f) this.job(f)
      }
      if (this.cancelled) return
      await yieldToLoop()
    }
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function lineEvidence(file: string, text: string, re: RegExp): Evidence | null {
  const lines = text.split(/\r?\n/)
  const idx = lines.findIndex((l) => re.test(l))
  return idx < 0 ? null : { file, line: idx + 1, text: (lines[idx] ?? '').trim() }
}

function firstLineEvidence(file: string, text: string): Evidence {
  const lines = text.split(/\r?\n/)
  const idx = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('//'))
  return { file, line: idx < 0 ? 1 : idx + 1, text: (lines[idx < 0 ? 0 : idx] ?? '').trim() }
}
