// A tree comparison as it comes back from the comparison worker: a few typed arrays (transferred, not
// copied) and the names as one text (text-column.ts), instead of tens of thousands of objects the page would have to
// rebuild in one long task. The page sees an ordinary TreeComparison whose entries are made when
// first read (a folder's children when it is opened), and the largest differences come precomputed.
import { compareTrees, LARGEST_AHEAD, largestDifferences, type DiffEntry, type DiffKind, type TreeComparison } from './compare'
import { unpackLayerIndex } from './packed'
import { textAt, textColumn, textColumnOf, type TextColumn } from './text-column'

const KINDS: DiffKind[] = ['onlyA', 'onlyB', 'changed', 'dir']

/**
 * Entries in breadth-first order, so each entry's children are one run: `first[i]` … `first[i] + count[i] - 1`.
 * Entry 0 is the root. Names are joined by '/' (a path segment never holds one).
 */
export interface ComparisonTransfer {
  totals: Omit<TreeComparison, 'root' | 'largest'>
  /** Each entry's name, joined by '/' (text-column.ts): a name is sliced when read, the text never split. */
  names: TextColumn
  kind: Uint8Array
  dir: Uint8Array
  sizeA: Float64Array
  sizeB: Float64Array
  files: Float64Array
  first: Uint32Array
  count: Uint32Array
  /** Entry numbers of the largest non-directory differences, largest first. */
  largest: Uint32Array
  /** Their paths (walking up to them on the page was tens of ms at 100,000 entries). */
  largestPaths: TextColumn
}

/** The buffers to transfer with a ComparisonTransfer. */
export function transferables(t: ComparisonTransfer): ArrayBuffer[] {
  return [t.kind, t.dir, t.sizeA, t.sizeB, t.files, t.first, t.count, t.largest, t.names.ends, t.largestPaths.ends].map((a) => a.buffer as ArrayBuffer)
}

/** Compares two packed indexes (what the worker does): unpacks both, compares, flattens the result. */
export function comparePacked(a: Uint8Array, b: Uint8Array): ComparisonTransfer {
  return flattenComparison(compareTrees(unpackLayerIndex(a), unpackLayerIndex(b)))
}

/** The comparison as columns (see ComparisonTransfer). */
export function flattenComparison(cmp: TreeComparison): ComparisonTransfer {
  const order: DiffEntry[] = [cmp.root]
  for (let i = 0; i < order.length; i++) for (const c of (order[i] as DiffEntry).children) order.push(c)
  const n = order.length
  const names = order.map((e) => e.name)
  const t: ComparisonTransfer = {
    totals: { sizeA: cmp.sizeA, sizeB: cmp.sizeB, delta: cmp.delta, fileCountA: cmp.fileCountA, fileCountB: cmp.fileCountB, onlyA: cmp.onlyA, onlyB: cmp.onlyB, changed: cmp.changed },
    names: textColumnOf(names.join('/'), names, 1),
    kind: new Uint8Array(n),
    dir: new Uint8Array(n),
    sizeA: new Float64Array(n),
    sizeB: new Float64Array(n),
    files: new Float64Array(n),
    first: new Uint32Array(n),
    count: new Uint32Array(n),
    largest: new Uint32Array(0),
    largestPaths: textColumn([]),
  }
  const number = new Map<DiffEntry, number>()
  let next = 1
  for (let i = 0; i < n; i++) {
    const e = order[i] as DiffEntry
    number.set(e, i)
    t.kind[i] = KINDS.indexOf(e.kind)
    t.dir[i] = e.dir ? 1 : 0
    t.sizeA[i] = e.sizeA
    t.sizeB[i] = e.sizeB
    t.files[i] = e.files
    t.first[i] = next
    t.count[i] = e.children.length
    next += e.children.length
  }
  const largest = largestDifferences(cmp, LARGEST_AHEAD)
  t.largest = Uint32Array.from(largest, (e) => number.get(e) ?? 0)
  t.largestPaths = textColumn(largest.map((e) => e.path))
  return t
}

/** The page's TreeComparison over the columns: entries are made when first read. */
export function comparisonFromTransfer(t: ComparisonTransfer): TreeComparison {
  // The page slices a name when an entry is made: splitting ~100,000 names at once was a long task.
  const made = new Map<number, DiffEntry>()
  const ctx: Ctx = {
    t,
    entry: (i, path) => {
      let e = made.get(i)
      if (!e) {
        e = new LazyEntry(ctx, i, path)
        made.set(i, e)
      }
      return e
    },
  }
  const root = ctx.entry(0, '/')
  const largest = Array.from(t.largest, (i, k) => ctx.entry(i, textAt(t.largestPaths, k)))
  return { ...t.totals, root, largest }
}

interface Ctx {
  t: ComparisonTransfer
  entry: (i: number, path: string) => DiffEntry
}

/** A DiffEntry whose children are made when first read. */
class LazyEntry implements DiffEntry {
  readonly name: string
  readonly kind: DiffKind
  readonly dir: boolean
  readonly sizeA: number
  readonly sizeB: number
  readonly delta: number
  readonly files: number
  private kids: DiffEntry[] | undefined

  constructor(
    private readonly ctx: Ctx,
    private readonly i: number,
    readonly path: string,
  ) {
    const t = ctx.t
    this.name = textAt(t.names, i)
    this.kind = KINDS[t.kind[i] as number] ?? 'dir'
    this.dir = t.dir[i] === 1
    this.sizeA = t.sizeA[i] as number
    this.sizeB = t.sizeB[i] as number
    this.delta = this.sizeB - this.sizeA
    this.files = t.files[i] as number
  }

  get childCount(): number {
    return this.ctx.t.count[this.i] as number
  }

  get children(): DiffEntry[] {
    if (!this.kids) {
      const first = this.ctx.t.first[this.i] as number
      const end = first + (this.ctx.t.count[this.i] as number)
      const kids: DiffEntry[] = []
      for (let c = first; c < end; c++) kids.push(this.ctx.entry(c, childPath(this.path, textAt(this.ctx.t.names, c))))
      this.kids = kids
    }
    return this.kids
  }
}

function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}
