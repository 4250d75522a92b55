// Layer indexes on disk, one packed file per image id (shared/layers/packed.ts), so opening an image a
// second time is instant: the file's bytes are what the renderer receives, unparsed on the way.
// Writes are atomic (temp file + rename), total size is bounded (least recently used go first), and a
// file that does not unpack or does not look like an index is deleted and rebuilt by the caller.
// Files of the earlier JSON format (`.json`) are removed when the cache is next written.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  isCurrentIndexMeta,
  PACKED_PREAMBLE,
  packedHeadLength,
  packedMeta,
  packedMetaOfHead,
  packLayerIndex,
  unpackLayerIndex,
  type PackedLayerIndex,
} from '../../../shared/layers/packed'
import { indexFirst, type IndexFirst } from '../../../shared/layers/first-view'
import type { LayerIndex, LayerSummary } from '../../../shared/layers/types'

/** The packed index files' extension. */
const EXT = '.slix'
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
    return this.read(imageId, ({ bytes }) => {
      const index = unpackLayerIndex(bytes)
      if (!isIndex(index, imageId)) throw new Error('not a layer index')
      return index
    })
  }

  /**
   * The cached index of an image as its packed bytes, checked (magic, version, image id, and that its
   * columns fill the file) but not unpacked: what `layers.get` sends as it is.
   */
  async getPacked(imageId: string): Promise<PackedLayerIndex | undefined> {
    return this.read(imageId, ({ bytes }) => {
      if (!isCurrentIndexMeta(packedMeta(bytes), imageId)) throw new Error('not this image')
      return bytes
    })
  }

  /**
   * The summary of a cached index, from the file's header only (its columns are not read: checked
   * against the file's size, as `packedMeta` checks them against the block).
   */
  async getSummary(imageId: string): Promise<LayerSummary | undefined> {
    return (await this.getHead(imageId))?.summary
  }

  /**
   * The summary and, when the index has one, its first view (the layers, history and the top layer's
   * top-level rows the explorer paints first), from the file's header only, like `getSummary`.
   */
  async getHead(imageId: string): Promise<{ summary: LayerSummary; first?: IndexFirst } | undefined> {
    return this.read(
      imageId,
      ({ bytes, size }) => {
        const meta = packedMetaOfHead(bytes, size)
        if (!isCurrentIndexMeta(meta, imageId) || typeof meta.summary?.efficiency !== 'number') throw new Error('not this image')
        const first = indexFirst(meta)
        return first ? { summary: meta.summary, first } : { summary: meta.summary }
      },
      readHead,
    )
  }

  /** Reads a cache file and hands it to `take`; a file `take` throws on is removed. Marks the file as used. */
  private async read<T>(
    imageId: string,
    take: (file: { bytes: Uint8Array; size: number }) => T,
    load: (file: string) => Promise<{ bytes: Uint8Array; size: number }> = readWhole,
  ): Promise<T | undefined> {
    const file = this.file(imageId)
    let got: { bytes: Uint8Array; size: number }
    try {
      got = await load(file)
    } catch {
      return undefined
    }
    try {
      const out = take(got)
      const t = new Date(this.now())
      await utimes(file, t, t).catch(() => undefined)
      return out
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
    const packed = packLayerIndex(index)
    if (packed.length > this.maxBytes) return
    const file = this.file(index.imageId)
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await writeFile(temp, packed, { mode: 0o600 })
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
      if (name.endsWith('.json')) await unlink(path).catch(() => undefined)
      else if (name.endsWith(EXT)) files.push({ path, size: s.size, used: s.mtimeMs })
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
    return join(this.dir, `${hex}${EXT}`)
  }
}

async function readWhole(file: string): Promise<{ bytes: Uint8Array; size: number }> {
  const bytes = await readFile(file)
  return { bytes, size: bytes.length }
}

/** The file's preamble and header, and its size. A file too short for its header is damaged: the head check says so. */
async function readHead(file: string): Promise<{ bytes: Uint8Array; size: number }> {
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const pre = new Uint8Array(Math.min(size, PACKED_PREAMBLE))
    await fh.read(pre, 0, pre.length, 0)
    let length: number
    try {
      length = Math.min(size, packedHeadLength(pre))
    } catch {
      return { bytes: pre, size }
    }
    const bytes = new Uint8Array(length)
    await fh.read(bytes, 0, length, 0)
    return { bytes, size }
  } finally {
    await fh.close()
  }
}

/** Enough of a shape check that a truncated or foreign file is never handed to the UI. */
function isIndex(x: LayerIndex, imageId: string): boolean {
  if (!x || typeof x !== 'object') return false
  if (!isCurrentIndexMeta(x, imageId)) return false
  if (!Array.isArray(x.layers) || !Array.isArray(x.entries) || x.layers.length !== x.entries.length) return false
  if (!x.paths || !Array.isArray(x.paths.names) || x.paths.names.length !== x.paths.parents?.length) return false
  if (!x.tree || !isColumn(x.tree.node) || x.tree.node.length !== x.tree.size?.length) return false
  if (!x.summary || typeof x.summary.efficiency !== 'number') return false
  return x.entries.every((e) => isColumn(e?.node) && e.node.length === e.size?.length && e.node.length === e.type?.length && e.node.length === e.change?.length)
}

/** A number column: an array while built, a typed array once unpacked. */
function isColumn(x: unknown): boolean {
  return Array.isArray(x) || ArrayBuffer.isView(x)
}
