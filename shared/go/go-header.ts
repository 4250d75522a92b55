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
  const n = text.length
  let i = 0
  let line = 1
  let sawPackage = false
  /** Skips spaces, newlines and `//` comments; false on anything the fast path does not take. */
  const skip = (newlines: boolean): boolean => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 13) i++
      else if (c === 10) {
        if (!newlines) return true
        i++
        line++
      } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        if (!sawPackage && (text.startsWith('//go:', i) || text.startsWith('// +build', i))) return false
        const end = text.indexOf('\n', i)
        const stop = end < 0 ? n : end
        for (let k = i; k < stop; k++) if (text.charCodeAt(k) > 126) return false
        i = stop
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) return false
      else return true
    }
  }
  const ident = (): string | null => {
    if (!isIdStart(text.charCodeAt(i))) return null
    const start = i
    while (isIdPart(text.charCodeAt(i))) i++
    return text.slice(start, i)
  }
  /** The end of a statement: a newline (or the end), after spaces and a line comment. */
  const endOfLine = (): boolean => {
    if (!skip(false)) return false
    const c = text.charCodeAt(i)
    return c === 10 || i >= n
  }

  if (!skip(true)) return null
  if (!text.startsWith('package', i) || !(text.charCodeAt(i + 7) === 32 || text.charCodeAt(i + 7) === 9)) return null
  const packageLine = line
  i += 7
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++
  const name = ident()
  if (name === null || !endOfLine()) return null
  sawPackage = true
  const scan = emptyScan(file, text.includes('\0'))
  scan.packageName = name
  scan.packageLine = packageLine
  scan.buildable = fileNameMatches(file.slice(file.lastIndexOf('/') + 1))

  /** One import spec at i: `[name] "path"`, to the end of its line. */
  const spec = (): boolean => {
    let alias: string | null
    if (text.charCodeAt(i) === 46) {
      alias = '.'
      i++
    } else alias = ident()
    if (alias !== null) while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++
    if (text.charCodeAt(i) !== 34) return false
    const close = text.indexOf('"', i + 1)
    if (close < 0) return false
    for (let k = i + 1; k < close; k++) {
      const c = text.charCodeAt(k)
      if (c === 92 || c === 10 || c > 126 || c < 32) return false
    }
    const path = text.slice(i + 1, close)
    if (path === 'C') return false
    scan.imports.push({ path, name: alias, evidence: { file, line } })
    i = close + 1
    return endOfLine()
  }

  for (;;) {
    if (!skip(true)) return null
    if (i >= n) return { scan, endLine: 0 }
    if (!(text.startsWith('import', i) && !isIdPart(text.charCodeAt(i + 6)))) {
      // The first token after the imports: a plain word (func, var, type, const…), else not ours.
      if (!isIdStart(text.charCodeAt(i))) return null
      scan.headerComplete = true
      return { scan, endLine: line }
    }
    i += 6
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++
    if (text.charCodeAt(i) !== 40) {
      if (!spec()) return null
      continue
    }
    i++
    if (!endOfLine()) return null
    for (;;) {
      if (!skip(true)) return null
      if (i >= n) return null
      if (text.charCodeAt(i) === 41) {
        i++
        if (!endOfLine()) return null
        break
      }
      if (!spec()) return null
    }
  }
}
