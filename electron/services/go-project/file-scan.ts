/**
 * One .go file, read and scanned: the step the analysis runs for every file of a project, on the
 * service's thread or in a scan worker (go-scan-worker.ts). Plain data in, plain data out, so the
 * two give the same answer.
 */
import { isUtf8 } from 'node:buffer'
import { quickHeader } from '../../../shared/go/go-header'
import { emptyScan, scanGoFile, scanGoHeader } from '../../../shared/go/go-source'
import { scanLevel, type ScanLevel } from '../../../shared/go/scan-level'
import type { GoFileScan } from '../../../shared/go/scan-types'
import type { Notice } from '../../../shared/types/project'
import type { FsPath } from './project-fs'

/** What to do with a file: `auto` reads its header and decides (a main package in full, others by scanLevel). */
export type ScanMode = 'auto' | 'decls' | 'full'

/** One file to scan. */
export interface FileScanJob {
  rel: string
  abs: FsPath
  mode: ScanMode
}

/** A notice about one file, with the key that says it was already given (so a rescan does not repeat it). */
export interface FileNotice {
  key: string | null
  notice: Notice
}

/** What scanning one file found. */
export interface FileScanResult {
  rel: string
  /** Null when the file could not be read, or the scanner failed (a notice says so). */
  scan: GoFileScan | null
  /** For `auto` on a non-main file: how much of it is worth scanning if its package is built. */
  level?: ScanLevel
  notices: FileNotice[]
}

/** Reads up to `max` bytes from the start of a file (the bytes may be reused by the next call). */
export type ReadHead = (path: FsPath, max: number) => Buffer

/** How far into an oversized `package main` file `func main()` is looked for. */
const MAIN_SEARCH_BYTES = 16 * 1024 * 1024
/** Header scans decode this much of a file first: the package clause and imports are nearly always within it. */
const HEAD_BYTES = 8 * 1024

/**
 * Reads and scans one file. `auto` decodes only the start of the file for the header (the whole
 * file when the imports run past it), tells the scan level from the bytes read as Latin-1 (its
 * triggers are ASCII, and that decoding is a copy: searching the bytes themselves was slower in a
 * profile of the 50k bench), and scans a `package main` file in full. Never throws.
 */
export function scanSourceFile(read: ReadHead, job: FileScanJob, maxBytes: number): FileScanResult {
  const { rel, abs } = job
  const notices: FileNotice[] = []
  const out: FileScanResult = { rel, scan: null, notices }
  let bytes: Buffer
  try {
    bytes = read(abs, maxBytes + 1)
  } catch (e) {
    notices.push({
      key: null,
      notice: {
        code: 'unreadable',
        severity: 'warning',
        message: `Cannot read ${rel} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
        detail: 'Slipway skipped it. `docker build` will fail to send it as part of the build context too: fix its permissions or list it in .dockerignore.',
        evidence: [{ file: rel, line: 1 }],
      },
    })
    return out
  }
  const truncated = bytes.length > maxBytes
  if (truncated) notices.push({ key: `t:${rel}`, notice: truncatedNotice(rel, maxBytes) })
  const head = bytes.subarray(0, maxBytes)
  const hasNul = head.includes(0)
  // A cut in the middle of a multi-byte character is not the file's fault.
  if ((!truncated && !isUtf8(head)) || hasNul)
    notices.push({
      key: `b:${rel}`,
      notice: {
        code: 'not-go-source',
        severity: 'warning',
        message: `${rel} is not Go source text (${hasNul ? 'it contains NUL bytes' : 'it is not valid UTF-8'}).`,
        detail: 'The Go compiler refuses it, so a build of its package fails. Delete it, rename it (not .go), or move it out of the project.',
        evidence: [{ file: rel, line: 1 }],
      },
    })
  try {
    if (job.mode !== 'auto') {
      out.scan = scanGoFile(rel, head.toString('utf8'), { declsOnly: job.mode === 'decls' })
      return out
    }
    const h = headerScan(rel, head)
    let scan = h.scan
    if (scan.packageName === 'main') {
      scan = scanGoFile(rel, h.text ?? head.toString('utf8'))
      // The compiler reads the whole file: a `func main()` past the part analysed still makes a program.
      if (!scan.hasMain && truncated && mainPastHead(read, abs, maxBytes)) scan = { ...scan, hasMain: true }
    } else out.level = scanLevel(scan, h.text ?? head.toString('latin1'))
    out.scan = scan
  } catch (e) {
    // The scanner is built never to throw; if it does anyway, one file must not sink the analysis.
    notices.push({ key: null, notice: scanFailed(rel, e) })
  }
  return out
}

/**
 * The header scan, from the first HEAD_BYTES when the imports end within them (the lexer stops at
 * the first declaration after them), else from the whole text; `binary` is told from all the bytes.
 * A plain header is read without the lexer (quickHeader), any other by the scanner. The whole text
 * comes back when it was decoded, so it is not decoded again.
 */
function headerScan(rel: string, head: Buffer): { scan: GoFileScan; text: string | null } {
  if (head.length > HEAD_BYTES) {
    const part = head.subarray(0, HEAD_BYTES).toString('utf8')
    const { scan, endLine } = quickHeader(rel, part) ?? scanGoHeader(rel, part)
    // Stopped on a token on a line before the part's last (which may be cut mid-word or mid-character).
    if (scan.headerComplete && endLine > 0 && endLine < countLines(part)) {
      scan.binary = head.includes(0)
      return { scan, text: null }
    }
  }
  const text = head.toString('utf8')
  return { scan: (quickHeader(rel, text) ?? scanGoHeader(rel, text)).scan, text }
}

function countLines(s: string): number {
  let n = 1
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++
  return n
}

/**
 * Whether a `package main` file longer than the analysis cap declares `func main()` past it: a
 * byte search over at most MAIN_SEARCH_BYTES (a declaration in a comment or string would fool it,
 * which is the side to err on: the build then says what is wrong).
 */
function mainPastHead(read: ReadHead, abs: FsPath, maxBytes: number): boolean {
  try {
    const all = read(abs, MAIN_SEARCH_BYTES)
    return /(?:^|[\s;}])func\s+main\s*\(\s*\)/.test(all.subarray(Math.max(0, maxBytes - 64)).toString('latin1'))
  } catch {
    return false
  }
}

/** What FolderScanner.push returns while a folder goes on (shared: never written to). */
const NO_RESULTS: readonly FileScanResult[] = Object.freeze([])

/**
 * Scans files in the order the walk found them (a folder's files come together), keeping the
 * current folder's bytes in one reused buffer until the folder ends. When one of its files is worth
 * a full scan (scan level 'full'), the folder's other files get the scan the closure would ask of
 * them — declarations, or in full for 'calls' — from the bytes at hand, instead of being opened
 * again (opening a file costs more than scanning it: ~10–20 µs here). Results of a folder come out
 * when it ends (push of another folder's file, or flush).
 */
export class FolderScanner {
  private dir: string | null = null
  private group: { result: FileScanResult; at: number; length: number }[] = []
  private hot = false
  private arena = Buffer.allocUnsafe(256 * 1024)
  private used = 0

  constructor(
    private readonly read: ReadHead,
    private readonly maxBytes: number,
  ) {}

  /** Scans one `auto` job; returns the results of the folder it ended, if any. */
  push(job: FileScanJob): readonly FileScanResult[] {
    const slash = job.rel.lastIndexOf('/')
    const dir = slash < 0 ? '.' : job.rel.slice(0, slash)
    const ended = dir === this.dir ? NO_RESULTS : this.flush()
    this.dir = dir
    let head: Buffer | null = null
    const result = scanSourceFile(
      (path, max) => {
        const bytes = this.read(path, max)
        head ??= bytes
        return bytes
      },
      job,
      this.maxBytes,
    )
    const bytes = head as Buffer | null
    if (result.level === undefined || bytes === null) return [...ended, result]
    else {
      const length = Math.min(bytes.length, this.maxBytes)
      if (this.used + length > this.arena.length) {
        const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + length))
        this.arena.copy(grown, 0, 0, this.used)
        this.arena = grown
      }
      bytes.copy(this.arena, this.used, 0, length)
      this.group.push({ result, at: this.used, length })
      this.used += length
      if (result.level === 'full') this.hot = true
    }
    return ended
  }

  /** Ends the current folder: its results, scanned further when one of its files asked for it. */
  flush(): FileScanResult[] {
    const out: FileScanResult[] = []
    for (const g of this.group) {
      const r = g.result
      if (this.hot && r.scan !== null) {
        try {
          r.scan = scanGoFile(r.rel, this.arena.toString('utf8', g.at, g.at + g.length), { declsOnly: r.level === 'decls' })
        } catch (e) {
          r.notices.push({ key: null, notice: scanFailed(r.rel, e) })
        }
      }
      out.push(r)
    }
    this.group = []
    this.hot = false
    this.used = 0
    this.dir = null
    return out
  }
}

/** Scans a batch of `auto` jobs with one FolderScanner (a scan worker's batch). */
export function scanBatch(read: ReadHead, jobs: readonly FileScanJob[], maxBytes: number): FileScanResult[] {
  const scanner = new FolderScanner(read, maxBytes)
  const out: FileScanResult[] = []
  for (const job of jobs) out.push(...scanner.push(job))
  out.push(...scanner.flush())
  return out
}

/** A batch of results as a worker sends them: see packResults. */
export interface PackedResults {
  /** The results whose scan is a header scan (or missing), as JSON rows (PackedRow); null where `others` has one. */
  json: string
  /** The other results (full and decls scans: few), as objects, by index. */
  others: { at: number; r: FileScanResult }[]
}

/** rel, level (or 0), notices (or 0), then the header: package, its line, buildable, constraint, complete, cgo, binary, illegal, imports as path/name/line triples, their texts (or 0). */
type PackedRow = [string, ScanLevel | 0, FileNotice[] | 0, string | null, number | null, boolean, GoFileScan['constraint'], boolean, GoFileScan['cgo'], boolean, number, (string | number | null)[], (string | null)[] | 0]

/**
 * A batch of results for the trip back from a worker: a structured clone of 20,000 header-scan
 * objects costs seconds (measured 2–3 s under load), one JSON text of short rows a small fraction
 * of it. Full scans stay objects (their values may hold numbers JSON cannot carry).
 */
export function packResults(results: FileScanResult[]): PackedResults {
  const others: PackedResults['others'] = []
  const rows = results.map((r, at): PackedRow | null => {
    const s = r.scan
    if (s !== null && s.scope !== 'header') {
      others.push({ at, r })
      return null
    }
    const imports: (string | number | null)[] = []
    let texts: (string | null)[] | 0 = 0
    for (const [k, i] of (s?.imports ?? []).entries()) {
      imports.push(i.path, i.name, i.evidence.line)
      if (i.evidence.text !== undefined) (texts ||= Array.from({ length: s?.imports.length ?? 0 }, () => null))[k] = i.evidence.text
    }
    return [r.rel, r.level ?? 0, r.notices.length > 0 ? r.notices : 0, s?.packageName ?? null, s ? s.packageLine : -1, s?.buildable ?? true, s?.constraint ?? null, s?.headerComplete ?? false, s?.cgo ?? null, s?.binary ?? false, s?.illegal ?? 0, imports, texts]
  })
  return { json: JSON.stringify(rows), others }
}

/** The results packResults packed, in their order. */
export function unpackResults(p: PackedResults): FileScanResult[] {
  const rows = JSON.parse(p.json) as (PackedRow | null)[]
  const out: FileScanResult[] = new Array<FileScanResult>(rows.length)
  for (let at = 0; at < rows.length; at++) {
    const row = rows[at]
    if (!row) continue
    const [rel, level, notices, packageName, packageLine, buildable, constraint, headerComplete, cgo, binary, illegal, flat, texts] = row
    let scan: GoFileScan | null = null
    // A packageLine of -1 marks a result without a scan (unreadable, or the scanner failed).
    if (packageLine !== -1) {
      scan = emptyScan(rel, binary)
      scan.packageName = packageName
      scan.packageLine = packageLine
      scan.buildable = buildable
      scan.constraint = constraint
      scan.headerComplete = headerComplete
      scan.cgo = cgo
      scan.illegal = illegal
      for (let k = 0; k + 2 < flat.length; k += 3) {
        const text = texts === 0 ? null : texts[k / 3]
        const line = flat[k + 2] as number
        scan.imports.push({ path: flat[k] as string, name: flat[k + 1] as string | null, evidence: text == null ? { file: rel, line } : { file: rel, line, text } })
      }
    }
    out[at] = level === 0 ? { rel, scan, notices: notices || [] } : { rel, scan, level, notices: notices || [] }
  }
  for (const o of p.others) out[o.at] = o.r
  return out
}

/** The notice for a file longer than the analysis reads. */
export function truncatedNotice(rel: string, max: number): Notice {
  return {
    code: 'file-truncated',
    severity: 'warning',
    message: `${rel} is larger than ${Math.round(max / 1024)} KiB: only the first ${Math.round(max / 1024)} KiB were analysed.`,
    evidence: [{ file: rel, line: 1 }],
  }
}

/** The notice for a file the scanner failed on (a bug: the scanner is built never to throw). */
export function scanFailed(rel: string, e: unknown): Notice {
  return {
    code: 'scan-failed',
    severity: 'warning',
    message: `Slipway could not analyse ${rel} (${e instanceof Error ? e.message : String(e)}); its findings are missing.`,
    detail: 'This is a bug in Slipway: please report it with the file if you can.',
    evidence: [{ file: rel, line: 1 }],
  }
}
