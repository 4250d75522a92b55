// Cancel on the real engine leaves nothing behind: no container, no image, no tag — checked against
// everything the engine has, before and after, so this file runs alone (SERIAL in
// test/support/lanes.ts). The rest of the Builds service's tests are in builds.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dockerLines } from '../support/docker-cli'
import { exampleCopy } from '../support/example-copy'
import { payloads } from '../support/recorder'
import { testServices, type TestServices } from '../support/services'

const uuid = () => crypto.randomUUID()

describe('Builds service on the real engine', () => {
  let t: TestServices
  const RUN = `${Date.now().toString(36)}${process.pid}`
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-build-cancel-'))
  const project = (suffix: string) => exampleCopy(tmp, `it-${suffix}-${RUN}`)
  beforeAll(async () => {
    t = await testServices()
  })
  afterAll(async () => {
    t.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('cancels at once and leaves no container, temporary image or tag', async () => {
    const dir = project('cancel')
    // A change the cache has not seen, so the compile step really runs.
    writeFileSync(join(dir, 'fresh.go'), `package main\n\nconst fresh = "${RUN}-${Math.random()}"\n\nvar _ = fresh\n`)
    const before = {
      containers: await dockerLines(['ps', '-aq']),
      images: await dockerLines(['image', 'ls', '-aq', '--no-trunc']),
    }
    const jobId = uuid()
    const running = t.rec.waitFor('build.step', (p) => p.jobId === jobId && /go build/.test(p.step.name) && p.step.status === 'running', 200_000)
    const failed = t.rec.waitFor('build.failed', (p) => p.jobId === jobId, 60_000)
    await t.services.builds.start({ jobId, dir, base: 'scratch' })
    await running
    const t0 = Date.now()
    expect(t.services.builds.cancel(jobId)).toBe(true)
    await failed
    expect(Date.now() - t0).toBeLessThan(5_000)
    expect(payloads(t.rec, 'build.failed').find((p) => p.jobId === jobId)).toMatchObject({ cancelled: true, record: { result: 'cancelled' } })
    expect(t.services.builds.cancel(jobId)).toBe(false)
    expect(await dockerLines(['ps', '-aq'])).toEqual(before.containers)
    expect(await dockerLines(['image', 'ls', '-aq', '--no-trunc'])).toEqual(before.images)
    expect(await dockerLines(['image', 'ls', '-q', `slipway/it-cancel-${RUN}`])).toEqual([])
  })
})
