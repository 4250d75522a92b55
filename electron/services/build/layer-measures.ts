// What measuring one layer found — its gzip size (what a pull transfers) and its entry headers —
// kept per layer diffID (the sha256 of the uncompressed layer, from the image's RootFS): the same
// bytes always give the same answer, so a base's layers are measured once ever (in the data folder)
// and a layer several images share (the same binary on two bases) once per comparison. Measuring
// an image whose every layer is known needs no save at all.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Header } from 'tar-stream'
import { writeFileAtomically } from '../atomic-write'

/** One layer as measured: its gzip size and the headers of its entries. */
export interface LayerRead {
  gzipBytes: number
  entries: { path: string; size: number; type: Header['type'] }[]
}

const DIFF_ID = /^sha256:([0-9a-f]{64})$/
/** Layers kept in memory; older ones are read back from the folder. */
const MEMORY = 256
/** Bigger layers (a full distribution) are kept in memory only: their file would cost more to read than to measure. */
const MAX_FILE_ENTRIES = 20_000
const GZIP_VERSION = 1

/** Measured layers by diffID, in memory and (when given a folder) on disk. */
export class LayerMeasures {
  private readonly memory = new Map<string, LayerRead>()
  /** Lookups answered without reading the layer, for tests and the bench. */
  hits = 0

  constructor(private readonly folder: string | null = null) {}

  /** The layer's measure, or null when it was never measured (or its file is damaged). */
  async get(diffId: string): Promise<LayerRead | null> {
    const hex = DIFF_ID.exec(diffId)?.[1]
    if (!hex) return null
    const known = this.memory.get(hex) ?? (await this.readFile(hex))
    if (!known) return null
    this.remember(hex, known)
    this.hits++
    return known
  }

  /** Keeps a layer's measure; a folder that cannot be written only costs the next measurement. */
  async put(diffId: string, layer: LayerRead): Promise<void> {
    const hex = DIFF_ID.exec(diffId)?.[1]
    if (!hex) return
    this.remember(hex, layer)
    if (!this.folder || layer.entries.length > MAX_FILE_ENTRIES) return
    const folder = this.folder
    await mkdir(folder, { recursive: true, mode: 0o700 })
      .then(() => writeFileAtomically(join(folder, `${hex}.json`), JSON.stringify({ v: GZIP_VERSION, ...layer }), { mode: 0o600 }))
      .catch(() => undefined)
  }

  private remember(hex: string, layer: LayerRead) {
    this.memory.delete(hex)
    this.memory.set(hex, layer)
    if (this.memory.size > MEMORY) this.memory.delete(this.memory.keys().next().value as string)
  }

  private async readFile(hex: string): Promise<LayerRead | null> {
    if (!this.folder) return null
    try {
      const parsed = JSON.parse(await readFile(join(this.folder, `${hex}.json`), 'utf8')) as Partial<LayerRead> & { v?: number }
      if (parsed.v !== GZIP_VERSION || typeof parsed.gzipBytes !== 'number' || !Array.isArray(parsed.entries)) return null
      const entries = parsed.entries.filter(
        (e): e is LayerRead['entries'][number] => !!e && typeof e.path === 'string' && typeof e.size === 'number' && typeof e.type === 'string',
      )
      if (entries.length !== parsed.entries.length) return null
      return { gzipBytes: parsed.gzipBytes, entries }
    } catch {
      return null
    }
  }
}
