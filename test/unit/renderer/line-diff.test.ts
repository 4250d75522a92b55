import { describe, expect, it } from 'vitest'
import { lineDiff, type DiffRow } from '../../../renderer/src/features/projects/line-diff'

const kinds = (rows: DiffRow[]) => rows.map((r) => (r.kind === 'skip' ? `skip${r.count}` : `${r.kind === 'same' ? ' ' : r.kind === 'add' ? '+' : '-'}${r.text}`))
const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`)

describe('lineDiff', () => {
  it('lists removed lines before added ones, with both line numbers', () => {
    const d = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n')
    expect(kinds(d.rows)).toEqual([' a', '-b', '+B', ' c', '+d'])
    expect(d.rows[1]).toEqual({ kind: 'del', text: 'b', oldLine: 2 })
    expect(d.rows[2]).toEqual({ kind: 'add', text: 'B', newLine: 2 })
    expect(d.rows[4]).toEqual({ kind: 'add', text: 'd', newLine: 4 })
    expect([d.added, d.removed, d.identical]).toEqual([2, 1, false])
  })

  it('folds long unchanged runs, keeping the context around each change', () => {
    const before = `${lines(20).join('\n')}\n`
    const after = before.replace('line 10\n', 'line ten\n')
    const d = lineDiff(before, after, 2)
    expect(kinds(d.rows)).toEqual(['skip7', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', 'skip8'])
    expect(d.rows[0]).toEqual({ kind: 'skip', count: 7, oldLine: 1, newLine: 1 })
    // A run just one longer than the context on both sides is shown, not folded into "1 line".
    expect(kinds(lineDiff('a\nb\nc\nd\ne\n', 'x\nb\nc\nd\ny\n', 1).rows)).toEqual(['-a', '+x', ' b', ' c', ' d', '-e', '+y'])
    expect(lineDiff(before, after, Infinity).rows).toHaveLength(21)
  })

  it('treats a missing file as empty and says when nothing changes', () => {
    const d = lineDiff(null, 'a\n')
    expect(kinds(d.rows)).toEqual(['+a'])
    expect(d.identical).toBe(false)
    const same = lineDiff('a\nb\n', 'a\nb\n')
    expect(same.identical).toBe(true)
    expect([same.added, same.removed]).toEqual([0, 0])
    expect(same.notes).toEqual([])
  })

  it('compares CRLF files as LF and says so; notes a missing final newline', () => {
    const d = lineDiff('a\r\nb\r\n', 'a\nb\n')
    expect([d.added, d.removed, d.identical]).toEqual([0, 0, false])
    expect(d.notes[0]).toContain('CRLF')
    const eol = lineDiff('a\nb', 'a\nb\n')
    expect([eol.added, eol.removed]).toEqual([0, 0])
    expect(eol.notes).toEqual(['The file on disk does not end with a newline; the new one does.'])
  })
})
