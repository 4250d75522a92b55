import { useState } from 'react'
import type { PreflightFinding } from '../../../../shared/types/build'
import { useApp } from '../../stores'
import { makeAndPoint, offersOf, type OfferMaking } from '../../stores/make-offers'
import { PreflightNotice } from '../build/PreflightNotice'

/**
 * The app image Up would build cannot be: its base or builder is not here and cannot be pulled. Said
 * before Up, with the build view's offer: make it from Debian packages (or use the one made here),
 * point Settings at it, and propose the stack again.
 */
export function StackMakeOffer({ dir, refused }: { dir: string; refused: PreflightFinding[] }) {
  const [making, setMaking] = useState<OfferMaking | null>(null)
  const onMake = async () => {
    const offers = offersOf(refused)
    if (offers.length === 0 || (making && !making.error)) return
    const jobId = crypto.randomUUID()
    const mine = (f: (m: OfferMaking) => OfferMaking | null) => setMaking((m) => (m?.jobId === jobId ? f(m) : m))
    setMaking({ jobId, progress: null, cancelling: false, error: null })
    const outcome = await makeAndPoint(jobId, offers, (progress) => mine((m) => ({ ...m, progress })))
    if (outcome.end === 'cancelled') return mine(() => null)
    if (outcome.end === 'failed') return mine((m) => ({ ...m, cancelling: false, error: outcome.error }))
    if (outcome.settings) useApp.getState().adoptSettings(outcome.settings)
    mine(() => null)
    // The new proposal builds on the made image: nothing is refused any more.
    await useApp.getState().proposeStack(dir)
  }
  const onCancel = () => {
    if (!making || making.cancelling || making.error) return
    setMaking({ ...making, cancelling: true })
    void useApp.getState().cancelMakeBasesJob(making.jobId)
  }
  return (
    <div data-testid="stack-make-offer">
      <PreflightNotice findings={refused} title="Up would stop before it starts anything" then="up" making={making} onMake={() => void onMake()} onCancelMake={onCancel} />
    </div>
  )
}
