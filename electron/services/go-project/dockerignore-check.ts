// The project's own .dockerignore, checked against the files a build of it needs. Docker applies
// it before the builder sees anything, so a line such as `*.go` or `*.mod` makes `docker build`
// fail late ("go.mod file not found", "no Go files"): say which line drops what, up front.
// Matching is @balena/dockerignore's (Docker's own rules: root-anchored patterns, `**`, `!`
// exceptions, the last matching line wins, a dropped folder drops what is inside it).
import ignore from '@balena/dockerignore'
import type { Notice } from '../../../shared/types/project'

/** A needed path the .dockerignore leaves out, with the line that does it (1-based). */
export interface Dropped {
  path: string
  line: number
  pattern: string
}

/** The `paths` (relative, forward slashes) that `text` leaves out of the build context, each with its deciding line. */
export function droppedByDockerignore(text: string, paths: readonly string[]): Dropped[] {
  const lines = text
    .split(/\r?\n/)
    .map((raw, i) => ({ pattern: raw.trim(), line: i + 1 }))
    .filter((l) => l.pattern !== '' && !l.pattern.startsWith('#'))
  if (!lines.length) return []
  const all = ignore({}).add(lines.map((l) => l.pattern))
  const out: Dropped[] = []
  for (const path of paths) {
    if (!all.ignores(path)) continue
    // The last exclusion that matches the path (or a folder above it) decides.
    const culprit = [...lines].reverse().find((l) => !l.pattern.startsWith('!') && ignore({}).add([l.pattern]).ignores(path))
    if (culprit) out.push({ path, ...culprit })
  }
  return out
}

/** A warning naming the lines of the project's .dockerignore that drop files the build needs; null when none does. */
export function dockerignoreNotice(text: string | null, needed: readonly string[]): Notice | null {
  if (text === null) return null
  // By line, then path: the same .dockerignore always reads the same.
  const dropped = droppedByDockerignore(text, [...new Set(needed)]).sort((a, b) => a.line - b.line || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  if (!dropped.length) return null
  const shown = dropped.slice(0, 5).map((d) => `${d.path} (line ${d.line}: ${d.pattern})`)
  const more = dropped.length > 5 ? ` and ${dropped.length - 5} more` : ''
  return {
    code: 'dockerignore-drops-needed',
    severity: 'warning',
    message: `Your .dockerignore leaves out files the build needs: ${shown.join(', ')}${more}.`,
    detail:
      'A `docker build` with that .dockerignore fails (for example "go.mod file not found" or "no Go files"). Slipway’s own builds use the recipe’s .dockerignore (its tab in the Dockerfile panel shows it, and can save it over yours); or remove those lines from yours.',
    evidence: [...new Map(dropped.map((d) => [d.line, { file: '.dockerignore', line: d.line, text: d.pattern.slice(0, 200) }])).values()].slice(0, 5),
  }
}
