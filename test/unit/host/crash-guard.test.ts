// The guard in a real Node process: a thrown error nothing catches and a rejection nobody awaits.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { strictFromEnv } from '../../../electron/host/crash-guard'

const ROOT = join(import.meta.dirname, '..', '..', '..')

/** Runs a process that installs the guard, then throws and rejects stray errors, then says "alive". */
function run(env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `import { installCrashGuard, strictFromEnv } from ${JSON.stringify(join(ROOT, 'electron/host/crash-guard.ts'))}
installCrashGuard({ strict: strictFromEnv() })
setTimeout(() => { throw new Error('a stray stream error') }, 10)
void Promise.reject(new Error('a rejection nobody awaited'))
setTimeout(() => console.log('alive'), 200)`
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
    ),
  )
}

describe('installCrashGuard', () => {
  it('reports a stray error and a stray rejection as bugs, and the process keeps serving', async () => {
    const r = await run()
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('alive')
    expect(r.stderr).toContain('Slipway: an error nothing handled — this is a bug in Slipway; carrying on.')
    expect(r.stderr).toContain('Error: a stray stream error')
    expect(r.stderr).toContain('Slipway: a promise rejection nothing handled — this is a bug in Slipway; carrying on.')
    expect(r.stderr).toContain('Error: a rejection nobody awaited')
  }, 30_000)

  it('with SLIPWAY_STRICT=1 stops at the first one, so tests of the whole app never hide a bug', async () => {
    const r = await run({ SLIPWAY_STRICT: '1' })
    expect(r.code).toBe(70)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('stopping (SLIPWAY_STRICT)')
  }, 30_000)

  it('reads SLIPWAY_STRICT like the other flags', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((v) => strictFromEnv({ SLIPWAY_STRICT: v }))).toEqual([false, false, false, false, false])
    expect(['1', 'true', 'yes'].map((v) => strictFromEnv({ SLIPWAY_STRICT: v }))).toEqual([true, true, true])
  })
})
