// Which app image a stack runs: the newest image Slipway built for the project on the chosen base,
// unless it is stale — its recipe differs from the one a build would write now, or a file of the
// build context changed after that build started — or there is none; then Up builds first.
import type Dockerode from 'dockerode'
import type { BuildRecord, PreflightFinding } from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import type { PreparedBuild } from '../build/builds'
import { walkContext } from '../build/context'

/** What the stack needs from the Builds service to choose (and make) the app image. */
export interface AppImageBuilds {
  /** The recipe on a base; from `analysis` when the action has one already (the project is analysed once per action). */
  prepare(dir: string, opts: { base?: string; analysis?: ProjectAnalysis }): Promise<PreparedBuild>
  history(dir: string): Promise<BuildRecord[]>
  /** What would stop the build just prepared before it starts (a base or builder that cannot be pulled, with the offer to make it). */
  preflightPrepared?(prepared: PreparedBuild): Promise<PreflightFinding[]>
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
  /** The build the choice was made from, for the preflight and the build of the same action. */
  prepared: PreparedBuild
}

/** Chooses the app image for `dir` on `base` (unset: the recipe's default base). */
export async function chooseAppImage(docker: Dockerode, builds: AppImageBuilds, dir: string, base?: string, analysis?: ProjectAnalysis): Promise<AppImageChoice> {
  const prepared = await builds.prepare(dir, { ...(base ? { base } : {}), ...(analysis ? { analysis } : {}) })
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
    if (rec.dockerfile !== prepared.recipe.dockerfile) return { action: 'rebuild', image: tag, base: baseId, reason: 'The Dockerfile Slipway writes for this project changed since the last build.', buildTag, prepared }
    const changed = await changedSince(dir, prepared.recipe.dockerignore, rec.startedAt)
    if (changed) return { action: 'rebuild', image: tag, base: baseId, reason: `${changed} changed after the last build.`, buildTag, prepared }
    return { action: 'use', image: tag, base: baseId, reason: null, buildTag, prepared }
  }
  return { action: 'build', image: null, base: baseId, reason: `There is no build of this project on ${baseId} yet.`, buildTag, prepared }
}

/** The first file of the build context modified after `since` (epoch ms), or null. */
async function changedSince(dir: string, dockerignore: string, since: number): Promise<string | null> {
  for await (const entry of walkContext(dir, dockerignore)) if (entry.kind === 'file' && entry.stat.mtimeMs > since) return entry.path
  return null
}
