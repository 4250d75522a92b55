// What the explorer shows first, computed once when the index is made and kept in the packed index's
// header: the top layer's top-level rows as the tree lists them (by size, then name) and every
// layer's mark counts. The host reads the header only on a cache hit and sends it with `layers.done`,
// so a reopened image paints its tree before its whole index (4.4 MB at 100,000 files) has crossed
// to the page and the page has built its model; the explorer replaces it once it has.
import { layerMarks, markOf, MARK_REMOVED, type LayerMarks, type MarkCounts } from './marks'
import { TYPE_DIR, type HistoryItem, type LayerEntries, type LayerIndex, type LayerInfo } from './types'

/** One top-level row of the first view: what the tree's row shows. */
export interface FirstRow {
  node: number
  name: string
  dir: boolean
  /** The entry's TYPE_*, or -1 for a folder implied by what is inside it. */
  type: number
  /** A file's size; a folder's total below it. */
  size: number
  files: number
  /** The top layer's mark (shared/layers/marks.ts). */
  mark: number
  /** Marked paths of the top layer inside a folder. */
  inside: number
  /** A folder with anything to show when opened. */
  expandable: boolean
  /** null for an implied folder. */
  mode: number | null
  uid: number | null
  gid: number | null
  link: string
}

export interface FirstView {
  /** The layer shown first: the top one. */
  layer: number
  /** Its top-level rows, largest first (ties by name), at most FIRST_ROWS. */
  rows: FirstRow[]
  /** How many top-level rows there are in all. */
  total: number
  /** Files and bytes of the whole tree at the top layer (the tree's "as of" line). */
  files: number
  size: number
  /** Each layer's mark counts (the layer list's `+a ~m −r`). */
  counts: MarkCounts[]
}

/** What `layers.done` carries for the page to paint at once: the layer list's data and the first view. */
export interface IndexFirst {
  layers: LayerInfo[]
  history: HistoryItem[]
  view: FirstView
}

/** The first paint's data of an index (or of its packed header's fields), when it has a first view. */
export function indexFirst(index: Pick<LayerIndex, 'layers' | 'history' | 'firstView'>): IndexFirst | undefined {
  return index.firstView ? { layers: index.layers, history: index.history, view: index.firstView } : undefined
}

/** Top-level rows kept: more than a screen of a tall window. */
export const FIRST_ROWS = 200

/**
 * The first view of an index, or undefined when the top layer removes a top-level path (the tree
 * shows it with what was removed, which needs the layer below: the page computes that itself).
 */
export function firstView(index: LayerIndex, marks: LayerMarks[] = layerMarks(index.paths.parents, index.entries)): FirstView | undefined {
  const top = index.layers.length - 1
  if (top < 0) return undefined
  const parents = index.paths.parents
  const names = index.paths.names
  const topMarks = marks[top]
  if (!topMarks) return undefined
  const topLevel = (x: number): number => {
    let p = parents[x] as number
    while (p !== 0) {
      x = p
      p = parents[x] as number
    }
    return x
  }
  for (let k = 0; k < topMarks.node.length; k++) {
    const node = topMarks.node[k] as number
    if (topMarks.mark[k] === MARK_REMOVED && parents[node] === 0) return undefined
  }
  // Marked paths below each top-level one (removed ones included: they are shown in their folder).
  const inside = new Map<number, number>()
  for (let k = 0; k < topMarks.node.length; k++) {
    const node = topMarks.node[k] as number
    if (node === 0 || parents[node] === 0) continue
    const t = topLevel(node)
    inside.set(t, (inside.get(t) ?? 0) + 1)
  }
  const t = index.tree
  const rows: FirstRow[] = []
  const kids = new Set<number>()
  let files = 0
  let size = 0
  for (let r = 0; r < t.node.length; r++) {
    const node = t.node[r] as number
    if (node === 0) {
      files = t.files[r] as number
      size = t.size[r] as number
      continue
    }
    const p = parents[node] as number
    if (p !== 0) {
      if (parents[p] === 0) kids.add(p)
      continue
    }
    const L = t.layer[r] as number
    const i = t.entry[r] as number
    const e = i >= 0 ? (index.entries[L] as LayerEntries | undefined) : undefined
    const type = e ? (e.type[i] as number) : -1
    const dir = !e || type === TYPE_DIR
    rows.push({
      node,
      name: names[node] ?? '',
      dir,
      type,
      size: t.size[r] as number,
      files: t.files[r] as number,
      mark: markOf(topMarks, node),
      inside: dir ? (inside.get(node) ?? 0) : 0,
      expandable: false,
      mode: e ? (e.mode[i] as number) : null,
      uid: e ? (e.uid[i] as number) : null,
      gid: e ? (e.gid[i] as number) : null,
      link: e ? (e.link[i] ?? '') : '',
    })
  }
  // A folder whose only content the top layer removed still opens (the removed paths are shown).
  for (let k = 0; k < topMarks.node.length; k++) {
    const node = topMarks.node[k] as number
    const p = parents[node] as number
    if (topMarks.mark[k] === MARK_REMOVED && p !== 0 && parents[p] === 0) kids.add(p)
  }
  for (const row of rows) row.expandable = row.dir && kids.has(row.node)
  rows.sort((a, b) => b.size - a.size || compareNames(a.name, b.name))
  const total = rows.length
  return { layer: top, rows: rows.slice(0, FIRST_ROWS), total, files, size, counts: marks.map((m) => m.counts) }
}

/** The explorer's name order: case-insensitive first, then exact. */
function compareNames(a: string, b: string): number {
  const la = a.toLowerCase()
  const lb = b.toLowerCase()
  if (la !== lb) return la < lb ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

