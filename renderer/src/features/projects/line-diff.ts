// A line diff for the Diff tab and the save dialog: what is on disk against what Slipway would
// write, as unified rows with line numbers, long unchanged runs folded away.
import { diffArrays } from 'diff'
import { splitLines } from './dockerfile-tokens'

export type DiffRow =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'del'; text: string; oldLine: number }
  | { kind: 'add'; text: string; newLine: number }
  /** Unchanged lines folded away: `count` lines starting at these line numbers. */
  | { kind: 'skip'; count: number; oldLine: number; newLine: number }

export interface LineDiff {
  rows: DiffRow[]
  added: number
  removed: number
  /** Byte for byte the same: saving would change nothing. */
  identical: boolean
  /** Differences the rows cannot show: line endings, the final newline. */
  notes: string[]
}

/**
 * Compares `before` (on disk; null when the file does not exist) with `after`. Unchanged runs
 * longer than twice `context` are folded into a `skip` row, keeping `context` lines around each
 * change; `context: Infinity` shows every line. CRLF line endings on disk are compared as LF and
 * reported in `notes`, so a Windows checkout does not show every line as changed.
 */
export function lineDiff(before: string | null, after: string, context = 3): LineDiff {
  const crlf = before !== null && before.includes('\r\n')
  const old = splitLines((before ?? '').replace(/\r\n/g, '\n'))
  const next = splitLines(after)
  const notes: string[] = []
  if (crlf) notes.push('The file on disk uses Windows (CRLF) line endings; Slipway writes LF.')
  if (before !== null && before !== '' && after !== '' && before.endsWith('\n') !== after.endsWith('\n'))
    notes.push(after.endsWith('\n') ? 'The file on disk does not end with a newline; the new one does.' : 'The new file does not end with a newline.')

  const all: DiffRow[] = []
  let o = 1
  let n = 1
  let added = 0
  let removed = 0
  for (const change of diffArrays(old, next)) {
    for (const text of change.value) {
      if (change.added) {
        all.push({ kind: 'add', text, newLine: n++ })
        added++
      } else if (change.removed) {
        all.push({ kind: 'del', text, oldLine: o++ })
        removed++
      } else all.push({ kind: 'same', text, oldLine: o++, newLine: n++ })
    }
  }
  return { rows: fold(all, context), added, removed, identical: before === after, notes }
}

function fold(rows: DiffRow[], context: number): DiffRow[] {
  if (!Number.isFinite(context)) return rows
  const out: DiffRow[] = []
  let i = 0
  while (i < rows.length) {
    const row = rows[i] as DiffRow
    if (row.kind !== 'same') {
      out.push(row)
      i++
      continue
    }
    let j = i
    while (j < rows.length && rows[j]?.kind === 'same') j++
    const run = rows.slice(i, j)
    const keepBefore = i === 0 ? 0 : context
    const keepAfter = j === rows.length ? 0 : context
    if (run.length > keepBefore + keepAfter + 1) {
      out.push(...run.slice(0, keepBefore))
      const first = run[keepBefore] as Extract<DiffRow, { kind: 'same' }>
      out.push({ kind: 'skip', count: run.length - keepBefore - keepAfter, oldLine: first.oldLine, newLine: first.newLine })
      out.push(...run.slice(run.length - keepAfter))
    } else out.push(...run)
    i = j
  }
  return out
}
