import { analyzeLayers, type AnalyzeOptions } from './analyze'
import { firstView } from './first-view'
import { LAYER_INDEX_FORMAT_VERSION, type HistoryItem, type LayerEntries, type LayerIndex, type LayerInfo, type PathTableData } from './types'

/** One `history` entry of an image config, as the engine writes it. */
export interface ConfigHistory {
  created?: string
  created_by?: string
  comment?: string
  empty_layer?: boolean
}

/** What the image config and manifest say about the image. */
export interface ImageMeta {
  imageId: string
  repoTags: string[]
  created: string
  os: string
  architecture: string
  variant?: string
  format: LayerIndex['format']
  diffIds: string[]
  history: ConfigHistory[]
}

/** A layer as read from the archive, before the math. */
export interface ReadLayer {
  entries: LayerEntries<number[]>
  blobSize: number
  compression: LayerInfo['compression']
  digest?: string
}

/**
 * Pairs layers with history steps the way dive and `docker history` do: in order, skipping steps
 * marked `empty_layer`. A layer with no step left gets none; a step with no layer left gets none.
 */
export function alignHistory(history: ConfigHistory[], layerCount: number): { items: HistoryItem[]; layerHistory: (number | null)[] } {
  const items: HistoryItem[] = history.map((h) => ({
    created: h.created ?? '',
    createdBy: h.created_by ?? '',
    comment: h.comment ?? '',
    emptyLayer: h.empty_layer === true,
    layer: null,
  }))
  const layerHistory: (number | null)[] = []
  let h = 0
  for (let layer = 0; layer < layerCount; layer++) {
    while (h < items.length && items[h]?.emptyLayer) h++
    const item = items[h]
    if (item) {
      item.layer = layer
      layerHistory.push(h)
      h++
    } else layerHistory.push(null)
  }
  return { items, layerHistory }
}

/** Runs the tree math over the layers in image order and assembles the index. */
export function buildLayerIndex(meta: ImageMeta, paths: PathTableData, layers: ReadLayer[], opts: AnalyzeOptions = {}): LayerIndex {
  // A blob used at two positions (the same diff twice) needs its own change column at each.
  const used = new Set<LayerEntries<number[]>>()
  const entries = layers.map((l) => {
    if (!used.has(l.entries)) {
      used.add(l.entries)
      return l.entries
    }
    return { ...l.entries, change: [] }
  })
  const analysis = analyzeLayers(paths, entries, opts)
  const { items, layerHistory } = alignHistory(meta.history, layers.length)
  const infos: LayerInfo[] = layers.map((l, index) => {
    const stats = analysis.layers[index]
    const h = layerHistory[index] ?? null
    const item = h === null ? undefined : items[h]
    const info: LayerInfo = {
      index,
      diffId: meta.diffIds[index] ?? '',
      size: stats?.size ?? 0,
      blobSize: l.blobSize,
      compression: l.compression,
      createdBy: item?.createdBy ?? '',
      created: item?.created ?? '',
      comment: item?.comment ?? '',
      history: h,
      entryCount: stats?.entryCount ?? 0,
      added: stats?.added ?? 0,
      modified: stats?.modified ?? 0,
      removed: stats?.removed ?? 0,
    }
    if (l.digest) info.digest = l.digest
    return info
  })
  const index: LayerIndex = {
    formatVersion: LAYER_INDEX_FORMAT_VERSION,
    imageId: meta.imageId,
    repoTags: meta.repoTags,
    created: meta.created,
    os: meta.os,
    architecture: meta.architecture,
    format: meta.format,
    layers: infos,
    history: items,
    paths,
    entries,
    tree: analysis.tree,
    largestFiles: analysis.largestFiles,
    inefficiencies: analysis.inefficiencies,
    summary: analysis.summary,
  }
  if (meta.variant) index.variant = meta.variant
  const first = firstView(index)
  if (first) index.firstView = first
  return index
}
