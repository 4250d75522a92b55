// Benchmark: `GoProjects.analyze` on a generated 50,000-file Go tree, against the floor of a plain
// recursive readdir walk of the same tree. Run: npx tsx bench/analyze.bench.ts
// Prints figures and a ratio, not pass/fail. The tree lives in /dev/shm when there is one (deleting
// 50,000 files from a disk mounted with `discard` takes minutes), else in the OS temp dir.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { GoProjects } from '../electron/services/go-project'

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

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
const root = mkdtempSync(join(base, 'slipway-bench-'))
try {
  const t0 = performance.now()
  const made = generate(root)
  console.log(`generated ${made.files.toLocaleString('en-US')} files (${made.goFiles.toLocaleString('en-US')} non-test .go) in ${root} in ${Math.round(performance.now() - t0)} ms`)

  const projects = new GoProjects({ git: null })
  const first = await projects.analyze(root) // warm-up: JIT and page cache
  if (first.stats.files !== made.files || first.mains.length !== 2 || first.needs.env.length !== PACKAGES / 10 + 1)
    throw new Error(`unexpected analysis: ${JSON.stringify(first.stats)}, ${first.mains.length} mains, ${first.needs.env.length} env vars`)
  const walkMs = median(await time(() => walkAlone(root)))
  const analyzeRuns = await time(() => projects.analyze(root))
  const analyzeMs = median(analyzeRuns)
  const withGit = median(await time(() => new GoProjects().analyze(root)))

  console.log(`main imports all ${PACKAGES} packages (an import chain); ${PACKAGES / 10} of them need a full scan (env, HTTPS)`)
  console.log(`runs: ${analyzeRuns.map((x) => Math.round(x)).join(', ')} ms · ${cpus().length} CPUs · load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  console.log(`analyze 50k files: ${Math.round(analyzeMs)} ms (walk alone ${Math.round(walkMs)} ms, ratio ${(analyzeMs / walkMs).toFixed(1)}×); with git lookups (not a repo): ${Math.round(withGit)} ms`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
