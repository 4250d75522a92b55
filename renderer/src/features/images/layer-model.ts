// The file tree as of any layer, and the rows the tree shows, computed on typed arrays indexed by
// path-table node. One LayerModel per loaded index holds what never changes (children, depths, name
// order, search strings); a LayerView per layer holds the cumulative file system after that layer
// with the layer's own changes marked. Views are computed on demand by replaying layers forward from
// a cursor (so stepping up through the layers costs one layer each) and kept in a small cache.
// Visible rows are flattened once per view or filter, then updated incrementally on expand/collapse.
import {
  FLAG_OPAQUE,
  FLAG_WHITEOUT,
  TYPE_DIR,
  TYPE_HARDLINK,
  TYPE_SYMLINK,
  type LayerEntries,
  type LayerIndex,
} from '../../../../shared/layers/types'
import { layerMarks, markOf, MARK_NONE, MARK_REMOVED, type LayerMarks, type Mark } from '../../../../shared/layers/marks'
import { textAt, type IndexText } from '../../../../shared/layers/text-column'
import { compileSearch, type SearchMatcher } from './tree-search'

export { MARK_ADDED, MARK_MODIFIED, MARK_NONE, MARK_REMOVED, type Mark } from '../../../../shared/layers/marks'

/** `LayerView.present`: the node is in the file system after the layer. */
export const PRESENT = 1
/** `LayerView.present`: the node was there below the layer and this layer removed it (shown, marked). */
export const REMOVED_HERE = 2

/** The file system after one layer, with that layer's changes marked. Arrays are indexed by node. */
export interface LayerView {
  layer: number
  /** 0: absent; PRESENT; REMOVED_HERE. */
  present: Uint8Array
  dir: Uint8Array
  /** The layer and entry that describe the node (for a removed node: as it was just below); entry -1 for an implied directory. */
  srcLayer: Int32Array
  srcEntry: Int32Array
  /** A file's size; a directory's total below it (a removed directory: what was removed). */
  size: Float64Array
  /** Non-directories at or below the node. */
  files: Int32Array
  mark: Uint8Array
  /** Marked nodes strictly below the node. */
  changesBelow: Int32Array
  /** Shown children (present or removed here) per node. */
  kids: Int32Array
  /** Children of a directory by size, computed when first shown. */
  bySize: Map<number, Int32Array>
  /** Every directory's children by size, when sorted all at once (see LayerModel.sortAllBySize). */
  bySizeAll: { start: Int32Array; list: Int32Array } | null
}

export type SortKey = 'size' | 'name'

/** What the tree filters on: a path search and/or only this layer's changes. */
export interface TreeFilterInput {
  query: string
  changesOnly: boolean
}

/** A filter applied to one view: which nodes stay, which matched, which directories open by themselves. */
export interface TreeFilter {
  input: TreeFilterInput
  matcher: SearchMatcher | null
  /** Nodes shown: matches, their ancestors, and (for a search) everything inside a matching directory. */
  include: Uint8Array
  /** The nodes that matched the filter themselves. */
  match: Uint8Array
  matchCount: number
  /** Directories with a match below: open while the filter is on. */
  open: Uint8Array
  /** 1 for a node with at least one included child. */
  kids: Uint8Array
}

/** The visible rows of the tree: node and depth (0 for the top level) per row. */
export interface Rows {
  node: Int32Array
  depth: Uint16Array
}

export interface RowOptions {
  view: LayerView
  sort: SortKey
  /** Per node: 1 when the directory is open. */
  expanded: Uint8Array
  filter: TreeFilter | null
}

/** Facts about one node for the details panel. */
export interface NodeDetails {
  node: number
  path: string
  name: string
  dir: boolean
  /** 'file' | 'dir' | 'symlink' | 'hardlink' | 'other' | 'implied dir'. */
  type: string
  size: number
  files: number
  mode: number | null
  uid: number | null
  gid: number | null
  link: string
  mark: Mark
  removed: boolean
  /** Every layer that changed this path (a folder: its contents too), with its mark and, for a file it wrote, the size. */
  touchedBy: { layer: number; change: Mark; size: number }[]
}

/** A model's computed arrays (see LayerModel.parts); views without their sort caches. */
export interface LayerModelParts {
  parent: Int32Array
  depth: Uint16Array
  childStart: Int32Array
  childList: Int32Array
  marks: LayerMarks[]
  views: Omit<LayerView, 'bySize' | 'bySizeAll'>[]
}

/**
 * The sorts and views a first search, sort or layer switch would otherwise pay for (see warmParts):
 * made in the model worker after the model itself, handed to the page's model (adoptWarm).
 */
export interface LayerWarmParts {
  /** Every node's name rank and every directory's children in name order. */
  byName: { rank: Int32Array; start: Int32Array; list: Int32Array }
  /** Per layer, every directory's shown children by size (LayerView.bySizeAll). */
  bySize: { layer: number; start: Int32Array; list: Int32Array }[]
  /** Views of the layers below the top one (within the view cache), without their sort caches. */
  views: Omit<LayerView, 'bySize' | 'bySizeAll'>[]
}

/** Items per warm-up step on the page: a slice of ~100,000 strings made in one step was a 100 ms task. */
const WARM_SLICE = 8192

/** Views kept per index (about 3 MB each for 100,000 paths). */
const VIEW_CACHE = 8

/** Everything the layer explorer derives from one index. */
export class LayerModel {
  readonly index: LayerIndex
  /** Nodes in the path table. */
  readonly n: number
  readonly parent: Int32Array
  /** 0 for the root, 1 for top-level paths. */
  readonly depth: Uint16Array
  /** Every layer's change marks (shared/layers/marks.ts): the tree, the layer list and the details read these. */
  readonly marks: LayerMarks[]
  private readonly childStart: Int32Array
  private readonly childList: Int32Array
  private byNameAll: { rank: Int32Array; start: Int32Array; list: Int32Array } | null = null
  private readonly views = new Map<number, LayerView>()
  private lower: string[] | null = null
  private full: string[] | null = null
  private lowerFull: string[] | null = null
  /** The replay's state, made when a view is first computed here (a model from the worker comes with its top view). */
  private replay: ReplayState | null = null
  /** Room for every node as a row: flattening writes here, then copies out what it wrote. */
  private readonly scratchNode: Int32Array
  private readonly scratchDepth: Uint16Array
  /** A node's name: sliced from the text the model worker sent when there is one, so the page never makes every name at once. */
  private readonly nameOf: (node: number) => string
  /** An entry's link target (as nameOf). */
  private readonly linkOf: (layer: number, entry: number) => string

  /**
   * The model of an index; with `parts` (made by `parts()` elsewhere, e.g. the model worker) nothing is
   * computed again; with `text` (the index's string columns as sent apart: text-column.ts) names and
   * links are read from it one at a time.
   */
  constructor(index: LayerIndex, parts?: LayerModelParts, text?: IndexText) {
    this.index = index
    // The parents' length, not the names': reading those may make them all (text-column.ts withText).
    const n = index.paths.parents.length
    this.n = n
    if (text) {
      this.nameOf = (node) => textAt(text.names, node)
      this.linkOf = (layer, entry) => {
        const c = text.links[layer]
        return c ? textAt(c, entry) : ''
      }
    } else {
      this.nameOf = (node) => index.paths.names[node] ?? ''
      this.linkOf = (layer, entry) => index.entries[layer]?.link[entry] ?? ''
    }
    this.scratchNode = new Int32Array(n)
    this.scratchDepth = new Uint16Array(n)
    if (parts) {
      this.parent = parts.parent
      this.depth = parts.depth
      this.childStart = parts.childStart
      this.childList = parts.childList
      this.marks = parts.marks
      for (const v of parts.views) this.views.set(v.layer, { ...v, bySize: new Map(), bySizeAll: null })
      return
    }
    const parent = Int32Array.from(index.paths.parents)
    this.parent = parent
    const depth = new Uint16Array(n)
    const count = new Int32Array(n + 1)
    for (let i = 1; i < n; i++) {
      const p = parent[i] as number
      depth[i] = (depth[p] as number) + 1
      count[p + 1] = (count[p + 1] as number) + 1
    }
    for (let i = 0; i < n; i++) count[i + 1] = (count[i + 1] as number) + (count[i] as number)
    this.childStart = count.slice()
    const fill = count.slice(0, n)
    const list = new Int32Array(Math.max(0, n - 1))
    for (let i = 1; i < n; i++) {
      const p = parent[i] as number
      list[fill[p] as number] = i
      fill[p] = (fill[p] as number) + 1
    }
    this.childList = list
    this.depth = depth
    this.marks = layerMarks(parent, index.entries)
  }

  /** What a model is made of, to hand to another thread (typed arrays: transferable), with the views computed so far. */
  parts(): LayerModelParts {
    const views = [...this.views.values()].map(({ bySize: _s, bySizeAll: _a, ...v }) => v)
    return { parent: this.parent, depth: this.depth, childStart: this.childStart, childList: this.childList, marks: this.marks, views }
  }

  get layerCount(): number {
    return this.index.layers.length
  }

  /** Every child a node has in any layer, in path-table order. */
  children(node: number): Int32Array {
    return this.childList.subarray(this.childStart[node], this.childStart[node + 1])
  }

  /** Children of a node sorted by name (case-insensitive first, then exact). */
  childrenByName(node: number): Int32Array {
    const o = this.nameOrder()
    return o.list.subarray(o.start[node], o.start[node + 1])
  }

  /** Every node's position in name order (case-insensitive, then exact). */
  nameRanks(): Int32Array {
    return this.nameOrder().rank
  }

  /** One sort of every name, then children grouped by parent in that order: every directory's name order at once. */
  private nameOrder(): { rank: Int32Array; start: Int32Array; list: Int32Array } {
    if (!this.byNameAll) {
      const n = this.n
      const names = this.index.paths.names
      const lower = this.lowerNames()
      const order: number[] = []
      for (let i = 1; i < n; i++) order.push(i)
      order.sort((a, b) => compareNames(lower[a] as string, lower[b] as string, names[a] as string, names[b] as string))
      const rank = new Int32Array(n)
      for (let i = 0; i < order.length; i++) rank[order[i] as number] = i + 1
      this.byNameAll = { rank, ...groupByParent(order, this.parent) }
    }
    return this.byNameAll
  }

  /** Sorts every directory's shown children of a view by size at once (one sort instead of one per directory). */
  sortAllBySize(view: LayerView): void {
    if (view.bySizeAll) return
    const rank = this.nameRanks()
    const { present, size } = view
    const order: number[] = []
    for (let x = 1; x < this.n; x++) if (present[x]) order.push(x)
    order.sort((a, b) => (size[b] as number) - (size[a] as number) || (rank[a] as number) - (rank[b] as number))
    view.bySizeAll = groupByParent(order, this.parent)
  }

  /**
   * The sorts and views of `warmUp` that need no strings made: the name order, the views of the layers
   * below the top one and each view's children by size. The model worker makes them after the model
   * (one sort of every name is 100–200 ms at 100,000 paths), so the page never sorts.
   * `sent`: layers whose views the page already has (they are not sent again).
   */
  warmParts(sent: ReadonlySet<number>): LayerWarmParts {
    const views: LayerWarmParts['views'] = []
    const bySize: LayerWarmParts['bySize'] = []
    this.nameRanks()
    for (let l = this.layerCount - 1; l >= Math.max(0, this.layerCount - VIEW_CACHE); l--) {
      const v = this.view(l)
      this.sortAllBySize(v)
      if (v.bySizeAll) bySize.push({ layer: l, ...v.bySizeAll })
      if (!sent.has(l)) {
        const { bySize: _s, bySizeAll: _a, ...rest } = v
        views.push(rest)
      }
    }
    return { byName: this.nameOrder(), bySize, views }
  }

  /** Whether the sorts and views of the warm-up are all here (made, or adopted from the model worker). */
  warmSorted(): boolean {
    const want = Math.min(this.layerCount, VIEW_CACHE)
    let have = 0
    for (let l = this.layerCount - 1; l >= this.layerCount - want; l--) if (this.views.get(l)?.bySizeAll) have++
    return this.byNameAll !== null && have === want
  }

  /** Takes what the model worker made (warmParts); what this model made itself meanwhile is kept. */
  adoptWarm(w: LayerWarmParts): void {
    this.byNameAll ??= w.byName
    for (const v of w.views) if (!this.views.has(v.layer) && this.views.size < VIEW_CACHE) this.views.set(v.layer, { ...v, bySize: new Map(), bySizeAll: null })
    for (const s of w.bySize) {
      const v = this.views.get(s.layer)
      if (v && !v.bySizeAll) v.bySizeAll = { start: s.start, list: s.list }
    }
  }

  /**
   * The work a first search, sort or layer switch would otherwise pay for, as small steps to run
   * while the person is not typing: the search strings in slices, then (where the model worker did
   * not make them: adoptWarm) the name order, the views of the layers and their size order.
   */
  *warmUp(): Generator<string> {
    if (!this.lower) this.lower = yield* sliced(this.n, (i) => this.nameOf(i).toLowerCase(), 'names')
    this.nameRanks()
    yield 'name order'
    for (let l = this.layerCount - 1; l >= Math.max(0, this.layerCount - VIEW_CACHE); l--) {
      const v = this.view(l)
      yield `layer ${l}`
      this.sortAllBySize(v)
      yield `layer ${l} by size`
    }
    if (!this.full) {
      const full = new Array<string>(this.n)
      full[0] = '/'
      for (let i = 1; i < this.n; i++) {
        const p = this.parent[i] as number
        full[i] = p === 0 ? `/${this.nameOf(i)}` : `${full[p]}/${this.nameOf(i)}`
        if (i % WARM_SLICE === 0) yield 'paths'
      }
      this.full ??= full
    }
    if (!this.lowerFull) {
      const paths = this.paths()
      const lower = yield* sliced(this.n, (i) => (paths[i] as string).toLowerCase(), 'lower-case paths')
      this.lowerFull ??= lower
    }
  }

  /** Names in lower case, for case-insensitive search and sorting. */
  lowerNames(): string[] {
    if (!this.lower) {
      const lower = new Array<string>(this.n)
      for (let i = 0; i < this.n; i++) lower[i] = this.nameOf(i).toLowerCase()
      this.lower = lower
    }
    return this.lower
  }

  /** Absolute paths of every node (`/usr/bin/go`), built once when first needed. */
  paths(): string[] {
    if (!this.full) {
      const full = new Array<string>(this.n)
      full[0] = '/'
      for (let i = 1; i < this.n; i++) {
        const p = this.parent[i] as number
        full[i] = p === 0 ? `/${this.nameOf(i)}` : `${full[p]}/${this.nameOf(i)}`
      }
      this.full = full
    }
    return this.full
  }

  lowerPaths(): string[] {
    this.lowerFull ??= this.paths().map((s) => s.toLowerCase())
    return this.lowerFull
  }

  /** The absolute path of a node. */
  path(node: number): string {
    if (this.full) return this.full[node] ?? '/'
    if (node <= 0) return '/'
    const segs: string[] = []
    for (let x = node; x > 0; x = this.parent[x] as number) segs.push(this.nameOf(x))
    return `/${segs.reverse().join('/')}`
  }

  name(node: number): string {
    return this.nameOf(node)
  }

  private cur(): ReplayState {
    this.replay ??= newReplayState(this.n)
    return this.replay
  }

  /** The file system after `layer` with that layer's changes marked (cached). */
  view(layer: number): LayerView {
    const hit = this.views.get(layer)
    if (hit) {
      // Keep the most recently used last, so the oldest is evicted first.
      this.views.delete(layer)
      this.views.set(layer, hit)
      return hit
    }
    const v = this.computeView(layer)
    this.views.set(layer, v)
    if (this.views.size > VIEW_CACHE) this.views.delete(this.views.keys().next().value as number)
    return v
  }

  private computeView(L: number): LayerView {
    const n = this.n
    const s = this.cur()
    if (s.layer > L - 1) resetReplay(s)
    while (s.layer < L - 1) this.apply(s.layer + 1)
    const before = s.alive.slice()
    this.apply(L)

    const present = new Uint8Array(n)
    const dir = new Uint8Array(n)
    for (let x = 0; x < n; x++) {
      if (s.alive[x]) present[x] = PRESENT
      else if (before[x]) present[x] = REMOVED_HERE
      dir[x] = s.isDir[x] as number
    }
    const mark = new Uint8Array(n)
    const lm = this.marks[L]
    if (lm) for (let k = 0; k < lm.node.length; k++) mark[lm.node[k] as number] = lm.mark[k] as number

    const size = new Float64Array(n)
    const files = new Int32Array(n)
    const changesBelow = new Int32Array(n)
    for (let x = 1; x < n; x++) {
      if (present[x] && !dir[x]) {
        size[x] = s.curSize[x] as number
        files[x] = 1
      }
    }
    if (L === this.layerCount - 1) {
      // The final tree's own sizes: a hard link whose original is gone carries the bytes there.
      const t = this.index.tree
      for (let r = 0; r < t.node.length; r++) {
        const node = t.node[r] as number
        if (!dir[node]) size[node] = t.size[r] as number
      }
    }
    const parent = this.parent
    const kids = new Int32Array(n)
    for (let x = n - 1; x >= 1; x--) {
      const px = present[x] as number
      if (!px) continue
      const p = parent[x] as number
      kids[p] = (kids[p] as number) + 1
      const pp = present[p] as number
      // A removed child weighs in a removed parent (what went), not in a live one (what is).
      if ((pp === PRESENT && px === PRESENT) || pp === REMOVED_HERE) {
        size[p] = (size[p] as number) + (size[x] as number)
        files[p] = (files[p] as number) + (files[x] as number)
      }
      if (pp) changesBelow[p] = (changesBelow[p] as number) + (changesBelow[x] as number) + (mark[x] ? 1 : 0)
    }
    return {
      layer: L,
      present,
      dir,
      srcLayer: s.curLayer.slice(),
      srcEntry: s.curEntry.slice(),
      size,
      files,
      mark,
      changesBelow,
      kids,
      bySize: new Map(),
      bySizeAll: null,
    }
  }

  /** Applies layer L's entries to the replay state, as analyzeLayers does. */
  private apply(L: number): void {
    const s = this.cur()
    const e = this.index.entries[L] as LayerEntries
    const parent = this.parent
    const count = e.node.length
    for (let i = 0; i < count; i++) {
      const flags = e.flags[i] as number
      if (!flags) continue
      const node = e.node[i] as number
      if (!s.alive[node]) continue
      if (flags & FLAG_WHITEOUT) this.removeTree(node)
      else if (flags & FLAG_OPAQUE && s.isDir[node]) this.removeChildren(node)
    }
    for (let i = 0; i < count; i++) {
      if (e.flags[i]) continue
      const node = e.node[i] as number
      const isDir = e.type[i] === TYPE_DIR
      for (let p = parent[node] as number; p > 0 && !(s.alive[p] && s.isDir[p]); p = parent[p] as number) {
        s.alive[p] = 1
        s.isDir[p] = 1
        s.curLayer[p] = L
        s.curEntry[p] = -1
        s.curSize[p] = 0
      }
      if (s.alive[node] && s.isDir[node] && !isDir) this.removeChildren(node)
      s.alive[node] = 1
      s.isDir[node] = isDir ? 1 : 0
      s.curLayer[node] = L
      s.curEntry[node] = i
      s.curSize[node] = e.size[i] as number
    }
    s.layer = L
  }

  private removeTree(root: number): void {
    const alive = this.cur().alive
    const stack = [root]
    while (stack.length) {
      const x = stack.pop() as number
      if (!alive[x]) continue
      alive[x] = 0
      const end = this.childStart[x + 1] as number
      for (let k = this.childStart[x] as number; k < end; k++) stack.push(this.childList[k] as number)
    }
  }

  private removeChildren(dir: number): void {
    const end = this.childStart[dir + 1] as number
    for (let k = this.childStart[dir] as number; k < end; k++) this.removeTree(this.childList[k] as number)
  }

  /** The children of `node` shown in `view`, in `sort` order. */
  visibleChildren(view: LayerView, node: number, sort: SortKey): Int32Array {
    if (sort === 'size') {
      if (view.bySizeAll) return view.bySizeAll.list.subarray(view.bySizeAll.start[node], view.bySizeAll.start[node + 1])
      let out = view.bySize.get(node)
      if (!out) {
        const all = this.children(node)
        const kept: number[] = []
        for (let k = 0; k < all.length; k++) {
          const c = all[k] as number
          if (view.present[c]) kept.push(c)
        }
        const size = view.size
        // Ties by name: the ranks when every name is already sorted, else these few names compared
        // directly (the same order), so the first rows of a new index never wait for a sort of them all.
        const byName = this.byNameAll ? rankOrder(this.byNameAll.rank) : nameOrder(this.nameOf)
        kept.sort((a, b) => (size[b] as number) - (size[a] as number) || byName(a, b))
        out = Int32Array.from(kept)
        view.bySize.set(node, out)
      }
      return out
    }
    const byName = this.childrenByName(node)
    let shown = 0
    for (let k = 0; k < byName.length; k++) if (view.present[byName[k] as number]) shown++
    if (shown === byName.length) return byName
    const out = new Int32Array(shown)
    let j = 0
    for (let k = 0; k < byName.length; k++) {
      const c = byName[k] as number
      if (view.present[c]) out[j++] = c
    }
    return out
  }

  /** Applies a search and/or the "only changes" filter to a view; null when neither is on. */
  filter(view: LayerView, input: TreeFilterInput): TreeFilter | null {
    const query = input.query.trim()
    if (!query && !input.changesOnly) return null
    const n = this.n
    const matcher = query ? compileSearch(query) : null
    const match = new Uint8Array(n)
    const include = new Uint8Array(n)
    const open = new Uint8Array(n)
    const { present, mark, changesBelow, dir } = view
    const parent = this.parent
    const changesOnly = input.changesOnly
    let matchCount = 0
    let dirMatched = false

    const texts = matcher
      ? matcher.scope === 'path'
        ? matcher.caseSensitive
          ? this.paths()
          : this.lowerPaths()
        : matcher.caseSensitive
          ? this.index.paths.names
          : this.lowerNames()
      : null
    for (let x = 1; x < n; x++) {
      if (!present[x] || (changesOnly && !mark[x])) continue
      if (matcher && !matcher.test((texts as string[])[x] as string)) continue
      match[x] = 1
      include[x] = 1
      matchCount++
      if (dir[x]) dirMatched = true
      // The way to a match opens (and stays in the tree); stop where an earlier match already opened it.
      for (let p = parent[x] as number; p > 0 && !open[p]; p = parent[p] as number) {
        open[p] = 1
        include[p] = 1
      }
    }
    // Everything inside a matching directory stays browsable, closed until opened (for a search; with
    // "only changes", only the changes inside it). Parents come before children: one forward pass.
    if (matcher && dirMatched) {
      const inside = new Uint8Array(n)
      for (let x = 1; x < n; x++) {
        const p = parent[x] as number
        if (!((match[p] && dir[p]) || inside[p])) continue
        inside[x] = 1
        if (present[x] && (!changesOnly || mark[x] || changesBelow[x])) include[x] = 1
      }
    }
    const kids = new Uint8Array(n)
    for (let x = 1; x < n; x++) if (include[x]) kids[parent[x] as number] = 1
    return { input: { query, changesOnly }, matcher, include, match, matchCount, open, kids }
  }

  /** The visible rows from the root down, honouring open directories, sort and filter. */
  rows(opts: RowOptions): Rows {
    const count = this.collect(0, 0, opts)
    return { node: this.scratchNode.slice(0, count), depth: this.scratchDepth.slice(0, count) }
  }

  /** Writes the visible rows below `dirNode` into the scratch arrays; returns how many. */
  private collect(dirNode: number, level: number, opts: RowOptions): number {
    const { view, sort, expanded, filter } = opts
    const outNode = this.scratchNode
    const outDepth = this.scratchDepth
    const include = filter?.include
    let count = 0
    // An explicit stack: deep trees must not overflow the call stack.
    const kids: Int32Array[] = [this.visibleChildren(view, dirNode, sort)]
    const at: number[] = [0]
    const levels: number[] = [level]
    let top = 0
    while (top >= 0) {
      const list = kids[top] as Int32Array
      const k = at[top] as number
      if (k >= list.length) {
        top--
        continue
      }
      at[top] = k + 1
      const c = list[k] as number
      if (include && !include[c]) continue
      const d = levels[top] as number
      outNode[count] = c
      outDepth[count] = d
      count++
      if (view.dir[c] && expanded[c]) {
        top++
        kids[top] = this.visibleChildren(view, c, sort)
        at[top] = 0
        levels[top] = d + 1
      }
    }
    return count
  }

  /** Rows with the directory at `row` opened: its visible subtree spliced in after it. */
  expandRow(rows: Rows, row: number, opts: RowOptions): Rows {
    const node = rows.node[row]
    if (node === undefined) return rows
    const added = this.collect(node, (rows.depth[row] as number) + 1, opts)
    if (added === 0) return rows
    const subNodes = this.scratchNode.subarray(0, added)
    const subDepth = this.scratchDepth.subarray(0, added)
    const len = rows.node.length + added
    const outNode = new Int32Array(len)
    const outDepth = new Uint16Array(len)
    outNode.set(rows.node.subarray(0, row + 1))
    outDepth.set(rows.depth.subarray(0, row + 1))
    outNode.set(subNodes, row + 1)
    outDepth.set(subDepth, row + 1)
    outNode.set(rows.node.subarray(row + 1), row + 1 + added)
    outDepth.set(rows.depth.subarray(row + 1), row + 1 + added)
    return { node: outNode, depth: outDepth }
  }

  /** Rows with the directory at `row` closed: the rows below it that are deeper are cut out. */
  collapseRow(rows: Rows, row: number): Rows {
    const d = rows.depth[row]
    if (d === undefined) return rows
    let end = row + 1
    while (end < rows.depth.length && (rows.depth[end] as number) > d) end++
    if (end === row + 1) return rows
    const cut = end - row - 1
    const outNode = new Int32Array(rows.node.length - cut)
    const outDepth = new Uint16Array(rows.node.length - cut)
    outNode.set(rows.node.subarray(0, row + 1))
    outDepth.set(rows.depth.subarray(0, row + 1))
    outNode.set(rows.node.subarray(end), row + 1)
    outDepth.set(rows.depth.subarray(end), row + 1)
    return { node: outNode, depth: outDepth }
  }

  /** Whether a directory node has anything to show when opened. */
  hasVisibleChildren(view: LayerView, node: number, filter: TreeFilter | null): boolean {
    return filter ? filter.kids[node] === 1 : (view.kids[node] as number) > 0
  }

  /** Everything the details panel shows about a node in a view. */
  details(view: LayerView, node: number): NodeDetails {
    const L = view.srcLayer[node] as number
    const i = view.srcEntry[node] as number
    const e = L >= 0 ? this.index.entries[L] : undefined
    const has = e !== undefined && i >= 0
    const t = has ? (e.type[i] as number) : -1
    const touchedBy: NodeDetails['touchedBy'] = []
    for (let l = 0; l < this.layerCount; l++) {
      const change = markOf(this.marks[l] as LayerMarks, node)
      if (change === MARK_NONE) continue
      let size = 0
      if (change !== MARK_REMOVED) {
        const le = this.index.entries[l] as LayerEntries
        for (let k = 0; k < le.node.length; k++) if (le.node[k] === node && !le.flags[k]) size = le.size[k] as number
      }
      touchedBy.push({ layer: l, change, size })
    }
    return {
      node,
      path: this.path(node),
      name: this.name(node),
      dir: view.dir[node] === 1,
      type: has ? (['file', 'dir', 'symlink', 'hardlink', 'other'][t] ?? 'other') : 'implied dir',
      size: view.size[node] as number,
      files: view.files[node] as number,
      mode: has ? (e.mode[i] as number) : null,
      uid: has ? (e.uid[i] as number) : null,
      gid: has ? (e.gid[i] as number) : null,
      link: has && (t === TYPE_SYMLINK || t === TYPE_HARDLINK) ? this.linkOf(L, i) : '',
      mark: view.mark[node] as Mark,
      removed: view.present[node] === REMOVED_HERE,
      touchedBy,
    }
  }

  /** The entry type of a node in a view (TYPE_*), or -1 for an implied directory. */
  entryType(view: LayerView, node: number): number {
    const L = view.srcLayer[node] as number
    const i = view.srcEntry[node] as number
    if (L < 0 || i < 0) return -1
    return this.index.entries[L]?.type[i] ?? -1
  }

  /** The permission bits and owner of a node's entry in a view, or null for an implied directory. */
  entryMeta(view: LayerView, node: number): { mode: number; uid: number; gid: number; link: string } | null {
    const L = view.srcLayer[node] as number
    const i = view.srcEntry[node] as number
    const e = L >= 0 ? this.index.entries[L] : undefined
    if (!e || i < 0) return null
    return { mode: e.mode[i] as number, uid: e.uid[i] as number, gid: e.gid[i] as number, link: this.linkOf(L, i) }
  }

  /**
   * A layer whose view shows the node: the current one when it does, else the top layer, else the
   * last layer with an entry for it (where it was last written, or removed).
   */
  layerShowing(node: number, current: number): number {
    if (this.view(current).present[node]) return current
    const top = this.layerCount - 1
    if (this.view(top).present[node]) return top
    for (let l = top; l >= 0; l--) if (this.index.entries[l]?.node.includes(node)) return l
    return current
  }

  /** The node of an absolute path, or -1. */
  find(path: string): number {
    const paths = this.paths()
    return paths.indexOf(path)
  }

  /** Ancestors of a node (not the root), outermost first. */
  ancestors(node: number): number[] {
    const out: number[] = []
    for (let p = this.parent[node] as number; p > 0; p = this.parent[p] as number) out.push(p)
    return out.reverse()
  }
}

/** Name order: case-insensitive first, then exact. */
function compareNames(la: string, lb: string, na: string, nb: string): number {
  if (la !== lb) return la < lb ? -1 : 1
  return na < nb ? -1 : na > nb ? 1 : 0
}

const rankOrder = (rank: Int32Array) => (a: number, b: number) => (rank[a] as number) - (rank[b] as number)
const nameOrder = (nameOf: (node: number) => string) => (a: number, b: number) => {
  const na = nameOf(a)
  const nb = nameOf(b)
  return compareNames(na.toLowerCase(), nb.toLowerCase(), na, nb)
}

interface ReplayState {
  /** The last layer applied; -1 before any. */
  layer: number
  alive: Uint8Array
  isDir: Uint8Array
  curLayer: Int32Array
  curEntry: Int32Array
  curSize: Float64Array
}

function newReplayState(n: number): ReplayState {
  const s: ReplayState = {
    layer: -1,
    alive: new Uint8Array(n),
    isDir: new Uint8Array(n),
    curLayer: new Int32Array(n),
    curEntry: new Int32Array(n),
    curSize: new Float64Array(n),
  }
  resetReplay(s)
  return s
}

function resetReplay(s: ReplayState): void {
  s.layer = -1
  s.alive.fill(0)
  s.isDir.fill(0)
  s.curLayer.fill(-1)
  s.curEntry.fill(-1)
  s.curSize.fill(0)
  s.alive[0] = 1
  s.isDir[0] = 1
}

/** Groups nodes (in the order given) by parent, as CSR arrays laid out like the model's own children. */
function groupByParent(order: number[], parent: Int32Array): { start: Int32Array; list: Int32Array } {
  const n = parent.length
  const count = new Int32Array(n + 1)
  for (const x of order) {
    const p = parent[x] as number
    count[p + 1] = (count[p + 1] as number) + 1
  }
  for (let i = 0; i < n; i++) count[i + 1] = (count[i + 1] as number) + (count[i] as number)
  const start = count.slice()
  const fill = count.slice(0, n)
  const list = new Int32Array(order.length)
  for (const x of order) {
    const p = parent[x] as number
    list[fill[p] as number] = x
    fill[p] = (fill[p] as number) + 1
  }
  return { start, list }
}

/** `f(0) … f(n - 1)` made WARM_SLICE items per step (yielding `what` between steps). */
function* sliced(n: number, f: (i: number) => string, what: string): Generator<string, string[]> {
  const out = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    out[i] = f(i)
    if (i % WARM_SLICE === WARM_SLICE - 1) yield what
  }
  return out
}
