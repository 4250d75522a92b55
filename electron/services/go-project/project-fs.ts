import { closeSync, openSync, readSync } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { sep } from 'node:path'

/** A path as the file system takes it: a string, or raw bytes for names that are not valid UTF-8. */
export type FsPath = string | Buffer

/** One entry of a folder listing. */
export interface DirEntry {
  /** The name as text (undecodable bytes become U+FFFD). */
  name: string
  /** The raw name, only when it is not valid UTF-8 (so the file can still be opened). */
  raw?: Buffer
  kind: 'file' | 'dir' | 'symlink' | 'other'
}

/**
 * The few file-system calls the project reader makes. Tests pass their own to simulate what root
 * cannot (an unreadable folder). Every call only reads.
 */
export interface ProjectFs {
  list(path: FsPath): Promise<DirEntry[]>
  /** What a path is after following symlinks. */
  stat(path: FsPath): Promise<'file' | 'dir' | 'other'>
  realpath(path: FsPath): Promise<string>
  /**
   * Reads up to `max` bytes from the start of a file into a shared buffer, synchronously: for many
   * small files this is ~7× faster than the thread-pool round trips of fs/promises (measured: 20,000
   * files in ~300 ms vs ~2 s on 2 cores). Callers yield to the event loop between slices.
   * The bytes are only valid until the next call.
   */
  readHead(path: FsPath, max: number): Buffer
}

const kindOf = (d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): DirEntry['kind'] =>
  d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other'

let shared = Buffer.alloc(0)

/** The real file system. */
export const nodeProjectFs: ProjectFs = {
  async list(path) {
    const entries = await readdir(path, { withFileTypes: true })
    if (!entries.some((e) => e.name.includes('\uFFFD'))) return entries.map((e) => ({ name: e.name, kind: kindOf(e) }))
    // Some names are not UTF-8: read them again as bytes, so they can be opened.
    const raw = await readdir(path, { withFileTypes: true, encoding: 'buffer' })
    return raw.map((e) => {
      const bytes = Buffer.from(e.name)
      const name = bytes.toString('utf8')
      return name.includes('\uFFFD') ? { name, raw: bytes, kind: kindOf(e) } : { name, kind: kindOf(e) }
    })
  },
  async stat(path) {
    const s = await stat(path)
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'
  },
  realpath: (path) => realpath(path, { encoding: 'utf8' }),
  readHead(path, max) {
    if (shared.length < max) shared = Buffer.allocUnsafe(max)
    const fd = openSync(path, 'r')
    try {
      let n = 0
      // A regular file returns everything up to its end in one read: a short read means the end
      // (which saves the extra read that would return 0 — one syscall per file).
      for (;;) {
        const got = readSync(fd, shared, n, max - n, n)
        n += got
        if (got === 0 || n >= max || got < 65536) break
      }
      return shared.subarray(0, n)
    } finally {
      closeSync(fd)
    }
  },
}

/** Joins a folder and one of its entries, keeping raw bytes when either side needs them. */
export function joinPath(dir: FsPath, entry: DirEntry): FsPath {
  if (typeof dir === 'string' && !entry.raw) return dir.endsWith(sep) ? dir + entry.name : dir + sep + entry.name
  const head = typeof dir === 'string' ? Buffer.from(dir) : dir
  const tail = entry.raw ?? Buffer.from(entry.name)
  return Buffer.concat([head, Buffer.from(head[head.length - 1] === sep.charCodeAt(0) ? '' : sep), tail])
}
