// `slipway engine` when the engine cannot be used: the real command, in a child process, with the
// environment a person would have. The advice must hold for a command that prints and exits.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const config = mkdtempSync(join(tmpdir(), 'slipway-docker-config-'))
afterAll(() => rmSync(config, { recursive: true, force: true }))

/** Runs `slipway engine` with these variables (and an empty ~/.docker); resolves with its exit code and output. */
function engine(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCKER_')))
  return new Promise((resolve) =>
    execFile(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'engine'], { cwd: ROOT, env: { ...base, DOCKER_CONFIG: config, ...env } }, (err, stdout, stderr) =>
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
    ),
  )
}

describe('slipway engine, when Docker cannot be used', () => {
  it('names a Docker context that does not exist, instead of "did not answer as expected on :"', async () => {
    const r = await engine({ DOCKER_CONTEXT: 'nope' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Docker context "nope" was not found\.\n/)
    expect(r.stderr).toContain('docker context ls')
    expect(r.stderr).not.toMatch(/did not answer|on :/)
  }, 30_000)

  it('says Docker is not running, without promising to reconnect (the CLI exits)', async () => {
    const r = await engine({ DOCKER_HOST: `unix://${join(config, 'no-docker.sock')}` })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Docker is not running\.\nNothing answers on unix:\/\/.*no-docker\.sock \(from DOCKER_HOST\)\./)
    expect(r.stderr).not.toMatch(/reconnects|keeps retrying|folder picker/i)
  }, 30_000)
})
