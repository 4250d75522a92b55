// A worker module and the page's client in one process, joined as a DOM Worker joins two threads:
// each message crosses as a structured clone with its transfer list, in a later task. The hooks see
// each message once it has crossed (its transferred buffers are empty on the sender's side by then),
// with the bytes its transfer list carried.

interface Hooks<Req, Reply> {
  fromPage?: (m: Req, transfer: ArrayBuffer[], bytesMoved: number) => void
  fromWorker?: (m: Reply, transfer: ArrayBuffer[], bytesMoved: number) => void
}

/** Loads the worker module (`load`) into this process and installs a `Worker` class that talks to it. */
export async function inProcessWorker<Req, Reply>(load: () => Promise<unknown>, hooks: Hooks<Req, Reply> = {}): Promise<void> {
  const g = globalThis as unknown as {
    Worker?: unknown
    onmessage?: (e: { data: Req }) => void
    postMessage?: (m: Reply, transfer?: ArrayBuffer[]) => void
  }
  let page: ((e: { data: Reply }) => void) | null = null
  g.postMessage = (m, transfer = []) => {
    const bytes = byteSum(transfer)
    const data = structuredClone(m, { transfer })
    hooks.fromWorker?.(m, transfer, bytes)
    setTimeout(() => page?.({ data }), 0)
  }
  await load()
  g.Worker = class {
    onerror: unknown = null
    set onmessage(f: (e: { data: Reply }) => void) {
      page = f
    }
    postMessage(m: Req, transfer: ArrayBuffer[] = []) {
      const bytes = byteSum(transfer)
      const data = structuredClone(m, { transfer })
      hooks.fromPage?.(m, transfer, bytes)
      setTimeout(() => g.onmessage?.({ data }), 0)
    }
    terminate() {}
  }
}

const byteSum = (buffers: ArrayBuffer[]) => buffers.reduce((n, b) => n + b.byteLength, 0)
