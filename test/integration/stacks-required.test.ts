// Up refuses, before it builds or starts anything, an app that stops without a variable the stack
// would leave empty (the ports fixture exits at once without $GREETING): the error names the
// variable and where the code reads it, the proposal marks it required, and the engine shows no
// image, container or network of the project afterwards. Nothing is built, so the test is cheap.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorName } from '../../shared/errors'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'go', 'ports')
const RUN = `${Date.now().toString(36)}${process.pid}`
const docker = new Dockerode()

describe('Stack Up and required variables', () => {
  let t: TestServices
  let dir = ''

  beforeAll(async () => {
    t = await testServices({ postgresImage: 'slipway-test/postgres:15' })
    dir = join(mkdtempSync(join(tmpdir(), 'slipway-stackreq-')), `it-stackreq-${RUN}`)
    cpSync(FIXTURE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/it-stackreq-${RUN}`))
  })

  afterAll(() => {
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true })
    t?.close()
  })

  it('names the empty required variable and starts nothing', async () => {
    const proposal = await t.services.stacks.propose(dir)
    expect(proposal.env.find((e) => e.name === 'GREETING')).toMatchObject({ required: true, value: '' })
    const { done } = t.services.stacks.launch(dir, { jobId: crypto.randomUUID() })
    const err = await done.then(
      () => null,
      (e: unknown) => e as Error & { detail?: string },
    )
    expect(err?.name).toBe(ErrorName.RequiredVariableEmpty)
    expect(err?.message).toMatch(/^The app stops without GREETING \(read at main\.go:\d+\), and the stack leaves it empty: nothing was started\.$/)
    expect(err?.detail).toContain('-e GREETING=')
    const project = t.services.stacks.files(dir).project
    const label = `com.docker.compose.project=${project}`
    expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([])
    expect(await docker.listNetworks({ filters: { label: [label] } })).toEqual([])
    const images = (await run('docker', ['image', 'ls', '-q', `--filter=reference=slipway/*${RUN}*`])).stdout.trim()
    expect(images).toBe('')
  })
})
