import type { StateCreator, StoreApi } from 'zustand'
import type { Events } from '../../../shared/contract'
import { ErrorName, toWireError, type WireError } from '../../../shared/errors'
import { swapComparison, type TreeComparison } from '../../../shared/layers/compare'
import type { PackedLayerIndex } from '../../../shared/layers/packed'
import type { IndexFirst } from '../../../shared/layers/first-view'
import type { LayerIndex, LayersProgress } from '../../../shared/layers/types'
import type { ImageSummary, SlipwayProject } from '../../../shared/types/images'
import { call, on } from '../api/client'
import { compareInWorker, type CompareInput, type RunningComparison } from '../workers/compare-client'
import { buildModel, prewarmModelWorker, whenWarm } from '../workers/model-client'
import type { LayerModel, LayerView, Rows, RowOptions, SortKey, TreeFilter } from '../features/images/layer-model'
import type { AppState } from './app-state'

/** An indexing job for the open image or the one it is compared with, from start to a loaded index. */
export type IndexJob =
  | { status: 'idle' }
  /** Asked for; `jobId` is null until the host answers. `refresh`: read again, past every cache. */
  | { status: 'running'; image: string; jobId: string | null; progress: LayersProgress | null; cancelling: boolean; refresh?: boolean }
  /** Indexed; the index itself is on its way (for the compared image: and the comparison is being computed). */
  | { status: 'loading'; image: string; imageId: string; cached: boolean }
  | { status: 'ready'; image: string; imageId: string; cached: boolean }
  | { status: 'failed'; image: string; error: WireError; cancelled: boolean }

/** The layer explorer's state for the loaded index: which layer, which rows, what is open and selected. */
export interface Explorer {
  model: LayerModel
  layer: number
  view: LayerView
  sort: SortKey
  query: string
  changesOnly: boolean
  /** Open directories, by node (1 = open), when no filter is on. */
  expanded: Uint8Array
  filter: TreeFilter | null
  /** Open directories while a filter is on: starts as the way to every match, then follows the person. */
  filterExpanded: Uint8Array | null
  rows: Rows
  /** The selected node, or -1. */
  selected: number
  /** Bumped when the selected row should be scrolled into view. */
  reveal: number
}

export interface OpenImage {
  id: string
  /** What the person knows it by: its first tag, or its short id. */
  label: string
}

/**
 * An index the page already holds, by image id: its bytes and, once opened, its explorer model. An
 * image id names immutable content, so opening it again, comparing with it again or swapping A and B
 * needs neither the socket nor a rebuild.
 */
export interface KeptIndex {
  imageId: string
  packed: PackedLayerIndex
  model: LayerModel | null
}

/** Indexes kept (A, B and the one before): ~5 MB of bytes each at 100,000 files, plus a model when opened. */
const KEEP = 3

export interface ComparisonState {
  image: OpenImage | null
  job: IndexJob
  /** The other image's index as it arrived: only the comparison worker unpacks it. */
  packed: PackedLayerIndex | null
  result: TreeComparison | null
}

export interface ImagesSlice {
  images: {
    /** null until first listed. */
    list: ImageSummary[] | null
    listError: WireError | null
    listLoading: boolean
    /** Slipway's own images by project and base; null until first listed. */
    slipway: SlipwayProject[] | null
    slipwayError: WireError | null
    slipwayLoading: boolean
    /** The table's filter text. */
    filter: string
    /** The highlighted row of the table (image id). */
    cursor: string | null
    tab: ImagesTab
    /** The image shown in the image view, or null for the table. */
    open: OpenImage | null
    /** The open image is no longer in the engine (deleted since it was opened). */
    gone: boolean
    mode: 'layers' | 'compare'
    job: IndexJob
    index: LayerIndex | null
    explorer: Explorer | null
    /**
     * What the explorer paints while the open image's index is on its way and its model is being made
     * (from `layers.done`; shared/layers/first-view.ts). `pending`: a row clicked meanwhile, selected
     * (and a folder opened) once the explorer is there; `pendingLayer`: a layer chosen meanwhile; -1 for none.
     */
    preview: { imageId: string; first: IndexFirst; pending: number; pendingLayer: number } | null
    compare: ComparisonState
    /** Indexes already here, most recently used first. */
    kept: KeptIndex[]
  }
  loadImages: () => Promise<void>
  /** Lists Slipway's own images (with their stale-or-current check). */
  loadSlipwayImages: () => Promise<void>
  /** Deletes one of Slipway's images and lists both views again; the error when it was refused. */
  removeSlipwayImage: (imageId: string) => Promise<WireError | null>
  setImageFilter: (filter: string) => void
  setImageCursor: (id: string | null) => void
  setImagesTab: (tab: ImagesTab) => void
  openImage: (image: OpenImage) => void
  closeImage: () => void
  /** Reads the open image again, skipping the cache. */
  reindex: () => void
  cancelIndex: (slot?: JobSlot) => void
  setImageMode: (mode: 'layers' | 'compare') => void
  compareWith: (image: OpenImage | null) => void
  /** B becomes the open image and A the one compared with: the comparison turned round, nothing fetched or computed again. */
  swapCompare: () => void
  selectLayer: (layer: number) => void
  toggleNode: (node: number) => void
  setNodeOpen: (node: number, open: boolean) => void
  setTreeSort: (sort: SortKey) => void
  setTreeQuery: (query: string) => void
  setChangesOnly: (on: boolean) => void
  selectNode: (node: number) => void
  /** Selects a node of the final tree wherever it is: switches to a layer that has it, opens its parents, clears a filter that hides it. */
  revealNode: (node: number) => void
  collapseAll: () => void
  /** A row of the first view clicked before the explorer is there: done once it is. */
  clickPreviewRow: (node: number) => void
}

export type JobSlot = 'main' | 'compare'

/** The Images page's tabs: the engine's images, Slipway's own by project, the containers Slipway started, the engine itself. */
export type ImagesTab = 'images' | 'slipway' | 'containers' | 'engine'

const idle: IndexJob = { status: 'idle' }
const noComparison: ComparisonState = { image: null, job: idle, packed: null, result: null }

/** Per slot, a counter that makes answers to an older request harmless. */
const tokens: Record<JobSlot, number> = { main: 0, compare: 0 }
/** When each slot's job was asked for (the job's User Timing measures start there). */
const jobStarted: Record<JobSlot, number> = { main: 0, compare: 0 }

type LayersEvent =
  | { kind: 'progress'; payload: Events['layers.progress'] }
  | { kind: 'done'; payload: Events['layers.done'] }
  | { kind: 'failed'; payload: Events['layers.failed'] }

/** Events for a job id the renderer does not know yet (they can arrive before `layers.index` answers). */
const early = new Map<string, LayersEvent[]>()
const EARLY_MAX = 32

export const createImagesSlice: StateCreator<AppState, [], [], ImagesSlice> = (set, get) => {
  const patch = (p: Partial<ImagesSlice['images']>) => set((s) => ({ images: { ...s.images, ...p } }))
  const jobOf = (slot: JobSlot) => (slot === 'main' ? get().images.job : get().images.compare.job)
  const setJob = (slot: JobSlot, job: IndexJob) =>
    set((s) => (slot === 'main' ? { images: { ...s.images, job } } : { images: { ...s.images, compare: { ...s.images.compare, job } } }))
  const setExplorer = (f: (ex: Explorer) => Partial<Explorer>) =>
    set((s) => (s.images.explorer ? { images: { ...s.images, explorer: { ...s.images.explorer, ...f(s.images.explorer) } } } : s))

  const keptIndex = (imageId: string) => get().images.kept.find((k) => k.imageId === imageId)
  const keep = (k: KeptIndex) =>
    set((s) => ({ images: { ...s.images, kept: [k, ...s.images.kept.filter((x) => x.imageId !== k.imageId)].slice(0, KEEP) } }))
  /** Models being made in the model worker, by image id: asked for again meanwhile, the same one comes. */
  const building = new Map<string, Promise<LayerModel>>()
  /**
   * The model of a kept index, made once: kept when it comes even if another image is shown by then
   * (Swapped back and forth faster than a model came, each Swap made B's model again and dropped it).
   */
  const modelOf = (imageId: string, packed: PackedLayerIndex): Promise<LayerModel> => {
    let made = building.get(imageId)
    if (!made) {
      made = buildModel(packed).then(
        (model) => {
          building.delete(imageId)
          keep({ imageId, packed: keptIndex(imageId)?.packed ?? packed, model })
          return model
        },
        (e: unknown) => {
          building.delete(imageId)
          throw e
        },
      )
      building.set(imageId, made)
    }
    return made
  }

  const start = async (slot: JobSlot, image: string, refresh: boolean) => {
    const token = ++tokens[slot]
    jobStarted[slot] = performance.now()
    setJob(slot, { status: 'running', image, jobId: null, progress: null, cancelling: false, ...(refresh ? { refresh } : {}) })
    let jobId: string
    try {
      ;({ jobId } = await (refresh ? call('layers.index', image, { refresh }) : call('layers.index', image)))
    } catch (e) {
      if (tokens[slot] === token) setJob(slot, { status: 'failed', image, error: toWireError(e), cancelled: false })
      return
    }
    if (tokens[slot] !== token) {
      void call('layers.cancel', jobId).catch(() => undefined)
      return
    }
    measure(`slipway:layers.index.${slot}`, jobStarted[slot])
    const job = jobOf(slot)
    if (job.status !== 'running') return
    setJob(slot, { ...job, jobId })
    const waiting = early.get(jobId)
    early.delete(jobId)
    for (const ev of waiting ?? []) handle(ev)
  }

  const slotOf = (jobId: string): JobSlot | null => {
    for (const slot of ['main', 'compare'] as const) {
      const job = jobOf(slot)
      if (job.status === 'running' && job.jobId === jobId) return slot
    }
    return null
  }

  const finish = async (slot: JobSlot, done: Events['layers.done'], refresh: boolean) => {
    const token = tokens[slot]
    const t0 = measure(`slipway:job.${slot}`, jobStarted[slot])
    setJob(slot, { status: 'loading', image: done.image, imageId: done.imageId, cached: done.cached })
    const fail = (error: WireError) => {
      if (tokens[slot] !== token) return
      setJob(slot, { status: 'failed', image: done.image, error, cancelled: false })
      if (slot === 'main') patch({ preview: null })
    }
    const hit = refresh ? undefined : keptIndex(done.imageId)
    if (slot === 'main' && !hit?.model && done.first && !get().images.explorer) {
      // Paint the top layer's first rows now: the index is megabytes on the way, then a model to make.
      patch({ preview: { imageId: done.imageId, first: done.first, pending: -1, pendingLayer: -1 } })
      measure('slipway:preview', t0)
    }
    let packed: PackedLayerIndex | null = hit?.packed ?? null
    if (!packed) {
      try {
        packed = await call('layers.get', done.imageId)
      } catch (e) {
        return fail(toWireError(e))
      }
      measure('slipway:layers.get', t0)
    }
    if (tokens[slot] !== token) return
    if (!packed) {
      return fail({ name: ErrorName.IndexMissing, message: 'The index was made but could not be read back.', detail: 'The cache may have been cleared meanwhile. Index the image again.' })
    }
    if (slot === 'compare') {
      const t1 = performance.now()
      keep({ imageId: done.imageId, packed, model: hit?.model ?? null })
      // Stays "loading" until the worker has compared the two.
      set((s) => ({ images: { ...s.images, compare: { ...s.images.compare, packed } } }))
      measure('slipway:compare.loading', t1)
      computeComparison()
      return
    }
    let model = hit?.model
    if (!model) {
      // Unpacked and modelled in the model worker: 100,000 files are hundreds of ms of work.
      const t1 = performance.now()
      try {
        model = await buildModel(packed)
      } catch (e) {
        return fail({ name: ErrorName.IndexMissing, message: 'The index could not be read.', detail: `${(e as Error).message} Index the image again.` })
      }
      if (tokens[slot] !== token) return
      measure('slipway:model', t1)
    }
    keep({ imageId: done.imageId, packed, model })
    const ready: IndexJob = { status: 'ready', image: done.image, imageId: done.imageId, cached: done.cached }
    const t3 = performance.now()
    const explorer = newExplorer(model, get().images.explorer)
    measure('slipway:explorer', t3)
    mainPacked = { imageId: done.imageId, packed }
    const waiting = get().images.preview?.imageId === done.imageId ? get().images.preview : null
    const pending = waiting?.pending ?? -1
    set((s) => ({ images: { ...s.images, job: ready, index: model.index, explorer, preview: null } }))
    if (waiting && waiting.pendingLayer >= 0) get().selectLayer(waiting.pendingLayer)
    if (pending > 0) {
      get().selectNode(pending)
      get().setNodeOpen(pending, true)
    }
    warmInIdle(explorer.model, () => tokens.main === token)
    computeComparison()
  }

  /** Compares the open image with the other one in a worker, once both indexes are here. */
  const computeComparison = () => {
    const { index, compare } = get().images
    const a = mainPacked
    const b = compare.packed
    if (!index || !a || !b || compare.result) return
    const job = compare.job
    if (job.status !== 'loading' && job.status !== 'ready') return
    const key = { main: tokens.main, compare: tokens.compare }
    const current = () => tokens.main === key.main && tokens.compare === key.compare && get().images.compare.packed === b
    if (job.status === 'ready') setJob('compare', { ...job, status: 'loading' })
    comparing?.cancel()
    const t0 = performance.now()
    const run = compareInWorker(a, { imageId: job.imageId, packed: b })
    measure('slipway:compare.post', t0)
    comparing = run
    run.result.then(
      (result) => {
        if (comparing === run) comparing = null
        if (!current()) return
        const now = get().images.compare.job
        const ready: IndexJob = now.status === 'loading' ? { ...now, status: 'ready' } : now
        const t1 = performance.now()
        set((s) => ({ images: { ...s.images, compare: { ...s.images.compare, job: ready, result } } }))
        measure('slipway:compare.show', t1)
      },
      (e: unknown) => {
        if (comparing === run) comparing = null
        if (!current()) return
        const now = get().images.compare.job
        const image = now.status === 'idle' ? '' : now.image
        setJob('compare', { status: 'failed', image, error: { name: ErrorName.InternalError, message: 'The comparison failed.', detail: (e as Error).message }, cancelled: false })
      },
    )
  }

  const handle = (ev: LayersEvent) => {
    const slot = slotOf(ev.payload.jobId)
    if (!slot) {
      // Only jobs this page started and is still waiting to hear the id of.
      const waitingFor = (['main', 'compare'] as const).some((s) => {
        const j = jobOf(s)
        return j.status === 'running' && j.jobId === null
      })
      if (!waitingFor) return
      const list = early.get(ev.payload.jobId) ?? []
      list.push(ev)
      early.set(ev.payload.jobId, list)
      if (early.size > EARLY_MAX) early.delete(early.keys().next().value as string)
      return
    }
    const job = jobOf(slot)
    if (job.status !== 'running') return
    if (ev.kind === 'progress') setJob(slot, { ...job, progress: ev.payload })
    else if (ev.kind === 'failed') setJob(slot, { status: 'failed', image: job.image, error: ev.payload.error, cancelled: ev.payload.cancelled })
    else void finish(slot, ev.payload, job.refresh === true)
  }
  layersHandler = handle

  /** Recomputes the filter and the rows of an explorer after its view, filter input or sort changed. */
  const rebuild = (ex: Explorer, next: Partial<Explorer>, keepOpen = false): Partial<Explorer> => {
    const merged = { ...ex, ...next }
    const filter = merged.model.filter(merged.view, { query: merged.query, changesOnly: merged.changesOnly })
    const filterExpanded = filter ? (keepOpen && merged.filterExpanded ? merged.filterExpanded : filter.open.slice()) : null
    const rows = merged.model.rows(rowOptions({ ...merged, filter, filterExpanded }))
    let selected = merged.selected
    if (selected >= 0 && (!merged.view.present[selected] || (filter && !filter.include[selected]))) selected = -1
    return { ...next, filter, filterExpanded, rows, selected }
  }

  /**
   * A new search or "only changes" setting. The selected node stays in sight: when the filter goes
   * away, the way to what the person found stays open.
   */
  const refilter = (ex: Explorer, input: Partial<Pick<Explorer, 'query' | 'changesOnly'>>): Partial<Explorer> => {
    const next = rebuild(ex, input)
    if (next.filter || ex.selected < 0 || !ex.view.present[ex.selected]) return next
    const expanded = ex.expanded.slice()
    for (const a of ex.model.ancestors(ex.selected)) expanded[a] = 1
    const rows = ex.model.rows(rowOptions({ ...ex, ...next, expanded }))
    return { ...next, expanded, rows, selected: ex.selected, reveal: ex.reveal + 1 }
  }

  return {
    images: {
      list: null,
      listError: null,
      listLoading: false,
      slipway: null,
      slipwayError: null,
      slipwayLoading: false,
      filter: '',
      cursor: null,
      tab: 'images',
      open: null,
      gone: false,
      mode: 'layers',
      job: idle,
      index: null,
      explorer: null,
      preview: null,
      compare: noComparison,
      kept: [],
    },

    loadImages: async () => {
      if (get().images.listLoading) {
        reloadWanted = true
        return
      }
      patch({ listLoading: true })
      try {
        const list = await call('images.list')
        const { open, cursor } = get().images
        const gone = open !== null && !list.some((i) => i.id === open.id)
        patch({ list, listError: null, listLoading: false, gone, cursor: cursor && list.some((i) => i.id === cursor) ? cursor : null })
      } catch (e) {
        patch({ listError: toWireError(e), listLoading: false })
      }
      if (reloadWanted) {
        reloadWanted = false
        void get().loadImages()
      }
    },

    loadSlipwayImages: async () => {
      if (get().images.slipwayLoading) return
      patch({ slipwayLoading: true })
      try {
        patch({ slipway: await call('images.slipway'), slipwayError: null, slipwayLoading: false })
      } catch (e) {
        patch({ slipwayError: toWireError(e), slipwayLoading: false })
      }
    },

    removeSlipwayImage: async (imageId) => {
      let error: WireError | null = null
      try {
        await call('images.remove', imageId)
      } catch (e) {
        error = toWireError(e)
      }
      await Promise.all([get().loadSlipwayImages(), get().loadImages()])
      return error
    },

    setImageFilter: (filter) => patch({ filter }),
    setImageCursor: (cursor) => patch({ cursor }),
    setImagesTab: (tab) => patch({ tab }),

    openImage: (image) => {
      const prev = get().images
      if (prev.open?.id === image.id && prev.job.status !== 'failed') return
      get().cancelIndex('main')
      get().cancelIndex('compare')
      tokens.compare++
      stopComparing(true)
      const kept = keptIndex(image.id)
      if (kept?.model) {
        // Opened before in this page: an image id names immutable content, so its index is the one
        // kept — shown at once, no job. (The image list still says when the image is gone.)
        const token = ++tokens.main
        const t0 = performance.now()
        const explorer = newExplorer(kept.model, prev.explorer)
        measure('slipway:explorer', t0)
        keep(kept)
        mainPacked = { imageId: kept.imageId, packed: kept.packed }
        const job: IndexJob = { status: 'ready', image: image.id, imageId: kept.imageId, cached: true }
        patch({ open: image, gone: false, mode: 'layers', job, index: kept.model.index, explorer, preview: null, compare: noComparison })
        warmInIdle(kept.model, () => tokens.main === token)
        return
      }
      patch({ open: image, gone: false, mode: 'layers', job: idle, index: null, explorer: null, preview: null, compare: noComparison })
      prewarmModelWorker()
      void start('main', image.id, false)
    },

    closeImage: () => {
      get().cancelIndex('main')
      get().cancelIndex('compare')
      tokens.main++
      tokens.compare++
      stopComparing(true)
      // Back on the table, the row of the image last shown (after a Swap: the other one) is the highlighted one.
      const open = get().images.open
      patch({ open: null, ...(open ? { cursor: open.id } : {}), gone: false, job: idle, index: null, explorer: null, preview: null, compare: noComparison, mode: 'layers' })
    },

    reindex: () => {
      const open = get().images.open
      if (!open) return
      const job = get().images.job
      const stale = new Set([open.id, ...(job.status === 'ready' || job.status === 'loading' ? [job.imageId] : [])])
      patch({ kept: get().images.kept.filter((k) => !stale.has(k.imageId)) })
      get().cancelIndex('main')
      stopComparing(false)
      patch({ gone: false, compare: { ...get().images.compare, result: null } })
      void start('main', open.id, true)
    },

    cancelIndex: (slot = 'main') => {
      const job = jobOf(slot)
      if (job.status !== 'running') return
      if (job.jobId === null) {
        // The host has not answered yet: forget the request; its answer is cancelled on arrival.
        tokens[slot]++
        setJob(slot, { status: 'failed', image: job.image, error: { name: ErrorName.Cancelled, message: 'Indexing was cancelled.' }, cancelled: true })
        return
      }
      setJob(slot, { ...job, cancelling: true })
      void call('layers.cancel', job.jobId).then(
        (found) => {
          // No such job any more: it finished meanwhile, and its own event says how.
          if (!found) setJob(slot, { ...job, cancelling: false })
        },
        (e) => {
          const now = jobOf(slot)
          if (now.status === 'running') setJob(slot, { ...now, cancelling: false })
          console.warn('Could not cancel indexing:', e)
        },
      )
    },

    setImageMode: (mode) => patch({ mode }),

    compareWith: (image) => {
      get().cancelIndex('compare')
      tokens.compare++
      stopComparing(false)
      const kept = image ? keptIndex(image.id) : undefined
      if (image && kept) {
        // Its index is here (an image id names immutable content): no job, no event, only the comparison.
        keep(kept)
        patch({ compare: { ...noComparison, image, job: { status: 'loading', image: image.id, imageId: kept.imageId, cached: true }, packed: kept.packed } })
        computeComparison()
        return
      }
      patch({ compare: { ...noComparison, image } })
      if (image) void start('compare', image.id, false)
    },

    swapCompare: () => {
      const { open, job, compare, explorer } = get().images
      const b = compare.job
      const result = compare.result
      const packedA = mainPacked?.packed
      const packedB = compare.packed
      if (!open || !compare.image) return
      if (job.status !== 'ready' || b.status !== 'ready' || !result || !packedA || !packedB) {
        // Nothing computed yet to turn round: open B and compare it with A (both from the index cache).
        const a = open
        get().openImage(compare.image)
        get().setImageMode('compare')
        get().compareWith(a)
        return
      }
      const keptB = keptIndex(b.imageId)?.model ?? null
      keep({ imageId: job.imageId, packed: packedA, model: keptIndex(job.imageId)?.model ?? explorer?.model ?? null })
      keep({ imageId: b.imageId, packed: packedB, model: keptB })
      tokens.main++
      tokens.compare++
      stopComparing(false)
      mainPacked = { imageId: b.imageId, packed: packedB }
      const token = tokens.main
      const explorerOf = (model: LayerModel) => ({ index: model.index, explorer: newExplorer(model, explorer) })
      // The table's highlighted row follows on the way back (closeImage): set now, the hidden table would render too.
      patch({
        open: compare.image,
        gone: false,
        job: { status: 'ready', image: b.image, imageId: b.imageId, cached: b.cached },
        // B's explorer at once when the page has it, else in the next task: the turned comparison paints first.
        ...(keptB ? explorerOf(keptB) : { index: null, explorer: null }),
        preview: null,
        compare: { image: open, job: { status: 'ready', image: job.image, imageId: job.imageId, cached: job.cached }, packed: packedA, result: swapComparison(result) },
      })
      if (keptB) return warmInIdle(keptB, () => tokens.main === token)
      // B's model from the model worker, asked for in the next task (its bytes are copied to the
      // worker): the turned comparison is on screen meanwhile.
      const later = () => (tokens.main === token ? modelOf(b.imageId, packedB) : new Promise<LayerModel>(() => undefined))
      new Promise<void>((r) => setTimeout(r, 0)).then(later).then(
        (model) => {
          if (tokens.main !== token) return
          patch(explorerOf(model))
          warmInIdle(model, () => tokens.main === token)
        },
        (e: unknown) => {
          if (tokens.main !== token) return
          setJob('main', { status: 'failed', image: b.image, error: { name: ErrorName.IndexMissing, message: 'The index could not be read.', detail: `${(e as Error).message} Index the image again.` }, cancelled: false })
        },
      )
    },

    selectLayer: (layer) => {
      const preview = get().images.preview
      // Chosen before the explorer is there: done once it is.
      if (!get().images.explorer && preview) return patch({ preview: { ...preview, pendingLayer: layer } })
      setExplorer((ex) => {
        if (layer === ex.layer || layer < 0 || layer >= ex.model.layerCount) return {}
        return rebuild(ex, { layer, view: ex.model.view(layer) })
      })
    },

    toggleNode: (node) => {
      const ex = get().images.explorer
      if (!ex) return
      const open = ex.filter ? ex.filterExpanded : ex.expanded
      get().setNodeOpen(node, !open?.[node])
    },

    setNodeOpen: (node, isOpen) =>
      setExplorer((ex) => {
        if (!ex.view.dir[node]) return {}
        const current = (ex.filter ? ex.filterExpanded : ex.expanded) ?? ex.expanded
        if (Boolean(current[node]) === isOpen) return {}
        const nextOpen = current.slice()
        nextOpen[node] = isOpen ? 1 : 0
        const next: Partial<Explorer> = ex.filter ? { filterExpanded: nextOpen } : { expanded: nextOpen }
        const row = ex.rows.node.indexOf(node)
        if (row < 0) return next
        const opts = rowOptions({ ...ex, ...next })
        return { ...next, rows: isOpen ? ex.model.expandRow(ex.rows, row, opts) : ex.model.collapseRow(ex.rows, row) }
      }),

    setTreeSort: (sort) => setExplorer((ex) => (sort === ex.sort ? {} : rebuild(ex, { sort }, true))),
    setTreeQuery: (query) => setExplorer((ex) => (query === ex.query ? {} : refilter(ex, { query }))),
    setChangesOnly: (changesOnly) => setExplorer((ex) => (changesOnly === ex.changesOnly ? {} : refilter(ex, { changesOnly }))),
    selectNode: (selected) => setExplorer((ex) => (selected === ex.selected ? {} : { selected })),

    revealNode: (node) =>
      setExplorer((ex) => {
        const layer = ex.model.layerShowing(node, ex.layer)
        const view = ex.model.view(layer)
        let { query, changesOnly } = ex
        const probe = ex.model.filter(view, { query, changesOnly })
        if (probe && !probe.include[node]) {
          query = ''
          changesOnly = false
        }
        const expanded = ex.expanded.slice()
        for (const a of ex.model.ancestors(node)) expanded[a] = 1
        const next = rebuild(ex, { layer, view, query, changesOnly, expanded, selected: node }, true)
        if (next.filterExpanded) {
          for (const a of ex.model.ancestors(node)) next.filterExpanded[a] = 1
          next.rows = ex.model.rows(rowOptions({ ...ex, ...next } as Explorer))
        }
        return { ...next, selected: node, reveal: ex.reveal + 1 }
      }),

    clickPreviewRow: (node) => {
      const preview = get().images.preview
      if (preview) patch({ preview: { ...preview, pending: node } })
    },

    collapseAll: () =>
      setExplorer((ex) => {
        const none = new Uint8Array(ex.model.n)
        const next: Partial<Explorer> = ex.filter ? { filterExpanded: none } : { expanded: none }
        return { ...next, rows: ex.model.rows(rowOptions({ ...ex, ...next })) }
      }),
  }
}

let reloadWanted = false
/** The open image's index as it arrived, for the comparison worker. */
let mainPacked: CompareInput | null = null
/** The comparison running in a worker, if any. */
let comparing: RunningComparison | null = null

/** Ends a comparison in progress; with `forgetMain`, the open image's index is no longer wanted either. */
function stopComparing(forgetMain: boolean): void {
  comparing?.cancel()
  comparing = null
  if (forgetMain) mainPacked = null
}
let layersHandler: ((ev: LayersEvent) => void) | null = null

/** What the row flattening needs from an explorer. */
export function rowOptions(ex: Pick<Explorer, 'view' | 'sort' | 'filter' | 'filterExpanded' | 'expanded'>): RowOptions {
  return { view: ex.view, sort: ex.sort, filter: ex.filter, expanded: (ex.filter ? ex.filterExpanded : ex.expanded) ?? ex.expanded }
}

/** The explorer for a loaded index, on its top layer, keeping the sort of the one before. */
function newExplorer(model: LayerModel, prev: Explorer | null): Explorer {
  const layer = Math.max(0, model.layerCount - 1)
  const view = model.view(layer)
  const expanded = new Uint8Array(model.n)
  const sort = prev?.sort ?? 'size'
  const rows = model.rows({ view, sort, expanded, filter: null })
  return { model, layer, view, sort, query: '', changesOnly: false, expanded, filter: null, filterExpanded: null, rows, selected: -1, reveal: 0 }
}

/** Records a User Timing measure from `start` to now (the benchmarks read them); returns now. */
function measure(name: string, start: number): number {
  const end = performance.now()
  performance.measure(name, { start, end })
  return end
}

/**
 * Runs the model's warm-up steps one per idle period, so the first search or layer switch does not
 * pay for them; stops when the index is no longer the one shown.
 */
function warmInIdle(model: LayerModel, current: () => boolean): void {
  const idle = (cb: () => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(cb, { timeout: 1000 }) : setTimeout(cb, 30)
  // The sorts and views come from the model worker (whenWarm): the page's steps only make strings, in slices.
  void whenWarm(model).then(() => {
    const steps = model.warmUp()
    const step = () => {
      if (!current()) return
      if (!steps.next().done) idle(step)
    }
    idle(step)
  })
}

/** Image events that change what `images.list` returns (a save, for one, does not). */
const LIST_ACTIONS = new Set(['pull', 'import', 'load', 'tag', 'untag', 'delete', 'prune', 'build', 'create', 'commit'])

/**
 * Subscribes the images slice to the host's events: layer jobs, and engine image events that change
 * the list (debounced). Returns the unsubscribers.
 */
export function subscribeImages(store: Pick<StoreApi<AppState>, 'getState' | 'subscribe'>): (() => void)[] {
  let timer: ReturnType<typeof setTimeout> | undefined
  const reload = (delay: number) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (store.getState().images.list !== null || store.getState().app.page === 'images') void store.getState().loadImages()
    }, delay)
  }
  const dispatch = (ev: LayersEvent) => layersHandler?.(ev)
  return [
    on('layers.progress', (payload) => dispatch({ kind: 'progress', payload })),
    on('layers.done', (payload) => dispatch({ kind: 'done', payload })),
    on('layers.failed', (payload) => dispatch({ kind: 'failed', payload })),
    on('engine.event', (e) => {
      if (e.type === 'image' && (LIST_ACTIONS.has(e.action) || e.action.startsWith('delete'))) reload(300)
      // A container made or removed changes whether its image is in use.
      else if (e.type === 'container' && (e.action === 'create' || e.action === 'destroy')) reload(300)
    }),
    // Back from an outage: what the engine holds may have changed meanwhile.
    store.subscribe((s, prev) => {
      if (s.engine.state?.status === 'connected' && prev.engine.state?.status !== 'connected') reload(0)
    }),
    () => clearTimeout(timer),
  ]
}
