// Streams a connection opened and must not outlive it: a browser page that is closed or reloaded
// never sends its stack.unfollow, so the host ends what that page still follows when its socket
// goes away (the service's cap of live streams is only the last line of defence).
import type { Handlers } from '../../shared/contract'
import type { RpcResponse } from '../../shared/rpc'

/** The follow streams of one connection. */
export class ConnectionStreams {
  private readonly open = new Set<string>()

  constructor(private readonly handlers: Pick<Handlers, 'stack.unfollow'>) {}

  /** Notes what a request and its answer opened (stack.follow) or closed (stack.unfollow). */
  track(method: unknown, args: unknown, res: RpcResponse): void {
    if ('error' in res && res.error) return
    if (method === 'stack.follow') {
      const streamId = (res as { result?: { streamId?: unknown } }).result?.streamId
      if (typeof streamId === 'string') this.open.add(streamId)
    } else if (method === 'stack.unfollow' && Array.isArray(args) && typeof args[0] === 'string') this.open.delete(args[0])
  }

  /** Ends every stream still open (the connection went away); the number ended. */
  close(): number {
    const ids = [...this.open]
    this.open.clear()
    for (const id of ids) {
      try {
        void Promise.resolve(this.handlers['stack.unfollow'](id)).catch(() => undefined)
      } catch {
        // already gone
      }
    }
    return ids.length
  }
}
