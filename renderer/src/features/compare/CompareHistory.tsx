import { Spinner, Text } from '@radix-ui/themes'
import { History } from 'lucide-react'
import { formatRelativeTime } from '../../../../shared/format'
import type { CompareResult } from '../../../../shared/types/build'
import { useNow } from '../../hooks/use-now'
import { historyLine } from './compare-model'

const when = (t: number) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })

/**
 * Earlier comparisons of this project, newest first. Picking one sets today's numbers against it
 * (deltas in the table, a marker in the chart); picking it again clears that.
 */
export function CompareHistory({
  results,
  loading,
  error,
  shownId,
  baselineId,
  label,
  onPick,
}: {
  results: CompareResult[] | null
  loading: boolean
  error: string | null
  shownId: string | null
  baselineId: string | null
  label: (base: string) => string
  onPick: (jobId: string | null) => void
}) {
  const now = useNow(30_000)
  const earlier = (results ?? []).filter((r) => r.jobId !== shownId)
  return (
    <section className="cmp-history" aria-labelledby="cmp-history-title" data-testid="compare-history">
      <header className="cmp-section-head">
        <History size={14} aria-hidden className="cmp-section-icon" />
        <Text as="div" size="2" weight="medium" id="cmp-history-title">
          Earlier comparisons
        </Text>
        <Text size="1" color="gray">
          {earlier.length > 0 ? 'Pick one to set today’s numbers against it' : ''}
        </Text>
        {loading && <Spinner size="1" />}
      </header>
      {error && (
        <Text as="p" size="1" color="red" className="cmp-history-empty" role="alert">
          The history could not be read: {error}
        </Text>
      )}
      {earlier.length === 0 ? (
        <Text as="p" size="1" color="gray" className="cmp-history-empty">
          {results === null ? 'Reading the history…' : 'None yet: each comparison you run is kept here, so later sizes can be set against it.'}
        </Text>
      ) : (
        <ul className="cmp-history-list">
          {earlier.map((r) => {
            const on = r.jobId === baselineId
            return (
              <li key={r.jobId}>
                <button type="button" className="cmp-history-item" aria-pressed={on} onClick={() => onPick(on ? null : r.jobId)} data-testid="compare-history-item">
                  <span className="cmp-history-when tabular" title={new Date(r.finishedAt).toLocaleString()}>
                    {when(r.finishedAt)}
                  </span>
                  <span className="cmp-history-ago tabular">{formatRelativeTime(r.finishedAt, now)}</span>
                  <span className="cmp-history-what">{historyLine(r, label)}</span>
                  <span className="cmp-history-bases">{r.rows.map((x) => label(x.base)).join(' · ')}</span>
                  <span className="cmp-history-state">{on ? 'Comparing against' : ''}</span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
