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

/** The Images page's service: the engine's images, and a warm indexing worker for the one the user opens next. */
export class Images {
  constructor(private readonly deps: { docker: () => Dockerode; prewarm: () => void }) {}

  /** Lists the images; listing them means the user is about to open one, so the layer indexer warms up. */
  list(): Promise<ImageSummary[]> {
    this.deps.prewarm()
    return listImages(this.deps.docker())
  }
}
