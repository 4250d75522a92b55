// `slipway up|ps|logs|down` as a person runs them (the bundled CLI, a real engine, docker-compose
// v1): the same data folder as the services, so a stack the CLI starts is the one the service
// (and the app) sees. up --detach returns with the stack healthy; ps and ps --json show it; logs
// merges services and -f follows until Ctrl-C; down without --volumes keeps the data and off a
// terminal --volumes deletes it; an attached up prints the logs and Ctrl-C takes it down, data kept.
import { execFile, spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StackStatus } from '../../shared/stack/types'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const POSTGRES = 'slipway-test/postgres:15'
const docker = new Dockerode()

describe('slipway up / ps / logs / down', () => {
  let t: TestServices
  let dir = ''
  let project = ''
  const env = () => ({ ...process.env, SLIPWAY_DATA_DIR: t.dataDir })
  const slipway = (args: string[]) => run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), ...args], { cwd: ROOT, env: env(), maxBuffer: 16 * 1024 * 1024 })

  beforeAll(async () => {
    t = await testServices({ postgresImage: POSTGRES })
    dir = join(mkdtempSync(join(tmpdir(), 'slipway-stackcli-')), `it-stackcli-${RUN}`)
    cpSync(EXAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/it-stackcli-${RUN}`))
    project = t.services.stacks.files(dir).project
    await (await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base: 'distroless-static' })).done
  })

  afterAll(async () => {
    if (t && dir) {
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

  it('up --detach, ps, logs, down keeps the data, down --volumes off a terminal deletes it', async () => {
    const up = await slipway(['up', dir, '--detach'])
    expect(up.stderr).toMatch(/^Starting the services…$/m)
    expect(up.stderr).toMatch(/^ {2}db {3}healthy$/m)
    expect(up.stderr).toMatch(/^The stack is up:$/m)
    expect(up.stderr).toMatch(/^ {2}open {3}http:\/\/127\.0\.0\.1:\d+$/m)
    // The service sees what the CLI started.
    const seen = await t.services.stacks.status(dir)
    expect(seen).toMatchObject({ project, up: true, defined: true })

    const ps = await slipway(['ps', dir])
    expect(ps.stdout).toMatch(/^SERVICE +STATE +PORTS +IMAGE$/m)
    expect(ps.stdout).toMatch(new RegExp(`^db +healthy +127\\.0\\.0\\.1:${seen.connection?.dbHostPort}->5432 +${POSTGRES.replace('/', '\\/')}$`, 'm'))
    expect(ps.stdout).toContain(`psql     ${seen.connection?.psql}`)
    const json = JSON.parse((await slipway(['ps', dir, '--json'])).stdout) as StackStatus
    expect(json).toEqual(seen)

    const logs = await slipway(['logs', dir])
    expect(logs.stdout).toMatch(/^app +\| .*starting server/m)
    expect(logs.stdout).toMatch(/^db +\| /m)
    const appOnly = await slipway(['logs', dir, 'app'])
    expect(appOnly.stdout).toMatch(/^\{.*starting server/m)
    expect(appOnly.stdout).not.toMatch(/^db +\|/m)
    const bad = await slipway(['logs', dir, 'cache']).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/no container for the service "cache"\. It has: app, db\./) })

    // -f follows until Ctrl-C: a restart's new lines arrive, then SIGINT ends it with 0.
    const follow = spawn(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'logs', dir, 'app', '-f', '--tail', '0'], { cwd: ROOT, env: env() })
    let followed = ''
    let said = ''
    follow.stdout.on('data', (b: Buffer) => (followed += b.toString()))
    follow.stderr.on('data', (b: Buffer) => (said += b.toString()))
    // It says when it follows (a fixed wait lost the restart's lines on a loaded machine).
    await expect.poll(() => said, { timeout: 60_000 }).toContain("Following the app service's log; Ctrl-C stops.")
    await t.services.stacks.restart(dir, 'app')
    for (let i = 0; i < 100 && !followed.includes('starting server'); i++) await new Promise((r) => setTimeout(r, 100))
    expect(followed).toContain('starting server')
    follow.kill('SIGINT')
    expect(await new Promise((r) => follow.once('exit', r))).toBe(0)

    const volume = `${project}_db-data`
    const down = await slipway(['down', dir])
    expect(down.stderr).toBe(`The stack is down. Its data is kept in ${volume}.\n`)
    expect((await docker.listVolumes({ filters: { name: [volume] } })).Volumes?.map((v) => v.Name)).toEqual([volume])
    const gone = await slipway(['down', dir, '--volumes'])
    expect(gone.stderr).toBe('The stack is down. No volume is left.\n')
    expect((await docker.listVolumes({ filters: { name: [volume] } })).Volumes ?? []).toEqual([])
  })

  it('up attached prints the merged logs; Ctrl-C takes the stack down and keeps the data', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'up', dir], { cwd: ROOT, env: env() })
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    const exited = new Promise<number | null>((r) => child.once('exit', r))
    for (let i = 0; i < 1200 && !(err.includes('Attached to the logs') && /^app +\| .*starting server/m.test(out)); i++) await new Promise((r) => setTimeout(r, 100))
    expect(err).toContain('Attached to the logs. Ctrl-C takes the stack down (the database is kept).')
    expect(out).toMatch(/^app +\| .*starting server/m)
    expect((await t.services.stacks.status(dir)).up).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    const after = await t.services.stacks.status(dir)
    expect(after.services.every((s) => s.phase === 'missing')).toBe(true)
    expect(after.volumes).toEqual([`${project}_db-data`])
  })

  it('up --own-compose lists what the project file would do and, off a terminal, starts a risky one only with --yes', async () => {
    const own = t.services.stacks.files(dir).ownProject
    const label = `com.docker.compose.project=${own}`
    const file = join(dir, 'compose.yaml')
    try {
      writeFileSync(file, 'services:\n  risky:\n    image: slipway-test/alpine:3.20\n    privileged: true\n    command: ["sleep", "3600"]\n')
      const refused = await slipway(['up', dir, '--own-compose', '--detach']).catch((e: { code: number; stderr: string }) => e)
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/risky runs privileged[\s\S]*Nothing was started: add --yes/) })
      expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([])

      writeFileSync(file, 'services:\n  worker:\n    image: slipway-test/alpine:3.20\n    command: ["sh", "-c", "echo hello from worker; sleep 3600"]\n')
      const up = await slipway(['up', dir, '--own-compose', '--detach'])
      expect(up.stderr).toMatch(new RegExp(`Running compose.yaml as it is \\(services: worker\\) as ${own}`))
      expect(up.stderr).toMatch(/^ {2}worker running$/m)
      const ps = JSON.parse((await slipway(['ps', dir, '--json'])).stdout) as StackStatus
      expect(ps).toMatchObject({ project: own, source: 'project', up: true })
      expect((await slipway(['logs', dir, 'worker'])).stdout).toContain('hello from worker')
      await slipway(['down', dir])
      expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([])
    } finally {
      rmSync(file, { force: true })
      for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
      for (const n of await docker.listNetworks({ filters: { label: [label] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined)
    }
  })
})
