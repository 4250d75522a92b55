// The Builds service on the real engine: the example built through the service (steps, logs, tags,
// labels, history), a Go compile error pulled out with file:line:col (cancel: builds-cancel.test.ts),
// a missing builder named with its setting, a builder whose Go is too old refused before building,
// one build per project and base at a time, and the classic builder cleaning up its stage images.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuildRecord } from '../../shared/types/build'
import { dockerLines } from '../support/docker-cli'
import { exampleCopy } from '../support/example-copy'
import { payloads } from '../support/recorder'
import { STAND_IN_BUILDER, testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const uuid = () => crypto.randomUUID()

describe('Builds service on the real engine', () => {
  let t: TestServices
  const RUN = `${Date.now().toString(36)}${process.pid}`
  const dirs: string[] = []
  const project = (suffix: string) => {
    const d = exampleCopy(mkdtempSync(join(tmpdir(), 'slipway-build-')), `it-${suffix}-${RUN}`)
    dirs.push(d)
    return d
  }
  beforeAll(async () => {
    t = await testServices()
  })
  afterAll(async () => {
    t.close()
    const tags = await dockerLines(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=slipway/*${RUN}*`])
    if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
    for (const d of dirs) rmSync(join(d, '..'), { recursive: true, force: true })
  })

  it('builds the example on scratch with live steps, tags, labels and history', async () => {
    const dir = project('ok')
    const jobId = uuid()
    const finished = t.rec.waitFor('build.done', (p) => p.jobId === jobId, 280_000)
    await expect(t.services.builds.start({ jobId, dir, base: 'scratch' })).resolves.toEqual({ jobId })
    await finished
    const [done] = payloads(t.rec, 'build.done').filter((p) => p.jobId === jobId)
    const record = done?.record as BuildRecord
    expect(record.result).toBe('succeeded')
    const name = `it-ok-${RUN}`
    expect(record.tags).toEqual([`slipway/${name}:scratch`])
    const inspect = JSON.parse((await run('docker', ['image', 'inspect', record.tags[0] as string])).stdout)[0]
    expect(inspect.Id).toBe(record.imageId)
    expect(inspect.Size).toBe(record.sizeBytes)
    expect(inspect.Config.Labels).toMatchObject({ 'org.slipway.project': dir, 'org.slipway.base': 'scratch', 'org.slipway.version': '0.0.0-test' })
    expect(inspect.Config.Labels['org.slipway.recipe']).toMatch(/^[0-9a-f]{16}$/)
    // Steps: the builder's named stages, each ended, with durations.
    const steps = payloads(t.rec, 'build.step').filter((p) => p.jobId === jobId).map((p) => p.step)
    const last = new Map(steps.map((s) => [s.id, s]))
    const compile = [...last.values()].find((s) => /go build/.test(s.name))
    expect(compile).toMatchObject({ stage: 'build', internal: false })
    expect(['done', 'cached']).toContain(compile?.status)
    expect([...last.values()].every((s) => s.status === 'done' || s.status === 'cached')).toBe(true)
    expect([...last.values()].some((s) => s.internal && /^\[internal\] load/.test(s.name))).toBe(true)
    // The folder was not written; the history has the build with its Dockerfile.
    expect(readFileSync(join(dir, 'go.mod'), 'utf8')).toMatch(/^module example.com\/it-ok-/)
    const history = await t.services.builds.history(dir)
    expect(history[0]).toMatchObject({ jobId, result: 'succeeded', imageId: record.imageId, base: 'scratch' })
    expect(history[0]?.dockerfile).toMatch(/^FROM scratch$/m)
    expect(t.services.builds.get(jobId)?.state).toBe('succeeded')

    // A rebuild takes every real step from the cache.
    const again = uuid()
    const second = t.rec.waitFor('build.done', (p) => p.jobId === again, 120_000)
    await t.services.builds.start({ jobId: again, dir, base: 'scratch' })
    await second
    const rec2 = payloads(t.rec, 'build.done').find((p) => p.jobId === again)?.record as BuildRecord
    expect(rec2.imageId).toBe(record.imageId)
    // The compile step comes from the cache (BuildKit reports WORKDIR on scratch as re-run, so not every step is).
    const steps2 = payloads(t.rec, 'build.step').filter((p) => p.jobId === again).map((p) => p.step)
    expect(steps2.filter((s) => /go build/.test(s.name)).at(-1)).toMatchObject({ status: 'cached', cached: true })
    expect(rec2.cachedSteps).toBeGreaterThanOrEqual(3)
    expect(rec2.cachedSteps).toBeLessThanOrEqual(rec2.totalSteps)
    expect(record.cachedSteps).toBeLessThan(rec2.cachedSteps)
  }, 300_000)

  it('pulls a Go compile error out of the log as file:line:col', async () => {
    const dir = project('broken')
    writeFileSync(join(dir, 'broken.go'), 'package main\n\nfunc broken() int {\n\treturn undefinedThing\n}\n')
    const jobId = uuid()
    const failed = t.rec.waitFor('build.failed', (p) => p.jobId === jobId, 200_000)
    await t.services.builds.start({ jobId, dir, base: 'scratch' })
    await failed
    const ev = payloads(t.rec, 'build.failed').find((p) => p.jobId === jobId)
    expect(ev?.cancelled).toBe(false)
    expect(ev?.compileErrors).toContainEqual({ file: 'broken.go', line: 4, column: 9, message: 'undefined: undefinedThing' })
    expect(ev?.error.message).toMatch(/failed at .*go build/)
    const steps = payloads(t.rec, 'build.step').filter((p) => p.jobId === jobId)
    expect(steps.some((p) => p.step.status === 'error' && /go build/.test(p.step.name))).toBe(true)
    const logs = payloads(t.rec, 'build.log').filter((p) => p.jobId === jobId)
    expect(logs.some((l) => l.stream === 'stderr' && l.lines.some((x) => x.includes('undefined: undefinedThing')))).toBe(true)
    expect(await t.services.builds.history(dir)).toMatchObject([{ result: 'failed' }])
  })

  it('refuses a second build of the same project and base while one runs', async () => {
    const dir = project('twice')
    const first = uuid()
    const done = t.rec.waitFor('build.done', (p) => p.jobId === first, 200_000)
    // With the Recipe tab's overrides: they reach the build args and the image's labels.
    await t.services.builds.start({ jobId: first, dir, base: 'scratch', version: 'v9.9.9-it', commit: 'deadbee' })
    await expect(t.services.builds.start({ jobId: uuid(), dir, base: 'scratch' })).rejects.toMatchObject({ name: 'BuildRunning', detail: expect.stringContaining(first) })
    await done
    const rec = payloads(t.rec, 'build.done').find((p) => p.jobId === first)?.record as BuildRecord
    expect(rec).toMatchObject({ version: 'v9.9.9-it', commit: 'deadbee' })
    expect(rec.tags).toContain(`slipway/it-twice-${RUN}:scratch-deadbee`)
    const labels = JSON.parse((await run('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', rec.imageId as string])).stdout)
    expect(labels).toMatchObject({ 'org.opencontainers.image.version': 'v9.9.9-it', 'org.opencontainers.image.revision': 'deadbee' })
  })

  it('builds with the classic builder and removes its dangling stage images', async () => {
    // A program that imports only "os": the classic builder has no cache mounts and compiles the
    // standard library it needs from scratch, so the smaller, the quicker.
    const dir = project('classic')
    for (const f of ['main.go', 'handlers.go', 'db.go', 'handlers_test.go']) rmSync(join(dir, f), { force: true })
    writeFileSync(join(dir, 'main.go'), 'package main\n\nimport "os"\n\nfunc main() { os.Exit(0) }\n')
    const jobId = uuid()
    const done = t.rec.waitFor('build.done', (p) => p.jobId === jobId, 280_000)
    await t.services.builds.start({ jobId, dir, base: 'distroless-static', buildkit: false })
    await done
    const steps = payloads(t.rec, 'build.step').filter((p) => p.jobId === jobId).map((p) => p.step)
    expect(steps.some((s) => /^\[build \d+\/\d+\] FROM/.test(s.name))).toBe(true)
    expect(steps.some((s) => s.stage === 'stage-1' || s.stage === 'final')).toBe(true)
    // The build stage's last image (its go build step names this project's binary) is not left dangling.
    // (Other dangling images may come and go: other builds share the engine.)
    const dangling = await dockerLines(['image', 'ls', '-q', '--no-trunc', '--filter', 'dangling=true'])
    const cmds = await Promise.all(dangling.map((id) => run('docker', ['image', 'inspect', '--format', '{{json .ContainerConfig.Cmd}}', id]).then((o) => o.stdout, () => '')))
    expect(cmds.filter((c) => c.includes(`it-classic-${RUN}`))).toEqual([])
  }, 300_000)

  it('names a missing builder image and the setting to change', async () => {
    const other = await testServices({ builderImage: `slipway-test/no-such-builder:${RUN}` })
    try {
      const dir = project('nobuilder')
      const jobId = uuid()
      const failed = other.rec.waitFor('build.failed', (p) => p.jobId === jobId, 120_000)
      await other.services.builds.start({ jobId, dir, base: 'scratch' })
      await failed
      const ev = payloads(other.rec, 'build.failed').find((p) => p.jobId === jobId)
      expect(ev?.error.message).toContain(`slipway-test/no-such-builder:${RUN}`)
      expect(ev?.error.detail).toMatch(/Settings/)
    } finally {
      other.close()
    }
  })

  it('refuses before building when the builder Go is older than go.mod asks', async () => {
    const dir = project('newgo')
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^go .*$/m, 'go 1.24.2'))
    const findings = await t.services.builds.preflight(dir, { base: 'scratch' })
    expect(findings).toContainEqual(expect.objectContaining({ level: 'blocking', code: 'builder-go-too-old', message: expect.stringMatching(/Go 1\.23\.\d+.*1\.24\.2/) }))
    const jobId = uuid()
    const failed = t.rec.waitFor('build.failed', (p) => p.jobId === jobId, 60_000)
    await t.services.builds.start({ jobId, dir, base: 'scratch' })
    await failed
    expect(payloads(t.rec, 'build.failed').find((p) => p.jobId === jobId)?.error.name).toBe('PreflightFailed')
    expect(payloads(t.rec, 'build.step').some((p) => p.jobId === jobId)).toBe(false)
  })

  it('keeps the builder Go it read by image id in the data folder: the next process does not run the builder again', async () => {
    const dir = project('gocache')
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^go .*$/m, 'go 1.23.1'))
    await t.services.builds.preflight(dir, { base: 'scratch' })
    const file = join(t.dataDir, 'cache', 'builder-go.json')
    const builderId = (await t.services.engine.client().getImage(STAND_IN_BUILDER).inspect()).Id
    // The stand-in has no GOLANG_VERSION: its Go was read by running it, once, and kept.
    expect(JSON.parse(readFileSync(file, 'utf8'))[builderId]).toMatch(/^1\.23\.\d+$/)
    // What a new process reads is the kept answer: an (edited) old version makes it refuse.
    writeFileSync(file, JSON.stringify({ [builderId]: '1.21.0' }))
    const next = await testServices()
    try {
      mkdirSync(join(next.dataDir, 'cache'), { recursive: true })
      cpSync(file, join(next.dataDir, 'cache', 'builder-go.json'))
      const findings = await next.services.builds.preflight(dir, { base: 'scratch' })
      expect(findings).toContainEqual(expect.objectContaining({ code: 'builder-go-too-old', message: expect.stringMatching(/Go 1\.21\.0.*1\.23\.1/) }))
    } finally {
      next.close()
    }
  })
})
