// A stack that cannot come up says why and leaves nothing behind: the host port taken by another
// process, a database that never gets ready (bad environment in its image), an app that exits at
// once (a bad variable), an image reference that does not exist; each is checked against the
// engine's containers and networks before and after. A stale build is rebuilt before Up (the
// proposal says why), and cancelling Up while it builds cancels the build too.
// Compose v2 (the docker CLI plugin): its `up -d` returns the moment the app starts, so an app that
// exits at once is still running when Up first looks (stacks.ts waits SETTLE_MS for that); v1 is
// slow enough to hide it. stacks.test.ts runs the whole flow with both tools.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { payloads } from '../support/recorder'
import { COMPOSE_V2_CONFIG, testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const POSTGRES = 'slipway-test/postgres:15'
/** The stand-in with a data folder initdb cannot create: the database exits before it is ever ready. */
const BAD_POSTGRES = `slipway-test/postgres-badenv:${RUN}`
const docker = new Dockerode()

describe('Stacks that cannot come up', () => {
  let t: TestServices
  let dir = ''
  let image = ''
  let project = ''

  /** Containers and networks of the test's compose project, as the engine lists them. */
  const leftovers = async () => {
    const label = `com.docker.compose.project=${project}`
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } })
    const networks = await docker.listNetworks({ filters: { label: [label] } })
    return { containers: containers.map((c) => c.Id), networks: networks.map((n) => n.Name) }
  }

  beforeAll(async () => {
    t = await testServices({ postgresImage: POSTGRES }, { DOCKER_CONFIG: COMPOSE_V2_CONFIG })
    dir = join(mkdtempSync(join(tmpdir(), 'slipway-stackfail-')), `it-stackfail-${RUN}`)
    cpSync(EXAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/it-stackfail-${RUN}`))
    project = t.services.stacks.files(dir).project
    const { done } = await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base: 'distroless-static' })
    image = (await done).tags[0] as string
    const ctx = mkdtempSync(join(tmpdir(), 'slipway-badpg-'))
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${POSTGRES}\nENV PGDATA=/dev/null/pgdata\n`)
    await run('docker', ['build', '-q', '-t', BAD_POSTGRES, ctx])
    rmSync(ctx, { recursive: true, force: true })
  })

  afterAll(async () => {
    if (t && dir) {
      const label = `com.docker.compose.project=${project}`
      for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
      for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined)
      for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined)
      const tags = (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=slipway/*${RUN}*`])).stdout.split('\n').filter(Boolean)
      await run('docker', ['image', 'rm', '-f', ...tags, BAD_POSTGRES]).catch(() => undefined)
      rmSync(join(dir, '..'), { recursive: true, force: true })
    }
    t?.close()
  })

  it('refuses a host port another process holds, naming a free one, and starts nothing', async () => {
    const before = await leftovers()
    const server: Server = createServer()
    await new Promise<void>((r) => server.listen({ port: 0, host: '0.0.0.0' }, r))
    const taken = (server.address() as { port: number }).port
    try {
      const proposal = await t.services.stacks.propose(dir)
      expect(proposal.ports.app.taken).toBeNull()
      const jobId = crypto.randomUUID()
      const err = await t.services.stacks.launch(dir, { jobId, image, hostPort: taken }).done.catch((e: unknown) => e)
      expect(err).toMatchObject({ name: 'PortInUse', message: `Port ${taken} on 127.0.0.1 (for the app) is in use by another program.`, detail: expect.stringMatching(/^Port \d+ is free/) })
      expect(payloads(t.rec, 'stack.failed').find((e) => e.jobId === jobId)?.error.name).toBe('PortInUse')
    } finally {
      server.close()
    }
    expect(await leftovers()).toEqual(before)
  })

  it('says the database never got ready, with its last lines, and takes down what started', async () => {
    const before = await leftovers()
    const jobId = crypto.randomUUID()
    const err = await t.services.stacks.launch(dir, { jobId, image, postgresImage: BAD_POSTGRES }).done.catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'StackFailed', message: expect.stringMatching(/^The db service exited with code 1\. The database never became ready/) })
    expect((err as { detail: string }).detail).toMatch(/cannot create directory .*\/dev\/null/)
    const failed = payloads(t.rec, 'stack.failed').find((e) => e.jobId === jobId)
    expect(failed?.status?.services.every((s) => s.phase === 'missing')).toBe(true)
    expect(await leftovers()).toEqual(before)
  })

  it('says the app exited at once, with its exit code and last lines, and takes down what started', async () => {
    const before = await leftovers()
    const err = await t.services.stacks.launch(dir, { jobId: crypto.randomUUID(), image, env: { TZ_NAME: 'Nowhere/Bogus' } }).done.catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'StackFailed', message: 'The app service exited with code 1.', detail: expect.stringMatching(/load time zone .*Nowhere\/Bogus/) })
    expect(await leftovers()).toEqual(before)
    // keepOnFailure leaves it for inspection.
    const kept = await t.services.stacks.launch(dir, { jobId: crypto.randomUUID(), image, env: { TZ_NAME: 'Nowhere/Bogus' }, keepOnFailure: true }).done.catch((e: unknown) => e)
    expect(kept).toMatchObject({ name: 'StackFailed' })
    expect((await t.services.stacks.status(dir)).services.find((s) => s.service === 'app')).toMatchObject({ phase: 'exited', exitCode: 1 })
    await t.services.stacks.down(dir)
    expect(await leftovers()).toEqual(before)
  })

  it('says an image that does not exist cannot be pulled, before anything starts', async () => {
    const before = await leftovers()
    // A registry on a closed loopback port: refused at once, offline or not.
    const ref = '127.0.0.1:9/nobody/postgres:15'
    const err = await t.services.stacks.launch(dir, { jobId: crypto.randomUUID(), image, postgresImage: ref }).done.catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'ImagePullFailed', message: `The Postgres image ${ref} is not on this machine and could not be pulled.` })
    // The advice names where the Postgres image is set, not the bases.
    expect((err as { detail: string }).detail).toMatch(/Settings → Dev stack, "Postgres image"/)
    expect((err as { detail: string }).detail).not.toMatch(/Bases/)
    expect(await leftovers()).toEqual(before)
  })

  it('rebuilds a stale image before Up, and cancelling Up while it builds cancels the build', async () => {
    const stacks = t.services.stacks
    const before = await leftovers()
    // A source file newer than the build: the proposal says so.
    const now = new Date()
    utimesSync(join(dir, 'handlers.go'), now, now)
    const proposal = await stacks.propose(dir)
    expect(proposal.app).toMatchObject({ action: 'rebuild', image, reason: 'handlers.go changed after the last build.' })

    // Cancel while building: the build is cancelled too, nothing starts.
    const jobId = crypto.randomUUID()
    const { done } = stacks.launch(dir, { jobId })
    await t.rec.waitFor('stack.progress', (e) => e.jobId === jobId && e.phase === 'building', 60_000)
    const buildJobId = payloads(t.rec, 'stack.progress').find((e) => e.jobId === jobId && e.phase === 'building')?.buildJobId as string
    expect(stacks.cancel(jobId)).toBe(true)
    await expect(done).rejects.toMatchObject({ name: 'Cancelled' })
    expect(payloads(t.rec, 'stack.failed').find((e) => e.jobId === jobId)).toMatchObject({ cancelled: true })
    await t.rec.waitFor('build.failed', (e) => e.jobId === buildJobId, 30_000).catch(() => undefined)
    expect(payloads(t.rec, 'build.failed').find((e) => e.jobId === buildJobId)).toMatchObject({ cancelled: true })
    expect(await leftovers()).toEqual(before)

    // Up rebuilds (a build job under the stack job), then runs the new image.
    const upJob = crypto.randomUUID()
    const status = await stacks.launch(dir, { jobId: upJob, env: { TZ_NAME: 'UTC' } }).done
    const built = payloads(t.rec, 'stack.progress').find((e) => e.jobId === upJob && e.phase === 'building')
    expect(built?.buildJobId).toBeTruthy()
    const record = payloads(t.rec, 'build.done').find((e) => e.jobId === built?.buildJobId)?.record
    expect(record?.result).toBe('succeeded')
    expect(status.up).toBe(true)
    const app = status.services.find((s) => s.service === 'app')
    expect((await docker.getContainer(app?.containerId as string).inspect()).Image).toBe(record?.imageId)
    expect((await stacks.propose(dir)).app.action).toBe('use')
    await stacks.down(dir)
  })
})
