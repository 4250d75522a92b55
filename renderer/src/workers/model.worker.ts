// Makes the explorer's model of a packed index off the page's main thread (model-client.ts) and posts
// the unpacked index and the model's arrays back transferred, so the page's part is putting them together.
// Then, on a copy it kept, it makes the model's warm-up sorts and views (name order, the lower layers'
// views, size order: hundreds of ms at 100,000 paths) and posts them too; a new request goes first.
import { bareIndex, textBuffers } from '../../../shared/layers/text-column'
import { LayerModel } from '../features/images/layer-model'
import { buffersOf, copyArrays, makeModel, type ModelReply, type ModelRequest } from './model-client'

const scope = globalThis as unknown as {
  onmessage: ((e: { data: ModelRequest }) => void) | null
  postMessage: (m: ModelReply, transfer?: ArrayBuffer[]) => void
}

/** Models whose warm-up parts are still to make, oldest first. */
const toWarm: { req: number; model: LayerModel; sent: Set<number> }[] = []

scope.onmessage = (e) => {
  const { req, bytes } = e.data
  const t0 = performance.now()
  try {
    const { model, text } = makeModel(bytes)
    const parts = model.parts()
    // What is transferred leaves this thread: the warm-up works on a copy of the arrays.
    const kept = new LayerModel(copyArrays(model.index), copyArrays(parts))
    // The strings apart, as one text per column: the page slices a name when it shows it.
    const index = bareIndex(model.index)
    scope.postMessage({ req, ok: true, index, text, parts, took: performance.now() - t0 }, [...buffersOf([index, parts]), ...textBuffers(text)])
    toWarm.push({ req, model: kept, sent: new Set(parts.views.map((v) => v.layer)) })
    // In a later task, so a request already waiting is answered first.
    if (toWarm.length === 1) setTimeout(warmNext, 0)
  } catch (err) {
    scope.postMessage({ req, ok: false, message: err instanceof Error ? err.message : String(err) })
  }
}

function warmNext(): void {
  const job = toWarm.shift()
  if (!job) return
  try {
    const warm = job.model.warmParts(job.sent)
    scope.postMessage({ req: job.req, warm }, buffersOf(warm))
  } catch {
    scope.postMessage({ req: job.req, warm: null })
  }
  if (toWarm.length) setTimeout(warmNext, 0)
}
