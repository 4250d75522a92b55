// Makes the explorer's model of a packed index off the page's main thread (model-client.ts) and posts
// the unpacked index and the model's arrays back transferred, so the page's part is putting them together.
import { buffersOf, makeModel, type ModelReply, type ModelRequest } from './model-client'

const scope = globalThis as unknown as {
  onmessage: ((e: { data: ModelRequest }) => void) | null
  postMessage: (m: ModelReply, transfer?: ArrayBuffer[]) => void
}

scope.onmessage = (e) => {
  const { req, bytes } = e.data
  try {
    const model = makeModel(bytes)
    const parts = model.parts()
    scope.postMessage({ req, ok: true, index: model.index, parts }, buffersOf([model.index, parts]))
  } catch (err) {
    scope.postMessage({ req, ok: false, message: err instanceof Error ? err.message : String(err) })
  }
}
