// Builds an image for a test through the product's own build path (electron/services/build/
// engine-build.ts: the context streamed from the folder with the .dockerignore applied on the
// client, the Dockerfile in memory, BuildKit or classic, errors scanned), so tests and the app share
// one build path. This file only adapts it to the shape the tests use: one tag, a flat log, and a
// BuildError whose message carries the log's tail for the reader of a failed test.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { BuildFailed, engineBuild } from '../../electron/services/build/engine-build'

export { removeStageImages } from '../../electron/services/build/engine-build'

export interface BuildOptions {
  /** The build context folder; read only. */
  contextDir: string
  /** The Dockerfile's text. */
  dockerfile: string
  /** A .dockerignore's text; null/undefined: the folder's own .dockerignore, if any. */
  dockerignore?: string | null
  tag: string
  buildkit: boolean
  buildArgs?: Record<string, string>
  labels?: Record<string, string>
  signal?: AbortSignal
  /** Every log line as it arrives. */
  onLine?: (line: string) => void
}

export interface BuildResult {
  /** `sha256:…` of the built image. */
  imageId: string
  log: string[]
  durationMs: number
  /** Classic builder only: ids of the images it committed for the steps (see removeStageImages). */
  stageImages: string[]
}

/** A failed build: the engine's message, and the log's tail. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly log: string[],
    options?: { cause?: unknown },
  ) {
    super(`${message}\n--- build log (last ${Math.min(log.length, TAIL)} lines) ---\n${log.slice(-TAIL).join('\n')}`, options)
    this.name = 'BuildError'
  }
}

const TAIL = 40

/** Builds `opts.tag` from the folder and the in-memory Dockerfile; throws BuildError when the engine reports an error. */
export async function buildImage(docker: Dockerode, opts: BuildOptions): Promise<BuildResult> {
  const started = Date.now()
  const dockerignore = opts.dockerignore ?? (await readFile(join(opts.contextDir, '.dockerignore'), 'utf8').catch(() => ''))
  try {
    const r = await engineBuild(docker, {
      contextDir: opts.contextDir,
      dockerfile: opts.dockerfile,
      dockerignore,
      tags: [opts.tag],
      buildkit: opts.buildkit,
      ...(opts.buildArgs ? { buildArgs: opts.buildArgs } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onLine ? { onLog: (_step: string | null, _stream: string, lines: string[]) => lines.forEach((l) => opts.onLine?.(l)) } : {}),
    })
    return { imageId: r.imageId, log: r.log, durationMs: Date.now() - started, stageImages: r.stageImages }
  } catch (e) {
    if (e instanceof BuildFailed) throw new BuildError(`Building ${opts.tag} failed: ${e.message} ${e.detail ?? ''}`, e.log, { cause: e })
    throw e
  }
}
