// Which made base stands in for which catalog base (or the Go builder) when the real image cannot be
// pulled, what making it costs, and the settings change that points the catalog at it — the same
// custom-base entry (or builder image) Settings → Bases made here → Use writes. Pure: the build
// preflight's offer, the renderer and the CLI all use it.
import type { BuiltinBaseId } from '../dockerfile/bases'
import type { SettingsPatch } from '../settings'
import { BASE_RECIPES, type MadeBaseId } from './recipes'

/** What a made base is pointed at: the Go builder, or one base of the catalog (by id, and the built-in it behaves like). */
export type StandInTarget = { kind: 'builder' } | { kind: 'base'; id: string; basedOn: BuiltinBaseId }

/**
 * The one table: catalog base (or the builder) → the base Slipway makes for it, read from each
 * recipe's `standsFor`. scratch needs none; an alpine-based custom base gets busybox.
 */
export const STAND_INS: Readonly<Record<BuiltinBaseId | 'builder', MadeBaseId | null>> = Object.freeze(
  // The catalog's ids spelled out (a unit test holds them to BUILTIN_BASE_IDS): importing the catalog
  // would load zod at the CLI's start, which only loads command definitions.
  Object.fromEntries(
    (['scratch', 'distroless-static', 'distroless-base', 'alpine', 'debian-slim', 'builder'] as const).map((id) => [id, BASE_RECIPES.find((r) => r.standsFor === id)?.id ?? null]),
  ) as Record<BuiltinBaseId | 'builder', MadeBaseId | null>,
)

/** The made base that stands in for `target`, or null (scratch). */
export function standInFor(target: StandInTarget): MadeBaseId | null {
  return STAND_INS[target.kind === 'builder' ? 'builder' : target.basedOn]
}

/** A base the build could make (or has made) instead of an image it cannot pull. */
export interface MakeOffer {
  base: MadeBaseId
  label: string
  /** The image it is made as (repository:suite). */
  image: string
  /** Made here already from the current recipe: accepting only points the settings at it. */
  present: boolean
  /**
   * What making it downloads (the resolved packages' .debs) and takes unpacked (their
   * Installed-Size), from the mirror's index; null when the mirror could not say.
   */
  downloadBytes: number | null
  imageBytes: number | null
  /** The mirror's host (for the offer's words), or null when none is configured; `mirrorProblem` says why. */
  mirror: string | null
  mirrorProblem?: string
  suite: string
  target: StandInTarget
}

/**
 * The settings change that points `target` at `image`. The builder: the builder image. A built-in
 * base: its custom-base entry replaced by `{id, basedOn: id, image}` (as Use does); a user-defined
 * base: its own entry keeps its fields and gets the image. Other entries are kept as they are.
 */
export function pointAtImage(customBases: readonly unknown[], target: StandInTarget, image: string): SettingsPatch {
  if (target.kind === 'builder') return { builderImage: image }
  const idOf = (c: unknown) => (typeof c === 'object' && c !== null ? (c as { id?: unknown }).id : undefined)
  // A built-in's own entry is based on itself (resolveBases refuses any other); a custom base has its own id.
  const builtin = target.id === target.basedOn
  const own = customBases.find((c) => idOf(c) === target.id)
  const entry = builtin || !own ? { id: target.id, basedOn: target.basedOn, image } : { ...(own as object), image }
  const i = customBases.findIndex((c) => idOf(c) === target.id)
  return { customBases: i >= 0 ? customBases.map((c, j) => (j === i ? entry : c)) : [...customBases, entry] }
}

/** What making it costs, in words: "≈ 0.5 MB, from deb.debian.org" ("from deb.debian.org" when the size is not known). */
export function offerCost(o: Pick<MakeOffer, 'downloadBytes' | 'mirror'>): string {
  const from = o.mirror ? `from ${o.mirror}` : ''
  if (o.downloadBytes === null) return from || 'size not known'
  const mb = o.downloadBytes / 1e6
  return `≈ ${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MB${from ? `, ${from}` : ''}`
}

/** The offer in words: "Make Static (distroless-like) from Debian packages (≈ 0.5 MB, from deb.debian.org)". */
export function offerText(o: MakeOffer): string {
  if (o.present) return `Use ${o.label} made here (${o.image})`
  return `Make ${o.label} from Debian packages (${offerCost(o)})`
}

/** Several offers in one action's words: the ones to make (with their total size), then the ones made here to use. */
export function offersText(offers: readonly MakeOffer[]): string {
  if (offers.length === 1) return offerText(offers[0] as MakeOffer)
  const make = offers.filter((o) => !o.present)
  const use = offers.filter((o) => o.present)
  const known = make.every((o) => o.downloadBytes !== null)
  const cost = offerCost({ downloadBytes: known ? make.reduce((n, o) => n + (o.downloadBytes ?? 0), 0) : null, mirror: make.find((o) => o.mirror)?.mirror ?? null })
  const parts = [
    ...(make.length ? [`Make ${make.map((o) => o.label).join(' and ')} from Debian packages (${cost})`] : []),
    ...(use.length ? [`${make.length ? 'use' : 'Use'} ${use.map((o) => o.label).join(' and ')} made here`] : []),
  ]
  return parts.join(', and ')
}

/** The host of a mirror URI for the offer's words (the URI itself when it has none). */
export function mirrorHost(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(uri)?.[1] ?? uri
}
