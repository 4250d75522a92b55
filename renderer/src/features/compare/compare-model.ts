// Pure helpers the Compare view, its chart and its tests share: which row each chosen base shows
// while a comparison streams, the chart's scale, the summary a screen reader hears, deltas against
// an earlier comparison and export file names. No React, no store.
import { formatBytes } from '../../../../shared/format'
import type { WireError } from '../../../../shared/errors'
import type { CompareResult, CompareRow } from '../../../../shared/types/build'

/** The bases a comparison starts with unless the person picks others (the service's default too). */
export const DEFAULT_COMPARE_SELECTION: readonly string[] = ['scratch', 'distroless-static', 'alpine']

export type SlotState = 'waiting' | 'building' | 'measuring' | 'done' | 'failed' | 'skipped'

/** One chosen base's place in the chart and the table: reserved from the start, filled as its row arrives. */
export interface Slot {
  base: string
  state: SlotState
  row: CompareRow | null
  error: WireError | null
  /** The step its build is at, while it builds. */
  step: string | null
}

type Active = Record<string, { phase: 'building' | 'measuring'; steps: readonly StepLike[] }>
interface StepLike {
  name: string
  status: string
  internal: boolean
}

/**
 * One slot per base in the order they were asked for, so the layout is fixed from the first click.
 * `active` holds the bases being built or measured (all at once); `ended` says no more rows will
 * come (a base that never started is then `skipped`).
 */
export function compareSlots(
  bases: readonly string[],
  rows: readonly CompareRow[],
  failures: readonly { base: string; error: WireError }[],
  active: Active,
  ended: boolean,
): Slot[] {
  return bases.map((base) => {
    const row = rows.find((r) => r.base === base) ?? null
    if (row) return { base, state: 'done', row, error: null, step: null }
    const failure = failures.find((f) => f.base === base)
    if (failure) return { base, state: 'failed', row: null, error: failure.error, step: null }
    const a = ended ? undefined : active[base]
    if (a) return { base, state: a.phase, row: null, error: null, step: a.phase === 'building' ? currentStepName(a.steps) : null }
    return { base, state: ended ? 'skipped' : 'waiting', row: null, error: null, step: null }
  })
}

/**
 * What a running comparison is doing, in one line: "Building Scratch, Distroless static and Alpine",
 * "1 of 3 measured · building Alpine", "3 of 3 measured · timing cold starts".
 */
export function compareStatus(slots: readonly Slot[], label: (base: string) => string): string {
  const finished = slots.filter((s) => s.state === 'done' || s.state === 'failed').length
  const building = slots.filter((s) => s.state === 'building').map((s) => label(s.base))
  const measuring = slots.filter((s) => s.state === 'measuring').map((s) => label(s.base))
  const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`)
  const doing = [building.length ? `building ${list(building)}` : '', measuring.length ? `measuring ${list(measuring)}` : ''].filter(Boolean).join(', ')
  if (finished === 0) return doing ? doing.charAt(0).toUpperCase() + doing.slice(1) : 'Starting…'
  const done = `${finished} of ${slots.length} measured`
  if (doing) return `${done} · ${doing}`
  return finished === slots.length ? `${done} · timing cold starts` : done
}

/** The smallest image's base (the first on a tie), or null without rows. */
export function smallestBase(rows: readonly Pick<CompareRow, 'base' | 'sizeBytes'>[]): string | null {
  let best: Pick<CompareRow, 'base' | 'sizeBytes'> | null = null
  for (const r of rows) if (best === null || r.sizeBytes < best.sizeBytes) best = r
  return best?.base ?? null
}

/**
 * An axis for byte values from 0 to at least `max`: a step of 1, 2, 2.5 or 5 × 10ⁿ bytes giving
 * about `target` intervals, so tick labels read "0 B, 2 MB, 4 MB, 6 MB, 8 MB".
 */
export function niceScale(max: number, target = 4): { max: number; step: number; ticks: number[] } {
  if (!Number.isFinite(max) || max <= 0) return { max: 1, step: 1, ticks: [0, 1] }
  const rough = max / Math.max(1, target)
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) as number
  const top = Math.ceil(max / step - 1e-9) * step
  const ticks: number[] = []
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v))
  return { max: top, step, ticks }
}

/** A signed byte difference for a table cell: "+12 kB", "−1.2 MB", "±0". */
export function formatDelta(bytes: number): { text: string; sign: -1 | 0 | 1 } {
  if (!Number.isFinite(bytes) || bytes === 0) return { text: '±0', sign: 0 }
  const sign = bytes > 0 ? 1 : -1
  return { text: `${sign > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`, sign }
}

/** The same base's row in an earlier comparison, if it had one. */
export function baselineRow(baseline: Pick<CompareResult, 'rows'> | null, base: string): CompareRow | null {
  return baseline?.rows.find((r) => r.base === base) ?? null
}

/** What the chart says to a screen reader: each base's size, binary, overhead and compressed size, and the smallest. */
export function chartSummary(project: string, rows: readonly CompareRow[], label: (base: string) => string): string {
  if (rows.length === 0) return `Image sizes of ${project}: none measured yet.`
  const parts = rows.map(
    (r) =>
      `${label(r.base)} ${formatBytes(r.sizeBytes)} (Go binary ${formatBytes(r.binaryBytes)}, base overhead ${formatBytes(r.overheadBytes)}, compressed ${formatBytes(r.compressedBytes)})`,
  )
  const smallest = smallestBase(rows)
  return `Image sizes of ${project}: ${parts.join('; ')}.${smallest && rows.length > 1 ? ` Smallest: ${label(smallest)}.` : ''}`
}

/**
 * Overall progress of a comparison from 0 to 1, the mean over its bases: a measured base counts
 * almost whole (its cold start comes last), a building one by its steps.
 */
export function compareProgress(slots: readonly Slot[], steps: (base: string) => readonly { status: string; internal: boolean }[]): number {
  if (slots.length === 0) return 0
  let sum = 0
  for (const s of slots) {
    if (s.state === 'failed' || s.state === 'skipped') sum += 1
    else if (s.state === 'done') sum += s.row?.coldStartPending ? 0.92 : 1
    else if (s.state === 'measuring') sum += 0.85
    else if (s.state === 'building') sum += 0.8 * (stepRatio(steps(s.base)) ?? 0)
  }
  return Math.min(1, sum / slots.length)
}

/** A file name for an export: `hello-api-compare-2026-11-03-1405.csv` (local time, no characters a file system refuses). */
export function exportFileName(project: string, finishedAt: number, ext: 'csv' | 'png' | 'md'): string {
  const d = new Date(finishedAt)
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`
  const name = project.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'project'
  return `${name}-compare-${stamp}.${ext}`
}

/** "3 bases, smallest scratch 5.8 MB": one line that tells earlier comparisons apart. */
export function historyLine(result: Pick<CompareResult, 'rows' | 'failures'>, label: (base: string) => string): string {
  const smallest = smallestBase(result.rows)
  const row = result.rows.find((r) => r.base === smallest)
  const n = result.rows.length + result.failures.length
  return `${n} base${n === 1 ? '' : 's'}${row ? `, smallest ${label(row.base)} ${formatBytes(row.sizeBytes)}` : ''}`
}

/** Elapsed time as a steady counter: "8.4s", "48s", "2m 05s". */
export function formatElapsed(ms: number): string {
  const t = Math.max(0, ms)
  if (t < 10_000) return `${(Math.floor(t / 100) / 10).toFixed(1)}s`
  const s = Math.floor(t / 1000)
  if (s < 60) return `${s}s`
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
}

/** The step a build is at, as people read it: the running one (else the last seen), without BuildKit's `[stage n/m]` prefix. */
export function currentStepName(steps: readonly StepLike[]): string | null {
  const real = steps.filter((s) => !s.internal)
  const running = real.filter((s) => s.status === 'running')
  const step = running.at(-1) ?? real.at(-1)
  if (!step) return null
  // Cache-mount flags are the same on every RUN and push the command itself out of sight.
  return (
    step.name
      .replace(/^\[[^\]]*\]\s*/, '')
      .replace(/--mount=\S+\s*/g, '')
      .replace(/\s+/g, ' ')
      .trim() || null
  )
}

/** Build progress of the current base: finished real steps of those seen, null before the first. */
export function stepRatio(steps: readonly { status: string; internal: boolean }[]): number | null {
  const real = steps.filter((s) => !s.internal)
  if (real.length === 0) return null
  return real.filter((s) => s.status !== 'waiting' && s.status !== 'running').length / real.length
}
