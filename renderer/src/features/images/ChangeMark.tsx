import { MARK_ADDED, MARK_MODIFIED, MARK_REMOVED } from './layer-model'

/** How each change reads: a symbol, a word for screen readers and tooltips, and a tone for the colour. */
export const MARKS = {
  [MARK_ADDED]: { symbol: '+', word: 'added', tone: 'added' },
  [MARK_MODIFIED]: { symbol: '~', word: 'modified', tone: 'modified' },
  [MARK_REMOVED]: { symbol: '−', word: 'removed', tone: 'removed' },
} as const

/** A change symbol (+ ~ −) in its colour, never colour alone. */
export function ChangeMark({ mark }: { mark: number }) {
  const m = MARKS[mark as keyof typeof MARKS]
  if (!m) return <span className="change-mark" />
  return (
    <span className="change-mark" data-tone={m.tone} role="img" aria-label={m.word} title={m.word}>
      {m.symbol}
    </span>
  )
}

/** `+12 ~3 −1`: a layer's added, modified and removed files; zeros are left quiet. */
export function ChangeCounts({ added, modified, removed }: { added: number; modified: number; removed: number }) {
  const part = (n: number, tone: string, symbol: string, word: string) => (
    <span className="count" data-tone={n > 0 ? tone : undefined} aria-label={`${n.toLocaleString('en-US')} ${word}`} title={`${n.toLocaleString('en-US')} ${word}`}>
      {symbol}
      {n.toLocaleString('en-US')}
    </span>
  )
  return (
    <span className="change-counts tabular">
      {part(added, 'added', '+', 'added')}
      {part(modified, 'modified', '~', 'modified')}
      {part(removed, 'removed', '−', 'removed')}
    </span>
  )
}
