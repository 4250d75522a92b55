// The Settings page's form as plain data: rows of custom bases as the person edits them, what is
// wrong with each (in the catalog's own words), and whether an image reference is on this machine.
// Pure, so the page and its tests share it.
import { BUILTIN_BASE_IDS, resolveBases, type BuiltinBaseId } from '../../../../shared/dockerfile/bases'
import { imageRefProblem, parseImageRef } from '../../../../shared/dockerfile/image-ref'
import type { Settings } from '../../../../shared/settings'

/** One custom base as edited: the three fields the form shows, plus whatever else the entry had (kept as is). */
export interface BaseRow {
  /** A stable key for the list, never saved. */
  key: number
  id: string
  basedOn: BuiltinBaseId
  image: string
  /** Fields of the stored entry the form does not edit (label, facts…), written back untouched. */
  extra: Record<string, unknown>
}

const isBuiltin = (v: unknown): v is BuiltinBaseId => typeof v === 'string' && (BUILTIN_BASE_IDS as readonly string[]).includes(v)

/** The rows for the stored custom bases; entries that are not even objects become rows to fix. */
export function rowsFrom(customBases: readonly unknown[], firstKey: number): BaseRow[] {
  return customBases.map((entry, i) => {
    const o = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {}
    const { id, basedOn, image, ...extra } = o
    return {
      key: firstKey + i,
      id: typeof id === 'string' ? id : '',
      basedOn: isBuiltin(basedOn) ? basedOn : 'distroless-static',
      image: typeof image === 'string' ? image : '',
      extra,
    }
  })
}

/** The entries to store for the rows, in order; every row is kept, so a bad one can be fixed later. */
export function customBasesOf(rows: readonly BaseRow[]): unknown[] {
  return rows.map((r) => ({ ...r.extra, id: r.id.trim(), basedOn: r.basedOn, image: r.image.trim() }))
}

/**
 * What is wrong with each row (by key), as the catalog would say it when it skips the entry: each row
 * is checked on its own, so one bad entry never hides the others' problems, and a repeated id is
 * named on the later row.
 */
export function rowProblems(rows: readonly BaseRow[]): Map<number, string> {
  const out = new Map<number, string>()
  const seen = new Set<string>()
  for (const r of rows) {
    const entry = customBasesOf([r])[0]
    const image = r.image.trim()
    // The reference first, in the parser's words, so the message points at the field that is wrong.
    const refProblem = image === '' ? 'is empty' : image === 'scratch' ? null : parseImageRef(image) ? null : imageRefProblem(image)
    if (refProblem) {
      out.set(r.key, `Image reference ${refProblem}.`)
      continue
    }
    const { problems } = resolveBases([entry])
    if (problems[0]) {
      out.set(r.key, problems[0].replace(/^Custom base (?:#\d+|\S+): /, '').replace(/ Skipped\.$/, ''))
      continue
    }
    const id = r.id.trim()
    if (seen.has(id)) out.set(r.key, `The id "${id}" is used by an earlier row; this one is skipped.`)
    seen.add(id)
  }
  return out
}

/** What is wrong with the builder image field; null when it is blank (go.mod chooses) or a valid reference. */
export function builderProblem(text: string): string | null {
  const t = text.trim()
  if (t === '') return null
  const p = imageRefProblem(t)
  return p ? `The builder image ${p}.` : null
}

/**
 * The patch `settings.update` takes for the form. Only rows without a problem are sent (the host
 * refuses an invalid entry): a bad row stays in the form to be fixed and never holds back the others.
 */
export function settingsPatch(rows: readonly BaseRow[], builder: string): Pick<Settings, 'customBases' | 'builderImage'> {
  const problems = rowProblems(rows)
  const b = builder.trim()
  return { customBases: customBasesOf(rows.filter((r) => !problems.has(r.key))), builderImage: b === '' ? null : b }
}

/** Whether saving would change what is stored (rows with a problem are not saved, so they do not count). */
export function isDirty(rows: readonly BaseRow[], builder: string, stored: Pick<Settings, 'customBases' | 'builderImage'> | null): boolean {
  if (!stored) return false
  const now = settingsPatch(rows, builder)
  return JSON.stringify(now.customBases) !== JSON.stringify(stored.customBases) || now.builderImage !== stored.builderImage
}

/**
 * A reference as the engine lists it in RepoTags: Docker Hub's `docker.io/` and `library/` left
 * out, `:latest` added when there is no tag. Null for digests (RepoTags cannot say) and non-references.
 */
export function localTagOf(ref: string): string | null {
  const p = parseImageRef(ref.trim())
  if (!p || p.digest) return null
  const name = p.name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\/(?=[^/]+$)/, '')
  return `${name}:${p.tag ?? 'latest'}`
}

export type Presence = 'local' | 'missing' | 'unknown' | 'none'

/** Whether an image is on this machine, from the engine's tag list; `none` for scratch (not an image). */
export function presenceOf(ref: string, localTags: ReadonlySet<string> | null): Presence {
  if (ref.trim() === 'scratch') return 'none'
  const tag = localTagOf(ref)
  if (!tag || !localTags) return 'unknown'
  return localTags.has(tag) ? 'local' : 'missing'
}

/** The engine's RepoTags, normalised like `localTagOf`. */
export function localTagSet(repoTags: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const t of repoTags) out.add(localTagOf(t) ?? t)
  return out
}
