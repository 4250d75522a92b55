// Layer indexes on disk, one JSON file per image id, so opening an image a second time is instant.
// Writes are atomic (temp file + rename), total size is bounded (least recently used go first), and a
// file that does not parse or does not look like an index is deleted and rebuilt by the caller.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LAYER_INDEX_FORMAT_VERSION, type LayerIndex } from '../../../shared/layers/types'

export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 * 1024
/** A temp file older than this belongs to a process that died mid-write. */
const STALE_TEMP_MS = 10 * 60 * 1000

export class IndexCache {
  constructor(
    private readonly dir: string,
    private readonly maxBytes = DEFAULT_CACHE_MAX_BYTES,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached index of an image, or undefined (also when the file was damaged: it is removed). */
  async get(imageId: string): Promise<LayerIndex | undefined> {
    const file = this.file(imageId)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      return undefined
    }
    try {
      const index = JSON.parse(text) as LayerIndex
      if (!isIndex(index, imageId)) throw new Error('not a layer index')
      const t = new Date(this.now())
      await utimes(file, t, t).catch(() => undefined)
      return index
    } catch {
      await unlink(file).catch(() => undefined)
      return undefined
    }
  }

  /** Stores an index atomically, then evicts the least recently used files beyond the size bound. */
  async put(index: LayerIndex): Promise<void> {
    // Private: an index lists every file of an image, and images can be private.
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    const dirInfo = await stat(this.dir)
    if ((dirInfo.mode & 0o077) !== 0 && (process.getuid === undefined || dirInfo.uid === process.getuid())) await chmod(this.dir, 0o700).catch(() => undefined)
    const text = JSON.stringify(index)
    if (Buffer.byteLength(text) > this.maxBytes) return
    const file = this.file(index.imageId)
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await writeFile(temp, text, { mode: 0o600 })
      await rename(temp, file)
    } catch (err) {
      await unlink(temp).catch(() => undefined)
      throw err
    }
    await this.evict(file)
  }

  /** Removes one image's index. */
  async delete(imageId: string): Promise<void> {
    await unlink(this.file(imageId)).catch(() => undefined)
  }

  private async evict(keep: string): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const files: { path: string; size: number; used: number }[] = []
    for (const name of names) {
      const path = join(this.dir, name)
      const s = await stat(path).catch(() => undefined)
      if (!s?.isFile()) continue
      if (name.endsWith('.tmp')) {
        if (this.now() - s.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined)
        continue
      }
      if (name.endsWith('.json')) files.push({ path, size: s.size, used: s.mtimeMs })
    }
    let total = files.reduce((sum, f) => sum + f.size, 0)
    files.sort((a, b) => a.used - b.used)
    for (const f of files) {
      if (total <= this.maxBytes) break
      if (f.path === keep) continue
      await unlink(f.path).catch(() => undefined)
      total -= f.size
    }
  }

  private file(imageId: string): string {
    const hex = imageId.replace(/^sha256:/, '')
    if (!/^[0-9a-f]{12,128}$/i.test(hex)) throw new Error(`Not an image id: ${imageId}`)
    return join(this.dir, `${hex}.json`)
  }
}

/** Enough of a shape check that a truncated or foreign file is never handed to the UI. */
function isIndex(x: LayerIndex, imageId: string): boolean {
  if (!x || typeof x !== 'object') return false
  if (x.formatVersion !== LAYER_INDEX_FORMAT_VERSION || x.imageId !== imageId) return false
  if (!Array.isArray(x.layers) || !Array.isArray(x.entries) || x.layers.length !== x.entries.length) return false
  if (!x.paths || !Array.isArray(x.paths.names) || x.paths.names.length !== x.paths.parents?.length) return false
  if (!x.tree || !Array.isArray(x.tree.node) || x.tree.node.length !== x.tree.size?.length) return false
  if (!x.summary || typeof x.summary.efficiency !== 'number') return false
  return x.entries.every((e) => Array.isArray(e?.node) && e.node.length === e.size?.length && e.node.length === e.type?.length && e.node.length === e.change?.length)
}
