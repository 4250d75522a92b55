// The Bases service on the real mirror and the real engine: the static base made from Debian
// packages (expected files, nothing of apt/dpkg, no shell, the labels naming every package), made
// again from an empty cache to the same image id, and used to build AND run the example. A mirror
// on 127.0.0.1 that proxies the real one and alters what it serves: a tampered index, a tampered
// .deb, a download cut off mid-way — each refused with its error and nothing loaded or left in the
// data folder; cancel at every phase leaves nothing either. `slipway bases` drives the same service.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodePath } from '../../shared/layers/paths'
import type { MakePhase } from '../../shared/debian/types'
import { readAptSources, suiteMirrors } from '../../electron/services/bases/apt-config'
import { Bases } from '../../electron/services/bases/bases'
import { madeBaseOf, type MadeBaseId } from '../../shared/debian/recipes'
import { removeImage } from '../support/build-image'
import { payloads, Recorder } from '../support/recorder'
import { STAND_IN_BASES, testServices, type TestServices } from '../support/services'
import { standIn } from '../support/stand-ins'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const STATIC = 'slipway-made/static:bookworm'
const RUN = `${Date.now().toString(36)}${process.pid}`
const docker = new Dockerode()
const uuid = () => crypto.randomUUID()

/** What the engine has of made bases: every image made by Slipway, and what STATIC names now. */
async function engineImages(): Promise<{ ids: string[]; staticId: string | null }> {
  // Only made bases: other tests running at the same time add and remove their own images, and an
  // image built FROM a made base carries its labels (madeBaseOf tells them apart).
  const labelled = await docker.listImages({ all: true, filters: { label: ['org.slipway.made'] } })
  const made = await Promise.all(labelled.map((i) => docker.getImage(i.Id).inspect().then((info) => (madeBaseOf(info) ? i.Id : null), () => null)))
  const ids = made.filter((id): id is string => id !== null).sort()
  const staticId = await docker
    .getImage(STATIC)
    .inspect()
    .then((i) => i.Id, () => null)
  return { ids, staticId }
}

/** Files left in the data folder's temp and cache folders that are not finished, verified files. */
function leftovers(dataDir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    if (!existsSync(d)) return
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (d.endsWith('tmp') || e.name.endsWith('.part')) out.push(join(d, e.name))
    }
  }
  walk(join(dataDir, 'tmp'))
  walk(join(dataDir, 'cache', 'debian'))
  return out
}

/** A Bases service and the recorder of its events. */
interface Maker {
  bases: Bases
  rec: Recorder
  dataDir: string
}
const maker = (t: TestServices): Maker => ({ bases: t.services.bases, rec: t.rec, dataDir: t.dataDir })

type Fault = 'none' | 'tamper-release' | 'tamper-index' | 'tamper-deb' | 'cut-deb' | 'hold-deb'

/**
 * A Debian mirror on 127.0.0.1 that serves the real mirrors' files (/debian/ and /debian-security/),
 * altered as `fault` says, and an apt configuration folder whose sources name it for every suite.
 */
async function faultyMirror(upstream: { debian: string; security: string }): Promise<{ server: Server; aptEtc: string; setFault(f: Fault): void }> {
  let fault: Fault = 'none'
  const server = createServer((req, res) => {
    void (async () => {
      const m = /^\/(debian|debian-security)\/(.*)$/.exec(req.url ?? '')
      if (!m) {
        res.writeHead(404).end()
        return
      }
      const path = m[2]!
      // The real mirror may drop a connection now and then; only the faults below are this test's.
      const url = `${m[1] === 'debian' ? upstream.debian : upstream.security}/${path}`
      let up: Response | null = null
      for (let i = 0; !up; i++) up = await fetch(url).catch((e: unknown) => (i < 3 ? null : Promise.reject(e)))
      if (!up.ok) {
        res.writeHead(up.status).end()
        return
      }
      let body = Buffer.from(await up.arrayBuffer())
      const isDeb = path.endsWith('.deb')
      // The signed text altered (one word), its signature kept.
      if (fault === 'tamper-release' && path.endsWith('/InRelease')) body = Buffer.from(body.toString('utf8').replace('Origin: Debian', 'Origin: Dabian'))
      if ((fault === 'tamper-index' && /Packages\.(xz|gz)$/.test(path)) || (fault === 'tamper-deb' && isDeb)) body[body.length >> 1]! ^= 0xff
      if (fault === 'cut-deb' && isDeb) {
        res.writeHead(200, { 'content-length': body.length })
        // Half the bytes, then the connection drops (after the headers surely arrived).
        res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 300))
        return
      }
      if (fault === 'hold-deb' && isDeb) return // never answers; only a cancel ends the wait
      res.writeHead(200, { 'content-length': body.length }).end(body)
    })().catch(() => res.socket?.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const aptEtc = mkdtempSync(join(tmpdir(), 'slipway-apt-'))
  mkdirSync(join(aptEtc, 'sources.list.d'))
  writeFileSync(
    join(aptEtc, 'sources.list.d', 'debian.sources'),
    `Types: deb\nURIs: http://127.0.0.1:${port}/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://127.0.0.1:${port}/debian-security\nSuites: bookworm-security\nComponents: main\n`,
  )
  return { server, aptEtc, setFault: (f) => (fault = f) }
}

describe('Bases made from the Debian mirror', () => {
  let t: TestServices
  const cleanup: (() => Promise<void> | void)[] = []

  beforeAll(async () => {
    t = await testServices()
  })
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c()
    t?.close()
  })

  /** Makes `ids` with `s` and waits for the job's end event; `cancelAt`: cancel as soon as that phase is reported. */
  async function make(s: Maker, ids: MadeBaseId[], cancelAt?: MakePhase) {
    const jobId = uuid()
    const ended = Promise.race([
      s.rec.waitFor('bases.done', (e) => e.jobId === jobId, 300_000),
      s.rec.waitFor('bases.failed', (e) => e.jobId === jobId, 300_000),
    ])
    // Resolves true once cancelled, false when the job ended without reaching `cancelAt`.
    const cancelled = cancelAt
      ? Promise.race([s.rec.waitFor('bases.progress', (e) => e.jobId === jobId && e.phase === cancelAt, 300_000).then(() => s.bases.cancel(jobId)), ended.then(() => false)])
      : Promise.resolve(false)
    s.bases.make(jobId, ids)
    await ended
    const failed = payloads(s.rec, 'bases.failed').find((e) => e.jobId === jobId)
    if (cancelAt && !(await cancelled)) throw new Error(`the job ended before ${cancelAt}: ${JSON.stringify(failed?.error)}`)
    return {
      cancelled: await cancelled,
      done: payloads(s.rec, 'bases.done').find((e) => e.jobId === jobId) ?? null,
      failed: payloads(s.rec, 'bases.failed').find((e) => e.jobId === jobId) ?? null,
      progress: payloads(s.rec, 'bases.progress').filter((e) => e.jobId === jobId),
    }
  }

  it('makes the static base: CA bundle, tz data, nonroot accounts, nothing of apt, dpkg or a shell; packages in the labels', async () => {
    const r = await make(maker(t), ['static'])
    expect(r.failed).toBeNull()
    const made = r.done!.made[0]!
    expect(made).toMatchObject({ id: 'static', image: STATIC })
    expect(made.packages.map((p) => p.name)).toEqual(['ca-certificates', 'tzdata'])
    for (const p of made.packages) expect(p.version).toMatch(/^[0-9]/)
    // Every phase reported, the signature checked with the system's keyring.
    expect(new Set(r.progress.map((p) => p.phase))).toEqual(new Set(['indexes', 'resolving', 'downloading', 'unpacking', 'loading']))
    expect(r.progress.some((p) => /bookworm: InRelease signed by [0-9a-f]{16}/.test(p.message))).toBe(true)

    const info = await docker.getImage(STATIC).inspect()
    expect(info.Id).toBe(made.imageId)
    expect(info.Config.User).toBe('65532:65532')
    expect(info.Config.Labels).toMatchObject({
      'org.slipway.made': 'static',
      'org.slipway.made.suite': 'bookworm',
      'org.slipway.made.packages': made.packages.map((p) => `${p.name}=${p.version}`).join(' '),
    })
    expect(info.Size).toBeGreaterThan(1_000_000)
    expect(info.Size).toBeLessThan(3_000_000)

    // What the layer explorer shows.
    const index = await t.services.layers.index(STATIC)
    const paths = new Set(Array.from(index.tree.node, (n) => nodePath(index.paths, n)))
    for (const p of ['/etc/ssl/certs/ca-certificates.crt', '/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/Europe/Berlin', '/etc/passwd', '/etc/group', '/tmp', '/home/nonroot']) {
      expect(paths, p).toContain(p)
    }
    const forbidden = [...paths].filter((p) => /\/(apt|dpkg)(\/|$)|^\/bin(\/|$)|^\/usr\/bin(\/|$)|\/sh$/.test(p))
    expect(forbidden).toEqual([])

    // list() says it is there, current, with its packages.
    const listed = (await t.services.bases.list()).find((b) => b.id === 'static')!
    expect(listed).toMatchObject({ present: true, current: true, imageId: made.imageId, image: STATIC })
    expect(listed.packages).toEqual(made.packages)
    expect(leftovers(t.dataDir)).toEqual([])
  })

  it('makes the same image id again from an empty cache (reproducible)', async () => {
    const before = (await docker.getImage(STATIC).inspect()).Id
    await removeImage(docker, STATIC)
    const fresh = await testServices()
    cleanup.push(() => fresh.close())
    const r = await make(maker(fresh), ['static'])
    expect(r.failed).toBeNull()
    expect(r.done!.made[0]!.imageId).toBe(before)
  })

  /** Builds a copy of the example (its own module name) on `base` with `s`; the image's tag. */
  async function buildExample(s: TestServices, base: string, name: string): Promise<{ tag: string; dir: string }> {
    const dir = join(mkdtempSync(join(tmpdir(), 'slipway-bases-')), `${name}-${RUN}`)
    cpSync(EXAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}-${RUN}`))
    cleanup.push(() => rmSync(join(dir, '..'), { recursive: true, force: true }))
    const jobId = uuid()
    const ended = Promise.race([s.rec.waitFor('build.done', (e) => e.jobId === jobId, 240_000), s.rec.waitFor('build.failed', (e) => e.jobId === jobId, 240_000)])
    await s.services.builds.start({ jobId, dir, base })
    await ended
    const failed = payloads(s.rec, 'build.failed').find((e) => e.jobId === jobId)
    expect(failed?.error).toBeUndefined()
    const tag = payloads(s.rec, 'build.done').find((e) => e.jobId === jobId)!.record.tags[0]!
    cleanup.push(() => removeImage(docker, tag))
    return { tag, dir }
  }

  /** Runs the example's image and reads its answer; the container's user too. */
  async function runExample(s: TestServices, tag: string, dir: string): Promise<{ answer: unknown; user: string }> {
    const { ports } = await s.services.runs.propose(tag, { dir })
    const host = ports.find((p) => p.container === 8080)!.host
    const c = await s.services.runs.start({ image: tag, ports: [{ host, container: 8080 }], env: { TZ_NAME: 'Europe/Berlin' } })
    cleanup.push(async () => {
      s.services.runs.dispose()
      await docker.getContainer(c.id).remove({ force: true }).catch(() => undefined)
    })
    let body = ''
    for (let i = 0; i < 100 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${host}/`).then((r) => (r.ok ? r.text() : ''), () => '')
      if (!body) await new Promise((r) => setTimeout(r, 100))
    }
    return { answer: JSON.parse(body) as unknown, user: (await docker.getContainer(c.id).inspect()).Config.User }
  }

  /** Every path of an image as the layer explorer shows it. */
  async function explorerPaths(image: string): Promise<Set<string>> {
    const index = await t.services.layers.index(image)
    return new Set(Array.from(index.tree.node, (n) => nodePath(index.paths, n)))
  }

  it('builds and runs the example on the made base (through the custom-base setting)', async () => {
    const bases = [...STAND_IN_BASES.filter((b) => b.id !== 'distroless-static'), { id: 'distroless-static', basedOn: 'distroless-static', image: STATIC }]
    const s = await testServices({ customBases: bases })
    cleanup.push(() => s.close())
    const { tag, dir } = await buildExample(s, 'distroless-static', 'made')
    // The final image is the made base plus the binary: its bottom layer is the made one.
    const [baseLayer] = (await docker.getImage(STATIC).inspect()).RootFS.Layers!
    const app = await docker.getImage(tag).inspect()
    expect(app.RootFS.Layers![0]).toBe(baseLayer)
    // It inherits the made base's labels, yet it is not a made base: under the made base's name
    // (a suite of this test's own, so the shared tag stays) Slipway says static is not made there.
    expect(app.Config.Labels?.['org.slipway.made']).toBe('static')
    expect(madeBaseOf(app)).toBeNull()
    expect(madeBaseOf(await docker.getImage(STATIC).inspect())).toBe('static')
    const suite = `it${RUN}`
    await docker.getImage(tag).tag({ repo: 'slipway-made/static', tag: suite })
    cleanup.push(() => removeImage(docker, `slipway-made/static:${suite}`))
    const odd = new Bases({ engine: s.services.engine, emit: () => undefined, dataDir: s.dataDir, settings: async () => ({ debianSuite: suite }) })
    expect((await odd.list()).find((b) => b.id === 'static')).toMatchObject({ image: `slipway-made/static:${suite}`, present: false, current: false, imageId: null })
    expect(await odd.offer('static', { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' })).toMatchObject({ present: false })

    const run = await runExample(s, tag, dir)
    // The zone came from the made base's tz data (the program loads it by name).
    expect(run.answer).toMatchObject({ time_zone: 'Europe/Berlin' })
    expect(run.user).toBe('65532:65532')
  })

  it('makes the glibc base (static plus the C library, nothing of apt, dpkg or a shell) and builds and runs the example on it as distroless-base', async () => {
    const r = await make(maker(t), ['glibc'])
    expect(r.failed).toBeNull()
    const made = r.done!.made[0]!
    expect(made.packages.map((p) => p.name)).toEqual(['ca-certificates', 'libc6', 'tzdata'])
    const info = await docker.getImage(made.image).inspect()
    expect(madeBaseOf(info)).toBe('glibc')
    expect(info.Config.User).toBe('65532:65532')
    const paths = await explorerPaths(made.image)
    for (const p of ['/etc/ssl/certs/ca-certificates.crt', '/usr/share/zoneinfo/Europe/Berlin', '/etc/passwd', '/etc/group', '/home/nonroot', '/lib64']) expect(paths, p).toContain(p)
    expect([...paths].filter((p) => /\/libc\.so\.6$/.test(p)).length, 'libc.so.6').toBeGreaterThan(0)
    expect([...paths].filter((p) => /\/ld-linux[^/]*\.so\.\d$/.test(p)).length, 'the dynamic loader').toBeGreaterThan(0)
    expect([...paths].filter((p) => /\/(apt|dpkg)(\/|$)|\/(sh|bash|dash|busybox)$/.test(p))).toEqual([])

    const bases = [...STAND_IN_BASES, { id: 'distroless-base', basedOn: 'distroless-base', image: made.image }]
    const s = await testServices({ customBases: bases })
    cleanup.push(() => s.close())
    const { tag, dir } = await buildExample(s, 'distroless-base', 'glibc')
    expect((await docker.getImage(tag).inspect()).RootFS.Layers![0]).toBe(info.RootFS.Layers![0])
    const run = await runExample(s, tag, dir)
    expect(run.answer).toMatchObject({ time_zone: 'Europe/Berlin' })
    expect(run.user).toBe('65532:65532')
  })

  it('the busybox stand-in (made by provisioning): busybox and its links, the CA bundle, no apt and no dpkg database', async () => {
    const image = standIn('alpine:3.20')
    expect(madeBaseOf(await docker.getImage(image).inspect()), `${image} is not made by slipway bases make: run npm run provision`).toBe('busybox')
    const paths = await explorerPaths(image)
    for (const p of ['/bin/busybox', '/bin/sh', '/bin/ls', '/etc/ssl/certs/ca-certificates.crt', '/etc/passwd', '/etc/os-release']) expect(paths, p).toContain(p)
    // No package database and no apt; busybox's own dpkg and dpkg-deb applets are links like any other.
    expect([...paths].filter((p) => /\/(apt|dpkg)\/|\/apt(-get)?$/.test(p))).toEqual([])
    expect([...paths].filter((p) => /dpkg/.test(p)).sort()).toEqual(['/bin/dpkg', '/bin/dpkg-deb'])
  })

  it('the Debian root and the Go builder stand-ins (made by provisioning), as the layer explorer shows them', async () => {
    const debian = standIn('debian:bookworm')
    const golang = standIn('golang:1.23')
    expect(madeBaseOf(await docker.getImage(debian).inspect()), `${debian} is not made by slipway bases make: run npm run provision`).toBe('debian')
    expect(madeBaseOf(await docker.getImage(golang).inspect()), `${golang} is not made by slipway bases make: run npm run provision`).toBe('golang')
    // The Debian root: a dpkg database and apt (images are built FROM it with apt-get), a shell (merged /usr: /bin is a link), the accounts.
    const root = await explorerPaths(debian)
    for (const p of ['/var/lib/dpkg/status', '/usr/bin/apt-get', '/usr/bin/dpkg', '/usr/bin/sh', '/bin', '/etc/passwd', '/etc/os-release', '/etc/apt/sources.list.d/debian.sources']) expect(root, p).toContain(p)
    // The builder: Go with its toolchain, gcc and the C library's headers for cgo, git, the CA bundle.
    const builder = await explorerPaths(golang)
    for (const p of ['/usr/lib/go-1.23/bin/go', '/usr/lib/go-1.23/pkg/tool', '/usr/bin/gcc', '/usr/include/stdio.h', '/usr/bin/git', '/etc/ssl/certs/ca-certificates.crt']) expect(builder, p).toContain(p)
  }, 300_000)

  describe('a mirror that lies or breaks', () => {
    let mirror: Awaited<ReturnType<typeof faultyMirror>>
    beforeAll(async () => {
      const real = suiteMirrors(await readAptSources('/etc/apt'), 'bookworm', null)
      mirror = await faultyMirror({ debian: real.release.uri, security: real.security!.uri })
      cleanup.push(() => new Promise<void>((r) => mirror.server.close(() => r())))
      cleanup.push(() => rmSync(mirror.aptEtc, { recursive: true, force: true }))
    })

    /** The Bases service on a fresh data folder (an empty cache) whose apt sources name the faulty mirror. */
    function services(mirrorIdleMs?: number): Maker {
      const dataDir = mkdtempSync(join(tmpdir(), 'slipway-bases-data-'))
      cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
      const rec = new Recorder()
      const bases = new Bases({ engine: t.services.engine, emit: rec.emit, dataDir, settings: async () => ({}), aptEtc: mirror.aptEtc, ...(mirrorIdleMs ? { mirrorIdleMs } : {}) })
      return { bases, rec, dataDir }
    }

    it.each([
      ['tamper-release', 'MirrorVerificationFailed', /^The signature of bookworm's InRelease does not verify with /],
      ['tamper-index', 'MirrorVerificationFailed', /Packages\.xz does not match the SHA256/],
      ['tamper-deb', 'MirrorVerificationFailed', /\.deb does not match the SHA256/],
      ['cut-deb', 'MirrorUnreachable', /broke off after \d+ of \d+ bytes/],
    ] as const)('%s: refused with %s, nothing loaded, nothing left', async (fault, name, message) => {
      const svc = services()
      mirror.setFault(fault)
      const before = await engineImages()
      const r = await make(svc, ['static'])
      mirror.setFault('none')
      expect(r.done).toBeNull()
      expect(r.failed).toMatchObject({ cancelled: false, error: { name } })
      expect(r.failed!.error.message).toMatch(message)
      expect(r.failed!.error.detail).toMatch(/nothing/i)
      expect(await engineImages()).toEqual(before)
      expect(leftovers(svc.dataDir)).toEqual([])
    })

    it('a mirror that stops sending: MirrorUnreachable after the idle limit, nothing loaded, nothing left', async () => {
      const svc = services(5000)
      mirror.setFault('hold-deb')
      const before = await engineImages()
      const r = await make(svc, ['static'])
      mirror.setFault('none')
      expect(r.failed).toMatchObject({ cancelled: false, error: { name: 'MirrorUnreachable' } })
      expect(r.failed!.error.message).toMatch(/^The Debian mirror stopped sending data for 5 s: http:\/\/127\.0\.0\.1:\d+\/debian/)
      expect(await engineImages()).toEqual(before)
      expect(leftovers(svc.dataDir)).toEqual([])
    })

    it('the mirror set in the settings is used, not the apt sources', async () => {
      const { port } = mirror.server.address() as AddressInfo
      const aptEtc = mkdtempSync(join(tmpdir(), 'slipway-bases-noapt-'))
      const dataDir = mkdtempSync(join(tmpdir(), 'slipway-bases-data-'))
      cleanup.push(() => rmSync(aptEtc, { recursive: true, force: true }), () => rmSync(dataDir, { recursive: true, force: true }))
      const rec = new Recorder()
      const override = `http://127.0.0.1:${port}/debian`
      const svc: Maker = { bases: new Bases({ engine: t.services.engine, emit: rec.emit, dataDir, settings: async () => ({ debianMirror: `${override}/` }), aptEtc }), rec, dataDir }
      expect(await svc.bases.offer('static', { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' })).toMatchObject({ mirror: `127.0.0.1:${port}` })
      // Its indexes read (then cancelled: the rest of a make is the tests above).
      const r = await make(svc, ['static'], 'resolving')
      expect(r.cancelled).toBe(true)
      expect(r.progress.map((p) => p.message)).toContain(`Reading bookworm from ${override}`)
      expect(r.progress.some((p) => p.message.startsWith('bookworm: InRelease signed by'))).toBe(true)
      expect(leftovers(dataDir)).toEqual([])
    })

    it.each(['indexes', 'resolving', 'downloading', 'unpacking', 'loading'] as const)('cancel while %s: cancelled, nothing loaded, nothing left', async (phase) => {
      const svc = services()
      // Downloads hang when cancelled there, so the cancel is what ends them.
      mirror.setFault(phase === 'downloading' ? 'hold-deb' : 'none')
      const before = await engineImages()
      const r = await make(svc, ['static'], phase)
      expect(r.cancelled).toBe(true)
      mirror.setFault('none')
      expect(r.progress.map((p) => p.phase)).toContain(phase)
      expect(r.failed).toMatchObject({ cancelled: true, error: { name: 'Cancelled' } })
      expect(await engineImages()).toEqual(before)
      expect(leftovers(svc.dataDir)).toEqual([])
    })
  })

  it('a machine whose apt sources name no Debian mirror: said plainly, with where to set one; nothing made, nothing left', async () => {
    const aptEtc = mkdtempSync(join(tmpdir(), 'slipway-bases-noapt-'))
    const dataDir = mkdtempSync(join(tmpdir(), 'slipway-bases-data-'))
    cleanup.push(() => rmSync(aptEtc, { recursive: true, force: true }), () => rmSync(dataDir, { recursive: true, force: true }))
    // Sources for something else only (no bookworm), as on a machine set up for another distribution.
    mkdirSync(join(aptEtc, 'sources.list.d'))
    writeFileSync(join(aptEtc, 'sources.list.d', 'other.sources'), 'Types: deb\nURIs: https://packages.example/apt\nSuites: stable\nComponents: main\n')
    const rec = new Recorder()
    const svc: Maker = { bases: new Bases({ engine: t.services.engine, emit: rec.emit, dataDir, settings: async () => ({}), aptEtc }), rec, dataDir }
    const before = await engineImages()
    const r = await make(svc, ['static'])
    expect(r.done).toBeNull()
    expect(r.failed).toMatchObject({
      cancelled: false,
      error: { name: 'NoDebianMirror', message: 'No Debian mirror for bookworm in the apt sources.', detail: expect.stringContaining('Settings → Bases') },
    })
    // The offer says the same instead of naming a mirror.
    const offer = await svc.bases.offer('static', { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' })
    expect(offer).toMatchObject({ mirror: null, mirrorProblem: expect.stringMatching(/^No Debian mirror for bookworm in the apt sources\. .*Settings → Bases/) })
    expect((await engineImages()).ids).toEqual(before.ids)
    expect(leftovers(dataDir)).toEqual([])
  })

  it('slipway bases list and make', async () => {
    const env = { ...process.env, SLIPWAY_DATA_DIR: t.dataDir }
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'bases', 'list', '--json'], { env, cwd: ROOT })
    const list = JSON.parse(stdout) as { id: string; present: boolean }[]
    expect(list.map((b) => b.id)).toEqual(['static', 'glibc', 'busybox', 'debian', 'golang'])
    expect(list.find((b) => b.id === 'static')?.present).toBe(true)
    const made = await run(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'bases', 'make', 'static'], { env, cwd: ROOT })
    expect(made.stdout).toMatch(/^static\s+slipway-made\/static:bookworm\s+[0-9a-f]{12}\s/m)
    expect(made.stderr).toMatch(/static: Made slipway-made\/static:bookworm/)
    const bad = await run(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'bases', 'make', 'nope'], { env, cwd: ROOT }).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 2 })
    expect((bad as { stderr: string }).stderr).toMatch(/Unknown base nope: choose from static, glibc/)
  })
})

// The tests' Debian root stand-in is made by provisioning with `slipway bases make debian`
// (test/engine/provision.sh). Images are built FROM it with apt-get (the Postgres stand-in), so it
// must carry what the packages' maintainer scripts would have written.
describe('the Debian root stand-in (made by provisioning)', () => {
  it('is a made base where accounts can be added (shadow, PAM) and apt names the mirror it came from', async () => {
    const image = standIn('debian:bookworm')
    const info = await docker.getImage(image).inspect()
    expect(info.Config.Labels?.['org.slipway.made'], `${image} is not made by slipway bases make: run npm run provision`).toBe('debian')
    const mirror = suiteMirrors(await readAptSources('/etc/apt'), 'bookworm', null).release.uri
    const script = 'useradd -m -s /bin/bash it && chfn -f "It Test" it && su it -c "id -un" && grep -c "^it:" /etc/shadow && cat /etc/apt/sources.list.d/debian.sources && readlink /etc/localtime && test -d /usr/local/bin && grep -cx /usr/bin/bash /etc/shells'
    const { stdout } = await run('docker', ['run', '--rm', '--network', 'none', '--label', `org.slipway.it=bases-${RUN}`, image, 'sh', '-c', script])
    const lines = stdout.split('\n')
    expect(lines.slice(0, 2)).toEqual(['it', '1'])
    expect(stdout).toContain(`URIs: ${mirror}\nSuites: bookworm bookworm-updates\n`)
    expect(stdout).toContain('Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg')
    expect(stdout).toContain('/usr/share/zoneinfo/Etc/UTC\n1\n')
  })
})
