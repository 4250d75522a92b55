import { z } from 'zod'
import { customBaseSchema } from './dockerfile/bases'
import { imageRefProblem } from './dockerfile/image-ref'
import { hasControlChars } from './dockerfile/safe-text'
import { DEBIAN_SUITE, isMirrorUri } from './debian/sources'

/** How many recent projects are remembered. */
export const MAX_RECENT_PROJECTS = 12

export const recentProjectSchema = z.object({
  path: z.string().min(1).max(4096),
  name: z.string().max(200),
  openedAt: z.number().int().nonnegative(),
})

/** How many projects' choices are remembered (the least recently changed are forgotten first). */
export const MAX_PROJECT_CHOICES = 200

/**
 * What the person chose for one project, remembered so reopening it shows the same recipe: the main
 * package, the base, the builder image, the cache-mount toggle and the build args. Blank text and
 * null mean "the default", as in the UI. Checked like the fields the recipe takes them into.
 */
export const projectChoicesSchema = z
  .object({
    main: z.string().max(4096).nullable(),
    baseId: z.string().max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a base id such as "distroless-static"').nullable(),
    buildkit: z.boolean().nullable(),
    builderImage: z.string().max(4096).refine((v) => !hasControlChars(v), 'must not contain control characters'),
    version: z.string().max(128).regex(/^[\w.+-]*$/, 'letters, digits and . + - _ only'),
    commit: z.string().max(128).regex(/^[\w.+-]*$/, 'letters, digits and . + - _ only'),
  })
  .strict()
export type ProjectChoices = z.infer<typeof projectChoicesSchema>

/** The choices of a project with none remembered. */
export const NO_CHOICES: ProjectChoices = { main: null, baseId: null, buildkit: null, builderImage: '', version: '', commit: '' }

/**
 * Everything Slipway remembers between runs, stored as JSON in the app's data folder.
 * `customBases` is kept as written and validated entry by entry by `resolveBases`, and a bad
 * `builderImage` is only refused where it is used (the recipe falls back to the default with a
 * notice), so one bad entry in a hand-edited file does not cost the others. What a front end
 * sends is checked strictly by `settingsPatchSchema`.
 */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  recentProjects: z.array(recentProjectSchema).max(100).default([]),
  customBases: z.array(z.unknown()).max(200).default([]),
  /** A Go builder image to use instead of the official `golang:<version>-bookworm` (e.g. a company mirror). */
  builderImage: z.string().max(4096).nullable().default(null).catch(null),
  /** The dev stack's Postgres image instead of `postgres:16-alpine` (another version, a company mirror); a bad one is refused where used. */
  postgresImage: z.string().max(4096).nullable().default(null).catch(null),
  /** The Debian mirror bases are made from, instead of the one in the apt sources (checked where used). */
  debianMirror: z.string().max(2048).nullable().default(null).catch(null),
  /** The Debian suite (codename) bases are made from; null: bookworm. */
  debianSuite: z.string().max(64).nullable().default(null).catch(null),
  /**
   * Choices per project root (see projectChoicesSchema), each with when it was saved. Kept as written
   * and checked entry by entry by `choicesFor`: one bad entry in a hand-edited file costs only itself.
   */
  projectChoices: z.record(z.string().max(4096), z.unknown()).default({}).catch({}),
})

export type Settings = z.infer<typeof settingsSchema>
export type RecentProject = z.infer<typeof recentProjectSchema>

/** An image reference as a front end sets it: valid (surrounding spaces are dropped), else refused with the reason naming `what`. */
function imageSettingSchema(what: string) {
  return z
    .string()
    .refine((s) => !hasControlChars(s), { message: `${what} must not contain control characters (newlines, tabs, …).`, abort: true })
    .trim()
    .superRefine((ref, ctx) => {
      const problem = imageRefProblem(ref)
      if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${problem}.` })
    })
}

/** A builder image as a front end sets it: a valid image reference (surrounding spaces are dropped), else refused with the reason. */
export const builderImageSchema = imageSettingSchema('The builder image')
/** The stack's Postgres image as a front end sets it (any reference: a version, a mirror, a stand-in). */
export const postgresImageSchema = imageSettingSchema('The Postgres image')

/** Custom bases as a front end sends them: every entry must be valid, and each problem names its entry and field. */
const customBasesPatchSchema = z
  .array(z.unknown())
  .max(200)
  .superRefine((list, ctx) => {
    list.forEach((entry, i) => {
      const parsed = customBaseSchema.safeParse(entry)
      if (parsed.success) return
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [i, ...issue.path], message: `Custom base #${i + 1}: ${issue.path.join('.') || 'entry'} ${issue.message}` })
    })
  })

/**
 * The fields a front end may change; recent projects change only by opening one. Refuses what a
 * recipe could not use (a builder image or base image that is not a valid reference) at the
 * boundary, with a message, instead of storing it. Custom bases are stored as sent.
 */
export const settingsPatchSchema = z
  .object({
    customBases: customBasesPatchSchema,
    builderImage: builderImageSchema.nullable(),
    postgresImage: postgresImageSchema.nullable(),
    debianMirror: z.string().trim().max(2048).refine(isMirrorUri, { message: 'The Debian mirror must be an http:// or https:// address of a Debian archive (e.g. https://mirror.example/debian).' }).nullable(),
    debianSuite: z.string().trim().regex(DEBIAN_SUITE, 'The Debian suite must be a codename such as "bookworm".').nullable(),
  })
  .partial()
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

/** Settings as first written on a new machine. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({})
}

/** The remembered choices for a project root, or null when there are none (or they are not valid any more). */
export function choicesFor(settings: Pick<Settings, 'projectChoices'> | null, root: string): ProjectChoices | null {
  const entry = settings?.projectChoices[root] as { choices?: unknown } | undefined
  const parsed = projectChoicesSchema.safeParse(entry?.choices)
  return parsed.success ? parsed.data : null
}

/** `all` with `root`'s choices set (saved at `at`), keeping the MAX_PROJECT_CHOICES most recently saved. */
export function withChoices(all: Settings['projectChoices'], root: string, choices: ProjectChoices, at: number): Settings['projectChoices'] {
  const savedAt = (v: unknown) => (typeof (v as { savedAt?: unknown } | null)?.savedAt === 'number' ? (v as { savedAt: number }).savedAt : 0)
  const rest = Object.entries(all).filter(([k]) => k !== root)
  const kept = rest.sort((a, b) => savedAt(b[1]) - savedAt(a[1])).slice(0, MAX_PROJECT_CHOICES - 1)
  return Object.fromEntries([[root, { choices, savedAt: at }], ...kept])
}

/** Puts `project` first in the recent list, without duplicates, keeping at most MAX_RECENT_PROJECTS. */
export function withRecent(list: readonly RecentProject[], project: RecentProject): RecentProject[] {
  return [project, ...list.filter((p) => p.path !== project.path)].slice(0, MAX_RECENT_PROJECTS)
}
