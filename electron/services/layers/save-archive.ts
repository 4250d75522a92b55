// Reads an image archive as the engine's save endpoint streams it, in one pass, without buffering
// layer contents: the legacy layout (`<id>/layer.tar`, `<config>.json`, `manifest.json`) and the OCI
// layout of Docker 25+ (`index.json`, `oci-layout`, `blobs/sha256/<hex>`, layers possibly gzip'd).
// The manifest may arrive after the layers, so every blob is indexed by its archive path as it streams
// by and the image order is resolved at the end. The outer archive is parsed with tar-stream; layer
// tars only need their headers, which tar-headers.ts reads without streaming the file contents.
import { createHash } from 'node:crypto'
import { createGunzip } from 'node:zlib'
import { extract, type Extract, type Header } from 'tar-stream'
import { buildLayerIndex, type ConfigHistory, type ImageMeta, type ReadLayer } from '../../../shared/layers/build-index'
import { cleanPath, PathTable } from '../../../shared/layers/paths'
import { addTarEntry, newLayerEntries } from '../../../shared/layers/entries'
import type { EntryType, LayerIndex } from '../../../shared/layers/types'
import { SlipwayError } from '../../../shared/errors'
import { archiveCorrupt, layerCompressionUnsupported, layerNotTar, streamTruncated } from './errors'
import { TarHeaderReader } from './tar-headers'

export interface ArchiveProgress {
  bytesRead: number
  layersDone: number
}

export interface ReadArchiveOptions {
  onProgress?: (p: ArchiveProgress) => void
  /** Called with every chunk consumed, e.g. to sample memory. */
  onChunk?: () => void
}

type Blob =
  | { kind: 'layer'; layer: ReadLayer }
  | { kind: 'json'; data: Buffer }
  | { kind: 'zstd'; size: number }
  | { kind: 'unknown'; size: number; head: string }

/** JSON blobs (configs, manifests, indexes) are small; anything larger that starts with `{` or `[` is not one. */
const MAX_JSON_BYTES = 64 << 20
const GZIP = [0x1f, 0x8b]
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd]

/**
 * Indexes an image archive from any byte source (a save stream, a file, a test's rewritten archive).
 * Throws SlipwayErrors: ImageStreamTruncated, ImageArchiveCorrupt, LayerNotTar, LayerCompressionUnsupported.
 */
export async function readImageArchive(source: AsyncIterable<Uint8Array>, opts: ReadArchiveOptions = {}): Promise<LayerIndex> {
  const reader = new ArchiveReader(opts)
  await reader.consume(source)
  return reader.finish()
}

class ArchiveReader {
  private readonly paths = new PathTable()
  private readonly blobs = new Map<string, Blob>()
  private readonly links = new Map<string, string>()
  private bytesRead = 0
  private layersDone = 0
  private entriesSeen = 0
  private sourceEnded = false

  constructor(private readonly opts: ReadArchiveOptions) {}

  async consume(source: AsyncIterable<Uint8Array>): Promise<void> {
    const outer = extract()
    outer.on('entry', (header, stream, next) => {
      this.entriesSeen++
      this.entry(header, stream as unknown as EntryStream).then(
        () => next(),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      )
    })
    const finished = settled(outer)
    try {
      for await (const chunk of source) {
        this.bytesRead += chunk.byteLength
        this.opts.onChunk?.()
        await write(outer, chunk, finished)
        this.progress()
      }
      this.sourceEnded = true
      outer.end(undefined)
      await finished
    } catch (err) {
      outer.destroy()
      throw this.explain(err)
    }
  }

  private explain(err: unknown): Error {
    if (err instanceof SlipwayError) return err
    const message = err instanceof Error ? err.message : String(err)
    if (this.sourceEnded && /unexpected end|premature|aborted/i.test(message))
      return streamTruncated(`The archive ended after ${this.bytesRead.toLocaleString('en-US')} bytes, in the middle of an entry. Try again; if it keeps happening, check the engine's log.`)
    if (/invalid tar header|invalid header|header exceeds/i.test(message))
      return archiveCorrupt(`After ${this.bytesRead.toLocaleString('en-US')} bytes: ${message}.`)
    return archiveCorrupt(message)
  }

  private progress() {
    this.opts.onProgress?.({ bytesRead: this.bytesRead, layersDone: this.layersDone })
  }

  private async entry(header: Header, stream: EntryStream): Promise<void> {
    const name = cleanPath(header.name)
    if (header.type === 'symlink') {
      // Legacy saves link a layer used twice to its first copy: `<id2>/layer.tar -> ../<id1>/layer.tar`.
      const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : ''
      this.links.set(name, cleanPath(header.linkname.startsWith('/') ? header.linkname : `${dir}/${header.linkname}`))
      return drain(stream)
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') return drain(stream)
    if (!isCandidate(name)) return drain(stream)

    const it = stream[Symbol.asyncIterator]()
    const head: Uint8Array[] = []
    let headBytes = 0
    while (headBytes < 512) {
      const r = await it.next()
      if (r.done) break
      head.push(r.value)
      headBytes += r.value.byteLength
    }
    const first = Buffer.concat(head)
    const rest = remaining(first, it)

    if (startsWith(first, GZIP)) {
      const layer = await this.readLayer(name, gunzip(rest), 'gzip', header.size)
      this.blobs.set(name, { kind: 'layer', layer })
    } else if (startsWith(first, ZSTD)) {
      await drainIterable(rest)
      this.blobs.set(name, { kind: 'zstd', size: header.size })
    } else if (looksLikeTar(first)) {
      const layer = await this.readLayer(name, rest, 'none', header.size)
      this.blobs.set(name, { kind: 'layer', layer })
    } else if ((firstNonSpace(first) === 0x7b || firstNonSpace(first) === 0x5b) && header.size <= MAX_JSON_BYTES) {
      const parts: Uint8Array[] = []
      for await (const c of rest) parts.push(c)
      this.blobs.set(name, { kind: 'json', data: Buffer.concat(parts) })
    } else {
      await drainIterable(rest)
      this.blobs.set(name, { kind: 'unknown', size: header.size, head: describeHead(first) })
    }
  }

  private async readLayer(name: string, bytes: AsyncIterable<Uint8Array>, compression: 'none' | 'gzip', blobSize: number): Promise<ReadLayer> {
    const entries = newLayerEntries()
    const reader = new TarHeaderReader((h) =>
      addTarEntry(this.paths, entries, { name: h.name, type: entryType(h.flag), size: h.size, mode: h.mode, uid: h.uid, gid: h.gid, linkname: h.linkname }),
    )
    try {
      for await (const chunk of bytes) reader.write(chunk)
      reader.end()
    } catch (err) {
      if (err instanceof SlipwayError) throw err
      const message = err instanceof Error ? err.message : String(err)
      if (this.sourceEnded && /unexpected end|premature|aborted/i.test(message)) throw streamTruncated(`The archive ended inside layer ${name}.`)
      if (String((err as { code?: unknown }).code ?? '').startsWith('Z_')) throw layerNotTar(name, `It starts like gzip but does not decompress: ${message}.`)
      throw layerNotTar(name, `Reading it as a tar failed after ${reader.count} entries: ${message}.`)
    }
    this.layersDone++
    this.progress()
    return { entries, blobSize, compression, ...(name.startsWith('blobs/') ? { digest: digestOf(name) } : {}) }
  }

  finish(): LayerIndex {
    const manifestJson = this.json('manifest.json')
    const indexJson = this.json('index.json')
    const format = this.blobs.has('index.json') || this.blobs.has('oci-layout') || [...this.blobs.keys()].some((k) => k.startsWith('blobs/')) ? 'oci' : 'docker-legacy'
    let configPath: string
    let layerPaths: string[]
    let repoTags: string[]
    if (Array.isArray(manifestJson) && manifestJson.length > 0) {
      const m = manifestJson[0] as { Config?: string; RepoTags?: string[] | null; Layers?: string[] }
      if (typeof m.Config !== 'string' || !Array.isArray(m.Layers)) throw archiveCorrupt('manifest.json has no Config or Layers.')
      configPath = cleanPath(m.Config)
      layerPaths = m.Layers.map((l) => cleanPath(l))
      repoTags = Array.isArray(m.RepoTags) ? m.RepoTags.filter((t) => typeof t === 'string') : []
    } else if (indexJson && typeof indexJson === 'object') {
      const resolved = this.resolveOci(indexJson as OciIndex)
      configPath = resolved.config
      layerPaths = resolved.layers
      repoTags = resolved.tags
    } else if (this.entriesSeen === 0) {
      throw archiveCorrupt('It contains no files at all.')
    } else {
      throw streamTruncated('The archive has neither manifest.json nor index.json: the stream ended early, or this is not an image archive.')
    }

    const configBytes = this.jsonBytes(configPath)
    if (!configBytes) throw archiveCorrupt(`The image config ${configPath} is missing from the archive.`)
    const config = parseJson(configBytes, configPath) as ImageConfig
    const layers = layerPaths.map((p, i) => this.layer(p, i))
    const meta: ImageMeta = {
      imageId: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
      repoTags,
      created: config.created ?? '',
      os: config.os ?? '',
      architecture: config.architecture ?? '',
      format,
      diffIds: Array.isArray(config.rootfs?.diff_ids) ? config.rootfs.diff_ids : [],
      history: Array.isArray(config.history) ? config.history : [],
    }
    if (config.variant) meta.variant = config.variant
    return buildLayerIndex(meta, this.paths.data(), layers)
  }

  private layer(path: string, index: number): ReadLayer {
    const target = this.follow(path)
    const blob = this.blobs.get(target)
    const label = `${index} (${target})`
    if (!blob) throw streamTruncated(`Layer ${label} is listed in the manifest but is not in the archive.`)
    if (blob.kind === 'layer') return blob.layer
    if (blob.kind === 'zstd') throw layerCompressionUnsupported(label, 'zstd')
    if (blob.kind === 'json') throw layerNotTar(label, 'It holds JSON, not files.')
    throw layerNotTar(label, `Its first bytes are ${blob.head}; a layer must be a tar, optionally gzip-compressed.`)
  }

  private resolveOci(index: OciIndex, depth = 0): { config: string; layers: string[]; tags: string[] } {
    const manifests = Array.isArray(index.manifests) ? index.manifests : []
    // Attestation manifests carry platform unknown/unknown; the image is the first one that does not.
    const pick = manifests.find((m) => m.platform?.os !== 'unknown') ?? manifests[0]
    if (!pick?.digest) throw archiveCorrupt('index.json lists no image manifest.')
    const tags = manifests.flatMap((m) => imageName(m.annotations))
    const doc = parseJson(this.jsonBytes(blobPath(pick.digest)) ?? missing(pick.digest), pick.digest) as OciIndex & OciManifest
    if (Array.isArray(doc.manifests)) {
      if (depth > 4) throw archiveCorrupt('index.json nests image indexes too deeply.')
      const inner = this.resolveOci(doc, depth + 1)
      return { ...inner, tags: tags.length ? tags : inner.tags }
    }
    if (!doc.config?.digest || !Array.isArray(doc.layers)) throw archiveCorrupt(`Manifest ${pick.digest} has no config or layers.`)
    return { config: blobPath(doc.config.digest), layers: doc.layers.map((l) => blobPath(l.digest)), tags }
  }

  private follow(path: string): string {
    let p = path
    for (let hops = 0; hops < 8 && this.links.has(p); hops++) p = this.links.get(p) as string
    return p
  }

  private jsonBytes(path: string): Buffer | undefined {
    const blob = this.blobs.get(this.follow(path))
    return blob?.kind === 'json' ? blob.data : undefined
  }

  private json(path: string): unknown {
    const bytes = this.jsonBytes(path)
    return bytes ? parseJson(bytes, path) : undefined
  }
}

type EntryStream = AsyncIterable<Uint8Array>

interface ImageConfig {
  created?: string
  os?: string
  architecture?: string
  variant?: string
  rootfs?: { diff_ids?: string[] }
  history?: ConfigHistory[]
}
interface OciDescriptor {
  digest: string
  mediaType?: string
  platform?: { os?: string; architecture?: string }
  annotations?: Record<string, string>
}
interface OciIndex {
  manifests?: OciDescriptor[]
}
interface OciManifest {
  config?: OciDescriptor
  layers?: OciDescriptor[]
}

function missing(digest: string): never {
  throw streamTruncated(`The manifest blob ${digest} is not in the archive.`)
}

function imageName(a: Record<string, string> | undefined): string[] {
  const name = a?.['io.containerd.image.name']
  if (!name) return []
  return [name.replace(/^docker\.io\/(library\/)?/, '')]
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `blobs/${alg}/${hex}`
}

function digestOf(path: string): string {
  const [, alg, hex] = path.split('/')
  return `${alg}:${hex}`
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw archiveCorrupt(`${what} is not valid JSON: ${(err as Error).message}`)
  }
}

function isCandidate(name: string): boolean {
  if (name === 'manifest.json' || name === 'index.json') return true
  if (name.startsWith('blobs/')) return true
  if (name.endsWith('/layer.tar')) return true
  return !name.includes('/') && name.endsWith('.json')
}

function entryType(flag: string): EntryType {
  switch (flag) {
    case '0':
    case '7':
      return 'file'
    case '5':
      return 'dir'
    case '2':
      return 'symlink'
    case '1':
      return 'hardlink'
    default:
      return 'other'
  }
}

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return buf.byteLength >= magic.length && magic.every((b, i) => buf[i] === b)
}

/** A tar header block: "ustar" at offset 257, or an all-zero block (an empty layer is just end-of-archive blocks). */
function looksLikeTar(buf: Buffer): boolean {
  if (buf.byteLength < 512) return false
  if (buf.toString('latin1', 257, 262) === 'ustar') return true
  for (let i = 0; i < 512; i++) if (buf[i] !== 0) return false
  return true
}

function firstNonSpace(buf: Uint8Array): number {
  for (const b of buf) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b
  return -1
}

function describeHead(buf: Uint8Array): string {
  return `0x${Buffer.from(buf.subarray(0, 8)).toString('hex')}`
}

async function* remaining(first: Buffer, it: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  if (first.byteLength) yield first
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value
}

async function* gunzip(bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const z = createGunzip()
  const feeding = (async () => {
    for await (const chunk of bytes) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r))
    z.end()
  })()
  // A failing source (a cut-off stream) fails the gunzip with the source's own error.
  feeding.catch((err: unknown) => z.destroy(err instanceof Error ? err : new Error(String(err))))
  for await (const chunk of z) yield chunk as Buffer
  await feeding
}

function drain(stream: EntryStream): Promise<void> {
  return drainIterable(stream)
}

async function drainIterable(it: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of it) void _
}

/** Resolves when the tar stream finishes, rejects on its first error (also after the fact). */
function settled(s: Extract): Promise<void> {
  const p = new Promise<void>((resolve, reject) => {
    s.once('finish', () => resolve())
    s.once('error', reject)
    s.once('close', () => resolve())
  })
  p.catch(() => undefined)
  return p
}

/** Writes with backpressure; fails as soon as the stream fails instead of waiting for a drain that never comes. */
async function write(s: Extract, chunk: Uint8Array, failed: Promise<void>): Promise<void> {
  if (s.write(chunk)) return
  await Promise.race([new Promise<void>((r) => s.once('drain', () => r())), failed.then(() => undefined)])
  if (s.destroyed) await failed
}
