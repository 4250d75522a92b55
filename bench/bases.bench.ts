// Making bases from Debian packages (the Bases service: no root, no debootstrap, no apt) against
// today's provisioning of the same images (test/engine/images: `docker build` of the stand-in
// Dockerfiles, which run apt-get inside the debootstrap'd slipway-test/debian:bookworm image).
//  1. the static base, cold (empty data folder: indexes and .debs downloaded, layer assembled), with
//     the .debs cached but not the layer (the layer cache emptied), and warm (the layer cached);
//  2. the Go builder, the same three;
//  baselines: `docker build --no-cache` of test/engine/images/distroless-static and golang (their
//  apt-get update + install from the same mirror), plus, with BENCH_DEBOOTSTRAP=1 (root), the
//  debootstrap of the Debian root they start from — a cost the stand-ins pay once per machine.
// Run: npx tsx bench/bases.bench.ts   (needs the provisioned engine; quote the load average)
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createServices } from '../electron/services'
import type { MadeBaseId } from '../shared/debian/recipes'
import { suiteMirrors, readAptSources } from '../electron/services/bases/apt-config'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** Makes `id` with the app's services on `dataDir` (its package cache decides cold or warm). */
async function make(dataDir: string, id: MadeBaseId): Promise<{ ms: number; size: number; packages: number; imageId: string }> {
  const services = createServices({ emit: () => undefined, dataDir, env: { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' } })
  await services.engine.start()
  try {
    let made: Awaited<ReturnType<typeof services.bases.makeAndWait>> = []
    const ms = await timed(async () => (made = await services.bases.makeAndWait(crypto.randomUUID(), [id])))
    return { ms, size: made[0]!.sizeBytes, packages: made[0]!.packages.length, imageId: made[0]!.imageId }
  } finally {
    services.engine.stop()
  }
}

/** Today's provisioning step for a stand-in: its Dockerfile built without cache (classic builder, as provision.sh does). */
async function provision(dir: string, tag: string): Promise<number> {
  return timed(() => run('docker', ['build', '--no-cache', '-q', '-t', tag, join(ROOT, 'test', 'engine', 'images', dir)], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, maxBuffer: 1 << 26 }))
}

const size = async (tag: string) => Number((await run('docker', ['image', 'inspect', '--format', '{{.Size}}', tag])).stdout.trim())
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`

const cold = mkdtempSync(join(tmpdir(), 'slipway-bench-bases-'))
const tags: string[] = []
try {
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  const rows: [string, string, string][] = []
  for (const [id, standIn] of [
    ['static', 'distroless-static'],
    ['golang', 'golang'],
  ] as const) {
    const c = await make(cold, id)
    rmSync(join(cold, 'cache', 'debian', 'layers'), { recursive: true, force: true })
    const d = await make(cold, id)
    const w = await make(cold, id)
    const tag = `slipway-bench/${standIn}:${Date.now().toString(36)}`
    tags.push(tag)
    const p = await provision(standIn, tag)
    const ps = await size(tag)
    console.log(`${id}: made cold ${fmt(c.ms)}, .debs cached ${fmt(d.ms)}, layer cached ${fmt(w.ms)} (${c.packages} packages, ${mb(c.size)}, same id: ${c.imageId === d.imageId && d.imageId === w.imageId}); the old docker build of ${standIn}: ${fmt(p)} (${mb(ps)})`)
    rows.push([id, `${fmt(c.ms)} / ${fmt(d.ms)} / ${fmt(w.ms)}`, `${fmt(p)}  ratio cold ${(c.ms / p).toFixed(2)}, .debs cached ${(d.ms / p).toFixed(2)}, warm ${(w.ms / p).toFixed(2)}`])
  }
  if (process.env.BENCH_DEBOOTSTRAP === '1') {
    const mirror = suiteMirrors(await readAptSources('/etc/apt'), 'bookworm', null).release.uri
    const target = mkdtempSync(join('/var/tmp', 'slipway-bench-debootstrap-'))
    const ms = await timed(() => run('debootstrap', ['--variant=minbase', 'bookworm', target, mirror], { maxBuffer: 1 << 26 }))
    await run('rm', ['-rf', '--one-file-system', target])
    console.log(`debootstrap --variant=minbase (the Debian root every stand-in starts from): ${fmt(ms)}`)
  }
  console.log('\nbase     made cold / .debs cached / layer cached    the old provisioning (docker build of the stand-in)')
  for (const r of rows) console.log(`${r[0].padEnd(8)} ${r[1].padEnd(34)} ${r[2]}`)
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
} finally {
  rmSync(cold, { recursive: true, force: true })
  if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
}
