// A build's log as the renderer keeps it: append-only arrays rather than an immutable list, because
// a chatty build writes 200,000 lines and copying the list for every chunk would be quadratic.
// The store bumps a revision number on each append so the views that read it re-render.
import type { LogStream } from '../../../../shared/types/build'

/** Lines kept per build; past this the oldest are dropped in blocks (the end is where errors are). */
export const MAX_LOG_LINES = 500_000
const DROP_BLOCK = 50_000

// SGR and other CSI sequences, plus the OSC (title, hyperlink) sequences some tools print.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g

/** A line without its escape sequences (the same string when it has none, so no copy is made). */
export function stripAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ANSI, '') : line
}

/** What a log view shows: the buffer rows (null: all of them) and the positions, among those, that match a search. */
export interface LogView {
  rows: number[] | null
  matches: number[]
  count: number
}

interface ViewCache {
  dropped: number
  filter: string | null
  query: string
  scanned: number
  rows: number[] | null
  matches: number[]
}

/** One build's log: raw lines (with colours), their plain text, the step that wrote each and its stream. */
export class LogBuffer {
  readonly raw: string[] = []
  readonly plain: string[] = []
  readonly step: (string | null)[] = []
  readonly stderr: boolean[] = []
  /** Lines dropped from the front to stay under MAX_LOG_LINES. */
  dropped = 0
  /** The longest plain line so far, in characters: the log's scroll width. */
  widest = 0

  private cache: ViewCache | null = null

  get length(): number {
    return this.raw.length
  }

  /** Appends lines written by one step (null: the builder itself) to one stream. */
  append(stepId: string | null, stream: LogStream, lines: readonly string[]): void {
    const err = stream === 'stderr'
    for (const line of lines) {
      // A carriage return redraws the line in a terminal; what stays visible is the text after the last one.
      const trimmed = line.includes('\r') ? line.replace(/\r+$/, '') : line
      const shown = trimmed.includes('\r') ? trimmed.slice(trimmed.lastIndexOf('\r') + 1) : trimmed
      const plain = stripAnsi(shown)
      this.raw.push(shown)
      this.plain.push(plain)
      this.step.push(stepId)
      this.stderr.push(err)
      if (plain.length > this.widest) this.widest = Math.min(plain.length, 2000)
    }
    if (this.raw.length > MAX_LOG_LINES) {
      const n = this.raw.length - MAX_LOG_LINES + DROP_BLOCK
      this.raw.splice(0, n)
      this.plain.splice(0, n)
      this.step.splice(0, n)
      this.stderr.splice(0, n)
      this.dropped += n
    }
  }

  /** The plain text of the given lines (all when `rows` is null), one per line, for the clipboard. */
  text(rows: readonly number[] | null): string {
    if (rows === null) return this.plain.join('\n')
    const out: string[] = []
    for (const r of rows) out.push(this.plain[r] ?? '')
    return out.join('\n')
  }

  /**
   * The rows a step filter shows and the positions a search finds among them. Extended as the log
   * grows rather than rescanned (the buffer only appends; a drop from the front starts over), so a
   * search stays cheap while 200,000 lines stream in.
   */
  view(filter: string | null, query: string): LogView {
    let c = this.cache
    const q = query.toLowerCase()
    if (c && c.dropped === this.dropped && c.filter === filter && c.query !== query && c.query !== '' && q.includes(c.query.toLowerCase())) {
      // The query grew (the next keystroke): its matches are among the previous ones, so only those are
      // checked again, not every line; the lines since are scanned below.
      const prev = c
      const matches = prev.matches.filter((pos) => (this.plain[prev.rows ? (prev.rows[pos] as number) : pos] as string).toLowerCase().includes(q))
      c = { ...prev, query, matches }
      this.cache = c
    } else if (!c || c.dropped !== this.dropped || c.filter !== filter || c.query !== query) {
      c = { dropped: this.dropped, filter, query, scanned: 0, rows: filter === null ? null : [], matches: [] }
      this.cache = c
    }
    for (let i = c.scanned; i < this.raw.length; i++) {
      if (c.rows && this.step[i] !== filter) continue
      const pos = c.rows ? c.rows.push(i) - 1 : i
      if (q && (this.plain[i] as string).toLowerCase().includes(q)) c.matches.push(pos)
    }
    c.scanned = this.raw.length
    return { rows: c.rows, matches: c.matches, count: c.rows ? c.rows.length : this.raw.length }
  }
}
