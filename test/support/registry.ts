// A real image registry on loopback for pull tests (Debian's docker-registry 2.8): its own storage
// folder, an address on 127.0.0.1 (which dockerd trusts as an insecure registry by default), and
// htpasswd auth when asked for. No image registry is reachable from these machines otherwise.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

export class LoopbackRegistry {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'))
  private proc: ChildProcess | undefined
  port = 0

  /** `127.0.0.1:PORT`, the prefix of this registry's image references. */
  get host(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Starts the registry; with `auth`, every request needs that user and password. */
  async start(auth?: { user: string; password: string }): Promise<void> {
    this.port = await freePort()
    let authBlock = ''
    if (auth) {
      await run('htpasswd', ['-Bbc', join(this.dir, 'htpasswd'), auth.user, auth.password])
      authBlock = `auth:\n  htpasswd:\n    realm: slipway-test\n    path: ${join(this.dir, 'htpasswd')}\n`
    }
    writeFileSync(
      join(this.dir, 'config.yml'),
      `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(this.dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${this.port}\n${authBlock}`,
    )
    this.proc = spawn('docker-registry', ['serve', join(this.dir, 'config.yml')], { stdio: 'ignore' })
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`docker-registry exited with ${this.proc.exitCode}`)
      const ok = await fetch(`http://${this.host}/v2/`).then(
        (r) => r.status === 200 || r.status === 401,
        () => false,
      )
      if (ok) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`docker-registry did not answer on ${this.host}`)
  }

  /** Stops the registry and removes its storage. */
  async dispose(): Promise<void> {
    const p = this.proc
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r))
      p.kill('SIGTERM')
      await exited
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}
