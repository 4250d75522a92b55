import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs build script without type declarations
import { cliIsFresh } from '../../bin/build-cli.mjs'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const slipway = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env } })

describe('slipway', () => {
  it('runs the bundle built from these sources, not TypeScript', async () => {
    const { stdout } = await slipway(['--help'])
    expect(stdout).toMatch(/^Usage: slipway /)
    // bin/slipway.mjs rebuilds out/cli when a source is newer; after a run it is current.
    expect(cliIsFresh()).toBe(true)
  })
})

describe('slipway engine', () => {
  it('prints the engine the docker CLI sees', async () => {
    const [{ stdout }, { stdout: version }] = await Promise.all([
      slipway(['engine']),
      run('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}}']),
    ])
    expect(stdout).toMatch(new RegExp(`^Docker Engine +${version.trim().replace(/[.()+]/g, '\\$&')}`, 'm'))
    expect(stdout).toMatch(/^BuildKit +available/m)
  })

  it('prints JSON for scripts', async () => {
    const { stdout } = await slipway(['engine', '--json'])
    const state = JSON.parse(stdout)
    expect(state.status).toBe('connected')
    expect(state.info.apiVersion).toMatch(/^1\.\d+$/)
  })

  it('exits 1 with advice when the engine is not there', async () => {
    const err = await slipway(['engine'], { DOCKER_HOST: 'unix:///tmp/slipway-missing.sock' }).catch((e: { code: number; stderr: string }) => e)
    expect(err).toMatchObject({ code: 1 })
    expect((err as { stderr: string }).stderr).toMatch(/^Docker is not running\.\nNothing answers on unix:\/\/\/tmp\/slipway-missing\.sock/)
  })
})
