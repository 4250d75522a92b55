// Allowlists for text that comes from a project folder (file and folder names, Go identifiers and
// strings, go.mod) and ends up in a Dockerfile, a .dockerignore, a compose file or a command line.
// A project folder is untrusted input: each generator asks these validators, and what fails is
// reported as a notice and left out — never escaped into place, never "mostly" cleaned. Pure, so
// every generator (Dockerfile, .dockerignore, compose, command lines) shares one set of rules.

/**
 * Characters that never belong in generated text: C0 and C1 controls (newline, carriage return,
 * escape, NUL, NEL…), DEL, format characters (bidi overrides, zero-width joiners: "trojan source")
 * and the Unicode line and paragraph separators some editors and parsers treat as line breaks.
 */
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u
const CONTROL_ALL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu

/** Whether `s` has any control, format or line-separator character. */
export function hasControlChars(s: string): boolean {
  return CONTROL.test(s)
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** An environment variable name that can follow `ENV`, `-e` or a compose `environment:` key as is. */
export function isEnvName(s: string): boolean {
  return s.length <= 256 && ENV_NAME.test(s)
}

const FLAG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * A command-line flag name (without dashes) that can go into `CMD ["--NAME", …]` or a suggested
 * `docker run IMAGE --NAME …`: what Go programs use in practice (flag, pflag, cobra). Go's flag
 * package itself accepts nearly any text, so this is deliberately narrower.
 */
export function isFlagName(s: string): boolean {
  return s.length <= 100 && FLAG_NAME.test(s)
}

// ── Go paths (golang.org/x/mod/module: CheckImportPath, CheckPath) ─────────────────────────────

type GoPathKind = 'module' | 'import'

const BAD_WINDOWS_NAMES = new Set(['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])])

/** modPathOK / importPathOK: ASCII letters and digits, `-._~`, and `+` in import paths. */
function goPathCharOK(c: string, kind: GoPathKind): boolean {
  return /^[A-Za-z0-9._~-]$/.test(c) || (kind === 'import' && c === '+')
}

/** Go's checkElem for module and import paths; null when the element is fine. */
function goElemProblem(elem: string, kind: GoPathKind): string | null {
  if (elem === '') return 'has an empty path element'
  if (elem === '.' || elem === '..') return `has a "${elem}" path element`
  for (const c of elem) if (!goPathCharOK(c, kind)) return `has the character ${showText(c)}, which Go does not allow in ${kind} paths`
  if (/^\.+$/.test(elem)) return 'has a path element of dots only'
  if (kind === 'module' && elem.startsWith('.')) return 'has a path element that starts with a dot'
  if (elem.endsWith('.')) return 'has a path element that ends with a dot'
  const short = elem.includes('.') ? elem.slice(0, elem.indexOf('.')) : elem
  if (BAD_WINDOWS_NAMES.has(short.toUpperCase())) return `has "${short}", a reserved name on Windows`
  // Windows 8.3 short names (PROGRA~1): Go refuses elements that end in a tilde and digits.
  if (/~[0-9]+$/.test(short)) return 'has a path element that ends in a tilde and digits'
  return null
}

function goPathProblem(path: string, kind: GoPathKind): string | null {
  if (path === '') return 'is empty'
  if (path.length > 1024) return 'is longer than 1024 characters'
  if (path.startsWith('-')) return 'starts with a dash'
  if (path.includes('//')) return 'has a double slash'
  if (path.endsWith('/')) return 'ends with a slash'
  for (const elem of path.split('/')) {
    const p = goElemProblem(elem, kind)
    if (p) return p
  }
  return null
}

/** What is wrong with a Go import path by Go's own rules (module.CheckImportPath); null when it is valid. */
export function goImportPathProblem(path: string): string | null {
  return goPathProblem(path, 'import')
}

/**
 * What is wrong with a Go module path (module.CheckPath's character and element rules, without
 * its requirement of a dot in the first element, which local modules like `hello` do not meet);
 * null when it is valid.
 */
export function goModulePathProblem(path: string): string | null {
  return goPathProblem(path, 'module')
}

/**
 * What is wrong with the folder of a Go package inside the module (`cmd/api`, or `.` for the root)
 * as an argument of `go build ./DIR`; null when it is fine. The folder becomes part of an import
 * path, so Go's import path rules apply — which also means the go command could not build a package
 * in any folder this refuses, and every folder it accepts is a plain shell word.
 */
export function packageDirProblem(dir: string): string | null {
  if (dir === '.') return null
  return goImportPathProblem(dir)
}

// ── Paths in the build context ─────────────────────────────────────────────────────────────────

/**
 * Characters of a path element in the build context: letters and digits of any script (with their
 * combining marks, as macOS writes accented names), spaces, and `-._~+@,=%`. A subset of what Go
 * allows in file names (module.CheckFilePath), without the characters Docker gives a meaning:
 * `$` (variable expansion in COPY), `*?[]` (globs in COPY and .dockerignore), `!` and `#` (an
 * exception or a comment in .dockerignore), `\` (an escape), `:` and quotes.
 */
const CONTEXT_ELEM = /^[\p{L}\p{M}\p{N} ._~+@,=%-]+$/u

/**
 * What is wrong with a path relative to the build context (a COPY source, a .dockerignore line);
 * null when it is a clean relative path that needs no quoting beyond Dockerfile JSON form.
 */
export function contextPathProblem(path: string): string | null {
  if (path === '') return 'is empty'
  if (path.length > 1024) return 'is longer than 1024 characters'
  if (hasControlChars(path)) return 'has a control character'
  if (path.startsWith('/')) return 'is absolute'
  // A leading dash would read as a flag (`COPY --from=…`).
  if (path.startsWith('-')) return 'starts with a dash'
  for (const elem of path.split('/')) {
    if (elem === '') return 'has an empty path element'
    if (elem === '.' || elem === '..') return `has a "${elem}" path element`
    // .dockerignore lines are trimmed, so a name with outer spaces could not be named there.
    if (elem !== elem.trim()) return 'has a path element that starts or ends with a space'
    if (!CONTEXT_ELEM.test(elem)) {
      const bad = [...elem].find((c) => !CONTEXT_ELEM.test(c)) ?? elem
      return `has the character ${showText(bad)}, which Slipway does not put into a Dockerfile or .dockerignore`
    }
  }
  return null
}

// ── Text that is only shown ────────────────────────────────────────────────────────────────────

/**
 * Free text for a Dockerfile comment or a quoted label value (a project's display name, a base's
 * label): control and format characters become spaces, runs of white space one space, at most
 * `max` characters. The caller still quotes or escapes it for its place.
 */
export function displayText(s: string, max = 200): string {
  const one = s.replace(CONTROL_ALL, ' ').replace(/\s+/g, ' ').trim()
  const chars = [...one]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : one
}

/**
 * Untrusted text as a notice quotes it: in double quotes, with every control or format character
 * (and `"` and `\`) escaped, so a message shows what is really there and cannot move a terminal's
 * cursor or reorder the text around it. Long text is cut.
 */
export function showText(s: string, max = 120): string {
  const chars = [...s]
  const cut = chars.length > max ? chars.slice(0, max) : chars
  const body = cut
    .map((c) => {
      if (c === '"' || c === '\\') return `\\${c}`
      if (c === '\n') return '\\n'
      if (c === '\r') return '\\r'
      if (c === '\t') return '\\t'
      if (CONTROL.test(c)) return `\\u{${(c.codePointAt(0) as number).toString(16)}}`
      return c
    })
    .join('')
  return `"${body}${cut.length < chars.length ? '…' : ''}"`
}
