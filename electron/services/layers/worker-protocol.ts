import type { WireError } from '../../../shared/errors'
import type { LayerIndex } from '../../../shared/layers/types'

/** What the worker does with the index besides returning it. */
export interface WorkerJob {
  /** Facts the engine knows better than the archive (the image id with the containerd store, tags). */
  imageId?: string
  repoTags?: string[]
  /** Write the index to this cache after returning it, so the main thread never serialises it. */
  cache?: { dir: string; maxBytes?: number }
}

/** Main thread → indexing worker: one `job` first, then chunks, then `end`. */
export type ToWorker = { type: 'job'; job: WorkerJob } | { type: 'chunk'; data: Uint8Array } | { type: 'end' }

/** Indexing worker → main thread. `ack` returns one chunk of send credit; `cached` follows `done` when a cache was asked for. */
export type FromWorker =
  | { type: 'ack' }
  | { type: 'progress'; bytesRead: number; layersDone: number }
  | { type: 'done'; index: LayerIndex; peakMemory: number }
  | { type: 'cached'; ms: number; error?: string }
  | { type: 'error'; error: WireError }
