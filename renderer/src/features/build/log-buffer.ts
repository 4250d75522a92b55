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
  rows: Int32Array | null
  matches: Int32Array
  count: number
}

/**
 * A growing list of row numbers in a typed array: a step filter or a search over 200,000 lines
 * collects up to that many, and pushing them onto a plain array costs tens of milliseconds where
 * this costs well under one.
 */
class IntList {
  data = new Int32Array(1024)
  length = 0

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }

  /** The numbers so far (a view, not a copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length)
  }
}

interface ViewCache {
  dropped: number
  filter: string | null
  query: string
  scanned: number
  rows: IntList | null
  matches: IntList
}

/** Lines per block of the search index. */
const BLOCK = 4096

/**
 * A sealed block of the search index: the lowercased plain text of BLOCK lines joined by "\n", and
 * where each line starts in it. One indexOf over a block finds a query in thousands of lines
 * without lowercasing or visiting each of them again.
 */
interface SearchBlock {
  /** The buffer row of the block's first line. */
  first: number
  text: string
  /** starts[k]: offset of line k in `text`; starts[BLOCK]: the text's length + 1. */
  starts: Int32Array
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
  /** The search index: sealed blocks of BLOCK lines from row 0 on (the lines after the last full block are searched one by one). */
  private blocks: SearchBlock[] = []

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
      // Row numbers moved: the index is made again.
      this.blocks = []
    }
    // Each block is indexed as soon as it is full (about a millisecond, spread over the build), so the
    // first search does not pay for the whole log at once.
    this.seal()
  }

  /** The plain text of the given lines (all when `rows` is null), one per line, for the clipboard. */
  text(rows: ArrayLike<number> | null): string {
    if (rows === null) return this.plain.join('\n')
    const out: string[] = []
    for (let i = 0; i < rows.length; i++) out.push(this.plain[rows[i] as number] ?? '')
    return out.join('\n')
  }

  /**
   * The rows a step filter shows and the positions a search finds among them. Extended as the log
   * grows rather than rescanned (the buffer only appends; a drop from the front starts over), so a
   * search stays cheap while 200,000 lines stream in.
   */
  view(filter: string | null, query: string): LogView {
    let c = this.cache
    if (!c || c.dropped !== this.dropped || c.filter !== filter || c.query !== query) {
      c = { dropped: this.dropped, filter, query, scanned: 0, rows: filter === null ? null : new IntList(), matches: new IntList() }
      this.cache = c
    }
    const from = c.scanned
    const to = this.raw.length
    const rows = c.rows
    if (rows) for (let i = from; i < to; i++) if (this.step[i] === filter) rows.push(i)
    if (query) {
      const matches = c.matches
      if (!rows) this.find(foldCase(query), from, to, (row) => matches.push(row))
      else {
        // A match's position among the filtered rows: they are sorted, and so are the matches.
        const shown = rows.view()
        let pos = lowerBound(shown, from)
        this.find(foldCase(query), from, to, (row) => {
          if (this.step[row] !== filter) return
          pos = lowerBound(shown, row, pos)
          matches.push(pos)
        })
      }
    }
    c.scanned = to
    return { rows: rows ? rows.view() : null, matches: c.matches.view(), count: rows ? rows.length : to }
  }

  /** Calls `hit` with each row in [from, to) whose plain text contains `q` (lowercase), in order. */
  private find(q: string, from: number, to: number, hit: (row: number) => void): void {
    let row = from
    if (!q.includes('\n')) {
      for (let b = Math.floor(from / BLOCK); b < this.blocks.length && row < to; b++) {
        const block = this.blocks[b] as SearchBlock
        const startLine = row - block.first
        const endLine = Math.min(to - block.first, BLOCK)
        const limit = (block.starts[endLine] as number) - 1
        let line = startLine
        for (let at = block.text.indexOf(q, block.starts[startLine]); at >= 0 && at < limit; ) {
          // Hits come in order: walk forward to the line that holds this one (cheaper than a search when hits are dense).
          while ((block.starts[line + 1] as number) <= at) line++
          hit(block.first + line)
          at = block.text.indexOf(q, block.starts[line + 1])
        }
        row = block.first + endLine
      }
    }
    // Lines not in a sealed block yet (the last few thousand while a build writes).
    for (; row < to; row++) if (foldCase(this.plain[row] as string).includes(q)) hit(row)
  }

  /** Seals every full block of lines not in the index yet. */
  private seal(): void {
    for (let first = this.blocks.length * BLOCK; first + BLOCK <= this.plain.length; first += BLOCK) {
      const lines = this.plain.slice(first, first + BLOCK)
      const starts = new Int32Array(BLOCK + 1)
      let at = 0
      for (let k = 0; k < BLOCK; k++) {
        starts[k] = at
        at += (lines[k] as string).length + 1
      }
      starts[BLOCK] = at
      this.blocks.push({ first, text: foldCase(lines.join('\n')), starts })
    }
  }
}

/**
 * Lowercase that keeps the length, so offsets into a block's text stay those of its lines: the few
 * letters whose lowercase is longer (e.g. "İ") are left as they are.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase()
  if (lower.length === text.length) return lower
  let out = ''
  for (const ch of text) {
    const l = ch.toLowerCase()
    out += l.length === ch.length ? l : ch
  }
  return out
}

/** The first index in the sorted `a` (from `lo` on) whose value is >= `v`. */
function lowerBound(a: ArrayLike<number>, v: number, lo = 0): number {
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((a[mid] as number) < v) lo = mid + 1
    else hi = mid
  }
  return lo
}
