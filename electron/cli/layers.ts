import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Option, type Command } from 'commander'
import { engineImageRefProblem } from '../../shared/dockerfile/image-ref'
import { toWireError } from '../../shared/errors'
import { formatBytes, formatCount, shortId } from '../../shared/format'
import { CI_RULE_KEYS, DIVE_CI_DEFAULTS, evaluateCi, type CiReport, type CiRuleKey, type CiRuleSettings } from '../../shared/layers/ci'
import { describeCreatedBy, inefficientFiles, largestFiles, truncate } from '../../shared/layers/describe'
import { layerMarks, type MarkCounts } from '../../shared/layers/marks'
import type { LayerIndex } from '../../shared/layers/types'
import { invalidImageName } from '../services/layers/errors'
import type { Output } from './engine'

export interface LayersCliOptions {
  json?: boolean
  ci?: boolean
  ciConfig?: string
  lowestEfficiency?: string
  highestWastedBytes?: string
  highestUserWastedPercent?: string
  refresh?: boolean
}

/** Adds `slipway layers IMAGE` to the program. */
export function registerLayersCommand(program: Command, io: Output): void {
  program
    .command('layers')
    .description("Show an image's layers, its efficiency and wasted bytes; with --ci, fail when dive's CI rules fail.")
    .argument('<image>', 'image name, tag or id')
    .option('--json', 'print the layers and the summary as JSON')
    .option('--ci', 'check the CI rules and exit 1 when one fails (rules from flags, then .dive-ci, then dive\'s defaults)')
    .option('--ci-config <file>', 'YAML file with the CI rules, like dive\'s', '.dive-ci')
    .option('--lowest-efficiency <ratio>', `lowest allowed efficiency, 0-1 (default ${DIVE_CI_DEFAULTS.lowestEfficiency})`)
    .option('--highest-wasted-bytes <size>', `highest allowed wasted bytes, e.g. 20MB (default ${DIVE_CI_DEFAULTS.highestWastedBytes})`)
    .option('--highest-user-wasted-percent <ratio>', `highest allowed wasted share of the non-base bytes, 0-1 (default ${DIVE_CI_DEFAULTS.highestUserWastedPercent})`)
    .option('--refresh', 'read the image again instead of using the cached index')
    // dive's own spellings, so `dive --ci --lowestEfficiency 0.95 IMAGE` only needs the command renamed.
    .addOption(new Option('--lowestEfficiency <ratio>').hideHelp())
    .addOption(new Option('--highestWastedBytes <size>').hideHelp())
    .addOption(new Option('--highestUserWastedPercent <ratio>').hideHelp())
    .action(async (image: string, opts: LayersCliOptions) => {
      process.exitCode = await layersCommand(image, opts, io)
    })
}

/** `slipway layers IMAGE`: 0 when shown (and, with --ci, every rule passed), 1 otherwise. */
export async function layersCommand(image: string, opts: LayersCliOptions, io: Output, cwd = process.cwd()): Promise<number> {
  // A name that is not one never reaches the engine (it would become part of an API path), and the
  // message says what is wrong with the name instead of blaming Docker.
  const problem = engineImageRefProblem(image)
  if (problem !== null) {
    const e = invalidImageName(image, problem)
    io.err([e.message, e.detail].filter(Boolean).join('\n'))
    return 1
  }
  let settings: CiRuleSettings | undefined
  if (opts.ci) {
    try {
      settings = await ciSettings(opts, cwd)
    } catch (err) {
      io.err((err as Error).message)
      return 1
    }
  }
  // An index already in the cache needs one inspect for the image's id, without dockerode.
  const cached = opts.refresh ? undefined : await (await import('./cached-index')).cachedIndex(image)
  const index = cached ?? (await indexWithEngine(image, opts, io))
  if (!index) return 1
  const report = settings ? evaluateCi(index.summary, settings) : undefined
  if (opts.json) io.out(JSON.stringify(jsonReport(image, index, report), null, 2))
  else {
    io.out(describeIndex(image, index))
    if (report) io.out(`\n${describeCi(report)}`)
  }
  return report && !report.pass ? 1 : 0
}

/**
 * The index through the engine and layers services (the shared data folder and layer cache,
 * SLIPWAY_DATA_DIR overrides, and nothing else): reads the image when it is not cached, and says what
 * is wrong when the engine or the image is not there. undefined once the error is printed.
 */
async function indexWithEngine(image: string, opts: LayersCliOptions, io: Output): Promise<LayerIndex | undefined> {
  const { cliLayers } = await import('./cli-layers')
  const { engine, layers } = cliLayers()
  const state = await engine.start()
  if (state.status !== 'connected') {
    engine.stop()
    io.err(state.status === 'unavailable' ? [state.error.message, state.error.detail].filter(Boolean).join('\n') : 'Still connecting to Docker.')
    return undefined
  }
  const progress = process.stderr.isTTY && !opts.json
  try {
    return await layers.index(image, {
      refresh: opts.refresh,
      onProgress: progress
        ? (p) => {
            if (p.phase === 'reading')
              process.stderr.write(`\rReading ${formatBytes(p.bytesRead)} of ~${formatBytes(p.bytesExpected)} · ${p.layersDone}/${p.layersTotal} layers `)
          }
        : undefined,
    })
  } catch (err) {
    const e = toWireError(err)
    io.err([e.message, e.detail].filter(Boolean).join('\n'))
    return undefined
  } finally {
    if (progress) process.stderr.write('\r\x1b[K')
    engine.stop()
  }
}

/** Rules: each flag given wins, then the `.dive-ci` file (if there is one), then dive's defaults. */
export async function ciSettings(opts: LayersCliOptions, cwd: string): Promise<CiRuleSettings> {
  const settings: CiRuleSettings = { ...DIVE_CI_DEFAULTS }
  const file = join(cwd, opts.ciConfig ?? '.dive-ci')
  if (existsSync(file)) {
    const { parse: parseYaml } = await import('yaml')
    let doc: unknown
    try {
      doc = parseYaml(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`${file} is not valid YAML: ${(err as Error).message}`, { cause: err })
    }
    const rules = (doc as { rules?: Record<string, unknown> } | null)?.rules ?? {}
    for (const key of CI_RULE_KEYS) {
      const value = rules[key] ?? rules[kebab(key)]
      if (value !== undefined && value !== null) settings[key] = String(value)
    }
  } else if (opts.ciConfig && opts.ciConfig !== '.dive-ci') throw new Error(`CI config ${file} does not exist.`)
  const flags: Record<CiRuleKey, string | undefined> = {
    lowestEfficiency: opts.lowestEfficiency,
    highestWastedBytes: opts.highestWastedBytes,
    highestUserWastedPercent: opts.highestUserWastedPercent,
  }
  for (const key of CI_RULE_KEYS) if (flags[key] !== undefined) settings[key] = flags[key] as string
  return settings
}

/**
 * Each layer's added / modified / removed paths as the app's layer list counts them (shared/layers/marks.ts:
 * files and folders, a folder modified when its contents, type, mode or owner changed).
 */
export function layerChangeCounts(index: LayerIndex): MarkCounts[] {
  return layerMarks(index.paths.parents, index.entries).map((m) => m.counts)
}

/** The layer table and the summary, for a terminal. */
export function describeIndex(image: string, index: LayerIndex): string {
  const s = index.summary
  const counts = layerChangeCounts(index)
  const header = ['#', 'Size', 'Added', 'Modified', 'Removed', 'Created by']
  const rows = index.layers.map((l, i) => [
    String(l.index),
    formatBytes(l.size),
    (counts[i]?.added ?? 0).toLocaleString('en-US'),
    (counts[i]?.modified ?? 0).toLocaleString('en-US'),
    (counts[i]?.removed ?? 0).toLocaleString('en-US'),
    truncate(describeCreatedBy(l.createdBy) || l.comment || '—', 70),
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd()
  const tags = index.repoTags.length ? index.repoTags.join(', ') : image
  const platform = [index.os, index.architecture, index.variant].filter(Boolean).join('/')
  const out = [
    `${tags}  ${shortId(index.imageId)}  ${platform}  ${formatCount(index.layers.length, 'layer')}, ${formatCount(s.fileCount, 'file')}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `Image size           ${formatBytes(s.sizeBytes)} (${formatBytes(s.userSizeBytes)} above the base layer)`,
    `Efficiency           ${(s.efficiency * 100).toFixed(2)} %`,
    `Wasted bytes         ${formatBytes(s.wastedBytes)} (${s.wastedBytes.toLocaleString('en-US')} bytes, as dive counts them)`,
    `User wasted percent  ${(s.userWastedPercent * 100).toFixed(2)} %`,
    `Hidden by later      ${formatBytes(s.hiddenBytes)} (overwritten or deleted by a later layer)`,
  ]
  const waste = inefficientFiles(index, 10).filter((f) => f.cumulativeSize > 0)
  if (waste.length) {
    out.push('', 'Inefficient files (count, total size, path):')
    for (const f of waste) out.push(`  ${String(f.count).padStart(3)}  ${formatBytes(f.cumulativeSize).padStart(8)}  ${f.path}`)
  }
  return out.join('\n')
}

/** dive-style CI results: one line per rule, then the verdict. */
export function describeCi(report: CiReport): string {
  const lines = report.results.map((r) => {
    const status = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', misconfigured: 'MISCONFIGURED' }[r.status]
    return r.status === 'pass' || r.status === 'skip' ? `  ${status}: ${r.rule}` : `  ${status}: ${r.rule}: ${r.message}`
  })
  const failed = report.results.filter((r) => r.status === 'fail').length
  const verdict = report.misconfigured ? 'Result: CI MISCONFIGURED' : `Result: ${report.pass ? 'PASS' : 'FAIL'} (${failed} of ${report.results.length} rules failed)`
  return ['CI rules:', ...lines, verdict].join('\n')
}

function jsonReport(image: string, index: LayerIndex, ci: CiReport | undefined) {
  const counts = layerChangeCounts(index)
  return {
    image,
    imageId: index.imageId,
    repoTags: index.repoTags,
    os: index.os,
    architecture: index.architecture,
    format: index.format,
    // added/modified/removed: paths, as the table and the app count them; files*: files only, as dive does.
    layers: index.layers.map((l, i) => {
      const c = counts[i]
      return { ...l, filesAdded: l.added, filesModified: l.modified, filesRemoved: l.removed, added: c?.added ?? 0, modified: c?.modified ?? 0, removed: c?.removed ?? 0, folders: c?.folders }
    }),
    summary: index.summary,
    largestFiles: largestFiles(index, 20),
    inefficientFiles: inefficientFiles(index, 50),
    ...(ci ? { ci } : {}),
  }
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}
