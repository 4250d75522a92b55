// Click-to-healthy: the Stacks service's `launch` (what the Up button runs: analysis, ports, the
// app image from the build history, the compose file, `up -d`, waiting for the database healthy
// and the app running) vs the same compose file run by hand — `docker-compose up -d` (or `docker
// compose`), then polling the containers' state every 100 ms until the same condition. Alternated
// ROUNDS times, each after a down that keeps the volume (the usual second Up). Goal: ratio ≤ 1.1.
// Uses the offline stand-ins (the Postgres stand-in through the postgresImage setting).
// Run: npx tsx bench/stack.bench.ts   (ROUNDS=5 by default)
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { testServices } from '../test/support/services'

const run = promisify(execFile)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const ROOT = join(import.meta.dirname, '..')
const POSTGRES = 'slipway-test/postgres:15'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

const tmp = mkdtempSync(join(tmpdir(), 'slipway-stack-bench-'))
const dir = join(tmp, 'bench-stack')
cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, 'module example.com/bench-stack'))

const t = await testServices({ postgresImage: POSTGRES })
const { stacks, builds, engine } = t.services
const files = stacks.files(dir)
const docker = engine.client()
try {
  await (await builds.launch({ jobId: crypto.randomUUID(), dir, base: 'distroless-static' })).done
  // Warm-up: writes the compose file and .env, creates the volume (initdb), and takes it down again.
  await stacks.launch(dir, { jobId: crypto.randomUUID() }).done
  await stacks.down(dir)
  const tool = await stacks.composeTool()
  const byHand = [...tool.prefix, '--env-file', files.envFile, '-p', files.project, '-f', files.composeFile]

  /** What "healthy" means in both: db healthy, app running. */
  const healthy = async () => {
    const cs = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${files.project}`] } })
    const by = new Map(cs.map((c) => [c.Labels['com.docker.compose.service'], c]))
    const db = by.get('db')
    const app = by.get('app')
    return !!db && !!app && /\(healthy\)/.test(db.Status) && app.State === 'running'
  }

  const slipway: number[] = []
  const manual: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now()
    await stacks.launch(dir, { jobId: crypto.randomUUID() }).done
    slipway.push(performance.now() - t0)
    await stacks.down(dir)

    t0 = performance.now()
    await run(tool.command, [...byHand, 'up', '-d'], { cwd: files.folder })
    while (!(await healthy())) await new Promise((r) => setTimeout(r, 100))
    manual.push(performance.now() - t0)
    await run(tool.command, [...byHand, 'down'], { cwd: files.folder })
    console.log(`round ${i + 1}: slipway ${fmt(slipway[i] as number)}, by hand ${fmt(manual[i] as number)}`)
  }
  const s = median(slipway)
  const m = median(manual)
  console.log(`\nclick-to-healthy (${tool.command} ${tool.version}), median of ${ROUNDS}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  console.log(`  Slipway launch:            ${fmt(s)}`)
  console.log(`  up -d + polling by hand:   ${fmt(m)}`)
  console.log(`  ratio: ${(s / m).toFixed(2)} (goal ≤ 1.1)`)
} finally {
  await stacks.down(dir, { removeVolumes: true }).catch(() => undefined)
  const tags = (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', '--filter=reference=slipway/bench-stack*'])).stdout.split('\n').filter(Boolean)
  if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
  stacks.dispose()
  t.close()
}
