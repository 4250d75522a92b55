// Finds and runs the compose tool the machine has: `docker compose` (v2, what most people have)
// or `docker-compose` (v1, what Debian ships). Always execFile with an argument array: nothing
// reaches a shell, whatever a path or a name contains.
import { execFile } from 'node:child_process'
import { SlipwayError } from '../../../shared/errors'

/** The command that runs compose: `docker compose …` or `docker-compose …`. */
export interface ComposeTool {
  command: string
  /** Arguments before compose's own (`['compose']` for v2). */
  prefix: string[]
  /** 1 for docker-compose, 2 for the docker CLI plugin. */
  major: 1 | 2
  /** The version line the tool printed. */
  version: string
}

/** What a finished compose run printed. */
export interface ComposeResult {
  code: number
  stdout: string
  stderr: string
}

const MAX_OUTPUT = 8 * 1024 * 1024

/** Runs `command args…` without a shell; resolves with its exit code and output (never rejects for a non-zero exit). */
export function runTool(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; timeoutMs?: number }): Promise<ComposeResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: opts.env, cwd: opts.cwd, signal: opts.signal, timeout: opts.timeoutMs ?? 0, maxBuffer: MAX_OUTPUT, shell: false, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null
        if (e && (typeof e.code === 'string' || e.name === 'AbortError')) return reject(e)
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) })
      },
    )
  })
}

/**
 * The compose tool on PATH: `docker compose version` first, then `docker-compose version`.
 * Throws ComposeNotFound naming how to get one when neither runs.
 */
export async function detectComposeTool(env: NodeJS.ProcessEnv): Promise<ComposeTool> {
  const tries: { command: string; prefix: string[]; major: 1 | 2 }[] = [
    { command: 'docker', prefix: ['compose'], major: 2 },
    { command: 'docker-compose', prefix: [], major: 1 },
  ]
  const seen: string[] = []
  for (const t of tries) {
    const r = await runTool(t.command, [...t.prefix, 'version'], { env, timeoutMs: 20_000 }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }))
    const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /version/i.test(l))?.trim() ?? ''
    if (r.code === 0 && line) return { ...t, version: line }
    seen.push(`${[t.command, ...t.prefix].join(' ')}: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit code ${r.code}`}`)
  }
  throw new SlipwayError(
    'ComposeNotFound',
    'Neither "docker compose" nor "docker-compose" could be run, and a stack needs one of them.',
    `Install Docker Compose: the "docker-compose-plugin" package (Docker's apt/yum repositories) or Docker Desktop gives "docker compose"; "apt-get install docker-compose" gives the older "docker-compose". Tried — ${seen.join('; ')}`,
  )
}
