// The layer index against a real engine: images built here with known contents (classic builder, the
// daemon's default), read through the save endpoint, and the same image rewritten into an OCI layout.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import Dockerode from 'dockerode'
import { extract, pack } from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeCreatedBy } from '../../shared/layers/describe'
import { nodePath } from '../../shared/layers/paths'
import { ENTRY_TYPES, type LayerIndex, type LayersProgress } from '../../shared/layers/types'
import { indexStream } from '../../electron/services/layers/index-stream'
import { Layers, type LayersEmit } from '../../electron/services/layers/layers'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' })
const suffix = `${process.pid}-${Date.now()}`
const TAG = `slipway-it/layers:${suffix}`
const ZEROS = 50 * 1024 * 1024
const UNICODE = 'ünï cødé ✓.txt'
const LONG_DIR = `t/${'a'.repeat(40)}/${'b'.repeat(40)}/${'c'.repeat(40)}`
const LONG = `${LONG_DIR}/long-file.txt`

// Each step's effect is asserted below; the comments name what it exercises.
const DOCKERFILE = `FROM slipway-test/debian:bookworm
# add: files, a 0-byte file, unicode, a path over 100 characters, 50 MB of zeros
RUN mkdir -p /t/d1/sub /t/d2 /${LONG_DIR} && printf hello > /t/d1/a && printf xy > /t/d1/sub/b && printf abc > /t/d2/c \\
 && printf 'keep!' > /t/k && printf 0123456789 > /t/over && : > /t/empty && printf 'ü' > '/t/${UNICODE}' \\
 && printf L > /${LONG} && truncate -s ${ZEROS} /t/zeros
ENV FOO=bar
# overwrite, delete files (whiteouts), delete a directory, delete and recreate one (opaque)
RUN printf ABCDEFGHIJKLMNOPQRST > /t/over && rm /t/k && rm -rf /t/d2 && rm -rf /t/d1 && mkdir -p /t/d1 && printf 'new!' > /t/d1/n
LABEL org.example.test=layers
# hard links (in this layer, and to a file of a lower layer) and a symlink
RUN printf shared > /t/h1 && ln /t/h1 /t/h2 && ln -s n /t/d1/sl && ln /t/d1/n /t/d1/hl
# two layers with the same diff (same file, same mtime): the legacy save links the second to the first
COPY same.txt /same.txt
COPY same.txt /same.txt
`

const work = mkdtempSync(join(tmpdir(), 'slipway-it-layers-'))
const cacheDir = join(work, 'cache')
const legacyTar = join(work, 'legacy.tar')
const ociTar = join(work, 'oci.tar')
const events: { event: string; payload: unknown }[] = []
const emit: LayersEmit = (event, payload) => events.push({ event, payload })
const layers = new Layers({ docker: () => docker, cacheDir, emit })

async function build(tag: string, dockerfile: string): Promise<void> {
  const ctx = pack()
  ctx.entry({ name: 'Dockerfile' }, dockerfile)
  ctx.entry({ name: 'same.txt', mtime: new Date('2024-01-01T00:00:00Z'), mode: 0o644 }, 'same')
  ctx.finalize()
  const stream = await docker.buildImage(ctx as unknown as NodeJS.ReadableStream, { t: tag, rm: true, forcerm: true })
  const output: { error?: string; stream?: string }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err ? reject(err) : resolve(out))),
  )
  const failed = output.find((o) => o.error)
  if (failed) throw new Error(`build failed: ${failed.error}\n${output.map((o) => o.stream ?? '').join('')}`)
}

/** Path → [size, type] of the final tree under /t, directories marked with a trailing slash. */
function finalTree(index: LayerIndex): Record<string, number> {
  const out: Record<string, number> = {}
  for (let r = 0; r < index.tree.node.length; r++) {
    const path = nodePath(index.paths, index.tree.node[r] as number)
    if (!path.startsWith('/t/') && path !== '/t' && path !== '/same.txt') continue
    const e = index.tree.entry[r] as number
    const dir = e < 0 || index.entries[index.tree.layer[r] as number]?.type[e] === 1
    out[path + (dir ? '/' : '')] = index.tree.size[r] as number
  }
  return out
}

/** The index without anything that depends on the archive layout (node ids, blob digests and sizes). */
function canonical(index: LayerIndex) {
  return {
    imageId: index.imageId,
    repoTags: index.repoTags,
    created: index.created,
    platform: [index.os, index.architecture],
    history: index.history,
    layers: index.layers.map(({ digest: _d, blobSize: _b, compression: _c, ...rest }) => rest),
    entries: index.entries.map((e) =>
      Array.from(e.node, (n, i) => [nodePath(index.paths, n), e.size[i], e.mode[i], e.uid[i], e.gid[i], ENTRY_TYPES[e.type[i] as number], e.flags[i], e.link[i], e.change[i]].join('|')),
    ),
    tree: Array.from(index.tree.node, (n, r) => [nodePath(index.paths, n), index.tree.size[r], index.tree.files[r], index.tree.layer[r]].join('|')).sort(),
    largest: Array.from(index.largestFiles, (r) => nodePath(index.paths, index.tree.node[r] as number)),
    inefficiencies: Array.from(index.inefficiencies.node, (n, i) => `${nodePath(index.paths, n)}|${index.inefficiencies.count[i]}|${index.inefficiencies.cumulativeSize[i]}`),
    summary: index.summary,
  }
}

/**
 * Rewrites a legacy `docker save` archive into the OCI layout Docker 25+ writes: blobs by sha256,
 * index.json, oci-layout, the first user layer gzip'd. The layers come first and index.json last, so the
 * reader has to index blobs before it knows what they are.
 */
async function legacyToOci(src: string, dest: string, tag: string): Promise<void> {
  const dir = join(work, 'legacy')
  mkdirSync(dir, { recursive: true })
  const ex = extract()
  ex.on('entry', (h, s, next) => {
    const chunks: Buffer[] = []
    s.on('data', (c: unknown) => chunks.push(c as Buffer))
    s.on('end', () => {
      if (h.type === 'file') {
        const file = join(dir, h.name)
        mkdirSync(join(file, '..'), { recursive: true })
        writeFileSync(file, Buffer.concat(chunks))
      } else if (h.type === 'symlink') {
        linkedLayers++
        writeFileSync(join(dir, `${h.name}.symlink`), h.linkname ?? '')
      }
      next()
    })
  })
  await pipeline(createReadStream(src), ex)
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))[0] as { Config: string; Layers: string[] }
  const readLayer = (p: string): Buffer => {
    try {
      return readFileSync(join(dir, p))
    } catch {
      const target = readFileSync(join(dir, `${p}.symlink`), 'utf8')
      return readFileSync(join(dir, p, '..', target))
    }
  }
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
  const out = pack()
  const done = pipeline(out, createWriteStream(dest))
  const add = (name: string, data: Buffer) => new Promise<void>((resolve, reject) => out.entry({ name, size: data.length }, data, (err) => (err ? reject(err) : resolve())))
  const written = new Set<string>()
  const blob = async (data: Buffer) => {
    const hex = sha(data)
    if (!written.has(hex)) await add(`blobs/sha256/${hex}`, data)
    written.add(hex)
    return { digest: `sha256:${hex}`, size: data.length }
  }
  const layerDescs = []
  for (const [i, p] of manifest.Layers.entries()) {
    const raw = readLayer(p)
    const gz = i === 1
    const data = gz ? gzipSync(raw, { level: 1 }) : raw
    layerDescs.push({ mediaType: gz ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', ...(await blob(data)) })
  }
  const config = await blob(readFileSync(join(dir, manifest.Config)))
  const ociManifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: layerDescs }),
  )
  const m = await blob(ociManifest)
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'io.containerd.image.name': `docker.io/${tag}`, 'org.opencontainers.image.ref.name': tag.split(':')[1] } }],
  }
  await add('index.json', Buffer.from(JSON.stringify(index)))
  await add('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'))
  out.finalize()
  await done
  rmSync(dir, { recursive: true, force: true })
}

let linkedLayers = 0
const tempFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')).length

describe('layer index of an image built with known contents', () => {
  let legacy: LayerIndex

  beforeAll(async () => {
    await build(TAG, DOCKERFILE)
    await pipeline((await docker.getImage(TAG).get()) as NodeJS.ReadableStream, createWriteStream(legacyTar))
  })
  afterAll(async () => {
    await docker
      .getImage(TAG)
      .remove({ force: true })
      .catch(() => undefined)
    rmSync(work, { recursive: true, force: true })
  })

  it('reads every layer from the save endpoint and maps history, empty layers included', async () => {
    const progress: LayersProgress[] = []
    legacy = await layers.index(TAG, { onProgress: (p) => progress.push(p) })
    const info = await docker.getImage(TAG).inspect()
    expect(legacy.imageId).toBe(info.Id)
    expect(legacy.repoTags).toEqual([TAG])
    expect(legacy.format).toBe('docker-legacy')
    expect(`${legacy.os}/${legacy.architecture}`).toBe(`${info.Os}/${info.Architecture}`)
    expect(legacy.layers.map((l) => l.diffId)).toEqual(info.RootFS?.Layers)
    expect(legacy.layers.map((l) => describeCreatedBy(l.createdBy))).toEqual([
      // The Debian stand-in: a base made by `slipway bases make` (or an import, with no history line).
      expect.stringMatching(/^(slipway bases make debian .*)?$/),
      expect.stringMatching(/^RUN mkdir -p \/t\/d1\/sub/),
      expect.stringMatching(/^RUN printf ABCDEFGHIJKLMNOPQRST/),
      expect.stringMatching(/^RUN printf shared/),
      expect.stringMatching(/^COPY file:[0-9a-f]+ in \/same\.txt$/),
      expect.stringMatching(/^COPY file:[0-9a-f]+ in \/same\.txt$/),
    ])
    expect(legacy.history.map((h) => [h.emptyLayer, h.layer])).toEqual([
      [false, 0],
      [false, 1],
      [true, null],
      [false, 2],
      [true, null],
      [false, 3],
      [false, 4],
      [false, 5],
    ])
    expect(legacy.history[2]?.createdBy).toMatch(/ENV FOO=bar/)
    expect(progress.at(-1)).toMatchObject({ phase: 'done', layersDone: 6, layersTotal: 6 })
    expect(progress.some((p) => p.phase === 'reading' && p.bytesRead > ZEROS)).toBe(true)
  })

  it('gives the exact final tree, with directory sizes, links and odd names', () => {
    expect(finalTree(legacy)).toEqual({
      '/t/': 20 + 0 + 2 + 1 + ZEROS + 4 + 6,
      '/t/over': 20,
      '/t/empty': 0,
      [`/t/${UNICODE}`]: 2,
      '/t/zeros': ZEROS,
      [`/${LONG_DIR.split('/').slice(0, 2).join('/')}/`]: 1,
      [`/${LONG_DIR.split('/').slice(0, 3).join('/')}/`]: 1,
      [`/${LONG_DIR}/`]: 1,
      [`/${LONG}`]: 1,
      // n and hl are one file: its 4 bytes count once.
      '/t/d1/': 4,
      '/t/d1/n': 0,
      '/t/d1/hl': 4,
      '/t/d1/sl': 0,
      '/t/h1': 6,
      '/t/h2': 0,
      '/same.txt': 4,
    })
    expect(`/${LONG}`.length).toBeGreaterThan(100)
    const links = legacy.entries[3]
    const at = (p: string) => Array.from(links?.node ?? []).findIndex((n) => nodePath(legacy.paths, n) === p) ?? -1
    expect(ENTRY_TYPES[links?.type[at('/t/d1/sl')] ?? -1]).toBe('symlink')
    expect(links?.link[at('/t/d1/sl')]).toBe('n')
    expect(ENTRY_TYPES[links?.type[at('/t/h2')] ?? -1]).toBe('hardlink')
    expect(links?.link[at('/t/h2')]).toBe('/t/h1')
    expect(nodePath(legacy.paths, legacy.tree.node[legacy.largestFiles[0] as number] as number)).toBe('/t/zeros')
  })

  it('counts what each layer adds, modifies and removes', () => {
    const user = legacy.layers.slice(1).map((l) => [l.size, l.added, l.modified, l.removed])
    expect(user).toEqual([
      [5 + 2 + 3 + 5 + 10 + 0 + 2 + 1 + ZEROS, 9, 0, 0],
      [20 + 4, 1, 1, 4],
      [4 + 6, 4, 1, 0],
      [4, 1, 0, 0],
      [4, 0, 1, 0],
    ])
    expect(legacy.layers[4]?.diffId).toBe(legacy.layers[5]?.diffId)
    const opaque = legacy.entries[2]
    const flags = opaque && Array.from(opaque.node, (n, i) => [nodePath(legacy.paths, n), opaque.flags[i]] as const).filter(([, f]) => f)
    // The classic builder on overlay2 marks a directory deleted and recreated in one step as opaque,
    // and a deleted file or directory with a `.wh.` file.
    expect(flags?.sort()).toEqual([
      ['/t/d1', 2],
      ['/t/d2', 1],
      ['/t/k', 1],
    ])
  })

  it("computes wasted bytes and efficiency exactly as dive's formula gives them", () => {
    const base = legacy.layers[0]?.size ?? 0
    expect(base).toBeGreaterThan(50_000_000)
    const s = legacy.summary
    const user = 5 + 2 + 3 + 5 + 10 + 0 + 2 + 1 + ZEROS + 24 + 10 + 4 + 4
    expect(s.sizeBytes).toBe(base + user)
    expect(s.userSizeBytes).toBe(user)
    // Sighted twice: /t/k (5, then a whiteout: 0), /t/over (10, 20), /t/d1/n (4, then a hard link: 0), /same.txt (4, 4).
    expect(s.wastedBytes).toBe(5 + 30 + 4 + 8)
    expect(s.userWastedPercent).toBe(47 / user)
    // Σ smallest per path ÷ Σ all: the base's paths each once, then ours (/t/d2 deleted whole: 3 bytes once).
    const mins = 5 + 2 + 3 + 0 + 10 + 0 + 2 + 1 + ZEROS + 3 + 0 + 4 + 0 + 6 + 0 + 4
    const all = 5 + 2 + 3 + 5 + 30 + 0 + 2 + 1 + ZEROS + 3 + 4 + 4 + 0 + 6 + 0 + 8
    expect(s.efficiency).toBe((base + mins) / (base + all))
    // Bytes no longer visible: a, sub/b (opaque), c, k, the first /t/over and the first /t/d1/n.
    expect(s.hiddenBytes).toBe(5 + 2 + 3 + 5 + 10 + 4 + 4)
    expect(Array.from(legacy.inefficiencies.cumulativeSize).slice(0, 4)).toEqual([30, 8, 5, 4])
  })

  it('indexes an OCI-layout archive (blobs, gzip, index.json last) to the same result', async () => {
    await legacyToOci(legacyTar, ociTar, TAG)
    expect(linkedLayers).toBe(1) // the legacy save stored the repeated layer as a symlink, and it was followed
    const { index: oci } = await indexStream(createReadStream(ociTar))
    expect(oci.format).toBe('oci')
    expect(oci.layers[1]?.compression).toBe('gzip')
    expect(oci.layers[1]?.blobSize).toBeLessThan(ZEROS / 10)
    expect(oci.layers[2]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const { index: fromFile } = await indexStream(createReadStream(legacyTar))
    expect(canonical(fromFile)).toEqual(canonical(legacy))
    expect(canonical(oci)).toEqual(canonical(legacy))
  })

  it('opens the image a second time from the cache, instantly', async () => {
    const t0 = performance.now()
    const again = await layers.index(TAG)
    expect(performance.now() - t0).toBeLessThan(500)
    expect(layers.lastStats?.cached).toBe(true)
    expect(canonical(again)).toEqual(canonical(legacy))
    expect(tempFiles()).toBe(0)
  })

  it('runs as a job with events, and can be cancelled', async () => {
    events.length = 0
    const { jobId } = layers.start(TAG)
    await expect.poll(() => events.find((e) => e.event === 'layers.done'), { timeout: 10_000 }).toBeTruthy()
    expect(events.find((e) => e.event === 'layers.done')?.payload).toMatchObject({ jobId, cached: true, imageId: legacy.imageId })

    const started = layers.start(TAG, { refresh: true })
    await expect.poll(() => events.some((e) => e.event === 'layers.progress' && (e.payload as LayersProgress).bytesRead > 0), { timeout: 30_000 }).toBe(true)
    expect(layers.cancel(started.jobId)).toBe(true)
    await expect.poll(() => events.find((e) => e.event === 'layers.failed'), { timeout: 10_000 }).toBeTruthy()
    expect(events.find((e) => e.event === 'layers.failed')?.payload).toMatchObject({ jobId: started.jobId, cancelled: true, error: { name: 'Cancelled' } })
    expect(tempFiles()).toBe(0)
  })

  it('answers a job for a cached image id from the cache file alone; a name or a refresh asks the engine', async () => {
    const seen: { event: string; payload: unknown }[] = []
    const offline = new Layers({
      docker: () => {
        throw new Error('no engine call expected')
      },
      cacheDir,
      emit: (event, payload) => seen.push({ event, payload }),
    })
    const { jobId } = offline.start(legacy.imageId)
    await expect.poll(() => seen.find((e) => e.event === 'layers.done' || e.event === 'layers.failed'), { timeout: 10_000 }).toBeTruthy()
    const done = seen.find((e) => e.event === 'layers.done')?.payload as { jobId: string; cached: boolean; imageId: string; summary: unknown; first?: { layers: unknown[] } }
    expect(done).toMatchObject({ jobId, cached: true, imageId: legacy.imageId, summary: legacy.summary })
    expect(done.first?.layers).toHaveLength(legacy.layers.length)
    // Nothing to report on the way: the page's next message is the first view.
    expect(seen.map((e) => e.event)).toEqual(['layers.done'])
    for (const [image, opts] of [[TAG, {}], [legacy.imageId, { refresh: true }]] as const) {
      seen.length = 0
      offline.start(image, opts)
      await expect.poll(() => seen.find((e) => e.event === 'layers.failed'), { timeout: 10_000 }).toBeTruthy()
      expect(seen.find((e) => e.event === 'layers.failed')?.payload).toMatchObject({ error: { message: expect.stringContaining('no engine call expected') } })
    }
  })

  it('slipway layers prints the table and summary, and --ci fails on the rule that fails', async () => {
    const env = { ...process.env, SLIPWAY_DATA_DIR: cacheDir }
    const cli = (args: string[]) =>
      run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'layers', TAG, ...args], { cwd: work, env }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const table = await cli([])
    expect(table.code).toBe(0)
    // Counted as the app's layer list marks them (folders too): /t/d1/n added; /t/over, /t and the
    // recreated /t/d1 modified; /t/k, /t/d2, /t/d2/c, /t/d1/a, /t/d1/sub, /t/d1/sub/b removed.
    expect(table.stdout).toMatch(/^ *2 +24 B +1 +3 +6 +RUN printf ABCDEFGHIJKLMNOPQRST/m)
    expect(table.stdout).toMatch(/^Wasted bytes +47 B \(47 bytes/m)
    const pass = await cli(['--ci'])
    expect(pass.code).toBe(0)
    expect(pass.stdout).toMatch(/PASS: lowestEfficiency/)
    const fail = await cli(['--ci', '--highest-wasted-bytes', '20B'])
    expect(fail.code).toBe(1)
    expect(fail.stdout).toMatch(/FAIL: highestWastedBytes: too many bytes wasted/)
    expect(fail.stdout).toMatch(/Result: FAIL \(1 of 3 rules failed\)/)
    const json = JSON.parse((await cli(['--json'])).stdout)
    expect(json.summary.wastedBytes).toBe(47)
    expect(json.layers).toHaveLength(6)
  })
})

describe('layer index on bad input', () => {
  const bad = mkdtempSync(join(tmpdir(), 'slipway-it-layers-bad-'))
  const small = `slipway-it/layers-small:${suffix}`
  const badCache = join(bad, 'cache')
  let saved: Buffer
  beforeAll(async () => {
    await build(small, 'FROM slipway-test/debian:bookworm\nRUN printf hi > /hi\n')
    const chunks: Buffer[] = []
    for await (const c of (await docker.getImage(small).get()) as AsyncIterable<Buffer>) chunks.push(c)
    saved = Buffer.concat(chunks)
  })
  afterAll(async () => {
    await docker
      .getImage(small)
      .remove({ force: true })
      .catch(() => undefined)
    rmSync(bad, { recursive: true, force: true })
  })
  const tmpBefore = new Set(readdirSync(tmpdir()))

  it('names an image that does not exist', async () => {
    const l = new Layers({ docker: () => docker, cacheDir: badCache, emit: () => undefined })
    await expect(l.index('slipway-it/no-such-image:nope')).rejects.toMatchObject({ name: 'ImageNotFound', message: expect.stringContaining('slipway-it/no-such-image:nope') })
  })

  it('says Docker is not running when nothing answers on the socket', async () => {
    const l = new Layers({ docker: () => new Dockerode({ socketPath: join(bad, 'no-docker.sock') }), cacheDir: badCache, emit: () => undefined })
    await expect(l.index(small)).rejects.toMatchObject({ name: 'EngineUnavailable', reason: 'not-running', message: 'Docker is not running.' })
  })

  it('reports a save stream cut off half way', async () => {
    await expect(indexStream(Readable.from([saved.subarray(0, saved.length >> 1)]))).rejects.toMatchObject({ name: 'ImageStreamTruncated' })
    // Cut right after a whole entry: nothing is broken, but the manifest never came.
    await expect(indexStream(Readable.from([saved.subarray(0, 512)]))).rejects.toMatchObject({ name: 'ImageStreamTruncated' })
  })

  it('reports a corrupt archive', async () => {
    const damaged = Buffer.from(saved)
    damaged.fill(0x41, 100, 160) // the first header's mode, uid, gid, size: the checksum no longer matches
    await expect(indexStream(Readable.from([damaged]))).rejects.toMatchObject({ name: 'ImageArchiveCorrupt' })
    await expect(indexStream(Readable.from([randomBytes(64 * 1024)]))).rejects.toMatchObject({ name: 'ImageArchiveCorrupt' })
  })

  it('reports a layer that is not a tar, and names it', async () => {
    const out = pack()
    const chunks: Buffer[] = []
    out.on('data', (c: unknown) => chunks.push(c as Buffer))
    const ended = new Promise<void>((r) => out.on('end', () => r()))
    const ex = extract()
    let replaced = ''
    ex.on('entry', (h, s, next) => {
      const parts: Buffer[] = []
      s.on('data', (c: unknown) => parts.push(c as Buffer))
      s.on('end', () => {
        let data = Buffer.concat(parts)
        if (h.name.endsWith('/layer.tar') && data.length < 100_000 && !replaced) {
          replaced = h.name
          data = randomBytes(4096)
        }
        out.entry({ ...h, size: data.length }, data)
        next()
      })
    })
    await pipeline(Readable.from([saved]), ex)
    out.finalize()
    await ended
    const err = await indexStream(Readable.from([Buffer.concat(chunks)])).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'LayerNotTar', message: expect.stringContaining(replaced) })
  })

  it('leaves no files behind', () => {
    // Failed jobs write nothing: no cache entry, no temp file (the indexer never writes one; only the cache writes, atomically).
    expect(() => readdirSync(badCache)).toThrow()
    const ours = [work, bad].map((d) => d.split('/').pop())
    expect(readdirSync(tmpdir()).filter((f) => !tmpBefore.has(f) && /layer|index/i.test(f) && !ours.includes(f))).toEqual([])
  })
})
