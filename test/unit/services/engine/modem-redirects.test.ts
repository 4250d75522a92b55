// A fake engine on a unix socket that answers every request with a redirect, as the real one does
// for unclean paths (`/images//json`). Without the guard docker-modem follows it to a TCP host
// named after a path segment and the failure is an unhandled 'error' event that ends the process;
// here it runs in a child process so that outcome is observable instead of ending the test run.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'slipway-redirect-'))
const socket = join(dir, 'engine.sock')
let server: Server
let requests = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++
    res.writeHead(301, { location: '/images/json' }).end('<a href="/images/json">Moved Permanently</a>.\n')
  })
  await new Promise<void>((resolve) => server.listen(socket, resolve))
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

/** Runs inspect and save (a streaming call) against the fake engine in a child; what it printed, and how it ended. */
async function callsThroughModem(guard: boolean) {
  const script = `
    import Dockerode from 'dockerode'
    ${guard ? `import { disableModemRedirects } from ${JSON.stringify(join(ROOT, 'electron/services/engine/modem-redirects.ts'))}\n    disableModemRedirects()` : ''}
    const docker = new Dockerode({ socketPath: ${JSON.stringify(socket)} })
    for (const call of [() => docker.getImage('').inspect(), () => docker.getImage('').get()]) {
      await call().then(() => console.log('answered'), (e) => console.log('failed: ' + e.message))
    }
    await new Promise((r) => setTimeout(r, 200))
    console.log('alive')`
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 30_000 }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

describe('redirects from the engine', () => {
  it('without the guard, one ends the process (the bug this guards against)', async () => {
    const r = await callsThroughModem(false)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/Unhandled 'error' event/)
    expect(r.stdout).not.toMatch(/alive/)
  })

  it('with the guard, each call fails with a message and the process lives and exits by itself', async () => {
    const before = requests
    const r = await callsThroughModem(true)
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout.trim().split('\n')).toEqual([
      'failed: The Docker Engine redirected the request; Slipway does not follow redirects from the engine.',
      'failed: The Docker Engine redirected the request; Slipway does not follow redirects from the engine.',
      'alive',
    ])
    // Nothing was followed: exactly the two original requests reached the engine.
    expect(requests - before).toBe(2)
  })
})
