// The Stacks service: the project's app next to Postgres, driven through the real compose tool
// (v2 `docker compose` or v1 `docker-compose`, argument arrays, never a shell). The compose file,
// its .env (the generated password) and stack.json (the folder, the ports and the person's
// variables, kept across Ups) live in the data folder under stacks/<hash of the project path>/
// (0700, files 0600) — never in the project. State is read back from the engine by compose's own
// labels, so a stack looks the same whichever tool (or person) started it. `up` is a job: the
// caller names it, stack.progress and stack.service events follow it, and exactly one stack.done
// or stack.failed ends it. Volumes (the database) are removed only by `down` with removeVolumes
// set to true.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { chown, mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, resolve, sep } from 'node:path'
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { imageRefProblem } from '../../../shared/dockerfile/image-ref'
import { APP_DIR } from '../../../shared/dockerfile/generate'
import { contextPathProblem, showText } from '../../../shared/dockerfile/safe-text'
import { SlipwayError, toWireError } from '../../../shared/errors'
import { isSecretName } from '../../../shared/run/env'
import type { Settings } from '../../../shared/settings'
import {
  composeProjectName,
  composeStack,
  databaseVariables,
  DEFAULT_POSTGRES_IMAGE,
  PASSWORD_VAR,
  passwordFromEnvFile,
  POSTGRES_PORT,
  STACK_DIR_LABEL,
  STACK_LABEL,
  stackEnvFile,
  type StackDefinition,
} from '../../../shared/stack/compose'
import { exportStack, initdbName } from '../../../shared/stack/export'
import { PROJECT_COMPOSE_FILES, readProjectCompose } from '../../../shared/stack/project-compose'
import { emptyRequiredVars, requiredWords } from '../../../shared/stack/required-env'
import type {
  ProjectCompose,
  StackConnection,
  StackExport,
  StackPortProposal,
  StackProposal,
  StackProposedEnv,
  StackService,
  StackServicePhase,
  StackStatus,
  StackUpOptions,
} from '../../../shared/stack/types'
import type { BuildRecord, BuildRequest } from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { writeFileAtomically } from '../atomic-write'
import { hasImage, pullImage } from '../build/images'
import { freeHostPort, isPortFree } from '../run/ports'
import type { PreparedBuild } from '../build/builds'
import { chooseAppImage, type AppImageBuilds } from './app-image'
import { detectComposeTool, runTool, type ComposeResult, type ComposeTool } from './compose-tool'
import { PROJECT_LABEL, SERVICE_LABEL, StackLogFollower } from './follow'
import { readLogLines } from '../run/log-lines'
import { findInitdbSql, readProjectText } from './project-read'
import { Readable } from 'node:stream'

/** What the service needs from the rest of the app. */
export interface StacksDeps {
  engine: { client(): Dockerode }
  /** Slipway's data folder; stacks live in its `stacks/` folder. */
  dataDir: string
  emit: Emit
  projects: { analyze(dir: string): Promise<ProjectAnalysis> }
  /** Builds the app image when the project has none yet or it is stale. */
  builds?: AppImageBuilds & { launch(req: BuildRequest, prepared?: PreparedBuild): Promise<{ done: Promise<BuildRecord> }>; cancel(jobId: string): boolean }
  /** The settings (the Postgres image); default: none. */
  settings?: () => Promise<Pick<Settings, 'postgresImage'>>
  /** The environment the compose tool runs in (PATH, DOCKER_HOST); default: this process's. */
  env?: Record<string, string | undefined>
  now?: () => number
  /** How long `up` waits for every service to be up after compose returned. */
  upTimeoutMs?: number
}

/** Options of `launch`/`up`: the job's id and the stack's choices. */
export interface UpRequest extends StackUpOptions {
  jobId: string
  /** Leave what started when up fails (for inspection) instead of taking it down again. */
  keepOnFailure?: boolean
}

const SERVICES = ['app', 'db'] as const
/** How the engine says a published port was taken when it tried to bind it. */
const PORT_TAKEN = /port is already allocated|address already in use/i
const POLL_MS = 400
/**
 * A service without a healthcheck counts as up once it has stayed running this long: `up -d`
 * returns the moment the app's process starts (Compose v2 at once), before a program that exits at
 * start (a bad setting, a missing file) has exited.
 */
const SETTLE_MS = 1000

interface StackFiles {
  folder: string
  composeFile: string
  envFile: string
  /** stack.json: the folder, ports and variables of the last Up. */
  metaFile: string
  /** The generated .env for a program that reads one (mounted read-only into the app). */
  appEnvFile: string
  /** The compose project name of Slipway's own stack. */
  project: string
  /** The compose project name the project's own compose file runs under. */
  ownProject: string
}

/** Which stack of a folder is the current one: Slipway's or the project's own compose file (the last Up decides). */
interface ActiveStack {
  project: string
  source: 'slipway' | 'project'
  /** The services it is made of (shown as missing until they exist). */
  services: string[]
}

/** What stack.json keeps between Ups (and app restarts). */
interface StackMeta {
  dir: string
  project: string
  appPort?: number
  dbPort?: number
  env?: Record<string, string>
  /** Set when the last Up ran the project's own compose file (`file`, with these services). */
  source?: 'project'
  file?: string
  services?: string[]
}

export class Stacks {
  private tool: Promise<ComposeTool> | null = null
  private readonly busy = new Map<string, { jobId: string; controller: AbortController }>()
  private readonly follower: StackLogFollower

  constructor(private readonly deps: StacksDeps) {
    this.follower = new StackLogFollower({ docker: () => deps.engine.client(), emit: deps.emit })
  }

  /** The compose tool in use (detected once; a failed detection is tried again next time). */
  composeTool(): Promise<ComposeTool> {
    this.tool ??= detectComposeTool(this.childEnv()).catch((e: unknown) => {
      this.tool = null
      throw e
    })
    return this.tool
  }

  /** What Up would start for `dir`, said before anything starts or is written. */
  async propose(dir: string, opts: { base?: string; postgresImage?: string } = {}): Promise<StackProposal> {
    const abs = resolve(dir)
    const files = this.files(abs)
    const notices: string[] = []
    const analysis = await this.deps.projects.analyze(abs)
    const builds = this.deps.builds
    const app = builds
      ? await chooseAppImage(this.deps.engine.client(), builds, abs, opts.base, analysis)
      : { action: 'build' as const, image: null, base: opts.base ?? '', reason: 'This front end cannot build images.', buildTag: null, prepared: null }
    // A build Up needs that would be refused (a base or builder that cannot be pulled) is said now, with the offer to make it.
    const refused =
      app.action !== 'use' && app.prepared && builds?.preflightPrepared
        ? (await builds.preflightPrepared(app.prepared).catch(() => [])).filter((f) => f.level === 'blocking' && f.make)
        : []
    const postgresImage = await this.postgresImage(opts.postgresImage, notices)
    const meta = await this.meta(files)
    const containerPort = listenPort(analysis)
    const ports = await this.proposePorts(abs, files, containerPort, meta)
    const envTarget = await this.envFileTarget(analysis, app.image)
    const initdb = await findInitdbSql(abs, isInitdbPath)
    const def = this.define(analysis, files, {
      appImage: app.image ?? app.buildTag ?? 'slipway/app:latest',
      hostPort: ports.app.host,
      dbHostPort: ports.db.host,
      postgresImage,
      env: meta?.env ?? {},
      envTarget,
      initdb: initdb.files,
    })
    notices.push(...def.notices)
    const tool = await this.composeTool().then(
      (t) => ({ command: [t.command, ...t.prefix].join(' '), version: t.version }),
      (e: unknown) => {
        const w = toWireError(e)
        return { error: w.message, detail: w.detail ?? '' }
      },
    )
    const docker = this.deps.engine.client()
    const volumeExists = await docker
      .getVolume(def.volume)
      .inspect()
      .then(
        () => true,
        () => false,
      )
    if (initdb.files.length && volumeExists)
      notices.push(`The database ${def.volume} already exists: Postgres runs the project's SQL files only when it makes a new one (Down and delete data first to start afresh).`)
    return {
      dir: abs,
      project: files.project,
      app: { action: app.action, image: app.image, base: app.base, reason: app.reason, ...(refused.length ? { refused } : {}) },
      postgresImage,
      ports,
      databaseVars: def.databaseVars,
      env: proposedEnv(analysis, def, meta?.env ?? {}),
      dbName: def.dbName,
      dbUser: def.dbUser,
      volume: def.volume,
      volumeExists,
      composeTool: tool,
      defined: await exists(files.composeFile),
      notices,
      yaml: def.yaml,
      envFile: envTarget ? { path: files.appEnvFile, target: envTarget } : null,
      initdb,
      projectCompose: await this.projectCompose(abs, files),
    }
  }

  /**
   * What Export to project would write: compose.yaml and .env.example for the stack as Up would run
   * it now (its image, ports and variables; no password, no path of this computer), next to the
   * project's current files for a diff. Writes nothing: the front end writes through
   * `project.writeFile` once the person confirmed.
   */
  async export(dir: string): Promise<StackExport> {
    const abs = resolve(dir)
    const files = this.files(abs)
    const notices: string[] = []
    const analysis = await this.deps.projects.analyze(abs)
    const meta = await this.meta(files)
    const running = (await this.statusOf(files, abs, { project: files.project, source: 'slipway', services: [...SERVICES] })).services.find((s) => s.service === 'app')?.image ?? null
    const builds = this.deps.builds
    const app = running ? null : builds ? await chooseAppImage(this.deps.engine.client(), builds, abs, undefined, analysis) : null
    const appImage = running ?? app?.image ?? app?.buildTag ?? null
    if (!appImage) throw new SlipwayError('StackFailed', 'There is no app image to name in the compose file.', 'Build the project first.')
    if (!running && app?.action !== 'use') notices.push(`${app?.reason ?? 'The app image is not built yet.'} Build it before running the exported file.`)
    const containerPort = listenPort(analysis)
    const hostPort = meta?.appPort ?? containerPort
    const dbHostPort = meta?.dbPort ?? (hostPort === POSTGRES_PORT ? POSTGRES_PORT + 1 : POSTGRES_PORT)
    const envTarget = await this.envFileTarget(analysis, appImage)
    const initdb = await findInitdbSql(abs, isInitdbPath)
    const postgresImage = await this.postgresImage(undefined, notices)
    const def = this.define(analysis, files, { appImage, hostPort, dbHostPort, postgresImage, env: meta?.env ?? {}, envTarget, initdb: initdb.files })
    notices.push(...def.notices)
    const out = exportStack(def, { projectName: analysis.name, hostPort, dbHostPort, envFileMount: envTarget, initdb: initdb.files })
    const [compose, example] = await Promise.all([readProjectText(abs, 'compose.yaml'), readProjectText(abs, '.env.example')])
    for (const r of [compose, example]) if (r.problem) notices.push(r.problem)
    if (compose.text !== null) notices.push('The project already has a compose.yaml: Export replaces it with the one shown (the diff says what changes).')
    const others = []
    for (const name of PROJECT_COMPOSE_FILES.slice(1)) if (await exists(join(abs, name))) others.push(name)
    if (others.length) notices.push(`The project also has ${others.join(' and ')}: compose prefers compose.yaml once it exists.`)
    if (envTarget) notices.push(`The program reads ${envTarget.slice(envTarget.lastIndexOf('/') + 1)} at start: the exported file mounts the project's .env there.`)
    return {
      dir: abs,
      files: [
        { name: 'compose.yaml', content: out.composeYaml, current: compose.text },
        { name: '.env.example', content: out.envExample, current: example.text },
      ],
      notices,
    }
  }

  /** Starts bringing the stack up; events follow for `req.jobId`. */
  async up(dir: string, req: UpRequest): Promise<{ jobId: string }> {
    const { done } = this.launch(dir, req)
    done.catch(() => undefined) // reported as stack.failed
    return { jobId: req.jobId }
  }

  /** Like `up`; `done` resolves with the stack's status when every service is up (the CLI and tests wait on it). */
  launch(dir: string, req: UpRequest): { done: Promise<StackStatus> } {
    const files = this.files(dir)
    const running = this.busy.get(files.project)
    if (running) throw new SlipwayError('StackBusy', 'This project\'s stack is already being started or stopped.', `Job ${running.jobId}.`)
    const controller = new AbortController()
    this.busy.set(files.project, { jobId: req.jobId, controller })
    const done = this.runUp(resolve(dir), files, req, controller.signal).finally(() => this.busy.delete(files.project))
    return { done }
  }

  /** Cancels a running up; true when there was one. What started is taken down (volumes kept); a build it started is cancelled. */
  cancel(jobId: string): boolean {
    for (const job of this.busy.values())
      if (job.jobId === jobId) {
        job.controller.abort()
        return true
      }
    return false
  }

  /** Stops and removes the stack's containers and network; its volumes only when `removeVolumes` is true. */
  async down(dir: string, opts: { removeVolumes?: boolean } = {}): Promise<StackStatus> {
    const files = this.files(dir)
    if (this.busy.has(files.project)) throw new SlipwayError('StackBusy', 'This project\'s stack is being started; cancel that first.')
    const own = (await this.active(files)).source === 'project'
    if (!own && !(await exists(files.composeFile))) throw new SlipwayError('StackNotFound', 'This project has no stack yet.', 'Start it with Up first.')
    // Only an explicit true deletes data: a missing or truthy-but-not-true option keeps the database.
    const r = await this.downActive(files, resolve(dir), opts.removeVolumes === true)
    if (r.code !== 0) throw new SlipwayError('StackFailed', 'The stack could not be taken down.', lastLines(r.stderr || r.stdout))
    return this.status(dir)
  }

  /** Restarts one service's container (its log follows on in stack.follow streams). */
  async restart(dir: string, service: string): Promise<StackStatus> {
    const files = this.files(dir)
    if (this.busy.has(files.project)) throw new SlipwayError('StackBusy', 'This project\'s stack is being started; wait for it or cancel it first.')
    const before = await this.status(dir)
    const s = before.services.find((x) => x.service === service)
    if (!s?.containerId) throw new SlipwayError('StackNotFound', `The stack has no container for the service "${showText(service, 40)}".`, 'Start the stack with Up first.')
    try {
      await this.deps.engine.client().getContainer(s.containerId).restart({ t: 10 })
    } catch (e) {
      throw new SlipwayError('StackFailed', `The ${service} service could not be restarted.`, engineMessage(e))
    }
    return this.status(dir)
  }

  /** The stack's services and volumes as the engine has them, by compose's labels. */
  async status(dir: string): Promise<StackStatus> {
    const files = this.files(dir)
    return this.statusOf(files, resolve(dir))
  }

  /** Every Slipway stack on the engine (by its label, any folder), and those defined in the data folder with no containers now. */
  async list(): Promise<StackStatus[]> {
    const docker = this.deps.engine.client()
    const found = new Map<string, string | null>()
    for (const c of await docker.listContainers({ all: true, filters: { label: [STACK_LABEL] } })) {
      const project = c.Labels?.[PROJECT_LABEL]
      if (project && !found.get(project)) found.set(project, c.Labels?.[STACK_DIR_LABEL] ?? null)
    }
    const root = join(this.deps.dataDir, 'stacks')
    const keys = await readdir(root).catch(() => [] as string[])
    for (const key of keys) {
      const meta = await readMeta(join(root, key, 'stack.json'))
      const project = meta?.source === 'project' ? this.files(meta.dir).ownProject : meta?.project
      if (meta && project && (!found.has(project) || found.get(project) === null)) found.set(project, meta.dir)
    }
    const out: StackStatus[] = []
    for (const [project, dir] of found) {
      // A stack whose folder is unknown (started before the folder label) is listed by its project alone.
      const files = dir ? this.files(dir) : { ...this.files(`/${project}`), project }
      const own = dir !== null && project === files.ownProject
      const target = own ? await this.active(files) : { project, source: 'slipway' as const, services: [...SERVICES] }
      out.push(await this.statusOf(files, dir ?? '', target))
    }
    return out.sort((a, b) => a.dir.localeCompare(b.dir) || a.project.localeCompare(b.project))
  }

  /** The last lines a service's container wrote (stdout and stderr interleaved as the engine kept them). */
  async logs(dir: string, service: string, opts: { tail?: number } = {}): Promise<{ service: string; lines: string[] }> {
    const status = await this.status(dir)
    const s = status.services.find((x) => x.service === service)
    if (!s?.containerId) throw new SlipwayError('StackNotFound', `The stack has no container for the service "${showText(service, 40)}".`)
    const docker = this.deps.engine.client()
    const raw = (await docker.getContainer(s.containerId).logs({ stdout: true, stderr: true, follow: false, tail: opts.tail ?? 500 })) as unknown as Buffer
    const lines: string[] = []
    await readLogLines(docker.modem, Readable.from([Buffer.from(raw)]), (_, l) => lines.push(...l))
    return { service, lines }
  }

  /** Follows every service's output, merged (stack.log events for the stream id). */
  async follow(dir: string, opts: { tail?: number } = {}): Promise<{ streamId: string }> {
    return { streamId: this.follower.follow((await this.active(this.files(dir))).project, opts) }
  }

  /** Stops a follow stream. */
  unfollow(streamId: string): boolean {
    return this.follower.unfollow(streamId)
  }

  /** Resolves once a follow stream reads every container of its stack (tests). */
  followSettled(streamId: string): Promise<void> {
    return this.follower.settled(streamId)
  }

  /** Stops every follow stream. */
  dispose(): void {
    this.follower.dispose()
  }

  /** The stack folder and compose project name of a project folder. */
  files(dir: string): StackFiles {
    const abs = resolve(dir)
    const key = createHash('sha256').update(abs).digest('hex').slice(0, 16)
    const folder = join(this.deps.dataDir, 'stacks', key)
    return {
      folder,
      composeFile: join(folder, 'compose.yaml'),
      envFile: join(folder, '.env'),
      metaFile: join(folder, 'stack.json'),
      appEnvFile: join(folder, 'app.env'),
      project: composeProjectName(basename(abs), key),
      // Its own name: the project's volumes never mix with Slipway's stack's (`-own` keeps it within 63 characters).
      ownProject: `${composeProjectName(basename(abs), key)}-own`,
    }
  }

  /** The stack of `files` that is current (the last Up's source, from stack.json). */
  private async active(files: StackFiles): Promise<ActiveStack> {
    const meta = await this.meta(files)
    if (meta?.source === 'project') return { project: files.ownProject, source: 'project', services: meta.services ?? [] }
    return { project: files.project, source: 'slipway', services: [...SERVICES] }
  }

  private async statusOf(files: StackFiles, dir: string, given?: ActiveStack): Promise<StackStatus> {
    const docker = this.deps.engine.client()
    const target = given ?? (await this.active(files))
    const label = `${PROJECT_LABEL}=${target.project}`
    const [containers, volumes, defined] = await Promise.all([
      docker.listContainers({ all: true, filters: { label: [label] } }),
      docker.listVolumes({ filters: { label: [label] } }),
      target.source === 'project' ? Promise.resolve(true) : exists(files.composeFile),
    ])
    const services: StackService[] = []
    let dbEnv: string[] = []
    for (const c of containers) {
      const service = c.Labels?.[SERVICE_LABEL]
      if (!service) continue
      const info = await docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => null)
      if (!info) continue
      if (service === 'db') dbEnv = info.Config.Env ?? []
      const health = (info.State.Health?.Status ?? null) as StackService['health'] | 'none' | null
      services.push({
        service,
        containerId: c.Id,
        image: c.Image ?? null,
        phase: phaseOf(info.State, health === 'none' ? null : health),
        health: health === 'none' ? null : health,
        exitCode: info.State.Running ? null : info.State.ExitCode,
        ports: (c.Ports ?? []).filter((p) => p.PublicPort).map((p) => ({ host: p.PublicPort, container: p.PrivatePort })),
      })
    }
    for (const s of target.services)
      if (!services.some((x) => x.service === s)) services.push({ service: s, containerId: null, image: null, phase: 'missing', health: null, exitCode: null, ports: [] })
    services.sort((a, b) => a.service.localeCompare(b.service))
    const names = (volumes.Volumes ?? []).map((v) => v.Name).sort()
    // A one-shot service of a project's file (migrations, a seed) that finished with 0 does not hold the stack down.
    const up = services.length > 0 && services.every((x) => isUp(x) || (target.source === 'project' && x.phase === 'exited' && x.exitCode === 0))
    return { project: target.project, dir, services, volumes: names, up, defined, connection: connectionOf(services, dbEnv), source: target.source }
  }

  private async runUp(dir: string, files: StackFiles, req: UpRequest, signal: AbortSignal): Promise<StackStatus> {
    if (req.useProjectCompose === true) return this.runUpProject(dir, files, req, signal)
    const { jobId } = req
    const notices: string[] = []
    let started = false
    let saveMeta: (() => Promise<void>) | null = null
    const progress = (phase: 'preparing' | 'building' | 'pulling' | 'starting' | 'waiting', extra: { service?: string; buildJobId?: string; detail?: string } = {}) =>
      this.deps.emit('stack.progress', { jobId, project: files.project, phase, ...extra })
    try {
      progress('preparing')
      const tool = await this.composeTool()
      await this.refuseRunning(files.ownProject, `The project's own compose file (${files.ownProject}) is running`)
      const previous = await this.meta(files)
      if (previous?.source === 'project') {
        // Back to Slipway's stack (the project's own has no containers): its ports and variables stay.
        const { source: _source, file: _file, services: _services, ...rest } = previous
        await this.writeMeta(files, rest)
      }
      const analysis = await this.deps.projects.analyze(dir)
      const postgresImage = await this.postgresImage(req.postgresImage, notices)
      const meta = await this.meta(files)
      const containerPort = listenPort(analysis)
      let proposed = await this.proposePorts(dir, files, containerPort, meta, { app: req.hostPort, db: req.dbHostPort })
      for (const [what, wanted, p] of [['app', req.hostPort, proposed.app], ['database', req.dbHostPort, proposed.db]] as const)
        if (wanted !== undefined && p.taken !== null)
          throw new SlipwayError('PortInUse', `Port ${wanted} on 127.0.0.1 (for the ${what}) is in use by another program.`, `Port ${p.host} is free: use it, or stop what listens on ${wanted}.`)
      const env = req.env ?? meta?.env ?? {}
      // Only SQL files found in the project's initdb folders now, whatever the caller names.
      const found = req.initdb?.length ? await findInitdbSql(dir, isInitdbPath) : { files: [] as string[] }
      const unknown = (req.initdb ?? []).filter((f) => !found.files.includes(f))
      if (unknown.length)
        throw new SlipwayError('BadRequest', `${unknown.map((f) => showText(f, 120)).join(', ')} ${unknown.length === 1 ? 'is not an SQL file' : 'are not SQL files'} of the project's initdb folders.`, 'Choose from the files the proposal lists.')
      const initdb = [...new Set(req.initdb ?? [])]
      // The definition is checked before a build starts, so a bad variable or image costs nothing.
      const checked = this.define(analysis, files, { appImage: req.image ?? 'slipway/check:latest', hostPort: proposed.app.host, dbHostPort: proposed.db.host, postgresImage, env, initdb })
      // An app that stops without a variable the stack leaves empty would only exit once started: say which, now.
      const empty = emptyRequiredVars(analysis, checked.compose.services.app.environment)
      if (empty.length)
        throw new SlipwayError(
          'RequiredVariableEmpty',
          `The app stops without ${requiredWords(empty)}, and the stack leaves ${empty.length === 1 ? 'it' : 'them'} empty: nothing was started.`,
          `Give ${empty.length === 1 ? 'it a value' : 'each a value'} in the stack's variables (slipway up: ${empty.map((e) => `-e ${e.name}=…`).join(' ')}).`,
        )
      const image = req.image ?? (await this.appImage(dir, req, analysis, signal, (buildJobId) => progress('building', { service: 'app', buildJobId })))
      checkAborted(signal)
      const envTarget = await this.envFileTarget(analysis, image)
      const defineNow = () => this.define(analysis, files, { appImage: image, hostPort: proposed.app.host, dbHostPort: proposed.db.host, postgresImage, env, envTarget, initdb })
      let def = defineNow()
      notices.push(...def.notices)

      // Images first, through the engine: a missing one is pulled with progress, and one that cannot be is said plainly before anything starts.
      const docker = this.deps.engine.client()
      const where = {
        db: 'Settings → Dev stack, "Postgres image" (a company mirror, or an image you made locally), or the Postgres image field of the stack',
        app: 'the stack\'s app image (leave it empty: Up builds the project and runs that image)',
      }
      for (const [service, ref, role] of [['db', postgresImage, 'Postgres image'], ['app', image, 'app image']] as const) {
        if (await hasImage(docker, ref)) continue
        progress('pulling', { service, detail: ref })
        await pullImage(docker, ref, role, undefined, signal, undefined, where[service])
        checkAborted(signal)
      }

      const password = await this.password(files)
      await mkdir(files.folder, { recursive: true, mode: 0o700 })
      await writeFileAtomically(files.envFile, stackEnvFile(password), { mode: 0o600 })
      const writeDefinition = async () => {
        await writeFileAtomically(files.composeFile, def.yaml, { mode: 0o600 })
        if (envTarget) await this.writeAppEnvFile(files, def, password, image)
      }
      // stack.json (ports and the person's variables for the next Up) is written only once the stack is up,
      // or kept for inspection: variables that made Up fail are not carried into the next one.
      saveMeta = () =>
        this.writeMeta(files, { dir, project: files.project, appPort: proposed.app.host, dbPort: proposed.db.host, ...(Object.keys(env).length ? { env } : {}) })
      await writeDefinition()
      checkAborted(signal)

      started = true
      progress('starting')
      const watcher = this.watch(files, dir, jobId)
      try {
        let r = await this.compose(files, ['up', '-d', '--remove-orphans'], signal)
        // A port Slipway chose itself can be taken between its check and the engine's bind (another
        // stack starting at the same moment): choose free ones again, once. Ports the person asked for are not changed.
        if (r.code !== 0 && req.hostPort === undefined && req.dbHostPort === undefined && PORT_TAKEN.test(`${r.stderr}\n${r.stdout}`)) {
          await this.compose(files, ['down', '--remove-orphans'])
          proposed = await this.proposePorts(dir, files, containerPort, null, {}, new Set([proposed.app.host, proposed.db.host]))
          def = defineNow()
          await writeDefinition()
          checkAborted(signal)
          r = await this.compose(files, ['up', '-d', '--remove-orphans'], signal)
        }
        if (r.code !== 0) throw await this.upFailure(files, dir, `${[tool.command, ...tool.prefix].join(' ')} up failed.`, r, proposed)
        progress('waiting')
        const status = await this.waitUp(files, dir, signal)
        await saveMeta()
        await watcher.tick()
        this.deps.emit('stack.done', { jobId, status, notices })
        return status
      } finally {
        watcher.stop()
      }
    } catch (e) {
      const cancelled = signal.aborted
      const err = cancelled ? new SlipwayError('Cancelled', 'Starting the stack was cancelled.') : e
      // Nothing half-started stays behind unless asked: take it down again, keeping the data.
      if (started && !req.keepOnFailure) await this.compose(files, ['down', '--remove-orphans']).catch(() => undefined)
      else if (started) await saveMeta?.().catch(() => undefined)
      const status = await this.statusOf(files, dir).catch(() => null)
      this.deps.emit('stack.failed', { jobId, error: toWireError(err), cancelled, status })
      throw err
    }
  }

  /** The app image: the newest current build of the project; built (or rebuilt when stale) now otherwise. */
  private async appImage(dir: string, req: UpRequest, analysis: ProjectAnalysis, signal: AbortSignal, onBuild: (buildJobId: string) => void): Promise<string> {
    const builds = this.deps.builds
    if (!builds) throw new SlipwayError('StackFailed', 'No app image was given and this front end cannot build one.', 'Build the project first.')
    // One analysis for the whole Up: the choice and the build are prepared from the one made above.
    const choice = await chooseAppImage(this.deps.engine.client(), builds, dir, req.base, analysis)
    if (choice.action === 'use' && choice.image) return choice.image
    checkAborted(signal)
    const buildJobId = randomUUID()
    const { done } = await builds.launch({ jobId: buildJobId, dir, base: choice.base }, choice.prepared)
    onBuild(buildJobId)
    const cancelBuild = () => builds.cancel(buildJobId)
    signal.addEventListener('abort', cancelBuild, { once: true })
    try {
      const record = await done
      checkAborted(signal)
      const tag = record.tags[0]
      if (!tag) throw new SlipwayError('StackFailed', 'The build gave no image tag.')
      return tag
    } catch (e) {
      checkAborted(signal)
      const w = toWireError(e)
      throw new SlipwayError('BuildFailed', `The app image could not be built: ${w.message}`, w.detail)
    } finally {
      signal.removeEventListener('abort', cancelBuild)
    }
  }

  /** The Postgres image: the caller's, else the setting (a bad one is a notice), else postgres:16-alpine. */
  private async postgresImage(given: string | undefined, notices: string[]): Promise<string> {
    if (given) {
      const problem = imageRefProblem(given)
      if (problem) throw new SlipwayError('BadRequest', `The Postgres image ${showText(given)} ${problem}.`)
      return given
    }
    const setting = (await this.deps.settings?.().catch(() => null))?.postgresImage ?? null
    if (setting) {
      const problem = imageRefProblem(setting)
      if (!problem) return setting
      notices.push(`The Postgres image in the settings (${showText(setting)}) ${problem}; ${DEFAULT_POSTGRES_IMAGE} is used.`)
    }
    return DEFAULT_POSTGRES_IMAGE
  }

  private define(
    analysis: ProjectAnalysis,
    files: StackFiles,
    c: { appImage: string; hostPort: number; dbHostPort: number; postgresImage: string; env: Record<string, string>; envTarget?: string | null; initdb?: string[] },
  ): StackDefinition {
    const { envTarget, initdb, ...rest } = c
    const root = resolve(analysis.root)
    try {
      return composeStack(analysis, {
        projectName: files.project,
        dir: root,
        ...rest,
        ...(envTarget ? { envFile: { source: files.appEnvFile, target: envTarget } } : {}),
        ...(initdb?.length ? { initdb: initdb.map((f) => ({ source: join(root, ...f.split('/')), name: initdbName(f) })) } : {}),
      })
    } catch (e) {
      throw new SlipwayError('BadRequest', (e as Error).message)
    }
  }

  /**
   * Host ports for the app and the database: the one asked for, else the one used before (kept in
   * stack.json, or published now) when it is free or already the stack's, else a free one near the
   * container port. `taken` names a preferred port another program holds.
   */
  private async proposePorts(
    dir: string,
    files: StackFiles,
    containerPort: number,
    meta: StackMeta | null,
    asked: { app?: number | undefined; db?: number | undefined } = {},
    avoid: ReadonlySet<number> = new Set(),
  ): Promise<{ app: StackPortProposal; db: StackPortProposal }> {
    const status = await this.statusOf(files, dir).catch(() => null)
    const published = (service: string, container: number) => status?.services.find((s) => s.service === service)?.ports.find((p) => p.container === container)?.host
    const ours = new Set(status?.services.flatMap((s) => s.ports.map((p) => p.host)) ?? [])
    // Ports other containers publish count as taken even where the engine binds no proxy socket (userland-proxy off).
    const running = await this.deps.engine
      .client()
      .listContainers()
      .catch(() => [])
    const others = new Set(running.flatMap((c) => (c.Ports ?? []).map((p) => p.PublicPort).filter((p): p is number => typeof p === 'number' && p > 0 && !ours.has(p))))
    const given = new Set<number>([...others, ...avoid])
    const pick = async (wanted: number, container: number): Promise<StackPortProposal> => {
      if (!given.has(wanted) && (ours.has(wanted) || (await isPortFree(wanted)))) {
        given.add(wanted)
        return { host: wanted, container, taken: null }
      }
      const host = await freeHostPort(wanted, new Set([...given, ...ours]))
      given.add(host)
      return { host, container, taken: wanted }
    }
    const app = await pick(asked.app ?? published('app', containerPort) ?? meta?.appPort ?? containerPort, containerPort)
    const db = await pick(asked.db ?? published('db', POSTGRES_PORT) ?? meta?.dbPort ?? POSTGRES_PORT, POSTGRES_PORT)
    return { app, db }
  }

  private async meta(files: StackFiles): Promise<StackMeta | null> {
    return readMeta(files.metaFile)
  }

  private async writeMeta(files: StackFiles, meta: StackMeta): Promise<void> {
    await mkdir(files.folder, { recursive: true, mode: 0o700 })
    await writeFileAtomically(files.metaFile, `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 })
  }

  /**
   * Where the program looks for the .env it reads at start (the analysis's run-time files), in the
   * app container: the image's working directory (Slipway's images: /app) and the path the code
   * opens. Null when it reads none.
   */
  private async envFileTarget(analysis: ProjectAnalysis, image: string | null): Promise<string | null> {
    const f = analysis.needs.runtimeFiles.find((x) => /(^|\/)\.env$/.test(x.path) && contextPathProblem(x.path) === null)
    if (!f) return null
    const workdir = image
      ? await this.deps.engine
          .client()
          .getImage(image)
          .inspect()
          .then((i) => i.Config?.WorkingDir || null, () => null)
      : null
    const dir = workdir && /^\/[A-Za-z0-9._/-]*$/.test(workdir) ? workdir : APP_DIR
    return `${dir.replace(/\/+$/, '')}/${f.path.replace(/^\.\//, '')}`
  }

  /**
   * The app's .env, from the stack's variables (the database URL with the real password): in the
   * data folder, never in the project or an image. 0600 when the image runs as root, or owned by
   * the image's numeric user when this process may give it away (root); otherwise 0644 inside the
   * 0700 stack folder, which no other user of this computer can enter, so the container's non-root
   * user can still read the mount (a bind mount keeps the host's owner and mode).
   */
  private async writeAppEnvFile(files: StackFiles, def: StackDefinition, password: string, image: string): Promise<void> {
    const lines = Object.entries(def.compose.services.app.environment).map(
      ([k, v]) => `${k}=${v.replace(new RegExp(`\\$\\{${PASSWORD_VAR}\\}|\\$\\$`, 'g'), (m) => (m === '$$' ? '$' : password))}`,
    )
    const text = `# Written by Slipway for ${def.project}: the stack's variables. Not part of the project.\n${lines.join('\n')}\n`
    const user = await this.deps.engine
      .client()
      .getImage(image)
      .inspect()
      .then((i) => i.Config?.User ?? '', () => '')
    const uid = /^([0-9]+)(:[0-9]+)?$/.exec(user)
    const weAreRoot = typeof process.getuid === 'function' && process.getuid() === 0
    if (user === '' || /^(0|root)(:.*)?$/.test(user)) await writeFileAtomically(files.appEnvFile, text, { mode: 0o600 })
    else if (weAreRoot && uid) {
      await writeFileAtomically(files.appEnvFile, text, { mode: 0o600 })
      await chown(files.appEnvFile, Number(uid[1]), Number(uid[2]?.slice(1) ?? uid[1]))
    } else await writeFileAtomically(files.appEnvFile, text, { mode: 0o644 })
  }

  /** The project's own compose file as propose shows it (services, warnings, problem), without the rest of the proposal. */
  ownCompose(dir: string): Promise<ProjectCompose | null> {
    const abs = resolve(dir)
    return this.projectCompose(abs, this.files(abs))
  }

  /** The project's own compose file, read and checked (never written); null when it has none. */
  private async projectCompose(dir: string, files: StackFiles): Promise<ProjectCompose | null> {
    for (const file of PROJECT_COMPOSE_FILES) {
      const r = await readProjectText(dir, file)
      if (r.text === null && r.problem === null) continue
      if (r.text === null) return { file, services: [], warnings: [], problem: r.problem, project: files.ownProject, digest: null }
      const digest = createHash('sha256').update(r.text).digest('hex')
      return { file, ...readProjectCompose(r.text, dir.split(sep).join('/')), project: files.ownProject, digest }
    }
    return null
  }

  /** Refuses to start while the folder's other stack (Slipway's or the project's own) has containers: they would fight over ports. */
  private async refuseRunning(project: string, what: string): Promise<void> {
    const running = await this.deps.engine.client().listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } })
    if (running.length) throw new SlipwayError('StackBusy', `${what}: take it down first.`, 'Down stops it and keeps its data.')
  }

  /** Takes the folder's current stack down (its volumes only when `removeVolumes`). */
  private async downActive(files: StackFiles, dir: string, removeVolumes: boolean): Promise<ComposeResult> {
    const args = ['down', '--remove-orphans', ...(removeVolumes ? ['--volumes'] : [])]
    const meta = await this.meta(files)
    if (meta?.source !== 'project') return this.compose(files, args)
    const file = meta.file && (PROJECT_COMPOSE_FILES as readonly string[]).includes(meta.file) ? meta.file : null
    if (file && (await readProjectText(dir, file)).text !== null) return this.composeProject(files, dir, file, args)
    // The file is gone or unreadable: compose cannot take its stack down, the engine can.
    const docker = this.deps.engine.client()
    const label = `${PROJECT_LABEL}=${files.ownProject}`
    for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
    for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined)
    if (removeVolumes) for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined)
    return { code: 0, stdout: '', stderr: '' }
  }

  /**
   * Up for the project's own compose file, run as it is: its folder as compose's project directory
   * (so its relative paths and .env mean what they mean to its authors), a Slipway-chosen project
   * name, never rewritten. Its warnings were shown by propose; the person pressed Up.
   */
  private async runUpProject(dir: string, files: StackFiles, req: UpRequest, signal: AbortSignal): Promise<StackStatus> {
    const { jobId } = req
    let started = false
    let file = ''
    const progress = (phase: 'preparing' | 'starting' | 'waiting') => this.deps.emit('stack.progress', { jobId, project: files.ownProject, phase })
    try {
      progress('preparing')
      const tool = await this.composeTool()
      const pc = await this.projectCompose(dir, files)
      if (!pc) throw new SlipwayError('StackNotFound', 'The project has no compose file of its own.', `Slipway looks for ${PROJECT_COMPOSE_FILES.join(', ')} in the project folder.`)
      if (pc.problem) throw new SlipwayError('StackFailed', `${pc.file} cannot be run.`, pc.problem)
      if (req.projectComposeDigest !== undefined && req.projectComposeDigest !== pc.digest)
        throw new SlipwayError('FileChanged', `${pc.file} changed since you reviewed it; nothing was started.`, 'Review its services and warnings again, then press Up.')
      await this.refuseRunning(files.project, `Slipway's stack for this project (${files.project}) is running`)
      file = pc.file
      const prev = await this.meta(files)
      await this.writeMeta(files, { ...prev, dir, project: files.project, source: 'project', file, services: pc.services.map((x) => x.name) })
      checkAborted(signal)
      started = true
      progress('starting')
      const watcher = this.watch(files, dir, jobId)
      try {
        const r = await this.composeProject(files, dir, file, ['up', '-d', '--remove-orphans'], signal)
        if (r.code !== 0) throw await this.upFailure(files, dir, `${[tool.command, ...tool.prefix].join(' ')} up failed for ${file}.`, r, null)
        progress('waiting')
        const status = await this.waitUp(files, dir, signal)
        await watcher.tick()
        this.deps.emit('stack.done', { jobId, status, notices: pc.warnings })
        return status
      } finally {
        watcher.stop()
      }
    } catch (e) {
      const cancelled = signal.aborted
      const err = cancelled ? new SlipwayError('Cancelled', 'Starting the stack was cancelled.') : e
      if (started && !req.keepOnFailure) await this.composeProject(files, dir, file, ['down', '--remove-orphans']).catch(() => undefined)
      const status = await this.statusOf(files, dir).catch(() => null)
      this.deps.emit('stack.failed', { jobId, error: toWireError(err), cancelled, status })
      throw err
    }
  }

  /** Runs the compose tool on the project's own file, with the project folder as compose's project directory. */
  private async composeProject(files: StackFiles, dir: string, file: string, args: string[], signal?: AbortSignal): Promise<ComposeResult> {
    const tool = await this.composeTool()
    const full = [...tool.prefix, '-p', files.ownProject, '-f', join(dir, file), '--project-directory', dir, ...args]
    return runTool(tool.command, full, { env: this.childEnv(), cwd: dir, ...(signal ? { signal } : {}) })
  }

  /** The project's database password: the one already in its .env (the volume was initialised with it), else a new random one. */
  private async password(files: StackFiles): Promise<string> {
    const existing = await readFile(files.envFile, 'utf8').then(passwordFromEnvFile, () => null)
    return existing ?? randomBytes(24).toString('base64url')
  }

  /** Emits stack.service whenever a service's state changes, until stopped. */
  private watch(files: StackFiles, dir: string, jobId: string): { tick(): Promise<void>; stop(): void } {
    const last = new Map<string, string>()
    let stopped = false
    const tick = async () => {
      const status = await this.statusOf(files, dir).catch(() => null)
      if (!status || stopped) return
      for (const service of status.services) {
        const key = JSON.stringify(service)
        if (last.get(service.service) === key) continue
        last.set(service.service, key)
        this.deps.emit('stack.service', { jobId, project: files.project, service })
      }
    }
    const timer = setInterval(() => void tick(), POLL_MS)
    void tick()
    return {
      tick,
      stop() {
        stopped = true
        clearInterval(timer)
      },
    }
  }

  /**
   * Waits until every service is up, those without a healthcheck running for SETTLE_MS since this
   * wait first saw their container running; fails at once when one exited or its database is unhealthy.
   */
  private async waitUp(files: StackFiles, dir: string, signal: AbortSignal): Promise<StackStatus> {
    const now = this.deps.now ?? Date.now
    const end = now() + (this.deps.upTimeoutMs ?? 120_000)
    const runningSince = new Map<string, number>()
    for (;;) {
      checkAborted(signal)
      const status = await this.statusOf(files, dir)
      if (status.up) {
        const settling = status.services.filter((s) => s.phase === 'running' && s.containerId)
        for (const s of settling) if (!runningSince.has(s.containerId as string)) runningSince.set(s.containerId as string, now())
        const left = Math.max(0, ...settling.map((s) => (runningSince.get(s.containerId as string) as number) + SETTLE_MS - now()))
        if (left === 0) return status
        await new Promise((r) => setTimeout(r, Math.min(left, POLL_MS)))
        continue
      }
      const bad = status.services.find((s) => s.phase === 'exited' || s.phase === 'unhealthy' || s.phase === 'restarting')
      if (bad) throw await this.serviceFailure(dir, bad)
      if ((this.deps.now ?? Date.now)() > end) {
        // Say which service kept it waiting, with its last lines.
        const slow = status.services.find((s) => !isUp(s))
        const logs = slow?.containerId ? await this.logs(dir, slow.service, { tail: 20 }).catch(() => null) : null
        throw new SlipwayError('StackFailed', `The stack did not come up in time${slow ? `: the ${slow.service} service is still ${slow.phase}` : ''}.`, [describe(status), ...(logs?.lines ?? [])].join('\n'))
      }
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }

  private async serviceFailure(dir: string, s: StackService): Promise<SlipwayError> {
    const logs = await this.logs(dir, s.service, { tail: 20 }).catch(() => ({ lines: [] as string[] }))
    const what = s.phase === 'exited' ? `exited with code ${s.exitCode}` : s.phase === 'restarting' ? `keeps restarting (last exit code ${s.exitCode})` : 'is unhealthy'
    const hint = s.service === 'db' ? ' The database never became ready: its last lines say why.' : ''
    return new SlipwayError('StackFailed', `The ${s.service} service ${what}.${hint}`, logs.lines.slice(-20).join('\n') || undefined)
  }

  private async upFailure(files: StackFiles, dir: string, message: string, r: ComposeResult, ports: { app: StackPortProposal; db: StackPortProposal } | null): Promise<SlipwayError> {
    const status = await this.statusOf(files, dir).catch(() => null)
    const bad = status?.services.find((s) => s.phase === 'exited' || s.phase === 'unhealthy')
    if (bad) return this.serviceFailure(dir, bad)
    const said = lastLines(r.stderr || r.stdout)
    if (ports && PORT_TAKEN.test(said)) {
      const port = [ports.app.host, ports.db.host].find((p) => said.includes(`:${p}`)) ?? ports.app.host
      const free = await freeHostPort(port + 1).catch(() => null)
      return new SlipwayError('PortInUse', `Port ${port} on 127.0.0.1 was taken by another program just as the stack started.`, `${free ? `Port ${free} is free. ` : ''}Docker said: ${said}`)
    }
    return new SlipwayError('StackFailed', message, said)
  }

  /** Runs the compose tool on the stack's files, in the stack's folder. */
  private async compose(files: StackFiles, args: string[], signal?: AbortSignal): Promise<ComposeResult> {
    const tool = await this.composeTool()
    const full = [...tool.prefix, '--env-file', files.envFile, '-p', files.project, '-f', files.composeFile, ...args]
    return runTool(tool.command, full, { env: this.childEnv(), cwd: files.folder, ...(signal ? { signal } : {}) })
  }

  /** The compose tool's environment: the app's, without anything that could override the stack's password. */
  private childEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const [k, v] of Object.entries(this.deps.env ?? {})) if (v === undefined) delete env[k]
    else env[k] = v
    // A variable in the environment wins over the env file in compose's interpolation.
    delete env.SLIPWAY_DB_PASSWORD
    delete env.COMPOSE_FILE
    delete env.COMPOSE_PROJECT_NAME
    return env
  }
}

/** A project path of an initdb SQL file that can be named in a compose file and in /docker-entrypoint-initdb.d. */
function isInitdbPath(rel: string): boolean {
  return /^[A-Za-z0-9._/-]+\.sql$/i.test(rel) && contextPathProblem(rel) === null && initdbName(rel).length <= 255
}

/** The port the program listens on by default (as composeStack decides it). */
function listenPort(analysis: ProjectAnalysis): number {
  return analysis.needs.listen.find((l) => l.port !== null && Number.isInteger(l.port) && (l.port as number) >= 1 && (l.port as number) <= 65535)?.port ?? 8080
}

/** The app's variables a person may edit: everything the code reads except the wired database variables and the listen port's. */
function proposedEnv(analysis: ProjectAnalysis, def: StackDefinition, current: Record<string, string>): StackProposedEnv[] {
  const db = databaseVariables(analysis)
  const wired = new Set([...def.databaseVars, ...db.pg])
  const listen = analysis.needs.listen.find((l) => l.port !== null)
  if (listen?.via.kind === 'env') wired.add(listen.via.name)
  const out: StackProposedEnv[] = []
  for (const v of analysis.needs.env) {
    if (wired.has(v.name) || !(v.name in def.compose.services.app.environment) || out.some((e) => e.name === v.name)) continue
    const where = v.evidence[0]
    out.push({
      name: v.name,
      value: Object.hasOwn(current, v.name) ? (current[v.name] as string) : (v.fallback ?? ''),
      secret: isSecretName(v.name),
      ...(where ? { evidence: `${where.file}:${where.line}` } : {}),
      ...(v.required ? { required: true } : {}),
    })
  }
  return out
}

/** URLs for tools on this computer, from the db container's own variables and published port. */
function connectionOf(services: StackService[], dbEnv: string[]): StackConnection | null {
  const db = services.find((s) => s.service === 'db')
  const dbHostPort = db?.ports.find((p) => p.container === POSTGRES_PORT)?.host
  if (!dbHostPort) return null
  const env = new Map(dbEnv.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  const user = env.get('POSTGRES_USER') || 'postgres'
  const name = env.get('POSTGRES_DB') || user
  const password = env.get('POSTGRES_PASSWORD') ?? ''
  const enc = encodeURIComponent
  const databaseUrl = `postgres://${enc(user)}${password ? `:${enc(password)}` : ''}@127.0.0.1:${dbHostPort}/${enc(name)}?sslmode=disable`
  const appPort = services.find((s) => s.service === 'app')?.ports[0]?.host
  // Single quotes: nothing in the URL is special to a POSIX shell there (encodeURIComponent leaves no quote).
  return { appUrl: appPort ? `http://127.0.0.1:${appPort}` : null, databaseUrl, psql: `psql '${databaseUrl.replaceAll("'", '%27')}'`, dbHostPort }
}

async function readMeta(file: string): Promise<StackMeta | null> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<StackMeta>
    if (typeof raw.dir !== 'string' || typeof raw.project !== 'string') return null
    const port = (p: unknown) => (Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535 ? (p as number) : undefined)
    const env = raw.env && typeof raw.env === 'object' ? Object.fromEntries(Object.entries(raw.env).filter(([, v]) => typeof v === 'string')) : undefined
    const appPort = port(raw.appPort)
    const dbPort = port(raw.dbPort)
    const own =
      raw.source === 'project' && typeof raw.file === 'string' && Array.isArray(raw.services)
        ? { source: 'project' as const, file: raw.file, services: raw.services.filter((x): x is string => typeof x === 'string' && /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/.test(x)) }
        : {}
    return { dir: raw.dir, project: raw.project, ...(appPort ? { appPort } : {}), ...(dbPort ? { dbPort } : {}), ...(env ? { env } : {}), ...own }
  } catch {
    return null
  }
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}

function phaseOf(state: { Status: string; Running: boolean; Restarting: boolean }, health: StackService['health']): StackServicePhase {
  if (state.Restarting) return 'restarting'
  if (state.Running) return health === 'healthy' ? 'healthy' : health === 'unhealthy' ? 'unhealthy' : health === 'starting' ? 'starting' : 'running'
  if (state.Status === 'created') return 'created'
  return 'exited'
}

function isUp(s: StackService): boolean {
  return s.phase === 'healthy' || (s.phase === 'running' && s.health === null)
}

function describe(status: StackStatus): string {
  return status.services.map((s) => `${s.service}: ${s.phase}`).join(', ')
}

function lastLines(text: string, n = 15): string {
  return text.trim().split('\n').slice(-n).join('\n')
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SlipwayError('Cancelled', 'Starting the stack was cancelled.')
}

/** The engine's own words from a dockerode error. */
function engineMessage(e: unknown): string {
  const json = (e as { json?: { message?: string } }).json
  return (json?.message ?? (e as Error).message ?? String(e)).trim()
}
