// The Stacks service on the real engine with the compose tool this machine has (docker-compose
// v1 here): the example built through the Builds service on the distroless stand-in, brought up
// next to the Postgres stand-in; the database becomes healthy, the app answers /readyz (it pings
// the database named by DATABASE_URL) on its loopback port; down keeps the volume, down with
// removeVolumes deletes it. The compose file and its .env live in the data folder, not the project.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Stacks } from '../../electron/services/stacks/stacks'
import { payloads } from '../support/recorder'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const POSTGRES = 'slipway-test/postgres:15'
const docker = new Dockerode()

describe('Stacks service on the real engine', () => {
  let t: TestServices
  let dir = ''
  let image = ''

  beforeAll(async () => {
    t = await testServices()
    // A private copy with a unique module name: unique image tags and a unique compose project.
    dir = join(mkdtempSync(join(tmpdir(), 'slipway-stack-')), `it-stack-${RUN}`)
    cpSync(EXAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/it-stack-${RUN}`))
    const { done } = await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base: 'distroless-static' })
    const record = await done
    image = record.tags[0] as string
  })

  afterAll(async () => {
    if (t && dir) {
      const project = t.services.stacks.files(dir).project
      const label = `com.docker.compose.project=${project}`
      for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
      for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined)
      for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined)
      const tags = (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=slipway/*${RUN}*`])).stdout.split('\n').filter(Boolean)
      if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
      rmSync(join(dir, '..'), { recursive: true, force: true })
    }
    t?.close()
  })

  it('brings the app up next to a healthy Postgres, answers /readyz, and keeps the data on down', async () => {
    const projectFiles = readdirSync(dir).sort()
    const jobId = crypto.randomUUID()
    const t0 = Date.now()
    const { done } = t.services.stacks.launch(dir, { jobId, image, postgresImage: POSTGRES })
    const status = await done
    const upMs = Date.now() - t0
    expect(status.up).toBe(true)
    const byName = Object.fromEntries(status.services.map((s) => [s.service, s]))
    expect(byName.db).toMatchObject({ phase: 'healthy', health: 'healthy', image: POSTGRES })
    expect(byName.app).toMatchObject({ phase: 'running', image })
    const files = t.services.stacks.files(dir)
    expect(status.volumes).toEqual([`${files.project}_db-data`])

    // Events: services on their way up, then exactly one done for this job.
    const phases = payloads(t.rec, 'stack.service').filter((e) => e.jobId === jobId && e.service.service === 'db').map((e) => e.service.phase)
    expect(phases).toContain('healthy')
    expect(payloads(t.rec, 'stack.done').filter((e) => e.jobId === jobId)).toHaveLength(1)
    expect(payloads(t.rec, 'stack.failed').filter((e) => e.jobId === jobId)).toHaveLength(0)

    // The app reaches the database through the URL it was given: /readyz pings it.
    const port = byName.app?.ports[0]
    expect(port?.container).toBe(8080)
    const info = await docker.getContainer(byName.app?.containerId as string).inspect()
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port?.host) }] })
    let ready: Response | null = null
    for (let i = 0; i < 50 && ready?.status !== 200; i++) {
      ready = await fetch(`http://127.0.0.1:${port?.host}/readyz`).catch(() => null)
      if (ready?.status !== 200) await new Promise((r) => setTimeout(r, 200))
    }
    expect(ready?.status).toBe(200)
    // "reachable", not "not configured": the 200 comes from a real connection to the db service.
    expect(await ready?.json()).toEqual({ status: 'ok', database: 'reachable' })
    const dbUrl = info.Config.Env.find((e) => e.startsWith('DATABASE_URL=')) as string
    expect(dbUrl).toMatch(/^DATABASE_URL=postgres:\/\/app:[A-Za-z0-9_-]{32}@db:5432\/it_stack_[a-z0-9]+\?sslmode=disable$/)

    // The password lives only in the data folder's .env (0600), never in the compose file or the project.
    const password = dbUrl.slice('DATABASE_URL=postgres://app:'.length).split('@')[0] as string
    expect(readFileSync(files.envFile, 'utf8')).toContain(password)
    expect(readFileSync(files.composeFile, 'utf8')).not.toContain(password)
    expect(statSync(files.envFile).mode & 0o777).toBe(0o600)
    expect(files.folder.startsWith(t.dataDir)).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(projectFiles)

    // Logs per service.
    const logs = await t.services.stacks.logs(dir, 'app')
    expect(logs.lines.some((l) => l.includes('starting server'))).toBe(true)

    // Down keeps the volume; down with removeVolumes deletes it.
    const down = await t.services.stacks.down(dir)
    expect(down.services.every((s) => s.phase === 'missing')).toBe(true)
    expect(down.volumes).toEqual([`${files.project}_db-data`])
    const gone = await t.services.stacks.down(dir, { removeVolumes: true })
    expect(gone.volumes).toEqual([])
    expect((await docker.listVolumes({ filters: { name: [`${files.project}_db-data`] } })).Volumes ?? []).toEqual([])
    // The .env stays: the next up must reuse the password a kept volume was initialised with.
    expect(existsSync(files.envFile)).toBe(true)
    console.log(`stack up in ${upMs} ms`)
  })

  it('says how to install compose when neither tool is on PATH, and starts nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'slipway-nopath-'))
    const stacks = new Stacks({ engine: t.services.engine, dataDir: t.dataDir, emit: t.rec.emit, projects: t.services.projects, env: { PATH: empty } })
    const jobId = crypto.randomUUID()
    const { done } = stacks.launch(dir, { jobId, image, postgresImage: POSTGRES })
    await expect(done).rejects.toMatchObject({ name: 'ComposeNotFound', message: expect.stringMatching(/docker compose.*docker-compose/) })
    const [failed] = payloads(t.rec, 'stack.failed').filter((e) => e.jobId === jobId)
    expect(failed?.error).toMatchObject({ name: 'ComposeNotFound', detail: expect.stringMatching(/apt-get install docker-compose/) })
    expect(failed?.status?.services.every((x) => x.phase === 'missing')).toBe(true)
    rmSync(empty, { recursive: true, force: true })
  })
})
