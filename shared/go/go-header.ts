/**
 * The header of a typical Go file — comments, `package name`, import lines — read without the
 * lexer: the analysis reads the header of every file of a project, and making tokens for it was a
 * good part of the time and garbage of a big one. Anything out of the ordinary (a build or other
 * `//go:` directive before the package clause, a block comment, non-ASCII text, an escape or a raw
 * string, `import "C"`, junk) returns null, and the caller runs the scanner, which is the
 * reference: a property test holds the two equal.
 */
import { fileNameMatches } from './build-constraints'
import { emptyScan } from './go-source'
import type { GoFileScan } from './scan-types'

const isIdStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57)

/** scanGoHeader's answer for `text`, or null when the text is not plain enough to read this way. */
export function quickHeader(file: string, text: string): { scan: GoFileScan; endLine: number } | null {
  return new HeaderReader(file, text).read()
}

/**
 * quickHeader's reader: a cursor over the text, with methods rather than closures (the analysis
 * reads the header of every file of a project: per-call closures were a measurable part of it).
 */
class HeaderReader {
  private readonly n: number
  private i = 0
  private line = 1
  private sawPackage = false
  private scan: GoFileScan | null = null

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.n = text.length
  }

  read(): { scan: GoFileScan; endLine: number } | null {
    const text = this.text
    if (!this.skip(true)) return null
    if (!text.startsWith('package', this.i) || !(text.charCodeAt(this.i + 7) === 32 || text.charCodeAt(this.i + 7) === 9)) return null
    const packageLine = this.line
    this.i += 7
    this.spaces()
    const name = this.ident()
    if (name === null || !this.endOfLine()) return null
    this.sawPackage = true
    const file = this.file
    const scan = emptyScan(file, text.includes('\0'))
    this.scan = scan
    scan.packageName = name
    scan.packageLine = packageLine
    scan.buildable = fileNameMatches(file.slice(file.lastIndexOf('/') + 1))

    for (;;) {
      if (!this.skip(true)) return null
      if (this.i >= this.n) return { scan, endLine: 0 }
      if (!(text.startsWith('import', this.i) && !isIdPart(text.charCodeAt(this.i + 6)))) {
        // The first token after the imports: a plain word (func, var, type, const…), else not ours.
        if (!isIdStart(text.charCodeAt(this.i))) return null
        scan.headerComplete = true
        return { scan, endLine: this.line }
      }
      this.i += 6
      this.spaces()
      if (text.charCodeAt(this.i) !== 40) {
        if (!this.spec()) return null
        continue
      }
      this.i++
      if (!this.endOfLine()) return null
      for (;;) {
        if (!this.skip(true)) return null
        if (this.i >= this.n) return null
        if (text.charCodeAt(this.i) === 41) {
          this.i++
          if (!this.endOfLine()) return null
          break
        }
        if (!this.spec()) return null
      }
    }
  }

  private spaces() {
    while (this.text.charCodeAt(this.i) === 32 || this.text.charCodeAt(this.i) === 9) this.i++
  }

  /** Skips spaces, newlines and `//` comments; false on anything the fast path does not take. */
  private skip(newlines: boolean): boolean {
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.i)
      if (c === 32 || c === 9 || c === 13) this.i++
      else if (c === 10) {
        if (!newlines) return true
        this.i++
        this.line++
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 47) {
        if (!this.sawPackage && (text.startsWith('//go:', this.i) || text.startsWith('// +build', this.i))) return false
        const end = text.indexOf('\n', this.i)
        const stop = end < 0 ? this.n : end
        for (let k = this.i; k < stop; k++) if (text.charCodeAt(k) > 126) return false
        this.i = stop
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 42) return false
      else return true
    }
  }

  private ident(): string | null {
    const text = this.text
    if (!isIdStart(text.charCodeAt(this.i))) return null
    const start = this.i
    while (isIdPart(text.charCodeAt(this.i))) this.i++
    return text.slice(start, this.i)
  }

  /** The end of a statement: a newline (or the end), after spaces and a line comment. */
  private endOfLine(): boolean {
    if (!this.skip(false)) return false
    return this.text.charCodeAt(this.i) === 10 || this.i >= this.n
  }

  /** One import spec at i: `[name] "path"`, to the end of its line. */
  private spec(): boolean {
    const text = this.text
    let alias: string | null
    if (text.charCodeAt(this.i) === 46) {
      alias = '.'
      this.i++
    } else alias = this.ident()
    if (alias !== null) this.spaces()
    if (text.charCodeAt(this.i) !== 34) return false
    const close = text.indexOf('"', this.i + 1)
    if (close < 0) return false
    for (let k = this.i + 1; k < close; k++) {
      const c = text.charCodeAt(k)
      if (c === 92 || c === 10 || c > 126 || c < 32) return false
    }
    const path = text.slice(this.i + 1, close)
    if (path === 'C') return false
    ;(this.scan as GoFileScan).imports.push({ path, name: alias, evidence: { file: this.file, line: this.line } })
    this.i = close + 1
    return this.endOfLine()
  }
}
