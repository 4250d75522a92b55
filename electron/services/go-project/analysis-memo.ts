// Analysing once per action. The app's Build asks for a preflight and then starts the build, a
// comparison checks every base first, a stack proposes and then comes up: each asks for the same
// folder's analysis moments apart. The memo answers again with the analysis it made while nothing
// the analysis could have read changed: a fingerprint of the folder — every entry under it (path,
// kind, size, mtime, ctime, inode), never followed through symlinks, .git's objects and logs left
// out — and the git files the version and dirty state come from when the repository lies above it.
// An entry changed after RACY_MS before the fingerprint started is not trusted — a same-size write
// within the clock's granularity can keep its mtime, as with git's "racily clean" entries — so an
// analysis made then is not kept; that also covers any change while the fingerprint and the
// analysis run side by side. Concurrent asks with the same fingerprint share one analysis.
import { createHash } from 'node:crypto'
import { lstatSync, type BigIntStats } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { AnalyzeOptions } from '../../../shared/contract'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { findRepo } from './git'

/** What analyses a folder (GoProjects). */
export interface Analyzer {
  analyze(dir: string, opts?: AnalyzeOptions): Promise<ProjectAnalysis>
}

/** Entries changed this recently (ms) make a fingerprint untrustworthy. */
export const RACY_MS = 2000
const KEEP = 8
/** The longest the fingerprint holds the thread between yields (ms). */
const SLICE_MS = 8
/** Past this many entries the folder is not fingerprinted (walking it would cost more than it saves): it is analysed every time. */
const MAX_ENTRIES = 50_000

/** A fingerprint of what an analysis of `root` reads; null when it cannot be taken (the folder is then analysed every time). */
export interface Fingerprint {
  value: string
  /** Something changed within RACY_MS: do not keep an analysis on this fingerprint. */
  racy: boolean
  entries: number
}

export class AnalysisMemo implements Analyzer {
  private readonly kept = new Map<string, { fingerprint: Promise<string | null>; analysis: Promise<ProjectAnalysis> }>()
  /** Answers given from the memo (for tests and benches). */
  hits = 0

  constructor(
    private readonly inner: Analyzer,
    private readonly now: () => number = Date.now,
  ) {}

  /** The folder's analysis: the kept one when the folder's fingerprint is unchanged, else a new one. */
  async analyze(dir: string, opts: AnalyzeOptions = {}): Promise<ProjectAnalysis> {
    const root = resolve(dir)
    const key = `${root}\0${JSON.stringify(opts)}`
    const mine = folderFingerprint(root, this.now).catch(() => null)
    const kept = this.kept.get(key)
    if (kept) {
      const [now, then] = await Promise.all([mine, kept.fingerprint])
      if (now && then && now.value === then) {
        this.hits++
        return kept.analysis
      }
    }
    // The fingerprint is taken alongside the analysis: a change while either runs is newer than the
    // fingerprint's start, so it makes the fingerprint racy (not kept) or different next time.
    const analysis = this.inner.analyze(dir, opts)
    const entry = { fingerprint: mine.then((fp) => (fp && !fp.racy ? fp.value : null)), analysis }
    this.kept.delete(key)
    this.kept.set(key, entry)
    while (this.kept.size > KEEP) this.kept.delete(this.kept.keys().next().value as string)
    const forget = () => this.kept.get(key) === entry && this.kept.delete(key)
    // Nothing is kept on an untrusted fingerprint, nor for a failed analysis: the next ask tries again.
    void entry.fingerprint.then((fp) => fp === null && forget())
    analysis.catch(forget)
    return analysis
  }
}

/**
 * Fingerprints everything under `root` an analysis may read, plus the repository's HEAD, index,
 * refs, config and ignore files when its git folder lies outside `root`.
 */
export async function folderFingerprint(root: string, now: () => number = Date.now): Promise<Fingerprint | null> {
  const started = BigInt(now() - RACY_MS) * 1_000_000n
  const hash = createHash('sha256')
  const state = { racy: false, entries: 0 }
  const add = (path: string, st: BigIntStats | null) => {
    state.entries++
    hash.update(`${path}\0${st ? `${st.mode}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}` : '-'}\n`)
    if (st && (st.mtimeNs > started || st.ctimeNs > started)) state.racy = true
  }
  const top = await lstat(root, { bigint: true })
  add('.', top)
  if (!top.isDirectory()) return null
  if (!(await walk(root, '', add, state))) return null
  const repo = await findRepo(root).catch(() => null)
  if (repo && isOutside(root, repo.gitDir)) {
    for (const f of [join(repo.gitDir, 'HEAD'), join(repo.gitDir, 'index'), join(repo.commonDir, 'packed-refs'), join(repo.commonDir, 'config'), join(repo.commonDir, 'info', 'exclude')])
      add(f, await lstat(f, { bigint: true }).catch(() => null))
    await walkAbs(join(repo.commonDir, 'refs'), add, state)
    // Ignore files of the folders between the repository's top and `root` decide what is untracked.
    for (let d = dirname(root); !isOutside(repo.worktree, d); d = dirname(d)) {
      add(join(d, '.gitignore'), await lstat(join(d, '.gitignore'), { bigint: true }).catch(() => null))
      if (d === dirname(d)) break
    }
  }
  return { value: hash.digest('hex'), racy: state.racy, entries: state.entries }
}

const isOutside = (root: string, p: string): boolean => {
  const rel = relative(root, p)
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)
}

/**
 * Adds every entry under `root/rel` (folders' entries in name order, then their subfolders); false
 * when there are too many. The folders are listed first and the entries counted, so a folder past
 * MAX_ENTRIES costs its listing only: an lstat per entry is most of a fingerprint's cost (measured on
 * the 50,000-file bench tree: 2.2 s of CPU, all wasted, since the answer there is "too many").
 */
async function walk(root: string, rel: string, add: (path: string, st: BigIntStats | null) => void, state: { entries: number }): Promise<boolean> {
  const paths: string[] = []
  if (!(await list(root, rel, paths, { listed: state.entries }))) return false
  // Synchronous lstats, in slices of SLICE_MS with the event loop in between: a thread-pool round
  // trip per entry cost ~4× the CPU (measured on 21,000 entries).
  let slice = performance.now()
  for (const p of paths) {
    if (performance.now() - slice > SLICE_MS) {
      await yieldToLoop()
      slice = performance.now()
    }
    let st: BigIntStats | null = null
    try {
      st = lstatSync(join(root, p), { bigint: true })
    } catch {
      // Gone since the listing: hashed as missing.
    }
    add(p, st)
  }
  return true
}

/** The paths under `root/rel` in walk order (see walk), counted in `seen.listed`; false past MAX_ENTRIES. */
async function list(root: string, rel: string, out: string[], seen: { listed: number }): Promise<boolean> {
  const entries = (await readdir(rel === '' ? root : join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  seen.listed += entries.length
  if (seen.listed > MAX_ENTRIES) return false
  const dirs: string[] = []
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`
    out.push(path)
    // .git's objects and logs change with every commit but say nothing the refs do not.
    if (e.isDirectory() && !(rel.endsWith('.git') && (e.name === 'objects' || e.name === 'logs') && (rel === '.git' || rel.endsWith('/.git')))) dirs.push(path)
  }
  for (const d of dirs) if (!(await list(root, d, out, seen))) return false
  return true
}

/** `walk` for a folder given by its absolute path (a repository's refs); nothing when it is missing. */
async function walkAbs(abs: string, add: (path: string, st: BigIntStats | null) => void, state: { entries: number }): Promise<void> {
  const names = await readdir(abs).catch(() => null)
  if (!names) return add(abs, null)
  await walk(abs, '', (p, st) => add(join(abs, p), st), state)
}

