// The Builds service: one build path for the app, the CLI and the tests. A build is a job named by
// the caller; it streams build.step / build.log events and ends in exactly one build.done or
// build.failed. The project folder is only read: the generated Dockerfile travels in the context.
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { sentDockerfile } from '../../../shared/build/shared-stage'
import { cacheShare, compileErrors } from '../../../shared/build/steps'
import { resolveBases, type BaseImage } from '../../../shared/dockerfile/bases'
import { generateRecipe, type Recipe } from '../../../shared/dockerfile/generate'
import { parseImageRef } from '../../../shared/dockerfile/image-ref'
import { resolveRecipeChoice } from '../../../shared/dockerfile/recipe-options'
import { SlipwayError, toWireError } from '../../../shared/errors'
import type { MadeBaseId } from '../../../shared/debian/recipes'
import { offerCost, standInFor, type MakeOffer, type StandInTarget } from '../../../shared/debian/stand-ins'
import type { Settings } from '../../../shared/settings'
import type {
  BuildLogChunk,
  BuildRecord,
  BuildRequest,
  BuildSnapshot,
  BuildStep,
  LogStream,
  PreflightFinding,
} from '../../../shared/types/build'
import type { EngineState } from '../../../shared/types/engine'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { writeFileAtomically } from '../atomic-write'
import { measureContext } from './context'
import { BuildFailed, engineBuild, removeStageImages } from './engine-build'
import type { BuildHistory } from './history'
import { imageAvailability, localImage, pullImage } from './images'

/** What the service needs from the rest of the app. */
export interface BuildsDeps {
  engine: { client(): Dockerode; state(): EngineState }
  projects: { analyze(dir: string, opts?: { main?: string }): Promise<ProjectAnalysis> }
  settings: () => Promise<Settings>
  history: BuildHistory
  emit: Emit
  /** Slipway's version, written into the image labels. */
  appVersion: string
  clock?: () => number
  /** Silence allowed on engine requests and streams before a build gives up (default 60 s, see idle-timeout.ts). */
  idleMs?: number
  /**
   * Where the Go release found in a builder image is kept by image id (the data folder's cache), so a
   * builder without GOLANG_VERSION is run once ever, not once per process (every CLI build).
   */
  cacheDir?: string
  /** The bases service: what it would take to make a base or builder that cannot be pulled. */
  bases?: { offer(id: MadeBaseId, target: StandInTarget): Promise<MakeOffer> }
}

/** What a person chose for one build; anything unset comes from Settings, go.mod and git. */
export interface PrepareOptions {
  base?: string | undefined
  main?: string | undefined
  buildkit?: boolean | undefined
  builderImage?: string | undefined
  version?: string | undefined
  commit?: string | undefined
  /** The project's analysis, made for this same action moments ago (a comparison prepares every base from one). */
  analysis?: ProjectAnalysis | undefined
}

/** A project's recipe on one base, with everything a build needs to know. */
export interface PreparedBuild {
  analysis: ProjectAnalysis
  base: BaseImage
  recipe: Recipe
  builderImage: string
  buildkit: boolean
  tags: string[]
  labels: Record<string, string>
  /**
   * What a BuildKit build sends instead of `recipe.dockerfile`: one Dockerfile for every catalog base
   * that shares this recipe's build stage, and this base's target in it (shared/build/shared-stage.ts),
   * so builds on any of them — a comparison's, or a single one after it — share the build stage in the
   * cache. Null: the recipe is sent as it is (the classic builder, or no other base shares the stage).
   */
  sent: { dockerfile: string; target: string } | null
}

const CONTEXT_WARN_BYTES = 100 * 1024 * 1024
const LOG_TAIL = 400
const KEEP_FINISHED = 30

/** Labels Slipway puts on what it builds, so it can find its own images later and tell when one is stale. */
export const LABEL = {
  project: 'org.slipway.project',
  base: 'org.slipway.base',
  recipe: 'org.slipway.recipe',
  version: 'org.slipway.version',
  main: 'org.slipway.main',
} as const

interface Job {
  snapshot: BuildSnapshot
  controller: AbortController
  key: string
  done: Promise<BuildRecord>
}

export class Builds {
  private readonly jobs = new Map<string, Job>()
  private readonly running = new Map<string, string>()
  private readonly goVersions = new Map<string, string | null>()
  private readonly clock: () => number

  constructor(private readonly deps: BuildsDeps) {
    this.clock = deps.clock ?? Date.now
  }

  /** Analyses the project and writes its recipe for `base` with the user's settings (custom bases, builder image). */
  async prepare(dir: string, opts: PrepareOptions = {}): Promise<PreparedBuild> {
    const analysis = opts.analysis ?? (await this.deps.projects.analyze(dir, opts.main ? { main: opts.main } : {}))
    const settings = await this.deps.settings()
    const { bases } = resolveBases(settings.customBases)
    const state = this.deps.engine.state()
    const engineBuildkit = state.status === 'connected' ? state.info.buildkit : true
    const buildkit = opts.buildkit ?? engineBuildkit
    const choice = resolveRecipeChoice(
      analysis,
      {
        baseId: opts.base ?? null,
        builderImage: opts.builderImage || settings.builderImage,
        buildkit,
        mainDir: opts.main ?? null,
        version: opts.version ?? null,
        commit: opts.commit ?? null,
      },
      bases,
    )
    if (choice.unknownBase)
      throw new SlipwayError('UnknownBase', `There is no base "${opts.base}".`, `Choose one of: ${bases.map((b) => b.id).join(', ')}.`)
    const recipe = generateRecipe(analysis, choice.options)
    const chosen = bases.findIndex((b) => b.id === choice.base.id)
    const sent =
      buildkit && chosen >= 0
        ? sentDockerfile(
            bases.map((b, i) => (i === chosen ? recipe.dockerfile : generateRecipe(analysis, { ...choice.options, base: b }).dockerfile)),
            chosen,
            bases.map((b) => b.id),
          )
        : null
    const builderImage = /^FROM\s+(?:--platform=\S+\s+)?(\S+)\s+AS\s+build/im.exec(recipe.dockerfile)?.[1] ?? ''
    const project = imageName(analysis.name)
    const commit = recipe.buildArgs.COMMIT ?? ''
    const tags = [`slipway/${project}:${tagPart(choice.base.id)}`]
    if (/^[0-9a-f]{4,40}$/.test(commit)) tags.push(`slipway/${project}:${tagPart(choice.base.id)}-${commit.slice(0, 12)}`)
    return {
      analysis,
      base: choice.base,
      recipe,
      builderImage,
      buildkit,
      tags,
      labels: {
        [LABEL.project]: analysis.root,
        [LABEL.base]: choice.base.id,
        [LABEL.recipe]: recipeHash(recipe.dockerfile),
        [LABEL.version]: this.deps.appVersion,
        [LABEL.main]: analysis.selectedMain ?? '.',
      },
      sent,
    }
  }

  /** Says first what would make the build fail late: a missing builder or base, an old Go, a huge context. */
  async preflight(dir: string, opts: PrepareOptions = {}): Promise<PreflightFinding[]> {
    return this.check(await this.prepare(dir, opts))
  }

  /** `preflight` for a build just prepared, which `launch` then takes as it is (one analysis for the action). */
  async preflightPrepared(prepared: PreparedBuild): Promise<PreflightFinding[]> {
    return this.check(prepared)
  }

  /** Starts a build and returns at once; events carry `req.jobId`. */
  async start(req: BuildRequest): Promise<{ jobId: string }> {
    const { done } = await this.launch(req)
    done.catch(() => undefined) // reported as build.failed
    return { jobId: req.jobId }
  }

  /**
   * Starts a build; `done` resolves with its record when it ends (the CLI and the comparison wait
   * on it). Rejects at once when the same project and base are already building. A caller that has
   * just prepared this very build (same folder, base and options, moments ago) passes it as
   * `prepared` so the project is not analysed twice for one action.
   */
  async launch(req: BuildRequest, prepared?: PreparedBuild): Promise<{ done: Promise<BuildRecord> }> {
    if (this.jobs.has(req.jobId)) throw new SlipwayError('BadRequest', `A job ${req.jobId} exists already.`, 'Use a new id for each build.')
    this.deps.engine.client() // EngineUnavailable before anything starts
    prepared ??= await this.prepare(req.dir, req)
    const key = `${prepared.analysis.root}\0${prepared.base.id}`
    const other = this.running.get(key)
    if (other)
      throw new SlipwayError(
        'BuildRunning',
        `${prepared.analysis.name} is already building on ${prepared.base.label}.`,
        `Wait for it or cancel it; its job is ${other}.`,
      )
    const snapshot: BuildSnapshot = {
      jobId: req.jobId,
      dir: prepared.analysis.root,
      base: prepared.base.id,
      state: 'running',
      startedAt: this.clock(),
      steps: [],
      logTail: [],
      record: null,
    }
    const controller = new AbortController()
    this.running.set(key, req.jobId)
    const job: Job = { snapshot, controller, key, done: Promise.resolve(null as unknown as BuildRecord) }
    this.jobs.set(req.jobId, job)
    job.done = this.run(job, prepared, req).finally(() => {
      this.running.delete(key)
      this.forgetOld()
    })
    return { done: job.done }
  }

  /** Cancels a running build; false when there is none with that id. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job || job.snapshot.state !== 'running') return false
    job.controller.abort(new SlipwayError('Cancelled', 'The build was cancelled.'))
    return true
  }

  /** A running or recently finished build. */
  get(jobId: string): BuildSnapshot | null {
    return this.jobs.get(jobId)?.snapshot ?? null
  }

  /** Builds running now. */
  active(): BuildSnapshot[] {
    return [...this.jobs.values()].filter((j) => j.snapshot.state === 'running').map((j) => j.snapshot)
  }

  /** The project's build history, newest first. */
  history(dir: string): Promise<BuildRecord[]> {
    return this.deps.history.builds(dir)
  }

  private async run(job: Job, p: PreparedBuild, req: BuildRequest): Promise<BuildRecord> {
    const { jobId } = req
    const signal = job.controller.signal
    const started = job.snapshot.startedAt
    const steps = new Map<string, BuildStep>()
    const onStep = (s: BuildStep) => {
      steps.set(s.id, s)
      job.snapshot.steps = [...steps.values()]
      this.deps.emit('build.step', { jobId, step: s })
    }
    const onLog = (stepId: string | null, stream: LogStream, lines: string[]) => {
      for (const line of lines) job.snapshot.logTail.push({ stepId, stream, line })
      if (job.snapshot.logTail.length > LOG_TAIL) job.snapshot.logTail.splice(0, job.snapshot.logTail.length - LOG_TAIL)
      const chunk: BuildLogChunk = { jobId, stepId, stream, lines }
      this.deps.emit('build.log', chunk)
    }
    const record = (result: BuildRecord['result'], extra: Partial<BuildRecord>): BuildRecord => {
      const share = cacheShare([...steps.values()])
      return {
        jobId,
        dir: p.analysis.root,
        project: p.analysis.name,
        base: p.base.id,
        baseImage: p.base.image,
        builderImage: p.builderImage,
        buildkit: p.buildkit,
        startedAt: started,
        durationMs: this.clock() - started,
        result,
        imageId: null,
        tags: [],
        sizeBytes: null,
        cachedSteps: share.cached,
        totalSteps: share.total,
        version: p.recipe.buildArgs.VERSION ?? 'dev',
        commit: p.recipe.buildArgs.COMMIT ?? 'unknown',
        dockerfile: p.recipe.dockerfile,
        error: null,
        compileErrors: [],
        ...extra,
      }
    }
    const docker = this.deps.engine.client()
    let stageImages: string[] = []
    // Before done/failed goes out, the build is over for everyone: the classic builder's leftover
    // stage images are gone and the project/base is free to build again.
    const finish = async () => {
      if (!p.buildkit) await removeStageImages(docker, stageImages, this.deps.idleMs).catch(() => 0)
      this.running.delete(job.key)
    }
    try {
      const blocking = (await this.check(p, signal, onStep)).filter((f) => f.level === 'blocking')
      if (blocking[0]) throw new SlipwayError('PreflightFailed', blocking[0].message, blocking[0].detail)
      const tags = req.tag ? [...p.tags, req.tag] : p.tags
      const result = await engineBuild(docker, {
        contextDir: p.analysis.root,
        dockerfile: p.sent?.dockerfile ?? p.recipe.dockerfile,
        ...(p.sent ? { target: p.sent.target } : {}),
        dockerignore: p.recipe.dockerignore,
        tags,
        buildkit: p.buildkit,
        buildArgs: p.recipe.buildArgs,
        labels: p.labels,
        signal,
        onStep,
        onLog,
        onStageImage: (id) => stageImages.push(id),
        clock: this.clock,
        ...(this.deps.idleMs ? { idleMs: this.deps.idleMs } : {}),
      })
      stageImages = result.stageImages
      const info = await docker.getImage(result.imageId).inspect()
      const done = record('succeeded', { imageId: result.imageId, tags, sizeBytes: info.Size })
      job.snapshot.state = 'succeeded'
      job.snapshot.record = done
      await Promise.all([this.deps.history.addBuild(done).catch(() => undefined), finish()])
      this.deps.emit('build.done', { jobId, record: done })
      return done
    } catch (e) {
      const cancelled = signal.aborted
      const errors = e instanceof BuildFailed ? compileErrors(e.log) : []
      const error = cancelled ? toWireError(new SlipwayError('Cancelled', 'The build was cancelled.')) : toWireError(explain(e, this.deps.engine.state()))
      const failed = record(cancelled ? 'cancelled' : 'failed', { error, compileErrors: errors })
      job.snapshot.state = cancelled ? 'cancelled' : 'failed'
      job.snapshot.record = failed
      await this.deps.history.addBuild(failed).catch(() => undefined)
      await finish()
      this.deps.emit('build.failed', { jobId, error, cancelled, compileErrors: errors, record: failed })
      throw cancelled ? new SlipwayError('Cancelled', 'The build was cancelled.') : e
    }
  }

  /**
   * Preflight for a prepared build. With a signal (a build is starting) it pulls what is missing
   * (progress as a step) and skips the context-size warning: that one is for `preflight`, before
   * the click, and measuring would walk the whole folder a second time right before the build does.
   */
  private async check(p: PreparedBuild, signal?: AbortSignal, onStep?: (s: BuildStep) => void): Promise<PreflightFinding[]> {
    const docker = this.deps.engine.client()
    const findings: PreflightFinding[] = []
    const images: [string, string, 'builder-missing' | 'base-missing', StandInTarget][] = [
      [p.builderImage, 'builder image', 'builder-missing', { kind: 'builder' }],
      [p.base.image, 'base image', 'base-missing', { kind: 'base', id: p.base.id, basedOn: p.base.basedOn }],
    ]
    // Both looked up at once: a build waits on these before it starts. The builder's inspect also
    // gives its id and environment for the Go check below (no second request).
    const found = await Promise.all(images.map(([ref]) => (ref === 'scratch' || ref === '' ? true : localImage(docker, ref, this.deps.idleMs))))
    const present = found.map((f) => f !== null)
    const builderInfo = found[0] && found[0] !== true ? found[0] : undefined
    for (const [i, [ref, role, code, target]] of images.entries()) {
      if (present[i]) continue
      if (!signal) {
        // Before the click: ask the registry (the manifest only) so an image that cannot come is said
        // now, with the base Slipway can make instead, rather than as a failed first step.
        const avail = await imageAvailability(docker, ref)
        if (avail.pullable) {
          findings.push({
            level: 'warning',
            code,
            message: `The ${role} ${ref} is not on this machine; the build pulls it first.`,
            detail: 'Where no registry can be reached, point Slipway at a mirror or a local image in Settings → Bases.',
          })
          continue
        }
        const make = await this.offer(target)
        findings.push({
          level: 'blocking',
          code,
          message: `The ${role} ${ref} is not on this machine and cannot be pulled.`,
          detail: makeAdvice(make, avail.problem?.detail ?? ''),
          ...(make && !make.mirrorProblem ? { make } : {}),
        })
        continue
      }
      try {
        // The pull is the build's first step, with its bytes, so the view shows what it waits for.
        const step: BuildStep = {
          id: `pull:${ref}`,
          index: 0,
          name: `pull ${ref}`,
          stage: null,
          internal: false,
          status: 'running',
          cached: false,
          startedAt: this.clock(),
          completedAt: null,
          current: 0,
          total: null,
          error: null,
          logLines: 0,
        }
        onStep?.({ ...step })
        try {
          await pullImage(
            docker,
            ref,
            role,
            (pr) => {
              step.current = pr.current
              step.total = pr.total
              onStep?.({ ...step })
            },
            signal,
            this.deps.idleMs,
          )
          const bytes = step.total ?? step.current
          onStep?.({ ...step, status: 'done', completedAt: this.clock(), current: bytes, total: bytes })
        } catch (e) {
          onStep?.({ ...step, status: signal.aborted ? 'cancelled' : 'error', completedAt: this.clock(), error: signal.aborted ? null : (e as Error).message })
          throw e
        }
      } catch (e) {
        signal.throwIfAborted()
        // A stuck engine is not a finding about this image: the build fails with the engine's own error.
        if (e instanceof SlipwayError && e.name === 'EngineStalled') throw e
        const err = e as SlipwayError
        const make = await this.offer(target)
        findings.push({ level: 'blocking', code, message: err.message, detail: makeAdvice(make, err.detail ?? ''), ...(make && !make.mirrorProblem ? { make } : {}) })
      }
    }
    const builderGo = findings.some((f) => f.code === 'builder-missing') ? null : await this.builderGo(docker, p.builderImage, builderInfo)
    const wanted = wantedGo(p.analysis)
    if (builderGo && wanted && compareGo(builderGo, wanted.version) < 0)
      findings.push({
        level: 'blocking',
        code: 'builder-go-too-old',
        message: `The builder image ${p.builderImage} has Go ${builderGo}, but ${wanted.from} asks for Go ${wanted.version}.`,
        detail: `Builds run with GOTOOLCHAIN=local, so Go is never downloaded behind your back. Choose a builder with Go ${wanted.version} or newer in Settings → Bases, or lower the go line.`,
      })
    const size = signal ? null : await measureContext(p.analysis.root, p.recipe.dockerignore)
    if (size && size.bytes > CONTEXT_WARN_BYTES) {
      const top = size.biggest[0]
      findings.push({
        level: 'warning',
        code: 'context-large',
        message: `The build sends ${(size.bytes / 1e6).toFixed(0)} MB from the project folder to Docker.`,
        detail: 'Large files slow every build. Leave out what the build does not need with a .dockerignore line.',
        biggest: size.biggest,
        ...(top ? { ignoreLine: top.path.includes('/') ? `${top.path.split('/')[0]}/` : top.path } : {}),
      })
    }
    return findings
  }

  /** The base Slipway can make for `target`, or null (scratch, no bases service, or the engine failed to say). */
  private async offer(target: StandInTarget): Promise<MakeOffer | null> {
    const id = standInFor(target)
    if (!id || !this.deps.bases) return null
    return this.deps.bases.offer(id, target).catch(() => null)
  }

  /** The Go release in a builder image: its GOLANG_VERSION, else `go version` run in it. Cached per image id. */
  private async builderGo(docker: Dockerode, ref: string, inspected?: Dockerode.ImageInspectInfo): Promise<string | null> {
    let info: Dockerode.ImageInspectInfo
    try {
      info = inspected ?? (await docker.getImage(ref).inspect())
    } catch {
      return null
    }
    if (this.goVersions.has(info.Id)) return this.goVersions.get(info.Id) ?? null
    const env = info.Config?.Env ?? []
    let version = env.map((e) => /^GOLANG_VERSION=(\d+\.\d+(?:\.\d+)?)/.exec(e)?.[1]).find(Boolean) ?? null
    const file = this.deps.cacheDir ? join(this.deps.cacheDir, 'builder-go.json') : null
    const saved = file ? await readJsonRecord(file) : {}
    if (!version && GO_RELEASE.test(saved[info.Id] ?? '')) version = saved[info.Id] as string
    else if (!version) {
      version = await goVersionByRunning(docker, info.Id)
      if (version && file && this.deps.cacheDir) {
        const dir = this.deps.cacheDir
        const kept = Object.fromEntries([...Object.entries(saved).slice(-50), [info.Id, version]])
        await mkdir(dir, { recursive: true, mode: 0o700 })
          .then(() => writeFileAtomically(file, JSON.stringify(kept), { mode: 0o600 }))
          .catch(() => undefined)
      }
    }
    this.goVersions.set(info.Id, version)
    return version
  }

  private forgetOld() {
    const finished = [...this.jobs.entries()].filter(([, j]) => j.snapshot.state !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(id)
  }
}

/**
 * What to do about an image that cannot be pulled: the base Slipway makes instead (the same words in
 * the app, the CLI and a comparison's failure), then what the pull said.
 */
function makeAdvice(make: MakeOffer | null, pullDetail: string): string {
  if (!make) return pullDetail
  const cli = make.target.kind === 'builder' || make.target.id === make.target.basedOn ? ` or \`slipway bases make ${make.base} --use\`` : ''
  const how = make.present
    ? `Slipway made ${make.label} here earlier (${make.image}) and can build with it instead (Settings → Bases made here → Use).`
    : make.mirrorProblem
      ? `Slipway could make ${make.label} from Debian packages instead, but ${make.mirrorProblem}`
      : `Slipway can make ${make.label} from Debian packages instead (${offerCost(make)}): Settings → Bases made here${cli}.`
  return pullDetail ? `${how} ${pullDetail}` : how
}

const GO_RELEASE = /^\d+\.\d+(?:\.\d+)?$/

/** A small JSON object of strings from the data folder; {} when missing or damaged. */
async function readJsonRecord(file: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'))
  } catch {
    return {}
  }
}

/** Runs `go version` in the image (no network, removed afterwards); null when it does not answer. */
async function goVersionByRunning(docker: Dockerode, imageId: string): Promise<string | null> {
  let container: Dockerode.Container | null = null
  try {
    container = await docker.createContainer({ Image: imageId, Cmd: ['go', 'version'], HostConfig: { NetworkMode: 'none', AutoRemove: false }, Tty: true })
    await container.start()
    await container.wait()
    const out = (await container.logs({ stdout: true, stderr: true })).toString('utf8')
    return /go(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1] ?? null
  } catch {
    return null
  } finally {
    await container?.remove({ force: true }).catch(() => undefined)
  }
}

/** The newest Go the module asks for: its toolchain line when newer than its go line. */
export function wantedGo(a: ProjectAnalysis): { version: string; from: string } | null {
  const go = a.module?.goVersion ?? null
  const tc = a.module?.toolchain?.replace(/^go/, '') ?? null
  const tcOk = tc && /^\d+\.\d+/.test(tc) ? tc : null
  if (go && tcOk) return compareGo(tcOk, go) > 0 ? { version: tcOk, from: "go.mod's toolchain line" } : { version: go, from: "go.mod's go line" }
  if (go) return { version: go, from: "go.mod's go line" }
  if (tcOk) return { version: tcOk, from: "go.mod's toolchain line" }
  return null
}

/** Compares Go versions (`1.22`, `1.22.3`, `1.21rc1` read as 1.21); a missing patch counts as 0. */
export function compareGo(a: string, b: string): number {
  const parts = (v: string) => (/^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((x) => Number(x ?? 0))
  const [x, y] = [parts(a), parts(b)]
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
  return 0
}

/** A project name as an image path component: lower case, [a-z0-9] runs joined by single separators. */
export function imageName(name: string): string {
  const n = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 100)
  return n && parseImageRef(`slipway/${n}`) ? n : 'app'
}

function tagPart(s: string): string {
  const t = s.replace(/[^\w.-]/g, '-').replace(/^[.-]+/, '').slice(0, 100)
  return t || 'base'
}

/** A short hash of the Dockerfile, to tell a stale image from a current one. */
export function recipeHash(dockerfile: string): string {
  return createHash('sha256').update(dockerfile).digest('hex').slice(0, 16)
}

/** Errors a person can act on, for what the engine says in its own words. */
function explain(e: unknown, state: EngineState): unknown {
  if (e instanceof SlipwayError) {
    if (e instanceof BuildFailed && state.status === 'unavailable')
      return new SlipwayError('EngineUnavailable', 'Docker stopped during the build.', `${state.error.message} Start it again, then build again.`)
    return e
  }
  const err = e as { code?: string; message?: string }
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT' || err.code === 'ECONNRESET' || err.code === 'EPIPE')
    return new SlipwayError('EngineUnavailable', 'Docker stopped answering during the build.', 'Start Docker again, then build again.')
  return e
}
