// Runs the archive reader in a worker thread and feeds it any Readable (the engine's save stream, a
// file, a test's rewritten archive), so parsing and the tree math never block the main thread.
import type { Readable } from 'node:stream'
import type { Worker } from 'node:worker_threads'
import { SlipwayError, type WireError } from '../../../shared/errors'
import type { LayerIndex } from '../../../shared/layers/types'
import { indexCancelled, streamTruncated } from './errors'
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol'
import { startWorker as startWorkerModule, workerModuleUrl } from '../worker-start'

export interface IndexStreamOptions {
  signal?: AbortSignal
  onProgress?: (p: { bytesRead: number; layersDone: number }) => void
  /** Where the worker script is; defaults to index-worker next to this module (.ts from sources, .js when built). */
  workerUrl?: URL
  /** What to call the image in a cancellation message. */
  label?: string
  /** Id/tag overrides and the cache the worker writes the index to (after returning it). */
  job?: WorkerJob
}

export interface IndexStreamResult {
  index: LayerIndex
  /** Peak of the worker's V8 heap plus external memory, sampled while reading. */
  peakWorkerMemory: number
  bytesRead: number
  /** When the first byte arrived, in ms after the call: how long the engine took to start sending. */
  firstByteMs: number
  /** How long the worker was busy (event-loop active time): the indexing cost itself. */
  workerBusyMs: number
  /** Settles when the worker has written the cache (at once when none was asked for); never rejects. */
  cached: Promise<{ ms: number; error?: string }>
}

/** Bytes batched per message to the worker: fewer, larger messages cost less than one per socket read. */
const BATCH = 1 << 20
/** Batches in flight before the source is paused. */
const WINDOW = 16

/**
 * Indexes an image archive streamed from `source` in a worker thread. Rejects with a SlipwayError;
 * on abort the source is destroyed and the worker terminated (nothing is written to disk).
 */
export function indexStream(source: Readable, opts: IndexStreamOptions = {}): Promise<IndexStreamResult> {
  return new Promise<IndexStreamResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      source.destroy()
      reject(indexCancelled(opts.label ?? 'the image'))
      return
    }
    const started = performance.now()
    const worker = takeWorker(opts.workerUrl)
    const elu = worker.performance.eventLoopUtilization()
    let firstByteMs = -1
    let settledAlready = false
    let cacheDone: (r: { ms: number; error?: string }) => void = () => undefined
    const cached = new Promise<{ ms: number; error?: string }>((r) => (cacheDone = r))
    let inFlight = 0
    let bytesRead = 0
    let batch = new Uint8Array(BATCH)
    let filled = 0

    const finish = (err: Error | undefined, result?: IndexStreamResult) => {
      if (settledAlready) return
      settledAlready = true
      opts.signal?.removeEventListener('abort', onAbort)
      source.off('data', onData)
      source.off('end', onEnd)
      source.off('error', onSourceError)
      source.on('error', () => undefined)
      if (err) source.destroy()
      // After a successful index the worker still writes the cache; it is ended when that is done.
      if (err || !opts.job?.cache) {
        void worker.terminate()
        cacheDone({ ms: 0, ...(err ? { error: err.message } : {}) })
      }
      if (err) reject(err)
      else resolve(result as IndexStreamResult)
    }
    const send = (m: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer)
    const flush = () => {
      if (!filled) return
      const data = filled === BATCH ? batch : batch.slice(0, filled)
      send({ type: 'chunk', data }, [data.buffer as ArrayBuffer])
      inFlight++
      batch = new Uint8Array(BATCH)
      filled = 0
      if (inFlight >= WINDOW) source.pause()
    }
    const onData = (chunk: Buffer) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - started
      bytesRead += chunk.byteLength
      let offset = 0
      while (offset < chunk.byteLength) {
        const n = Math.min(BATCH - filled, chunk.byteLength - offset)
        batch.set(chunk.subarray(offset, offset + n), filled)
        filled += n
        offset += n
        if (filled === BATCH) flush()
      }
    }
    const onEnd = () => {
      flush()
      send({ type: 'end' })
    }
    const onSourceError = (err: Error) =>
      finish(err instanceof SlipwayError ? err : streamTruncated(`Reading the image stream failed after ${bytesRead.toLocaleString('en-US')} bytes: ${err.message}.`))
    const onAbort = () => finish(indexCancelled(opts.label ?? 'the image'))

    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ack') {
        inFlight--
        if (inFlight < WINDOW && source.isPaused()) source.resume()
      } else if (m.type === 'progress') opts.onProgress?.({ bytesRead: m.bytesRead, layersDone: m.layersDone })
      else if (m.type === 'done') {
        const workerBusyMs = worker.performance.eventLoopUtilization(elu).active
        finish(undefined, { index: m.index, peakWorkerMemory: m.peakMemory, bytesRead, firstByteMs, workerBusyMs, cached })
      } else if (m.type === 'cached') {
        cacheDone({ ms: m.ms, ...(m.error ? { error: m.error } : {}) })
        void worker.terminate()
      } else finish(fromWire(m.error))
    })
    worker.on('error', (err) => {
      cacheDone({ ms: 0, error: err.message })
      finish(new SlipwayError('IndexerFailed', 'The layer indexer stopped unexpectedly.', err.message))
    })
    worker.on('exit', (code) => {
      cacheDone({ ms: 0, error: `The worker exited with code ${code}.` })
      finish(new SlipwayError('IndexerFailed', 'The layer indexer stopped unexpectedly.', `The worker exited with code ${code}.`))
    })
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    send({ type: 'job', job: opts.job ?? {} })
    source.on('data', onData)
    source.on('end', onEnd)
    source.on('error', onSourceError)
  })
}

function fromWire(e: WireError): SlipwayError {
  return new SlipwayError(e.name, e.message, e.detail)
}

let spare: { worker: Worker; href: string; dead: boolean } | undefined

/**
 * Starts an idle indexing worker now, so the next job does not wait for one (starting a worker and
 * loading the parser takes a good part of a second, more from the TypeScript sources). The spare does
 * not keep the process alive.
 */
export function prewarmIndexer(url?: URL): void {
  const target = url ?? defaultWorkerUrl()
  if (spare && !spare.dead && spare.href === target.href) return
  const worker = startWorker(target)
  const entry = { worker, href: target.href, dead: false }
  worker.once('exit', () => (entry.dead = true))
  worker.once('error', () => (entry.dead = true))
  worker.unref()
  spare = entry
}

/** The spare worker if one is ready (and a new spare behind it), else a fresh one. */
function takeWorker(url?: URL): Worker {
  const target = url ?? defaultWorkerUrl()
  const s = spare
  if (s && !s.dead && s.href === target.href) {
    spare = undefined
    s.worker.ref()
    prewarmIndexer(target)
    return s.worker
  }
  return startWorker(target)
}

function startWorker(target: URL): Worker {
  return startWorkerModule(target, { maxOldGenerationSizeMb: 2048 })
}

function defaultWorkerUrl(): URL {
  return workerModuleUrl('index-worker', import.meta.url)
}
