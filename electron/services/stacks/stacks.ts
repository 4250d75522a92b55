// The Stacks service: the project's app next to Postgres, driven through the real compose tool
// (v2 `docker compose` or v1 `docker-compose`, argument arrays, never a shell). The compose file
// and its .env (the generated password, 0600) live in the data folder under
// stacks/<hash of the project path>/ — never in the project. State is read back from the engine
// by compose's own labels, so a stack looks the same whichever tool (or person) started it.
// `up` is a job: the caller names it, stack.service events follow each service on its way up,
// and exactly one stack.done or stack.failed ends it. Volumes (the database) are removed only by
// `down` with removeVolumes set to true.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { SlipwayError, toWireError } from '../../../shared/errors'
import { composeProjectName, composeStack, passwordFromEnvFile, stackEnvFile } from '../../../shared/stack/compose'
import type { StackService, StackServicePhase, StackStatus, StackUpOptions } from '../../../shared/stack/types'
import type { BuildRecord, BuildRequest } from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { writeFileAtomically } from '../atomic-write'
import { freeHostPort, isPortFree } from '../run/ports'
import { detectComposeTool, runTool, type ComposeResult, type ComposeTool } from './compose-tool'

/** What the service needs from the rest of the app. */
export interface StacksDeps {
  engine: { client(): Dockerode }
  /** Slipway's data folder; stacks live in its `stacks/` folder. */
  dataDir: string
  emit: Emit
  projects: { analyze(dir: string): Promise<ProjectAnalysis> }
  /** Builds the app image when the project has none yet. */
  builds?: { launch(req: BuildRequest): Promise<{ done: Promise<BuildRecord> }>; history(dir: string): Promise<BuildRecord[]> }
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

const PROJECT_LABEL = 'com.docker.compose.project'
const SERVICE_LABEL = 'com.docker.compose.service'
const SERVICES = ['app', 'db'] as const
const POLL_MS = 400

interface StackFiles {
  folder: string
  composeFile: string
  envFile: string
  project: string
}

export class Stacks {
  private tool: Promise<ComposeTool> | null = null
  private readonly busy = new Map<string, { jobId: string; controller: AbortController }>()

  constructor(private readonly deps: StacksDeps) {}

  /** The compose tool in use (detected once; a failed detection is tried again next time). */
  composeTool(): Promise<ComposeTool> {
    this.tool ??= detectComposeTool(this.childEnv()).catch((e: unknown) => {
      this.tool = null
      throw e
    })
    return this.tool
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

  /** Cancels a running up; true when there was one. What started is taken down (volumes kept). */
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
    const hasFile = await readFile(files.composeFile, 'utf8').then(
      () => true,
      () => false,
    )
    if (!hasFile) throw new SlipwayError('StackNotFound', 'This project has no stack yet.', 'Start it with Up first.')
    // Only an explicit true deletes data: a missing or truthy-but-not-true option keeps the database.
    const args = ['down', '--remove-orphans', ...(opts.removeVolumes === true ? ['--volumes'] : [])]
    const r = await this.compose(files, args)
    if (r.code !== 0) throw new SlipwayError('StackFailed', 'The stack could not be taken down.', lastLines(r.stderr || r.stdout))
    return this.status(dir)
  }

  /** The stack's services and volumes as the engine has them, by compose's labels. */
  async status(dir: string): Promise<StackStatus> {
    const files = this.files(dir)
    const docker = this.deps.engine.client()
    const label = `${PROJECT_LABEL}=${files.project}`
    const [containers, volumes] = await Promise.all([
      docker.listContainers({ all: true, filters: { label: [label] } }),
      docker.listVolumes({ filters: { label: [label] } }),
    ])
    const services: StackService[] = []
    for (const c of containers) {
      const service = c.Labels?.[SERVICE_LABEL]
      if (!service) continue
      const info = await docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => null)
      if (!info) continue
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
    for (const s of SERVICES)
      if (!services.some((x) => x.service === s)) services.push({ service: s, containerId: null, image: null, phase: 'missing', health: null, exitCode: null, ports: [] })
    services.sort((a, b) => a.service.localeCompare(b.service))
    const names = (volumes.Volumes ?? []).map((v) => v.Name).sort()
    return { project: files.project, dir: resolve(dir), services, volumes: names, up: services.every(isUp) }
  }

  /** The last lines a service's container wrote (stdout and stderr interleaved as the engine kept them). */
  async logs(dir: string, service: string, opts: { tail?: number } = {}): Promise<{ service: string; lines: string[] }> {
    const status = await this.status(dir)
    const s = status.services.find((x) => x.service === service)
    if (!s?.containerId) throw new SlipwayError('StackNotFound', `The stack has no container for the service "${service.slice(0, 40)}".`)
    const raw = (await this.deps.engine
      .client()
      .getContainer(s.containerId)
      .logs({ stdout: true, stderr: true, follow: false, tail: opts.tail ?? 500 })) as unknown as Buffer
    return { service, lines: demux(Buffer.from(raw)).split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1) }
  }

  /** The stack folder and compose project name of a project folder. */
  files(dir: string): StackFiles {
    const abs = resolve(dir)
    const key = createHash('sha256').update(abs).digest('hex').slice(0, 16)
    const folder = join(this.deps.dataDir, 'stacks', key)
    return { folder, composeFile: join(folder, 'compose.yaml'), envFile: join(folder, '.env'), project: composeProjectName(basename(abs), key) }
  }

  private async runUp(dir: string, files: StackFiles, req: UpRequest, signal: AbortSignal): Promise<StackStatus> {
    const { jobId } = req
    const notices: string[] = []
    let started = false
    try {
      const tool = await this.composeTool()
      const analysis = await this.deps.projects.analyze(dir)
      const image = req.image ?? (await this.appImage(dir, req, signal))
      checkAborted(signal)
      const password = await this.password(files)
      const containerPort = analysis.needs.listen.find((l) => l.port !== null)?.port ?? 8080
      const hostPort = req.hostPort ?? (await this.hostPort(dir, containerPort))
      if (req.hostPort !== undefined && !(await isPortFree(req.hostPort)) && !(await this.ownsPort(dir, req.hostPort)))
        throw new SlipwayError('PortInUse', `Port ${req.hostPort} on 127.0.0.1 is in use.`, `Port ${await freeHostPort(containerPort)} is free.`)
      const def = composeStack(analysis, {
        appImage: image,
        projectName: files.project,
        hostPort,
        ...(req.postgresImage ? { postgresImage: req.postgresImage } : {}),
      })
      notices.push(...def.notices)
      await mkdir(files.folder, { recursive: true, mode: 0o700 })
      await writeFileAtomically(files.composeFile, def.yaml, { mode: 0o600 })
      await writeFileAtomically(files.envFile, stackEnvFile(password), { mode: 0o600 })
      checkAborted(signal)

      started = true
      const watcher = this.watch(dir, jobId, files.project)
      try {
        const r = await this.compose(files, ['up', '-d', '--remove-orphans'], signal)
        if (r.code !== 0) throw await this.upFailure(dir, `${tool.command} ${tool.prefix.join(' ')} up failed.`.replace('  ', ' '), r)
        const status = await this.waitUp(dir, signal)
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
      const status = await this.status(dir).catch(() => null)
      this.deps.emit('stack.failed', { jobId, error: toWireError(err), cancelled, status })
      throw err
    }
  }

  /** The newest image Slipway built for the project that still exists; built now when there is none. */
  private async appImage(dir: string, req: UpRequest, signal: AbortSignal): Promise<string> {
    const builds = this.deps.builds
    if (!builds) throw new SlipwayError('StackFailed', 'No app image was given and this front end cannot build one.', 'Build the project first.')
    const docker = this.deps.engine.client()
    for (const rec of await builds.history(dir)) {
      if (rec.result !== 'succeeded' || (req.base && rec.base !== req.base)) continue
      for (const tag of rec.tags)
        if (
          await docker
            .getImage(tag)
            .inspect()
            .then((i) => i.Id === rec.imageId, () => false)
        )
          return tag
    }
    const { done } = await builds.launch({ jobId: randomUUID(), dir, ...(req.base ? { base: req.base } : {}) })
    const record = await done
    checkAborted(signal)
    const tag = record.tags[0]
    if (!tag) throw new SlipwayError('StackFailed', 'The build gave no image tag.')
    return tag
  }

  /** The project's database password: the one already in its .env (the volume was initialised with it), else a new random one. */
  private async password(files: StackFiles): Promise<string> {
    const existing = await readFile(files.envFile, 'utf8').then(passwordFromEnvFile, () => null)
    return existing ?? randomBytes(24).toString('base64url')
  }

  /** The port the stack published before when it is still ours or free, else a free one near the container port. */
  private async hostPort(dir: string, containerPort: number): Promise<number> {
    const status = await this.status(dir).catch(() => null)
    const before = status?.services.find((s) => s.service === 'app')?.ports[0]?.host
    if (before) return before
    return freeHostPort(containerPort)
  }

  private async ownsPort(dir: string, port: number): Promise<boolean> {
    const status = await this.status(dir).catch(() => null)
    return !!status?.services.some((s) => s.ports.some((p) => p.host === port))
  }

  /** Emits stack.service whenever a service's state changes, until stopped. */
  private watch(dir: string, jobId: string, project: string): { tick(): Promise<void>; stop(): void } {
    const last = new Map<string, string>()
    let stopped = false
    const tick = async () => {
      const status = await this.status(dir).catch(() => null)
      if (!status || stopped) return
      for (const service of status.services) {
        const key = JSON.stringify(service)
        if (last.get(service.service) === key) continue
        last.set(service.service, key)
        this.deps.emit('stack.service', { jobId, project, service })
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

  /** Waits until every service is up; fails at once when one exited or its database is unhealthy. */
  private async waitUp(dir: string, signal: AbortSignal): Promise<StackStatus> {
    const end = (this.deps.now ?? Date.now)() + (this.deps.upTimeoutMs ?? 120_000)
    for (;;) {
      checkAborted(signal)
      const status = await this.status(dir)
      if (status.up) return status
      const bad = status.services.find((s) => s.phase === 'exited' || s.phase === 'unhealthy' || s.phase === 'missing')
      if (bad && bad.phase !== 'missing') throw await this.serviceFailure(dir, bad)
      if ((this.deps.now ?? Date.now)() > end) throw new SlipwayError('StackFailed', 'The stack did not come up in time.', describe(status))
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }

  private async serviceFailure(dir: string, s: StackService): Promise<SlipwayError> {
    const logs = await this.logs(dir, s.service, { tail: 20 }).catch(() => ({ lines: [] as string[] }))
    const what = s.phase === 'exited' ? `exited with code ${s.exitCode}` : 'is unhealthy'
    return new SlipwayError('StackFailed', `The ${s.service} service ${what}.`, logs.lines.slice(-20).join('\n') || undefined)
  }

  private async upFailure(dir: string, message: string, r: ComposeResult): Promise<SlipwayError> {
    const status = await this.status(dir).catch(() => null)
    const bad = status?.services.find((s) => s.phase === 'exited' || s.phase === 'unhealthy')
    if (bad) return this.serviceFailure(dir, bad)
    return new SlipwayError('StackFailed', message, lastLines(r.stderr || r.stdout))
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

/** The engine's multiplexed log format (8-byte frame headers) as text; a TTY container's raw bytes as they are. */
function demux(buf: Buffer): string {
  const out: Buffer[] = []
  let i = 0
  while (i + 8 <= buf.length) {
    const type = buf[i]
    const size = buf.readUInt32BE(i + 4)
    if ((type !== 0 && type !== 1 && type !== 2) || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) return buf.toString('utf8')
    out.push(buf.subarray(i + 8, i + 8 + size))
    i += 8 + size
  }
  return Buffer.concat(out).toString('utf8')
}
