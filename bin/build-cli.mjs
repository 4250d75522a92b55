#!/usr/bin/env node
// Bundles the command line (electron/cli/index.ts), browser mode's host (electron/host/web.ts) and
// the workers they start into out/cli/ with esbuild, so `slipway` and `npm run web` start without
// compiling TypeScript. npm's `prepare` runs it (after `npm ci`), and bin/slipway.mjs and
// bin/web.mjs run it again when a source is newer than the bundle (runBundled below).
//
// Dependencies stay in node_modules (`packages: 'external'`). Commands import their services
// inside their actions (`await import('./cli-services')`), and `splitting` turns those imports into
// chunks, so `slipway --help` loads commander and the command definitions, not dockerode or zod.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Where the bundle goes, and the file that lists its sources (for the freshness check). */
export const CLI_OUT = join(ROOT, 'out', 'cli')
export const CLI_ENTRY = join(CLI_OUT, 'slipway.js')
/** Browser mode's host in the same bundle (its services are the CLI's chunks). */
export const WEB_ENTRY = join(CLI_OUT, 'web.js')

/** Chunks no build has written for this long are removed (a running CLI may still load an older one). */
const STALE_CHUNK_MS = 10 * 60_000

/**
 * Builds the bundle. Every file is written to a temporary name and renamed, chunk names carry their
 * content hash and the entry is written last, so a CLI started during a build (tests run several at
 * once) loads either the old bundle or the new one, never half of each.
 */
export async function buildCli({ outdir = CLI_OUT } = {}) {
  const { build } = await import('esbuild')
  const builtAt = Date.now()
  const result = await build({
    absWorkingDir: ROOT,
    // A worker sits next to the chunk that starts it (workerModuleUrl looks for ./NAME.js).
    entryPoints: {
      slipway: 'electron/cli/index.ts',
      web: 'electron/host/web.ts',
      'index-worker': 'electron/services/layers/index-worker.ts',
      'go-scan-worker': 'electron/services/go-project/go-scan-worker.ts',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    outdir,
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    write: false,
    metafile: true,
    logLevel: 'warning',
  })
  mkdirSync(outdir, { recursive: true })
  const entries = new Set(['slipway', 'web', 'index-worker', 'go-scan-worker'].flatMap((e) => [`${e}.js`, `${e}.js.map`]))
  const files = [...result.outputFiles].sort((a, b) => Number(entries.has(basename(a.path))) - Number(entries.has(basename(b.path))))
  for (const f of files) writeAtomically(f.path, f.contents)
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')), relative(ROOT, fileURLToPath(import.meta.url))]
  writeAtomically(join(outdir, 'inputs.json'), JSON.stringify({ builtAt, inputs }))
  const written = new Set(files.map((f) => basename(f.path)))
  for (const name of readdirSync(outdir)) {
    if (!name.startsWith('chunk-') || written.has(name)) continue
    const file = join(outdir, name)
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_CHUNK_MS) unlinkSync(file)
    } catch {
      // Another build removed it first.
    }
  }
  return result.metafile
}

/** True when the bundle exists and no source it was built from changed since (or disappeared). */
export function cliIsFresh(outdir = CLI_OUT) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(join(outdir, 'inputs.json'), 'utf8'))
    statSync(join(outdir, 'slipway.js'))
    return inputs.every((f) => statSync(join(ROOT, f)).mtimeMs < builtAt)
  } catch {
    return false
  }
}

/**
 * Runs an entry of the bundle (CLI_ENTRY or WEB_ENTRY), building the bundle first when a source
 * changed since: a checkout never runs a stale command line or host.
 */
export async function runBundled(entry, name) {
  if (!cliIsFresh()) {
    try {
      await buildCli()
    } catch (err) {
      // Without esbuild (an install without devDependencies) the bundle there is the one to run; a
      // source that does not compile is an error, never a reason to run an older build.
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(entry)) {
        process.stderr.write(`${name}: could not build from its sources (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).\n`)
        process.exit(1)
      }
    }
  }
  await import(pathToFileURL(entry).href)
}

function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  writeFileSync(tmp, contents)
  renameSync(tmp, file)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli()
