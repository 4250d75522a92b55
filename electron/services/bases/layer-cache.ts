// Finished layers of made bases, kept in the data folder under a key of everything that decides
// their bytes (the recipe, the architecture, each package's SHA256, the os-release fields and the
// apt sources written into the image). Making a base again from the same packages — a builder
// removed from the engine, a second machine's data folder copied — then skips unpacking (minutes
// for the Go builder: xz in WebAssembly) and only loads the image. One layer per base is kept: a
// newer one replaces the older. A cached layer is hashed again before use; a damaged one is dropped.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { MadeBaseId } from '../../../shared/debian/recipes'
import { hashFile } from './mirror'

export interface CachedLayer {
  file: string
  diffId: string
  size: number
}

/** The key of a layer: a SHA256 over its inputs, as JSON with a fixed key order. */
export function layerKey(inputs: { recipe: string; arch: string; packages: readonly string[]; os: unknown }): string {
  return createHash('sha256').update(JSON.stringify([inputs.recipe, inputs.arch, inputs.packages, inputs.os])).digest('hex')
}

export class LayerCache {
  constructor(private readonly dir: string) {}

  private paths(id: MadeBaseId, key: string) {
    const base = join(this.dir, `${id}-${key}`)
    return { tar: `${base}.tar`, meta: `${base}.json` }
  }

  /**
   * The cached layer for this key as its metadata says, NOT verified: enough to compute the image
   * id it would give (an image the engine already has under that id needs no load, so no check).
   */
  async peek(id: MadeBaseId, key: string): Promise<CachedLayer | null> {
    const p = this.paths(id, key)
    try {
      const meta = JSON.parse(await readFile(p.meta, 'utf8')) as { diffId?: unknown; size?: unknown }
      if (typeof meta.diffId !== 'string' || typeof meta.size !== 'number') return null
      return { file: p.tar, diffId: meta.diffId, size: meta.size }
    } catch {
      return null
    }
  }

  /** The cached layer for this key, verified (its SHA256 is its diff id), or null. */
  async get(id: MadeBaseId, key: string, signal: AbortSignal): Promise<CachedLayer | null> {
    const p = this.paths(id, key)
    let meta: { diffId?: unknown; size?: unknown }
    try {
      meta = JSON.parse(await readFile(p.meta, 'utf8')) as typeof meta
    } catch {
      return null
    }
    signal.throwIfAborted()
    if (typeof meta.diffId !== 'string' || typeof meta.size !== 'number') return this.drop(p)
    const hash = await hashFile(p.tar).catch(() => null)
    if (hash === null || `sha256:${hash}` !== meta.diffId) return this.drop(p)
    return { file: p.tar, diffId: meta.diffId, size: meta.size }
  }

  /** Moves a finished layer file (same file system: the data folder's tmp) into the cache; drops the base's older layers. */
  async put(id: MadeBaseId, key: string, layerFile: string, layer: { diffId: string; size: number }): Promise<string> {
    const p = this.paths(id, key)
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(`${id}-`) && !name.startsWith(`${id}-${key}.`)) await rm(join(this.dir, name), { force: true })
    }
    await rename(layerFile, p.tar)
    const tmp = `${p.meta}.${randomBytes(4).toString('hex')}.part`
    await writeFile(tmp, JSON.stringify({ diffId: layer.diffId, size: layer.size }), { mode: 0o600 })
    await rename(tmp, p.meta)
    return p.tar
  }

  private async drop(p: { tar: string; meta: string }): Promise<null> {
    await rm(p.meta, { force: true })
    await rm(p.tar, { force: true })
    return null
  }
}
