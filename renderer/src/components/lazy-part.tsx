import { use, type ComponentType } from 'react'

/** The pauses before each further try of a chunk whose fetch failed. */
const RETRY_MS = [250, 1000, 3000]

const pause = (ms: number) => new Promise<void>((r) => window.setTimeout(r, ms))

async function withRetries<M>(load: () => Promise<M>): Promise<M> {
  for (let i = 0; ; i++) {
    try {
      return await load()
    } catch (e) {
      const wait = RETRY_MS[i]
      if (wait === undefined) throw e
      await pause(wait)
    }
  }
}

/** The parts whose chunk failed to arrive: each forgets its failure when asked to try again. */
const failed = new Set<() => void>()

/** Lets every part whose chunk failed to arrive fetch it afresh when next shown (an error boundary's "Try again"). */
export function retryFailedParts(): void {
  for (const forget of failed) forget()
  failed.clear()
}

/**
 * A part of the UI in a chunk of its own (a page, a view), shown inside Suspense and an error
 * boundary. With `preload` its chunk is requested at once, so it is there before anyone clicks.
 *
 * Unlike React.lazy, a failed fetch is not kept for the rest of the session: it is tried again a few
 * times, and when that fails too the error reaches the boundary, whose "Try again" fetches afresh
 * (`retryFailedParts`). The failure is kept until then: React renders a part again when the promise it
 * waited on rejects, and a new fetch at that point would retry forever instead of saying so.
 * In browser mode a network change on the host (Docker adding a bridge for a stack does it) aborts
 * loads in flight with net::ERR_NETWORK_CHANGED; a page must not stay broken until a reload for that.
 */
export function lazyPart<M, P extends object>(load: () => Promise<M>, pick: (m: M) => ComponentType<P>, { preload = false } = {}): ComponentType<P> {
  let pending: Promise<M> | null = null
  // Once here, the module is used as it is: use() would suspend once more on a promise React has not
  // seen yet, even a settled one (a fallback and a second render on the part's first showing).
  let loaded: M | undefined
  const get = (): Promise<M> =>
    (pending ??= withRetries(load).then(
      (m) => (loaded = m),
      (e: unknown) => {
        failed.add(() => (pending = null))
        throw e
      },
    ))
  // The failure of a preload is seen where the part is shown, not as an unhandled rejection.
  if (preload) get().catch(() => undefined)
  function LazyPart(props: P) {
    const Part = pick(loaded ?? use(get()))
    return <Part {...props} />
  }
  return LazyPart
}
