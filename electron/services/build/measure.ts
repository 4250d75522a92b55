// Measures a built image from the engine's own data, not from assumptions: the uncompressed size
// from inspect, what a pull transfers (each layer gzip'd, as a push would), the final file tree
// (whiteouts applied) for the binary's size and the shell / CA / tz / package-manager facts, and the
// cold start of a container. The save stream is guarded like the layer indexer's (idle-timeout.ts):
// quiet before its first byte while the engine answers a ping, then `idleMs` of silence ends it.
import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { hostname } from 'node:os'
import { posix } from 'node:path'
import { createGzip } from 'node:zlib'
import type Dockerode from 'dockerode'
import { extract } from 'tar-stream'
import { treeFacts, type TreeFacts } from '../../../shared/build/compare'
import { DEFAULT_ENGINE_IDLE_MS, dial, guardStream, pingLiveness, untilAnswered } from '../engine/idle-timeout'
import type { LayerMeasures, LayerRead } from './layer-measures'

/** What the image's layers say. */
export interface ImageMeasure extends TreeFacts {
  sizeBytes: number
  compressedBytes: number
  layers: number
  /** The entrypoint's file size (0 when it is not in the image). */
  binaryBytes: number
  binaryPath: string | null
  user: string
  exposedPort: number | null
}

/**
 * Measures an image: each layer gzip'd to count its compressed bytes and its headers replayed into
 * the final tree. Layers `known` has measured before (by diffID) are not read again; an image whose
 * every layer is known is not saved at all.
 */
export async function measureImage(
  docker: Dockerode,
  imageId: string,
  signal?: AbortSignal,
  idleMs = DEFAULT_ENGINE_IDLE_MS,
  known?: LayerMeasures,
): Promise<ImageMeasure> {
  const withSignal = signal ? { signal } : {}
  const info = await untilAnswered(
    (s) => dial<Dockerode.ImageInspectInfo>(docker, { path: `/images/${imageId}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, s),
    { idleMs, doing: `reading the details of ${imageId}`, ...withSignal },
  )
  const diffIds = info.RootFS?.Layers ?? []
  const cached = known ? await Promise.all(diffIds.map((d) => known.get(d))) : []
  let reads: (LayerRead | null)[]
  if (diffIds.length > 0 && cached.length === diffIds.length && cached.every((l) => l !== null)) reads = cached
  else {
    // Each layer read is kept in `known` by its own sha256 (its diffID) as it is read.
    reads = await readSavedLayers(docker, imageId, signal, idleMs, known)
  }
  return measureFrom(info, reads)
}

/** Saves the image and reads each layer blob once, in the image's layer order (null where a blob is not a layer). */
async function readSavedLayers(docker: Dockerode, imageId: string, signal: AbortSignal | undefined, idleMs: number, known?: LayerMeasures): Promise<(LayerRead | null)[]> {
  const withSignal = signal ? { signal } : {}
  const doing = `saving ${imageId} to measure it`
  const raw = await untilAnswered(
    (s) => dial<NodeJS.ReadableStream>(docker, { path: `/images/${imageId}/get`, method: 'GET', isStream: true, statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } }, s),
    { idleMs, doing, liveness: pingLiveness(docker, idleMs), ...withSignal },
  )
  const save = guardStream(raw, { idleMs, doing, liveness: pingLiveness(docker, idleMs, (bytes) => bytes === 0) })
  const abort = () => save.destroy(new Error('cancelled'))
  signal?.addEventListener('abort', abort, { once: true })
  const layers = new Map<string, LayerRead>()
  let manifest: { Layers?: string[] }[] | null = null
  try {
    await new Promise<void>((resolve, reject) => {
      const outer = extract()
      outer.on('entry', (header, stream, next) => {
        const name = header.name.replace(/^\.\//, '')
        if (name === 'manifest.json') {
          const parts: Buffer[] = []
          stream.on('data', (c: unknown) => void parts.push(c as Buffer))
          stream.on('end', () => {
            manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as { Layers?: string[] }[]
            next()
          })
          stream.on('error', next)
          return
        }
        if (header.type !== 'file' || !(name.endsWith('/layer.tar') || name.startsWith('blobs/sha256/'))) {
          stream.on('end', () => next())
          stream.resume()
          return
        }
        readLayer(stream as unknown as NodeJS.ReadableStream, known).then(
          (l) => {
            if (l) layers.set(name, l)
            next()
          },
          (e: Error) => next(e),
        )
      })
      outer.on('finish', resolve)
      outer.on('error', reject)
      save.on('error', reject)
      save.pipe(outer)
    })
  } finally {
    signal?.removeEventListener('abort', abort)
  }
  signal?.throwIfAborted()
  const order: string[] = (manifest as { Layers?: string[] }[] | null)?.[0]?.Layers ?? []
  return order.map((name) => layers.get(name) ?? null)
}

/** The image's numbers and facts from its inspect and its layers' measures. */
function measureFrom(info: Dockerode.ImageInspectInfo, reads: readonly (LayerRead | null)[]): ImageMeasure {
  // The final tree: later layers win, whiteouts remove, opaque markers clear a directory.
  const tree = new Map<string, number>()
  let compressedBytes = 0
  for (const l of reads) {
    if (!l) continue
    compressedBytes += l.gzipBytes
    for (const e of l.entries) {
      const base = posix.basename(e.path)
      const dir = posix.dirname(e.path)
      if (base === '.wh..wh..opq') {
        for (const p of [...tree.keys()]) if (p.startsWith(`${dir}/`)) tree.delete(p)
      } else if (base.startsWith('.wh.')) {
        const gone = posix.join(dir, base.slice(4))
        for (const p of [...tree.keys()]) if (p === gone || p.startsWith(`${gone}/`)) tree.delete(p)
      } else if (e.type === 'file' || e.type === 'contiguous-file' || e.type === 'symlink' || e.type === 'link' || e.type === 'directory') {
        tree.set(e.path, e.type === 'directory' ? -1 : e.size)
      }
    }
  }
  const has = (p: string) => tree.has(p)
  const hasUnder = (d: string) => [...tree.keys()].some((p) => p.startsWith(`${d}/`) && (tree.get(p) ?? -1) >= 0)
  const entry = info.Config?.Entrypoint
  const first = (Array.isArray(entry) ? entry[0] : undefined) ?? (Array.isArray(info.Config?.Cmd) ? info.Config.Cmd[0] : undefined) ?? null
  const binaryPath = first && first.startsWith('/') ? first.slice(1) : first ? posix.join((info.Config?.WorkingDir ?? '/').slice(1), first) : null
  const binaryBytes = binaryPath ? Math.max(0, tree.get(binaryPath) ?? 0) : 0
  const exposed = Object.keys(info.Config?.ExposedPorts ?? {})
    .map((k) => Number(k.split('/')[0]))
    .filter((n) => Number.isInteger(n) && n > 0)
  return {
    sizeBytes: info.Size,
    compressedBytes,
    layers: info.RootFS?.Layers?.length ?? reads.length,
    binaryBytes,
    binaryPath,
    user: info.Config?.User || 'root',
    exposedPort: exposed[0] ?? null,
    ...treeFacts(has, hasUnder),
  }
}

/** A layer up to this size is held while its digest is taken, so a known one is neither gzip'd nor parsed. */
const HOLD_BYTES = 64 * 1024 * 1024

/**
 * One layer blob: its gzip size and its entry headers (null when the blob is not a tar, e.g. a
 * config). Its sha256 (the diffID) is taken as it streams; a layer `known` has measured before (a
 * base's layers, or the binary layer the previous base's image shares) is answered from there — the
 * gzip, the costly part of measuring, is not run again. A blob too big to hold is gzip'd as it streams.
 */
async function readLayer(stream: NodeJS.ReadableStream, known?: LayerMeasures): Promise<LayerRead | null> {
  const hash = createHash('sha256')
  const held: Buffer[] = []
  let heldBytes = 0
  let streaming: LayerReader | null = null
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    if (streaming) await streaming.write(chunk)
    else if (heldBytes + chunk.length <= HOLD_BYTES) {
      held.push(chunk)
      heldBytes += chunk.length
    } else {
      streaming = layerReader()
      for (const c of held.splice(0)) await streaming.write(c)
      await streaming.write(chunk)
    }
  }
  const diffId = `sha256:${hash.digest('hex')}`
  let reader = streaming
  if (!reader) {
    const was = known ? await known.get(diffId) : null
    if (was) return was
    reader = layerReader()
    for (const c of held) await reader.write(c)
  }
  const read = await reader.end()
  if (read && known) await known.put(diffId, read)
  return read
}

interface LayerReader {
  write(chunk: Buffer): Promise<void>
  end(): Promise<LayerRead | null>
}

/** Gzips a layer's bytes (counting them) and reads its tar headers, as they are written. */
function layerReader(): LayerReader {
  const gzip = createGzip()
  let gzipBytes = 0
  gzip.on('data', (c: Buffer) => (gzipBytes += c.length))
  const gzDone = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve)
    gzip.on('error', reject)
  })
  const inner = extract()
  const entries: LayerRead['entries'] = []
  let notTar = false
  inner.on('entry', (h, s, next) => {
    entries.push({ path: h.name.replace(/^\.\//, '').replace(/\/$/, ''), size: h.size ?? 0, type: h.type })
    s.on('end', () => next())
    s.resume()
  })
  const innerDone = new Promise<void>((resolve) => {
    inner.on('finish', resolve)
    inner.on('error', () => {
      notTar = true
      resolve()
    })
  })
  return {
    async write(chunk) {
      if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r))
      if (!notTar && !inner.write(chunk)) await Promise.race([new Promise<void>((r) => inner.once('drain', () => r())), innerDone])
    },
    async end() {
      gzip.end()
      inner.end(undefined)
      await Promise.all([gzDone, innerDone])
      return notTar ? null : { gzipBytes, entries }
    },
  }
}

/** Every probe container carries this label, and the owner label says which process made it. */
export const PROBE_LABEL = 'org.slipway.probe'
export const PROBE_OWNER_LABEL = 'org.slipway.probe.owner'
/** The network holder (a ProbeNet) carries this besides the probe labels. */
export const PROBE_NET_LABEL = 'org.slipway.probe.net'
/** `host:pid` of this process, as a probe's owner label holds it. */
export const probeOwner = (): string => `${hostname()}:${process.pid}`

/**
 * A running container that holds one network namespace for a comparison's probes: each probe joins
 * it (`NetworkMode: container:<id>`) instead of getting a bridge endpoint of its own, and the app's
 * port is published on the holder. Measured on this engine, ~370 ms of a bridged container's start
 * is network setup — the same for every base and nothing the image decides — so the cold start then
 * times the container and the program, not the bridge. The probes share the namespace, so they run
 * one at a time, each stopped before the next starts.
 */
export interface ProbeNet {
  id: string
  /** The loopback port the engine picked for each published container port. */
  hostPorts: ReadonlyMap<number, number>
  /** Removes the holder (force); never throws. */
  remove(): Promise<void>
}

/** The holder's one process: a `sleep` long enough for any comparison; it ends by itself if nothing removes it. */
const NET_HOLDER_CMD = ['sleep', '3600']

/**
 * Creates and starts the network holder from `image` (the builder image: present after a build, and
 * it has `sleep`), publishing `ports` on engine-picked loopback ports. Rejects when the image has no
 * `sleep` or is not local (nothing is pulled); the comparison then gives each probe a bridge of its own.
 */
export async function createProbeNet(
  docker: Dockerode,
  image: string,
  ports: readonly number[],
  opts: { signal?: AbortSignal; onCreated?: (holder: { id: string; remove(): Promise<void> }) => void } = {},
): Promise<ProbeNet> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: [NET_HOLDER_CMD[0] as string],
    Cmd: NET_HOLDER_CMD.slice(1),
    Labels: { [PROBE_LABEL]: '1', [PROBE_OWNER_LABEL]: probeOwner(), [PROBE_NET_LABEL]: '1' },
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p}/tcp`, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]])),
      CapDrop: ['ALL'],
      ReadonlyRootfs: true,
    },
  })
  let removing: Promise<void> | undefined
  const remove = () =>
    (removing ??= container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    ))
  opts.onCreated?.({ id: container.id, remove })
  try {
    opts.signal?.throwIfAborted()
    await container.start()
    const info = await container.inspect()
    if (!info.State.Running) throw new Error(`its ${NET_HOLDER_CMD[0]} exited at once (code ${info.State.ExitCode})`)
    const hostPorts = new Map<number, number>()
    for (const p of ports) {
      const host = Number(info.NetworkSettings.Ports[`${p}/tcp`]?.[0]?.HostPort)
      if (!Number.isInteger(host) || host <= 0) throw new Error(`the engine published no port for ${p}`)
      hostPorts.set(p, host)
    }
    return { id: container.id, hostPorts, remove }
  } catch (e) {
    await remove()
    throw e
  }
}

/** A container made to time one cold start: created ahead (not part of the figure), started by `time`. */
export interface Probe {
  id: string
  /** Whether it joins a ProbeNet (its cold start excludes network setup). */
  shared: boolean
  /** Starts the container and measures until its port answers or it exits; null with a note when it could not be measured. */
  time(signal?: AbortSignal): Promise<{ ms: number | null; note: string | null }>
  /** Kills a started container and resolves once it has exited (a shared namespace's port is free again); never throws. */
  stop(): Promise<void>
  /** Removes the container (force); never throws. */
  remove(): Promise<void>
}

/**
 * Creates the probe container for an image: labelled (PROBE_LABEL, and PROBE_OWNER_LABEL naming this
 * process, so a later session can tell a probe whose maker is gone). In `net` (a ProbeNet that
 * publishes `port`) it joins the holder's namespace; otherwise the port is published on a free
 * loopback port, and a CLI gets no network.
 */
export async function createProbe(docker: Dockerode, imageId: string, port: number | null, env: string[], opts: { timeoutMs?: number; net?: ProbeNet } = {}): Promise<Probe> {
  const timeoutMs = opts.timeoutMs ?? 20_000
  const net = opts.net
  if (net && port !== null && !net.hostPorts.has(port)) throw new Error(`the probe network does not publish port ${port}`)
  const container = await docker.createContainer({
    Image: imageId,
    Env: env,
    Labels: { [PROBE_LABEL]: '1', [PROBE_OWNER_LABEL]: probeOwner() },
    ...(port && !net ? { ExposedPorts: { [`${port}/tcp`]: {} } } : {}),
    HostConfig: net
      ? { NetworkMode: `container:${net.id}` }
      : port
        ? { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } }
        : { NetworkMode: 'none' },
  })
  let removing: Promise<void> | undefined
  const remove = () =>
    (removing ??= container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    ))
  let exited: Promise<number | null> | null = null
  const stop = async () => {
    if (!exited || removing) return
    await container.kill().catch(() => undefined)
    await exited
  }
  const time = async (signal?: AbortSignal): Promise<{ ms: number | null; note: string | null }> => {
    // `next-exit`: the default condition answers at once for a container that has not started yet.
    exited = container.wait({ condition: 'next-exit' }).then(
      (r: { StatusCode: number }) => r.StatusCode,
      () => null,
    )
    const ended = exited
    const t0 = performance.now()
    await container.start()
    if (!port) {
      const code = await Promise.race([ended, sleep(timeoutMs).then(() => undefined)])
      if (code === undefined) return { ms: null, note: `still running after ${timeoutMs / 1000} s` }
      if (code === null) return { ms: null, note: 'the engine did not say when it exited' }
      return { ms: performance.now() - t0, note: code === 0 ? null : `exited with code ${code}` }
    }
    const hostPort = net ? (net.hostPorts.get(port) as number) : Number((await container.inspect()).NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort)
    let done = false
    void ended.then(() => (done = true))
    while (performance.now() - t0 < timeoutMs) {
      signal?.throwIfAborted()
      if (await answers(hostPort)) return { ms: performance.now() - t0, note: null }
      if (done) return { ms: null, note: `exited before port ${port} answered` }
      await sleep(5)
    }
    return { ms: null, note: `port ${port} did not answer within ${timeoutMs / 1000} s` }
  }
  return { id: container.id, shared: Boolean(net), time, stop, remove }
}

/** Whether an HTTP request to 127.0.0.1:port gets any reply bytes (docker-proxy accepts connects before the app listens). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port })
    const finish = (ok: boolean) => {
      sock.destroy()
      resolve(ok)
    }
    sock.setTimeout(1000, () => finish(false))
    sock.once('connect', () => sock.write('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n'))
    sock.once('data', () => finish(true))
    sock.once('error', () => finish(false))
    sock.once('end', () => finish(false))
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
