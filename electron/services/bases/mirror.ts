// Fetching from a Debian mirror with every byte verified: InRelease (signature where a keyring
// exists) → the SHA256 of each Packages index → the SHA256 of each .deb. Indexes and packages are
// cached in the data folder under their SHA256, written only once verified (temp file + rename),
// so an interrupted or tampered download never leaves anything a later make would use.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import { pipeline } from 'node:stream/promises'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import xz from 'xz-decompress'
import { SlipwayError } from '../../../shared/errors'
import { CompactPackages, packagesToCompact, parsePackages, type PackageEntry } from '../../../shared/debian/packages'
import { parseRelease, pickPackagesIndex, type Release } from '../../../shared/debian/release'
import type { SuiteMirror } from '../../../shared/debian/sources'
import { DEFAULT_KEYRINGS, verifyInRelease } from './keyring'

/** A suite's Release as fetched: the verified text's fields and who signed it (null: not checked). */
export interface FetchedRelease {
  mirror: SuiteMirror
  release: Release
  signer: string | null
}

export interface MirrorOptions {
  /** Folder for the verified indexes and .debs (created on demand). */
  cacheDir: string
  /** Keyrings to try when a source names none (default: Debian's archive keyring on this system). */
  keyrings?: readonly string[]
  /** Now, for Valid-Until. */
  now?: () => Date
  /** A request that receives nothing for this long fails with MirrorUnreachable (default 60 s). */
  idleMs?: number
}

const DEFAULT_IDLE_MS = 60_000
const gunzipAsync = promisify(gunzip)

/** A response being read, with its watchdog. */
interface Download {
  res: Response
  /** Data arrived: the watchdog starts again. */
  touch: () => void
  /** Reading is over: the watchdog stops. */
  end: () => void
  /** The error to report when the watchdog ended the request, else null. */
  stalled: () => SlipwayError | null
}

/** Bytes received, for progress. */
export type OnBytes = (n: number) => void

const describe = (e: unknown) => {
  const err = e as { message?: string; cause?: { code?: string; message?: string } }
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)
}

/** Throws the caller's abort reason (a Cancelled error) when the signal fired. */
function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new SlipwayError('Cancelled', 'Cancelled.')
}

export class Mirror {
  /** The Packages indexes this make read, by SHA256: where to fetch one again for its stanzas. */
  private readonly indexes = new Map<string, { path: string; size: number; url: string }>()

  constructor(private readonly opts: MirrorOptions) {}

  private url(m: SuiteMirror, path: string): string {
    return `${m.uri}/${path}`
  }

  /**
   * GET with a watchdog: the request (headers and body) is given up when the mirror sends nothing
   * for `idleMs`, so a stalled mirror ends the job instead of hanging it. `touch()` on every chunk.
   */
  private async get(url: string, signal: AbortSignal): Promise<Download> {
    const idleMs = this.opts.idleMs ?? DEFAULT_IDLE_MS
    const stall = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const touch = () => {
      clearTimeout(timer)
      timer = setTimeout(() => stall.abort(), idleMs)
    }
    const end = () => clearTimeout(timer)
    const both = AbortSignal.any([signal, stall.signal])
    const stalled = () =>
      new SlipwayError('MirrorUnreachable', `The Debian mirror stopped sending data for ${Math.round(idleMs / 1000)} s: ${url}`, 'The mirror or the network stalled; nothing was made. Try again, or use another mirror.')
    let res: Response | undefined
    for (let attempt = 1; !res; attempt++) {
      touch()
      try {
        res = await fetch(url, { signal: both, redirect: 'follow' })
      } catch (e) {
        end()
        checkAbort(signal)
        if (stall.signal.aborted) throw stalled()
        // A connection that fails before any answer (a reused keep-alive connection the server
        // closed, a proxy hiccup) is tried twice more, as apt does; then the mirror is unreachable.
        if (attempt < 3) {
          await new Promise((r) => setTimeout(r, 250 * attempt))
          continue
        }
        throw new SlipwayError('MirrorUnreachable', `The Debian mirror did not answer: ${url}`, `${describe(e)}. Check the network and the mirror in the apt sources or Settings → Bases; nothing was made.`)
      }
    }
    if (!res.ok) {
      end()
      await res.body?.cancel().catch(() => undefined)
      throw Object.assign(new SlipwayError('MirrorUnreachable', `The Debian mirror answered ${res.status} for ${url}`, res.status === 404 ? 'The mirror does not have that file: check the suite and the mirror URI.' : 'Try again later, or use another mirror.'), { status: res.status })
    }
    return { res, touch, end, stalled: () => (stall.signal.aborted ? stalled() : null) }
  }

  /**
   * Fetches and checks a suite's InRelease: the signature (with the source's Signed-By keyring,
   * else the default keyrings; unchecked where none can be read) and Valid-Until.
   */
  async release(m: SuiteMirror, signal: AbortSignal): Promise<FetchedRelease> {
    const url = this.url(m, `dists/${m.suite}/InRelease`)
    const dl = await this.get(url, signal)
    let text: string
    try {
      text = await dl.res.text()
    } catch (e) {
      checkAbort(signal)
      throw dl.stalled() ?? new SlipwayError('MirrorUnreachable', `The download of ${url} broke off.`, `${describe(e)}. Nothing was made; try again.`)
    } finally {
      dl.end()
    }
    const keyrings = m.signedBy ? [m.signedBy] : (this.opts.keyrings ?? DEFAULT_KEYRINGS)
    const verified = await verifyInRelease(text, keyrings, m.suite)
    let release: Release
    try {
      release = parseRelease(verified.text)
    } catch (e) {
      throw new SlipwayError('MirrorVerificationFailed', `The Release of ${m.suite} cannot be read.`, (e as Error).message)
    }
    const now = (this.opts.now ?? (() => new Date()))()
    if (release.validUntil && release.validUntil < now) {
      throw new SlipwayError(
        'MirrorVerificationFailed',
        `The Release of ${m.suite} expired on ${release.validUntil.toISOString()}.`,
        'The mirror is out of date (or replaying old data). Use an up-to-date mirror.',
      )
    }
    return { mirror: m, release, signer: verified.signer }
  }

  /**
   * The verified Packages index of a component; null when the Release lists none. Read from the
   * data folder's parsed form of that index (named by its SHA256, so a new index is parsed anew)
   * when there is one; else downloaded (or read from the cache), decompressed, parsed, and its
   * parsed form kept — a 50 MB index is parsed once per version, not once per make.
   */
  async packages(r: FetchedRelease, component: string, arch: string, rank: number, signal: AbortSignal, onBytes?: OnBytes): Promise<CompactPackages | null> {
    const index = pickPackagesIndex(r.release, component, arch)
    if (!index) return null
    const url = this.url(r.mirror, `dists/${r.mirror.suite}/${index.path}`)
    this.indexes.set(index.sha256, { path: index.path, size: index.size, url })
    const parsedDir = join(this.opts.cacheDir, 'parsed')
    const parsed = join(parsedDir, `${index.sha256}.txt`)
    try {
      return CompactPackages.read(checkedCompact(await readFile(parsed, 'latin1')), r.mirror.suite, rank, index.sha256)
    } catch {
      // Not parsed yet, or a damaged file: parse the index (again).
    }
    const bytes = await this.indexBytes(index.sha256, signal, onBytes)
    checkAbort(signal)
    let body: string
    try {
      body = packagesToCompact(parsePackages(bytes.toString('latin1'), r.mirror.suite, rank, index.sha256))
    } catch (e) {
      throw new SlipwayError('MirrorVerificationFailed', `The Packages index of ${r.mirror.suite} cannot be read.`, (e as Error).message)
    }
    await mkdir(parsedDir, { recursive: true, mode: 0o700 })
    const tmp = `${parsed}.${randomBytes(4).toString('hex')}.part`
    try {
      await writeFile(tmp, `${COMPACT_HEADER} ${createHash('sha256').update(body, 'latin1').digest('hex')}\n${body}`, { encoding: 'latin1', mode: 0o600 })
      await rename(tmp, parsed)
      // The first version's form of the same index (JSON), now unused.
      await rm(join(parsedDir, `${index.sha256}.json`), { force: true })
    } catch {
      await rm(tmp, { force: true })
    }
    return CompactPackages.read(body, r.mirror.suite, rank, index.sha256)
  }

  /** A Packages index this make read, verified and decompressed. */
  private async indexBytes(sha256: string, signal: AbortSignal, onBytes?: OnBytes): Promise<Buffer> {
    const known = this.indexes.get(sha256)
    if (!known) throw new Error(`no Packages index ${sha256} was read in this make`)
    const file = await this.verifiedFile('indexes', sha256, known.size, known.url, signal, onBytes)
    return decompress(file, known.path)
  }

  /**
   * The whole stanzas of `entries` as the index writes them (for a dpkg status), by package: each
   * index they come from is read once more (verified, from the cache).
   */
  async stanzas(entries: readonly PackageEntry[], signal: AbortSignal): Promise<Map<PackageEntry, string>> {
    const out = new Map<PackageEntry, string>()
    const byIndex = new Map<string, PackageEntry[]>()
    for (const e of entries) byIndex.set(e.at.index, [...(byIndex.get(e.at.index) ?? []), e])
    for (const [sha256, list] of byIndex) {
      const bytes = await this.indexBytes(sha256, signal)
      for (const e of list) out.set(e, bytes.toString('utf8', e.at.start, e.at.end).replace(/\n+$/, ''))
    }
    return out
  }

  /** The path of a verified .deb in the cache, downloaded first when missing. */
  async deb(uri: string, e: PackageEntry, signal: AbortSignal, onBytes?: OnBytes): Promise<string> {
    return this.verifiedFile('debs', e.sha256, e.size, `${uri}/${e.filename}`, signal, onBytes)
  }

  /**
   * A file in the cache named by its SHA256. A cached copy is hashed again (a damaged one is
   * replaced); a download goes to a temp file, is hashed as it streams, limited to the expected
   * size, and renamed into place only when the hash matches.
   */
  private async verifiedFile(kind: string, sha256: string, size: number, url: string, signal: AbortSignal, onBytes?: OnBytes): Promise<string> {
    const dir = join(this.opts.cacheDir, kind)
    const file = join(dir, sha256)
    if (await isFile(file)) {
      if ((await hashFile(file)) === sha256) {
        onBytes?.(size)
        return file
      }
      await rm(file, { force: true })
    }
    await mkdir(dir, { recursive: true, mode: 0o700 })
    checkAbort(signal)
    const dl = await this.get(url, signal)
    const res = dl.res
    const tmp = join(dir, `.${sha256}.${randomBytes(4).toString('hex')}.part`)
    const hash = createHash('sha256')
    let received = 0
    try {
      if (!res.body) throw new Error('empty response')
      const body = Readable.fromWeb(res.body as NodeWebStream<Uint8Array>)
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length
            if (received > size) throw new SlipwayError('MirrorVerificationFailed', `${url} is larger than its index says (${size} bytes).`, 'The mirror is serving a different file than its index names; nothing was made.')
            hash.update(chunk)
            dl.touch()
            onBytes?.(chunk.length)
            yield chunk
          }
        },
        createWriteStream(tmp, { mode: 0o600 }),
        { signal },
      )
    } catch (e) {
      await rm(tmp, { force: true })
      checkAbort(signal)
      const stalled = dl.stalled()
      if (stalled) throw stalled
      if (e instanceof SlipwayError) throw e
      throw new SlipwayError('MirrorUnreachable', `The download of ${url} broke off after ${received} of ${size} bytes.`, `${describe(e)}. Nothing was made and nothing partial was kept; try again.`)
    } finally {
      dl.end()
    }
    const got = hash.digest('hex')
    if (got !== sha256 || received !== size) {
      await rm(tmp, { force: true })
      throw new SlipwayError(
        'MirrorVerificationFailed',
        `${url} does not match the SHA256 its index gives.`,
        `Expected ${sha256} (${size} bytes), got ${got} (${received} bytes). The file was refused and nothing was made: the mirror or something between it and you is serving altered data.`,
      )
    }
    await rename(tmp, file)
    return file
  }
}

async function isFile(f: string): Promise<boolean> {
  try {
    return (await stat(f)).isFile()
  } catch {
    return false
  }
}

/** SHA256 of a file, hex. */
export async function hashFile(f: string): Promise<string> {
  const h = createHash('sha256')
  for await (const c of createReadStream(f)) h.update(c as Buffer)
  return h.digest('hex')
}

/** The first line of a kept parsed index, before the SHA256 of the rest: another version is read as missing. */
const COMPACT_HEADER = 'slipway-packages 2'

/** The lines of a kept parsed index, once its header names this version and their SHA256 matches; throws otherwise. */
function checkedCompact(text: string): string {
  const eol = text.indexOf('\n')
  if (eol < 0 || !text.startsWith(`${COMPACT_HEADER} `)) throw new Error('not a parsed index of this version')
  const body = text.slice(eol + 1)
  if (createHash('sha256').update(body, 'latin1').digest('hex') !== text.slice(COMPACT_HEADER.length + 1, eol)) throw new Error('a damaged parsed index')
  return body
}

/** A verified index file, decompressed by its name's extension (gz by zlib, xz by xz-decompress). */
async function decompress(file: string, name: string): Promise<Buffer> {
  if (name.endsWith('.gz')) return gunzipAsync(await readFile(file))
  if (name.endsWith('.xz')) {
    const chunks: Buffer[] = []
    for await (const c of xzStream(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>)) chunks.push(Buffer.from(c))
    return Buffer.concat(chunks)
  }
  return readFile(file)
}

/** Decompresses an xz web stream (WebAssembly liblzma from xz-decompress: no native code). */
export function xzStream(input: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(new xz.XzReadableStream(input) as NodeWebStream<Uint8Array>)
}
