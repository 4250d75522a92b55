// `slipway layers IMAGE` from the cache takes the light way (one inspect over a plain HTTP request on
// the engine's socket, no dockerode) and prints exactly what the full way prints; whenever the light way
// does not apply it gives way to the full one. Real engine, real CLI bundle.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedIndex } from '../../electron/cli/cached-index'
import { layersCacheDir } from '../../electron/services/data-dir'
import { IndexCache } from '../../electron/services/layers/cache'
import { plainIndex } from '../support/plain-index'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const IMAGE = 'slipway-test/alpine:3.20'
const SOCKET = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '')
let dataDir: string

const env = (more: Record<string, string> = {}) => ({ ...process.env, SLIPWAY_DATA_DIR: dataDir, DOCKER_HOST: `unix://${SOCKET}`, ...more })
const cli = (args: string[], more: Record<string, string> = {}) =>
  run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), 'layers', ...args], { cwd: ROOT, env: env(more) }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-cli-cache-'))
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('slipway layers from the cache', () => {
  it('prints the same table and JSON from the cache as after reading the image', async () => {
    const read = await cli([IMAGE, '--refresh'])
    expect(read.code).toBe(0)
    const env0 = env()
    const id = JSON.parse((await run('docker', ['image', 'inspect', IMAGE, '--format', '{{json .Id}}'])).stdout) as string
    await expect.poll(async () => (await new IndexCache(layersCacheDir(dataDir)).getSummary(id)) !== undefined, { timeout: 20_000 }).toBe(true)
    const fast = await cachedIndex(IMAGE, env0)
    expect(fast?.imageId).toBe(id)
    const cached = await cli([IMAGE])
    expect(cached).toEqual(read)
    const [jsonRead, jsonCached] = await Promise.all([cli([IMAGE, '--json', '--refresh']), cli([IMAGE, '--json'])])
    expect(JSON.parse(jsonCached.stdout)).toEqual(JSON.parse(jsonRead.stdout))
    expect(plainIndex(fast!)).toEqual(plainIndex((await new IndexCache(layersCacheDir(dataDir)).get(id))!))
  })

  it('gives way to the full path for an image not cached, an unknown image, a TCP engine and a missing socket', async () => {
    expect(await cachedIndex('slipway-test/distroless-static:nonroot', env())).toBeUndefined()
    expect(await cachedIndex('slipway-test/no-such-image:1', env())).toBeUndefined()
    expect(await cachedIndex(IMAGE, env({ DOCKER_HOST: 'tcp://127.0.0.1:9' }))).toBeUndefined()
    expect(await cachedIndex(IMAGE, env({ DOCKER_HOST: `unix://${join(dataDir, 'no.sock')}` }))).toBeUndefined()
    // The full path then says what is wrong, as before.
    const missing = await cli(['slipway-test/no-such-image:1'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no-such-image/)
    const noEngine = await cli([IMAGE], { DOCKER_HOST: `unix://${join(dataDir, 'no.sock')}` })
    expect(noEngine.code).toBe(1)
    expect(noEngine.stderr).toMatch(/Docker/)
  })
})
