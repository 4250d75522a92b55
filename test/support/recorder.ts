// Records every event a service emits, and waits for one that matches: real events from real
// services, no mocks.
import type { EventName, Events } from '../../shared/contract'

/** Records every event an Engine emits, and waits for one that matches. */
export class Recorder {
  readonly seen: { event: EventName; payload: unknown }[] = []
  private waiters: { test: (e: EventName, p: unknown) => boolean; resolve: () => void }[] = []
  /** The Emit function to hand to a service. */
  readonly emit = <E extends EventName>(event: E, payload: Events[E]) => {
    this.seen.push({ event, payload })
    this.waiters = this.waiters.filter((w) => (w.test(event, payload) ? (w.resolve(), false) : true))
  }
  /** Resolves with the wait in ms when a matching event arrives. */
  waitFor<E extends EventName>(event: E, test: (p: Events[E]) => boolean, timeoutMs: number): Promise<number> {
    const t0 = Date.now()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({
        test: (e, p) => e === event && test(p as Events[E]),
        resolve: () => {
          clearTimeout(timer)
          resolve(Date.now() - t0)
        },
      })
    })
  }
}

/** The payloads of every `event` seen so far. */
export function payloads<E extends EventName>(rec: Recorder, event: E): Events[E][] {
  return rec.seen.filter((e) => e.event === event).map((e) => e.payload as Events[E])
}
