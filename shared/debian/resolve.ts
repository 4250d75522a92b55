// Dependency resolution as `apt-get install --no-install-recommends` does it for a fresh root,
// without conflicts handling (Slipway's recipes are small and known to be installable): follow
// Pre-Depends and Depends, take the first alternative that can be satisfied, prefer packages
// already chosen, and the best candidate (the distribution's suites before NotAutomatic ones
// such as backports, then the highest version) that meets the version constraint.
import { dependsOf, type PackageEntry, type PackageIndex } from './packages'
import { parseRelations, type Dep, type DepGroup } from './relations'
import { satisfies } from './version'

/** A dependency nothing in the index satisfies; `path` is the chain of packages that needed it. */
export class Unresolvable extends Error {
  constructor(
    readonly dependency: string,
    readonly path: string[],
  ) {
    super(`nothing in the mirror's indexes satisfies "${dependency}"${path.length ? ` (needed by ${path.join(' → ')})` : ''}`)
    this.name = 'Unresolvable'
  }
}

export interface ResolveOptions {
  arch: string
  /** Names not followed (a dependency on them counts as satisfied): what a recipe leaves out on purpose. */
  skip?: ReadonlySet<string>
}

const show = (g: DepGroup) => g.map((d) => (d.version ? `${d.name} (${d.version.relation} ${d.version.version})` : d.name)).join(' | ')

/** The packages to install for `roots` (package names), sorted by name; throws Unresolvable. */
export function resolve(index: PackageIndex, roots: readonly string[], opts: ResolveOptions): PackageEntry[] {
  const chosen = new Map<string, PackageEntry>()
  /** Virtual name → the chosen packages providing it (with the provided version). */
  const provided = new Map<string, { entry: PackageEntry; version?: string }[]>()
  const queue: { group: DepGroup; path: string[] }[] = roots.map((name) => ({ group: [{ name }], path: [] }))

  const fits = (d: Dep, version: string | undefined) => !d.version || (version !== undefined && satisfies(version, d.version.relation, d.version.version))
  const alreadyMet = (d: Dep) => {
    if (opts.skip?.has(d.name)) return true
    const c = chosen.get(d.name)
    if (c && fits(d, c.version)) return true
    return (provided.get(d.name) ?? []).some((p) => fits(d, p.version))
  }
  const candidate = (d: Dep): PackageEntry | undefined => {
    const real = index.byName.get(d.name)?.find((e) => archOk(e, opts.arch) && fits(d, e.version))
    if (real) return real
    // Virtual: the providers, best rank first, then by name for a stable choice.
    const provs = (index.providers.get(d.name) ?? [])
      .filter((p) => archOk(p.entry, opts.arch) && fits(d, p.version))
      .sort((a, b) => a.entry.rank - b.entry.rank || (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0))
    return provs[0]?.entry
  }

  while (queue.length) {
    const { group, path } = queue.shift()!
    if (group.some(alreadyMet)) continue
    let pick: PackageEntry | undefined
    for (const d of group) {
      pick = candidate(d)
      if (pick) break
    }
    if (!pick) throw new Unresolvable(show(group), path)
    const existing = chosen.get(pick.name)
    if (existing) {
      // A second, stricter constraint on a package already chosen at another version.
      throw new Unresolvable(`${show(group)} (${pick.name} ${existing.version} was already chosen)`, path)
    }
    chosen.set(pick.name, pick)
    for (const [p] of parseRelations(pick.stanza.get('provides'), opts.arch)) {
      if (!p) continue
      let l = provided.get(p.name)
      if (!l) provided.set(p.name, (l = []))
      l.push(p.version?.relation === '=' ? { entry: pick, version: p.version.version } : { entry: pick })
    }
    const next = [...path, pick.name]
    for (const g of dependsOf(pick, opts.arch)) queue.push({ group: g, path: next })
  }
  return [...chosen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function archOk(e: PackageEntry, arch: string): boolean {
  return e.architecture === arch || e.architecture === 'all'
}
