// Live logs of a whole stack: every service's container followed at once, lines tagged by service
// and merged, as stack.log events for one stream id. Containers come and go (compose recreates a
// service, a restart policy restarts one, a person runs compose by hand): the engine's event
// stream for the compose project (and a slow re-scan, in case that stream drops) opens each new or
// restarted container's log. A restarted container is read again from just before where it
// stopped, by the engine's timestamps, so no line is shown twice.
import { randomUUID } from 'node:crypto'
import type Dockerode from 'dockerode'
import type { Emit } from '../../../shared/contract'
import { readLogLines } from '../run/log-lines'

/** The compose labels every front end and tool agrees on. */
export const PROJECT_LABEL = 'com.docker.compose.project'
export const SERVICE_LABEL = 'com.docker.compose.service'

/** At most this many follow streams at a time: a front end that went away without unfollowing cannot pile them up. */
export const MAX_FOLLOWS = 16
const BATCH_MS = 40
const BATCH_LINES = 500
const RESCAN_MS = 3000
const DEFAULT_TAIL = 200

interface Line {
  service: string
  stream: 'stdout' | 'stderr'
  line: string
  /** The engine's timestamp, normalised to fixed width so strings compare in time order. */
  ts: string
}

interface Reader {
  service: string
  /** A log stream is open. */
  active: boolean
  /** The timestamp of the last line read, for reading on after a restart. */
  lastTs: string | null
  stream: (NodeJS.ReadableStream & { destroy?: () => void }) | null
}

interface Follow {
  streamId: string
  project: string
  tail: number
  seq: number
  readers: Map<string, Reader>
  pending: Line[]
  timer: NodeJS.Timeout | undefined
  rescan: NodeJS.Timeout | undefined
  events: (NodeJS.ReadableStream & { destroy?: () => void }) | null
  stopped: boolean
  scanning: Promise<void> | null
  again: boolean
}

/** Follows stacks' logs; one instance per services object. */
export class StackLogFollower {
  private readonly follows = new Map<string, Follow>()

  constructor(private readonly deps: { docker: () => Dockerode; emit: Emit }) {}

  /** Starts following every service of compose project `project`; stack.log events carry the returned id. */
  follow(project: string, opts: { tail?: number } = {}): string {
    if (this.follows.size >= MAX_FOLLOWS) {
      const oldest = this.follows.keys().next().value
      if (oldest) this.unfollow(oldest)
    }
    const f: Follow = {
      streamId: randomUUID(),
      project,
      tail: opts.tail ?? DEFAULT_TAIL,
      seq: 0,
      readers: new Map(),
      pending: [],
      timer: undefined,
      rescan: undefined,
      events: null,
      stopped: false,
      scanning: null,
      again: false,
    }
    this.follows.set(f.streamId, f)
    void this.watchEvents(f)
    f.rescan = setInterval(() => void this.scan(f), RESCAN_MS)
    f.rescan.unref?.()
    void this.scan(f)
    return f.streamId
  }

  /** Stops a follow stream; false when there was none. */
  unfollow(streamId: string): boolean {
    const f = this.follows.get(streamId)
    if (!f) return false
    this.follows.delete(streamId)
    f.stopped = true
    clearInterval(f.rescan)
    clearTimeout(f.timer)
    this.flush(f)
    f.events?.destroy?.()
    for (const r of f.readers.values()) r.stream?.destroy?.()
    return true
  }

  /** Stops every follow (the process is shutting down). */
  dispose(): void {
    for (const id of [...this.follows.keys()]) this.unfollow(id)
  }

  /** Resolves once the scan running now (or a new one) has opened every container's log. */
  async settled(streamId: string): Promise<void> {
    const f = this.follows.get(streamId)
    if (f) await this.scan(f)
  }

  private async watchEvents(f: Follow): Promise<void> {
    try {
      const stream = (await this.deps.docker().getEvents({
        filters: { type: ['container'], event: ['create', 'start', 'restart', 'die'], label: [`${PROJECT_LABEL}=${f.project}`] },
      })) as unknown as NodeJS.ReadableStream & { destroy?: () => void }
      if (f.stopped) return void stream.destroy?.()
      f.events = stream
      stream.on('data', () => void this.scan(f))
      stream.on('error', () => undefined)
    } catch {
      // The re-scan keeps the follow going without events.
    }
  }

  /** Opens the log of every container of the project that is not being read (new, or started again). */
  private scan(f: Follow): Promise<void> {
    if (f.scanning) {
      f.again = true
      return f.scanning
    }
    f.scanning = (async () => {
      do {
        f.again = false
        const docker = this.deps.docker()
        const containers = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${f.project}`] } }).catch(() => [])
        for (const c of containers) {
          if (f.stopped) return
          const known = f.readers.get(c.Id)
          if (known?.active) continue
          // A stopped container is read once (its last lines say why it stopped); again only once it runs.
          if (known && c.State !== 'running') continue
          await this.open(f, docker, c.Id, c.Labels?.[SERVICE_LABEL] ?? c.Names?.[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12))
        }
      } while (f.again && !f.stopped)
    })().finally(() => {
      f.scanning = null
    })
    return f.scanning
  }

  private open(f: Follow, docker: Dockerode, id: string, service: string): Promise<void> {
    const reader: Reader = f.readers.get(id) ?? { service, active: false, lastTs: null, stream: null }
    f.readers.set(id, reader)
    reader.active = true
    const since = reader.lastTs ? Math.floor(Date.parse(`${reader.lastTs.slice(0, 19)}Z`) / 1000) : undefined
    const opts = { follow: true as const, stdout: true, stderr: true, timestamps: true, ...(since === undefined ? { tail: f.tail } : { since }) }
    // Resolves when the stream is open (not when it ends), so a scan finishes once every log is being read.
    return new Promise<void>((opened) => {
      docker.getContainer(id).logs(opts, (err, stream) => {
        if (err || !stream || f.stopped) {
          reader.active = false
          opened()
          return
        }
        const s = stream as NodeJS.ReadableStream & { destroy?: () => void }
        reader.stream = s
        opened()
        void readLogLines(docker.modem, s, (name, lines) => {
          for (const raw of lines) {
            const cut = raw.indexOf(' ')
            const ts = normaliseTimestamp(cut > 0 ? raw.slice(0, cut) : '')
            if (!ts) {
              // A line without a timestamp (should not happen): kept, never dropped.
              this.add(f, { service: reader.service, stream: name, line: raw, ts: reader.lastTs ?? '' })
              continue
            }
            if (reader.lastTs && ts <= reader.lastTs) continue
            reader.lastTs = ts
            this.add(f, { service: reader.service, stream: name, line: raw.slice(cut + 1), ts })
          }
        }).then(() => {
          reader.active = false
          reader.stream = null
          this.flush(f)
          // A quick restart may have come while this stream was still ending: look again.
          if (!f.stopped) void this.scan(f)
        })
      })
    })
  }

  private add(f: Follow, line: Line): void {
    if (f.stopped) return
    f.pending.push(line)
    if (f.pending.length >= BATCH_LINES) this.flush(f)
    else f.timer ??= setTimeout(() => this.flush(f), BATCH_MS)
  }

  /** Sends what is pending in time order (services merged), one event per run of the same service and stream. */
  private flush(f: Follow): void {
    clearTimeout(f.timer)
    f.timer = undefined
    const pending = f.pending.splice(0)
    // Stable: lines of one container keep their order even with equal timestamps.
    pending.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
    let i = 0
    while (i < pending.length) {
      const first = pending[i] as Line
      let j = i
      while (j < pending.length && (pending[j] as Line).service === first.service && (pending[j] as Line).stream === first.stream) j++
      const lines = pending.slice(i, j).map((l) => l.line)
      this.deps.emit('stack.log', { streamId: f.streamId, project: f.project, service: first.service, stream: first.stream, lines, seq: f.seq })
      f.seq += lines.length
      i = j
    }
  }
}

/** `2026-11-02T05:03:15.1234Z` → `2026-11-02T05:03:15.123400000Z` (fixed width, so strings sort by time); null when it is not one. */
export function normaliseTimestamp(ts: string): string | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts)
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : null
}
