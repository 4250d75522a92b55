import type { Emit, EventName, Events } from '../../shared/contract'
import type { RpcEvent } from '../../shared/rpc'

type Listener = (e: RpcEvent) => void

/** Fans service events out to every connected front end, whichever transport it uses. */
export class EventHub {
  private readonly listeners = new Set<Listener>()

  /** The `emit` function handed to services. */
  readonly emit: Emit = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const l of this.listeners) l({ event, payload })
  }

  /** Subscribes a transport; returns the unsubscribe function. */
  subscribe(l: Listener): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
}
