// The size comparison on the real engine: the example built on scratch, distroless-static and
// alpine (the stand-ins, through the custom-base setting), every number checked against another
// implementation — `docker image inspect`, gzip of the layers `docker save` writes, `docker cp` of
// the binary — and every fact against running or copying from the image, so each one can fail.
import { execFile, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareCsv, compareMarkdown } from '../../shared/build/compare'
import type { CompareResult, CompareRow } from '../../shared/types/build'
import { LayerMeasures } from '../../electron/services/build/layer-measures'
import { ColdStarts } from '../../electron/services/build/cold-starts'
import { measureImage, PROBE_LABEL, PROBE_NET_LABEL, PROBE_OWNER_LABEL } from '../../electron/services/build/measure'
import { payloads } from '../support/recorder'
import { STAND_IN_BUILDER, testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')

describe('compare: the same app on three bases', () => {
  let t: TestServices
  let result: CompareResult
  let started = 0
  /** The engine's events since the comparison began (its clock is this machine's), as `docker events` prints them. */
  const engineEvents = async (filters: string[]) =>
    (await run('docker', ['events', '--since', String(Math.floor(started / 1000) - 1), '--until', String(Math.ceil(Date.now() / 1000)), ...filters, '--format', '{{json .}}'])).stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { Actor: { ID: string; Attributes: Record<string, string> } })
  const RUN = `${Date.now().toString(36)}${process.pid}`
  const name = `it-compare-${RUN}`
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-compare-'))
  const dir = join(tmp, name)
  const row = (base: string) => result.rows.find((r) => r.base === base) as CompareRow

  beforeAll(async () => {
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}`))
    t = await testServices()
    started = Date.now()
    result = await t.services.comparisons.launch({ jobId: crypto.randomUUID(), dir })
  }, 600_000)
  afterAll(async () => {
    t.close()
    const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `slipway/${name}`])
    const tags = stdout.split('\n').filter(Boolean)
    if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
    rmSync(tmp, { recursive: true, force: true })
  })

  it('builds every default base and streams a row for each', () => {
    expect(result.failures).toEqual([])
    expect(result.rows.map((r) => r.base)).toEqual(['scratch', 'distroless-static', 'alpine'])
    // Each row arrives when its image is measured, and again with its cold start.
    const rowEvents = payloads(t.rec, 'compare.row')
    expect(new Set(rowEvents.map((p) => p.row.base))).toEqual(new Set(['scratch', 'distroless-static', 'alpine']))
    expect(rowEvents.filter((p) => p.row.coldStartMs === null).map((p) => p.row.base).sort()).toEqual(['alpine', 'distroless-static', 'scratch'])
    expect(payloads(t.rec, 'compare.progress').filter((p) => p.phase === 'building')).toHaveLength(3)
  })

  it('reports the size and layer count docker image inspect reports', async () => {
    for (const r of result.rows) {
      const info = JSON.parse((await run('docker', ['image', 'inspect', r.imageId])).stdout)[0]
      expect(r.sizeBytes).toBe(info.Size)
      expect(r.layers).toBe(info.RootFS.Layers.length)
      expect(r.user).toBe(info.Config.User || 'root')
      expect(r.overheadBytes).toBe(r.sizeBytes - r.binaryBytes)
    }
  })

  it('reports compressed sizes within 1 % of gzip over the layers docker save writes', async () => {
    for (const r of result.rows) {
      const out = mkdtempSync(join(tmpdir(), 'slipway-save-'))
      try {
        await run('docker', ['save', '-o', join(out, 'image.tar'), r.imageId])
        await run('tar', ['-xf', join(out, 'image.tar'), '-C', out])
        const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))[0] as { Layers: string[] }
        const gz = manifest.Layers.reduce((a, l) => a + gzipSync(readFileSync(join(out, l))).length, 0)
        expect(Math.abs(r.compressedBytes - gz) / gz).toBeLessThan(0.01)
        expect(r.compressedBytes).toBeLessThan(r.sizeBytes)
      } finally {
        rmSync(out, { recursive: true, force: true })
      }
    }
  })

  it('reports the binary size docker cp finds at the entrypoint', async () => {
    for (const r of result.rows) {
      const { stdout: id } = await run('docker', ['create', r.imageId])
      const out = mkdtempSync(join(tmpdir(), 'slipway-cp-'))
      try {
        await run('docker', ['cp', `${id.trim()}:/app/${name}`, out])
        expect(r.binaryBytes).toBe(statSync(join(out, name)).size)
        expect(r.binaryBytes).toBeGreaterThan(1_000_000)
      } finally {
        await run('docker', ['rm', '-f', id.trim()])
        rmSync(out, { recursive: true, force: true })
      }
    }
    // The program loads zones, so every base gets the same binary with tz data embedded (-tags=timetzdata).
    expect(row('scratch').binaryBytes).toBe(row('alpine').binaryBytes)
    expect(row('distroless-static').binaryBytes).toBe(row('scratch').binaryBytes)
  })

  it('compiles once for every base: one build runs the compile step, the others find it cached', async () => {
    const buildJobs = [...new Set(payloads(t.rec, 'compare.progress').map((p) => p.buildJobId))]
    expect(buildJobs).toHaveLength(3)
    // Each build's last word on its `go build` step (vertex digests differ per request: the context
    // reaches BuildKit under a URL of its own; the cache key is the content).
    const compile = (job: string) => payloads(t.rec, 'build.step').filter((p) => p.jobId === job && p.step.name.includes('go build')).at(-1)?.step
    const ends = buildJobs.map((job) => (compile(job)?.cached ? 'cached' : compile(job)?.status))
    expect(ends.sort()).toEqual(['cached', 'cached', 'done'])
    // Hence one binary, copied before any step of the base's own: its layer is root-owned with the
    // same entries on every base (distroless runs as nonroot, which would own a WORKDIR-made /app).
    // BuildKit stamps the folder with the second of the copy, so the layers' bytes — and diffIDs —
    // are the same exactly when the copies fell in the same second.
    const binaryLayers = await Promise.all(result.rows.map((r) => binaryLayer(r.imageId, name)))
    for (const l of binaryLayers) {
      expect(l.entries.map((e) => e.replace(/ \S+ \S+ (app\/?\S*)$/, ' $1'))).toEqual([`drwxr-xr-x 0/0 0 app/`, `-rwxr-xr-x 0/0 ${row('scratch').binaryBytes} app/${name}`])
    }
    for (const l of binaryLayers.slice(1)) expect(l.diffId === binaryLayers[0]?.diffId).toBe(l.entries.join('\n') === binaryLayers[0]?.entries.join('\n'))
  })

  it('shares its build stage with a later single build, on a base it did not build: the compile is CACHED', async () => {
    const jobId = crypto.randomUUID()
    const record = await (await t.services.builds.launch({ jobId, dir, base: 'debian-slim' })).done
    const steps = payloads(t.rec, 'build.step').filter((p) => p.jobId === jobId)
    const last = (name: string) => steps.filter((p) => p.step.name.includes(name)).at(-1)?.step
    expect(last('go build')).toMatchObject({ cached: true })
    expect(last('COPY . .')).toMatchObject({ cached: true })
    // The final stage is debian-slim's own, new to the cache.
    expect(steps.some((p) => p.step.stage !== 'build' && p.step.cached === false && p.step.status === 'done' && /COPY --from=build/.test(p.step.name))).toBe(true)
    // The history keeps the plain recipe for that base, not the shared form the build sent.
    const plain = (await t.services.builds.prepare(dir, { base: 'debian-slim' })).recipe.dockerfile
    expect(record.dockerfile).toBe(plain)
    expect(record.dockerfile).not.toContain('slipway-final')
  })

  it('measures each layer once: a second reading comes from the data folder, with the same numbers', async () => {
    const known = new LayerMeasures(join(t.dataDir, 'cache', 'layer-measures'))
    for (const r of result.rows) {
      const m = await measureImage(t.services.engine.client(), r.imageId, undefined, undefined, known)
      const facts = (x: Omit<CompareRow, 'verdict'> | typeof m) => [x.compressedBytes, x.binaryBytes, x.hasShell, x.hasCaBundle, x.hasTzData, x.packageManager, x.user]
      expect(facts(m)).toEqual(facts(r))
    }
    expect(known.hits).toBe(result.rows.reduce((a, r) => a + r.layers, 0))
  })

  it('does not gzip a layer it knows when it must save the image for the others: the known measure is used', async () => {
    const r = row('alpine')
    const diffIds = JSON.parse((await run('docker', ['image', 'inspect', r.imageId])).stdout)[0].RootFS.Layers as string[]
    const partial = new LayerMeasures()
    // The base's layer, known with a gzip size no gzip would give: it must come back as it is.
    await partial.put(diffIds[0] as string, { gzipBytes: 7, entries: [{ path: 'bin/sh', size: 1, type: 'file' }] })
    const m = await measureImage(t.services.engine.client(), r.imageId, undefined, undefined, partial)
    const rest = (await Promise.all(diffIds.slice(1).map((d) => partial.get(d)))).reduce((a, l) => a + (l?.gzipBytes ?? NaN), 0)
    expect(m.compressedBytes).toBe(7 + rest)
    expect(m.compressedBytes).toBeLessThan(r.compressedBytes)
  })

  it('has a shell exactly where one runs', async () => {
    for (const r of result.rows) {
      const ran = await run('docker', ['run', '--rm', '--entrypoint', '/bin/sh', r.imageId, '-c', 'echo shell-ok']).then(
        (o) => o.stdout.trim() === 'shell-ok',
        () => false,
      )
      expect({ base: r.base, shell: r.hasShell }).toEqual({ base: r.base, shell: ran })
    }
    expect(row('alpine').hasShell).toBe(true)
    expect(row('scratch').hasShell).toBe(false)
  })

  it('has a CA bundle and tz data exactly where docker cp finds them', async () => {
    for (const r of result.rows) {
      const { stdout: id } = await run('docker', ['create', r.imageId])
      try {
        const found = async (p: string) =>
          run('docker', ['cp', `${id.trim()}:${p}`, '-']).then(
            () => true,
            () => false,
          )
        expect({ base: r.base, ca: r.hasCaBundle }).toEqual({ base: r.base, ca: await found('/etc/ssl/certs/ca-certificates.crt') })
        expect({ base: r.base, tz: r.hasTzData }).toEqual({ base: r.base, tz: await found('/usr/share/zoneinfo/UTC') })
      } finally {
        await run('docker', ['rm', '-f', id.trim()])
      }
    }
    expect(row('distroless-static')).toMatchObject({ hasCaBundle: true, hasTzData: true, packageManager: null, user: '65532:65532' })
  })

  it('measures a cold start until the server answers, keeps it in the data folder with when, and removes its probe containers once it reported', async () => {
    const kept = new ColdStarts(join(t.dataDir, 'cache', 'cold-starts.json'))
    for (const r of result.rows) {
      expect(r.coldStartNote).toBeNull()
      expect(r.coldStartPending).toBe(false)
      expect(r.coldStartMs).toBeGreaterThan(0)
      expect(r.coldStartMs).toBeLessThan(10_000)
      expect(r.coldStartMeasuredAt).toBeGreaterThan(started)
      expect(r.coldStartMeasuredAt).toBeLessThanOrEqual(result.finishedAt)
      const figure = await kept.get(r.imageId)
      expect(figure && [Math.round(figure.ms), figure.measuredAt]).toEqual([r.coldStartMs, r.coldStartMeasuredAt])
    }
    await t.services.comparisons.settled()
    for (const r of result.rows) expect((await run('docker', ['ps', '-aq', '--filter', `ancestor=${r.imageId}`])).stdout.trim()).toBe('')
  })

  it('starts every probe in one shared network holder: one bridge endpoint for the comparison, none per probe, and the holder removed with them', async () => {
    const made = await engineEvents(['--filter', 'type=container', '--filter', 'event=create', '--filter', `label=${PROBE_OWNER_LABEL}=${hostname()}:${process.pid}`])
    const holders = made.filter((e) => e.Actor.Attributes[PROBE_NET_LABEL] === '1').map((e) => e.Actor.ID)
    const probes = made.filter((e) => e.Actor.Attributes[PROBE_NET_LABEL] !== '1').map((e) => e.Actor.ID)
    expect(holders).toHaveLength(1)
    expect(made.find((e) => e.Actor.ID === holders[0])?.Actor.Attributes.image).toBe(STAND_IN_BUILDER)
    expect(new Set(made.filter((e) => probes.includes(e.Actor.ID)).map((e) => e.Actor.Attributes.image))).toEqual(new Set(result.rows.map((r) => r.imageId)))
    const connected = new Set((await engineEvents(['--filter', 'type=network', '--filter', 'event=connect'])).map((e) => e.Actor.Attributes.container))
    expect(holders.filter((id) => connected.has(id))).toEqual(holders)
    expect(probes.filter((id) => connected.has(id))).toEqual([])
    const left = (await run('docker', ['ps', '-aq', '--no-trunc', '--filter', `label=${PROBE_OWNER_LABEL}=${hostname()}:${process.pid}`])).stdout.split('\n').filter(Boolean)
    expect(left.filter((id) => holders.includes(id) || probes.includes(id))).toEqual([])
  })

  it('removes a probe container whose Slipway is gone when a session starts, and leaves a live one alone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number
    const labels = (pid: number) => ['--label', `${PROBE_LABEL}=1`, '--label', `${PROBE_OWNER_LABEL}=${hostname()}:${pid}`, '--label', `org.slipway.test=${RUN}`]
    const create = async (pid: number) => (await run('docker', ['create', ...labels(pid), row('scratch').imageId])).stdout.trim()
    const left = await create(gone)
    const live = await create(process.pid)
    try {
      expect(await t.services.comparisons.sweepProbes()).toBeGreaterThanOrEqual(1)
      const ours = (await run('docker', ['ps', '-aq', '--no-trunc', '--filter', `label=org.slipway.test=${RUN}`])).stdout.split('\n').filter(Boolean)
      expect(ours).toEqual([live])
    } finally {
      await run('docker', ['rm', '-f', left, live]).catch(() => undefined)
    }
  })

  it('says what each base costs and buys, and exports Markdown and CSV', async () => {
    expect(row('scratch').verdict).toMatch(/^scratch: the smallest/)
    expect(row('distroless-static').verdict).toMatch(/^distroless-static: \+[\d.]+ [kM]B over scratch for a CA bundle, tz data and a non-root user\.$/)
    const md = compareMarkdown(result)
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(4)
    const csv = compareCsv(result.rows).trim().split('\n')
    expect(csv).toHaveLength(4)
    expect(csv[1]).toContain(String(row('scratch').sizeBytes))
    expect(await t.services.comparisons.history(dir)).toMatchObject([{ jobId: result.jobId, rows: [{ base: 'scratch' }, {}, {}] }])
  })

  it('compares the unchanged project again from the cache (the last test: it adds to the history): the same images, their cold starts not measured again', async () => {
    const again = await t.services.comparisons.launch({ jobId: crypto.randomUUID(), dir })
    expect(again.rows.map((r) => [r.base, r.imageId, r.coldStartMs, r.coldStartMeasuredAt])).toEqual(result.rows.map((r) => [r.base, r.imageId, r.coldStartMs, r.coldStartMeasuredAt]))
    await t.services.comparisons.settled()
  })
})

/** The layer that holds /app/<name> in the image as `docker save` writes it: its diffID and its entries as `tar -tv` lists them (numeric owners). */
async function binaryLayer(imageId: string, name: string): Promise<{ diffId: string; entries: string[] }> {
  const out = mkdtempSync(join(tmpdir(), 'slipway-save-'))
  try {
    await run('docker', ['save', '-o', join(out, 'image.tar'), imageId])
    await run('tar', ['-xf', join(out, 'image.tar'), '-C', out])
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))[0] as { Layers: string[] }
    const diffIds = JSON.parse((await run('docker', ['image', 'inspect', imageId])).stdout)[0].RootFS.Layers as string[]
    for (const [i, l] of manifest.Layers.entries()) {
      const { stdout } = await run('tar', ['--numeric-owner', '-tvf', join(out, l)])
      const entries = stdout.split('\n').filter(Boolean).map((e) => e.replace(/\s+/g, ' '))
      if (entries.some((e) => e.endsWith(` app/${name}`))) return { diffId: diffIds[i] as string, entries }
    }
    throw new Error(`no layer of ${imageId} holds app/${name}`)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

describe('compare with a builder image that has no sleep to hold a shared probe network', () => {
  const RUN = `${Date.now().toString(36)}${process.pid}`
  const name = `it-compare-nosleep-${RUN}`
  const builder = `slipway-it/nosleep-go:${RUN}`
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-compare-'))
  const dir = join(tmp, name)
  let t: TestServices | undefined

  afterAll(async () => {
    t?.close()
    const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `slipway/${name}`])
    await run('docker', ['image', 'rm', '-f', ...stdout.split('\n').filter(Boolean), builder]).catch(() => undefined)
    rmSync(tmp, { recursive: true, force: true })
  })

  it('falls back to a bridge per probe and says the figure includes network setup', async () => {
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}`))
    // The builder stand-in less its sleep (the classic builder: one small layer on top).
    const ctx = join(tmp, 'builder')
    mkdirSync(ctx)
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${STAND_IN_BUILDER}\nRUN rm /usr/bin/sleep\n`)
    await run('docker', ['build', '-q', '-t', builder, '--label', `org.slipway.test=${RUN}`, ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' } })
    t = await testServices({ builderImage: builder })
    const result = await t.services.comparisons.launch({ jobId: crypto.randomUUID(), dir, bases: ['scratch'] })
    expect(result.failures).toEqual([])
    const [r] = result.rows
    expect(r?.coldStartMs).toBeGreaterThan(0)
    expect(r?.coldStartNote).toMatch(new RegExp(`^includes network setup: no shared probe network from ${builder.replace(/[.:]/g, '\\$&')} \\(.*sleep.*\\)$`))
    await t.services.comparisons.settled()
    expect((await run('docker', ['ps', '-aq', '--filter', `label=${PROBE_OWNER_LABEL}=${hostname()}:${process.pid}`, '--filter', `ancestor=${builder}`])).stdout.trim()).toBe('')
  }, 300_000)
})
