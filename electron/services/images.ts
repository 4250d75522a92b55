import { stat } from 'node:fs/promises'
import { basename, isAbsolute } from 'node:path'
import type Dockerode from 'dockerode'
import { SlipwayError } from '../../shared/errors'
import type { ImageAvailability, ImageDetails, ImageSummary, SlipwayBase, SlipwayImage, SlipwayProject } from '../../shared/types/images'
import { LABEL } from './build/builds'
import { imageAvailability } from './build/images'
import { listImages } from './engine/image-list'

export { listImages }

/**
 * The recipe hash a build of `dir` on `base` (main package `main`) would get now. Made fresh for each
 * listing, so one listing analyses each project once and the next sees today's files.
 */
export type RecipeHashOf = (dir: string, base: string, main: string) => Promise<string>

export interface ImagesDeps {
  docker: () => Dockerode
  prewarm: () => void
  /** A recipe-hash function for one listing (see `RecipeHashOf`). */
  recipes: () => RecipeHashOf
}

/** The Images page's service: the engine's images, Slipway's own ones with their staleness, and a warm indexing worker. */
export class Images {
  constructor(private readonly deps: ImagesDeps) {}

  /** Lists the images; listing them means the user is about to open one, so the layer indexer warms up. */
  list(): Promise<ImageSummary[]> {
    this.deps.prewarm()
    return listImages(this.deps.docker())
  }

  /**
   * The images Slipway built (labelled org.slipway.project), grouped by project and base, each
   * compared with the recipe the Builds service would write now: current, stale, project gone (the
   * folder no longer exists) or unknown (the project cannot be analysed; the detail says why).
   */
  async slipway(): Promise<SlipwayProject[]> {
    this.deps.prewarm()
    const docker = this.deps.docker()
    const images = await listImages(docker)
    const recipeOf = this.deps.recipes()
    const hashes = new Map<string, Promise<string>>()
    const folders = new Map<string, Promise<boolean>>()
    const projects = new Map<string, SlipwayProject>()

    await Promise.all(
      images.map(async (i) => {
        const dir = i.labels[LABEL.project]
        if (!dir || !isAbsolute(dir)) return
        const base = i.labels[LABEL.base] || 'unknown'
        const main = i.labels[LABEL.main] || '.'
        let exists = folders.get(dir)
        if (!exists) folders.set(dir, (exists = isFolder(dir)))
        const image: SlipwayImage = {
          id: i.id,
          repoTags: i.repoTags,
          created: i.created,
          sizeBytes: i.sizeBytes,
          base,
          main,
          version: i.labels[LABEL.version] ?? '',
          containers: i.containers,
          ...(await this.status(i.labels[LABEL.recipe], await exists, () => {
            const key = `${dir}\0${base}\0${main}`
            let h = hashes.get(key)
            if (!h) hashes.set(key, (h = recipeOf(dir, base, main)))
            return h
          })),
        }
        let project = projects.get(dir)
        if (!project) projects.set(dir, (project = { dir, name: basename(dir), gone: !(await exists), bases: [] }))
        let group: SlipwayBase | undefined = project.bases.find((b) => b.base === base)
        if (!group) project.bases.push((group = { base, images: [] }))
        group.images.push(image)
      }),
    )
    for (const p of projects.values()) {
      for (const b of p.bases) b.images.sort((x, y) => y.created - x.created)
      p.bases.sort((x, y) => x.base.localeCompare(y.base))
    }
    return [...projects.values()].sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir))
  }

  private async status(label: string | undefined, exists: boolean, hash: () => Promise<string>): Promise<Pick<SlipwayImage, 'status' | 'statusDetail'>> {
    if (!exists) return { status: 'project-gone', statusDetail: 'The project folder no longer exists.' }
    try {
      const now = await hash()
      if (label === now) return { status: 'current', statusDetail: 'Built from the recipe Slipway writes for the project today.' }
      return { status: 'stale', statusDetail: 'The project or the settings changed since: a build now would write a different Dockerfile.' }
    } catch (e) {
      const err = e as { message?: string }
      return { status: 'unknown', statusDetail: `The project could not be analysed: ${err.message ?? String(e)}` }
    }
  }

  /**
   * Deletes an image Slipway built (all its tags). Refuses an image without Slipway's label
   * (NotSlipwayImage) and one any container was made from, running or not (ImageInUse).
   */
  /**
   * What the engine says about an image at once — platform, size, layers, history with sizes, and
   * its configuration (user, env, ports, entrypoint, labels) — for the image view while its content
   * is still being read, and for the comparison's metadata. ImageNotFound when it is gone.
   */
  async inspect(imageId: string): Promise<ImageDetails> {
    const image = this.deps.docker().getImage(imageId)
    let info: Dockerode.ImageInspectInfo
    let history: { Created: number; CreatedBy: string; Size: number; Comment: string }[]
    try {
      ;[info, history] = await Promise.all([image.inspect(), image.history() as Promise<{ Created: number; CreatedBy: string; Size: number; Comment: string }[]>])
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404)
        throw new SlipwayError('ImageNotFound', `There is no image ${shortId(imageId)} in the engine.`, 'It may have been deleted meanwhile; refresh the list.')
      throw e
    }
    const c = info.Config ?? ({} as Dockerode.ImageInspectInfo['Config'])
    const variant = (info as { Variant?: string }).Variant
    const health = (c as { Healthcheck?: { Test?: string[] } }).Healthcheck?.Test
    return {
      id: info.Id,
      repoTags: (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      created: Date.parse(info.Created) || 0,
      sizeBytes: info.Size,
      os: info.Os,
      architecture: info.Architecture,
      ...(variant ? { variant } : {}),
      layerCount: info.RootFS?.Layers?.length ?? 0,
      history: [...history].reverse().map((h) => ({ createdBy: h.CreatedBy ?? '', created: (h.Created ?? 0) * 1000, sizeBytes: h.Size ?? 0, comment: h.Comment ?? '' })),
      config: {
        user: c?.User ?? '',
        workingDir: c?.WorkingDir ?? '',
        env: c?.Env ?? [],
        exposedPorts: Object.keys(c?.ExposedPorts ?? {}).sort(),
        entrypoint: asList(c?.Entrypoint),
        cmd: asList(c?.Cmd),
        labels: c?.Labels ?? {},
        stopSignal: (c as { StopSignal?: string })?.StopSignal ?? '',
        healthcheck: health ?? [],
      },
    }
  }

  /** Whether `ref` is here, else whether its registry would give it (see `imageAvailability`). */
  check(ref: string): Promise<ImageAvailability> {
    return imageAvailability(this.deps.docker(), ref)
  }

  async remove(imageId: string): Promise<void> {
    const docker = this.deps.docker()
    let info: Dockerode.ImageInspectInfo
    try {
      info = await docker.getImage(imageId).inspect()
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404)
        throw new SlipwayError('ImageNotFound', `There is no image ${shortId(imageId)} in the engine.`, 'It may have been deleted already; refresh the list.')
      throw e
    }
    const tags = (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
    const name = tags[0] ?? shortId(info.Id)
    if (!info.Config?.Labels?.[LABEL.project])
      throw new SlipwayError(
        'NotSlipwayImage',
        `${name} was not built by Slipway, so Slipway does not delete it.`,
        `Slipway deletes only the images it built (labelled ${LABEL.project}). Remove others with \`docker image rm\`.`,
      )
    const users = (await docker.listContainers({ all: true })).filter((c) => c.ImageID === info.Id)
    if (users.length > 0) {
      const names = users.map((c) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''))
      throw new SlipwayError(
        'ImageInUse',
        `${name} is used by ${users.length === 1 ? 'a container' : `${users.length} containers`}: ${names.join(', ')}.`,
        'Remove the container first (Images → Containers, or `docker rm`), then delete the image.',
      )
    }
    // One tag at a time: removing by id refuses an image with several tags, and force would hide a new container.
    if (tags.length > 1) for (const t of tags) await docker.getImage(t).remove()
    else await docker.getImage(info.Id).remove()
  }
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory()
  } catch {
    return false
  }
}

/** Entrypoint and Cmd arrive as a list, a string (old images) or null. */
function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String)
  return typeof v === 'string' && v ? [v] : []
}
