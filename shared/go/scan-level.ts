/**
 * How much of a non-main file is worth scanning (scanLevel): a cheap test over its header scan and
 * its text, so the service skips most function bodies of big projects.
 */
import { configLibOf } from './config-libs'
import { CGO_INDEX, FRAMEWORKS, inList, isStdlib, NETWORK_IMPORTS, TLS_INDEX } from './imports'
import type { GoFileScan } from './scan-types'

/** Imports that make a file worth a full scan whatever else it contains. */
const IMPORT_TRIGGERS = new Set([
  'C', 'embed', 'flag', 'github.com/spf13/pflag', 'github.com/joho/godotenv', 'github.com/spf13/viper', 'crypto/tls', 'crypto/x509', 'net/smtp',
  'time/tzdata', ...[...NETWORK_IMPORTS].filter((p) => !isStdlib(p)), ...Object.keys(FRAMEWORKS),
])

/**
 * For packages the full scan looks into, the member names it reacts to, written so that they also
 * match under another import name (`.Get` matches `http.Get` and `stdhttp.Get`).
 */
const MEMBER_TRIGGERS: Record<string, readonly string[]> = {
  os: ['Getenv', 'LookupEnv', '.Open', '.ReadFile', '.ReadDir', '.DirFS', '.Args'],
  syscall: ['Getenv'],
  time: ['LoadLocation', '.Local'],
  net: ['.Listen', '://'],
  'net/http': ['ListenAndServe', 'ServeTLS', '.Get', '.Head', '.Post', 'NewRequest', '.Client', '.Default', '.Server', '.Dir', '://'],
  'io/ioutil': ['.ReadFile', '.ReadDir'],
  'text/template': ['.Parse'],
  'html/template': ['.Parse'],
}

/**
 * How much of a non-main file must be scanned, given its header scan and text: a cheap test that
 * lets the service skip most function bodies of big projects.
 * - `full`: the file itself may hold findings (it imports or names something the full scan reacts
 *   to, or passes an env-style name to another package's function);
 * - `calls`: it passes env-style names (`getenv("PORT", …)`) to its own package's functions, or
 *   checks a value for "": worth a full scan only if its package has something of interest;
 * - `decls`: only its package-level declarations can matter (values other files refer to).
 * Conservative by construction: every finding of the full scan starts at an import or a member
 * named in the tables above, or at an env-style call.
 */
export function scanLevel(header: GoFileScan, text: SourceText): ScanLevel {
  if (header.cgo !== null || header.packageName === 'main' || text.includes('//go:embed')) return 'full'
  let foreign = false
  for (const imp of header.imports) {
    const path = imp.path
    if (IMPORT_TRIGGERS.has(path) || configLibOf(path) !== null) return 'full'
    const members = MEMBER_TRIGGERS[path]
    if (members) {
      if (members.some((m) => text.includes(m))) return 'full'
    } else if (!isStdlib(path)) {
      if (inList(path, CGO_INDEX) || inList(path, TLS_INDEX)) return 'full'
      foreign = true
    }
  }
  const envCall = hasEnvStyleCall(text)
  if (envCall && foreign) return 'full'
  // `if *token == "" { log.Fatal(…) }` matters when the package declares the flag in another file.
  return envCall || text.includes('== ""') ? 'calls' : 'decls'
}

/**
 * `("UPPER_CASE"` (or a raw string, or spaces after the parenthesis): a call that may pass an
 * environment variable name. A byte search from each `(`, so the file's bytes need no decoding.
 */
function hasEnvStyleCall(text: SourceText): boolean {
  const code = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] ?? -1
  const paren = typeof text === 'string' ? (from: number) => text.indexOf('(', from) : (from: number) => Uint8Array.prototype.indexOf.call(text, 40, from)
  for (let p = paren(0); p >= 0; p = paren(p + 1)) {
    let i = p + 1
    let c = code(i)
    while (c === 32 || (c >= 9 && c <= 13)) c = code(++i)
    if (c !== 34 && c !== 96) continue
    c = code(++i)
    if (!(c >= 65 && c <= 90)) continue
    let n = 0
    for (c = code(++i); (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; c = code(++i)) n++
    if (n >= 1 && (c === 34 || c === 96)) return true
  }
  return false
}

/** How much of a file is worth scanning: see scanLevel. */
export type ScanLevel = 'full' | 'calls' | 'decls'

/**
 * A file's text, or its bytes (a Node Buffer): scanLevel only looks for ASCII, so the bytes need
 * no decoding.
 */
export type SourceText = string | (Uint8Array & { includes(s: string): boolean; indexOf(s: string, from?: number): number })
