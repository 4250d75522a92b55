// Compares the final file trees of two images (say the alpine and the distroless build of the same
// project): which files only one of them has, which both have at different sizes, and how many bytes
// every directory gains or loses. Pure; walks both trees once, matching children by name.
import { TYPE_DIR, type LayerIndex, type NumColumn } from './types'

/** What a row of the comparison says about its path, from A's point of view to B's. */
export type DiffKind = 'onlyA' | 'onlyB' | 'changed' | 'dir'

/** One path that differs between the two trees; directories carry the differences below them. */
export interface DiffEntry {
  name: string
  /** Absolute path, `/` for the root. */
  path: string
  /**
   * `onlyA` / `onlyB`: the path exists in one image only (for a directory, with everything below it);
   * `changed`: a non-directory in both, at different sizes; `dir`: a directory in both with differences below.
   */
  kind: DiffKind
  dir: boolean
  /** Bytes at or below the path in A (0 when A does not have it). */
  sizeA: number
  sizeB: number
  /** sizeB − sizeA: positive when B is bigger. */
  delta: number
  /** Non-directories at or below the path that differ (for a file: 1). */
  files: number
  /** Differences below, largest |delta| first (then by name). */
  children: DiffEntry[]
  /** How many children, where that is known without making them (an entry read from the worker's columns). */
  readonly childCount?: number
}

/** How many differences are directly below an entry, without making them where it can. */
export function childCount(e: DiffEntry): number {
  return e.childCount ?? e.children.length
}

/** Counts and bytes of one side of the comparison. */
export interface DiffTally {
  files: number
  bytes: number
}

/** The outcome of `compareTrees`. */
export interface TreeComparison {
  /** Bytes of each final tree, and B − A. */
  sizeA: number
  sizeB: number
  delta: number
  fileCountA: number
  fileCountB: number
  /** Non-directories only in A (with their bytes), only in B, and in both at different sizes. */
  onlyA: DiffTally
  onlyB: DiffTally
  changed: { files: number; bytesA: number; bytesB: number }
  /** The root directory: its children are the top-level differences; none when the trees match. */
  root: DiffEntry
  /** The largest non-directory differences, when computed ahead (by the comparison worker). */
  largest?: DiffEntry[]
}

/** A final tree as per-row children, for walking by name. */
interface TreeWalk {
  names: string[]
  /** Row → child rows. */
  children: number[][]
  dir: boolean[]
  size: NumColumn
  files: NumColumn
}

function walkOf(index: LayerIndex): TreeWalk {
  const t = index.tree
  const rows = t.node.length
  const rowOf = new Map<number, number>()
  const children: number[][] = []
  const dir: boolean[] = []
  const names: string[] = []
  for (let r = 0; r < rows; r++) {
    const node = t.node[r] as number
    rowOf.set(node, r)
    children.push([])
    const entry = t.entry[r] as number
    const layer = index.entries[t.layer[r] as number]
    dir.push(r === 0 || entry < 0 || layer?.type[entry] === TYPE_DIR)
    names.push(index.paths.names[node] ?? '')
    if (r === 0) continue
    // Rows come in path-table order, so a parent's row is known before its children's.
    const parent = rowOf.get(index.paths.parents[node] ?? 0)
    if (parent !== undefined) children[parent]?.push(r)
  }
  return { names, children, dir, size: t.size, files: t.files }
}

const byImpact = (x: DiffEntry, y: DiffEntry) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)

/**
 * Compares the final trees of `a` and `b`. A path that is a directory in one image and not in the
 * other counts as two differences (the A one gone, the B one new). Files at the same size are taken
 * as equal: the index holds no content hashes. Modes and owners are not compared.
 */
export function compareTrees(a: LayerIndex, b: LayerIndex): TreeComparison {
  const A = walkOf(a)
  const B = walkOf(b)
  const result: TreeComparison = {
    sizeA: A.size[0] ?? 0,
    sizeB: B.size[0] ?? 0,
    delta: (B.size[0] ?? 0) - (A.size[0] ?? 0),
    fileCountA: A.files[0] ?? 0,
    fileCountB: B.files[0] ?? 0,
    onlyA: { files: 0, bytes: 0 },
    onlyB: { files: 0, bytes: 0 },
    changed: { files: 0, bytesA: 0, bytesB: 0 },
    root: { name: '', path: '/', kind: 'dir', dir: true, sizeA: A.size[0] ?? 0, sizeB: B.size[0] ?? 0, delta: 0, files: 0, children: [] },
  }

  /** Everything at and below `row` of one side, as present in that side only. */
  const only = (w: TreeWalk, row: number, path: string, side: 'onlyA' | 'onlyB'): DiffEntry => {
    const size = w.size[row] ?? 0
    const dir = w.dir[row] ?? false
    const entry: DiffEntry = {
      name: w.names[row] ?? '',
      path,
      kind: side,
      dir,
      sizeA: side === 'onlyA' ? size : 0,
      sizeB: side === 'onlyB' ? size : 0,
      delta: side === 'onlyA' ? 0 - size : size,
      files: dir ? 0 : 1,
      children: [],
    }
    if (dir) {
      for (const c of w.children[row] ?? []) {
        const child = only(w, c, join(path, w.names[c] ?? ''), side)
        entry.files += child.files
        entry.children.push(child)
      }
      entry.children.sort(byImpact)
    } else {
      result[side].files++
      result[side].bytes += size
    }
    return entry
  }

  /** The differences below two directories with the same path; fills `entry.children` and `entry.files`. */
  const compareDirs = (ra: number, rb: number, entry: DiffEntry) => {
    const inB = new Map<string, number>()
    for (const c of B.children[rb] ?? []) inB.set(B.names[c] ?? '', c)
    const push = (child: DiffEntry) => {
      entry.files += child.files
      entry.children.push(child)
    }
    for (const ca of A.children[ra] ?? []) {
      const name = A.names[ca] ?? ''
      const path = join(entry.path, name)
      const cb = inB.get(name)
      if (cb === undefined) {
        push(only(A, ca, path, 'onlyA'))
        continue
      }
      inB.delete(name)
      const dirA = A.dir[ca] ?? false
      const dirB = B.dir[cb] ?? false
      const sizeA = A.size[ca] ?? 0
      const sizeB = B.size[cb] ?? 0
      if (dirA && dirB) {
        const sub: DiffEntry = { name, path, kind: 'dir', dir: true, sizeA, sizeB, delta: sizeB - sizeA, files: 0, children: [] }
        compareDirs(ca, cb, sub)
        if (sub.children.length > 0) push(sub)
      } else if (!dirA && !dirB) {
        if (sizeA !== sizeB) {
          result.changed.files++
          result.changed.bytesA += sizeA
          result.changed.bytesB += sizeB
          push({ name, path, kind: 'changed', dir: false, sizeA, sizeB, delta: sizeB - sizeA, files: 1, children: [] })
        }
      } else {
        push(only(A, ca, path, 'onlyA'))
        push(only(B, cb, path, 'onlyB'))
      }
    }
    for (const [name, cb] of inB) push(only(B, cb, join(entry.path, name), 'onlyB'))
    entry.children.sort(byImpact)
  }

  compareDirs(0, 0, result.root)
  result.root.delta = result.delta
  return result
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}

/** How many largest differences the comparison worker computes ahead (the page lists at most this many). */
export const LARGEST_AHEAD = 500

/** The non-directory differences, largest |delta| first: the flat "what costs the most" list. */
export function largestDifferences(cmp: TreeComparison, limit = 50): DiffEntry[] {
  if (cmp.largest && (limit <= cmp.largest.length || cmp.largest.length < LARGEST_AHEAD)) return cmp.largest.slice(0, limit)
  const out: DiffEntry[] = []
  const stack: DiffEntry[] = [cmp.root]
  while (stack.length) {
    const e = stack.pop() as DiffEntry
    if (!e.dir) out.push(e)
    for (const c of e.children) stack.push(c)
  }
  return out.sort(byImpact).slice(0, limit)
}

const SWAPPED_KIND: Record<DiffKind, DiffKind> = { onlyA: 'onlyB', onlyB: 'onlyA', changed: 'changed', dir: 'dir' }

/** A DiffEntry seen from the other side: its children are swapped when first read. */
class SwappedEntry implements DiffEntry {
  readonly name: string
  readonly path: string
  readonly kind: DiffKind
  readonly dir: boolean
  readonly sizeA: number
  readonly sizeB: number
  readonly delta: number
  readonly files: number
  private kids: DiffEntry[] | undefined

  constructor(
    private readonly of: DiffEntry,
    private readonly seen: Map<DiffEntry, DiffEntry>,
  ) {
    this.name = of.name
    this.path = of.path
    this.kind = SWAPPED_KIND[of.kind]
    this.dir = of.dir
    this.sizeA = of.sizeB
    this.sizeB = of.sizeA
    this.delta = of.sizeA - of.sizeB
    this.files = of.files
  }

  get childCount(): number {
    return childCount(this.of)
  }

  get children(): DiffEntry[] {
    // |delta| and names are the same from either side: the order stays.
    this.kids ??= this.of.children.map((c) => swappedEntry(c, this.seen))
    return this.kids
  }
}

function swappedEntry(e: DiffEntry, seen: Map<DiffEntry, DiffEntry>): DiffEntry {
  let s = seen.get(e)
  if (!s) {
    s = new SwappedEntry(e, seen)
    seen.set(e, s)
  }
  return s
}

/**
 * The comparison of B with A from the comparison of A with B, without walking the trees again: sides,
 * tallies and signs swapped; entries are swapped when first read, so this costs nothing up front.
 */
export function swapComparison(cmp: TreeComparison): TreeComparison {
  const seen = new Map<DiffEntry, DiffEntry>()
  return {
    sizeA: cmp.sizeB,
    sizeB: cmp.sizeA,
    delta: cmp.sizeA - cmp.sizeB,
    fileCountA: cmp.fileCountB,
    fileCountB: cmp.fileCountA,
    onlyA: { ...cmp.onlyB },
    onlyB: { ...cmp.onlyA },
    changed: { files: cmp.changed.files, bytesA: cmp.changed.bytesB, bytesB: cmp.changed.bytesA },
    root: swappedEntry(cmp.root, seen),
    ...(cmp.largest ? { largest: cmp.largest.map((e) => swappedEntry(e, seen)) } : {}),
  }
}
