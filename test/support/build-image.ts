// Builds a Go project into an image on the real engine, the way Slipway does: analyse the folder,
// generate the recipe, build it with BuildKit through docker-build.ts (which packs the read-only
// folder plus the in-memory Dockerfile, applies the .dockerignore on the client and fails loudly).
// The stand-in builder and base images replace the official ones (no registry here).
import type Dockerode from 'dockerode'
import { resolveBases, type BaseImage } from '../../shared/dockerfile/bases'
import { generateRecipe, type Recipe } from '../../shared/dockerfile/generate'
import { GoProjects } from '../../electron/services/go-project'
import { buildImage } from './docker-build'
import { standIn } from './stand-ins'

/** The Go builder stand-in (SLIPWAY_TEST_IMAGE_PREFIX moves all of them: see stand-ins.ts). */
export const TEST_BUILDER = standIn('golang:1.23')
/** The distroless/static stand-in. */
export const TEST_DISTROLESS = standIn('distroless-static:nonroot')

export interface ProjectImageOptions {
  /** The tag to build; make it unique per run and remove it afterwards. */
  tag: string
  /** A base from the catalog (default: distroless static, pointed at the stand-in as a custom base would be). */
  base?: BaseImage
  builderImage?: string
  /** Extra build args over the recipe's own (VERSION, COMMIT). */
  buildArgs?: Record<string, string>
}

export interface ProjectImage {
  tag: string
  imageId: string
  recipe: Recipe
  /** The binary the recipe builds (its path in the image is `/app/<binary>`). */
  binary: string
  ms: number
}

/** The alpine stand-in. */
export const TEST_ALPINE = standIn('alpine:3.20')

const STAND_INS = { 'distroless-static': TEST_DISTROLESS, alpine: TEST_ALPINE } as const

/** A catalog base with its image pointed at the local stand-in, through the custom-base setting (as a mirror would be). */
export function testBase(id: keyof typeof STAND_INS): BaseImage {
  const { bases, problems } = resolveBases([{ id, image: STAND_INS[id], basedOn: id }])
  if (problems.length) throw new Error(problems.join('\n'))
  return bases.find((b) => b.id === id) as BaseImage
}

/** The distroless static base, pointed at its stand-in. */
export function testDistrolessBase(): BaseImage {
  return testBase('distroless-static')
}

/** Builds the Go project in `dir` as `opts.tag`; throws with the engine's message when the build fails. */
export async function buildProjectImage(docker: Dockerode, dir: string, opts: ProjectImageOptions): Promise<ProjectImage> {
  const started = Date.now()
  const analysis = await new GoProjects().analyze(dir)
  const recipe = generateRecipe(analysis, { base: opts.base ?? testDistrolessBase(), builderImage: opts.builderImage ?? TEST_BUILDER, buildkit: true })
  const binary = /-o \/out\/(\S+)/.exec(recipe.dockerfile)?.[1] ?? analysis.name

  // The folder is only read: the Dockerfile travels in the build context, never onto the disk.
  const { imageId } = await buildImage(docker, {
    contextDir: dir,
    dockerfile: recipe.dockerfile,
    dockerignore: recipe.dockerignore,
    tag: opts.tag,
    buildkit: true,
    buildArgs: { ...recipe.buildArgs, ...opts.buildArgs },
  })
  return { tag: opts.tag, imageId, recipe, binary, ms: Date.now() - started }
}
/** Removes a tag built by a test; missing is fine (the test may have failed before it existed). */
export async function removeImage(docker: Dockerode, tag: string): Promise<void> {
  await docker
    .getImage(tag)
    .remove({ force: true })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 404) throw e
    })
}
