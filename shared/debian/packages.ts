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

/** The fields of a compact line after the name and Provides, in order (then the stanza's offsets). */
const COMPACT_FIELDS = ['version', 'architecture', 'filename', 'size', 'sha256', 'essential', 'priority', 'depends', 'pre-depends', 'multi-arch', 'installed-size'] as const

/**
 * A parsed index in a compact form for the data folder's cache: a line per package — name,
 * Provides, the other fields Slipway reads ("" where absent), the stanza's offsets — tab-separated.
 * Written and read as latin1, like the index itself (the cache adds a header that checks it).
 */
export function packagesToCompact(entries: readonly PackageEntry[]): string {
  const clean = (v: string | undefined) => (v ?? '').replace(/[\t\n]/g, ' ')
  const lines = entries.map((e) => [e.name, clean(e.stanza.get('provides')), ...COMPACT_FIELDS.map((f) => clean(e.stanza.get(f))), e.at.start, e.at.end].join('\t')).join('\n')
  return lines
}

/**
 * One Packages index in its compact form, its entries made only when asked for: a make looks up a
 * handful of 60,000 packages, so reading the form is a scan for line starts and names, not a
 * parse. An entry is checked as a parse checks it when it is made; the same line gives the same
 * entry object every time.
 */
/** Tabs after the Provides field before the Priority field's value (version, architecture, filename, size, sha256, essential). */
const PRIORITY_AT = COMPACT_FIELDS.indexOf('priority')

export class CompactPackages {
  /** Line starts by package name. */
  private readonly lines = new Map<string, number[]>()
  /** Line starts of the packages that Provide something, with their Provides. */
  readonly provides: { line: number; value: string }[] = []
  /** Names with an entry of Priority: required (what a minbase root starts from). */
  readonly required = new Set<string>()
  private readonly made = new Map<number, PackageEntry>()

  private constructor(
    private readonly text: string,
    readonly suite: string,
    readonly rank: number,
    readonly index: string,
  ) {
    let pos = 0
    const n = text.length
    while (pos < n) {
      const tab = text.indexOf('\t', pos)
      let eol = text.indexOf('\n', pos)
      if (eol < 0) eol = n
      if (tab < 0 || tab > eol) throw new Error('a damaged line')
      const name = text.slice(pos, tab)
      const list = this.lines.get(name)
      if (list) list.push(pos)
      else this.lines.set(name, [pos])
      const tab2 = text.indexOf('\t', tab + 1)
      if (tab2 > tab + 1 && tab2 < eol) this.provides.push({ line: pos, value: text.slice(tab + 1, tab2) })
      // Priority is the field after the six before it (version … sha256, essential).
      let at = tab2
      for (let i = 0; i < PRIORITY_AT && at >= 0 && at < eol; i++) at = text.indexOf('\t', at + 1)
      if (at >= 0 && at < eol && text.startsWith('required\t', at + 1)) this.required.add(name)
      pos = eol + 1
    }
  }

  /** Reads the compact form (as packagesToCompact wrote it); throws on a line that is not one. */
  static read(text: string, suite: string, rank: number, index: string): CompactPackages {
    return new CompactPackages(text, suite, rank, index)
  }

  /** The names of every package in it. */
  names(): IterableIterator<string> {
    return this.lines.keys()
  }

  /** The entries of a name (several versions may be listed), in the index's order. */
  entries(name: string): PackageEntry[] {
    return (this.lines.get(name) ?? []).map((line) => this.entryAt(line))
  }

  /** Every entry, in the index's order (what a parse gives). */
  all(): PackageEntry[] {
    return [...this.lines.values()].flat().sort((a, b) => a - b).map((line) => this.entryAt(line))
  }

  /** The entry of the line starting at `line`. */
  entryAt(line: number): PackageEntry {
    const known = this.made.get(line)
    if (known) return known
    let eol = this.text.indexOf('\n', line)
    if (eol < 0) eol = this.text.length
    const [name, provides, ...rest] = this.text.slice(line, eol).split('\t')
    if (rest.length !== COMPACT_FIELDS.length + 2) throw new Error('a damaged line')
    const s: Stanza = new Map([['package', name ?? '']])
    if (provides) s.set('provides', provides)
    COMPACT_FIELDS.forEach((f, i) => {
      if (rest[i]) s.set(f, rest[i])
    })
    const e = entryOf(s, this.suite, this.rank, { index: this.index, start: Number(rest[COMPACT_FIELDS.length]), end: Number(rest[COMPACT_FIELDS.length + 1]) })
    this.made.set(line, e)
    return e
  }
}

/** Every package of the configured suites, by name and by what they provide. */
export interface PackageIndex {
  /** Candidates per name, best first (lower rank, then higher version). */
  byName: ReadonlyMap<string, PackageEntry[]>
  /** Packages that Provide a (virtual) name, with the version they provide it at. */
  providers: ReadonlyMap<string, { entry: PackageEntry; version?: string }[]>
  /** Names with an entry of Priority: required in a rank-0 suite, in the order the indexes list them first. */
  required: readonly string[]
}

const bestFirst = (a: PackageEntry, b: PackageEntry) => a.rank - b.rank || compareVersions(b.version, a.version)

/** Builds the lookup tables over the entries of one or more Packages indexes. */
export function indexPackages(entries: Iterable<PackageEntry>): PackageIndex {
  const byName = new Map<string, PackageEntry[]>()
  const providers = new Map<string, { entry: PackageEntry; version?: string }[]>()
  for (const e of entries) {
    let list = byName.get(e.name)
    if (!list) byName.set(e.name, (list = []))
    list.push(e)
    addProvides(providers, e, e.stanza.get('provides'))
  }
  const required = [...byName].filter(([, list]) => list.some((e) => e.rank === 0 && e.priority === 'required')).map(([name]) => name)
  for (const list of byName.values()) list.sort(bestFirst)
  return { byName, providers, required }
}

function addProvides(providers: Map<string, { entry: PackageEntry; version?: string }[]>, entry: PackageEntry, value: string | undefined): void {
  for (const [p] of parseRelations(value)) {
    if (!p) continue
    let pl = providers.get(p.name)
    if (!pl) providers.set(p.name, (pl = []))
    pl.push(p.version?.relation === '=' ? { entry, version: p.version.version } : { entry })
  }
}

/**
 * The same lookup tables over compact indexes, made as they are read: a name's candidates are made
 * (and sorted) the first time it is looked up; iterating makes them all.
 */
export function indexCompact(sources: readonly CompactPackages[]): PackageIndex {
  const byName = new LazyCandidates(sources)
  const providers = new Map<string, { entry: PackageEntry; version?: string }[]>()
  // Providers are few (a few thousand of 60,000): their entries are made now.
  for (const src of sources) for (const p of src.provides) addProvides(providers, src.entryAt(p.line), p.value)
  // Without making an entry: the names in the order the indexes list them first, kept when a
  // rank-0 index has them as required.
  const seen = new Set<string>()
  const required: string[] = []
  for (const src of sources) {
    for (const name of src.names()) {
      if (seen.has(name)) continue
      seen.add(name)
      if (sources.some((x) => x.rank === 0 && x.required.has(name))) required.push(name)
    }
  }
  return { byName, providers, required }
}

/** Candidates per name over compact indexes, made on first look-up. */
class LazyCandidates extends Map<string, PackageEntry[]> {
  private complete = false

  constructor(private readonly sources: readonly CompactPackages[]) {
    super()
  }

  override get(name: string): PackageEntry[] | undefined {
    const known = super.get(name)
    if (known || this.complete) return known
    const list = this.sources.flatMap((s) => s.entries(name))
    if (!list.length) return undefined
    list.sort(bestFirst)
    super.set(name, list)
    return list
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined
  }

  private fill(): void {
    if (this.complete) return
    for (const s of this.sources) for (const name of s.names()) this.get(name)
    this.complete = true
  }

  override get size(): number {
    this.fill()
    return super.size
  }

  override entries(): MapIterator<[string, PackageEntry[]]> {
    this.fill()
    return super.entries()
  }

  override keys(): MapIterator<string> {
    this.fill()
    return super.keys()
  }

  override values(): MapIterator<PackageEntry[]> {
    this.fill()
    return super.values()
  }

  override forEach(cb: (value: PackageEntry[], key: string, map: Map<string, PackageEntry[]>) => void, thisArg?: unknown): void {
    this.fill()
    super.forEach(cb, thisArg)
  }

  override [Symbol.iterator](): MapIterator<[string, PackageEntry[]]> {
    return this.entries()
  }
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
