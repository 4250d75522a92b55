// The bundled command line (bin/build-cli.mjs): it runs, it knows when its sources changed, and its
// start-up imports stay light — `slipway --help` must not load dockerode, zod or the services.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildCli, cliIsFresh } from '../../../bin/build-cli.mjs'

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }>
}

const ROOT = join(import.meta.dirname, '..', '..', '..')
const run = promisify(execFile)

describe('the bundled CLI', () => {
  // Inside the checkout, so the bundle's imports of dependencies resolve from node_modules.
  mkdirSync(join(ROOT, 'out'), { recursive: true })
  const outdir = mkdtempSync(join(ROOT, 'out', '.cli-test-'))
  let meta: Metafile
  beforeAll(async () => {
    meta = (await buildCli({ outdir })) as Metafile
  }, 60_000)
  afterAll(() => rmSync(outdir, { recursive: true, force: true }))

  it('loads only commander and the command definitions at start', () => {
    const entry = Object.keys(meta.outputs).find((k) => k.endsWith('/slipway.js'))!
    const packages = new Set<string>()
    const sources = new Set<string>()
    const seen = new Set<string>()
    const walk = (out: string) => {
      if (seen.has(out)) return
      seen.add(out)
      const o = meta.outputs[out]!
      for (const s of Object.keys(o.inputs)) sources.add(s)
      for (const i of o.imports) {
        if (i.kind !== 'import-statement') continue // dynamic imports load when a command runs
        if (!i.external) walk(i.path)
        else if (!i.path.startsWith('node:')) packages.add(i.path)
      }
    }
    walk(entry)
    expect([...packages], 'a command module imports a heavy package at the top: import it inside the action').toEqual(['commander'])
    const services = [...sources].filter((s) => s.startsWith('electron/services/') && !s.endsWith('/errors.ts'))
    expect(services, 'a command module imports services at the top: `await import(\'./cli-services\')` inside the action').toEqual([])
    expect(sources).toContain('electron/cli/index.ts')
  })

  it('runs, and says which commands there are', async () => {
    const { stdout } = await run(process.execPath, [join(outdir, 'slipway.js'), '--help'], { cwd: ROOT })
    expect(stdout).toMatch(/^Usage: slipway /)
    for (const c of ['analyze', 'dockerfile', 'build', 'compare', 'layers', 'run', 'engine']) expect(stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
    const { stdout: version } = await run(process.execPath, [join(outdir, 'slipway.js'), '--version'], { cwd: ROOT })
    expect(version.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version)
  })

  it('is stale once a source is newer than the bundle, or gone', () => {
    expect(cliIsFresh(outdir)).toBe(true)
    const stampFile = join(outdir, 'inputs.json')
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { builtAt: number; inputs: string[] }
    expect(stamp.inputs).toContain('electron/cli/index.ts')
    expect(stamp.inputs).toContain('bin/build-cli.mjs')
    expect(stamp.inputs.some((f) => f.startsWith('node_modules/'))).toBe(false)
    writeFileSync(stampFile, JSON.stringify({ ...stamp, builtAt: 0 }))
    expect(cliIsFresh(outdir)).toBe(false)
    writeFileSync(stampFile, JSON.stringify({ ...stamp, inputs: [...stamp.inputs, 'electron/cli/gone.ts'] }))
    expect(cliIsFresh(outdir)).toBe(false)
    writeFileSync(stampFile, JSON.stringify(stamp))
    expect(cliIsFresh(outdir)).toBe(true)
  })
})
