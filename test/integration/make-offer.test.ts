// "Make it locally": a build whose base or builder cannot be pulled (a registry on 127.0.0.1:1 that
// is not there) is refused before building, with the base Slipway can make from the Debian mirror;
// `slipway build --make-bases` makes it, points the setting at it and builds — on the real engine
// and mirror. The static base is made for real (≈10 s); the Go builder (≈3.5 min) is reused when
// it was made here before, and made otherwise.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeImage } from '../support/build-image'
import { STAND_IN_BASES, STAND_IN_BUILDER, testServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const CLI = join(ROOT, 'bin', 'slipway.mjs')
const STATIC = 'slipway-made/static:bookworm'
const GOLANG = 'slipway-made/golang:bookworm'
const NO_BASE = '127.0.0.1:1/slipway-it/static:nonroot'
const NO_BUILDER = '127.0.0.1:1/slipway-it/golang:1.23'

interface Ran {
  code: number
  stdout: string
  stderr: string
}

describe('the build offers to make what it cannot pull', () => {
  const docker = new Docker()
  const RUN = `${Date.now().toString(36)}${process.pid}`
  const name = `it-offer-${RUN}`
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-offer-'))
  const dir = join(tmp, name)
  const dataDir = join(tmp, 'data')

  const settings = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { customBases: { id: string; image: string }[]; builderImage: string | null }
  const writeSettings = (s: Record<string, unknown>) =>
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER, ...s }))
  const slipway = (...args: string[]): Promise<Ran> =>
    run(process.execPath, [CLI, ...args], { env: { ...process.env, SLIPWAY_DATA_DIR: dataDir }, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
      (r) => ({ code: 0, ...r }),
      (e: Ran) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    )

  beforeAll(() => {
    mkdirSync(dataDir, { mode: 0o700 })
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}`))
  })
  afterAll(async () => {
    const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `slipway/${name}`])
    const tags = stdout.split('\n').filter(Boolean)
    if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
    rmSync(tmp, { recursive: true, force: true })
  })

  it('a base it cannot pull: said before building with the offer; --make-bases makes static, points distroless-static at it and builds', async () => {
    writeSettings({ customBases: [{ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE }, ...STAND_IN_BASES.slice(1)] })
    // Not made yet, so accepting has to make it (as the bases tests do; a second make gives the same id).
    await removeImage(docker, STATIC)

    const refused = await slipway('build', dir, '--base', 'distroless-static')
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.stderr).toContain(`The base image ${NO_BASE} is not on this machine and cannot be pulled.`)
    expect(refused.stderr).toMatch(/Slipway can make Static \(distroless-like\) from Debian packages instead \(≈ 0\.5 MB, from [^)]+\)/)
    expect(refused.stderr).toContain('`slipway bases make static --use`')
    expect(refused.stderr).toContain('Build again with --make-bases to make static and use it.')
    // Nothing built, nothing made, the setting untouched.
    expect(refused.stderr).not.toMatch(/^#\d/m)
    await expect(docker.getImage(STATIC).inspect()).rejects.toMatchObject({ statusCode: 404 })
    expect(settings().customBases[0]).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE })

    const built = await slipway('build', dir, '--base', 'distroless-static', '--make-bases', '--json')
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain('Making static from Debian packages')
    expect(built.stderr).toContain(`Settings: the base distroless-static is now ${STATIC}.`)
    const record = JSON.parse(built.stdout) as { result: string; baseImage: string; imageId: string; tags: string[] }
    expect(record).toMatchObject({ result: 'succeeded', baseImage: STATIC })
    expect(settings().customBases.find((b) => b.id === 'distroless-static')).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: STATIC })
    // The other entries are as they were.
    expect(settings().customBases.slice(1)).toEqual(STAND_IN_BASES.slice(1))
    // The image is the app on the made base: its user and CA bundle came from it.
    const made = await docker.getImage(STATIC).inspect()
    expect(made.Config.Labels?.['org.slipway.made']).toBe('static')
    const app = await docker.getImage(record.imageId).inspect()
    expect(app.Config.Labels?.['org.slipway.base']).toBe('distroless-static')
    expect(app.RootFS.Layers?.[0]).toBe(made.RootFS.Layers?.[0])

    // Next time the base is here: no offer, no make.
    const again = await slipway('build', dir, '--base', 'distroless-static', '--make-bases')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).not.toContain('Making')
  }, 600_000)

  it('a builder it cannot pull: the offer is the Go builder; one made here before is used without making it again', async () => {
    writeSettings({ builderImage: NO_BUILDER })
    // Made here from the current recipe: the offer reuses it (else accepting makes it, ≈3.5 min).
    const list = JSON.parse((await slipway('bases', 'list', '--json')).stdout) as { id: string; current: boolean; imageId: string | null }[]
    const golang = list.find((b) => b.id === 'golang')
    const before = golang?.current ? golang.imageId : null

    const refused = await slipway('build', dir, '--base', 'scratch')
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.stderr).toContain(`The builder image ${NO_BUILDER} is not on this machine and cannot be pulled.`)
    expect(refused.stderr).toMatch(
      before ? /Slipway made Go builder \(golang-like\) here earlier \(slipway-made\/golang:bookworm\)/ : /Slipway can make Go builder \(golang-like\) from Debian packages instead \(≈ 151 MB/,
    )
    expect(refused.stderr).toContain(before ? 'Build again with --make-bases to use the golang made here.' : 'Build again with --make-bases to make golang and use it.')

    const built = await slipway('build', dir, '--base', 'scratch', '--make-bases', '--json')
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain(`Settings: the builder image is now ${GOLANG}.`)
    if (before) expect(built.stderr).not.toContain('Making')
    expect(JSON.parse(built.stdout)).toMatchObject({ result: 'succeeded', builderImage: GOLANG, baseImage: 'scratch' })
    expect(settings().builderImage).toBe(GOLANG)
    if (before) expect((await docker.getImage(GOLANG).inspect()).Id).toBe(before)
  }, 900_000)

  it('a stack whose app image would be built on a base it cannot pull: the proposal says so before Up, with the offer', async () => {
    const t = await testServices({ customBases: [{ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE }, ...STAND_IN_BASES.slice(1)] })
    try {
      const other = join(tmp, `${name}-stack`)
      cpSync(dir, other, { recursive: true })
      writeFileSync(join(other, 'go.mod'), readFileSync(join(other, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}-stack`))
      const proposal = await t.services.stacks.propose(other)
      expect(proposal.app).toMatchObject({ action: 'build', base: 'distroless-static' })
      expect(proposal.app.refused).toHaveLength(1)
      expect(proposal.app.refused?.[0]).toMatchObject({ level: 'blocking', code: 'base-missing', make: { base: 'static', target: { kind: 'base', id: 'distroless-static' } } })
      // A base that can come (scratch needs none): nothing refused.
      expect((await t.services.stacks.propose(other, { base: 'scratch' })).app.refused).toBeUndefined()
    } finally {
      t.close()
    }
  }, 120_000)

  it('slipway up: the app build it would need is refused in the build command\'s words; --make-bases makes static, points distroless-static at it, builds and starts', async () => {
    writeSettings({ customBases: [{ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE }, ...STAND_IN_BASES.slice(1)], postgresImage: 'slipway-test/postgres:15' })
    await removeImage(docker, STATIC)
    const other = join(tmp, `${name}-up`)
    cpSync(dir, other, { recursive: true })
    writeFileSync(join(other, 'go.mod'), readFileSync(join(other, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}-up`))
    const t = await testServices({})
    const project = t.services.stacks.files(other).project
    t.close()
    const label = `com.docker.compose.project=${project}`
    try {
      // A folder Up cannot propose for: the error a person can act on, no stack trace.
      const empty = join(tmp, 'no-go')
      mkdirSync(empty)
      const bad = await slipway('up', empty, '--detach')
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain(`No Go source files in ${empty}.`)
      expect(bad.stderr).not.toMatch(/^\s+at /m)

      const refused = await slipway('up', other, '--base', 'distroless-static', '--detach')
      expect(refused.code, refused.stderr).toBe(1)
      expect(refused.stderr).toContain(`The base image ${NO_BASE} is not on this machine and cannot be pulled.`)
      expect(refused.stderr).toMatch(/Slipway can make Static \(distroless-like\) from Debian packages instead/)
      expect(refused.stderr).toContain('Up again with --make-bases to make static and use it.')
      // Nothing built, made or started; the setting untouched.
      expect(refused.stderr).not.toContain('Building the app image')
      await expect(docker.getImage(STATIC).inspect()).rejects.toMatchObject({ statusCode: 404 })
      expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([])
      expect(settings().customBases[0]).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: NO_BASE })

      const up = await slipway('up', other, '--base', 'distroless-static', '--detach', '--make-bases')
      expect(up.code, up.stderr).toBe(0)
      expect(up.stderr).toContain('Making static from Debian packages')
      expect(up.stderr).toContain(`Settings: the base distroless-static is now ${STATIC}.`)
      expect(up.stderr).toContain('Building the app image')
      expect(up.stderr).toMatch(/^The stack is up:$/m)
      expect(settings().customBases.find((b) => b.id === 'distroless-static')).toEqual({ id: 'distroless-static', basedOn: 'distroless-static', image: STATIC })
      // The app runs on the made base.
      const app = (await docker.listContainers({ filters: { label: [label, 'com.docker.compose.service=app'] } }))[0]
      expect(app).toBeDefined()
      const image = await docker.getImage(app?.ImageID ?? '').inspect()
      expect(image.RootFS.Layers?.[0]).toBe((await docker.getImage(STATIC).inspect()).RootFS.Layers?.[0])
    } finally {
      await slipway('down', other, '--volumes')
      for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
      for (const v of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined)
      const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `slipway/${name}-up`])
      const tags = stdout.split('\n').filter(Boolean)
      if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
    }
  }, 600_000)

  it('slipway compare: a base it cannot pull fails that base with the advice; --make-bases makes or uses busybox first', async () => {
    const NO_ALPINE = '127.0.0.1:1/slipway-it/alpine:3.20'
    writeSettings({ customBases: [...STAND_IN_BASES.filter((b) => b.id !== 'alpine'), { id: 'alpine', basedOn: 'alpine', image: NO_ALPINE }] })
    const failed = await slipway('compare', dir, '--bases', 'alpine')
    expect(failed.code, failed.stderr).toBe(1)
    expect(failed.stderr).toContain(`alpine: The base image ${NO_ALPINE} is not on this machine and could not be pulled.`)
    expect(failed.stderr).toMatch(/Slipway (can make|made) Busybox \(alpine-like\)/)

    const compared = await slipway('compare', dir, '--bases', 'alpine', '--make-bases', '--json')
    expect(compared.code, compared.stderr).toBe(0)
    expect(compared.stderr).toContain('Settings: the base alpine is now slipway-made/busybox:bookworm.')
    const result = JSON.parse(compared.stdout) as { rows: { base: string; baseImage: string }[]; failures: unknown[] }
    expect(result.failures).toEqual([])
    expect(result.rows).toMatchObject([{ base: 'alpine', baseImage: 'slipway-made/busybox:bookworm' }])
    expect(settings().customBases.find((b) => b.id === 'alpine')).toEqual({ id: 'alpine', basedOn: 'alpine', image: 'slipway-made/busybox:bookworm' })
  }, 600_000)
})
