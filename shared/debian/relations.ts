// Package relationship fields (Depends, Pre-Depends, Provides): comma-separated groups of
// `|`-separated alternatives, each `name[:arch] [(rel version)] [[arch list]] [<profiles>]`.
import type { Relation } from './version'

/** One alternative of a dependency: a package name with an optional version constraint. */
export interface Dep {
  name: string
  /** `:any`, `:native` or an architecture qualifier, as written. */
  archQualifier?: string
  version?: { relation: Relation; version: string }
}

/** A dependency: satisfied when any one of its alternatives is. */
export type DepGroup = Dep[]

const DEP = /^([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\s*(?:\(\s*(<<|<=|=|>=|>>|<|>)\s*([^\s)]+)\s*\))?\s*(?:\[([^\]]*)\])?\s*(?:<[^>]*>\s*)*$/

/**
 * Parses a relationship field. Alternatives restricted to other architectures (`[!amd64]`,
 * `[i386]`) are dropped for `arch`; an obsolete `<`/`>` relation is read as `<=`/`>=` like dpkg.
 * An unparsable alternative throws with the field's text, so a broken index is never half-read.
 */
export function parseRelations(field: string | undefined, arch = 'amd64'): DepGroup[] {
  if (!field) return []
  const groups: DepGroup[] = []
  for (const rawGroup of field.split(',')) {
    const g = rawGroup.trim()
    if (!g) continue
    const group: DepGroup = []
    for (const rawAlt of g.split('|')) {
      const alt = rawAlt.trim().replace(/\s+/g, ' ')
      const m = DEP.exec(alt)
      if (!m) throw new Error(`cannot read the dependency "${alt}"`)
      const [, name, qual, rel, ver, archList] = m
      if (archList && !archMatches(archList, arch)) continue
      const dep: Dep = { name: name! }
      if (qual) dep.archQualifier = qual
      if (rel && ver) dep.version = { relation: rel === '<' ? '<=' : rel === '>' ? '>=' : (rel as Relation), version: ver }
      group.push(dep)
    }
    if (group.length) groups.push(group)
  }
  return groups
}

function archMatches(list: string, arch: string): boolean {
  const items = list.split(/\s+/).filter(Boolean)
  const negated = items.filter((i) => i.startsWith('!')).map((i) => i.slice(1))
  if (negated.length) return !negated.includes(arch) && !negated.includes('any')
  return items.includes(arch) || items.includes('any') || items.includes(`linux-${arch}`) || items.includes('linux-any')
}
