import type { IncomingMessage } from 'node:http'
import { homedir } from 'node:os'
import Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { EngineUnavailable, toWireError } from '../../../shared/errors'
import type { EngineEndpoint, EngineEvent, EngineInfo, EngineState } from '../../../shared/types/engine'
import { dockerodeOptions, resolveEndpoint, type ResolvedEndpoint } from './endpoint'
import { readHostFacts } from './host-facts'
import { apiAtLeast, apiTooOld, explainConnectionError, MIN_API_VERSION } from './problems'
import { countImages } from './image-list'
import { disableModemRedirects } from './modem-redirects'

// Before any client exists: a redirect followed by docker-modem can end the process (modem-redirects.ts).
disableModemRedirects()

export interface EngineOptions {
  /** Re-run before every connection attempt, so a changed docker context is picked up. */
  resolve: () => ResolvedEndpoint
  emit: Emit
  platform?: NodeJS.Platform
  now?: () => number
  /** Delays between reconnect attempts while the engine is down; the last one repeats. */
  retryDelaysMs?: number[]
  /** How long a probe (ping/version/info) may take before the engine counts as unreachable. */
  probeTimeoutMs?: number
  /** How often a connected engine is pinged, to notice a hung daemon or a dropped network. */
  heartbeatMs?: number
}

/** Engine events that change the image or container counts shown in the status bar. */
const COUNT_CHANGING = new Set(['create', 'destroy', 'delete', 'start', 'die', 'import', 'load', 'pull', 'tag', 'untag', 'prune'])

/**
 * The connection to the Docker Engine: finds it, describes it, watches its event stream and
 * reconnects by itself. Other services ask it for a client with `client()`.
 */
export class Engine {
  private current: EngineState
  private docker: Dockerode | undefined
  private events: IncomingMessage | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined
  private countsTimer: NodeJS.Timeout | undefined
  private attempt = 0
  private connecting: Promise<EngineState> | undefined
  private stopped = false
  private readonly now: () => number
  private readonly platform: NodeJS.Platform
  private readonly retryDelays: number[]
  private readonly probeTimeout: number
  private readonly heartbeatMs: number

  constructor(private readonly opts: EngineOptions) {
    this.now = opts.now ?? Date.now
    this.platform = opts.platform ?? process.platform
    this.retryDelays = opts.retryDelaysMs ?? [250, 500, 1000, 1500]
    this.probeTimeout = opts.probeTimeoutMs ?? 4000
    this.heartbeatMs = opts.heartbeatMs ?? 5000
    this.current = { status: 'connecting', endpoint: { host: '', source: 'default', tls: false } }
  }

  /** An engine found from the process environment and ~/.docker, as the docker CLI would. */
  static fromEnvironment(emit: Emit, env: Record<string, string | undefined> = process.env): Engine {
    return new Engine({ emit, resolve: () => resolveEndpoint({ env, homeDir: homedir(), platform: process.platform }) })
  }

  /** The latest known state; never blocks. */
  state(): EngineState {
    return this.current
  }

  /** Connects (or waits for the running attempt) and starts watching. */
  start(): Promise<EngineState> {
    this.stopped = false
    return this.connect()
  }

  /** Drops the current connection and tries again now. */
  async reconnect(): Promise<EngineState> {
    this.teardown()
    this.attempt = 0
    return this.connect()
  }

  /** A client for the connected engine, or an EngineUnavailable error that says what to do. */
  client(): Dockerode {
    if (this.current.status === 'connected' && this.docker) return this.docker
    if (this.current.status === 'unavailable')
      throw new EngineUnavailable(this.current.problem, this.current.error.message, this.current.error.detail)
    throw new EngineUnavailable('not-running', 'Still connecting to Docker.', 'Try again in a moment.')
  }

  /** Stops watching and retrying. */
  stop(): void {
    this.stopped = true
    this.teardown()
  }

  private connect(): Promise<EngineState> {
    this.connecting ??= this.tryConnect().finally(() => (this.connecting = undefined))
    return this.connecting
  }

  private async tryConnect(): Promise<EngineState> {
    clearTimeout(this.retryTimer)
    let endpoint: ResolvedEndpoint = this.current.status === 'connected' ? this.current.info.endpoint : this.current.endpoint
    try {
      endpoint = this.opts.resolve()
      if (this.current.status === 'connecting') this.set({ status: 'connecting', endpoint: publicEndpoint(endpoint) })
      const options = dockerodeOptions(endpoint)
      const probe = new Dockerode({ ...options, timeout: this.probeTimeout })
      const info = await this.describe(probe, endpoint)
      if (this.stopped) return this.current
      this.docker = new Dockerode(options)
      await this.watch(this.docker)
      this.attempt = 0
      this.set({ status: 'connected', info, since: this.now() })
      this.startHeartbeat(probe)
    } catch (err) {
      this.lost(err, endpoint)
    }
    return this.current
  }

  private async describe(d: Dockerode, ep: ResolvedEndpoint): Promise<EngineInfo> {
    const builder = await pingBuilder(d)
    const version = await d.version()
    if (!apiAtLeast(version.ApiVersion, MIN_API_VERSION)) throw apiTooOld(version.ApiVersion, version.Version)
    const [info, images] = await Promise.all([d.info(), countImages(d)])
    return {
      endpoint: publicEndpoint(ep),
      name: String(info.Name ?? ''),
      version: version.Version,
      apiVersion: version.ApiVersion,
      minApiVersion: version.MinAPIVersion ?? '',
      os: version.Os,
      arch: version.Arch,
      kernel: version.KernelVersion,
      operatingSystem: String(info.OperatingSystem ?? ''),
      storageDriver: String(info.Driver ?? ''),
      // BuildKit is served through the API on Linux engines from API 1.39; Windows engines have only the classic builder.
      buildkit: version.Os === 'linux' && apiAtLeast(version.ApiVersion, '1.39'),
      defaultBuilder: builder === '2' ? 'buildkit' : 'classic',
      cpus: Number(info.NCPU ?? 0),
      memoryBytes: Number(info.MemTotal ?? 0),
      images,
      containers: Number(info.Containers ?? 0),
      containersRunning: Number(info.ContainersRunning ?? 0),
    }
  }

  private async watch(d: Dockerode): Promise<void> {
    const stream = (await d.getEvents({ since: Math.floor(this.now() / 1000) })) as IncomingMessage
    this.events = stream
    let buffered = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      buffered += chunk
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim()
        buffered = buffered.slice(nl + 1)
        if (line) this.onEngineEvent(line)
      }
    })
    const onGone = (err?: Error) => {
      if (this.events !== stream || this.stopped) return
      const e = err ?? Object.assign(new Error('The engine closed its event stream.'), { code: 'ECONNRESET' })
      this.lost(e, this.current.status === 'connected' ? this.current.info.endpoint : this.current.endpoint)
    }
    stream.on('error', onGone)
    stream.on('end', () => onGone())
    stream.on('close', () => onGone())
  }

  private onEngineEvent(line: string) {
    let raw: { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; time?: number; timeNano?: number }
    try {
      raw = JSON.parse(line)
    } catch {
      return
    }
    const event: EngineEvent = {
      type: raw.Type ?? '',
      action: (raw.Action ?? '').split(':')[0] ?? '',
      id: raw.Actor?.ID ?? '',
      time: raw.timeNano ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000,
    }
    const name = raw.Actor?.Attributes?.name
    if (name) event.name = name
    // Container events carry the container's labels as attributes: enough to tell a stack's view to refresh.
    const project = event.type === 'container' ? raw.Actor?.Attributes?.['com.docker.compose.project'] : undefined
    if (project) event.project = project
    const service = project ? raw.Actor?.Attributes?.['com.docker.compose.service'] : undefined
    if (service) event.service = service
    this.opts.emit('engine.event', event)
    if ((event.type === 'image' || event.type === 'container') && COUNT_CHANGING.has(event.action)) this.scheduleCounts()
  }

  /** Image and container counts change in bursts (a build tags, a compose up starts several); refresh once per burst. */
  private scheduleCounts() {
    clearTimeout(this.countsTimer)
    this.countsTimer = setTimeout(async () => {
      if (this.current.status !== 'connected' || !this.docker) return
      try {
        const [info, images] = await Promise.all([this.docker.info(), countImages(this.docker)])
        if (this.current.status !== 'connected') return
        this.set({
          ...this.current,
          info: {
            ...this.current.info,
            images,
            containers: Number(info.Containers ?? 0),
            containersRunning: Number(info.ContainersRunning ?? 0),
          },
        })
      } catch {
        // The heartbeat or the event stream reports a lost engine; a failed count refresh is not news.
      }
    }, 300)
  }

  private startHeartbeat(probe: Dockerode) {
    clearInterval(this.heartbeat)
    this.heartbeat = setInterval(() => {
      probe.ping().catch((err: unknown) => {
        if (this.current.status === 'connected') this.lost(err, this.current.info.endpoint)
      })
    }, this.heartbeatMs)
    this.heartbeat.unref()
  }

  private lost(err: unknown, endpoint: EngineEndpoint) {
    this.teardown()
    if (this.stopped) return
    const problem = explainConnectionError(err, endpoint, this.platform, readHostFacts(endpoint, this.platform))
    const delay = this.retryDelays[Math.min(this.attempt, this.retryDelays.length - 1)] ?? 1000
    this.attempt++
    const since = this.current.status === 'unavailable' ? this.current.since : this.now()
    this.set({
      status: 'unavailable',
      endpoint: publicEndpoint(endpoint),
      problem: problem.reason,
      error: toWireError(problem),
      since,
      nextRetryAt: this.now() + delay,
    })
    this.retryTimer = setTimeout(() => void this.connect(), delay)
    this.retryTimer.unref()
  }

  private teardown() {
    clearTimeout(this.retryTimer)
    clearInterval(this.heartbeat)
    clearTimeout(this.countsTimer)
    const ev = this.events
    this.events = undefined
    ev?.destroy()
    this.docker = undefined
  }

  private set(next: EngineState) {
    this.current = next
    this.opts.emit('engine.state', next)
  }
}

/** The endpoint as shown to people: no certificate paths. */
function publicEndpoint(ep: EngineEndpoint): EngineEndpoint {
  const out: EngineEndpoint = { host: ep.host, source: ep.source, tls: ep.tls }
  if (ep.context) out.context = ep.context
  return out
}

/** Reads the `Builder-Version` header of `/_ping`: "2" means the daemon builds with BuildKit by default. */
function pingBuilder(d: Dockerode): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    d.modem.dial({ path: '/_ping', method: 'GET', isStream: true, statusCodes: { 200: true, 500: 'server error' } }, (err: unknown, res: unknown) => {
      if (err) return reject(err)
      const msg = res as IncomingMessage
      const header = msg.headers['builder-version']
      msg.resume()
      resolve(Array.isArray(header) ? header[0] : header)
    })
  })
}
