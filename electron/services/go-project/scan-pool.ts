import type { Worker } from 'node:worker_threads'
import { startWorker, workerModuleUrl } from '../worker-start'
import { unpackResults, type FileScanJob, type FileScanResult, type PackedResults } from './file-scan'

/** A batch of files for a scan worker. */
export interface ScanRequest {
  id: number
  jobs: FileScanJob[]
  maxBytes: number
}

/** A scan worker's answer to one batch: the results packed (packResults). */
export type ScanReply = { id: number; results: PackedResults } | { id: number; error: string }

interface Slot {
  worker: Worker | null
  pending: number
}

/**
 * Scan workers (go-scan-worker.ts), started at the first batch and kept: reads and lexing of a big
 * project run on them in parallel. A worker holds the process open only while it has work. A batch
 * whose worker fails is rejected (the caller scans it itself) and the worker is started again at
 * the next batch.
 */
export class ScanPool {
  private readonly slots: Slot[]
  private readonly waiting = new Map<number, { slot: Slot; resolve: (r: FileScanResult[]) => void; reject: (e: Error) => void }>()
  private nextId = 1
  /** Batches answered so far. */
  answered = 0

  constructor(
    private readonly url: URL,
    size: number,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, pending: 0 }))
  }

  /** Scans `jobs` on the least busy worker. */
  run(jobs: FileScanJob[], maxBytes: number): Promise<FileScanResult[]> {
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a))
    const worker = slot.worker ?? this.start(slot)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { slot, resolve, reject })
      if (slot.pending++ === 0) worker.ref()
      worker.postMessage({ id, jobs, maxBytes } satisfies ScanRequest)
    })
  }

  /** Ends every worker (a later batch starts them again). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker?.terminate()))
  }

  private start(slot: Slot): Worker {
    const worker = startWorker(this.url)
    slot.worker = worker
    worker.unref()
    worker.on('message', (m: ScanReply) => {
      const w = this.waiting.get(m.id)
      if (!w) return
      this.waiting.delete(m.id)
      this.settled(slot)
      if ('error' in m) w.reject(new Error(m.error))
      else {
        this.answered++
        w.resolve(unpackResults(m.results))
      }
    })
    const fail = (err: Error) => {
      if (slot.worker !== worker) return
      slot.worker = null
      slot.pending = 0
      for (const [id, w] of this.waiting)
        if (w.slot === slot) {
          this.waiting.delete(id)
          w.reject(err)
        }
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`The scan worker exited with code ${code}.`)))
    return worker
  }

  private settled(slot: Slot) {
    if (--slot.pending === 0) slot.worker?.unref()
  }
}

let shared: ScanPool | undefined

/**
 * The process's scan pool (two workers: this machine class has two cores, and the walk keeps the
 * service's thread busy too), started lazily by the first batch and kept.
 */
export function sharedScanPool(): ScanPool {
  shared ??= new ScanPool(workerModuleUrl('go-scan-worker', import.meta.url), 2)
  return shared
}
