// A virtual window over rows of one fixed height: which rows to draw is arithmetic on the scroll
// position, so a log of 200,000 (or 500,000) lines costs the same as one of 50 — no per-row
// measurements to rebuild when the count changes, and a jump (to the end, to a match) is drawn in
// the same frame that moves the scroll position.
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react'

export interface FixedRows {
  /** First row to draw (inclusive) and the row after the last. */
  first: number
  last: number
  /** The scroll content's height. */
  total: number
  /** Call from the scroll element's onScroll. */
  sync: () => void
  /** Scrolls row `index` to the middle of the view (or its top/bottom edge). */
  scrollToIndex: (index: number, align?: 'center' | 'start' | 'end') => void
  /** Scrolls to the end. */
  scrollToEnd: () => void
}

export function useFixedRows(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): FixedRows {
  const [view, setView] = useState({ top: 0, height: 0 })
  const last = useRef(view)
  const sync = useCallback(() => {
    const el = ref.current
    if (!el) return
    const next = { top: el.scrollTop, height: el.clientHeight }
    if (next.top !== last.current.top || next.height !== last.current.height) {
      last.current = next
      setView(next)
    }
  }, [ref])

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    sync()
    const ro = new ResizeObserver(sync)
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref, sync])

  const scrollToIndex = useCallback(
    (index: number, align: 'center' | 'start' | 'end' = 'center') => {
      const el = ref.current
      if (!el) return
      const top = index * rowHeight
      el.scrollTop = align === 'start' ? top : align === 'end' ? top + rowHeight - el.clientHeight : top - (el.clientHeight - rowHeight) / 2
      sync()
    },
    [ref, rowHeight, sync],
  )
  const scrollToEnd = useCallback(() => {
    const el = ref.current
    if (!el) return
    el.scrollTop = el.scrollHeight
    sync()
  }, [ref, sync])

  const first = Math.max(0, Math.min(count, Math.floor(view.top / rowHeight) - overscan))
  const end = Math.max(first, Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan))
  return { first, last: end, total: count * rowHeight, sync, scrollToIndex, scrollToEnd }
}
