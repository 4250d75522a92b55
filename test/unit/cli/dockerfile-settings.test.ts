// `slipway dockerfile` and the app read the same settings (custom/mirrored bases, the builder
// image) from the same data folder, so for the same choice they print the same Dockerfile. The CLI
// runs as a real process; the app's side is the Builds service's recipe (what a build sends).
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../electron/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..', '..')
const tmp = mkdtempSync(join(tmpdir(), 'slipway-cli-settings-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('slipway dockerfile with the app’s settings', () => {
  it('prints the Dockerfile the app builds, mirrors and builder included', async () => {
    const data = join(tmp, 'data')
    const dir = join(tmp, 'app')
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    const settings = {
      version: 1,
      recentProjects: [],
      customBases: [{ id: 'alpine', basedOn: 'alpine', image: 'registry.corp.example:5000/mirror/alpine:3.20' }],
      builderImage: 'registry.corp.example:5000/mirror/golang:1.23-bookworm',
    }
    const services = createServices({ emit: () => undefined, dataDir: data, env: {} })
    writeFileSync(join(data, 'settings.json'), JSON.stringify(settings))
    const app = (await services.builds.prepare(dir, { base: 'alpine', buildkit: true })).recipe.dockerfile
    const cli = await run(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'dockerfile', dir, '--base', 'alpine'], {
      env: { ...process.env, SLIPWAY_DATA_DIR: data },
    }).catch((e: { stdout: string; stderr: string }) => e)
    expect(app).toContain('FROM registry.corp.example:5000/mirror/alpine:3.20')
    expect(app).toContain('registry.corp.example:5000/mirror/golang:1.23-bookworm AS build')
    expect(`${cli.stdout.trimEnd()}\n`).toBe(app)
  }, 60_000)
})
