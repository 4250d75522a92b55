// The Runs service on the real engine: the example built here (stand-in builder and distroless
// base) is proposed (port 8080 from its code and EXPOSE, DATABASE_URL masked), started on a
// loopback-published port and answers /healthz through the URL the service gives; logs arrive as
// numbered events; stop → exited, remove → gone. A taken port is refused with the free one named;
// a container that exits at once shows its exit code and its last line; args are an array.
// `slipway run` drives the same service: exit code passed through, Ctrl-C stops and removes.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningContainer } from '../../shared/types/build'
import { buildProjectImage, removeImage, TEST_ALPINE } from '../support/build-image'
import { buildImage } from '../support/docker-build'
import { payloads } from '../support/recorder'
import { testServices, type TestServices } from '../support/services'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const HELLO = `slipway-it-run/hello:${RUN}`
const BYE = `slipway-it-run/bye:${RUN}`
/** An image labelled as built from config-libs' cobra main (no Go build needed: only its labels and CMD are read). */
const COBRA = `slipway-it-run/cobra:${RUN}`
const FIXTURES = join(ROOT, 'test', 'fixtures', 'go')
const docker = new Dockerode()

/** Polls `f` until it returns something truthy. */
async function until<T>(f: () => T | Promise<T>, what: string, ms = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** GET url until it answers (the server needs a moment after the container starts). */
async function get(url: string): Promise<{ status: number; body: string }> {
  return until(
    () =>
      fetch(url).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        () => null,
      ),
    `an answer from ${url}`,
  )
}

function listen(port: number, host: string): Promise<Server | null> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(null))
    s.listen({ port, host }, () => resolve(s))
  })
}

describe('Runs service on the real engine', () => {
  let t: TestServices
  const started: string[] = []
  const track = (c: RunningContainer) => (started.push(c.id), c)

  beforeAll(async () => {
    t = await testServices()
    const ctx = mkdtempSync(join(tmpdir(), 'slipway-run-ctx-'))
    await Promise.all([
      buildProjectImage(docker, EXAMPLE, { tag: HELLO }),
      buildImage(docker, { contextDir: ctx, dockerfile: `FROM ${TEST_ALPINE}\nCMD ["sh","-c","echo starting; echo bye; exit 3"]\n`, tag: BYE, buildkit: true }),
      buildImage(docker, { contextDir: ctx, dockerfile: `FROM ${TEST_ALPINE}\nLABEL org.slipway.main=cmd/cobra\n`, tag: COBRA, buildkit: true }),
    ])
    rmSync(ctx, { recursive: true, force: true })
  })

  afterAll(async () => {
    t?.services.runs.dispose()
    for (const id of started) await docker.getContainer(id).remove({ force: true }).catch(() => undefined)
    t?.close()
    await removeImage(docker, HELLO)
    await removeImage(docker, BYE)
    await removeImage(docker, COBRA)
  })

  it('proposes the port the code listens on and the variables it reads, secrets marked', async () => {
    const p = await t.services.runs.propose(HELLO, { dir: EXAMPLE })
    expect(p.dir).toBe(EXAMPLE)
    const port = p.ports.find((x) => x.container === 8080)
    expect(port).toMatchObject({ container: 8080, detected: true, exposed: true })
    expect(port?.hostTaken).toBe(port?.host !== 8080)
    const env = Object.fromEntries(p.env.map((e) => [e.name, e]))
    expect(env.DATABASE_URL).toMatchObject({ value: '', secret: true, evidence: 'main.go:46' })
    expect(env.PORT).toMatchObject({ value: '8080', secret: false })
    expect(env.TZ_NAME).toMatchObject({ value: 'UTC', secret: false })
    // Without a folder, only what the image says: EXPOSE 8080, and no variables.
    const bare = await t.services.runs.propose(HELLO)
    expect(bare.ports.map((x) => [x.container, x.exposed, x.detected])).toEqual([[8080, true, false]])
    expect(bare.env).toEqual([])
  })

  it('asks for what the program stops without: a required variable, and a required flag of the main the image was built from', async () => {
    const p = await t.services.runs.propose(BYE, { dir: join(FIXTURES, 'ports') })
    expect(p.env.map((e) => [e.name, e.value, e.required ?? false])).toEqual([
      ['PORT', '', false],
      ['GREETING', '', true],
    ])
    expect(p.ports.map((x) => [x.container, x.detected])).toEqual([[8090, true]])
    expect(p.requiredFlags).toBeUndefined()
    // The label names cmd/cobra (not the folder's default main): its --token is asked for.
    const cobra = await t.services.runs.propose(COBRA, { dir: join(FIXTURES, 'config-libs') })
    expect(cobra.requiredFlags).toEqual(['token'])
    expect(cobra.ports.map((x) => x.container)).toEqual([8106])
  })

  it('starts the example on a loopback port, answers through its URL, streams logs, stops and removes it', async () => {
    const { ports } = await t.services.runs.propose(HELLO, { dir: EXAMPLE })
    const host = (ports[0] as { host: number }).host
    const c = track(await t.services.runs.start({ image: HELLO, ports: [{ host, container: 8080 }], env: { TZ_NAME: 'Europe/Berlin' } }))
    expect(c).toMatchObject({ state: 'running', exitCode: null, ports: [{ host, container: 8080 }], urls: [`http://localhost:${host}`] })

    const health = await get(`${c.urls[0]}/healthz`)
    expect(health.status).toBe(200)
    // The variable reached the program: it reports the zone it was given.
    expect(JSON.parse((await get(`${c.urls[0]}/`)).body)).toMatchObject({ time_zone: 'Europe/Berlin' })

    // Published on loopback only, labelled as Slipway's.
    const info = await docker.getContainer(c.id).inspect()
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(host) }] })
    expect(info.Config.Labels).toMatchObject({ 'org.slipway.run': '1' })

    // Logs arrive as events: the start line and the request log, numbered without gaps.
    const logs = () => payloads(t.rec, 'run.log').filter((e) => e.containerId === c.id)
    await until(() => logs().some((e) => e.lines.some((l) => l.includes('/healthz'))), 'the request in the log')
    expect(logs().flatMap((e) => e.lines)[0]).toMatch(/"msg":"starting server".*"addr":":8080"/)
    let seq = 0
    for (const e of logs()) {
      expect(e.seq).toBe(seq)
      seq += e.lines.length
    }
    const kept = await t.services.runs.logs(c.id)
    expect(kept.next).toBeGreaterThanOrEqual(seq)
    expect(kept.lines[0]?.line).toMatch(/starting server/)

    expect((await t.services.runs.list()).find((x) => x.id === c.id)).toMatchObject({ state: 'running' })

    const stopped = await t.services.runs.stop(c.id)
    expect(stopped).toMatchObject({ id: c.id, state: 'exited', exitCode: 0 })
    expect(payloads(t.rec, 'run.state').filter((s) => s.id === c.id).map((s) => s.state)).toEqual(['running', 'exited'])
    // It shut down gracefully on SIGTERM, and said so.
    expect(logs().flatMap((e) => e.lines).join('\n')).toMatch(/server stopped/)
    await expect(fetch(`${c.urls[0]}/healthz`)).rejects.toThrow()

    await t.services.runs.remove(c.id)
    expect(payloads(t.rec, 'run.state').filter((s) => s.id === c.id).at(-1)?.state).toBe('removed')
    await expect(docker.getContainer(c.id).inspect()).rejects.toMatchObject({ statusCode: 404 })
    expect((await t.services.runs.list()).some((x) => x.id === c.id)).toBe(false)
  })

  it('refuses a taken host port, naming a free one, and proposes another port', async () => {
    // 8080 is taken for this test: by us, or by whatever already holds it on this machine.
    const held = await listen(8080, '0.0.0.0')
    try {
      const before = (await t.services.runs.list()).length
      const p = await t.services.runs.propose(HELLO, { dir: EXAMPLE })
      const port = p.ports.find((x) => x.container === 8080)
      expect(port?.hostTaken).toBe(true)
      expect(port?.host).not.toBe(8080)
      // The proposed one really is free.
      const probe = await listen(port?.host as number, '127.0.0.1')
      expect(probe).not.toBeNull()
      await new Promise((r) => probe?.close(r))

      const err = await t.services.runs.start({ image: HELLO, ports: [{ host: 8080, container: 8080 }] }).catch((e: unknown) => e)
      expect(err).toMatchObject({ name: 'PortInUse', message: 'Port 8080 is already in use on this computer.' })
      const free = Number(/Use port (\d+) instead/.exec((err as { detail: string }).detail)?.[1])
      expect(free).toBeGreaterThan(0)
      expect(free).not.toBe(8080)
      // Nothing was left behind.
      expect((await t.services.runs.list()).length).toBe(before)
    } finally {
      await new Promise((r) => (held ? held.close(r) : r(undefined)))
    }
  })

  it('a container that exits at once shows exit code 3 and its last line', async () => {
    const c = track(await t.services.runs.start({ image: BYE }))
    const exited = await until(() => payloads(t.rec, 'run.state').find((s) => s.id === c.id && s.state === 'exited'), 'the exit')
    expect(exited.exitCode).toBe(3)
    // The lines came before the exit state, so a front end never shows "exited 3" without its reason.
    const lines = payloads(t.rec, 'run.log')
      .filter((e) => e.containerId === c.id)
      .flatMap((e) => e.lines)
    expect(lines).toEqual(['starting', 'bye'])
    const at = (test: (e: { event: string; payload: unknown }) => boolean) => t.rec.seen.findIndex(test)
    const byeAt = at((e) => e.event === 'run.log' && (e.payload as { lines: string[] }).lines.includes('bye'))
    const exitAt = at((e) => e.event === 'run.state' && (e.payload as RunningContainer).id === c.id && (e.payload as RunningContainer).state === 'exited')
    expect(byeAt).toBeGreaterThanOrEqual(0)
    expect(exitAt).toBeGreaterThan(byeAt)
    expect(payloads(t.rec, 'run.state').filter((s) => s.id === c.id && s.state === 'exited')).toHaveLength(1)
    const kept = await t.services.runs.logs(c.id)
    expect(kept.lines.at(-1)).toEqual({ stream: 'stdout', line: 'bye' })
    expect((await t.services.runs.list()).find((x) => x.id === c.id)).toMatchObject({ state: 'exited', exitCode: 3 })
  })

  it('passes arguments as an array (no shell of ours), env values verbatim, and keeps stderr apart', async () => {
    const tricky = `it's "quoted"; $(echo no) && exit 9`
    const c = track(
      await t.services.runs.start({ image: BYE, args: ['sh', '-c', 'echo "$GREETING" >&2; echo "$1"; exit 4', 'sh', tricky], env: { GREETING: 'a=b c' } }),
    )
    const exited = await until(() => payloads(t.rec, 'run.state').find((s) => s.id === c.id && s.state === 'exited'), 'the exit')
    expect(exited.exitCode).toBe(4)
    const events = payloads(t.rec, 'run.log').filter((e) => e.containerId === c.id)
    expect(events.filter((e) => e.stream === 'stderr').flatMap((e) => e.lines)).toEqual(['a=b c'])
    expect(events.filter((e) => e.stream === 'stdout').flatMap((e) => e.lines)).toEqual([tricky])
  })

  it('leaves containers it did not start alone', async () => {
    const other = await docker.createContainer({ Image: TEST_ALPINE, Cmd: ['true'], name: `slipway-it-other-${RUN}` })
    try {
      await expect(t.services.runs.stop(other.id)).rejects.toMatchObject({ name: 'ContainerNotFound', message: /was not started by Slipway/ })
      await expect(t.services.runs.remove(other.id)).rejects.toMatchObject({ name: 'ContainerNotFound' })
      await expect(other.inspect()).resolves.toMatchObject({ Id: other.id })
      expect((await t.services.runs.list()).some((x) => x.id === other.id)).toBe(false)
    } finally {
      await other.remove({ force: true })
    }
  })

  it('says which image is missing', async () => {
    await expect(t.services.runs.propose(`slipway-it-run/missing:${RUN}`)).rejects.toMatchObject({ name: 'ImageNotFound' })
    await expect(t.services.runs.start({ image: `slipway-it-run/missing:${RUN}` })).rejects.toMatchObject({ name: 'ImageNotFound' })
  })
})

describe('slipway run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-run-cli-'))
  const env = { ...process.env, SLIPWAY_DATA_DIR: dataDir }
  const slipway = join(ROOT, 'bin/slipway.mjs')
  // Slipway's run containers of this image (its id is the same in every run: a cached build) that
  // were not there before these tests, so that one a killed earlier run left behind is not counted.
  const runContainers = async () => (await docker.listContainers({ all: true, filters: { label: ['org.slipway.run=1'], ancestor: [BYE] } })).map((c) => c.Id)
  let earlier = new Set<string>()
  const ours = async () => (await runContainers()).filter((id) => !earlier.has(id)).length

  beforeAll(async () => {
    // The images of the service tests are gone by now: build the one-liner again (cached, instant).
    const ctx = mkdtempSync(join(tmpdir(), 'slipway-run-ctx-'))
    await buildImage(docker, { contextDir: ctx, dockerfile: `FROM ${TEST_ALPINE}\nCMD ["sh","-c","echo starting; echo bye; exit 3"]\n`, tag: BYE, buildkit: true })
    rmSync(ctx, { recursive: true, force: true })
    earlier = new Set(await runContainers())
  })
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true })
    await removeImage(docker, BYE)
  })

  it("exits with the container's exit code, prints its output, and removes it", async () => {
    const err = await promisify(execFile)(process.execPath, [slipway, 'run', BYE], { cwd: ROOT, env }).catch((e: { code: number; stdout: string; stderr: string }) => e)
    expect(err).toMatchObject({ code: 3, stdout: 'starting\nbye\n' })
    expect((err as { stderr: string }).stderr).toMatch(/exited with 3\./)
    expect(await ours()).toBe(0)
  })

  it('streams logs until Ctrl-C, serves on the published loopback port meanwhile, then stops and removes the container', async () => {
    const server = createServer()
    const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)))
    await new Promise((r) => server.close(r))
    // busybox httpd answers on the published port; the shell (PID 1) ends on SIGTERM, as a server should.
    const child = spawn(process.execPath, [slipway, 'run', BYE, '-p', `${port}:8000`, '-e', 'WHO=cli', '--', 'sh', '-c', 'echo "hello $WHO" > /tmp/index.html; trap "echo stopping; exit 0" TERM; httpd -f -v -p 8000 -h /tmp & echo ready; wait'], {
      cwd: ROOT,
      env,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    await until(() => /Ctrl-C stops/.test(stderr), 'the start message')
    expect(stderr).toContain(`http://localhost:${port}  →  container port 8000`)
    const page = await get(`http://localhost:${port}/index.html`)
    expect(page).toEqual({ status: 200, body: 'hello cli\n' })
    await until(() => stdout.includes('ready'), 'the log line')
    expect(await ours()).toBe(1)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toMatch(/Stopping .*…/)
    // The stop was graceful (SIGTERM reached the program), and its last words were streamed.
    expect(stdout).toMatch(/stopping\n$/)
    expect(await ours()).toBe(0)
  })

  it('refuses a bad port mapping or variable name before touching the engine', async () => {
    const bad = (args: string[]) => promisify(execFile)(process.execPath, [slipway, 'run', BYE, ...args], { cwd: ROOT, env }).catch((e: { code: number; stderr: string }) => e)
    const [port, name] = await Promise.all([bad(['-p', '99999:80']), bad(['-e', '1X=y'])])
    expect(port).toMatchObject({ code: 2, stderr: expect.stringMatching(/not a port mapping/) })
    expect(name).toMatchObject({ code: 2, stderr: expect.stringMatching(/not a variable name/) })
  })
})
