// The layer index: what is inside an image, layer by layer, and what the final file system looks like.
// Everything here is plain data (structured-clone safe) so the same object travels from the indexing
// worker to the main process; the cache and the renderer get it packed (shared/layers/packed.ts), and
// an unpacked index holds its number columns as typed arrays (NumColumn). Large per-file data is
// stored column by column (one array per field, indexed by entry) and paths are interned as a tree of
// segments, so 100,000 files cost a handful of arrays instead of 100,000 objects.


import type { FirstView } from './first-view'

/**
 * A column of numbers: a plain array while an index is built (`number[]`), a typed array once it is
 * unpacked from the cache or the wire (shared/layers/packed.ts). Readers use only what both have.
 */
export interface NumColumn {
  readonly length: number
  [i: number]: number
  includes(x: number): boolean
  indexOf(x: number): number
}

/** The kind of a tar entry, as stored in `LayerEntries.type` (by position in this list). */
export const ENTRY_TYPES = ['file', 'dir', 'symlink', 'hardlink', 'other'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]
export const TYPE_FILE = 0
export const TYPE_DIR = 1
export const TYPE_SYMLINK = 2
export const TYPE_HARDLINK = 3
export const TYPE_OTHER = 4

/** `LayerEntries.flags` bit: a `.wh.NAME` file; the entry's node is the path it deletes. */
export const FLAG_WHITEOUT = 1
/** `LayerEntries.flags` bit: a `.wh..wh..opq` marker; the entry's node is the directory whose lower contents are hidden. */
export const FLAG_OPAQUE = 2

/** `LayerEntries.change` values: what the entry does to the file system below it. */
export const CHANGE_ADDED = 0
export const CHANGE_MODIFIED = 1
export const CHANGE_REMOVED = 2

/**
 * Every path seen in any layer, as a tree of interned segments. Node 0 is the root `/` (name `''`,
 * parent -1); every other node's parent has a smaller id, so a reverse loop over ids visits children
 * before their parents.
 */
export interface PathTableData<N extends NumColumn = NumColumn> {
  names: string[]
  parents: N
}

/** The entries of one layer tar, one array per field; entry `i` is the i-th header of the tar. */
export interface LayerEntries<N extends NumColumn = NumColumn> {
  /** Path-table node: the entry's path; for a whiteout the path it deletes; for an opaque marker the directory. */
  node: N
  /** Size from the tar header (0 for directories, links and whiteouts), as dive counts it. */
  size: N
  /** Permission bits with setuid/setgid/sticky (`mode & 0o7777`). */
  mode: N
  uid: N
  gid: N
  /** Index into ENTRY_TYPES. */
  type: N
  /** FLAG_WHITEOUT | FLAG_OPAQUE. */
  flags: N
  /** Symlink target as written; hard-link target as an absolute path; '' when not a link. */
  link: string[]
  /** CHANGE_ADDED / CHANGE_MODIFIED / CHANGE_REMOVED against the layers below (whiteouts and opaque markers are "removed"). */
  change: N
}

/** One entry of the image config's `history`. */
export interface HistoryItem {
  created: string
  createdBy: string
  comment: string
  /** Metadata-only steps (ENV, LABEL, CMD…) make no layer. */
  emptyLayer: boolean
  /** The layer this step made, or null for an empty one (or when the history lists fewer layers than exist). */
  layer: number | null
}

/** One layer of the image, bottom first. */
export interface LayerInfo {
  index: number
  /** sha256 of the uncompressed layer tar, from the config's `rootfs.diff_ids`. */
  diffId: string
  /** Digest of the blob in an OCI-layout archive (of the compressed bytes when compressed); absent in the legacy format. */
  digest?: string
  /** Sum of the tar header sizes of every entry, as dive and `docker history` count a layer. */
  size: number
  /** Bytes of the layer as stored in the archive (compressed size when compressed). */
  blobSize: number
  compression: 'none' | 'gzip'
  /** The history step that made it ('' when the image has no history for it). */
  createdBy: string
  created: string
  comment: string
  /** Index into LayerIndex.history, or null. */
  history: number | null
  entryCount: number
  /** Non-directory paths that did not exist below this layer. */
  added: number
  /** Non-directory paths that existed below and are written again here. */
  modified: number
  /** Non-directory paths that existed below and are gone after this layer (whiteouts, opaque dirs, replaced dirs). */
  removed: number
}

/**
 * The file system after all layers are applied, one row per path that exists. Rows are in path-table
 * order, so a parent's row comes before its children's; row 0 is the root.
 */
export interface FinalTree<N extends NumColumn = NumColumn> {
  node: N
  /** The layer whose entry describes the path now, or the layer that implied the directory. */
  layer: N
  /** Index into that layer's entries, or -1 for a directory that exists only because something is inside it. */
  entry: N
  /** For a file its own size (a hard link whose original is gone carries the shared bytes); for a directory the total below it. */
  size: N
  /** Non-directory paths at or below this row (1 for a file). */
  files: N
}

/** A path written by more than one layer (or written, then deleted): dive's "inefficient files". */
export interface Inefficiencies<N extends NumColumn = NumColumn> {
  node: N
  /** How many layers touched the path. */
  count: N
  /** Sum of the sizes seen for the path in every layer (what dive adds up as wasted bytes). */
  cumulativeSize: N
}

/** The image-wide numbers dive prints, plus the bytes hidden by later layers. */
export interface LayerSummary {
  /** Sum of every layer's size. */
  sizeBytes: number
  /** Sum of every layer's size except the first (the base). */
  userSizeBytes: number
  /** dive's efficiency: Σ smallest size seen per path ÷ Σ every size seen per path; 1 when nothing was seen. */
  efficiency: number
  /** dive's wasted bytes: the cumulative size of every path touched by two or more layers (the kept copy included). */
  wastedBytes: number
  /** wastedBytes ÷ userSizeBytes (0 when there are no user bytes). */
  userWastedPercent: number
  /** Bytes of file versions that are overwritten or deleted by a later layer (not visible in the final tree). */
  hiddenBytes: number
  /** Bytes visible in the final tree. */
  finalBytes: number
  fileCount: number
  directoryCount: number
}

/** Everything Slipway knows about an image's contents. */
export interface LayerIndex {
  /** Bumped when the shape or the math changes, so an old cache entry is rebuilt. */
  formatVersion: number
  /** `sha256:…` of the image config. */
  imageId: string
  repoTags: string[]
  created: string
  os: string
  architecture: string
  variant?: string
  /** Which archive layout the engine sent. */
  format: 'docker-legacy' | 'oci'
  layers: LayerInfo[]
  history: HistoryItem[]
  paths: PathTableData
  /** Entries of each layer, in layer order. */
  entries: LayerEntries[]
  tree: FinalTree
  /** Rows of `tree` holding the largest files, largest first. */
  largestFiles: NumColumn
  inefficiencies: Inefficiencies
  summary: LayerSummary
  /** What the explorer paints first (the top layer's top-level rows, each layer's mark counts); kept in the packed header. */
  firstView?: FirstView
}

export const LAYER_INDEX_FORMAT_VERSION = 2

/** How far an indexing job has got. */
export interface LayersProgress {
  jobId: string
  image: string
  phase: 'inspecting' | 'reading' | 'done'
  /** Bytes of the save stream read so far. */
  bytesRead: number
  /** The engine's size of the image: the save stream is about this long (not exact). */
  bytesExpected: number
  layersDone: number
  layersTotal: number
}
