// Benchmark: `GoProjects.analyze` on typical projects (the bundled example, the config-libs fixture
// with its six mains and vendored libraries) and on a generated 50,000-file Go tree — there with the
// scan pool (two worker threads) and without it, alternated — each against baselines measured in the same process: `go list -e -json ./...` when `go` is on PATH (what the Go
// command itself needs to load the packages), reading every file of the project, and for the big
// tree a plain recursive readdir walk. Run: npx tsx bench/analyze.bench.ts
// Prints figures and ratios, not pass/fail. The tree lives in /dev/shm when there is one (deleting
// 50,000 files from a disk mounted with `discard` takes minutes), else in the OS temp dir.
// The big tree's line also times the analysis memo's fingerprint (what the app runs beside each analysis).
// `--profile DIR` writes a CPU profile of the big tree's analyses alone (the service's thread) to DIR.
// `--against DIR` also runs another checkout's GoProjects (DIR/electron/services/go-project, e.g. an
// earlier commit's `git archive` with node_modules linked) on the same tree, alternated with this one.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { GoProjects } from '../electron/services/go-project'
import { folderFingerprint } from '../electron/services/go-project/analysis-memo'

const PACKAGES = 1000
const GO_PER_PACKAGE = 20 // plus 5 tests and 25 other files: 50 per package
const RUNS = 5
const MODULE = 'example.com/bench'

function goFile(pkg: number, file: number): string {
  const imports = ['context', 'errors', 'fmt', 'strings', 'time', `${MODULE}/pkg/g${(pkg + 1) % 50}/p${(pkg + 1) % PACKAGES}`]
  const funcs = Array.from(
    { length: 6 },
    (_, f) => `
// F${file}x${f} does a little work so the file looks like real code.
func F${file}x${f}(ctx context.Context, in []string) (string, error) {
	if len(in) == 0 {
		return "", errors.New("empty input")
	}
	var b strings.Builder
	for i, s := range in {
		if ctx.Err() != nil {
			return "", fmt.Errorf("item %d: %w", i, ctx.Err())
		}
		b.WriteString(strings.TrimSpace(s))
	}
	_ = time.Now()
	return b.String(), nil
}
`,
  )
  return `// Package p${pkg} is generated for the analysis benchmark.
package p${pkg}

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

var _ = p${(pkg + 1) % PACKAGES}.F0x0
${funcs.join('')}`
}

function configFile(pkg: number): string {
  return `package p${pkg}

import (
	"net/http"
	"os"
)

// Endpoint is where this package sends its reports.
var Endpoint = "https://reports.example.com/p${pkg}"

// Token authenticates the reports.
var Token = os.Getenv("P${pkg}_TOKEN")

// Send posts one report.
func Send() error {
	resp, err := http.Get(Endpoint)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`
}

function generate(root: string): { files: number; goFiles: number } {
  let files = 0
  let goFiles = 0
  const write = (p: string, content: string) => {
    writeFileSync(p, content)
    files++
    if (p.endsWith('.go') && !p.endsWith('_test.go')) goFiles++
  }
  write(join(root, 'go.mod'), `module ${MODULE}\n\ngo 1.23\n`)
  for (const [dir, imports] of [
    ['cmd/server', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['cmd/worker', [10, 11]],
  ] as const) {
    mkdirSync(join(root, dir), { recursive: true })
    write(
      join(root, dir, 'main.go'),
      `package main

import (
	"log"
	"net/http"
	"os"
${imports.map((p) => `\t_ "${MODULE}/pkg/g${p % 50}/p${p}"`).join('\n')}
)

var version = "dev"

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	log.Fatal(http.ListenAndServe(addr, nil))
}
`,
    )
  }
  for (let p = 0; p < PACKAGES; p++) {
    const d = join(root, 'pkg', `g${p % 50}`, `p${p}`)
    mkdirSync(d, { recursive: true })
    // One package in ten reads its configuration and calls out over HTTPS: those are scanned in full.
    for (let f = 0; f < GO_PER_PACKAGE; f++) write(join(d, `file${f}.go`), p % 10 === 0 && f === 0 ? configFile(p) : goFile(p, f))
    for (let f = 0; f < 5; f++) write(join(d, `file${f}_test.go`), `package p${p}\n\nimport "testing"\n\nfunc TestF${f}(t *testing.T) {}\n`)
    for (let f = 0; f < 25; f++) write(join(d, ['README.md', 'data.json', 'schema.sql', 'config.yaml', 'notes.txt'][f % 5]!.replace('.', `${f}.`)), `# ${p}/${f}\n`)
  }
  return { files, goFiles }
}

/** The floor: list every folder once, recursively, in parallel, doing nothing else. */
async function walkAlone(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true })
  const counts = await Promise.all(entries.map((e) => (e.isDirectory() ? walkAlone(join(dir, e.name)) : Promise.resolve(1))))
  return counts.reduce((a, b) => a + b, 0)
}

/** Reads every file under dir, 64 at a time (the cost of looking at all the bytes once). */
async function readAll(dir: string): Promise<number> {
  const files: string[] = []
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name))
      else if (e.isFile()) files.push(join(d, e.name))
    }
  }
  await walk(dir)
  let bytes = 0
  let next = 0
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) bytes += (await readFile(files[i] as string)).length
  }
  await Promise.all(Array.from({ length: 64 }, worker))
  return bytes
}

/** `go list -e -json ./...` in dir, offline, with the local toolchain; null when there is no `go` on PATH. */
function goList(dir: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    execFile(
      'go',
      ['list', '-e', '-json', './...'],
      { cwd: dir, maxBuffer: 1 << 30, env: { ...process.env, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '' } },
      (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') resolve(null)
        else if (err) reject(err)
        else resolve(stdout.length)
      },
    )
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await fn()
    out.push(performance.now() - t)
  }
  return out
}

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`
const hasGo = (await goList(join(import.meta.dirname, '..', 'examples', 'hello-api')).catch(() => null)) !== null
console.log(`${cpus().length} CPUs · load ${loadavg().map((x) => x.toFixed(1)).join(' ')} · go on PATH: ${hasGo ? 'yes' : 'no (go list not measured)'}`)
for (const [label, dir, main] of [
  ['examples/hello-api', join(import.meta.dirname, '..', 'examples', 'hello-api'), undefined],
  ['config-libs (6 mains, vendor/)', join(import.meta.dirname, '..', 'test', 'fixtures', 'go', 'config-libs'), 'cmd/cobra'],
] as const) {
  const projects = new GoProjects({ git: null })
  await projects.analyze(dir, main ? { main } : {}) // warm-up
  const runs = await time(() => projects.analyze(dir, main ? { main } : {}))
  const a = median(runs)
  const read = median(await time(() => readAll(dir)))
  const list = hasGo ? median(await time(() => goList(dir))) : null
  console.log(
    `analyze ${label}: ${ms(a)} (runs ${runs.map((x) => Math.round(x)).join(', ')}) · read every file ${ms(read)} (${(a / read).toFixed(1)}×)` +
      (list !== null ? ` · go list -e -json ./... ${ms(list)} (${(a / list).toFixed(2)}×)` : ''),
  )
}

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
const root = mkdtempSync(join(base, 'slipway-bench-'))
try {
  const t0 = performance.now()
  const made = generate(root)
  console.log(`generated ${made.files.toLocaleString('en-US')} files (${made.goFiles.toLocaleString('en-US')} non-test .go) in ${root} in ${Math.round(performance.now() - t0)} ms`)

  // The scan pool whatever the load (by default it is used only when a core is free: load average below cores − ½).
  const projects = new GoProjects({ git: null, usePool: () => true })
  // The same analysis with every file read and scanned on the service's thread (no scan pool).
  const oneThread = new GoProjects({ git: null, scanPool: null })
  const first = await projects.analyze(root) // warm-up: JIT, page cache, the scan pool's start
  await oneThread.analyze(root)
  if (first.stats.files !== made.files || first.mains.length !== 2 || first.needs.env.length !== PACKAGES / 10 + 1)
    throw new Error(`unexpected analysis: ${JSON.stringify(first.stats)}, ${first.mains.length} mains, ${first.needs.env.length} env vars`)
  const walkMs = median(await time(() => walkAlone(root)))
  // Alternated, so both see the same load.
  const analyzeRuns: number[] = []
  const oneThreadRuns: number[] = []
  const cpu = { pool: [] as number[], one: [] as number[] }
  for (let i = 0; i < RUNS; i++) {
    for (const [p, runs, c] of [[projects, analyzeRuns, cpu.pool], [oneThread, oneThreadRuns, cpu.one]] as const) {
      const u = process.cpuUsage()
      const t = performance.now()
      await p.analyze(root)
      runs.push(performance.now() - t)
      const d = process.cpuUsage(u)
      c.push((d.user + d.system) / 1000)
    }
  }
  const analyzeMs = median(analyzeRuns)
  const againstAt = process.argv.indexOf('--against')
  if (againstAt > 0) {
    const dir = process.argv[againstAt + 1] ?? '.'
    const other = (await import(join(dir, 'electron', 'services', 'go-project', 'index.ts'))) as { GoProjects: typeof GoProjects }
    const variants = [
      ['this, pool', projects],
      ['against, pool', new other.GoProjects({ git: null, usePool: () => true })],
      ['this, one thread', oneThread],
      ['against, one thread', new other.GoProjects({ git: null, scanPool: null })],
    ] as const
    for (const [, p] of variants) await p.analyze(root) // warm-up: JIT, the other checkout's scan pool
    const wall = variants.map(() => [] as number[])
    const cpuMs = variants.map(() => [] as number[])
    for (let i = 0; i < RUNS + 2; i++) {
      for (const [k, [, p]] of variants.entries()) {
        const u = process.cpuUsage()
        const t = performance.now()
        await p.analyze(root)
        wall[k]?.push(performance.now() - t)
        const d = process.cpuUsage(u)
        cpuMs[k]?.push((d.user + d.system) / 1000)
      }
    }
    console.log(`against ${dir}, alternated, ${RUNS + 2} runs each · load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
    for (const [k, [label]] of variants.entries())
      console.log(`  ${label}: ${Math.round(median(wall[k] ?? []))} ms (runs ${(wall[k] ?? []).map((x) => Math.round(x)).join(', ')}) · CPU all threads ${Math.round(median(cpuMs[k] ?? []))} ms`)
    console.log(
      `  this / against: pool ${(median(wall[0] ?? []) / median(wall[1] ?? [])).toFixed(2)}×, one thread ${(median(wall[2] ?? []) / median(wall[3] ?? [])).toFixed(2)}× (CPU ${(median(cpuMs[0] ?? []) / median(cpuMs[1] ?? [])).toFixed(2)}×, ${(median(cpuMs[2] ?? []) / median(cpuMs[3] ?? [])).toFixed(2)}×)`,
    )
  }
  const profileAt = process.argv.indexOf('--profile')
  if (profileAt > 0) {
    const session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
    for (let i = 0; i < RUNS; i++) await oneThread.analyze(root)
    const { profile } = await session.post('Profiler.stop')
    const out = join(process.argv[profileAt + 1] ?? '.', `analyze-${Date.now()}.cpuprofile`)
    writeFileSync(out, JSON.stringify(profile))
    console.log(`profile of ${RUNS} one-thread analyses: ${out}`)
  }
  const withGit = median(await time(() => new GoProjects().analyze(root)))
  // The app asks through the analysis memo, whose fingerprint runs beside each analysis (this tree is past its 50,000 entries: it gives up).
  const fingerprintMs = median(await time(() => folderFingerprint(root)))
  const readMs = median(await time(() => readAll(root)))
  if (hasGo) await goList(root) // warm-up: the Go build cache
  const listRuns = hasGo ? await time(() => goList(root)) : []

  console.log(`main imports all ${PACKAGES} packages (an import chain); ${PACKAGES / 10} of them need a full scan (env, HTTPS)`)
  console.log(`runs: ${analyzeRuns.map((x) => Math.round(x)).join(', ')} ms · ${cpus().length} CPUs · load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  console.log(`analyze 50k files: ${Math.round(analyzeMs)} ms (walk alone ${Math.round(walkMs)} ms, ratio ${(analyzeMs / walkMs).toFixed(1)}×); with git lookups (not a repo): ${Math.round(withGit)} ms; the memo's fingerprint beside it: ${Math.round(fingerprintMs)} ms`)
  console.log(
    `one thread (no scan pool): ${Math.round(median(oneThreadRuns))} ms (runs ${oneThreadRuns.map((x) => Math.round(x)).join(', ')}) · with the pool ${(analyzeMs / median(oneThreadRuns)).toFixed(2)}× of it · CPU, all threads: pool ${Math.round(median(cpu.pool))} ms, one thread ${Math.round(median(cpu.one))} ms`,
  )
  console.log(
    `read every file ${Math.round(readMs)} ms (${(analyzeMs / readMs).toFixed(2)}×)` +
      (listRuns.length > 0 ? ` · go list -e -json ./... ${Math.round(median(listRuns))} ms (${(analyzeMs / median(listRuns)).toFixed(2)}×)` : ''),
  )
} finally {
  rmSync(root, { recursive: true, force: true })
}
