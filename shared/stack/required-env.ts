// What the program stops without (EnvRead.required: a `== ""` check that exits, a required struct
// tag), checked against the values the stack would give it, so Up refuses before it builds or starts
// anything instead of starting an app that exits at once. Pure: the service and the Stacks page use it.
import type { ProjectAnalysis } from '../types/project'

/** One required variable the stack leaves empty, with where the code reads it. */
export interface EmptyRequired {
  name: string
  /** `file:line` of the first read, when known. */
  at: string | null
}

/**
 * The variables the program requires whose value in `environment` (the app service's, as
 * composeStack wrote it) is missing or empty; in the order the analysis lists them.
 */
export function emptyRequiredVars(analysis: Pick<ProjectAnalysis, 'needs'>, environment: Readonly<Record<string, string>>): EmptyRequired[] {
  const out: EmptyRequired[] = []
  for (const v of analysis.needs.env) {
    if (!v.required || out.some((o) => o.name === v.name)) continue
    const value = Object.hasOwn(environment, v.name) ? environment[v.name] : undefined
    if (value !== undefined && value !== '') continue
    const e = v.evidence[0]
    out.push({ name: v.name, at: e ? `${e.file}:${e.line}` : null })
  }
  return out
}

/** "GREETING (read at main.go:31)" / "A, B and C": the names for a sentence. */
export function requiredWords(empty: readonly EmptyRequired[]): string {
  const names = empty.map((e) => (e.at ? `${e.name} (read at ${e.at})` : e.name))
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}
