// The layer index as one compact binary block: how it is cached on disk and how it crosses to the
// renderer (Electron IPC carries a Uint8Array by structured clone, browser mode's WebSocket as a
// binary frame). A 100,000-file index is ~7 MB of JSON; here every number column is the narrowest
// typed array that holds it exactly and every string column is one UTF-8 block with its lengths, so
// the block is a fraction of the size and decodes without a JSON parse of the columns.
//
// Layout (little-endian; every section starts at a multiple of 8):
//   0  'SLIX'            magic
//   4  u32 version       PACKED_VERSION
//   8  u32 H             bytes of the header JSON
//  12  u32 0             reserved
//  16  header JSON       {meta, columns}: everything but the columns, and one descriptor per column
//      columns           in the order `columnsOf` lists them
import { LAYER_INDEX_FORMAT_VERSION, type LayerEntries, type LayerIndex, type NumColumn } from './types'
import { textColumnOf, type IndexText, type TextColumn } from './text-column'

/** The packed index as it travels: the bytes of `packLayerIndex`. */
export type PackedLayerIndex = Uint8Array

/** Bumped when the layout above changes (the index's own shape has LAYER_INDEX_FORMAT_VERSION). */
export const PACKED_VERSION = 1
const MAGIC = 0x58494c53 // 'SLIX' read as a little-endian u32
const PREAMBLE = 16

type NumKind = 'u8' | 'u16' | 'u32' | 'f64'
/**
 * One column: numbers (`n` values of kind `t`, each stored minus `o`, so -1…65534 fits in a u16; with
 * `d` as the difference from the value before, so the node ids 1, 2, 3… of a layer fit in a u8), or
 * strings: `j`, joined by a separator none of them holds (`/` for path segments, else NUL; split
 * natively), or `s`, `n` UTF-16 lengths as a number column of kind `l`; then `b` bytes of UTF-8.
 */
type Column = { t: NumKind; n: number; o: number; d?: 1 } | { t: 's'; n: number; l: NumKind; b: number } | { t: 'j'; n: number; sep: string; b: number }

/** What the header says besides the columns. */
type Meta = Omit<LayerIndex, 'paths' | 'entries' | 'tree' | 'largestFiles' | 'inefficiencies'> & { layerCount: number }

interface Header {
  meta: Meta
  columns: Column[]
}

const ARRAYS = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  f64: Float64Array,
} as const
const WIDTH: Record<NumKind, number> = { u8: 1, u16: 2, u32: 4, f64: 8 }

// shared/ has no DOM or Node types; both sides have these globals.
interface Utf8Encoder {
  encode(s: string): Uint8Array
}
interface Utf8Decoder {
  decode(b: Uint8Array): string
}
const g = globalThis as unknown as {
  TextEncoder: new () => Utf8Encoder
  TextDecoder: new (label: string, opts: { ignoreBOM: boolean; fatal: boolean }) => Utf8Decoder
}
let encoder: Utf8Encoder | undefined
let decoder: Utf8Decoder | undefined
const utf8 = () => (encoder ??= new g.TextEncoder())
// ignoreBOM keeps a name that starts with U+FEFF as it is.
const fromUtf8 = () => (decoder ??= new g.TextDecoder('utf-8', { ignoreBOM: true, fatal: false }))

/** Every column of an index, in packing order. */
type Slot = { num: NumColumn } | { str: string[] }
function columnsOf(index: LayerIndex): Slot[] {
  const out: Slot[] = [{ str: index.paths.names }, { num: index.paths.parents }]
  for (const e of index.entries) out.push(...entryColumns(e))
  const t = index.tree
  out.push({ num: t.node }, { num: t.layer }, { num: t.entry }, { num: t.size }, { num: t.files })
  out.push({ num: index.largestFiles })
  const w = index.inefficiencies
  out.push({ num: w.node }, { num: w.count }, { num: w.cumulativeSize })
  return out
}

function entryColumns(e: LayerEntries): Slot[] {
  return [{ num: e.node }, { num: e.size }, { num: e.mode }, { num: e.uid }, { num: e.gid }, { num: e.type }, { num: e.flags }, { str: e.link }, { num: e.change }]
}

/** The narrowest typed array kind that holds every value minus the offset exactly, and the offset. */
function kindOf(xs: ArrayLike<number>): { t: NumKind; o: number } {
  let min = 0
  let max = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number
    if (!Number.isSafeInteger(x) || Object.is(x, -0)) return { t: 'f64', o: 0 }
    if (x < min) min = x
    else if (x > max) max = x
  }
  const range = max - min
  const t: NumKind = range < 0x100 ? 'u8' : range < 0x10000 ? 'u16' : range <= 0xffffffff ? 'u32' : 'f64'
  return { t, o: t === 'f64' ? 0 : min }
}

/** Each value minus the one before (the first as it is), or undefined when a value is no safe integer. */
function deltasOf(xs: NumColumn): number[] | undefined {
  const out = new Array<number>(xs.length)
  let prev = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number
    if (!Number.isSafeInteger(x)) return undefined
    out[i] = x - prev
    prev = x
  }
  return out
}

/** The bytes of a number column. */
function numBytes(xs: ArrayLike<number>, t: NumKind, o: number): Uint8Array {
  const arr = new ARRAYS[t](xs.length)
  if (o === 0) arr.set(xs)
  else for (let i = 0; i < xs.length; i++) arr[i] = (xs[i] as number) - o
  return new Uint8Array(arr.buffer, 0, arr.byteLength)
}

const pad8 = (n: number) => (n + 7) & ~7

/** Packs an index into one block (see the layout above). */
export function packLayerIndex(index: LayerIndex): PackedLayerIndex {
  const slots = columnsOf(index)
  const columns: Column[] = []
  const parts: { lengths?: Uint8Array; bytes: Uint8Array }[] = []
  for (const s of slots) {
    if ('num' in s) {
      const plain = kindOf(s.num)
      const deltas = deltasOf(s.num)
      const delta = deltas ? kindOf(deltas) : plain
      if (deltas && WIDTH[delta.t] < WIDTH[plain.t]) {
        columns.push({ t: delta.t, n: s.num.length, o: delta.o, d: 1 })
        parts.push({ bytes: numBytes(deltas, delta.t, delta.o) })
      } else {
        columns.push({ t: plain.t, n: s.num.length, o: plain.o })
        parts.push({ bytes: numBytes(s.num, plain.t, plain.o) })
      }
    } else {
      const sep = ['/', '\0'].find((c) => !s.str.some((x) => x.includes(c)))
      if (sep !== undefined) {
        const bytes = utf8().encode(s.str.join(sep))
        columns.push({ t: 'j', n: s.str.length, sep, b: bytes.length })
        parts.push({ bytes })
        continue
      }
      const lens = new Uint32Array(s.str.length)
      for (let i = 0; i < s.str.length; i++) lens[i] = (s.str[i] as string).length
      const l = kindOf(lens).t
      const bytes = utf8().encode(s.str.join(''))
      columns.push({ t: 's', n: s.str.length, l, b: bytes.length })
      parts.push({ lengths: numBytes(lens, l, 0), bytes })
    }
  }
  const { paths: _p, entries, tree: _t, largestFiles: _l, inefficiencies: _i, ...rest } = index
  const header = utf8().encode(JSON.stringify({ meta: { ...rest, layerCount: entries.length }, columns } satisfies Header))
  let size = pad8(PREAMBLE + header.length)
  for (const p of parts) size += (p.lengths ? pad8(p.lengths.byteLength) : 0) + pad8(p.bytes.length)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, PACKED_VERSION, true)
  view.setUint32(8, header.length, true)
  out.set(header, PREAMBLE)
  let at = pad8(PREAMBLE + header.length)
  for (const p of parts) {
    if (p.lengths) {
      out.set(p.lengths, at)
      at += pad8(p.lengths.byteLength)
    }
    out.set(p.bytes, at)
    at += pad8(p.bytes.length)
  }
  return out
}

/** Thrown for a block that is not a packed index of this version, or is cut short. */
export class PackedIndexError extends Error {}

/** Bytes of a packed index's preamble: what `packedHeadLength` needs to say how long its head is. */
export const PACKED_PREAMBLE = PREAMBLE

/** The bytes from the start of a packed index through its header (from its first PACKED_PREAMBLE bytes). */
export function packedHeadLength(preamble: Uint8Array): number {
  if (preamble.length < PREAMBLE) throw new PackedIndexError('Not a packed layer index: too short.')
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength)
  if (view.getUint32(0, true) !== MAGIC) throw new PackedIndexError('Not a packed layer index.')
  return PREAMBLE + view.getUint32(8, true)
}

function readHeader(bytes: Uint8Array): { header: Header; at: number } {
  if (bytes.length < PREAMBLE) throw new PackedIndexError('Not a packed layer index: too short.')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== MAGIC) throw new PackedIndexError('Not a packed layer index.')
  const version = view.getUint32(4, true)
  if (version !== PACKED_VERSION) throw new PackedIndexError(`Packed layer index version ${version}; this Slipway reads ${PACKED_VERSION}.`)
  const h = view.getUint32(8, true)
  if (PREAMBLE + h > bytes.length) throw new PackedIndexError('Packed layer index cut short (header).')
  let header: Header
  try {
    header = JSON.parse(fromUtf8().decode(bytes.subarray(PREAMBLE, PREAMBLE + h))) as Header
  } catch {
    throw new PackedIndexError('Packed layer index damaged (header).')
  }
  if (!header || typeof header !== 'object' || !header.meta || !Array.isArray(header.columns)) throw new PackedIndexError('Packed layer index damaged (header).')
  return { header, at: pad8(PREAMBLE + h) }
}

/** The bytes a column takes, or -1 for a descriptor that makes no sense. */
function columnBytes(c: Column): number {
  if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.n) || c.n < 0) return -1
  if (c.t === 'j') return Number.isSafeInteger(c.b) && c.b >= 0 && (c.sep === '/' || c.sep === '\0') ? pad8(c.b) : -1
  if (c.t === 's') return Number.isSafeInteger(c.b) && c.b >= 0 && Object.hasOwn(WIDTH, c.l) ? pad8(c.n * WIDTH[c.l]) + pad8(c.b) : -1
  return Object.hasOwn(WIDTH, c.t) && Number.isSafeInteger(c.o) ? pad8(c.n * WIDTH[c.t]) : -1
}

/**
 * The header of a packed index, checked: the magic, the version, and that the columns it lists fill
 * the block exactly (a truncated or padded file fails here). Reads no column.
 */
export function packedMeta(bytes: Uint8Array): Meta {
  return checked(bytes).header.meta
}

/**
 * As `packedMeta`, from the head of the block only (its first `packedHeadLength` bytes or more) and
 * the length of the whole block: a file's header is checked without reading its columns.
 */
export function packedMetaOfHead(head: Uint8Array, totalLength: number): Meta {
  return checked(head, totalLength).header.meta
}

function checked(bytes: Uint8Array, total = bytes.length): { header: Header; at: number } {
  const { header, at } = readHeader(bytes)
  let end = at
  for (const c of header.columns) {
    const b = columnBytes(c)
    if (b < 0) throw new PackedIndexError('Packed layer index damaged (column).')
    end += b
  }
  if (end !== total) throw new PackedIndexError(`Packed layer index is ${total} bytes; its header describes ${end}.`)
  const layerCount = header.meta?.layerCount
  if (!Number.isSafeInteger(layerCount) || layerCount < 0) throw new PackedIndexError('Packed layer index damaged (layer count).')
  const expected = 2 + layerCount * 9 + 5 + 1 + 3
  if (header.columns.length !== expected) throw new PackedIndexError('Packed layer index damaged (column count).')
  return { header, at }
}

/**
 * Unpacks a block made by `packLayerIndex`: number columns are typed arrays (views into the block where
 * they are stored as they are), string columns string arrays.
 */
export function unpackLayerIndex(bytes: Uint8Array): LayerIndex {
  return unpack(bytes, null)
}

/**
 * `unpackLayerIndex`, and the string columns as the block holds them (one text each, with where each
 * string ends: text-column.ts), to send to another thread without cloning each string.
 */
export function unpackLayerIndexWithText(bytes: Uint8Array): { index: LayerIndex; text: IndexText } {
  const columns: TextColumn[] = []
  const index = unpack(bytes, columns)
  const [names, ...links] = columns
  return { index, text: { names: names as TextColumn, links } }
}

function unpack(bytes: Uint8Array, texts: TextColumn[] | null): LayerIndex {
  const { header, at: start } = checked(bytes)
  const meta = header.meta
  // Typed views need their element alignment: copy a block that sits at an odd offset (with
  // Uint8Array's slice: a Node Buffer's — what a structured clone of the host's answer gives in Node — is a view).
  const block = bytes.byteOffset % 8 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes)
  let at = start
  let c = 0
  const next = (): Column => header.columns[c++] as Column
  const view = (t: NumKind, n: number) => {
    const arr = new ARRAYS[t](block.buffer as ArrayBuffer, block.byteOffset + at, n)
    at += pad8(n * WIDTH[t])
    return arr
  }
  const num = (): NumColumn => {
    const col = next()
    if (col.t === 's' || col.t === 'j') throw new PackedIndexError('Packed layer index damaged (a number column holds text).')
    const stored = view(col.t, col.n)
    if (!col.d && col.o === 0) return stored
    // Offset or delta coded: decoded into a new array that holds the values themselves.
    const fitsI32 = !col.d && col.t !== 'f64' && col.o >= -0x80000000 && col.o + 2 ** (8 * WIDTH[col.t]) - 1 <= 0x7fffffff
    const out = fitsI32 ? new Int32Array(col.n) : new Float64Array(col.n)
    if (col.d) {
      let prev = 0
      for (let i = 0; i < col.n; i++) prev = out[i] = prev + (stored[i] as number) + col.o
    } else for (let i = 0; i < col.n; i++) out[i] = (stored[i] as number) + col.o
    return out
  }
  const str = (): string[] => {
    const col = next()
    if (col.t === 'j') {
      const text = fromUtf8().decode(block.subarray(at, at + col.b))
      at += pad8(col.b)
      const out = col.n === 0 ? [] : text.split(col.sep)
      if (out.length !== col.n) throw new PackedIndexError('Packed layer index damaged (text).')
      texts?.push(textColumnOf(text, out, col.sep.length))
      return out
    }
    if (col.t !== 's') throw new PackedIndexError('Packed layer index damaged (a text column holds numbers).')
    const lengths = view(col.l, col.n)
    const text = fromUtf8().decode(block.subarray(at, at + col.b))
    at += pad8(col.b)
    const out = new Array<string>(col.n)
    let p = 0
    for (let i = 0; i < col.n; i++) {
      const len = lengths[i] as number
      out[i] = text.slice(p, p + len)
      p += len
    }
    if (p !== text.length) throw new PackedIndexError('Packed layer index damaged (text).')
    texts?.push(textColumnOf(text, out, 0))
    return out
  }
  const names = str()
  const parents = num()
  const entries: LayerEntries[] = []
  for (let l = 0; l < meta.layerCount; l++) {
    entries.push({ node: num(), size: num(), mode: num(), uid: num(), gid: num(), type: num(), flags: num(), link: str(), change: num() })
  }
  const tree = { node: num(), layer: num(), entry: num(), size: num(), files: num() }
  const largestFiles = num()
  const inefficiencies = { node: num(), count: num(), cumulativeSize: num() }
  const { layerCount: _n, ...rest } = meta
  return { ...rest, paths: { names, parents }, entries, tree, largestFiles, inefficiencies }
}

/** True when `meta` is an index of this Slipway's format for `imageId`. */
export function isCurrentIndexMeta(meta: Pick<LayerIndex, 'formatVersion' | 'imageId'>, imageId: string): boolean {
  return meta.formatVersion === LAYER_INDEX_FORMAT_VERSION && meta.imageId === imageId
}
