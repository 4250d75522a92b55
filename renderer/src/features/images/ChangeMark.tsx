import { MARK_ADDED, MARK_MODIFIED, MARK_REMOVED, MARK_TEXT, type MarkCounts } from '../../../../shared/layers/marks'
import { formatInt } from '../../../../shared/format'

/** How each change reads: a symbol, a word for screen readers and tooltips, and a tone for the colour. */
export const MARKS = {
  [MARK_ADDED]: { ...MARK_TEXT[MARK_ADDED], tone: 'added' },
  [MARK_MODIFIED]: { ...MARK_TEXT[MARK_MODIFIED], tone: 'modified' },
  [MARK_REMOVED]: { ...MARK_TEXT[MARK_REMOVED], tone: 'removed' },
} as const

/** A change symbol (+ ~ −) in its colour, never colour alone. */
export function ChangeMark({ mark, title }: { mark: number; title?: string }) {
  const m = MARKS[mark as keyof typeof MARKS]
  if (!m) return <span className="change-mark" />
  return (
    <span className="change-mark" data-tone={m.tone} role="img" aria-label={title ?? m.word} title={title ?? m.word}>
      {m.symbol}
    </span>
  )
}

/** "3 modified (2 folders, by their contents)": what a count holds. */
function countTitle(n: number, folders: number, word: string): string {
  const all = `${formatInt(n)} ${n === 1 ? 'path' : 'paths'} ${word}`
  if (folders === 0) return all
  if (folders === n) return `${all} (${n === 1 ? 'a folder' : 'all folders'})`
  return `${all} (${formatInt(folders)} ${folders === 1 ? 'folder' : 'folders'})`
}

/**
 * `+12 ~3 −1`: the paths a layer adds, modifies and removes, files and folders alike, with the same
 * marks the tree shows (shared/layers/marks.ts); zeros are left quiet.
 */
export function ChangeCounts({ counts }: { counts: MarkCounts }) {
  const part = (n: number, folders: number, tone: string, symbol: string, word: string) => (
    <span className="count" data-tone={n > 0 ? tone : undefined} aria-label={countTitle(n, folders, word)} title={countTitle(n, folders, word)}>
      {symbol}
      {formatInt(n)}
    </span>
  )
  return (
    <span className="change-counts tabular" data-testid="change-counts">
      {part(counts.added, counts.folders.added, 'added', '+', 'added')}
      {part(counts.modified, counts.folders.modified, 'modified', '~', 'modified')}
      {part(counts.removed, counts.folders.removed, 'removed', '−', 'removed')}
    </span>
  )
}

/** What the marks mean, shown with the tree (light and dark use the same tones as the marks). */
export function MarkLegend() {
  return (
    <div className="mark-legend" aria-label="Change marks" role="note" data-testid="mark-legend">
      {([MARK_ADDED, MARK_MODIFIED, MARK_REMOVED] as const).map((m) => (
        <span key={m} className="mark-legend-item">
          <span className="change-mark" data-tone={MARKS[m].tone} aria-hidden="true">
            {MARKS[m].symbol}
          </span>
          {MARKS[m].word}
        </span>
      ))}
      <span className="mark-legend-note">in this layer · a folder by its contents</span>
    </div>
  )
}
