// Making bases from Debian packages (the Bases service: no root, no debootstrap, no apt) against
// today's baseline, the old provisioning of the same images (test/engine/images: `docker build` of
// the stand-in Dockerfiles, which run apt-get inside the debootstrap'd Debian root — the
// `SLIPWAY_TEST_BASES=debootstrap` path of provision.sh).
//  1. on a fresh engine (a test-owned dockerd with an empty data root, test/engine/second-daemon.ts,
//     so nothing of the shared engine is removed): the static base and the Go builder made cold
//     (empty data folder: indexes and .debs downloaded, index parsed, layer assembled, image loaded);
//     then made again with the image removed (data folder warm: parsed index and layer cached, the
//     image loaded again) — what a first make costs, and a make after `docker rmi`;
//  2. on the shared engine (which has the made images already): with the .debs and parsed index
//     cached but the layer cache emptied (the layer assembled again, same diff id, only tagged), and
//     warm (nothing but the indexes' InRelease read and the tag set);
//  baselines: `docker build --no-cache` of test/engine/images/distroless-static and golang (their
//  apt-get update + install from the same mirror), plus, with BENCH_DEBOOTSTRAP=1 (root), the
//  debootstrap of the Debian root they start from — a cost the stand-ins paid once per machine.
// BASES=static (or golang) limits the bases; SKIP_BASELINE=1 skips the docker builds.
// PROVISION=1 instead times what a cold `npm run provision` spends on the made stand-ins: the CLI's
// `slipway bases make debian golang static busybox` (provision.sh's call) with an empty data folder
// on a fresh engine; the Debian image's id is compared with the shared engine's stand-in.
// Run: npx tsx bench/bases.bench.ts   (needs the provisioned engine and root for the second dockerd; quote the load)
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createServices } from '../electron/services'
import type { MadeBaseId } from '../shared/debian/recipes'
import { suiteMirrors, readAptSources } from '../electron/services/bases/apt-config'
import { SecondDaemon } from '../test/engine/second-daemon'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ')

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

interface Made {
  ms: number
  size: number
  packages: number
  imageId: string
}

/** Makes `id` with the app's services on `dataDir` (its caches decide cold or warm) and the engine at `host`. */
async function make(dataDir: string, id: MadeBaseId, host: string): Promise<Made> {
  const services = createServices({ emit: () => undefined, dataDir, env: { DOCKER_HOST: host } })
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
const SHARED = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
const BASES = ([
  ['static', 'distroless-static'],
  ['golang', 'golang'],
] as const).filter(([id]) => !process.env.BASES || process.env.BASES.split(',').includes(id))

const dirs: string[] = []
const tags: string[] = []
const daemon = new SecondDaemon()

/** provision.sh's make of the stand-ins, cold: the CLI on an empty data folder and a fresh engine. */
async function coldProvision(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'slipway-bench-provision-'))
  dirs.push(data)
  console.log(`load average before: ${load()}`)
  const ids = ['debian', 'golang', 'static', 'busybox']
  let out = ''
  const ms = await timed(async () => {
    out = (await run(process.execPath, [join(ROOT, 'bin', 'slipway.mjs'), 'bases', 'make', ...ids], { env: { ...process.env, SLIPWAY_DATA_DIR: data, DOCKER_HOST: daemon.host }, maxBuffer: 1 << 26 })).stdout
  })
  console.log(out.trim())
  const made = async (host: string, ref: string) => (await run('docker', ['-H', host, 'image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim()
  const same = (await made(daemon.host, 'slipway-made/debian:bookworm')) === (await made(SHARED, 'slipway-made/debian:bookworm'))
  console.log(`slipway bases make ${ids.join(' ')}, cold (empty data folder, fresh engine): ${fmt(ms)}; the Debian root's image id equals the shared engine's: ${same}`)
  console.log(`load average after: ${load()}`)
}

try {
  await daemon.start()
  if (process.env.PROVISION === '1') await coldProvision()
  else await makes()
} finally {
  await daemon.dispose()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
}

/** Sections 1 and 2 with their baselines. */
async function makes(): Promise<void> {
  console.log(`load average before: ${load()}`)
  const rows: string[] = []
  for (const [id, standIn] of BASES) {
    const data = mkdtempSync(join(tmpdir(), 'slipway-bench-bases-'))
    dirs.push(data)
    // 1. A fresh engine: cold, then the image removed and made again from the warm data folder.
    const cold = await make(data, id, daemon.host)
    const l1 = load()
    await run('docker', ['-H', daemon.host, 'image', 'rm', '-f', cold.imageId])
    const reload = await make(data, id, daemon.host)
    // 2. The shared engine, which has the image: the layer assembled again, then nothing but the tag.
    rmSync(join(data, 'cache', 'debian', 'layers'), { recursive: true, force: true })
    const relayer = await make(data, id, SHARED)
    const warm = await make(data, id, SHARED)
    const same = new Set([cold.imageId, reload.imageId, relayer.imageId, warm.imageId]).size === 1
    console.log(
      `${id}: fresh engine: cold ${fmt(cold.ms)} (load ${l1}), layer cached + loaded ${fmt(reload.ms)}; engine has it: layer assembled again ${fmt(relayer.ms)}, warm ${fmt(warm.ms)} (${cold.packages} packages, ${mb(cold.size)}, same image id every time: ${same})`,
    )
    let baseline = ''
    if (process.env.SKIP_BASELINE !== '1') {
      const tag = `slipway-bench/${standIn}:${Date.now().toString(36)}`
      tags.push(tag)
      const p = await provision(standIn, tag)
      baseline = `${fmt(p)} (${mb(await size(tag))})  ratios: cold ${(cold.ms / p).toFixed(2)}, warm ${(warm.ms / p).toFixed(3)}`
      console.log(`${id}: the old docker build of ${standIn}: ${baseline}`)
    }
    rows.push(`${id.padEnd(7)} ${[cold, reload, relayer, warm].map((m) => fmt(m.ms)).join(' / ').padEnd(30)} ${baseline}`)
  }
  if (process.env.BENCH_DEBOOTSTRAP === '1') {
    const mirror = suiteMirrors(await readAptSources('/etc/apt'), 'bookworm', null).release.uri
    const target = mkdtempSync(join('/var/tmp', 'slipway-bench-debootstrap-'))
    const ms = await timed(() => run('debootstrap', ['--variant=minbase', 'bookworm', target, mirror], { maxBuffer: 1 << 26 }))
    await run('rm', ['-rf', '--one-file-system', target])
    console.log(`debootstrap --variant=minbase (the Debian root every old stand-in starts from): ${fmt(ms)}`)
  }
  console.log('\nbase    cold / reloaded / relayered / warm    the old provisioning (docker build of the stand-in)')
  for (const r of rows) console.log(r)
  console.log(`load average after: ${load()}`)
}
