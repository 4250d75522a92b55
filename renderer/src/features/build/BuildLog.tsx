import { IconButton, Select, Text, TextField } from '@radix-ui/themes'
import { ArrowDownToLine, ChevronDown, ChevronUp, Search, X } from 'lucide-react'
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { BuildStep } from '../../../../shared/types/build'
import { CopyButton } from '../../components/CopyButton'
import { ansiSpans } from './ansi'
import { splitStepName } from './build-model'
import { foldCase, type LogBuffer } from './log-buffer'
import { useFixedRows } from './use-fixed-rows'

/** One log line's height: fixed, so 200,000 lines are a plain virtual list with no measuring. */
export const LOG_ROW_HEIGHT = 18

function highlight(text: string, query: string, current: boolean): ReactNode {
  // The search's own case folding: it keeps the length, so offsets in `lower` are offsets in `text`.
  const q = foldCase(query)
  const lower = foldCase(text)
  const out: ReactNode[] = []
  let at = 0
  for (let i = lower.indexOf(q); i >= 0 && q; i = lower.indexOf(q, i + q.length)) {
    if (i > at) out.push(text.slice(at, i))
    out.push(
      <mark key={i} className={current ? 'log-mark is-current' : 'log-mark'}>
        {text.slice(i, i + q.length)}
      </mark>,
    )
    at = i + q.length
  }
  out.push(text.slice(at))
  return out
}

const LogText = memo(function LogText({ raw }: { raw: string }) {
  const spans = ansiSpans(raw)
  if (spans.length === 1 && !spans[0]?.className && !spans[0]?.color) return <>{raw}</>
  return (
    <>
      {spans.map((s, i) => (
        <span key={i} className={s.className || undefined} style={s.color || s.background ? { color: s.color ?? undefined, background: s.background ?? undefined } : undefined}>
          {s.text}
        </span>
      ))}
    </>
  )
})

interface BuildLogProps {
  log: LogBuffer
  revision: number
  steps: readonly BuildStep[]
  /** Show only this step's lines; null for all. */
  filter: string | null
  onFilter: (stepId: string | null) => void
  joinedLate: boolean
  live: boolean
}

/** The build log: virtualised, ANSI colours, stderr tinted, filter by step, search with next/previous, copy. */
export function BuildLog({ log, revision, steps, filter, onFilter, joinedLate, live }: BuildLogProps) {
  const [query, setQuery] = useState('')
  const [cursor, setCursor] = useState(0)
  // Another query or filter starts again at the first match (state adjusted while rendering, as
  // React advises for a reset on a prop change, rather than in an effect).
  const searchKey = `${filter ?? ''}\n${query}`
  const [searched, setSearched] = useState(searchKey)
  if (searched !== searchKey) {
    setSearched(searchKey)
    setCursor(0)
  }
  const [follow, setFollow] = useState(true)
  const scrollRef = useRef<HTMLDivElement>(null)
  // `revision` is the signal that the mutable buffer grew.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { rows, matches, count } = useMemo(() => log.view(filter, query), [log, revision, filter, query])
  const stepIndex = useMemo(() => new Map(steps.map((s) => [s.id, s.index])), [steps])
  const logged = useMemo(() => steps.filter((s) => s.logLines > 0 || s.id === filter), [steps, filter])

  const win = useFixedRows(scrollRef, count, LOG_ROW_HEIGHT, 24)
  const { scrollToEnd } = win

  // Follow the end while the person has not scrolled away from it.
  useLayoutEffect(() => {
    if (follow) scrollToEnd()
  }, [count, follow, scrollToEnd])

  const current = matches.length > 0 ? Math.min(cursor, matches.length - 1) : -1
  const go = (to: number) => {
    if (matches.length === 0) return
    const next = (to + matches.length) % matches.length
    setCursor(next)
    setFollow(false)
    win.scrollToIndex(matches[next] as number)
  }

  // A new query (or filter) jumps to its first match; scrolling there also stops following the end.
  useEffect(() => {
    if (query && matches.length > 0) win.scrollToIndex(matches[0] as number)
    // Only when the query or filter changes, not when more matches stream in.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, filter])

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      go(e.shiftKey ? current - 1 : current + 1)
    } else if (e.key === 'Escape' && query) {
      // Esc clears the search first; the next Esc reaches the build view (cancel).
      e.stopPropagation()
      setQuery('')
    }
  }

  const onScroll = () => {
    win.sync()
    const el = scrollRef.current
    if (!el) return
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < LOG_ROW_HEIGHT
    if (atEnd !== follow) setFollow(atEnd)
  }

  const lowerQuery = foldCase(query)
  const items: number[] = []
  for (let i = win.first; i < win.last; i++) items.push(i)
  const gutter = 5
  return (
    <section className="build-log" aria-label="Build log">
      <div className="log-toolbar">
        <Select.Root size="1" value={filter ?? 'all'} onValueChange={(v) => onFilter(v === 'all' ? null : v)}>
          <Select.Trigger variant="ghost" color="gray" className="log-filter" aria-label="Show the log of" data-testid="log-filter" />
          <Select.Content position="popper">
            <Select.Item value="all">All steps</Select.Item>
            {logged.map((s) => (
              <Select.Item key={s.id} value={s.id}>
                #{s.index} {splitStepName(s.name).text.slice(0, 60)}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
        <Text size="1" color="gray" className="tabular log-count" data-testid="log-count">
          {count.toLocaleString('en-US')} {count === 1 ? 'line' : 'lines'}
        </Text>
        <TextField.Root
          size="1"
          className="log-search"
          placeholder="Search the log"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            if (e.target.value) setFollow(false)
          }}
          onKeyDown={onSearchKey}
          aria-label="Search the log"
          spellCheck={false}
          data-testid="log-search"
        >
          <TextField.Slot>
            <Search size={13} aria-hidden />
          </TextField.Slot>
          <TextField.Slot className="log-search-slot">
            {query && (
              <Text size="1" color="gray" className="tabular log-match-count" data-testid="log-matches">
                {matches.length === 0 ? 'none' : `${current + 1} of ${matches.length.toLocaleString('en-US')}`}
              </Text>
            )}
          </TextField.Slot>
        </TextField.Root>
        <IconButton size="1" variant="ghost" color="gray" aria-label="Previous match (Shift+Enter)" disabled={matches.length === 0} onClick={() => go(current - 1)}>
          <ChevronUp size={14} aria-hidden />
        </IconButton>
        <IconButton size="1" variant="ghost" color="gray" aria-label="Next match (Enter)" disabled={matches.length === 0} onClick={() => go(current + 1)} data-testid="log-next">
          <ChevronDown size={14} aria-hidden />
        </IconButton>
        {query && (
          <IconButton size="1" variant="ghost" color="gray" aria-label="Clear the search" onClick={() => setQuery('')}>
            <X size={14} aria-hidden />
          </IconButton>
        )}
        <CopyButton text={() => log.text(rows)} label={filter ? 'Copy this step’s log' : 'Copy the whole log'} testId="log-copy" />
      </div>
      {(joinedLate || log.dropped > 0) && (
        <div className="log-note">
          {log.dropped > 0
            ? `The first ${log.dropped.toLocaleString('en-US')} lines are left out to keep the view fast; Copy takes what is shown.`
            : 'Joined while the build was running: earlier lines are not shown.'}
        </div>
      )}
      <div className="log-frame">
        <div ref={scrollRef} className="log-scroll selectable" onScroll={onScroll} tabIndex={0} role="log" aria-label="Build output" aria-live="off" data-testid="build-log">
          <div className="log-inner" style={{ height: win.total, width: `calc(${log.widest + gutter + 2}ch + 24px)` }}>
            {items.map((index) => {
              const r = rows ? (rows[index] as number) : index
              const raw = log.raw[r] ?? ''
              const stepId = log.step[r] ?? null
              const isMatch = query !== '' && foldCase(log.plain[r] ?? '').includes(lowerQuery)
              return (
                <div
                  key={index}
                  className="log-row"
                  data-stderr={log.stderr[r] ? '' : undefined}
                  style={{ transform: `translateY(${index * LOG_ROW_HEIGHT}px)` }}
                  data-testid="log-row"
                >
                  <span className="log-gutter tabular" aria-hidden>
                    {stepId ? `#${stepIndex.get(stepId) ?? ''}` : ''}
                  </span>
                  <span className="log-text">{isMatch ? highlight(log.plain[r] ?? '', query, matches[current] === index) : <LogText raw={raw} />}</span>
                </div>
              )
            })}
          </div>
          {count === 0 && (
            <div className="log-empty">
              <Text size="1" color="gray">
                {live ? 'Waiting for output…' : filter ? 'This step wrote nothing.' : 'No output.'}
              </Text>
            </div>
          )}
        </div>
        {!follow && count > 0 && (
          <button type="button" className="log-jump" onClick={() => setFollow(true)} data-testid="log-jump">
            <ArrowDownToLine size={13} aria-hidden />
            {live ? 'Follow the end' : 'Jump to the end'}
          </button>
        )}
      </div>
    </section>
  )
}
