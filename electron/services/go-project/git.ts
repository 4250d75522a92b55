// Git state of an UNTRUSTED project folder. Git obeys the repository's own .git/config, and a
// hostile one runs commands (core.fsmonitor, filter drivers named in .gitattributes, hooks, external
// diff and textconv drivers, transports for lazy fetches). So the commit and the tag are read from
// the files under .git (HEAD, refs, packed-refs, tag objects) without running git at all, and git
// runs only for the dirty flag, with every config-driven execution overridden (see dirtyState).
import { execFile } from 'node:child_process'
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { inflateSync } from 'node:zlib'
import type { GitState } from '../../../shared/types/project'

/** Runs `git ARGS` in `cwd` and resolves with stdout; rejects when git is missing or fails. */
export type GitRunner = (args: string[], cwd: string) => Promise<string>

/**
 * The environment every git run gets: nothing inherited from GIT_* variables, no system or global
 * config (the project's git runs as if the user had none), no system attributes, no optional locks
 * (so `status` never writes into .git), no pager, no prompts, and no transport at all, so a lazy
 * fetch of a partial clone cannot run an ssh command or a remote helper named by the repository.
 */
export function hardenedGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('GIT_') && v !== undefined) env[k] = v
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_NO_LAZY_FETCH: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
  }
}

/** Runs the git binary `bin` through execFile (no shell) with hardenedGitEnv. */
export const createGitRunner =
  (bin = 'git'): GitRunner =>
  (args, cwd) =>
    new Promise((resolve, reject) => {
      execFile(bin, args, { cwd, timeout: 10_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true, env: hardenedGitEnv() }, (err, stdout) => (err ? reject(err) : resolve(stdout)))
    })

/** The `git` on PATH. */
export const runGit: GitRunner = createGitRunner()

/** Where a repository lives: the working tree, its git dir, and the common dir that holds refs and objects (different for a linked worktree). */
export interface GitRepo {
  worktree: string
  gitDir: string
  commonDir: string
}

/**
 * The repository that holds `dir`, found as git finds it: the nearest `.git` upwards, a folder or a
 * `gitdir: PATH` file (worktrees, submodules). Reading only: nothing in it is ever executed.
 */
export async function findRepo(dir: string): Promise<GitRepo | null> {
  let cur = resolve(dir)
  for (;;) {
    const dotGit = join(cur, '.git')
    const kind = await stat(dotGit).then(
      (s) => (s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null),
      () => null,
    )
    if (kind === 'dir' && (await isGitDir(dotGit))) return withCommonDir(cur, dotGit)
    if (kind === 'file') {
      // git stops at an invalid gitfile instead of looking further up: so do we.
      const text = await readSmall(dotGit, 4096)
      const m = text === null ? null : /^gitdir: *(.+?)\s*$/m.exec(text)
      if (!m?.[1]) return null
      const gitDir = resolve(cur, m[1])
      return (await isGitDir(gitDir)) ? withCommonDir(cur, gitDir) : null
    }
    const parent = resolve(cur, '..')
    if (parent === cur) return null
    cur = parent
  }
}

async function isGitDir(dir: string): Promise<boolean> {
  const head = await stat(join(dir, 'HEAD')).catch(() => null)
  if (!head?.isFile()) return false
  const objects = await stat(join(dir, 'objects')).catch(() => null)
  const common = await stat(join(dir, 'commondir')).catch(() => null)
  return Boolean(objects?.isDirectory() || common?.isFile())
}

async function withCommonDir(worktree: string, gitDir: string): Promise<GitRepo> {
  const text = await readSmall(join(gitDir, 'commondir'), 4096)
  const rel = text?.trim()
  return { worktree, gitDir, commonDir: rel ? resolve(gitDir, rel) : gitDir }
}

/**
 * Tag, short commit and dirty state of the repository that holds `dir`; null when `dir` is not in a
 * repository or it has no commit yet. The tag is a tag pointing exactly at HEAD (annotated ones
 * first, then the highest version) with `-dirty` when tracked files changed, else null: a
 * `git describe` style `v1.2-3-gabc` would need a walk of the history, so a commit after a tag has
 * no tag and VERSION falls back to the short commit. `dirty` counts untracked files under `dir`
 * too (as Go's own vcs.modified does); it is false when git is not installed (`run` null or failing).
 */
export async function gitState(dir: string, run: GitRunner | null = runGit): Promise<GitState | null> {
  const repo = await findRepo(dir)
  if (!repo) return null
  const head = await resolveRef(repo, 'HEAD')
  if (!head) return null
  const [tag, changes] = await Promise.all([exactTag(repo, head).catch(() => null), run ? dirtyState(dir, run).catch(() => null) : null])
  return { tag: tag !== null && changes?.tracked ? `${tag}-dirty` : tag, commit: head.slice(0, 7), dirty: changes?.any ?? false }
}

// ── refs ──

const HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
/** Ref names as git allows them, narrowed: no `..`, no leading `/`, so a hostile `ref:` line cannot name a file outside the repository. */
const REF_NAME = /^(?:HEAD|refs\/[A-Za-z0-9._\-/+@]+)$/

/** The object a ref names, following symbolic refs (`ref: refs/heads/main`) a few levels deep. */
async function resolveRef(repo: GitRepo, name: string, depth = 0): Promise<string | null> {
  if (depth > 5 || !REF_NAME.test(name) || name.split('/').some((p) => p === '..' || p === '.' || p === '')) return null
  // HEAD (and other per-worktree refs) live in the git dir; branches and tags in the common dir.
  const base = name === 'HEAD' ? repo.gitDir : repo.commonDir
  const text = (await readSmall(join(base, ...name.split('/')), 4096))?.trim()
  if (text !== undefined) {
    if (HASH.test(text)) return text
    const sym = /^ref: *(\S+)$/.exec(text)
    return sym?.[1] ? resolveRef(repo, sym[1], depth + 1) : null
  }
  return (await packedRefs(repo)).refs.get(name) ?? null
}

interface PackedRefs {
  refs: Map<string, string>
  /** For annotated tags: the object the tag points at, when packed-refs records it (`^HASH` lines). */
  peeled: Map<string, string>
}

async function packedRefs(repo: GitRepo): Promise<PackedRefs> {
  const refs = new Map<string, string>()
  const peeled = new Map<string, string>()
  const text = await readSmall(join(repo.commonDir, 'packed-refs'), 64 * 1024 * 1024)
  let last: string | null = null
  for (const line of (text ?? '').split('\n')) {
    const ref = /^([0-9a-f]{40,64}) (refs\/\S+)$/.exec(line)
    if (ref?.[1] && ref[2] && HASH.test(ref[1])) {
      refs.set(ref[2], ref[1])
      last = ref[2]
      continue
    }
    const peel = /^\^([0-9a-f]{40,64})$/.exec(line)
    if (peel?.[1] && last !== null) peeled.set(last, peel[1])
    last = peel ? null : last
  }
  return { refs, peeled }
}

/** Loose tags under refs/tags, recursively (tag names may contain slashes), at most `max` of them. */
async function looseTags(repo: GitRepo, max = 10_000): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > 8 || out.size >= max) return
    const entries = await readdir(join(repo.commonDir, ...rel.split('/')), { withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (out.size >= max) return
      const name = `${rel}/${e.name}`
      if (e.isDirectory()) await walk(name, depth + 1)
      else if (e.isFile() && REF_NAME.test(name)) {
        const text = (await readSmall(join(repo.commonDir, ...name.split('/')), 4096))?.trim()
        if (text !== undefined && HASH.test(text)) out.set(name, text)
      }
    }
  }
  await walk('refs/tags', 0)
  return out
}

/** The tag pointing exactly at `commit`: annotated tags first (as `git describe` prefers them), then the highest version. */
async function exactTag(repo: GitRepo, commit: string): Promise<string | null> {
  const packed = await packedRefs(repo)
  const tags = new Map<string, string>()
  for (const [ref, hash] of packed.refs) if (ref.startsWith('refs/tags/')) tags.set(ref, hash)
  for (const [ref, hash] of await looseTags(repo)) tags.set(ref, hash) // a loose ref wins over its packed copy
  const annotated: string[] = []
  const lightweight: string[] = []
  let objectReads = 0
  for (const [ref, hash] of tags) {
    const name = ref.slice('refs/tags/'.length)
    if (hash === commit) {
      lightweight.push(name)
      continue
    }
    const recorded = packed.refs.get(ref) === hash ? packed.peeled.get(ref) : undefined
    if (recorded !== undefined) {
      if (recorded === commit) annotated.push(name)
      continue
    }
    // A tag object: read it to see what it points at (a tag of a tag is followed a few levels).
    let target: string | null = hash
    for (let i = 0; i < 4 && target !== null && target !== commit && objectReads < 1000; i++) {
      objectReads++
      const obj: GitObject | null = await readObject(repo.commonDir, target).catch(() => null)
      target = obj?.type === 'tag' ? (/^object ([0-9a-f]{40,64})$/m.exec(obj.data.toString('latin1'))?.[1] ?? null) : null
    }
    if (target === commit) annotated.push(name)
  }
  const best = (names: string[]) => names.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))[0] ?? null
  return best(annotated) ?? best(lightweight)
}

// ── objects (only small ones are ever needed: tag objects) ──

interface GitObject {
  type: 'commit' | 'tree' | 'blob' | 'tag'
  data: Buffer
}

const MAX_OBJECT = 1024 * 1024
const TYPES = [null, 'commit', 'tree', 'blob', 'tag'] as const

/** Reads an object, loose or from a pack (deltas applied); null when it is not there or larger than MAX_OBJECT. */
async function readObject(commonDir: string, hash: string, depth = 0): Promise<GitObject | null> {
  if (depth > 50 || !HASH.test(hash)) return null
  const objects = join(commonDir, 'objects')
  const loose = await readSmall(join(objects, hash.slice(0, 2), hash.slice(2)), MAX_OBJECT, null)
  if (loose !== null) {
    const raw = inflateSync(loose, { maxOutputLength: MAX_OBJECT + 64 })
    const nul = raw.indexOf(0)
    const m = /^(commit|tree|blob|tag) (\d+)$/.exec(raw.subarray(0, nul).toString('latin1'))
    return m?.[1] ? { type: m[1] as GitObject['type'], data: raw.subarray(nul + 1) } : null
  }
  const packDir = join(objects, 'pack')
  for (const name of await readdir(packDir).catch(() => [] as string[])) {
    if (!name.endsWith('.idx')) continue
    const offset = await findInIndex(join(packDir, name), hash)
    if (offset !== null) return readPacked(commonDir, join(packDir, `${name.slice(0, -4)}.pack`), offset, hash.length / 2, depth)
  }
  return null
}

/** Looks a hash up in a version 2 pack index with a handful of positioned reads (indexes of big repositories are hundreds of MB). */
async function findInIndex(idxPath: string, hash: string): Promise<number | null> {
  const fh = await open(idxPath, 'r').catch(() => null)
  if (!fh) return null
  try {
    const at = async (pos: number, len: number) => {
      const b = Buffer.alloc(len)
      const { bytesRead } = await fh.read(b, 0, len, pos)
      if (bytesRead !== len) throw new Error('short read')
      return b
    }
    const head = await at(0, 8 + 256 * 4)
    if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) return null
    const want = Buffer.from(hash, 'hex')
    const hs = want.length
    const first = want[0] ?? 0
    const count = head.readUInt32BE(8 + 255 * 4)
    let lo = first === 0 ? 0 : head.readUInt32BE(8 + (first - 1) * 4)
    let hi = head.readUInt32BE(8 + first * 4)
    const names = 8 + 256 * 4
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const cmp = (await at(names + mid * hs, hs)).compare(want)
      if (cmp === 0) {
        const offsets = names + count * hs + count * 4
        const small = (await at(offsets + mid * 4, 4)).readUInt32BE(0)
        if ((small & 0x80000000) === 0) return small
        const large = await at(offsets + count * 4 + (small & 0x7fffffff) * 8, 8)
        return Number(large.readBigUInt64BE(0))
      }
      if (cmp < 0) lo = mid + 1
      else hi = mid
    }
    return null
  } catch {
    return null
  } finally {
    await fh.close()
  }
}

async function readPacked(commonDir: string, packPath: string, offset: number, hashBytes: number, depth: number): Promise<GitObject | null> {
  if (depth > 50) return null
  const fh = await open(packPath, 'r')
  let header: Buffer
  let body: Buffer
  let typeNum: number
  let size: number
  let pos: number
  try {
    header = Buffer.alloc(32 + hashBytes)
    const { bytesRead } = await fh.read(header, 0, header.length, offset)
    header = header.subarray(0, bytesRead)
    let c = header[0] ?? 0
    typeNum = (c >> 4) & 7
    size = c & 15
    let shift = 4
    pos = 1
    while (c & 0x80) {
      c = header[pos++] ?? 0
      size += (c & 0x7f) * 2 ** shift
      shift += 7
    }
    if (size > MAX_OBJECT) return null
    let base: Promise<GitObject | null> | null = null
    if (typeNum === 6) {
      // OFS_DELTA: the base is earlier in the same pack.
      c = header[pos++] ?? 0
      let back = c & 0x7f
      while (c & 0x80) {
        c = header[pos++] ?? 0
        back = (back + 1) * 128 + (c & 0x7f)
      }
      base = readPacked(commonDir, packPath, offset - back, hashBytes, depth + 1)
    } else if (typeNum === 7) {
      base = readObject(commonDir, header.subarray(pos, pos + hashBytes).toString('hex'), depth + 1)
      pos += hashBytes
    }
    // Deflate adds a few bytes per block; a little more than `size` always holds the whole stream.
    const want = size + 1024 + Math.ceil(size / 64)
    body = Buffer.alloc(want)
    const read = await fh.read(body, 0, want, offset + pos)
    body = inflateSync(body.subarray(0, read.bytesRead), { maxOutputLength: Math.max(size, 1) })
    if (base === null) {
      const type = TYPES[typeNum]
      return type ? { type, data: body } : null
    }
    const b = await base
    return b ? { type: b.type, data: applyDelta(b.data, body) } : null
  } finally {
    await fh.close()
  }
}

/** Applies a git delta (copy and insert instructions) to its base. */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let pos = 0
  const varint = () => {
    let n = 0
    let shift = 0
    let c: number
    do {
      c = delta[pos++] ?? 0
      n += (c & 0x7f) * 2 ** shift
      shift += 7
    } while (c & 0x80)
    return n
  }
  if (varint() !== base.length) throw new Error('delta base size mismatch')
  const size = varint()
  if (size > MAX_OBJECT) throw new Error('object too large')
  const out = Buffer.alloc(size)
  let o = 0
  while (pos < delta.length) {
    const op = delta[pos++] ?? 0
    if (op & 0x80) {
      let off = 0
      let len = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += (delta[pos++] ?? 0) * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) len += (delta[pos++] ?? 0) * 2 ** (8 * i)
      if (len === 0) len = 0x10000
      if (off + len > base.length || o + len > size) throw new Error('bad delta')
      base.copy(out, o, off, off + len)
      o += len
    } else if (op > 0) {
      if (o + op > size || pos + op > delta.length) throw new Error('bad delta')
      delta.copy(out, o, pos, pos + op)
      o += op
      pos += op
    } else throw new Error('bad delta')
  }
  if (o !== size) throw new Error('bad delta')
  return out
}

// ── dirty: git status, with every command the repository could name overridden ──

/** Config that makes git run commands, turned off for every run on a project. */
const ALWAYS_OFF = [
  'core.fsmonitor=false',
  'core.useBuiltinFSMonitor=false',
  'core.hooksPath=/dev/null',
  'core.attributesFile=/dev/null',
  'core.untrackedCache=false',
  'core.pager=cat',
  'core.sshCommand=',
  'core.askPass=',
  'credential.helper=',
  'diff.external=',
  'diff.ignoreSubmodules=all',
  'status.submoduleSummary=false',
  'submodule.recurse=false',
  'protocol.allow=never',
]

/** Per-driver config (`filter.NAME.clean`, …) whose NAME only the repository knows, and the value that disables it. */
const PER_NAME: Record<string, [string, string][]> = {
  filter: [
    ['clean', ''],
    ['smudge', ''],
    ['process', ''],
    ['required', 'false'],
  ],
  diff: [
    ['command', ''],
    ['textconv', ''],
  ],
  merge: [['driver', '']],
  protocol: [['allow', 'never']],
}

/**
 * The `-c` arguments that turn off everything in the repository's config that could run a command
 * during `git status`; null when that cannot be expressed (a driver name `-c` cannot carry). Driver
 * names (filters named by .gitattributes, diff drivers, …) are only known from the config itself,
 * so they are listed with `git config --list`, which only parses (includes too) and runs nothing.
 * An empty `filter.NAME.clean`/`process` makes git skip the filter (convert.c: `if (cmd && *cmd)`).
 */
export async function disablingArgs(dir: string, run: GitRunner): Promise<string[] | null> {
  const listed = await run(['config', '--list', '-z'], dir)
  const names = new Map<string, Set<string>>()
  for (const entry of listed.split('\0')) {
    const key = entry.split('\n', 1)[0] ?? ''
    const first = key.indexOf('.')
    const last = key.lastIndexOf('.')
    if (first < 0 || last <= first) continue
    const section = key.slice(0, first).toLowerCase()
    if (!(section in PER_NAME)) continue
    const sub = key.slice(first + 1, last)
    // `-c KEY=VALUE` ends the key at the first '='; such a name cannot be overridden this way.
    if (sub.includes('=') || /[\0\n]/.test(sub)) return null
    const set = names.get(section) ?? new Set<string>()
    set.add(sub)
    names.set(section, set)
  }
  const args: string[] = []
  for (const kv of ALWAYS_OFF) args.push('-c', kv)
  for (const [section, subs] of names) for (const sub of subs) for (const [k, v] of PER_NAME[section] ?? []) args.push('-c', `${section}.${sub}.${k}=${v}`)
  // A config made to blow up the command line is not one to run git on.
  return args.length > 4000 ? null : args
}

/**
 * `git status` under `dir`: whether anything changed (untracked files included) and whether a
 * tracked file changed. Runs git only with disablingArgs and hardenedGitEnv; submodules are not
 * looked into (that would start git in them, with their own config) and renames are not detected
 * (which reads contents through drivers). null when it cannot be run safely or fails.
 */
async function dirtyState(dir: string, run: GitRunner): Promise<{ any: boolean; tracked: boolean } | null> {
  const off = await disablingArgs(dir, run)
  if (off === null) return null
  const out = await run(['--no-optional-locks', ...off, 'status', '--porcelain', '-z', '--no-renames', '--untracked-files=normal', '--ignore-submodules=all', '--', '.'], dir)
  const entries = out.split('\0').filter((l) => l.trim() !== '')
  return { any: entries.length > 0, tracked: entries.some((l) => !l.startsWith('??')) }
}

// ── files ──

/** Reads a regular file of at most `max` bytes; null when missing, not a file or larger. Text unless `encoding` is null. */
async function readSmall(file: string, max: number): Promise<string | null>
async function readSmall(file: string, max: number, encoding: null): Promise<Buffer | null>
async function readSmall(file: string, max: number, encoding: 'utf8' | null = 'utf8'): Promise<string | Buffer | null> {
  if (!isAbsolute(file)) return null
  const s = await stat(file).catch(() => null)
  if (!s?.isFile() || s.size > max) return null
  const data = await readFile(file).catch(() => null)
  if (data === null) return null
  return encoding === null ? data : data.toString('utf8')
}
