// The stack and the project's own files, on the real engine with docker-compose v1 and the Postgres
// stand-in: Export writes compose.yaml and .env.example through the confirmed-write path, and that
// compose file runs standalone with a filled .env (docker-compose in the project folder, no
// Slipway); the project's own compose file is proposed with its services and what it would do to
// this computer, run as it is under a Slipway-chosen name and never rewritten; a program that
// reads .env at start gets one generated into the data folder and mounted read-only; SQL files of
// schema/ are run by Postgres when the database is new.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { EventHub } from '../../electron/host/events'
import { createHandlers } from '../../electron/host/handlers'
import { startWsHost } from '../../electron/host/ws-host'
import { freeHostPort } from '../../electron/services/run/ports'
import { payloads } from '../support/recorder'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const ENV_FIXTURE = join(ROOT, 'test', 'fixtures', 'stacks', 'env-file')
const RUN = `${Date.now().toString(36)}${process.pid}`
const POSTGRES = 'slipway-test/postgres:15'
const ALPINE = 'slipway-test/alpine:3.20'
const docker = new Dockerode()

/** A private copy of `from` with a unique module name (unique image tags and compose projects). */
function copyProject(from: string, name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'slipway-stackp-')), `${name}-${RUN}`)
  cpSync(from, dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}-${RUN}`))
  return dir
}

/**
 * Removes every container, network and volume of a compose project, and the anonymous volumes its
 * containers had (a Postgres service without a volume gets one from the image's VOLUME; compose
 * does not label it, and `down` without -v keeps it).
 */
async function removeProject(project: string): Promise<void> {
  const label = `com.docker.compose.project=${project}`
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } })
  const anonymous = containers.flatMap((c) => c.Mounts.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string))
  for (const c of containers) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
  for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined)
  for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined)
  for (const v of anonymous) await docker.getVolume(v).remove().catch(() => undefined)
}

/** GETs `url` until it answers 200 (the app may still be starting). */
async function getOk(url: string): Promise<Response> {
  let res: Response | null = null
  for (let i = 0; i < 100 && res?.status !== 200; i++) {
    res = await fetch(url).catch(() => null)
    if (res?.status !== 200) await new Promise((r) => setTimeout(r, 200))
  }
  if (!res) throw new Error(`${url} never answered`)
  return res
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('The stack and the project\'s own files', () => {
  let t: TestServices
  let dir = ''
  let image = ''
  const projects: string[] = []
  const dirs: string[] = []
  /** Anonymous volumes the test's own compose files made (kept by a down without -v). */
  const volumes: string[] = []

  beforeAll(async () => {
    t = await testServices({ postgresImage: POSTGRES })
    dir = copyProject(EXAMPLE, 'it-stackp')
    dirs.push(dir)
    const { done } = await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base: 'distroless-static' })
    image = (await done).tags[0] as string
    projects.push(t.services.stacks.files(dir).project, t.services.stacks.files(dir).ownProject)
  })

  afterAll(async () => {
    if (t) {
      t.services.stacks.dispose()
      for (const p of projects) await removeProject(p)
      for (const v of volumes) await docker.getVolume(v).remove().catch(() => undefined)
      const tags = (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=slipway/*${RUN}*`])).stdout.split('\n').filter(Boolean)
      if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
      for (const d of dirs) rmSync(join(d, '..'), { recursive: true, force: true })
    }
    t?.close()
  })

  it('exports compose.yaml and .env.example through the confirmed write, and the exported file runs standalone', async () => {
    const stacks = t.services.stacks
    const exported = await stacks.export(dir)
    const compose = exported.files.find((f) => f.name === 'compose.yaml')
    const example = exported.files.find((f) => f.name === '.env.example')
    expect(compose?.current).toBeNull()
    expect(example?.current).toBeNull()
    // Nothing of this computer or secret: no Slipway labels or paths, the password only as a variable.
    expect(compose?.content).not.toContain(dir)
    expect(compose?.content).not.toContain('org.slipway')
    expect(compose?.content).toContain(`image: ${image}`)
    expect(compose?.content).toContain('${POSTGRES_PASSWORD:?')
    expect(example?.content).toMatch(/^POSTGRES_PASSWORD=change-me$/m)
    expect(readdirSync(dir)).not.toContain('compose.yaml')

    // The write is the Dockerfile's: only into an analysed folder, only if the file still holds what was shown.
    await expect(t.services.files.write(dir, 'compose.yaml', compose?.content as string, 'something else')).rejects.toMatchObject({ name: 'FileChanged' })
    await t.services.files.write(dir, 'compose.yaml', compose?.content as string, null)
    await t.services.files.write(dir, '.env.example', example?.content as string, null)
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(compose?.content)
    // A second export diffs against what is there now.
    const again = await stacks.export(dir)
    expect(again.files.find((f) => f.name === 'compose.yaml')?.current).toBe(compose?.content)
    expect(again.notices).toContain('The project already has a compose.yaml: Export replaces it with the one shown (the diff says what changes).')

    // Standalone: a person copies .env.example to .env, fills it, and runs compose in the project.
    const [appPort, dbPort] = [await freeHostPort(18000), await freeHostPort(25432)]
    const env = (example?.content as string)
      .replace(/^POSTGRES_PASSWORD=.*$/m, 'POSTGRES_PASSWORD=a-Filled-In-Password-123')
      .replace(/^APP_PORT=.*$/m, `APP_PORT=${appPort}`)
      .replace(/^DB_PORT=.*$/m, `DB_PORT=${dbPort === appPort ? dbPort + 1 : dbPort}`)
    writeFileSync(join(dir, '.env'), env)
    const project = `it-standalone-${RUN}`
    projects.push(project)
    const compose1 = (args: string[]) => run('docker-compose', ['-p', project, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' } })
    await compose1(['up', '-d'])
    const res = await getOk(`http://127.0.0.1:${appPort}/readyz`)
    // The app reached Postgres with the password from .env.
    expect(await res.json()).toEqual({ status: 'ok', database: 'reachable' })
    await compose1(['down', '--volumes'])

    // Without a password, compose refuses to start and says what to set.
    writeFileSync(join(dir, '.env'), env.replace(/^POSTGRES_PASSWORD=.*\n/m, ''))
    const refused = await compose1(['up', '-d']).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    )
    expect(refused).toMatch(/set POSTGRES_PASSWORD in \.env/)
    for (const f of ['.env', 'compose.yaml', '.env.example']) rmSync(join(dir, f))
  }, 300_000)

  it('proposes the project\'s own compose file with what it would do to this computer, runs it as it is, and never rewrites it', async () => {
    const stacks = t.services.stacks
    const files = stacks.files(dir)
    // A file that asks for far too much: said before anything starts.
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  risky:',
        `    image: ${ALPINE}`,
        '    privileged: true',
        '    network_mode: host',
        '    volumes:',
        '      - /var/run/docker.sock:/var/run/docker.sock',
        '      - ../../:/up',
        '      - ./data:/data',
        '      - /:/host:ro',
        '',
      ].join('\n'),
    )
    const risky = await stacks.propose(dir)
    expect(risky.projectCompose).toMatchObject({ file: 'docker-compose.yml', problem: null, project: files.ownProject, services: [{ name: 'risky', image: ALPINE, build: null, ports: [] }] })
    const warnings = risky.projectCompose?.warnings.join('\n') ?? ''
    expect(warnings).toMatch(/risky runs privileged/)
    expect(warnings).toMatch(/risky uses the host's network/)
    expect(warnings).toMatch(/Docker socket/)
    expect(warnings).toMatch(/the whole file system \(\/\)/)
    expect(warnings).toMatch(/outside the project folder/)
    expect(warnings).not.toMatch(/\/data/)
    // Nothing ran: proposing never starts the file.
    expect(await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${files.ownProject}`] } })).toEqual([])

    // A plain file: run as it is, under Slipway's name for it, its services live by compose's labels.
    const dbPort = await freeHostPort(26432)
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      [
        '# the team\'s own stack',
        'services:',
        '  postgres:',
        `    image: ${POSTGRES}`,
        '    environment:',
        '      POSTGRES_PASSWORD: ${TEAM_PW}',
        '    ports:',
        `      - "127.0.0.1:${dbPort}:5432"`,
        '    healthcheck:',
        '      test: ["CMD", "pg_isready", "-h", "127.0.0.1"]',
        '      interval: 1s',
        '      retries: 60',
        '  worker:',
        `    image: ${ALPINE}`,
        '    command: ["sh", "-c", "echo worker ready; sleep 3600"]',
        '',
      ].join('\n'),
    )
    // The project's own .env is read by compose as its authors meant.
    writeFileSync(join(dir, '.env'), 'TEAM_PW=team-secret-1\n')
    const before = sha(join(dir, 'docker-compose.yml'))
    const plain = await stacks.propose(dir)
    expect(plain.projectCompose).toMatchObject({ problem: null, warnings: [], services: [{ name: 'postgres' }, { name: 'worker' }] })

    // Up names the file the person reviewed: the risky one's digest no longer matches, so nothing starts.
    expect(plain.projectCompose?.digest).toBe(sha(join(dir, 'docker-compose.yml')))
    await expect(stacks.launch(dir, { jobId: crypto.randomUUID(), useProjectCompose: true, projectComposeDigest: risky.projectCompose?.digest as string }).done).rejects.toMatchObject({
      name: 'FileChanged',
    })
    expect(await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${files.ownProject}`] } })).toEqual([])
    const jobId = crypto.randomUUID()
    const status = await stacks.launch(dir, { jobId, useProjectCompose: true, projectComposeDigest: plain.projectCompose?.digest as string }).done
    expect(status).toMatchObject({ project: files.ownProject, source: 'project', up: true })
    expect(status.services.map((s) => [s.service, s.phase])).toEqual([
      ['postgres', 'healthy'],
      ['worker', 'running'],
    ])
    expect(payloads(t.rec, 'stack.done').filter((e) => e.jobId === jobId)).toHaveLength(1)
    expect((await stacks.status(dir)).source).toBe('project')
    expect((await stacks.list()).find((s) => s.project === files.ownProject)).toMatchObject({ dir, source: 'project', up: true })
    expect((await stacks.logs(dir, 'worker')).lines).toContain('worker ready')
    const pg = status.services.find((s) => s.service === 'postgres')?.containerId as string
    const pgInfo = await docker.getContainer(pg).inspect()
    expect(pgInfo.Config.Env).toContain('POSTGRES_PASSWORD=team-secret-1')
    volumes.push(...pgInfo.Mounts.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string))
    // Slipway's own stack for the folder waits until this one is down: they would fight over ports.
    await expect(stacks.launch(dir, { jobId: crypto.randomUUID(), image }).done).rejects.toMatchObject({ name: 'StackBusy' })

    const down = await stacks.down(dir)
    expect(down.services.every((s) => s.phase === 'missing')).toBe(true)
    expect(down.volumes).toEqual([])
    expect(sha(join(dir, 'docker-compose.yml'))).toBe(before)
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false)

    // A file that is not a compose file is said, and Up refuses it before starting anything.
    writeFileSync(join(dir, 'docker-compose.yml'), 'services: [oops\n')
    expect((await stacks.propose(dir)).projectCompose?.problem).toMatch(/not valid YAML/)
    await expect(stacks.launch(dir, { jobId: crypto.randomUUID(), useProjectCompose: true }).done).rejects.toMatchObject({ name: 'StackFailed' })
    rmSync(join(dir, 'docker-compose.yml'))
    rmSync(join(dir, '.env'))
    expect((await stacks.propose(dir)).projectCompose).toBeNull()
  }, 300_000)

  it('runs the project\'s SQL files from schema/ in a new database, and only files it found there', async () => {
    const stacks = t.services.stacks
    mkdirSync(join(dir, 'schema'))
    writeFileSync(join(dir, 'schema', '001_widgets.sql'), 'CREATE TABLE widgets (id serial PRIMARY KEY, name text);\nINSERT INTO widgets (name) VALUES (\'first\');\n')
    // A symlink out of the project is never proposed or mounted.
    symlinkSync('/etc/hostname', join(dir, 'schema', '002_link.sql'))
    const proposal = await stacks.propose(dir)
    expect(proposal.initdb.files).toEqual(['schema/001_widgets.sql'])
    expect(proposal.initdb.skipped).toEqual(['schema/002_link.sql (a symlink)'])
    await expect(stacks.launch(dir, { jobId: crypto.randomUUID(), image, initdb: ['schema/002_link.sql'] }).done).rejects.toMatchObject({ name: 'BadRequest' })

    const status = await stacks.launch(dir, { jobId: crypto.randomUUID(), image, initdb: ['schema/001_widgets.sql'] }).done
    expect(status.source).toBe('slipway')
    const db = status.services.find((s) => s.service === 'db')?.containerId as string
    const dbName = proposal.dbName
    const { stdout } = await run('docker', ['exec', db, 'psql', '-U', 'app', '-d', dbName, '-tAc', 'SELECT name FROM widgets'])
    expect(stdout.trim()).toBe('first')
    const mounts = (await docker.getContainer(db).inspect()).Mounts
    expect(mounts).toContainEqual(expect.objectContaining({ Type: 'bind', Source: join(dir, 'schema', '001_widgets.sql'), Destination: '/docker-entrypoint-initdb.d/schema_001_widgets.sql', RW: false }))
    // The database exists now: the next proposal says the files would not run again.
    expect((await stacks.propose(dir)).notices.join('\n')).toMatch(/runs the project's SQL files only when it makes a new one/)
    await stacks.down(dir, { removeVolumes: true })
    rmSync(join(dir, 'schema'), { recursive: true })
  }, 300_000)

  it('generates the .env a program reads at start into the data folder and mounts it read-only where the program looks', async () => {
    const envDir = copyProject(ENV_FIXTURE, 'it-stackenv')
    dirs.push(envDir)
    const stacks = t.services.stacks
    const files = stacks.files(envDir)
    projects.push(files.project)
    const before = readdirSync(envDir).sort()
    const proposal = await stacks.propose(envDir)
    expect(proposal.envFile).toEqual({ path: files.appEnvFile, target: '/app/.env' })

    const status = await stacks.launch(envDir, { jobId: crypto.randomUUID(), base: 'distroless-static', env: { API_KEY: 'key-from-the-stack' } }).done
    expect(status.up).toBe(true)
    const app = status.services.find((s) => s.service === 'app')
    const fromFile = (await (await getOk(`http://127.0.0.1:${app?.ports[0]?.host}/envfile`)).json()) as Record<string, string>
    expect(fromFile.API_KEY).toBe('key-from-the-stack')
    // The database URL with the real password, as in the container's environment.
    const password = readFileSync(files.envFile, 'utf8').split('=')[1]?.trim() as string
    expect(fromFile.DATABASE_URL).toBe(`postgres://app:${password}@db:5432/${proposal.dbName}?sslmode=disable`)
    const info = await docker.getContainer(app?.containerId as string).inspect()
    expect(info.Mounts).toContainEqual(expect.objectContaining({ Type: 'bind', Source: files.appEnvFile, Destination: '/app/.env', RW: false }))
    // Secret: readable by the image's user only, in the data folder; nothing was written into the project or the image.
    const st = statSync(files.appEnvFile)
    expect(st.mode & 0o777).toBe(0o600)
    expect(st.uid).toBe(65532)
    expect(readdirSync(envDir).sort()).toEqual(before)
    // The image carries only an empty placeholder where the program looks (made in the build stage,
    // so the program starts under a plain docker run -e); the project's .env is never copied.
    const imageFiles = await run('docker', ['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', app?.image as string])
    expect(imageFiles.stdout.split('\n').filter((l) => /\.env/.test(l))).toEqual([expect.stringMatching(/^COPY \/out\/\.slipway-empty \/app\/\.env\b/)])
    const probe = (await run('docker', ['container', 'create', '--label', `org.slipway.it=stackp-${RUN}`, app?.image as string])).stdout.trim()
    const copied = join(mkdtempSync(join(tmpdir(), 'slipway-stackp-env-')), 'env')
    await run('docker', ['cp', `${probe}:/app/.env`, copied]).finally(() => run('docker', ['rm', '-f', probe]))
    expect(statSync(copied).size).toBe(0)
    rmSync(join(copied, '..'), { recursive: true, force: true })
    await stacks.down(envDir, { removeVolumes: true })
  }, 300_000)

  it('ends the follow streams of a browser page when it goes away without unfollowing', async () => {
    const handlers = createHandlers(t.services, { name: 'Slipway', version: '0', platform: 'linux', transport: 'websocket', defaultProject: null })
    const host = await startWsHost({ handlers, hub: new EventHub(), port: 0 })
    try {
      const page = async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(host.token)}`)
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
        const answer = new Promise<{ result: { streamId: string } }>((resolve) =>
          ws.on('message', (d) => {
            const m = JSON.parse(String(d)) as { id?: number; result: { streamId: string } }
            if (m.id === 1) resolve(m)
          }),
        )
        ws.send(JSON.stringify({ id: 1, method: 'stack.follow', args: [dir, { tail: 10 }] }))
        return { ws, streamId: (await answer).result.streamId }
      }
      const [gone, staying] = [await page(), await page()]
      gone.ws.close()
      await new Promise((r) => setTimeout(r, 300))
      // The closed page's stream was ended by the host; the open page's still lives.
      expect(t.services.stacks.unfollow(gone.streamId)).toBe(false)
      expect(t.services.stacks.unfollow(staying.streamId)).toBe(true)
      staying.ws.close()
    } finally {
      await host.close()
    }
  })
})
