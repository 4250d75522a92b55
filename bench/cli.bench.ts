// How fast the `slipway` command starts, against `docker --version` in the same run.
// Run: npx tsx bench/cli.bench.ts [image]   (prints figures and ratios; no pass/fail)
//
// Each round runs, alternated: `slipway --help`, `slipway layers IMAGE` with its index already in
// the cache (a temporary data folder, indexed once before the rounds), `docker --version` (the
// baseline), `node -e ''` (Node's own start, the floor) and the CLI as it ran before it was bundled
// (TypeScript compiled at start by tsx). Goals: --help < 300 ms, layers from the cache < 500 ms.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const ROUNDS = Number(process.env.ROUNDS ?? 10)
const IMAGE = process.argv[2] ?? 'slipway-test/golang:1.23'
const dataDir = mkdtempSync(join(tmpdir(), 'slipway-cli-bench-'))
const env = { ...process.env, SLIPWAY_DATA_DIR: dataDir }
const slipway = join(ROOT, 'bin', 'slipway.mjs')

const cases: { name: string; file: string; args: string[] }[] = [
  { name: 'slipway --help', file: process.execPath, args: [slipway, '--help'] },
  { name: `slipway layers ${IMAGE} (cached)`, file: process.execPath, args: [slipway, 'layers', IMAGE] },
  { name: 'docker --version', file: 'docker', args: ['--version'] },
  { name: "node -e ''", file: process.execPath, args: ['-e', ''] },
  { name: 'slipway --help from the sources (tsx, before)', file: process.execPath, args: ['--import', 'tsx', join(ROOT, 'electron/cli/index.ts'), '--help'] },
]

async function time(c: (typeof cases)[number]): Promise<number> {
  const t0 = performance.now()
  await run(c.file, c.args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })
  return performance.now() - t0
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`

try {
  // Builds the bundle if a source changed, and puts the image's index in the cache.
  await run(process.execPath, [slipway, 'layers', IMAGE], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })
  const times = new Map(cases.map((c) => [c.name, [] as number[]]))
  for (let r = 0; r < ROUNDS; r++) for (const c of cases) times.get(c.name)!.push(await time(c))
  const docker = median(times.get('docker --version')!)
  console.log(`${ROUNDS} rounds, alternated; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`)
  console.log(`${'command'.padEnd(52)}  ${'median'.padStart(9)}  ${'fastest'.padStart(9)}  vs docker --version`)
  for (const c of cases) {
    const xs = times.get(c.name)!
    console.log(`${c.name.padEnd(52)}  ${ms(median(xs))}  ${ms(Math.min(...xs))}  ${(median(xs) / docker).toFixed(1).padStart(5)}×`)
  }
  const help = median(times.get('slipway --help')!)
  const layers = median(times.get(cases[1]!.name)!)
  console.log(`\ngoals: --help ${help.toFixed(0)} ms (< 300), layers from the cache ${layers.toFixed(0)} ms (< 500)`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
