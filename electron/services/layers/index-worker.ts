// The indexing worker: receives the save stream in chunks from the main thread, parses it with
// readImageArchive, posts progress and the finished index back, then writes the index to the cache
// (so serialising it never blocks the main thread). One worker per job; the main thread terminates
// it to cancel.
import { getHeapStatistics } from 'node:v8'
import { parentPort } from 'node:worker_threads'
import { toWireError } from '../../../shared/errors'
import { IndexCache } from './cache'
import { readImageArchive } from './save-archive'
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol'

const port = parentPort
if (!port) throw new Error('index-worker must run in a worker thread')

const queue: Uint8Array[] = []
let ended = false
let wake: (() => void) | undefined
let peakMemory = 0
let job: WorkerJob = {}

const post = (m: FromWorker) => port.postMessage(m)
const sampleMemory = () => {
  const h = getHeapStatistics()
  peakMemory = Math.max(peakMemory, h.used_heap_size + h.external_memory)
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'job') job = m.job
  else if (m.type === 'chunk') queue.push(m.data)
  else ended = true
  wake?.()
})

async function* chunks(): AsyncIterable<Uint8Array> {
  for (;;) {
    const next = queue.shift()
    if (next) {
      post({ type: 'ack' })
      yield next
      continue
    }
    if (ended) return
    await new Promise<void>((r) => (wake = r))
    wake = undefined
  }
}

let sampled = 0
readImageArchive(chunks(), {
  onChunk: () => {
    if (++sampled % 8 === 0) sampleMemory()
  },
  onProgress: (p) => post({ type: 'progress', ...p }),
}).then(
  async (index) => {
    sampleMemory()
    if (job.imageId) index.imageId = job.imageId
    if (index.repoTags.length === 0 && job.repoTags) index.repoTags = job.repoTags
    post({ type: 'done', index, peakMemory })
    if (!job.cache) return
    const t0 = performance.now()
    try {
      await new IndexCache(job.cache.dir, job.cache.maxBytes).put(index)
      post({ type: 'cached', ms: performance.now() - t0 })
    } catch (err) {
      post({ type: 'cached', ms: performance.now() - t0, error: (err as Error).message })
    }
  },
  (err: unknown) => post({ type: 'error', error: toWireError(err) }),
)
