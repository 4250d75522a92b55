// Accepting "make it locally": make the bases a refused build or comparison offered (one bases.make
// job), then point Settings at each, as Settings → Bases made here → Use does. One path for the
// build view and the Compare view.
import { pointAtImage, type MakeOffer } from '../../../shared/debian/stand-ins'
import type { BasesProgress } from '../../../shared/debian/types'
import { toWireError, type WireError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import type { PreflightFinding } from '../../../shared/types/build'
import { call, on } from '../api/client'

/** Making the offered bases, as a view shows it. */
export interface OfferMaking {
  /** The bases.make job (named before anything is asked). */
  jobId: string
  progress: BasesProgress | null
  cancelling: boolean
  /** Why making (or pointing Settings at) the bases failed; the offer stays to try again. */
  error: WireError | null
}

export type OfferOutcome = { end: 'done'; settings: Settings | null } | { end: 'cancelled' } | { end: 'failed'; error: WireError }

/** The offers of refused findings, when every blocking finding has one (else the offer would not be enough). */
export function offersOf(findings: readonly PreflightFinding[]): MakeOffer[] {
  const blocking = findings.filter((f) => f.level === 'blocking')
  const offers = blocking.flatMap((f) => (f.make ? [f.make] : []))
  return offers.length > 0 && offers.length === blocking.length ? offers : []
}

/**
 * Makes the offers' bases that are not made yet under `jobId` (progress to `onProgress`), then points
 * Settings at every offer's image. Resolves with the saved settings, or how it ended otherwise.
 */
export async function makeAndPoint(jobId: string, offers: readonly MakeOffer[], onProgress: (p: BasesProgress) => void): Promise<OfferOutcome> {
  const ids = [...new Set(offers.filter((o) => !o.present).map((o) => o.base))]
  if (ids.length > 0) {
    const offs: (() => void)[] = []
    const ended = new Promise<{ error: WireError; cancelled: boolean } | null>((resolve) => {
      offs.push(on('bases.progress', (p) => p.jobId === jobId && onProgress(p)))
      offs.push(on('bases.done', (d) => d.jobId === jobId && resolve(null)))
      offs.push(on('bases.failed', (f) => f.jobId === jobId && resolve({ error: f.error, cancelled: f.cancelled })))
    })
    try {
      await call('bases.make', jobId, ids)
      const failed = await ended
      if (failed) return failed.cancelled ? { end: 'cancelled' } : { end: 'failed', error: failed.error }
    } catch (e) {
      return { end: 'failed', error: toWireError(e) }
    } finally {
      offs.forEach((off) => off())
    }
  }
  try {
    let settings: Settings | null = null
    for (const o of offers) {
      const current = await call('settings.get')
      settings = await call('settings.update', pointAtImage(current.settings.customBases, o.target, o.image))
    }
    return { end: 'done', settings }
  } catch (e) {
    return { end: 'failed', error: toWireError(e) }
  }
}

/** A view's refused state, which shows the making of its offer while it runs. */
interface Refused {
  making?: OfferMaking | null
}

/**
 * Accepts a refused view's offers under `jobId`: the making shows in the view's state (`view.put`),
 * progress and all, for as long as `view.current()` still holds this attempt (a new Build or a
 * dismiss replaces it, and then nothing here touches the view). A cancel puts the offer back as it
 * was; a failure stays on screen with the offer to try again; both refresh the made bases
 * (`ended`). Done: the saved settings go to `adopt`. Resolves true when the refused work should
 * start again now (done, and the view still shows this attempt).
 */
export async function acceptOffers<P extends Refused>(
  refused: P,
  offers: readonly MakeOffer[],
  jobId: string,
  view: { current: () => P | null; put: (state: P) => void },
  store: { adopt: (settings: Settings) => void; ended: () => void },
): Promise<boolean> {
  const setMaking = (f: (m: OfferMaking) => OfferMaking | null) => {
    const state = view.current()
    if (state?.making) view.put({ ...state, making: f(state.making) })
  }
  view.put({ ...refused, making: { jobId, progress: null, cancelling: false, error: null } })
  const outcome = await makeAndPoint(jobId, offers, (progress) => setMaking((m) => ({ ...m, progress })))
  if (outcome.end !== 'done') {
    store.ended()
    setMaking((m) => (outcome.end === 'cancelled' ? null : { ...m, cancelling: false, error: outcome.error }))
    return false
  }
  if (outcome.settings) store.adopt(outcome.settings)
  else store.ended()
  return view.current() !== null
}

/** What acceptOffers needs of the store: Settings → Bases made here's own adoptSettings and list. */
export function offerStore(get: () => { adoptSettings: (settings: Settings) => void; madeBases: { list: unknown }; loadMadeBases: () => Promise<void> }) {
  return {
    adopt: (settings: Settings) => get().adoptSettings(settings),
    ended: () => {
      if (get().madeBases.list) void get().loadMadeBases()
    },
  }
}
