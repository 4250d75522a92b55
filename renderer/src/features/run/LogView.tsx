import { useVirtualizer } from '@tanstack/react-virtual'
import Anser from 'anser'
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { RunLogLine } from '../../../../shared/types/build'

const ROW = 18

/** One line, with its ANSI colours as theme colours (so they stay readable in light and dark). */
const Line = memo(function Line({ text }: { text: string }) {
  if (!text.includes('\u001b')) return <>{text}</>
  const parts = Anser.ansiToJson(text, { use_classes: true, remove_empty: true })
  return (
    <>
      {parts.map((p, i) => (
        <span key={i} className={[p.fg && `log-${p.fg}`, p.decorations?.includes('bold') && 'log-bold'].filter(Boolean).join(' ') || undefined}>
          {p.content}
        </span>
      ))}
    </>
  )
})

/** A line as the view shows it; `tag` (a service name in a stack's merged log) is drawn in `tagColour` (a Radix colour name). */
export interface LogViewLine extends RunLogLine {
  tag?: string
  tagColour?: string
}

/**
 * A container's output (or a stack's, merged and tagged by service): virtualised (tens of thousands
 * of lines stay smooth), stderr marked, and following the end while the person is at the bottom —
 * scrolling up stops following.
 */
export function LogView({
  lines,
  dropped,
  empty,
  label = 'Container output',
  testId = 'run-log',
}: {
  lines: readonly LogViewLine[]
  dropped: number
  empty: string
  label?: string
  testId?: string
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const [follow, setFollow] = useState(true)
  // The virtualiser is read fresh on every render, which is what the compiler warns about; it is meant to be.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 30 })

  useLayoutEffect(() => {
    if (follow && lines.length) v.scrollToIndex(lines.length - 1, { align: 'end' })
  }, [follow, lines.length, v])

  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const onScroll = () => setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2)
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [])

  return (
    <div className="log-view">
      <div ref={scroller} className="log-scroll selectable" role="log" aria-label={label} tabIndex={0} data-testid={testId}>
        {dropped > 0 && <div className="log-dropped">{dropped.toLocaleString('en-US')} earlier lines not shown</div>}
        {lines.length === 0 ? (
          <div className="log-empty">{empty}</div>
        ) : (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((row) => {
              const l = lines[row.index] as LogViewLine
              return (
                <div key={row.key} className="log-line" data-stream={l.stream} style={{ transform: `translateY(${row.start}px)` }}>
                  {l.tag !== undefined && (
                    <span className="log-tag" style={{ color: `var(--${l.tagColour ?? 'gray'}-11)` }}>
                      {l.tag}
                    </span>
                  )}
                  <Line text={l.line} />
                </div>
              )
            })}
          </div>
        )}
      </div>
      {!follow && lines.length > 0 && (
        <button type="button" className="log-follow" onClick={() => setFollow(true)}>
          Follow the end ↓
        </button>
      )}
    </div>
  )
}
