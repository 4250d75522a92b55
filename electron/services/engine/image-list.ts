import type Dockerode from 'dockerode'
import type { ImageSummary } from '../../../shared/types/images'

/**
 * The engine's images as Slipway counts them everywhere (the Images page, its header and the status
 * bar): the top-level images, one per id, tagged or dangling — what `docker images` lists. `docker
 * info`'s own count also holds the intermediate images a classic build leaves as parents, which no
 * list shows, so it is never shown.
 */
export function topLevelImages(docker: Dockerode): Promise<Dockerode.ImageInfo[]> {
  return docker.listImages({ all: false })
}

/** How many images the status bar shows: the length of the list the Images page shows. */
export async function countImages(docker: Dockerode): Promise<number> {
  return (await topLevelImages(docker)).length
}

/**
 * The engine's images, newest first, each with how many containers (running or stopped) were made
 * from it and whether it is dangling (no tag and no digest: `docker images -f dangling=true`).
 */
export async function listImages(docker: Dockerode): Promise<ImageSummary[]> {
  const [list, containers] = await Promise.all([topLevelImages(docker), docker.listContainers({ all: true })])
  const users = new Map<string, number>()
  for (const c of containers) users.set(c.ImageID, (users.get(c.ImageID) ?? 0) + 1)
  return list
    .map((i) => {
      const repoTags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
      const digests = (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>')
      return {
        id: i.Id,
        repoTags,
        created: i.Created * 1000,
        sizeBytes: i.Size,
        labels: i.Labels ?? {},
        containers: users.get(i.Id) ?? 0,
        dangling: repoTags.length === 0 && digests.length === 0,
      }
    })
    .sort((a, b) => b.created - a.created)
}
