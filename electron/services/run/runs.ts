// The Runs service: runs an image as a container the way a person would with `docker run`, but
// safely by default: ports published on 127.0.0.1 only, arguments as an array (no shell), only
// containers Slipway started (labelled org.slipway.run) can be stopped or removed through it.
// Logs stream as run.log events (numbered, so a front end that connects late can join the
// stream without gaps or repeats); run.state says when a container starts, exits or is removed.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { SlipwayError } from '../../../shared/errors'
import { flagNamed } from '../../../shared/run/args'
import { ENV_NAME, isSecretName } from '../../../shared/run/env'
import type {
  PortMapping,
  ProposedEnv,
  ProposedPort,
  RunLogLine,
  RunLogs,
  RunningContainer,
  RunProposal,
  RunRequest,
} from '../../../shared/types/build'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { readLogLines } from './log-lines'
import { freeHostPort, isPortFree } from './ports'

/** What the service needs from the rest of the app. */
export interface RunsDeps {
  engine: { client(): Dockerode }
  emit: Emit
  /** Reads a project folder for the port it listens on and the variables it reads. */
  projects?: { analyze(dir: string, opts?: { main?: string }): Promise<ProjectAnalysis> }
}

/** Labels on every container Slipway starts; the project one is copied from the image. */
export const RUN_LABEL = 'org.slipway.run'
const PROJECT_LABEL = 'org.slipway.project'
/** The main package the image was built from (builds.ts LABEL.main): its needs, not the folder's default main's. */
const MAIN_LABEL = 'org.slipway.main'

/** Lines kept per container for a front end that opens it late. */
const KEEP_LINES = 2000
/** Lines are sent in small batches: a chatty program must not cost one event per line. */
const BATCH_MS = 25
const BATCH_LINES = 500
const STOP_TIMEOUT_S = 10

interface Watch {
  id: string
  lines: RunLogLine[]
  /** The seq the next line gets. */
  next: number
  pending: RunLogLine[]
  timer: NodeJS.Timeout | undefined
  stream: NodeJS.ReadableStream | null
  /** The log stream is open or opening. */
  active: boolean
  /** Resolves when the log stream has ended (the container exited, or it was read to the end). */
  logsEnded: Promise<void>
  /** Resolves with the container's state once it has exited and its last lines are sent. */
  exited: Promise<RunningContainer | null> | null
}

export class Runs {
  private readonly watches = new Map<string, Watch>()
  private disposed = false

  constructor(private readonly deps: RunsDeps) {}

  /**
   * Proposes how to run `image`: the ports it exposes and the one its code listens on (a free host
   * port for each), and the variables the code reads, pre-filled with their defaults.
   */
  async propose(image: string, opts: { dir?: string | undefined } = {}): Promise<RunProposal> {
    const docker = this.deps.engine.client()
    const info = await inspectImage(docker, image)
    const notices: string[] = []
    const labelDir = info.Config?.Labels?.[PROJECT_LABEL]
    // The label is only a hint: a folder that is gone (or was built elsewhere) just gives no suggestions.
    const dir = opts.dir ?? (labelDir && existsSync(labelDir) ? labelDir : null)
    let analysis: ProjectAnalysis | null = null
    if (dir && this.deps.projects) {
      try {
        const main = info.Config?.Labels?.[MAIN_LABEL]
        analysis = await this.deps.projects.analyze(dir, main ? { main } : {})
      } catch (e) {
        notices.push(`The project at ${dir} could not be read (${(e as Error).message}), so nothing was suggested from its code.`)
      }
    }

    const wanted = new Map<number, { exposed: boolean; detected: boolean }>()
    for (const listen of analysis?.needs.listen ?? []) {
      if (listen.port === null) continue
      wanted.set(listen.port, { exposed: false, detected: true })
      if (listen.loopbackOnly)
        notices.push(
          `The program listens on ${listen.host}:${listen.port} (${listen.evidence.file}:${listen.evidence.line}), which is unreachable from outside its container; make it listen on ":${listen.port}".`,
        )
    }
    for (const key of Object.keys(info.Config?.ExposedPorts ?? {})) {
      const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(key)
      if (!m || (m[2] && m[2] !== 'tcp')) continue
      const n = Number(m[1])
      wanted.set(n, { exposed: true, detected: wanted.get(n)?.detected ?? false })
    }

    const published = await this.enginePublished(docker)
    const given = new Set<number>()
    const ports: ProposedPort[] = []
    for (const [container, from] of wanted) {
      const taken = published.has(container) || !(await isPortFree(container))
      const host = await freeHostPort(container, new Set([...given, ...published]))
      given.add(host)
      ports.push({ host, container, hostTaken: taken, ...from })
    }

    const env: ProposedEnv[] = []
    // A variable the image sets is not asked for; one the program stops without, or that alone names its port, is.
    const imageEnv = new Set((info.Config?.Env ?? []).map((e) => e.slice(0, e.indexOf('='))))
    const portFrom = new Set((analysis?.needs.listen ?? []).filter((l) => l.port === null && l.via.kind === 'env').map((l) => (l.via as { name: string }).name))
    for (const v of analysis?.needs.env ?? []) {
      if (!ENV_NAME.test(v.name) || env.some((e) => e.name === v.name)) continue
      const where = v.evidence[0]
      const required = (v.required === true || portFrom.has(v.name)) && !imageEnv.has(v.name)
      env.push({ name: v.name, value: v.fallback ?? '', secret: isSecretName(v.name), ...(where ? { evidence: `${where.file}:${where.line}` } : {}), ...(required ? { required } : {}) })
    }
    const flagNames = [
      ...(analysis?.needs.requiredFlags ?? []).map((f) => f.name),
      ...(analysis?.needs.listen ?? []).filter((l) => l.port === null && l.via.kind === 'flag').map((l) => (l.via as { name: string }).name),
    ]
    // Only names that can be typed as a flag; the image's CMD may already give them.
    const cmd = info.Config?.Cmd ?? []
    const requiredFlags = [...new Set(flagNames)].filter((n) => /^[A-Za-z0-9][\w.-]*$/.test(n) && !cmd.some((a) => flagNamed(a, n)))
    return { image, dir, ports, env, ...(requiredFlags.length > 0 ? { requiredFlags } : {}), notices }
  }

  /**
   * Creates and starts a container of `req.image`. Resolves with its state (already `exited` when it
   * stopped at once); its output follows as run.log events and its end as run.state.
   */
  async start(req: RunRequest): Promise<RunningContainer> {
    const docker = this.deps.engine.client()
    const info = await inspectImage(docker, req.image)
    const ports = req.ports ?? []
    const env = Object.entries(req.env ?? {})
    const args = req.args ?? []
    checkRequest(ports, env, args)

    const published = await this.enginePublished(docker)
    const used = new Set(ports.map((p) => p.host))
    for (const p of ports)
      if (published.has(p.host) || !(await isPortFree(p.host))) throw await portInUse(p.host, new Set([...used, ...published]))

    const labels: Record<string, string> = { [RUN_LABEL]: '1' }
    const project = info.Config?.Labels?.[PROJECT_LABEL]
    if (project) labels[PROJECT_LABEL] = project
    const key = (p: PortMapping) => `${p.container}/tcp`
    const container = await docker.createContainer({
      name: containerName(req.image),
      Image: req.image,
      Env: env.map(([k, v]) => `${k}=${v}`),
      // Replaces the image's CMD (the ENTRYPOINT stays), as `docker run IMAGE ARGS…` does; never a shell string.
      ...(args.length ? { Cmd: args } : {}),
      Labels: labels,
      ExposedPorts: Object.fromEntries(ports.map((p) => [key(p), {}])),
      HostConfig: {
        // Loopback only: a development run is for this computer, not for the network it is on.
        PortBindings: Object.fromEntries(
          [...new Set(ports.map(key))].map((k) => [k, ports.filter((p) => key(p) === k).map((p) => ({ HostIp: '127.0.0.1', HostPort: String(p.host) }))]),
        ),
      },
    })
    try {
      await container.start()
    } catch (e) {
      await container.remove({ force: true }).catch(() => undefined)
      const message = engineMessage(e)
      // Taken between the check and the start (another program, or a container started meanwhile).
      if (/already allocated|address already in use/i.test(message)) {
        const port = Number(/127\.0\.0\.1:(\d+)/.exec(message)?.[1]) || (ports[0] as PortMapping).host
        throw await portInUse(port, used)
      }
      throw new SlipwayError('EngineError', `The container could not start: ${message}`, 'Check the image and the arguments, then try again.')
    }
    const watch = this.watch(docker, container.id, true)
    const state = toRunning(await container.inspect())
    // Gone already: its exit is told once, by the watch, after its last lines.
    if (state.state !== 'running') return (await watch.exited) ?? state
    this.deps.emit('run.state', state)
    return state
  }

  /** Stops a container Slipway started (SIGTERM, then SIGKILL after 10 s); resolves with its state once exited. */
  async stop(id: string): Promise<RunningContainer> {
    const docker = this.deps.engine.client()
    const container = await this.own(docker, id)
    await container.stop({ t: STOP_TIMEOUT_S }).catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 304) throw e // 304: it had stopped already
    })
    const watch = this.watches.get(container.id)
    const exited = watch?.exited ? await watch.exited : null
    return exited ?? toRunning(await container.inspect())
  }

  /** Removes a container Slipway started, running or not. One that is already gone is fine. */
  async remove(id: string): Promise<void> {
    const docker = this.deps.engine.client()
    const container = await this.own(docker, id, { missingIsFine: true })
    if (!container) return
    const state = toRunning(await container.inspect())
    this.unwatch(container.id)
    await container.remove({ force: true, v: true }).catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 404) throw e
    })
    this.deps.emit('run.state', { ...state, state: 'removed', urls: [] })
  }

  /** Containers Slipway started, running ones first, then newest first. Running ones are followed for logs and exit. */
  async list(): Promise<RunningContainer[]> {
    const docker = this.deps.engine.client()
    const summaries = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=1`] } })
    const states = await Promise.all(
      summaries.map((s) =>
        docker
          .getContainer(s.Id)
          .inspect()
          .then(toRunning, () => null),
      ),
    )
    const list = states.filter((s): s is RunningContainer => s !== null)
    for (const s of list) if (s.state === 'running') this.watch(docker, s.id, true)
    const created = new Map(summaries.map((s) => [s.Id, s.Created]))
    return list.sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || (created.get(b.id) ?? 0) - (created.get(a.id) ?? 0))
  }

  /** The last lines a container wrote; run.log events with `seq >= next` continue from there. */
  async logs(id: string): Promise<RunLogs> {
    const docker = this.deps.engine.client()
    const container = await this.own(docker, id)
    let watch = this.watches.get(container.id)
    if (!watch) {
      const info = await container.inspect()
      watch = this.watch(docker, container.id, info.State.Running)
      // The engine sends what was written so far at once; wait for it (a stopped container's log
      // simply ends), so the answer is not an empty list followed by the backlog as events.
      await Promise.race([watch.logsEnded, quiet(watch, 150, 2000)])
    }
    flush(this.deps.emit, watch)
    return { containerId: container.id, lines: [...watch.lines], next: watch.next }
  }

  /** Resolves when a container this service follows exits (after its last lines were sent); null when it is not followed. */
  exited(id: string): Promise<RunningContainer | null> {
    const watch = [...this.watches.values()].find((w) => w.id === id || w.id.startsWith(id))
    return watch?.exited ?? Promise.resolve(null)
  }

  /** Stops following every container (their processes keep running). */
  dispose(): void {
    this.disposed = true
    for (const id of [...this.watches.keys()]) this.unwatch(id)
  }

  /** A container that Slipway started, or ContainerNotFound (other containers are not Slipway's to stop or remove). */
  private async own(docker: Dockerode, id: string): Promise<Dockerode.Container>
  private async own(docker: Dockerode, id: string, opts: { missingIsFine: true }): Promise<Dockerode.Container | null>
  private async own(docker: Dockerode, id: string, opts: { missingIsFine?: boolean } = {}): Promise<Dockerode.Container | null> {
    const container = docker.getContainer(id)
    let info: Dockerode.ContainerInspectInfo
    try {
      info = await container.inspect()
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404 && opts.missingIsFine) return null
      if ((e as { statusCode?: number }).statusCode === 404)
        throw new SlipwayError('ContainerNotFound', `There is no container ${id.slice(0, 12)}.`, 'It may have been removed meanwhile; refresh the list.')
      throw e
    }
    if (info.Config.Labels?.[RUN_LABEL] !== '1')
      throw new SlipwayError('ContainerNotFound', `Container ${id.slice(0, 12)} was not started by Slipway.`, 'Slipway only stops and removes its own containers; use docker for this one.')
    return docker.getContainer(info.Id)
  }

  /** Host ports the engine publishes already (it may hold them without a listening proxy). */
  private async enginePublished(docker: Dockerode): Promise<Set<number>> {
    const running = await docker.listContainers({ all: false })
    return new Set(running.flatMap((c) => (c.Ports ?? []).map((p) => p.PublicPort).filter((p): p is number => typeof p === 'number' && p > 0)))
  }

  /** Follows a container's output (from its first line) and, when `follow`, its exit. */
  private watch(docker: Dockerode, id: string, follow: boolean): Watch {
    const existing = this.watches.get(id)
    if (existing && (existing.active || !follow)) return existing
    const watch: Watch = existing ?? { id, lines: [], next: 0, pending: [], timer: undefined, stream: null, active: false, logsEnded: Promise.resolve(), exited: null }
    watch.active = true
    this.watches.set(id, watch)
    const container = docker.getContainer(id)
    const add = (stream: 'stdout' | 'stderr', lines: string[]) => {
      for (const line of lines) watch.pending.push({ stream, line })
      if (watch.pending.length >= BATCH_LINES) flush(this.deps.emit, watch)
      else watch.timer ??= setTimeout(() => flush(this.deps.emit, watch), BATCH_MS)
    }
    // A re-watch (the app restarted, or only the backlog was read before) starts after what is kept.
    const skip = watch.next
    watch.lines = []
    watch.next = 0
    watch.logsEnded = new Promise<void>((resolve) => {
      // Always a stream (follow: false answers with one Buffer); for a stopped container it ends after the last line.
      container.logs({ follow: true, stdout: true, stderr: true, tail: KEEP_LINES }, (err, stream) => {
        if (err || !stream || this.disposed || this.watches.get(id) !== watch) {
          watch.active = false
          resolve()
          return
        }
        watch.stream = stream
        void readLogLines(docker.modem, stream, add).then(() => {
          watch.active = false
          flush(this.deps.emit, watch, skip)
          watch.stream = null
          resolve()
        })
      })
    })
    if (follow)
      watch.exited = (async () => {
        try {
          await container.wait()
        } catch {
          return null // the engine went away: the next list() follows it again
        }
        // The last lines before the exit state, so "exited 3" never shows without its reason.
        await Promise.race([watch.logsEnded, delay(2000)])
        flush(this.deps.emit, watch)
        if (this.watches.get(id) !== watch) return null
        const state = await container.inspect().then(toRunning, () => null)
        if (state) this.deps.emit('run.state', state)
        return state
      })()
    return watch
  }

  private unwatch(id: string): void {
    const watch = this.watches.get(id)
    if (!watch) return
    this.watches.delete(id)
    clearTimeout(watch.timer)
    const stream = watch.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null
    stream?.destroy?.()
  }
}

/** Sends the pending lines as run.log events, one per run of the same stream, numbered. `skip` lines are kept but not re-sent. */
function flush(emit: Emit, watch: Watch, skip = 0): void {
  clearTimeout(watch.timer)
  watch.timer = undefined
  const pending = watch.pending.splice(0)
  let i = 0
  while (i < pending.length) {
    const stream = (pending[i] as RunLogLine).stream
    let j = i
    while (j < pending.length && (pending[j] as RunLogLine).stream === stream) j++
    const run = pending.slice(i, j)
    const seq = watch.next
    watch.lines.push(...run)
    watch.next += run.length
    const fresh = run.filter((_, k) => seq + k >= skip)
    if (fresh.length) emit('run.log', { containerId: watch.id, stream, lines: fresh.map((l) => l.line), seq: Math.max(seq, skip) })
    i = j
  }
  if (watch.lines.length > KEEP_LINES * 1.25) watch.lines.splice(0, watch.lines.length - KEEP_LINES)
}

/** Resolves once no line has arrived for `ms` (or after `max`). */
async function quiet(watch: Watch, ms: number, max: number): Promise<void> {
  const until = Date.now() + max
  let seen = -1
  while (Date.now() < until) {
    const now = watch.next + watch.pending.length
    if (now === seen) return
    seen = now
    await delay(ms)
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref())
}

async function inspectImage(docker: Dockerode, image: string): Promise<Dockerode.ImageInspectInfo> {
  try {
    return await docker.getImage(image).inspect()
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404)
      throw new SlipwayError('ImageNotFound', `There is no image "${image}" in the engine.`, 'Build it first, or check the name with `docker image ls`.')
    throw e
  }
}

/** What the schema checks at the boundary, checked again for callers inside the process (the CLI). */
function checkRequest(ports: PortMapping[], env: [string, string][], args: string[]): void {
  const hosts = new Set<number>()
  for (const p of ports) {
    for (const n of [p.host, p.container])
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new SlipwayError('BadRequest', `${n} is not a port number.`, 'Ports are 1 to 65535.')
    if (hosts.has(p.host)) throw new SlipwayError('BadRequest', `Host port ${p.host} is given twice.`, 'Publish each host port once.')
    hosts.add(p.host)
  }
  for (const [name, value] of env) {
    if (!ENV_NAME.test(name)) throw new SlipwayError('BadRequest', `"${name}" is not a variable name.`, 'Use letters, digits and _, not starting with a digit.')
    if (value.includes('\0')) throw new SlipwayError('BadRequest', `The value of ${name} contains a NUL character.`)
  }
  if (args.some((a) => a.includes('\0'))) throw new SlipwayError('BadRequest', 'An argument contains a NUL character.')
}

async function portInUse(port: number, avoid: Set<number>): Promise<SlipwayError> {
  const free = await freeHostPort(port, avoid).catch(() => null)
  return new SlipwayError(
    'PortInUse',
    `Port ${port} is already in use on this computer.`,
    free ? `Use port ${free} instead (it is free), or stop what is listening on ${port}.` : `Stop what is listening on ${port}, or choose another port.`,
  )
}

/** The engine's own words from a dockerode error. */
function engineMessage(e: unknown): string {
  const json = (e as { json?: { message?: string } }).json
  return (json?.message ?? (e as Error).message ?? String(e)).trim()
}

/** `slipway/hello-api:alpine` → `hello-api-3f9c`: readable in `docker ps`, unique enough with the suffix. */
function containerName(image: string): string {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '')
  const last = (repo.split('/').pop() ?? 'app').replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 40) || 'app'
  return `${last}-${randomBytes(2).toString('hex')}`
}

const NO_TIME = /^0001-01-01/

/** The engine's view of a container, as every front end shows it. */
export function toRunning(info: Dockerode.ContainerInspectInfo): RunningContainer {
  const status = info.State.Status
  const state: RunningContainer['state'] = status === 'running' || status === 'exited' || status === 'created' ? status : 'other'
  const ports: PortMapping[] = []
  for (const [key, bindings] of Object.entries(info.HostConfig.PortBindings ?? {}) as [string, { HostPort?: string }[] | null][]) {
    const container = Number(/^(\d+)/.exec(key)?.[1])
    for (const b of bindings ?? []) {
      const host = Number(b.HostPort)
      if (container && host && !ports.some((p) => p.host === host)) ports.push({ host, container })
    }
  }
  const time = (t: string | undefined) => (t && !NO_TIME.test(t) ? Date.parse(t) : null)
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    state,
    exitCode: status === 'exited' || status === 'dead' ? info.State.ExitCode : null,
    error: info.State.Error || null,
    ports,
    urls: ports.map((p) => `http://localhost:${p.host}`),
    startedAt: time(info.State.StartedAt),
    finishedAt: status === 'running' ? null : time(info.State.FinishedAt),
    project: info.Config.Labels?.[PROJECT_LABEL] ?? null,
  }
}
