import { z } from 'zod'

/** How many recent projects are remembered. */
export const MAX_RECENT_PROJECTS = 12

export const recentProjectSchema = z.object({
  path: z.string().min(1).max(4096),
  name: z.string().max(200),
  openedAt: z.number().int().nonnegative(),
})

/**
 * Everything Slipway remembers between runs, stored as JSON in the app's data folder.
 * `customBases` is kept as written and validated entry by entry by `resolveBases`, so one bad
 * entry does not cost the others.
 */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  recentProjects: z.array(recentProjectSchema).max(100).default([]),
  customBases: z.array(z.unknown()).max(200).default([]),
  /** A Go builder image to use instead of the official `golang:<version>-bookworm` (e.g. a company mirror). */
  builderImage: z.string().min(1).max(512).nullable().default(null),
})

export type Settings = z.infer<typeof settingsSchema>
export type RecentProject = z.infer<typeof recentProjectSchema>

/** The fields a front end may change; recent projects change only by opening one. */
export const settingsPatchSchema = settingsSchema.pick({ customBases: true, builderImage: true }).partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

/** Settings as first written on a new machine. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({})
}

/** Puts `project` first in the recent list, without duplicates, keeping at most MAX_RECENT_PROJECTS. */
export function withRecent(list: readonly RecentProject[], project: RecentProject): RecentProject[] {
  return [project, ...list.filter((p) => p.path !== project.path)].slice(0, MAX_RECENT_PROJECTS)
}
