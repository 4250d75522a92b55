// Builds a Go project into an image on the real engine, the way Slipway does: analyse the folder,
// generate the recipe, send the folder plus the in-memory Dockerfile as the context, build with
// BuildKit. The stand-in builder and base images replace the official ones (no registry here).
//
// The context is tarred with tar-fs straight from the folder (read only); the recipe's .dockerignore
// is applied here, on the client, as the docker CLI does: BuildKit behind the API does not apply a
// .dockerignore found inside a tar context. dockerode's followProgress reports no error when a build
// fails, so every event is scanned for `error`/`errorDetail` and a failure throws with the message.
import { relative } from 'node:path'
import ignore from '@balena/dockerignore'
import type Dockerode from 'dockerode'
import { pack } from 'tar-fs'
import { resolveBases, type BaseImage } from '../../shared/dockerfile/bases'
import { generateRecipe, type Recipe } from '../../shared/dockerfile/generate'
import { GoProjects } from '../../electron/services/go-project'

/** The Go builder stand-in (test/engine/images/golang). */
export const TEST_BUILDER = 'slipway-test/golang:1.23'
/** The distroless/static stand-in (test/engine/images/distroless-static). */
export const TEST_DISTROLESS = 'slipway-test/distroless-static:nonroot'

export interface ProjectImageOptions {
  /** The tag to build; make it unique per run and remove it afterwards. */
  tag: string
  /** A base from the catalog (default: distroless static, pointed at the stand-in as a custom base would be). */
  base?: BaseImage
  builderImage?: string
  /** Extra build args over the recipe's own (VERSION, COMMIT). */
  buildArgs?: Record<string, string>
  /** Every line of build output (raw JSON events), for debugging. */
  onEvent?: (event: BuildEvent) => void
}

export interface ProjectImage {
  tag: string
  imageId: string
  recipe: Recipe
  /** The binary the recipe builds (its path in the image is `/app/<binary>`). */
  binary: string
  ms: number
}

/** One JSON event of the build stream. */
export interface BuildEvent {
  stream?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
  id?: string
  aux?: unknown
}

/** The alpine stand-in (test/engine/images/alpine). */
export const TEST_ALPINE = 'slipway-test/alpine:3.20'

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

  const ig = ignore().add(recipe.dockerignore.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#')))
  const dockerfileName = '.slipway.Dockerfile'
  const tar = pack(dir, {
    ignore: (abs) => {
      const rel = relative(dir, abs).split('\\').join('/')
      return rel !== '' && ig.ignores(rel)
    },
    // The folder is only read: the Dockerfile goes into the tar, never onto the disk.
    finalize: false,
    finish: (p) => {
      p.entry({ name: dockerfileName, mode: 0o644, mtime: new Date(0) }, recipe.dockerfile)
      p.finalize()
    },
  })

  const stream = await docker.buildImage(tar as unknown as NodeJS.ReadableStream, {
    t: opts.tag,
    dockerfile: dockerfileName,
    version: '2',
    buildargs: { ...recipe.buildArgs, ...opts.buildArgs },
    rm: true,
    forcerm: true,
  } as Dockerode.ImageBuildOptions)

  let failure: string | null = null
  const output: string[] = []
  let pending = ''
  const onLine = (text: string) => {
    if (!text.trim()) return
    let ev: BuildEvent
    try {
      ev = JSON.parse(text) as BuildEvent
    } catch {
      output.push(text)
      return
    }
    opts.onEvent?.(ev)
    if (ev.error || ev.errorDetail) failure ??= ev.errorDetail?.message ?? ev.error ?? 'unknown error'
    if (typeof ev.stream === 'string') output.push(ev.stream.trimEnd())
  }
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    pending += chunk.toString()
    const lines = pending.split(/\r?\n/)
    pending = lines.pop() ?? ''
    for (const l of lines) onLine(l)
  }
  onLine(pending)
  if (failure !== null) throw new Error(`Building ${opts.tag} from ${dir} failed: ${failure}\n${output.slice(-30).join('\n')}\n--- Dockerfile ---\n${recipe.dockerfile}`)

  const info = await docker.getImage(opts.tag).inspect()
  return { tag: opts.tag, imageId: info.Id, recipe, binary, ms: Date.now() - started }
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
