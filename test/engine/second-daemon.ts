import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A test-owned dockerd on its own socket, data root and exec root, so a test can stop and start
 * "the engine" without touching the shared daemon other tests use. No bridge, no iptables.
 */
export class SecondDaemon {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-dd-'))
  readonly socket = join(this.dir, 'docker.sock')
  private proc: ChildProcess | undefined
  private paused = false

  get host(): string {
    return `unix://${this.socket}`
  }

  /** Starts dockerd and waits until its socket answers. */
  async start(timeoutMs = 30_000): Promise<void> {
    const args = [
      '--host', this.host,
      '--data-root', join(this.dir, 'data'),
      '--exec-root', join(this.dir, 'exec'),
      '--pidfile', join(this.dir, 'docker.pid'),
      '--bridge', 'none', '--iptables=false', '--ip6tables=false', '--ip-masq=false',
    ]
    // In its own network namespace: a dockerd started with `--bridge none` deletes the host's
    // docker0, which would break the shared daemon's containers. Unix sockets cross namespaces.
    const proc = spawn('unshare', ['--net', 'dockerd', ...args], { stdio: 'ignore', detached: false })
    this.proc = proc
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`test dockerd exited with ${proc.exitCode}`)
      if (await answers(this.socket)) return
      await new Promise((r) => setTimeout(r, 200))
    }
    throw new Error(`test dockerd did not answer on ${this.socket} within ${timeoutMs} ms`)
  }

  /**
   * Freezes dockerd with SIGSTOP, as a hung daemon looks from outside: its socket still accepts
   * connections, nothing answers. Resolves once the kernel reports the process stopped.
   */
  async pause(): Promise<void> {
    const pid = this.dockerdPid()
    process.kill(pid, 'SIGSTOP')
    this.paused = true
    await waitForState(pid, (s) => s === 'T' || s === 't')
  }

  /** Lets a paused dockerd run again (SIGCONT) and waits until it answers. */
  async resume(timeoutMs = 15_000): Promise<void> {
    const pid = this.dockerdPid()
    process.kill(pid, 'SIGCONT')
    this.paused = false
    await waitForState(pid, (s) => s !== 'T' && s !== 't')
    const deadline = Date.now() + timeoutMs
    while (!(await answers(this.socket))) {
      if (Date.now() > deadline) throw new Error(`test dockerd did not answer within ${timeoutMs} ms after SIGCONT`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /**
   * dockerd's pid: `unshare` (without --fork) execs dockerd, so the spawned pid is dockerd's own.
   * Checked, so a signal can never reach some other process.
   */
  dockerdPid(): number {
    const pid = this.proc?.pid
    if (pid === undefined || this.proc?.exitCode !== null) throw new Error('test dockerd is not running')
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
    if (comm !== 'dockerd') throw new Error(`pid ${pid} is ${comm}, not dockerd`)
    return pid
  }

  /** Stops dockerd (SIGTERM, then SIGKILL) and waits for it to exit. */
  async stop(): Promise<void> {
    const proc = this.proc
    if (proc && this.paused && proc.exitCode === null) {
      // A stopped process only acts on SIGTERM once it runs again.
      process.kill(this.dockerdPid(), 'SIGCONT')
      this.paused = false
    }
    this.proc = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((r) => proc.once('exit', () => r()))
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }

  /** Stops dockerd and removes its folders. */
  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 })
  }
}

/** Polls the process state letter in /proc/PID/stat (R, S, T for stopped, …) until `ok`. */
async function waitForState(pid: number, ok: (state: string) => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    // The state follows the command name in parentheses, which may itself contain spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    if (ok(state)) return
    if (Date.now() > deadline) throw new Error(`pid ${pid} stayed in state ${state}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket, () => {
      s.end('GET /_ping HTTP/1.0\r\n\r\n')
    })
    let body = ''
    s.on('data', (d) => (body += d))
    s.on('end', () => resolve(body.includes('200 OK')))
    s.on('error', () => resolve(false))
  })
}
