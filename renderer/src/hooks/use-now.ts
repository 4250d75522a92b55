import { useEffect, useState } from 'react'

/**
 * The current time (epoch ms), re-read every `intervalMs` while `active`. Components that show a
 * countdown or "5s ago" use it; when inactive it stops ticking so idle screens cost nothing.
 */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const tick = () => setNow(Date.now())
    // Catch up at once after a pause, then keep ticking.
    const first = window.setTimeout(tick, 0)
    const every = window.setInterval(tick, intervalMs)
    return () => {
      window.clearTimeout(first)
      window.clearInterval(every)
    }
  }, [intervalMs, active])
  return now
}
