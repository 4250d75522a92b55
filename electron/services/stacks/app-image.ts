// Which app image a stack runs: the newest image Slipway built for the project on the chosen base,
// unless it is stale — its recipe differs from the one a build would write now, or a file of the
// build context changed after that build started — or there is none; then Up builds first.
import type Dockerode from 'dockerode'
import type { BuildRecord, PreflightFinding } from '../../../shared/types/build'
import { walkContext } from '../build/context'

/** What the stack needs from the Builds service to choose (and make) the app image. */
export interface AppImageBuilds {
  prepare(dir: string, opts: { base?: string }): Promise<{ base: { id: string }; recipe: { dockerfile: string; dockerignore: string }; tags: string[] }>
  history(dir: string): Promise<BuildRecord[]>
  /** What would stop a build before it starts (a base or builder that cannot be pulled, with the offer to make it). */
  preflight?(dir: string, opts: { base?: string }): Promise<PreflightFinding[]>
}

/** The app image Up would use, or why it must be built. */
export interface AppImageChoice {
  action: 'use' | 'build' | 'rebuild'
  /** The current image (`use`) or the stale one (`rebuild`). */
  image: string | null
  base: string
  reason: string | null
  /** The tag a build would give it. */
  buildTag: string | null
}

/** Chooses the app image for `dir` on `base` (unset: the recipe's default base). */
export async function chooseAppImage(docker: Dockerode, builds: AppImageBuilds, dir: string, base?: string): Promise<AppImageChoice> {
  const prepared = await builds.prepare(dir, base ? { base } : {})
  const baseId = prepared.base.id
  const buildTag = prepared.tags[0] ?? null
  for (const rec of await builds.history(dir)) {
    if (rec.result !== 'succeeded' || rec.base !== baseId) continue
    let tag: string | null = null
    for (const t of rec.tags)
      if (
        await docker
          .getImage(t)
          .inspect()
          .then((i) => i.Id === rec.imageId, () => false)
      ) {
        tag = t
        break
      }
    if (!tag) continue
    if (rec.dockerfile !== prepared.recipe.dockerfile) return { action: 'rebuild', image: tag, base: baseId, reason: 'The Dockerfile Slipway writes for this project changed since the last build.', buildTag }
    const changed = await changedSince(dir, prepared.recipe.dockerignore, rec.startedAt)
    if (changed) return { action: 'rebuild', image: tag, base: baseId, reason: `${changed} changed after the last build.`, buildTag }
    return { action: 'use', image: tag, base: baseId, reason: null, buildTag }
  }
  return { action: 'build', image: null, base: baseId, reason: `There is no build of this project on ${baseId} yet.`, buildTag }
}

/** The first file of the build context modified after `since` (epoch ms), or null. */
async function changedSince(dir: string, dockerignore: string, since: number): Promise<string | null> {
  for await (const entry of walkContext(dir, dockerignore)) if (entry.kind === 'file' && entry.stat.mtimeMs > since) return entry.path
  return null
}
