// The real pull path, offline: a registry on loopback serves a base image that is not on the
// machine. A build pulls it first and shows the pull as a step with per-layer progress in bytes;
// a registry that wants a login gets a plain "log in" message naming the image and the setting;
// a cancel during the pull stops it and leaves no image behind.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoopbackRegistry } from '../support/registry'
import { payloads } from '../support/recorder'
import { STAND_IN_BASES, testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const RUN = `${Date.now().toString(36)}${process.pid}`

async function gone(ref: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', ref]).then(
    () => false,
    () => true,
  )
}

describe('pulling a missing base from a registry', () => {
  const open = new LoopbackRegistry()
  const locked = new LoopbackRegistry()
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-pull-'))
  const dir = join(tmp, `it-pull-${RUN}`)
  let base = ''
  let bigBase = ''
  let t: TestServices

  beforeAll(async () => {
    await Promise.all([open.start(), locked.start({ user: 'ci', password: 'not-a-real-secret' })])
    // Images whose layers exist nowhere else on this engine (random, incompressible content), so a
    // pull really downloads them. Pushed, then removed locally.
    base = `${open.host}/mirror/static:${RUN}`
    bigBase = `${open.host}/mirror/big:${RUN}`
    for (const [ref, bytes] of [
      [base, 2 * 1024 * 1024],
      [bigBase, 150 * 1024 * 1024],
    ] as const) {
      const ctx = join(tmp, `ctx-${bytes}`)
      mkdirSync(ctx)
      writeFileSync(join(ctx, 'blob'), randomBytes(bytes))
      writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n')
      await run('docker', ['build', '-q', '-t', ref, ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' } })
      await run('docker', ['push', ref])
      await run('docker', ['image', 'rm', ref])
    }
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/it-pull-${RUN}`))
    t = await testServices({
      customBases: [
        ...STAND_IN_BASES,
        { id: 'mirror-static', basedOn: 'distroless-static', image: base },
        { id: 'mirror-big', basedOn: 'distroless-static', image: bigBase },
        { id: 'locked', basedOn: 'distroless-static', image: `${locked.host}/mirror/static:${RUN}` },
      ],
    })
  }, 300_000)
  afterAll(async () => {
    t?.close()
    await run('docker', ['image', 'rm', '-f', base, bigBase, `slipway/it-pull-${RUN}:mirror-static`]).catch(() => undefined)
    await Promise.all([open.dispose(), locked.dispose()])
    rmSync(tmp, { recursive: true, force: true })
  })

  it('tells, before any pull, whether each image can be pulled: here, in the registry, not there, refused, unreachable', async () => {
    const images = t.services.images
    const here = await images.check(STAND_IN_BASES[0]!.image)
    expect(here).toMatchObject({ local: true, pullable: null })
    expect(await gone(base)).toBe(true)
    const there = await images.check(base)
    expect(there).toMatchObject({ local: false, pullable: true })
    expect(there.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(there.problem).toBeUndefined()
    // Asking moved no bytes: the image is still not on the machine.
    expect(await gone(base)).toBe(true)
    const missingTag = await images.check(`${open.host}/mirror/static:no-such-tag`)
    expect(missingTag).toMatchObject({ local: false, pullable: false })
    expect(missingTag.problem?.message).toMatch(/does not exist in its registry/)
    const refused = await images.check(`${locked.host}/mirror/static:${RUN}`)
    expect(refused.pullable).toBe(false)
    expect(refused.problem?.message).toMatch(/refused .*not logged in/)
    expect(refused.problem?.detail).toMatch(/docker login/)
    const closed = new LoopbackRegistry()
    await closed.start()
    const host = closed.host
    await closed.dispose()
    const unreachable = await images.check(`${host}/mirror/static:${RUN}`)
    expect(unreachable.pullable).toBe(false)
    expect(unreachable.problem?.message).toMatch(/could not be pulled/)
    expect(unreachable.problem?.detail).toMatch(/mirror/)
  })

  it('pulls the base first, as a step with its bytes, then builds on it', async () => {
    expect(await gone(base)).toBe(true)
    const findings = await t.services.builds.preflight(dir, { base: 'mirror-static' })
    expect(findings).toContainEqual(expect.objectContaining({ level: 'warning', code: 'base-missing' }))
    const jobId = crypto.randomUUID()
    const done = t.rec.waitFor('build.done', (p) => p.jobId === jobId, 200_000)
    await t.services.builds.start({ jobId, dir, base: 'mirror-static' })
    await done
    const pull = payloads(t.rec, 'build.step')
      .filter((p) => p.jobId === jobId && p.step.id === `pull:${base}`)
      .map((p) => p.step)
    expect(pull.length).toBeGreaterThan(1)
    expect(pull.at(-1)).toMatchObject({ name: `pull ${base}`, status: 'done', internal: false })
    // Its bytes: the compressed layer of a 2 MiB random file is about 2 MiB.
    expect(pull.at(-1)?.total).toBeGreaterThan(2_000_000)
    expect(pull.at(-1)?.current).toBe(pull.at(-1)?.total)
    expect(await gone(base)).toBe(false)
  })

  it('says plainly when the registry wants a login', async () => {
    const jobId = crypto.randomUUID()
    const failed = t.rec.waitFor('build.failed', (p) => p.jobId === jobId, 60_000)
    await t.services.builds.start({ jobId, dir, base: 'locked' })
    await failed
    const ev = payloads(t.rec, 'build.failed').find((p) => p.jobId === jobId)
    expect(ev?.error.name).toBe('PreflightFailed')
    expect(ev?.error.message).toBe(`The registry refused to give the base image ${locked.host}/mirror/static:${RUN}: you are not logged in, or not allowed.`)
    expect(ev?.error.detail).toMatch(/docker login.*Settings/)
  })

  it('cancels a pull at once and leaves no image', async () => {
    const jobId = crypto.randomUUID()
    const pulling = t.rec.waitFor('build.step', (p) => p.jobId === jobId && p.step.id === `pull:${bigBase}` && p.step.current > 0, 60_000)
    const failed = t.rec.waitFor('build.failed', (p) => p.jobId === jobId, 30_000)
    await t.services.builds.start({ jobId, dir, base: 'mirror-big' })
    await pulling
    const t0 = Date.now()
    expect(t.services.builds.cancel(jobId)).toBe(true)
    await failed
    expect(Date.now() - t0).toBeLessThan(5_000)
    expect(payloads(t.rec, 'build.failed').find((p) => p.jobId === jobId)?.cancelled).toBe(true)
    const last = payloads(t.rec, 'build.step').filter((p) => p.jobId === jobId && p.step.id === `pull:${bigBase}`).at(-1)?.step
    expect(last?.status).toBe('cancelled')
    expect(await gone(bigBase)).toBe(true)
  })
})
