import { secondsUntil } from '../../../../shared/format'
import { useNow } from '../../hooks/use-now'

/** "Retrying in 3s", counting down live; "Retrying…" once the attempt is due. */
export function RetryCountdown({ at }: { at: number }) {
  const now = useNow(250)
  const s = secondsUntil(at, now)
  return <span className="tabular countdown">{s > 0 ? `Retrying in ${s}s` : 'Retrying…'}</span>
}
