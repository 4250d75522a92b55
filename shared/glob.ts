/**
 * The one glob matcher: a pattern becomes a RegExp over forward-slash paths, by the rules of one of
 * three dialects (picomatch reads `(`, `)`, `+(` and `@(` as syntax even with `noextglob`, while all
 * three dialects take them as characters, as in `file (1).txt`):
 * - `go`: Go's `path.Match` (embed patterns, run-time file globs). `*` and `?` stay within one path
 *   element (`**` is two of them); `[…]` classes, negated by `^`; `\` escapes the next character,
 *   inside a class too. The whole path must match.
 * - `docker`: a .dockerignore line (after its `!` exception mark). As `go`, plus `**` spans any
 *   number of elements (followed by a slash, zero or more whole ones), leading and trailing `/` are dropped
 *   (patterns are relative to the context's root), and a malformed class is a plain `[`. Docker
 *   hands a class to Go's regexp, so `[!a]` is `!` or `a`, not "not a" as in .gitignore.
 * - `search`: what people type in the layer explorer's search box. `*`, `**` and `?` as `docker`;
 *   `[`, `]` and `\` are plain characters (file names hold them more often than people mean a class).
 *   The caller anchors it (see tree-search.ts).
 */
export type GlobDialect = 'go' | 'docker' | 'search'

interface Rules {
  /** A malformed pattern (an unclosed `[`, a bare `-` or `]` as a class member, a trailing `\`) matches nothing, as Go's ErrBadPattern; otherwise its `[` is a plain character. */
  strict: boolean
  globstar: boolean
  classes: boolean
  escapes: boolean
  negate: readonly string[]
}

const RULES: Record<GlobDialect, Rules> = {
  go: { strict: true, globstar: false, classes: true, escapes: true, negate: ['^'] },
  docker: { strict: false, globstar: true, classes: true, escapes: true, negate: ['^'] },
  search: { strict: false, globstar: true, classes: false, escapes: false, negate: [] },
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const escapeMember = (c: string) => c.replace(/[\]\\^[-]/g, '\\$&')

/** Whether `pattern` uses any of the dialect's glob syntax (else it matches itself only). */
export function hasGlobSyntax(pattern: string, dialect: GlobDialect): boolean {
  return RULES[dialect].classes ? /[*?[\\]/.test(pattern) : /[*?]/.test(pattern)
}

/** A source no path matches: what a malformed Go pattern stands for. */
const NOTHING = '(?!)'

/** The regular expression source (unanchored) for a pattern in a dialect. */
export function globSource(pattern: string, dialect: GlobDialect): string {
  const rules = RULES[dialect]
  const p = dialect === 'docker' ? pattern.replace(/^\/+/, '').replace(/\/+$/, '') : pattern
  let re = ''
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string
    if (c === '*') {
      if (rules.globstar && p[i + 1] === '*') {
        i++
        if (p[i + 1] === '/') {
          // `**/` matches zero or more whole elements.
          i++
          re += '(?:.*/)?'
        } else re += '.*'
      } else {
        while (!rules.globstar && p[i + 1] === '*') i++
        re += '[^/]*'
      }
    } else if (c === '?') re += '[^/]'
    else if (c === '\\' && rules.escapes && i + 1 < p.length) re += escapeRe(p[++i] as string)
    else if (c === '\\' && rules.escapes && rules.strict) return NOTHING
    else if (c === '[' && rules.classes) {
      const cls = classAt(p, i, rules)
      if (cls === 'bad') return NOTHING
      if (cls === null) re += '\\['
      else {
        re += cls.source
        i = cls.end
      }
    } else re += escapeRe(c)
  }
  return re
}

/**
 * The class opened at `p[open]`: an optional negation, then members up to a `]` that is not the
 * first member; `\` escapes a member; `a-z` is a range. Null when it never closes (the `[` is then a
 * plain character); 'bad' where a strict dialect refuses it (Go wants `]` and a lone `-` escaped).
 */
function classAt(p: string, open: number, rules: Rules): { source: string; end: number } | null | 'bad' {
  let i = open + 1
  let negated = false
  if (i < p.length && rules.negate.includes(p[i] as string)) {
    negated = true
    i++
  }
  let body = ''
  let members = 0
  for (; i < p.length; i++) {
    let c = p[i] as string
    if (c === ']' && members > 0) return { source: `[${negated ? '^' : ''}${body}]`, end: i }
    if (c === '-' && members > 0 && p[i + 1] !== ']' && i + 1 < p.length) {
      body += '-'
      continue
    }
    if (rules.strict && (c === ']' || c === '-')) return 'bad'
    if (c === '\\' && rules.escapes && i + 1 < p.length) c = p[++i] as string
    body += escapeMember(c)
    members++
  }
  return rules.strict ? 'bad' : null
}

/** A pattern as a RegExp that must match the whole path. */
export function globToRegExp(pattern: string, dialect: GlobDialect, flags = ''): RegExp {
  return new RegExp(`^${globSource(pattern, dialect)}$`, flags)
}
