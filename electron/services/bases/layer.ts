// One image layer as a tar written to a file while its SHA256 (the layer's diff id) is computed:
// fixed mtimes (0), numeric owners, no user/group names, each path once, in a fixed order
// (the recipe's links, then the packages by name in their own tar order, then generated files),
// so the same packages give the same bytes.
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pack, type Header, type Pack } from 'tar-stream'
import type { GeneratedFile } from '../../../shared/debian/recipes'

const EPOCH = new Date(0)

/** A stream of a file's bytes (a tar entry of a package, a file stream). */
export interface Pipeable {
  pipe(dest: ReturnType<Pack['entry']>): unknown
  on(event: 'error', cb: (e: Error) => void): unknown
}

export interface LayerEntry {
  path: string
  type: 'file' | 'directory' | 'symlink' | 'link'
  mode: number
  uid?: number
  gid?: number
  linkname?: string
  size?: number
}

/** Writes a layer tar; `done()` gives its diff id (sha256:…) and size once finalised. */
export class LayerWriter {
  private readonly pack = pack()
  private readonly hash = createHash('sha256')
  private bytes = 0
  private readonly written: Promise<void>
  /** Paths already in the layer (a later package's copy of the same path is left out). */
  readonly paths = new Set<string>()

  constructor(file: string, signal: AbortSignal) {
    const count = new PassThrough()
    count.on('data', (c: Buffer) => {
      this.hash.update(c)
      this.bytes += c.length
    })
    this.written = pipeline(this.pack, count, createWriteStream(file, { mode: 0o600 }), { signal })
    // The pipeline's failure is reported by done(); keep it from being an unhandled rejection meanwhile.
    this.written.catch(() => undefined)
  }

  has(path: string): boolean {
    return this.paths.has(path)
  }

  /** Adds parent directories of `path` that are not in the layer yet (0755, root). */
  async parents(path: string): Promise<void> {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join('/')
      if (!this.paths.has(p)) await this.add({ path: p, type: 'directory', mode: 0o755 })
    }
  }

  /** Adds one entry; a file's content is `data` (a Buffer or a stream of exactly `size` bytes). */
  async add(e: LayerEntry, data?: Buffer | Pipeable): Promise<boolean> {
    if (this.paths.has(e.path)) return false
    this.paths.add(e.path)
    const header: Partial<Header> & { name: string } = {
      name: e.type === 'directory' ? `${e.path}/` : e.path,
      type: e.type,
      mode: e.mode & 0o7777,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      uname: '',
      gname: '',
      mtime: EPOCH,
    }
    if (e.linkname !== undefined) header.linkname = e.linkname
    if (e.type !== 'file') {
      await new Promise<void>((res, rej) => this.pack.entry({ ...header, size: 0 }, (err) => (err ? rej(err) : res())))
      return true
    }
    if (Buffer.isBuffer(data) || data === undefined) {
      const buf = data ?? Buffer.alloc(0)
      await new Promise<void>((res, rej) => this.pack.entry({ ...header, size: buf.length }, buf, (err) => (err ? rej(err) : res())))
      return true
    }
    await new Promise<void>((res, rej) => {
      const sink = this.pack.entry({ ...header, size: e.size ?? 0 }, (err) => (err ? rej(err) : res()))
      data.on('error', rej)
      data.pipe(sink)
    })
    return true
  }

  /** Adds a generated file with its parents. */
  async addGenerated(g: GeneratedFile): Promise<void> {
    await this.parents(g.path)
    const base = { path: g.path, mode: g.mode, uid: g.uid ?? 0, gid: g.gid ?? 0 }
    if (g.type === 'dir') await this.add({ ...base, type: 'directory' })
    else if (g.type === 'symlink') await this.add({ ...base, type: 'symlink', linkname: g.target ?? '' })
    else await this.add({ ...base, type: 'file' }, Buffer.from(g.content ?? '', 'utf8'))
  }

  /** Ends the tar and waits for the file; the diff id is `sha256:` + the hash of the tar bytes. */
  async done(): Promise<{ diffId: string; size: number }> {
    this.pack.finalize()
    await this.written
    return { diffId: `sha256:${this.hash.digest('hex')}`, size: this.bytes }
  }

  /** Stops writing after a failure (the caller removes the file). */
  abort(err: Error): void {
    this.pack.destroy(err)
  }
}
