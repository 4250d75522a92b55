// Build speed, against baselines run in the same process on the same engine and cache state:
//  1. Slipway's build (the Builds service through the API) vs `docker build` of the same Dockerfile
//     and context (the docker CLI, BuildKit), alternated ROUNDS times, each after a one-line source
//     change so the compile step really runs. Goal: ratio ≤ 1.05.
//  2. Rebuild after a one-line change: the generated recipe vs a naive single-stage `COPY . .`
//     Dockerfile, both with BuildKit. Goal: ratio ≤ 0.1.
//  3. Comparing three bases vs building one (both after a one-line change). Goal: ratio ≤ 1.5.
//  4. The cold start's two methods on the three images, alternated ROUNDS times: a probe with a bridge
//     endpoint of its own (the old figure: network setup included) vs a probe that joins the
//     comparison's network holder (today's: network setup excluded). The second should be lower by
//     about the bridge setup, and keep the bases' order.
// Uses the offline stand-ins (test/engine/images) through the custom-base setting.
// Run: npx tsx bench/build.bench.ts   (ROUNDS=5 by default; SECTIONS=1,3 runs only those)
import { execFile, spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createProbe, createProbeNet, PROBE_NET_LABEL, PROBE_OWNER_LABEL, probeOwner } from '../electron/services/build/measure'
import type { CompareResult } from '../shared/types/build'
import { testServices } from '../test/support/services'

const run = promisify(execFile)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const SECTIONS = new Set((process.env.SECTIONS ?? '1,2,3,4').split(',').map((x) => x.trim()))
const ROOT = join(import.meta.dirname, '..')
// The docker CLI that accepts DOCKER_BUILDKIT=1 here (the v28 client has no buildx plugin).
const DOCKER = process.env.DOCKER_CLI ?? '/usr/bin/docker'

const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-'))
const dir = join(tmp, 'bench-app')
cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, 'module example.com/bench-app'))
let edits = 0
/** A one-line change the cache has not seen. */
const touch = () => writeFileSync(join(dir, 'touch.go'), `package main\n\nconst benchEdit = "${Date.now()}-${edits++}"\n\nvar _ = benchEdit\n`)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** `docker build -f - DIR` with the Dockerfile on stdin, as a person would run it. */
function cliBuild(dockerfile: string, tag: string, buildArgs: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['build', '-q', '-t', tag, '-f', '-', ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), dir]
    const p = spawn(DOCKER, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['pipe', 'ignore', 'pipe'] })
    let err = ''
    p.stderr.on('data', (c: Buffer) => (err += c.toString()))
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker build failed (${code}): ${err.slice(-2000)}`))))
    p.stdin.end(dockerfile)
  })
}

const t = await testServices()
const tags: string[] = []
/** Section 3's last comparison (section 4 times its images). */
let last: CompareResult | null = null
try {
  const build = async (base = 'scratch') => {
    const { done } = await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base })
    const r = await done
    tags.push(...r.tags)
  }
  console.log(`Warming up (first build compiles the standard library into the cache mounts)…`)
  await build()
  const prepared = await t.services.builds.prepare(dir, { base: 'scratch' })
  // The CLI reads the .dockerignore from the folder: give it the recipe's, so both send the same context.
  writeFileSync(join(dir, '.dockerignore'), prepared.recipe.dockerignore)
  touch()
  await cliBuild(prepared.recipe.dockerfile, 'slipway-bench/cli:scratch', prepared.recipe.buildArgs)
  tags.push('slipway-bench/cli:scratch')

  // 1. Slipway vs docker build, alternated.
  if (SECTIONS.has('1')) {
    const ours: number[] = []
    const theirs: number[] = []
    for (let i = 0; i < ROUNDS; i++) {
      touch()
      ours.push(await timed(() => build()))
      touch()
      theirs.push(await timed(() => cliBuild(prepared.recipe.dockerfile, 'slipway-bench/cli:scratch', prepared.recipe.buildArgs)))
  }
  console.log(`\n1. one-line change, then build (median of ${ROUNDS}, alternated)`)
  console.log(`   Slipway (API, BuildKit)   ${fmt(median(ours))}   [${ours.map(fmt).join(', ')}]`)
  console.log(`   docker build (CLI)        ${fmt(median(theirs))}   [${theirs.map(fmt).join(', ')}]`)
  console.log(`   ratio ${(median(ours) / median(theirs)).toFixed(3)}   goal ≤ 1.05`)
  }

  // 2. The recipe vs a naive single-stage Dockerfile, rebuild after a one-line change.
  if (SECTIONS.has('2')) {
    const naive = `FROM ${prepared.builderImage}\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app/bench-app .\nCMD ["/app/bench-app"]\n`
    touch()
    await cliBuild(naive, 'slipway-bench/naive:1', {})
    tags.push('slipway-bench/naive:1')
    const recipe: number[] = []
    const single: number[] = []
    for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
      touch()
      recipe.push(await timed(() => cliBuild(prepared.recipe.dockerfile, 'slipway-bench/cli:scratch', prepared.recipe.buildArgs)))
      touch()
      single.push(await timed(() => cliBuild(naive, 'slipway-bench/naive:1', {})))
  }
  console.log(`\n2. rebuild after a one-line change (median of ${recipe.length}, both docker build with BuildKit)`)
  console.log(`   generated recipe          ${fmt(median(recipe))}   [${recipe.map(fmt).join(', ')}]`)
  console.log(`   naive COPY . . + go build ${fmt(median(single))}   [${single.map(fmt).join(', ')}]`)
  console.log(`   ratio ${(median(recipe) / median(single)).toFixed(3)}   goal ≤ 0.1`)
  }

  // 3. Compare three bases vs build one.
  if (SECTIONS.has('3')) {
    const one: number[] = []
    const three: number[] = []
    // Where a comparison's time goes: the three builds with their measurements (every row is out), then
    // the three cold starts, which run one after another on a quiet engine (each row's last event).
    const builtAndMeasured: number[] = []
    const coldStarts: number[] = []
    const builtOnly: number[] = []
    // Rounds whose three images share one binary layer (one diffID, measured once): BuildKit stamps
    // the new /app folder with the copy's second, so it depends on the copies falling in one second.
    let sharedBinary = 0
    let timeline: string[] = []
    const EMPTY_LAYER = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef'
    for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
      touch()
      one.push(await timed(() => build()))
      touch()
      const jobId = crypto.randomUUID()
      let next = t.rec.seen.length
      const wall0 = Date.now()
      const t0 = performance.now()
      const stamps: { pending: boolean; at: number }[] = []
      const builtAt: number[] = []
      const watch = setInterval(() => {
        for (; next < t.rec.seen.length; next++) {
          const e = t.rec.seen[next] as (typeof t.rec.seen)[number]
          const p = e.payload as { jobId?: string; row?: { coldStartPending: boolean }; phase?: string }
          if (e.event === 'compare.row' && p.jobId === jobId && p.row) stamps.push({ pending: p.row.coldStartPending, at: performance.now() - t0 })
          if (e.event === 'compare.progress' && p.jobId === jobId && p.phase === 'measuring') builtAt.push(performance.now() - t0)
        }
      }, 5)
      three.push(
        await timed(async () => {
          const r = await t.services.comparisons.launch({ jobId, dir })
          tags.push(...r.rows.map((x) => x.tag))
          last = r
        }),
      )
      clearInterval(watch)
      // The probes' and the holder's engine events (this process's owner label), on the comparison's clock.
      const { stdout: ev } = await run('docker', ['events', '--since', String(Math.floor(wall0 / 1000) - 1), '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'type=container', '--filter', `label=${PROBE_OWNER_LABEL}=${probeOwner()}`, '--format', '{{json .}}'])
      const at = (e: { timeNano: number }) => ((e.timeNano / 1e6 - wall0) / 1000).toFixed(2)
      const events = ev.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Action: string; timeNano: number; Actor: { ID: string; Attributes: Record<string, string> } }).filter((e) => e.timeNano / 1e6 >= wall0)
      const holder = events.find((e) => e.Actor.Attributes[PROBE_NET_LABEL] === '1')?.Actor.ID
      const line = (pick: (e: (typeof events)[number]) => boolean, action: string) => events.filter((e) => pick(e) && e.Action === action).map(at).join(' ')
      timeline = [
        `builds done ${(Math.max(...builtAt) / 1000).toFixed(2)}, last measured ${(Math.max(...stamps.filter((x) => x.pending).map((x) => x.at)) / 1000).toFixed(2)}, done ${(three.at(-1) as number / 1000).toFixed(2)} (s after the comparison began)`,
        `holder: create ${line((e) => e.Actor.ID === holder, 'create')}, start ${line((e) => e.Actor.ID === holder, 'start')}`,
        `probes: create ${line((e) => e.Actor.ID !== holder, 'create')}; start ${line((e) => e.Actor.ID !== holder, 'start')}; kill ${line((e) => e.Actor.ID !== holder, 'kill')}; die ${line((e) => e.Actor.ID !== holder, 'die')}`,
        `cold starts reported ${stamps.filter((x) => !x.pending).map((x) => (x.at / 1000).toFixed(2)).join(' ')}`,
      ]
      const layers = await Promise.all(((last as CompareResult | null)?.rows ?? []).map(async (x) => (await t.services.engine.client().getImage(x.imageId).inspect()).RootFS.Layers ?? []))
      const [first, ...rest] = layers
      if (first?.some((d: string) => d !== EMPTY_LAYER && rest.every((l: string[]) => l.includes(d)))) sharedBinary++
      const measured = Math.max(...stamps.filter((x) => x.pending).map((x) => x.at))
      builtAndMeasured.push(measured)
      builtOnly.push(Math.max(...builtAt))
      coldStarts.push(Math.max(...stamps.map((x) => x.at)) - measured)
    }
    console.log(`\n3. one-line change, then compare scratch + distroless-static + alpine vs build one (median of ${one.length})`)
    console.log(`   build one                 ${fmt(median(one))}   [${one.map(fmt).join(', ')}]`)
    console.log(`   compare three (+ measure) ${fmt(median(three))}   [${three.map(fmt).join(', ')}]`)
    console.log(`     of which: three builds with their measurements ${fmt(median(builtAndMeasured))} (ratio ${(median(builtAndMeasured) / median(one)).toFixed(3)} to build one), three cold starts in turn ${fmt(median(coldStarts))}`)
    console.log(`     builds alone (the last one done) ${fmt(median(builtOnly))} [${builtOnly.map(fmt).join(', ')}]; measuring after it ${fmt(median(builtAndMeasured.map((x, i) => x - (builtOnly[i] as number))))}; cold starts [${coldStarts.map(fmt).join(', ')}]`)
    console.log(`     rounds whose three images share one binary layer: ${sharedBinary} of ${three.length}`)
    console.log(`     last round's timeline:\n       ${timeline.join('\n       ')}`)
    console.log(`   ratio ${(median(three) / median(one)).toFixed(3)}   goal ≤ 1.5`)
    if (last) {
      const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`
      console.log(`   the example's comparison (last round):\n   | base | size | compressed | binary | layers | cold start |\n   |---|---|---|---|---|---|`)
      for (const r of (last as CompareResult).rows)
        console.log(`   | ${r.base} | ${kB(r.sizeBytes)} | ${kB(r.compressedBytes)} | ${kB(r.binaryBytes)} | ${r.layers} | ${r.coldStartMs ?? '—'} ms |`)
    }
  }
  // 4. Old and new cold-start method, alternated on the same images.
  if (SECTIONS.has('4')) {
    const rows = last ? (last as CompareResult).rows : (await t.services.comparisons.launch({ jobId: crypto.randomUUID(), dir })).rows
    tags.push(...rows.map((x) => x.tag))
    const docker = t.services.engine.client()
    const port = Number(Object.keys((await docker.getImage(rows[0]?.imageId as string).inspect()).Config.ExposedPorts ?? {})[0]?.split('/')[0])
    const t0 = performance.now()
    const net = await createProbeNet(docker, prepared.builderImage, [port])
    const holderMs = performance.now() - t0
    const figures = new Map(rows.map((r) => [r.base, { bridge: [] as number[], shared: [] as number[], stop: [] as number[] }]))
    try {
      for (let i = 0; i < ROUNDS; i++) {
        for (const r of rows) {
          const f = figures.get(r.base) as { bridge: number[]; shared: number[]; stop: number[] }
          const bridged = async () => {
            const p = await createProbe(docker, r.imageId, port, [])
            f.bridge.push((await p.time()).ms ?? NaN)
            await p.remove()
          }
          const shared = async () => {
            const p = await createProbe(docker, r.imageId, port, [], { net })
            f.shared.push((await p.time()).ms ?? NaN)
            f.stop.push(await timed(() => p.stop()))
            await p.remove()
          }
          if (i % 2 === 0) await bridged().then(shared)
          else await shared().then(bridged)
        }
      }
    } finally {
      await net.remove()
    }
    const ms = (x: number) => `${Math.round(x)} ms`
    console.log(`\n4. cold start, old (bridge per probe) vs new (probe joins the network holder), alternated ${ROUNDS}× (medians)`)
    console.log(`   holder made in ${ms(holderMs)} (not timed in a comparison: made while the other builds run)`)
    for (const [base, f] of figures)
      console.log(`   ${base.padEnd(18)} old ${ms(median(f.bridge))}  new ${ms(median(f.shared))}  less ${ms(median(f.bridge) - median(f.shared))}  (stop before the next ${ms(median(f.stop))})   old [${f.bridge.map(ms).join(', ')}]  new [${f.shared.map(ms).join(', ')}]`)
    const order = (k: 'bridge' | 'shared') => [...figures].sort((a, b) => median(a[1][k]) - median(b[1][k])).map(([b]) => b).join(' < ')
    console.log(`   order old: ${order('bridge')}   new: ${order('shared')}`)
  }
  console.log(`\nload average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
} finally {
  t.close()
  const unique = [...new Set(tags)]
  if (unique.length) await run('docker', ['image', 'rm', '-f', ...unique]).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
}
