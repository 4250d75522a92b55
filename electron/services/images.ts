import type Dockerode from 'dockerode'
import type { ImageSummary } from '../../shared/types/images'

/** Lists the engine's images, newest first (dangling build stages left out). */
export async function listImages(docker: Dockerode): Promise<ImageSummary[]> {
  const list = await docker.listImages({ all: false })
  return list
    .map((i) => ({
      id: i.Id,
      repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      created: i.Created * 1000,
      sizeBytes: i.Size,
      labels: i.Labels ?? {},
    }))
    .sort((a, b) => b.created - a.created)
}
