// A Packages index: one stanza per binary package, with where its .deb is and its SHA256.
import type { Stanza } from './deb822'
import { parseRelations, type DepGroup } from './relations'
import { compareVersions } from './version'

/** One binary package as an index lists it. */
export interface PackageEntry {
  name: string
  version: string
  architecture: string
  /** Path of the .deb under the mirror's base URI. */
  filename: string
  size: number
  sha256: string
  essential: boolean
  priority: string
  /** The suite it came from (e.g. bookworm-backports). */
  suite: string
  /** Lower is preferred: 0 for the distribution's suites, 1 for NotAutomatic ones (backports). */
  rank: number
  /** Installed-Size in bytes (the index gives KiB; 0 when absent). */
  installedSize: number
  /** The fields Slipway reads (Depends, Provides, …), by lower-case name. */
  stanza: Stanza
  /**
   * Where the whole stanza is in the decompressed index (byte offsets), for a dpkg status entry:
   * `index` is the SHA256 of the index file as the Release names it.
   */
  at: StanzaAt
}

/** A stanza's place in a decompressed Packages index: the index's SHA256 and byte offsets. */
export interface StanzaAt {
  index: string
  start: number
  end: number
}

const NAME = /^[a-z0-9][a-z0-9+.-]+$/
const VERSION = /^[A-Za-z0-9.+~:-]+$/
const SHA256 = /^[0-9a-f]{64}$/
const FILENAME = /^pool\/[A-Za-z0-9+._~/-]+\.deb$/

/** The fields kept from a Packages stanza (the rest, descriptions mostly, is skipped while reading). */
const WANTED = new Set(['package', 'version', 'architecture', 'filename', 'size', 'sha256', 'essential', 'priority', 'depends', 'pre-depends', 'provides', 'multi-arch', 'installed-size'])

/**
 * Reads a Packages index. Every field used later (name, version, filename, SHA256) is checked
 * here, because an index is remote input: a stanza with a path outside pool/, a missing hash or
 * a name dpkg would refuse throws with the package's name. Only the fields Slipway uses are kept
 * (an index is 50 MB, mostly descriptions); `at` says where the whole stanza is. `text` is the
 * index decoded as latin1 (one character per byte: a fast decode, and offsets that are byte
 * offsets; every field kept is ASCII), `index` the index's SHA256.
 */
export function parsePackages(text: string, suite: string, rank = 0, index = ''): PackageEntry[] {
  const out: PackageEntry[] = []
  let fields: Stanza | null = null
  let field = ''
  let stanzaStart = 0
  let pos = 0
  const n = text.length
  const finish = (endPos: number) => {
    if (fields) out.push(entryOf(fields, suite, rank, { index, start: stanzaStart, end: endPos }))
    fields = null
    field = ''
  }
  while (pos < n) {
    let eol = text.indexOf('\n', pos)
    if (eol < 0) eol = n
    const c0 = text.charCodeAt(pos)
    if (eol === pos || (c0 === 0x0d && eol === pos + 1)) {
      finish(pos)
    } else if (c0 === 0x20 || c0 === 0x09) {
      if (fields && WANTED.has(field)) fields.set(field, `${fields.get(field) ?? ''} ${text.slice(pos, eol).trim()}`.trim())
    } else {
      const colon = text.indexOf(':', pos)
      if (colon < 0 || colon > eol) throw new Error(`the Packages index of ${suite} has a malformed line near offset ${pos}`)
      if (!fields) {
        fields = new Map()
        stanzaStart = pos
      }
      field = text.slice(pos, colon).toLowerCase()
      if (WANTED.has(field)) fields.set(field, text.slice(colon + 1, eol).trim())
    }
    pos = eol + 1
  }
  finish(n)
  return out
}

function entryOf(s: Stanza, suite: string, rank: number, at: StanzaAt): PackageEntry {
  const name = s.get('package') ?? ''
  const version = s.get('version') ?? ''
  const filename = s.get('filename') ?? ''
  const sha256 = s.get('sha256') ?? ''
  if (!NAME.test(name)) throw new Error(`the Packages index of ${suite} has a stanza with a bad package name ${JSON.stringify(name.slice(0, 80))}`)
  if (!VERSION.test(version)) throw new Error(`the Packages index of ${suite} has a bad version for ${name}`)
  if (!FILENAME.test(filename) || filename.includes('..')) throw new Error(`the Packages index of ${suite} has a bad Filename for ${name}`)
  if (!SHA256.test(sha256)) throw new Error(`the Packages index of ${suite} has no SHA256 for ${name}`)
  const size = Number(s.get('size') ?? 0)
  const installedKiB = Number(s.get('installed-size') ?? 0)
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`the Packages index of ${suite} has a bad Size for ${name}`)
  return {
    name,
    version,
    architecture: s.get('architecture') ?? '',
    filename,
    size,
    sha256,
    essential: (s.get('essential') ?? '').toLowerCase() === 'yes',
    priority: s.get('priority') ?? '',
    suite,
    rank,
    installedSize: Number.isSafeInteger(installedKiB) && installedKiB > 0 ? installedKiB * 1024 : 0,
    stanza: s,
    at,
  }
}

/** The compact form's version: a cached form of another version is read as missing. */
const COMPACT_VERSION = 1
/** The fields of the compact form, in order (after the stanza's offsets). */
const COMPACT_FIELDS = ['package', 'version', 'architecture', 'filename', 'size', 'sha256', 'essential', 'priority', 'depends', 'pre-depends', 'provides', 'multi-arch', 'installed-size'] as const

/**
 * A parsed index in a compact form for the data folder's cache (JSON: per entry its offsets and the
 * fields Slipway reads, "" where absent) — read back in a fraction of the time a parse takes.
 */
export function packagesToCompact(entries: readonly PackageEntry[]): string {
  const rows = entries.map((e) => [e.at.start, e.at.end, ...COMPACT_FIELDS.map((f) => e.stanza.get(f) ?? '')])
  return JSON.stringify({ v: COMPACT_VERSION, fields: COMPACT_FIELDS, rows })
}

/**
 * Reads the compact form back, checking every entry as a parse does (the cache is a file on disk:
 * a damaged one throws, and the caller parses the index again).
 */
export function packagesFromCompact(json: string, suite: string, rank: number, index: string): PackageEntry[] {
  const data = JSON.parse(json) as { v?: unknown; fields?: unknown; rows?: unknown }
  if (data.v !== COMPACT_VERSION || JSON.stringify(data.fields) !== JSON.stringify(COMPACT_FIELDS) || !Array.isArray(data.rows)) throw new Error('not a compact Packages index of this version')
  return (data.rows as unknown[]).map((row) => {
    if (!Array.isArray(row) || row.length !== COMPACT_FIELDS.length + 2) throw new Error('a damaged row')
    const [start, end, ...values] = row as unknown[]
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) throw new Error('a damaged row')
    const s: Stanza = new Map()
    COMPACT_FIELDS.forEach((f, i) => {
      const v = values[i]
      if (typeof v !== 'string') throw new Error('a damaged row')
      if (v !== '') s.set(f, v)
    })
    return entryOf(s, suite, rank, { index, start: start as number, end: end as number })
  })
}

/** Every package of the configured suites, by name and by what they provide. */
export interface PackageIndex {
  /** Candidates per name, best first (lower rank, then higher version). */
  byName: Map<string, PackageEntry[]>
  /** Packages that Provide a (virtual) name, with the version they provide it at. */
  providers: Map<string, { entry: PackageEntry; version?: string }[]>
}

/** Builds the lookup tables over the entries of one or more Packages indexes. */
export function indexPackages(entries: Iterable<PackageEntry>): PackageIndex {
  const byName = new Map<string, PackageEntry[]>()
  const providers = new Map<string, { entry: PackageEntry; version?: string }[]>()
  for (const e of entries) {
    let list = byName.get(e.name)
    if (!list) byName.set(e.name, (list = []))
    list.push(e)
    for (const [p] of parseRelations(e.stanza.get('provides'))) {
      if (!p) continue
      let pl = providers.get(p.name)
      if (!pl) providers.set(p.name, (pl = []))
      pl.push(p.version?.relation === '=' ? { entry: e, version: p.version.version } : { entry: e })
    }
  }
  for (const list of byName.values()) list.sort((a, b) => a.rank - b.rank || compareVersions(b.version, a.version))
  return { byName, providers }
}

/** Pre-Depends and Depends of a package, for `arch`. */
export function dependsOf(e: PackageEntry, arch: string): DepGroup[] {
  return [...parseRelations(e.stanza.get('pre-depends'), arch), ...parseRelations(e.stanza.get('depends'), arch)]
}

/** What a set of packages downloads (their .debs) and takes once unpacked (Installed-Size). */
export interface PackageSetSize {
  downloadBytes: number
  imageBytes: number
}

/** The sizes of a resolved package set, from its index entries. */
export function packageSetSize(entries: readonly PackageEntry[]): PackageSetSize {
  let downloadBytes = 0
  let imageBytes = 0
  for (const e of entries) {
    downloadBytes += e.size
    imageBytes += e.installedSize
  }
  return { downloadBytes, imageBytes }
}
