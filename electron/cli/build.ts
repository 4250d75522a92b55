// `slipway build` and `slipway compare`: the app's Builds and Comparisons services, headless. Steps
// stream to stderr like `--progress=plain`; the result goes to stdout (text or JSON), and the exit
// code says how it ended. Same data folder, settings (custom bases, builder image) and history as
// the app.
import { join } from 'node:path'
import type { Command } from 'commander'
import { compareCsv, compareMarkdown, compareText } from '../../shared/build/compare'
import { formatBytes, formatMillis } from '../../shared/format'
import type { BuildRecord, BuildStep, CompareResult } from '../../shared/types/build'
import type { Services } from '../services'
import type { Output } from './engine'
import { makeOffered, offerOrMake } from './bases'
import { withServices, type Listen } from './with-services'

/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
const INTERRUPTED = 130

export interface BuildCliOptions {
  base?: string
  main?: string
  classic?: boolean
  tag?: string
  json?: boolean
  makeBases?: boolean
}

export interface CompareCliOptions {
  bases?: string
  main?: string
  makeBases?: boolean
  json?: boolean
  markdown?: boolean
  csv?: boolean
}

/** Adds `slipway build` and `slipway compare` to the program. */
export function registerBuildCommands(program: Command, io: Output): void {
  program
    .command('build')
    .description('Build a Go project into an image on the local Docker Engine; steps on stderr, the result on stdout. Exit 0 when it built.')
    .argument('<dir>', 'the project folder (only read; the Dockerfile travels in memory)')
    .option('--base <id>', 'runtime base id (default: the recommended one)')
    .option('--main <dir>', 'the main package when there are several (its folder, e.g. cmd/api)')
    .option('--classic', 'use the classic builder instead of BuildKit')
    .option('--tag <ref>', "an extra tag besides Slipway's own slipway/<project>:<base>")
    .option('--json', 'print the build record as JSON')
    .option('--make-bases', 'when the builder or base cannot be pulled, make it from Debian packages, point Settings at it, then build')
    .action(async (dir: string, opts: BuildCliOptions) => {
      process.exitCode = await withBuilds(io, (s, on, interrupted) => buildCommand(s, on, dir, opts, io, interrupted))
    })
  program
    .command('compare')
    .description('Build the same project on several bases and compare the images side by side (sizes, compressed sizes, binary, overhead, facts, cold start).')
    .argument('<dir>', 'the project folder')
    .option('--bases <ids>', 'comma-separated base ids', 'scratch,distroless-static,alpine')
    .option('--main <dir>', 'the main package when there are several')
    .option('--json', 'print the result as JSON')
    .option('--markdown', 'print a Markdown table')
    .option('--csv', 'print CSV with exact byte counts')
    .option('--make-bases', 'when a base or the builder cannot be pulled, make it from Debian packages and point Settings at it first')
    .action(async (dir: string, opts: CompareCliOptions) => {
      process.exitCode = await withBuilds(io, (s, on, interrupted) => compareCommand(s, on, dir, opts, io, interrupted))
    })
}



/** Prints steps as they start and end, and their log lines, like BuildKit's plain progress. */
function printSteps(on: Listen, io: Output, jobs: (jobId: string) => boolean): void {
  const shown = new Map<string, string>()
  const index = new Map<string, number>()
  on('build.step', ({ jobId, step }) => {
    if (!jobs(jobId)) return
    index.set(step.id, step.index)
    const before = shown.get(step.id)
    if (before === step.status || step.status === 'waiting') return
    shown.set(step.id, step.status)
    if (step.status === 'running') io.err(`#${step.index} ${step.name}`)
    else io.err(`#${step.index} ${ending(step)}`)
  })
  on('build.log', ({ jobId, stepId, lines }) => {
    if (!jobs(jobId)) return
    const n = stepId ? index.get(stepId) : undefined
    for (const l of lines) io.err(n ? `#${n} ${l}` : l)
  })
}

function ending(s: BuildStep): string {
  const took = s.startedAt && s.completedAt ? ` ${formatMillis(s.completedAt - s.startedAt)}` : ''
  if (s.status === 'cached') return 'CACHED'
  if (s.status === 'error') return `ERROR: ${s.error ?? 'failed'}`
  if (s.status === 'cancelled') return 'CANCELED'
  return `DONE${took}`
}

/** `slipway build DIR`: exit 0 when built, 1 when it failed (compile errors listed as file:line:col), 2 for a bad choice. */
export async function buildCommand(s: Services, on: Listen, dir: string, opts: BuildCliOptions, io: Output, interrupted: () => boolean = () => false): Promise<number> {
  const jobId = crypto.randomUUID()
  printSteps(on, io, (id) => id === jobId)
  let record: BuildRecord
  try {
    // One analysis for the preflight and the build.
    const prepared = await s.builds.prepare(dir, { base: opts.base, main: opts.main, ...(opts.classic ? { buildkit: false } : {}) })
    const findings = await s.builds.preflightPrepared(prepared)
    for (const f of findings) if (f.level === 'warning') io.err(`warning: ${f.message}\n    ${f.detail}`)
    // An image that cannot be pulled: said before building, with the base Slipway can make instead.
    const code = await offerOrMake(s, on, findings, { makeBases: opts.makeBases, again: 'Build again' }, io, interrupted)
    if (code !== null && code !== 0) return code
    const { done } = await s.builds.launch(
      {
        jobId,
        dir,
        ...(opts.base ? { base: opts.base } : {}),
        ...(opts.main ? { main: opts.main } : {}),
        ...(opts.classic ? { buildkit: false } : {}),
        ...(opts.tag ? { tag: opts.tag } : {}),
      },
      // A base made just now changed the settings: the build prepares again.
      code === null ? prepared : undefined,
    )
    record = await done
  } catch (e) {
    const err = e as Error & { detail?: string }
    const snap = s.builds.get(jobId)?.record
    for (const c of snap?.compileErrors ?? []) io.err(`${join(snap?.dir ?? dir, c.file)}:${c.line}${c.column ? `:${c.column}` : ''}: ${c.message}`)
    io.err([err.message, err.detail].filter(Boolean).join('\n'))
    if (opts.json && snap) io.out(JSON.stringify(snap, null, 2))
    return err.name === 'UnknownBase' ? 2 : 1
  }
  if (opts.json) io.out(JSON.stringify(record, null, 2))
  else
    io.out(
      [
        `Built ${record.tags.join(', ')}`,
        `  image ${record.imageId}`,
        `  size ${formatBytes(record.sizeBytes ?? 0)} · ${formatMillis(record.durationMs)} · ${record.cachedSteps}/${record.totalSteps} steps cached`,
      ].join('\n'),
    )
  return 0
}

/** `slipway compare DIR`: exit 0 when every base built, 1 when some or all failed. */
export async function compareCommand(s: Services, on: Listen, dir: string, opts: CompareCliOptions, io: Output, interrupted: () => boolean = () => false): Promise<number> {
  const jobId = crypto.randomUUID()
  const builds = new Set<string>()
  on('compare.progress', (p) => {
    if (p.jobId !== jobId) return
    builds.add(p.buildJobId)
    io.err(`[${p.index + 1}/${p.total}] ${p.phase === 'building' ? 'building on' : 'measuring'} ${p.base}`)
  })
  printSteps(on, io, (id) => builds.has(id))
  const bases = (opts.bases ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
  let result: CompareResult
  // When the comparison began: a cold start measured before it was kept from an earlier one.
  const began = Date.now()
  try {
    if (opts.makeBases) {
      // What cannot be pulled is made (or the one made here used) before any base builds.
      const findings = (await Promise.all(bases.map((base) => s.builds.preflight(dir, { base, main: opts.main })))).flat()
      const offers = new Map(findings.flatMap((f) => (f.level === 'blocking' && f.make ? [[`${f.make.base}\0${JSON.stringify(f.make.target)}`, f.make] as const] : [])))
      if (offers.size) {
        const code = await makeOffered(s, on, [...offers.values()], io, interrupted)
        if (code !== 0) return code
      }
    }
    result = await s.comparisons.launch({ jobId, dir, ...(bases.length ? { bases } : {}), ...(opts.main ? { main: opts.main } : {}) })
  } catch (e) {
    const err = e as Error & { detail?: string }
    io.err([err.message, err.detail].filter(Boolean).join('\n'))
    return 1
  }
  if (opts.json) io.out(JSON.stringify(result, null, 2))
  else if (opts.csv) io.out(compareCsv(result.rows).trimEnd())
  else if (opts.markdown) io.out(compareMarkdown(result).trimEnd())
  else io.out(compareText(result, began))
  // With its advice: a base that cannot be pulled says how to make it locally.
  for (const f of result.failures) io.err(`${f.base}: ${f.error.message}${f.error.detail ? `\n    ${f.error.detail}` : ''}`)
  // The table is out; the probe containers are removed before the process ends.
  await s.comparisons.settled()
  return result.failures.length ? 1 : 0
}

/** The services for a build or a comparison: Ctrl-C cancels every running build and the command ends with INTERRUPTED. */
function withBuilds(io: Output, fn: (s: Services, on: Listen, interrupted: () => boolean) => Promise<number>): Promise<number> {
  const cancel = (s: Services) => {
    for (const b of s.builds.active()) s.builds.cancel(b.jobId)
    s.bases.cancelAll()
  }
  return withServices(io, cancel, async (s, on, interrupted) => {
    const code = await fn(s, on, interrupted)
    return interrupted() ? INTERRUPTED : code
  })
}
