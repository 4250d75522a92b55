import type { BuildRecord } from '../../../../shared/types/build'

/**
 * The newest succeeded build of `dir` that left an image, from this session's jobs and the
 * project's history (null while neither has one): once there is one, the example's first-start
 * guide points on (Compare, Run) instead of asking for a build.
 */
export function newestBuilt(dir: string, jobs: readonly { dir: string; record: BuildRecord | null }[], history: readonly BuildRecord[] | null): BuildRecord | null {
  let best: BuildRecord | null = null
  for (const r of [...jobs.map((j) => (j.dir === dir ? j.record : null)), ...(history ?? [])]) {
    if (r && r.dir === dir && r.result === 'succeeded' && r.imageId && (!best || r.startedAt > best.startedAt)) best = r
  }
  return best
}
