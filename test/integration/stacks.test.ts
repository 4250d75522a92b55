// The Stacks service on the real engine with the compose tool this machine has (docker-compose
// v1 here): the example built through the Builds service on the distroless stand-in, brought up
// next to the Postgres stand-in (chosen through the postgresImage setting, as a user behind a
// mirror would). Propose says what Up will do; the database becomes healthy, the app answers
// /readyz (it pings the database named by DATABASE_URL) on its loopback port, the database answers
// on its published loopback port; the merged log stream follows a restarted service without
// repeating lines; a row written with psql survives Down and Up; Down with removeVolumes deletes
// the volume. The compose file and its .env live in the data folder, not the project.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Stacks } from '../../electron/services/stacks/stacks'
import { payloads } from '../support/recorder'
import { COMPOSE_V2_CONFIG, testServices, type TestServices } from '../support/services'
import { standIn } from '../support/stand-ins'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const POSTGRES = standIn('postgres:15')
const docker = new Dockerode()

/** Postgres's SSLRequest: a Postgres server answers one byte, 'S' or 'N'; anything else is not Postgres. */
function askPostgres(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])))
    sock.once('data', (b) => {
      resolve(b.subarray(0, 1).toString())
      sock.destroy()
    })
    sock.once('error', reject)
  })
}

/** Waits until `test` holds (events may have arrived before the wait starts). */
async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !test(); ) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function psql(containerId: string, user: string, db: string, sql: string): Promise<string> {
  return (await run('docker', ['exec', containerId, 'psql', '-U', user, '-d', db, '-tAc', sql])).stdout.trim()
}

// Both compose tools the app drives: v1 (Debian's docker-compose, on PATH) and v2 (the docker CLI
// plugin, which provisioning puts in a DOCKER_CONFIG folder of its own).
const TOOLS = [
  { tool: 'docker-compose v1', command: 'docker-compose', version: /^docker-compose version 1\./, env: {} as Record<string, string> },
  { tool: 'docker compose v2', command: 'docker compose', version: /^Docker Compose version v?2\./, env: { DOCKER_CONFIG: COMPOSE_V2_CONFIG } },
]

describe.each(TOOLS)('Stacks service on the real engine with $tool', ({ command, version, env }) => {
  let t: TestServices
  let dir = ''
  let image = ''

  beforeAll(async () => {
    t = await testServices({ postgresImage: POSTGRES }, env)
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
      t.services.stacks.dispose()
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

  it('proposes, brings the app up next to a healthy Postgres, connects both, follows merged logs, and keeps the data on down', async () => {
    const stacks = t.services.stacks
    const files = stacks.files(dir)
    const projectFiles = readdirSync(dir).sort()

    // What Up would do, before anything starts: the current build, the setting's Postgres, free ports, the variables.
    const proposal = await stacks.propose(dir)
    expect(proposal).toMatchObject({
      project: files.project,
      app: { action: 'use', image, base: 'distroless-static', reason: null },
      postgresImage: POSTGRES,
      databaseVars: ['DATABASE_URL'],
      volume: `${files.project}_db-data`,
      volumeExists: false,
      defined: false,
      composeTool: { command, version: expect.stringMatching(version) },
    })
    expect(proposal.ports.app.container).toBe(8080)
    expect(proposal.ports.db.container).toBe(5432)
    expect(proposal.env).toContainEqual(expect.objectContaining({ name: 'TZ_NAME', value: 'UTC', secret: false, evidence: 'main.go:39' }))
    expect(proposal.env.map((e) => e.name)).not.toContain('DATABASE_URL')
    expect(proposal.yaml).toContain(`image: ${POSTGRES}`)
    expect(existsSync(files.folder)).toBe(false)

    // Up with an edited variable; image and Postgres come from the build history and the setting.
    const jobId = crypto.randomUUID()
    const t0 = Date.now()
    const status = await stacks.launch(dir, { jobId, env: { TZ_NAME: 'Europe/Paris' } }).done
    const upMs = Date.now() - t0
    expect(status.up).toBe(true)
    expect(status.defined).toBe(true)
    const byName = Object.fromEntries(status.services.map((s) => [s.service, s]))
    expect(byName.db).toMatchObject({ phase: 'healthy', health: 'healthy', image: POSTGRES })
    expect(byName.app).toMatchObject({ phase: 'running', image })
    expect(status.volumes).toEqual([`${files.project}_db-data`])

    // Events: phases of the job, services on their way up, then exactly one done for this job.
    expect(payloads(t.rec, 'stack.progress').filter((e) => e.jobId === jobId).map((e) => e.phase)).toEqual(['preparing', 'starting', 'waiting'])
    const phases = payloads(t.rec, 'stack.service').filter((e) => e.jobId === jobId && e.service.service === 'db').map((e) => e.service.phase)
    expect(phases).toContain('healthy')
    expect(payloads(t.rec, 'stack.done').filter((e) => e.jobId === jobId)).toHaveLength(1)
    expect(payloads(t.rec, 'stack.failed').filter((e) => e.jobId === jobId)).toHaveLength(0)
    // The engine's own events name the compose project, so a view refreshes when compose is run by hand.
    await until(() => payloads(t.rec, 'engine.event').some((e) => e.project === files.project && e.service === 'db' && e.action === 'start'), 5000, 'the engine event')

    // The app reaches the database through the URL it was given: /readyz pings it.
    const port = byName.app?.ports[0]
    expect(port).toEqual({ host: proposal.ports.app.host, container: 8080 })
    const info = await docker.getContainer(byName.app?.containerId as string).inspect()
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port?.host) }] })
    expect(info.Config.Env).toContain('TZ_NAME=Europe/Paris')
    expect(info.Config.Labels).toMatchObject({ 'org.slipway.stack': '1', 'org.slipway.stack.dir': dir })
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
    const password = dbUrl.slice('DATABASE_URL=postgres://app:'.length).split('@')[0] as string

    // The connection panel: the database on its loopback port (a real Postgres answers there), the app's URL, psql.
    const dbName = `it_stack_${RUN}`.toLowerCase()
    const dbPort = proposal.ports.db.host
    expect(status.connection).toEqual({
      appUrl: `http://127.0.0.1:${port?.host}`,
      databaseUrl: `postgres://app:${password}@127.0.0.1:${dbPort}/${dbName}?sslmode=disable`,
      psql: `psql 'postgres://app:${password}@127.0.0.1:${dbPort}/${dbName}?sslmode=disable'`,
      dbHostPort: dbPort,
    })
    expect(await askPostgres(dbPort)).toMatch(/^[SN]$/)
    const dbInfo = await docker.getContainer(byName.db?.containerId as string).inspect()
    expect(dbInfo.HostConfig.PortBindings).toEqual({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: String(dbPort) }] })

    // The password lives only in the data folder's .env (0600), never in the compose file or the project.
    expect(readFileSync(files.envFile, 'utf8')).toContain(password)
    expect(readFileSync(files.composeFile, 'utf8')).not.toContain(password)
    expect(statSync(files.envFile).mode & 0o777).toBe(0o600)
    expect(files.folder.startsWith(t.dataDir)).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(projectFiles)

    // The list of every Slipway stack has this one, with its folder.
    const listed = (await stacks.list()).find((s) => s.project === files.project)
    expect(listed).toMatchObject({ dir, up: true, defined: true })

    // Logs per service, and merged live: both services tagged; a restarted app goes on without repeats.
    const logs = await stacks.logs(dir, 'app')
    expect(logs.lines.some((l) => l.includes('starting server'))).toBe(true)
    const { streamId } = await stacks.follow(dir, { tail: 100 })
    const followed = () => payloads(t.rec, 'stack.log').filter((e) => e.streamId === streamId)
    await until(() => followed().some((e) => e.service === 'app' && e.lines.some((l) => l.includes('starting server'))), 10_000, 'app lines')
    await until(() => followed().some((e) => e.service === 'db'), 10_000, 'db lines')
    const restarted = await stacks.restart(dir, 'app')
    expect(restarted.services.find((s) => s.service === 'app')?.phase).toBe('running')
    const startLines = () =>
      payloads(t.rec, 'stack.log')
        .filter((e) => e.streamId === streamId && e.service === 'app')
        .flatMap((e) => e.lines)
        .filter((l) => l.includes('starting server'))
    await until(() => startLines().length >= 2, 10_000, 'the restarted app\'s first line')
    await new Promise((r) => setTimeout(r, 500))
    expect(startLines()).toHaveLength(2)
    const chunks = followed()
    // Numbered without gaps: every line once, in order of arrival.
    chunks.reduce((next, e) => (expect(e.seq).toBe(next), next + e.lines.length), 0)
    expect(stacks.unfollow(streamId)).toBe(true)
    expect(stacks.unfollow(streamId)).toBe(false)

    // Data survives Down and Up: a row written with psql in the db container is read back.
    await psql(byName.db?.containerId as string, 'app', dbName, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
    const down = await stacks.down(dir)
    expect(down.services.every((s) => s.phase === 'missing')).toBe(true)
    expect(down.volumes).toEqual([`${files.project}_db-data`])
    expect(down.connection).toBeNull()
    const again = await stacks.launch(dir, { jobId: crypto.randomUUID() }).done
    // Same ports and variables as before (kept in the data folder), same password, same data.
    expect(again.connection?.dbHostPort).toBe(dbPort)
    expect(again.connection?.appUrl).toBe(`http://127.0.0.1:${port?.host}`)
    const db2 = again.services.find((s) => s.service === 'db')?.containerId as string
    expect(await psql(db2, 'app', dbName, 'SELECT note FROM kept')).toBe('still here')
    const app2 = await docker.getContainer(again.services.find((s) => s.service === 'app')?.containerId as string).inspect()
    expect(app2.Config.Env).toContain('TZ_NAME=Europe/Paris')

    // Down keeps the volume; down with removeVolumes deletes it.
    const gone = await stacks.down(dir, { removeVolumes: true })
    expect(gone.volumes).toEqual([])
    expect((await docker.listVolumes({ filters: { name: [`${files.project}_db-data`] } })).Volumes ?? []).toEqual([])
    // The .env stays: the next up must reuse the password a kept volume was initialised with.
    expect(existsSync(files.envFile)).toBe(true)
    // A defined stack with no containers is still listed.
    expect((await stacks.list()).find((s) => s.project === files.project)).toMatchObject({ dir, up: false, defined: true })
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
    // Propose says it too, instead of failing.
    const proposal = await stacks.propose(dir, { postgresImage: POSTGRES })
    expect(proposal.composeTool).toMatchObject({ error: expect.stringMatching(/docker-compose/), detail: expect.stringMatching(/apt-get install docker-compose/) })
    rmSync(empty, { recursive: true, force: true })
  })
})
