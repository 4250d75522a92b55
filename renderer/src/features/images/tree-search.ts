// The tree's search box: a plain substring, or a glob with `*` (within one path segment), `**` (any
// number of segments) and `?` (one character). Smart case: all lower case matches any case.

import { globSource, hasGlobSyntax } from '../../../../shared/glob'

/** A compiled query. `scope` says whether it tests a node's name or its absolute path. */
export interface SearchMatcher {
  query: string
  glob: boolean
  /** 'name' when the query has no `/` (a match inside one segment is a match of that node's name). */
  scope: 'name' | 'path'
  caseSensitive: boolean
  /** Tests the name or the absolute path (lower-cased when not case-sensitive). */
  test: (text: string) => boolean
}

/** Whether a query uses glob syntax. */
export function isGlob(query: string): boolean {
  return hasGlobSyntax(query, 'search')
}

/** Compiles what the person typed into a matcher. */
export function compileSearch(raw: string): SearchMatcher {
  const query = raw.trim()
  const caseSensitive = query !== query.toLowerCase()
  const q = caseSensitive ? query : query.toLowerCase()
  const scope = q.includes('/') ? 'path' : 'name'
  if (!isGlob(q)) return { query, glob: false, scope, caseSensitive, test: (text) => text.includes(q) }
  const re = globToRegExp(q)
  return { query, glob: true, scope, caseSensitive, test: (text) => re.test(text) }
}

/**
 * A glob as a regular expression over a name (no `/` in the glob) or an absolute path (the shared
 * matcher's search dialect). A path glob that does not start with `/` may match at any depth
 * (`lib/*.so` matches `/usr/lib/x.so`).
 */
export function globToRegExp(glob: string): RegExp {
  const src = globSource(glob, 'search')
  if (!glob.includes('/')) return new RegExp(`^${src}$`)
  return new RegExp(glob.startsWith('/') ? `^${src}$` : `^(?:.*/)?${src}$`)
}

/** Where a plain query appears in a name, for highlighting: [start, end) or null. */
export function matchRange(name: string, matcher: SearchMatcher | null): [number, number] | null {
  if (!matcher) return null
  if (matcher.glob || matcher.scope === 'path') return null
  const hay = matcher.caseSensitive ? name : name.toLowerCase()
  const q = matcher.caseSensitive ? matcher.query : matcher.query.toLowerCase()
  const at = hay.indexOf(q)
  return at < 0 ? null : [at, at + q.length]
}
