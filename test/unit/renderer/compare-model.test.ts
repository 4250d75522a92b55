import { describe, expect, it } from 'vitest'
import type { CompareRow } from '../../../shared/types/build'
import {
  baselineRow,
  chartSummary,
  compareProgress,
  compareSlots,
  compareStatus,
  currentStepName,
  exportFileName,
  formatDelta,
  formatElapsed,
  historyLine,
  niceScale,
  smallestBase,
} from '../../../renderer/src/features/compare/compare-model'

const row = (base: string, sizeBytes: number, more: Partial<CompareRow> = {}): CompareRow => ({
  base,
  baseImage: base,
  imageId: `sha256:${base}`,
  tag: `slipway/app:${base}`,
  sizeBytes,
  compressedBytes: Math.round(sizeBytes * 0.4),
  binaryBytes: 5_000_000,
  overheadBytes: sizeBytes - 5_000_000,
  layers: 2,
  hasShell: false,
  hasCaBundle: false,
  hasTzData: false,
  packageManager: null,
  user: 'root',
  coldStartMs: 120,
  coldStartNote: null,
  coldStartPending: false,
  verdict: '',
  ...more,
})
const LABELS: Record<string, string> = { scratch: 'Scratch', 'distroless-static': 'Distroless static', alpine: 'Alpine' }
const label = (b: string) => LABELS[b] ?? b
const err = { name: 'BuildFailed' as const, message: 'the build failed' }

describe('compareSlots', () => {
  const bases = ['scratch', 'distroless-static', 'alpine']

  it('reserves one slot per base in the order asked, whatever order rows arrive in', () => {
    const slots = compareSlots(bases, [row('alpine', 8e6)], [], { scratch: { phase: 'building', steps: [] }, 'distroless-static': { phase: 'measuring', steps: [] } }, false)
    expect(slots.map((s) => [s.base, s.state])).toEqual([
      ['scratch', 'building'],
      ['distroless-static', 'measuring'],
      ['alpine', 'done'],
    ])
    expect(slots[2]?.row?.sizeBytes).toBe(8e6)
  })

  it('names the step a building base is at, and says which bases failed or never ran once it ended', () => {
    const steps = [
      { name: '[internal] load build definition', status: 'done', internal: true },
      { name: '[build 5/7] RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .', status: 'running', internal: false },
    ]
    expect(compareSlots(['scratch'], [], [], { scratch: { phase: 'building', steps } }, false)[0]?.step).toBe('RUN go build -o /out/app .')
    const ended = compareSlots(bases, [row('scratch', 6e6)], [{ base: 'alpine', error: err }], { 'distroless-static': { phase: 'building', steps } }, true)
    expect(ended.map((s) => s.state)).toEqual(['done', 'skipped', 'failed'])
    expect(ended[2]?.error).toEqual(err)
    expect(ended[1]?.step).toBeNull()
  })
})

describe('compareStatus', () => {
  const slots = (states: Record<string, 'building' | 'measuring' | 'done' | 'failed' | 'waiting'>) =>
    Object.entries(states).map(([base, state]) => ({ base, state, row: state === 'done' ? row(base, 6e6) : null, error: null, step: null }))

  it('says what runs, then how many are measured', () => {
    expect(compareStatus(slots({ scratch: 'building', 'distroless-static': 'building', alpine: 'building' }), label)).toBe('Building Scratch, Distroless static and Alpine')
    expect(compareStatus(slots({ scratch: 'done', 'distroless-static': 'measuring', alpine: 'building' }), label)).toBe('1 of 3 measured · building Alpine, measuring Distroless static')
    expect(compareStatus(slots({ scratch: 'done', 'distroless-static': 'done', alpine: 'failed' }), label)).toBe('3 of 3 measured · timing cold starts')
    expect(compareStatus(slots({ scratch: 'waiting' }), label)).toBe('Starting…')
  })
})

describe('compareProgress', () => {
  it('averages the bases: measured ones almost whole until their cold start, building ones by their steps', () => {
    const steps = [
      { status: 'done', internal: false },
      { status: 'running', internal: false },
      { status: 'done', internal: true },
    ]
    const s = [
      { base: 'scratch', state: 'done' as const, row: row('scratch', 6e6, { coldStartMs: null, coldStartPending: true }), error: null, step: null },
      { base: 'alpine', state: 'building' as const, row: null, error: null, step: null },
    ]
    expect(compareProgress(s, () => steps)).toBeCloseTo((0.92 + 0.8 * 0.5) / 2)
    const timed = [{ ...s[0], row: row('scratch', 6e6) } as (typeof s)[0]]
    expect(compareProgress(timed, () => [])).toBe(1)
    expect(compareProgress([], () => [])).toBe(0)
  })
})

describe('niceScale', () => {
  it('rounds the top up to a step of 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect(niceScale(8_050_000)).toEqual({ max: 10_000_000, step: 2_500_000, ticks: [0, 2_500_000, 5_000_000, 7_500_000, 10_000_000] })
    // A top that is already round stays: the longest bar may end on the last line.
    expect(niceScale(8_000_000)).toEqual({ max: 8_000_000, step: 2_000_000, ticks: [0, 2_000_000, 4_000_000, 6_000_000, 8_000_000] })
    expect(niceScale(6_900_000, 3).ticks).toEqual([0, 2_500_000, 5_000_000, 7_500_000])
    expect(niceScale(117_000_000)).toMatchObject({ max: 150_000_000, step: 50_000_000 })
    expect(niceScale(4_000_000)).toEqual({ max: 4_000_000, step: 1_000_000, ticks: [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000] })
  })

  it('never draws a scale of nothing', () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] })
    expect(niceScale(Number.NaN).max).toBe(1)
  })
})

describe('small helpers', () => {
  it('signs deltas with a real minus and ±0 for no change', () => {
    expect(formatDelta(12_000)).toEqual({ text: '+12 kB', sign: 1 })
    expect(formatDelta(-1_200_000)).toEqual({ text: '−1.2 MB', sign: -1 })
    expect(formatDelta(0)).toEqual({ text: '±0', sign: 0 })
  })

  it('finds the smallest image and the same base in an earlier comparison', () => {
    expect(smallestBase([row('alpine', 8e6), row('scratch', 6e6), row('x', 6e6)])).toBe('scratch')
    expect(smallestBase([])).toBeNull()
    expect(baselineRow({ rows: [row('alpine', 7e6)] }, 'alpine')?.sizeBytes).toBe(7e6)
    expect(baselineRow({ rows: [row('alpine', 7e6)] }, 'scratch')).toBeNull()
    expect(baselineRow(null, 'alpine')).toBeNull()
  })

  it('summarises the chart for a screen reader', () => {
    const text = chartSummary('hello-api', [row('scratch', 5_800_000), row('alpine', 8_000_000)], label)
    expect(text).toBe(
      'Image sizes of hello-api: Scratch 5.8 MB (Go binary 5 MB, base overhead 800 kB, compressed 2.3 MB); Alpine 8 MB (Go binary 5 MB, base overhead 3 MB, compressed 3.2 MB). Smallest: Scratch.',
    )
    expect(chartSummary('hello-api', [], label)).toBe('Image sizes of hello-api: none measured yet.')
  })

  it('names export files after the project and the local time, with nothing a file system refuses', () => {
    const t = new Date(2026, 10, 3, 14, 5).getTime()
    expect(exportFileName('hello-api', t, 'csv')).toBe('hello-api-compare-2026-11-03-1405.csv')
    expect(exportFileName('../we ird/name', t, 'png')).toBe('we-ird-name-compare-2026-11-03-1405.png')
  })

  it('tells earlier comparisons apart in one line', () => {
    expect(historyLine({ rows: [row('alpine', 8e6), row('scratch', 5_800_000)], failures: [{ base: 'debian-slim', error: err }] }, label)).toBe('3 bases, smallest Scratch 5.8 MB')
    expect(historyLine({ rows: [], failures: [{ base: 'alpine', error: err }] }, label)).toBe('1 base')
  })

  it('counts elapsed time steadily and reads the step a build is at', () => {
    expect(formatElapsed(8_449)).toBe('8.4s')
    expect(formatElapsed(48_000)).toBe('48s')
    expect(formatElapsed(125_000)).toBe('2m 05s')
    expect(currentStepName([])).toBeNull()
    expect(currentStepName([{ name: '[final 2/3] COPY --from=build /out/app /app', status: 'done', internal: false }])).toBe('COPY --from=build /out/app /app')
  })
})
