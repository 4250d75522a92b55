// The tree math: apply layers in order (whiteouts, opaque directories, hard links), derive the final
// file tree, per-layer change counts, and dive's efficiency and wasted bytes.
//
// Everything runs on typed arrays indexed by path-table node, so 100,000 paths cost a few megabytes.
import { cleanPath } from './paths'
import {
  CHANGE_ADDED,
  CHANGE_MODIFIED,
  CHANGE_REMOVED,
  FLAG_OPAQUE,
  FLAG_WHITEOUT,
  TYPE_DIR,
  TYPE_HARDLINK,
  type FinalTree,
  type Inefficiencies,
  type LayerEntries,
  type LayerSummary,
  type PathTableData,
} from './types'

/** What one layer does to the file system. */
export interface LayerStats {
  size: number
  entryCount: number
  added: number
  modified: number
  removed: number
}

export interface LayerAnalysis {
  layers: LayerStats[]
  tree: FinalTree<number[]>
  largestFiles: number[]
  inefficiencies: Inefficiencies<number[]>
  summary: LayerSummary
}

export interface AnalyzeOptions {
  /** How many of the largest files to list (default 100). */
  largest?: number
}

/**
 * Applies `layers` (bottom first) over the paths in `paths` and computes everything the index shows.
 * Fills each layer's `change` column in place (it is derived data, owned by the caller's index).
 *
 * Semantics, per layer: whiteouts (`.wh.NAME`) and opaque markers (`.wh..wh..opq`) act on the layers
 * below only, so they are applied first; then the layer's entries are added in tar order, creating any
 * missing parent directory. A non-directory written over a directory replaces the whole directory.
 *
 * Efficiency and wasted bytes follow dive (filetree/efficiency.go): every leaf of every layer's own tree
 * is one "sighting" of its path with the size from its tar header; a whiteout of a directory is a
 * sighting of the whole directory with the summed size of everything under it in the layers below, a
 * whiteout of a file is a sighting of size 0. Efficiency = Σ smallest sighting per path ÷ Σ all sightings
 * (1 when nothing has size); wasted bytes = Σ all sightings of paths sighted two or more times. Like dive,
 * a directory whose last layer only implied it (a child without the directory's own entry) weighs 0 when
 * deleted, and opaque markers are no sightings (a directory created only by one is a size-0 leaf).
 * Two deliberate differences from dive, both in cases where dive is wrong rather than different:
 * the "layers below" honour opaque directories (dive ignores `.wh..wh..opq` entirely), and a whiteout for a
 * path that does not exist below is skipped (dive aborts the rest of that layer's tally).
 */
export function analyzeLayers(paths: PathTableData, layers: LayerEntries<number[]>[], opts: AnalyzeOptions = {}): LayerAnalysis {
  const n = paths.names.length
  const parents = paths.parents
  const firstChild = new Int32Array(n).fill(-1)
  const nextSibling = new Int32Array(n).fill(-1)
  for (let i = n - 1; i >= 1; i--) {
    const p = parents[i] ?? 0
    nextSibling[i] = firstChild[p] ?? -1
    firstChild[p] = i
  }

  // The file system as the layers so far leave it.
  const alive = new Uint8Array(n)
  const isDir = new Uint8Array(n)
  const curLayer = new Int32Array(n).fill(-1)
  const curEntry = new Int32Array(n).fill(-1)
  const curSize = new Float64Array(n)
  // What dive's stacked tree believes: a directory that a layer only implies (a child without the
  // directory's own entry) loses its "is a directory" bit there, and its whiteout then weighs 0.
  const diveDir = new Uint8Array(n)
  alive[0] = 1
  isDir[0] = 1
  diveDir[0] = 1
  const removedIn = new Int32Array(n).fill(-1)

  // Per-layer stamps (compared with the layer index, so they never need clearing).
  const hasChild = new Int32Array(n).fill(-1)
  const realIn = new Int32Array(n).fill(-1)
  const lastReal = new Int32Array(n).fill(-1)
  const whiteoutIn = new Int32Array(n).fill(-1)
  const opaqueSeenIn = new Int32Array(n).fill(-1)

  // dive's per-path tallies.
  const cum = new Float64Array(n)
  const min = new Float64Array(n).fill(-1)
  const seen = new Int32Array(n)
  const sight = (node: number, size: number) => {
    cum[node] = (cum[node] ?? 0) + size
    const m = min[node] ?? -1
    if (m < 0 || size < m) min[node] = size
    seen[node] = (seen[node] ?? 0) + 1
  }

  const stack: number[] = []
  const subtreeSize = (root: number): number => {
    let total = curSize[root] ?? 0
    stack.length = 0
    for (let c = firstChild[root] ?? -1; c >= 0; c = nextSibling[c] ?? -1) stack.push(c)
    while (stack.length) {
      const x = stack.pop() as number
      if (!alive[x]) continue
      total += curSize[x] ?? 0
      for (let c = firstChild[x] ?? -1; c >= 0; c = nextSibling[c] ?? -1) stack.push(c)
    }
    return total
  }
  /** Removes `root` and everything below it; records the non-directories that went in `gone`. */
  const removeTree = (root: number, layer: number, gone: number[]) => {
    stack.length = 0
    stack.push(root)
    while (stack.length) {
      const x = stack.pop() as number
      if (!alive[x]) continue
      alive[x] = 0
      removedIn[x] = layer
      if (!isDir[x]) gone.push(x)
      for (let c = firstChild[x] ?? -1; c >= 0; c = nextSibling[c] ?? -1) stack.push(c)
    }
  }
  const removeChildren = (dir: number, layer: number, gone: number[]) => {
    for (let c = firstChild[dir] ?? -1; c >= 0; c = nextSibling[c] ?? -1) if (alive[c]) removeTree(c, layer, gone)
  }

  const stats: LayerStats[] = []
  let sizeBytes = 0
  let userSizeBytes = 0
  for (let L = 0; L < layers.length; L++) {
    const e = layers[L] as LayerEntries<number[]>
    const count = e.node.length
    if (e.change.length !== count) e.change = new Array<number>(count).fill(CHANGE_ADDED)
    let size = 0
    const inner: number[] = []

    // 1. Shape of this layer's own tree: which nodes have children, which entry wins per path.
    for (let i = 0; i < count; i++) {
      const node = e.node[i] as number
      size += e.size[i] ?? 0
      for (let p = parents[node] ?? -1; p >= 0 && hasChild[p] !== L; p = parents[p] ?? -1) {
        hasChild[p] = L
        inner.push(p)
      }
      if ((e.flags[i] ?? 0) === 0) {
        realIn[node] = L
        lastReal[node] = i
      }
    }
    sizeBytes += size
    if (L > 0) userSizeBytes += size

    // 2. dive's sightings, against the layers below.
    for (let i = 0; i < count; i++) {
      const node = e.node[i] as number
      const flags = e.flags[i] ?? 0
      if (flags & FLAG_WHITEOUT) {
        if (whiteoutIn[node] === L) continue
        whiteoutIn[node] = L
        if (alive[node]) sight(node, diveDir[node] ? subtreeSize(node) : 0)
      } else if (flags & FLAG_OPAQUE) {
        // dive never adds the marker itself, but creates its directory: a size-0 leaf when nothing else is in it.
        if (realIn[node] === L || opaqueSeenIn[node] === L || hasChild[node] === L) continue
        opaqueSeenIn[node] = L
        sight(node, 0)
      } else if (lastReal[node] === i && hasChild[node] !== L) {
        sight(node, e.size[i] ?? 0)
      }
    }

    // 3. Whiteouts and opaque directories hide what the layers below put there.
    const gone: number[] = []
    for (let i = 0; i < count; i++) {
      const flags = e.flags[i] ?? 0
      if (!flags) continue
      const node = e.node[i] as number
      e.change[i] = CHANGE_REMOVED
      if (!alive[node]) continue
      if (flags & FLAG_WHITEOUT) removeTree(node, L, gone)
      else if (isDir[node]) removeChildren(node, L, gone)
    }
    for (let i = 0; i < count; i++) {
      if (e.flags[i]) continue
      const node = e.node[i] as number
      e.change[i] = alive[node] || removedIn[node] === L ? CHANGE_MODIFIED : CHANGE_ADDED
    }

    // 4. Then the layer's own entries land, in tar order.
    let added = 0
    let modified = 0
    for (let i = 0; i < count; i++) {
      if (e.flags[i]) continue
      const node = e.node[i] as number
      const dir = e.type[i] === TYPE_DIR
      for (let p = parents[node] ?? -1; p > 0 && !(alive[p] && isDir[p]); p = parents[p] ?? -1) {
        alive[p] = 1
        isDir[p] = 1
        curLayer[p] = L
        curEntry[p] = -1
        curSize[p] = 0
      }
      if (alive[node] && isDir[node] && !dir) removeChildren(node, L, gone)
      alive[node] = 1
      isDir[node] = dir ? 1 : 0
      curLayer[node] = L
      curEntry[node] = i
      curSize[node] = e.size[i] ?? 0
      diveDir[node] = dir ? 1 : 0
      if (!dir && lastReal[node] === i) {
        if (e.change[i] === CHANGE_MODIFIED) modified++
        else added++
      }
    }
    for (const p of inner) if (realIn[p] !== L) diveDir[p] = 0
    let removed = 0
    for (const x of gone) if (!alive[x]) removed++
    stats.push({ size, entryCount: count, added, modified, removed })
  }

  // A hard link whose original was overwritten or deleted later still holds the bytes: the first
  // surviving link of each original carries them, so directory totals stay true.
  const linkSize = hardLinkCarriers(paths, layers, alive, curLayer, curEntry, firstChild, nextSibling)

  const total = new Float64Array(n)
  const files = new Int32Array(n)
  let directoryCount = 0
  for (let i = 1; i < n; i++) {
    if (!alive[i]) continue
    if (isDir[i]) directoryCount++
    else {
      total[i] = linkSize.get(i) ?? curSize[i] ?? 0
      files[i] = 1
    }
  }
  for (let i = n - 1; i >= 1; i--) {
    if (!alive[i]) continue
    const p = parents[i] ?? 0
    total[p] = (total[p] ?? 0) + (total[i] ?? 0)
    files[p] = (files[p] ?? 0) + (files[i] ?? 0)
  }
  const tree: FinalTree<number[]> = { node: [], layer: [], entry: [], size: [], files: [] }
  const fileRows: number[] = []
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue
    if (!isDir[i]) fileRows.push(tree.node.length)
    tree.node.push(i)
    tree.layer.push(curLayer[i] ?? -1)
    tree.entry.push(curEntry[i] ?? -1)
    tree.size.push(total[i] ?? 0)
    tree.files.push(files[i] ?? 0)
  }
  fileRows.sort((a, b) => (tree.size[b] ?? 0) - (tree.size[a] ?? 0) || a - b)
  const largestFiles = fileRows.slice(0, opts.largest ?? 100)

  let minSum = 0
  let cumSum = 0
  let wastedBytes = 0
  const wasteful: number[] = []
  for (let i = 0; i < n; i++) {
    const s = seen[i] ?? 0
    if (s === 0) continue
    minSum += min[i] ?? 0
    cumSum += cum[i] ?? 0
    if (s >= 2) {
      wastedBytes += cum[i] ?? 0
      wasteful.push(i)
    }
  }
  wasteful.sort((a, b) => (cum[b] ?? 0) - (cum[a] ?? 0) || a - b)
  const inefficiencies: Inefficiencies<number[]> = {
    node: wasteful,
    count: wasteful.map((i) => seen[i] ?? 0),
    cumulativeSize: wasteful.map((i) => cum[i] ?? 0),
  }
  const finalBytes = total[0] ?? 0
  const summary: LayerSummary = {
    sizeBytes,
    userSizeBytes,
    efficiency: cumSum === 0 ? 1 : minSum / cumSum,
    wastedBytes,
    userWastedPercent: userSizeBytes > 0 ? wastedBytes / userSizeBytes : 0,
    hiddenBytes: Math.max(0, sizeBytes - finalBytes),
    finalBytes,
    fileCount: files[0] ?? 0,
    directoryCount,
  }
  return { layers: stats, tree, largestFiles, inefficiencies, summary }
}

function hardLinkCarriers(
  paths: PathTableData,
  layers: LayerEntries[],
  alive: Uint8Array,
  curLayer: Int32Array,
  curEntry: Int32Array,
  firstChild: Int32Array,
  nextSibling: Int32Array,
): Map<number, number> {
  const carriers = new Map<number, number>()
  // Children by name, built only for the directories a link target passes through.
  const byName = new Map<number, Map<string, number>>()
  const find = (path: string): number => {
    let node = 0
    for (const seg of cleanPath(path).split('/')) {
      if (seg === '') continue
      let names = byName.get(node)
      if (!names) {
        names = new Map()
        for (let c = firstChild[node] ?? -1; c >= 0; c = nextSibling[c] ?? -1) names.set(paths.names[c] ?? '', c)
        byName.set(node, names)
      }
      const next = names.get(seg)
      if (next === undefined) return -1
      node = next
    }
    return node
  }
  const carried = new Set<string>()
  const byNode = new Map<number, Map<number, number>>()
  for (let x = 1; x < alive.length; x++) {
    if (!alive[x]) continue
    const L = curLayer[x] ?? -1
    const i = curEntry[x] ?? -1
    const e = layers[L]
    if (!e || i < 0 || e.type[i] !== TYPE_HARDLINK) continue
    const target = find(e.link[i] ?? '')
    if (target < 0) continue
    // Still the same original, from the same layer: it carries the bytes itself.
    const ti = curEntry[target] ?? -1
    if (alive[target] && curLayer[target] === L && ti >= 0 && e.type[ti] !== TYPE_HARDLINK) continue
    const key = `${L}:${target}`
    if (carried.has(key)) continue
    carried.add(key)
    let entries = byNode.get(L)
    if (!entries) {
      entries = new Map()
      for (let k = 0; k < e.node.length; k++) if (!e.flags[k]) entries.set(e.node[k] as number, k)
      byNode.set(L, entries)
    }
    const original = entries.get(target)
    if (original !== undefined && e.type[original] !== TYPE_HARDLINK) carriers.set(x, e.size[original] ?? 0)
  }
  return carriers
}
