import { fileNameMatches } from '../../../shared/go/build-constraints'
import type { DirEntry, FsPath, ProjectFs } from './project-fs'
import { joinPath } from './project-fs'

/** Folders never scanned for Go packages (vendor/modules.txt is read separately). */
const SKIPPED = new Set(['node_modules', 'vendor', 'testdata'])

/** Whether the walk descends into a folder of this name: not hidden, not `_`-prefixed, not vendor/testdata/node_modules. */
export function scannedFolder(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_') && !SKIPPED.has(name)
}

/**
 * Whether the go command reads a .go file of this name in a linux build: not a test, not `_` or `.`
 * first, no other GOOS/GOARCH in its name (go/build's matchFile decides this before opening a file).
 */
export function goReadsFile(name: string): boolean {
  return !name.endsWith('_test.go') && name[0] !== '_' && name[0] !== '.' && fileNameMatches(name)
}

/** A .go file found by the walk. */
export interface GoSourceFile {
  /** Relative to the root, forward slashes (undecodable bytes shown as U+FFFD). */
  rel: string
  abs: FsPath
}

/** Everything the walk saw, and what it could not follow or read. */
export interface WalkResult {
  /** The .go files of scanned folders the go command reads (goReadsFile): the files analysed. */
  goFiles: GoSourceFile[]
  /** Every .go file seen, tests included. */
  goCount: number
  /** Files seen (directories not counted). */
  files: number
  /** Files and folders seen. */
  entries: number
  /** Every file and folder seen, relative to the root (skipped folders appear, their contents do not). */
  paths: Set<string>
  /** Folders below the root that have their own go.mod. */
  nestedModules: string[]
  tooLarge: boolean
  unreadable: { path: string; code: string }[]
  /** Symlinks to folders: not followed (like `go build ./...`), so loops cannot happen. */
  symlinkDirs: string[]
  /** Symlinked files whose target lies outside the folder: not read, and broken inside the build context. */
  symlinkOutside: string[]
  /** Symlinks that point nowhere (or in a loop). */
  symlinkBroken: string[]
  nonUtf8Names: string[]
}

/** How walkProject reads the folder. */
export interface WalkOptions {
  fs: ProjectFs
  /** Stop past this many files and folders. */
  maxEntries: number
  /** Directory reads in flight at once. */
  concurrency: number
  /** Called for each file of goFiles as soon as it is found (so reading can overlap the walk). */
  onGoFile?: (f: GoSourceFile) => void
}

/**
 * Lists the project with bounded parallel `readdir`s. Never follows a directory symlink; reads a
 * symlinked file only when its real path stays inside the root. Unreadable folders are recorded
 * and skipped. Stops early (tooLarge) past `maxEntries`.
 */
export async function walkProject(root: string, rootReal: string, opts: WalkOptions): Promise<WalkResult> {
  const r: WalkResult = {
    goFiles: [], goCount: 0, files: 0, entries: 0, paths: new Set(), nestedModules: [], tooLarge: false, unreadable: [],
    symlinkDirs: [], symlinkOutside: [], symlinkBroken: [], nonUtf8Names: [],
  }
  const limit = limiter(opts.concurrency)
  const insideRoot = (p: string) => p === rootReal || p.startsWith(rootReal.endsWith('/') || rootReal.endsWith('\\') ? rootReal : `${rootReal}${rootReal.includes('\\') ? '\\' : '/'}`)

  // A file's absolute path is made only for the .go files that are read (most files are only listed).
  const addFile = (rel: string, dir: FsPath | null, entry: DirEntry, abs?: FsPath) => {
    const name = entry.name
    r.files++
    r.paths.add(rel)
    if (name.endsWith('.go')) {
      r.goCount++
      if (goReadsFile(name)) {
        const f = { rel, abs: abs ?? joinPath(dir as FsPath, entry) }
        r.goFiles.push(f)
        opts.onGoFile?.(f)
      }
    } else if (name === 'go.mod' && rel !== 'go.mod') r.nestedModules.push(rel.slice(0, -'/go.mod'.length))
  }

  const symlink = async (rel: string, abs: FsPath, entry: DirEntry) => {
    try {
      const kind = await limit(() => opts.fs.stat(abs))
      if (kind === 'dir') {
        r.symlinkDirs.push(rel)
        r.paths.add(rel)
      } else if (kind === 'file') {
        const real = await limit(() => opts.fs.realpath(abs))
        if (insideRoot(real)) addFile(rel, null, entry, abs)
        else r.symlinkOutside.push(rel)
      }
    } catch {
      r.symlinkBroken.push(rel)
    }
  }

  const visit = async (abs: FsPath, rel: string): Promise<void> => {
    if (r.tooLarge) return
    let entries: DirEntry[]
    try {
      entries = await limit(() => opts.fs.list(abs))
    } catch (e) {
      r.unreadable.push({ path: rel || '.', code: (e as NodeJS.ErrnoException).code ?? 'EIO' })
      return
    }
    r.entries += entries.length
    if (r.entries > opts.maxEntries) {
      r.tooLarge = true
      return
    }
    const work: Promise<void>[] = []
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name
      if (e.raw) r.nonUtf8Names.push(childRel)
      if (e.kind === 'dir') {
        r.paths.add(childRel)
        if (scannedFolder(e.name)) work.push(visit(joinPath(abs, e), childRel))
      } else if (e.kind === 'file') addFile(childRel, abs, e)
      else if (e.kind === 'symlink') work.push(symlink(childRel, joinPath(abs, e), e))
    }
    await Promise.all(work)
  }

  await visit(root, '')
  // The parallel walk finishes folders in any order; results do not depend on it.
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  r.goFiles.sort((a, b) => byName(a.rel, b.rel))
  for (const list of [r.nestedModules, r.symlinkDirs, r.symlinkOutside, r.symlinkBroken, r.nonUtf8Names]) list.sort(byName)
  r.unreadable.sort((a, b) => byName(a.path, b.path))
  return r
}

/** Runs at most `n` of the given async jobs at once. */
export function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0
  const queue: (() => void)[] = []
  const release = () => {
    active--
    queue.shift()?.()
  }
  return <T>(job: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++
        job().then(resolve, reject).finally(release)
      }
      if (active < n) start()
      else queue.push(start)
    })
}
