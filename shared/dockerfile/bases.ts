// The runtime base catalog, user-defined bases (mirrors, hardened variants) and the Go builder
// image. Pure data and pure functions: the renderer shows the same catalog the recipes use.
import { z } from 'zod'
import type { GoModule, ProjectAnalysis, Evidence } from '../types/project'
import { imageRefProblem, isPinnedRef } from './image-ref'
import { hasControlChars, showText } from './safe-text'

/** The C library a base ships: a cgo binary needs the one it was linked against. */
export type Libc = 'none' | 'glibc' | 'musl'

/** The package manager a base ships (never run in the final stage of a recipe). */
export type PackageManager = 'apk' | 'apt' | null

/** Ids of the bases Slipway knows out of the box. */
export const BUILTIN_BASE_IDS = ['scratch', 'distroless-static', 'distroless-base', 'alpine', 'debian-slim'] as const

/** One of the built-in base ids. */
export type BuiltinBaseId = (typeof BUILTIN_BASE_IDS)[number]

/** A runtime base: what the final stage starts `FROM`, with the facts the recipe depends on. */
export interface BaseImage {
  /** Stable id: a built-in id, or a user-chosen one for custom bases. */
  id: string
  label: string
  /** Image reference with a pinned tag (or `scratch`). */
  image: string
  /** Has /bin/sh: `docker exec -it … sh` works, and so would shell-form commands. */
  shell: boolean
  /** Ships a CA bundle at /etc/ssl/certs/ca-certificates.crt. */
  caCerts: boolean
  /** Ships /usr/share/zoneinfo. */
  tzdata: boolean
  libc: Libc
  packageManager: PackageManager
  /** Has /etc/passwd and /etc/group. */
  passwd: boolean
  /** The user the image runs as when nobody says otherwise; `name` null when there is no passwd entry. */
  defaultUser: { name: string | null; uid: number }
  /** Can run a cgo binary built in a glibc (golang:*-bookworm) builder. */
  runsCgo: boolean
  /** Approximate uncompressed size for linux/amd64, as `docker images` shows it. */
  typicalSizeBytes: number
  summary: string
  pros: string[]
  cons: string[]
  /** The built-in this base behaves like (itself for a built-in). */
  basedOn: BuiltinBaseId
  /** Defined by the user (settings), not shipped with Slipway. */
  custom: boolean
}

const builtin = (b: Omit<BaseImage, 'basedOn' | 'custom'> & { id: BuiltinBaseId }): BaseImage => ({ ...b, basedOn: b.id, custom: false })

/** The built-in catalog, smallest first. Sizes are typical figures, shown to help choose. */
export const BASE_CATALOG: readonly BaseImage[] = Object.freeze([
  builtin({
    id: 'scratch',
    label: 'Scratch',
    image: 'scratch',
    shell: false,
    caCerts: false,
    tzdata: false,
    libc: 'none',
    packageManager: null,
    passwd: false,
    defaultUser: { name: null, uid: 0 },
    runsCgo: false,
    typicalSizeBytes: 0,
    summary: 'Nothing but your binary: the smallest image there is.',
    pros: ['Smallest possible image: only your binary and what Slipway copies in', 'Nothing else to patch or scan'],
    cons: [
      'No shell, so no `docker exec … sh` for debugging',
      'No CA certificates: Slipway copies them in when the program makes TLS calls',
      'No time zone data: Slipway embeds it in the binary when the program needs it',
      'No users at all (no /etc/passwd): runs as a bare numeric id',
      'Cannot run cgo binaries',
    ],
  }),
  builtin({
    id: 'distroless-static',
    label: 'Distroless static',
    image: 'gcr.io/distroless/static-debian12:nonroot',
    shell: false,
    caCerts: true,
    tzdata: true,
    libc: 'none',
    packageManager: null,
    passwd: true,
    defaultUser: { name: 'nonroot', uid: 65532 },
    runsCgo: false,
    typicalSizeBytes: 2_000_000,
    summary: 'Scratch plus CA certificates, time zone data and a nonroot user.',
    pros: [
      'About 2 MB on top of your binary',
      'CA certificates and time zone data included',
      'A nonroot user (65532), /tmp and /etc/passwd, built from Debian packages',
    ],
    cons: ['No shell or package manager: debug from outside, or with a debug variant', 'Cannot run cgo binaries'],
  }),
  builtin({
    id: 'distroless-base',
    label: 'Distroless base (glibc)',
    image: 'gcr.io/distroless/base-debian12:nonroot',
    shell: false,
    caCerts: true,
    tzdata: true,
    libc: 'glibc',
    packageManager: null,
    passwd: true,
    defaultUser: { name: 'nonroot', uid: 65532 },
    runsCgo: true,
    typicalSizeBytes: 20_700_000,
    summary: 'Distroless static plus glibc and OpenSSL: for programs built with cgo.',
    pros: ['Runs cgo binaries (glibc, like the builder)', 'CA certificates, time zone data and a nonroot user', 'Still no shell to exploit'],
    cons: ['About ten times the size of distroless static', 'No shell or package manager for debugging'],
  }),
  builtin({
    id: 'alpine',
    label: 'Alpine',
    image: 'alpine:3.20',
    shell: true,
    caCerts: true,
    tzdata: false,
    libc: 'musl',
    packageManager: 'apk',
    passwd: true,
    defaultUser: { name: 'root', uid: 0 },
    runsCgo: false,
    typicalSizeBytes: 7_800_000,
    summary: 'A small Linux with a shell and apk, on musl instead of glibc.',
    pros: ['A shell and busybox tools for debugging inside the container', 'Small (about 8 MB)', 'CA certificates included'],
    cons: [
      'musl, not glibc: a cgo binary from a Debian builder will not start',
      'No time zone data by default: Slipway embeds it in the binary when needed',
      'Runs as root unless told otherwise (Slipway sets a non-root user)',
    ],
  }),
  builtin({
    id: 'debian-slim',
    label: 'Debian slim',
    image: 'debian:bookworm-slim',
    shell: true,
    caCerts: false,
    tzdata: true,
    libc: 'glibc',
    packageManager: 'apt',
    passwd: true,
    defaultUser: { name: 'root', uid: 0 },
    runsCgo: true,
    typicalSizeBytes: 74_800_000,
    summary: 'A full Debian userland without docs: glibc, a shell and apt.',
    pros: ['glibc: runs cgo binaries', 'A shell and the usual tools for debugging', 'The most familiar environment'],
    cons: [
      'The biggest base here (about 75 MB), with the most to patch and scan',
      'No CA certificates in the slim image: Slipway copies them in when needed',
      'Runs as root unless told otherwise (Slipway sets a non-root user)',
    ],
  }),
])

const builtinById = new Map(BASE_CATALOG.map((b) => [b.id, b]))

/** The built-in base with this id (throws on an unknown id: a programming error, not user input). */
export function builtinBase(id: BuiltinBaseId): BaseImage {
  const b = builtinById.get(id)
  if (!b) throw new Error(`Unknown built-in base "${id}"`)
  return b
}

// Control characters are refused before trimming: a reference with a newline in it is a typo or
// an attack, not a reference with some white space around it.
const noControl = { message: 'must not contain control characters (newlines, tabs, …)', abort: true } as const
const text = (max: number) => z.string().max(max).refine((s) => !hasControlChars(s), noControl)

/** An image reference as settings may hold one: refused with the parser's own words when it is not one. */
const imageRefSchema = z
  .string()
  .refine((s) => !hasControlChars(s), noControl)
  .trim()
  .min(1)
  .superRefine((r, ctx) => {
    const problem = r === 'scratch' ? null : imageRefProblem(r)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false })
  })
  .refine((r) => isPinnedRef(r), { message: 'must name a tag other than "latest", or a digest' })

/**
 * A user-defined base as stored in settings. Only `id`, `image` and `basedOn` are required: every
 * other field is inherited from the built-in it is based on. An `id` equal to a built-in id
 * replaces that built-in's image reference (a company mirror of the same image).
 */
export const customBaseSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'must be lower-case letters, digits, ".", "_" or "-"' }),
  image: imageRefSchema,
  basedOn: z.enum(BUILTIN_BASE_IDS),
  label: text(80).trim().min(1).optional(),
  shell: z.boolean().optional(),
  caCerts: z.boolean().optional(),
  tzdata: z.boolean().optional(),
  libc: z.enum(['none', 'glibc', 'musl']).optional(),
  packageManager: z.enum(['apk', 'apt']).nullable().optional(),
  passwd: z.boolean().optional(),
  defaultUser: z.object({ name: text(64).nullable(), uid: z.number().int().nonnegative() }).optional(),
  runsCgo: z.boolean().optional(),
  typicalSizeBytes: z.number().int().nonnegative().optional(),
  summary: text(300).optional(),
  pros: z.array(text(300)).optional(),
  cons: z.array(text(300)).optional(),
})

/** A user-defined base: a built-in's fields, any of them overridden, plus the built-in it is based on. */
export type CustomBase = z.infer<typeof customBaseSchema>

/** The merged catalog, and what was wrong with the entries that were left out. */
export interface ResolvedBases {
  bases: BaseImage[]
  problems: string[]
}

/**
 * Merges the built-in catalog with user-defined bases (unknown input, e.g. from a settings file).
 * An entry whose id is a built-in id overrides that built-in in place (e.g. a mirror of its image);
 * other entries are added after the built-ins, inheriting the fields they leave out from `basedOn`.
 * Invalid entries are skipped and described in `problems`, so one typo does not lose the others.
 */
export function resolveBases(custom: unknown): ResolvedBases {
  const problems: string[] = []
  const list = custom === undefined || custom === null ? [] : Array.isArray(custom) ? custom : null
  if (list === null) return { bases: [...BASE_CATALOG], problems: ['Custom bases must be a list; ignored.'] }
  const overrides = new Map<string, BaseImage>()
  const added: BaseImage[] = []
  list.forEach((entry: unknown, i) => {
    const parsed = customBaseSchema.safeParse(entry)
    const where = describeEntry(entry, i)
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'} ${issue.message}`).join('; ')
      problems.push(`${where}: ${why}. Skipped.`)
      return
    }
    const c = parsed.data
    if (overrides.has(c.id) || added.some((b) => b.id === c.id)) {
      problems.push(`${where}: the id "${c.id}" is defined twice; the first one is kept.`)
      return
    }
    const isBuiltin = builtinById.has(c.id)
    if (isBuiltin && c.id !== c.basedOn) {
      problems.push(`${where}: "${c.id}" is a built-in id and can only be based on itself. Skipped.`)
      return
    }
    const parent = builtinBase(c.basedOn)
    const merged: BaseImage = {
      ...parent,
      ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)),
      label: c.label ?? (isBuiltin ? parent.label : `${c.id} (like ${parent.label})`),
      basedOn: c.basedOn,
      custom: true,
    }
    if (merged.runsCgo && merged.libc !== 'glibc') problems.push(`${where}: runsCgo needs a glibc base; check "libc".`)
    if (isBuiltin) overrides.set(c.id, merged)
    else added.push(merged)
  })
  return { bases: [...BASE_CATALOG.map((b) => overrides.get(b.id) ?? b), ...added], problems }
}

function describeEntry(entry: unknown, i: number): string {
  const id = typeof entry === 'object' && entry !== null && 'id' in entry ? (entry as { id: unknown }).id : undefined
  return typeof id === 'string' && id.length > 0 ? `Custom base ${showText(id, 64)}` : `Custom base #${i + 1}`
}

/**
 * The base Slipway suggests for a project: distroless static, or distroless base when the program
 * needs cgo (glibc). Looks the ids up in `bases`, so a mirrored override is honoured.
 */
export function recommendBase(analysis: Pick<ProjectAnalysis, 'needs'>, bases: readonly BaseImage[] = BASE_CATALOG): BaseImage {
  const id = analysis.needs.cgo.length > 0 ? 'distroless-base' : 'distroless-static'
  return bases.find((b) => b.id === id) ?? builtinBase(id)
}

/** The built-in bases that can run a cgo binary, for messages that offer an alternative. */
export function cgoCapableBases(bases: readonly BaseImage[] = BASE_CATALOG): BaseImage[] {
  return bases.filter((b) => b.runsCgo)
}

// ── The builder image ───────────────────────────────────────────────────────────────────────────

/** Go release used when nothing says otherwise (no go.mod, or one older than MIN_BUILDER_GO). */
export const DEFAULT_GO_VERSION = '1.23'
/**
 * Oldest Go release Slipway builds with. A `go` line is a minimum, and newer Go keeps building old
 * modules; releases before 1.21 do not understand `toolchain` lines and have long been unsupported.
 */
export const MIN_BUILDER_GO = '1.21'
/**
 * The newest Go release Slipway knows was published (Go ships a release each February and August;
 * 1.27 came in August 2026). A go or toolchain line beyond it names a builder tag that may not
 * exist yet: the recipe still uses it (the user may know better) but says so before any build.
 */
export const NEWEST_KNOWN_GO = '1.27'

/** The builder image and why it was chosen. */
export interface BuilderChoice {
  image: string
  /** The Go release (major.minor) the image carries, or null for an override. */
  goVersion: string | null
  why: string
  evidence?: Evidence[]
  /** The override was not a valid image reference, so the default was chosen instead: what was wrong, for a notice. */
  rejected?: { image: string; problem: string }
  /** go.mod asks for a Go release newer than NEWEST_KNOWN_GO: the chosen tag may not exist. */
  unreleased?: { goVersion: string; newestKnown: string }
}

type GoMinor = [number, number]

function goMinor(v: string | null | undefined): GoMinor | null {
  const m = /^(?:go)?(\d+)\.(\d+)/.exec(v?.trim() ?? '')
  return m ? [Number(m[1]), Number(m[2])] : null
}

const cmp = (a: GoMinor, b: GoMinor): number => a[0] - b[0] || a[1] - b[1]
const fmt = (v: GoMinor): string => `${v[0]}.${v[1]}`

/**
 * Picks the Go builder image: `golang:<major.minor>-bookworm` from go.mod's `go` line, or its
 * `toolchain` line when that is newer; the default release without go.mod or for very old modules.
 * The minor tag (not a patch) is deliberate: it is pinned to one Go release and still gets its
 * security fixes, and it is never older than a patch the go line names. `override` (from settings)
 * wins when it is a valid image reference; otherwise the default is used and `rejected` says why.
 */
export function chooseBuilder(module: GoModule | null, override?: string | null): BuilderChoice {
  // Only spaces are trimmed: any other white space is refused along with the rest of a bad reference.
  const wanted = override?.replace(/^ +| +$/g, '') ?? ''
  if (wanted !== '') {
    const problem = imageRefProblem(wanted)
    if (problem === null) return { image: wanted, goVersion: null, why: `The builder image comes from your settings (${wanted}).` }
    const fallback = goBuilder(module)
    return { ...fallback, why: `${fallback.why} (The builder image in your settings, ${showText(wanted)}, ${problem}, so it is not used.)`, rejected: { image: wanted, problem } }
  }
  return goBuilder(module)
}

/** The official Go image for the module's go and toolchain lines. */
function goBuilder(module: GoModule | null): BuilderChoice {
  const image = (v: GoMinor) => `golang:${fmt(v)}-bookworm`
  const fallback = goMinor(DEFAULT_GO_VERSION) as GoMinor
  if (!module) {
    return { image: image(fallback), goVersion: fmt(fallback), why: `There is no go.mod, so the build uses Go ${fmt(fallback)}, Slipway's default.` }
  }
  const go = goMinor(module.goVersion)
  const tc = goMinor(module.toolchain)
  const evidence = [module.evidence]
  let wanted: GoMinor | null = go
  let why = go ? `go.mod asks for Go ${module.goVersion}: the ${fmt(go)} builder always carries at least that patch release.` : ''
  if (tc && (!wanted || cmp(tc, wanted) > 0)) {
    wanted = tc
    why = `go.mod's toolchain line (${module.toolchain}) is newer than its go line, so the build uses Go ${fmt(tc)}.`
  }
  if (!wanted) return { image: image(fallback), goVersion: fmt(fallback), why: `go.mod has no go line, so the build uses Go ${fmt(fallback)}, Slipway's default.`, evidence }
  const min = goMinor(MIN_BUILDER_GO) as GoMinor
  if (cmp(wanted, min) < 0) {
    return {
      image: image(fallback),
      goVersion: fmt(fallback),
      why: `go.mod says Go ${fmt(wanted)}, a minimum: that release is long out of support, and Go ${fmt(fallback)} builds the module the same way.`,
      evidence,
    }
  }
  const newest = goMinor(NEWEST_KNOWN_GO) as GoMinor
  if (cmp(wanted, newest) > 0) return { image: image(wanted), goVersion: fmt(wanted), why, evidence, unreleased: { goVersion: fmt(wanted), newestKnown: fmt(newest) } }
  return { image: image(wanted), goVersion: fmt(wanted), why, evidence }
}
