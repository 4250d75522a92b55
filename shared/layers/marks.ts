// The change marks of the layer explorer, defined once. The file tree, the layer list's counts and
// the details pane all read them from `layerMarks`, so they cannot disagree.
//
// For a path and a layer L, comparing the file system just below L with the one just after it:
// - added: absent below, present after;
// - removed: present below, absent after (a whiteout, an opaque directory, or a directory replaced
//   by a file removes everything inside too);
// - modified: present on both sides and
//   - a file (anything not a directory) whose entry L writes again, or whose type changed;
//   - a folder whose contents changed (any path inside it is added, modified or removed), whose type
//     changed, or whose own mode or owner L changed — a folder entry merely restated is not a change;
// - unchanged otherwise.
import { FLAG_OPAQUE, FLAG_WHITEOUT, TYPE_DIR, type LayerEntries } from './types'

export const MARK_NONE = 0
export const MARK_ADDED = 1
export const MARK_MODIFIED = 2
export const MARK_REMOVED = 3
export type Mark = typeof MARK_NONE | typeof MARK_ADDED | typeof MARK_MODIFIED | typeof MARK_REMOVED

/** How each mark reads: a symbol (never colour alone) and a word. */
export const MARK_TEXT: Record<Mark, { symbol: string; word: string }> = {
  [MARK_NONE]: { symbol: '', word: 'unchanged' },
  [MARK_ADDED]: { symbol: '+', word: 'added' },
  [MARK_MODIFIED]: { symbol: '~', word: 'modified' },
  [MARK_REMOVED]: { symbol: '−', word: 'removed' },
}

/** How many paths of a layer carry each mark, and how many of them are folders. */
export interface MarkCounts {
  added: number
  modified: number
  removed: number
  folders: { added: number; modified: number; removed: number }
}

/** One layer's marked paths, by node in ascending order (every other path is unchanged). */
export interface LayerMarks {
  node: Int32Array
  mark: Uint8Array
  /** 1 where the path is (or, when removed, was) a folder. */
  dir: Uint8Array
  counts: MarkCounts
}

/** The mark of `node` in one layer's marks (binary search). */
export function markOf(marks: LayerMarks, node: number): Mark {
  let lo = 0
  let hi = marks.node.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = marks.node[mid] as number
    if (v === node) return marks.mark[mid] as Mark
    if (v < node) lo = mid + 1
    else hi = mid - 1
  }
  return MARK_NONE
}

/**
 * Replays `layers` (bottom first) over the path table given by `parents` (node 0 the root, a parent
 * before its children) and returns every layer's marks. The replay is the one analyzeLayers and the
 * explorer's views use: whiteouts and opaque markers act on the layers below first, then the layer's
 * entries land in tar order, creating missing parent folders. Costs the layer's entries, what they
 * remove, and the walk up from each change.
 */
export function layerMarks(parents: ArrayLike<number>, layers: readonly LayerEntries[]): LayerMarks[] {
  const n = parents.length
  const count = new Int32Array(n + 1)
  for (let i = 1; i < n; i++) {
    const p = (parents[i] as number) + 1
    count[p] = (count[p] as number) + 1
  }
  for (let i = 0; i < n; i++) count[i + 1] = (count[i + 1] as number) + (count[i] as number)
  const childStart = count.slice()
  const fill = count.slice(0, n)
  const childList = new Int32Array(Math.max(0, n - 1))
  for (let i = 1; i < n; i++) {
    const p = parents[i] as number
    childList[fill[p] as number] = i
    fill[p] = (fill[p] as number) + 1
  }

  const alive = new Uint8Array(n)
  const isDir = new Uint8Array(n)
  // The entry that describes a path now: its layer and index (-1: a folder only implied by its contents).
  const srcLayer = new Int32Array(n).fill(-1)
  const srcEntry = new Int32Array(n).fill(-1)
  alive[0] = 1
  isDir[0] = 1
  // Per layer, stamped with the layer so nothing needs clearing: first touch, and the state before it.
  const touched = new Int32Array(n).fill(-1)
  const wasAlive = new Uint8Array(n)
  const wasDir = new Uint8Array(n)
  const wasLayer = new Int32Array(n)
  const wasEntry = new Int32Array(n)
  const marked = new Int32Array(n).fill(-1)
  const mark = new Uint8Array(n)
  // Scratch reused by every layer (typed, so 100,000 paths cost no garbage): touched paths, marked paths, a walk.
  const list = new Int32Array(n)
  const result = new Int32Array(n)
  const stack = new Int32Array(n)
  const out: LayerMarks[] = []

  for (let L = 0; L < layers.length; L++) {
    const e = layers[L] as LayerEntries
    let listed = 0
    const touch = (x: number) => {
      if (touched[x] === L) return
      touched[x] = L
      wasAlive[x] = alive[x] as number
      wasDir[x] = isDir[x] as number
      wasLayer[x] = srcLayer[x] as number
      wasEntry[x] = srcEntry[x] as number
      list[listed++] = x
    }
    const removeTree = (root: number) => {
      let top = 0
      stack[top++] = root
      while (top > 0) {
        const x = stack[--top] as number
        if (!alive[x]) continue
        touch(x)
        alive[x] = 0
        const end = childStart[x + 1] as number
        for (let k = childStart[x] as number; k < end; k++) stack[top++] = childList[k] as number
      }
    }
    const removeChildren = (dir: number) => {
      const end = childStart[dir + 1] as number
      for (let k = childStart[dir] as number; k < end; k++) removeTree(childList[k] as number)
    }

    const count = e.node.length
    for (let i = 0; i < count; i++) {
      const flags = e.flags[i] as number
      if (!flags) continue
      const node = e.node[i] as number
      if (!alive[node]) continue
      if (flags & FLAG_WHITEOUT) removeTree(node)
      else if (flags & FLAG_OPAQUE && isDir[node]) removeChildren(node)
    }
    for (let i = 0; i < count; i++) {
      if (e.flags[i]) continue
      const node = e.node[i] as number
      const dir = e.type[i] === TYPE_DIR
      for (let p = parents[node] as number; p > 0 && !(alive[p] && isDir[p]); p = parents[p] as number) {
        touch(p)
        alive[p] = 1
        isDir[p] = 1
        srcLayer[p] = L
        srcEntry[p] = -1
      }
      if (alive[node] && isDir[node] && !dir) removeChildren(node)
      touch(node)
      alive[node] = 1
      isDir[node] = dir ? 1 : 0
      srcLayer[node] = L
      srcEntry[node] = i
    }

    // Each touched path on its own, then folders by their contents: every change marks the folders
    // around it that were there before and still are.
    let marks = 0
    for (let k = 0; k < listed; k++) {
      const x = list[k] as number
      const before = wasAlive[x] === 1
      const after = alive[x] === 1
      let m: Mark = MARK_NONE
      if (!before && after) m = MARK_ADDED
      else if (before && !after) m = MARK_REMOVED
      else if (before && after) {
        if (wasDir[x] !== isDir[x]) m = MARK_MODIFIED
        else if (srcLayer[x] === L && (srcEntry[x] as number) >= 0) {
          if (!isDir[x]) m = MARK_MODIFIED
          else if (metaChanged(layers, wasLayer[x] as number, wasEntry[x] as number, L, srcEntry[x] as number)) m = MARK_MODIFIED
        }
      }
      if (m === MARK_NONE) continue
      marked[x] = L
      mark[x] = m
      result[marks++] = x
    }
    for (let k = 0, own = marks; k < own; k++) {
      for (let p = parents[result[k] as number] as number; p > 0; p = parents[p] as number) {
        // Marked already: its own walk (every path marked on its own walks up) or an earlier one goes on from there.
        if (marked[p] === L) break
        marked[p] = L
        mark[p] = MARK_MODIFIED
        result[marks++] = p
      }
    }

    // A typed array sorts numerically, natively.
    const node = result.slice(0, marks).sort()
    const marksOut = new Uint8Array(marks)
    const dirs = new Uint8Array(marks)
    let added = 0
    let modified = 0
    let removed = 0
    let dAdded = 0
    let dModified = 0
    let dRemoved = 0
    for (let k = 0; k < marks; k++) {
      const x = node[k] as number
      const m = mark[x] as number
      marksOut[k] = m
      // A removed path's isDir still says what it was.
      const d = isDir[x] as number
      dirs[k] = d
      if (m === MARK_ADDED) {
        added++
        dAdded += d
      } else if (m === MARK_MODIFIED) {
        modified++
        dModified += d
      } else {
        removed++
        dRemoved += d
      }
    }
    out.push({ node, mark: marksOut, dir: dirs, counts: { added, modified, removed, folders: { added: dAdded, modified: dModified, removed: dRemoved } } })
  }
  return out
}

/** Whether a folder's entry in layer L gives it another mode or owner than its entry below did. */
function metaChanged(layers: readonly LayerEntries[], wasLayer: number, wasEntry: number, L: number, i: number): boolean {
  // Implied below: nothing to compare with; the folder's contents decide.
  if (wasLayer < 0 || wasEntry < 0) return false
  const a = layers[wasLayer] as LayerEntries
  const b = layers[L] as LayerEntries
  return a.mode[wasEntry] !== b.mode[i] || a.uid[wasEntry] !== b.uid[i] || a.gid[wasEntry] !== b.gid[i]
}
