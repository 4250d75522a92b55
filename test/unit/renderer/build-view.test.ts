// The build view's pure parts: the log buffer (carriage returns, ANSI stripped for search, the
// incremental filter and search), ANSI spans, progress, durations, compile-error places, and the
// Settings form's per-row checks and presence lookups.
import { describe, expect, it } from 'vitest'
import type { BuildStep } from '../../../shared/types/build'
import { ansiSpans } from '../../../renderer/src/features/build/ansi'
import { buildProgress, errorLocation, formatDuration, newJobId, splitStepName } from '../../../renderer/src/features/build/build-model'
import { LogBuffer, stripAnsi, type LogView } from '../../../renderer/src/features/build/log-buffer'
import { isDirty, localTagOf, presenceOf, rowProblems, rowsFrom, settingsPatch } from '../../../renderer/src/features/settings/settings-model'

const step = (p: Partial<BuildStep>): BuildStep => ({
  id: 'x',
  index: 1,
  name: '[build 1/2] RUN x',
  stage: 'build',
  internal: false,
  status: 'waiting',
  cached: false,
  startedAt: null,
  completedAt: null,
  current: 0,
  total: null,
  error: null,
  logLines: 0,
  ...p,
})

/** A view with plain arrays, to compare with expected values. */
const shown = (v: LogView) => ({ rows: v.rows ? Array.from(v.rows) : null, matches: Array.from(v.matches), count: v.count })

describe('LogBuffer', () => {
  it('keeps what a terminal would show after carriage returns, and plain text without escapes', () => {
    const log = new LogBuffer()
    log.append('a', 'stdout', ['10%\r50%\r100%\r', '\x1b[31mred\x1b[0m text'])
    expect(log.raw).toEqual(['100%', '\x1b[31mred\x1b[0m text'])
    expect(log.plain).toEqual(['100%', 'red text'])
    expect(stripAnsi('\x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe('link')
  })

  it('filters by step and searches case-insensitively, extending the result as lines arrive', () => {
    const log = new LogBuffer()
    log.append('a', 'stdout', ['one Error', 'two'])
    log.append('b', 'stderr', ['error three'])
    expect(shown(log.view(null, 'error'))).toEqual({ rows: null, matches: [0, 2], count: 3 })
    log.append('a', 'stdout', ['ERROR four'])
    expect(shown(log.view(null, 'error'))).toEqual({ rows: null, matches: [0, 2, 3], count: 4 })
    // Positions are in the filtered list: step a's rows are 0, 1, 3 of the buffer.
    expect(shown(log.view('a', 'error'))).toEqual({ rows: [0, 1, 3], matches: [0, 2], count: 3 })
    expect(log.text([0, 3])).toBe('one Error\nERROR four')
    expect(log.stderr).toEqual([false, false, true, false])
  })

  it('narrows a growing query from the previous matches, then scans the lines that arrived since', () => {
    const log = new LogBuffer()
    log.append('a', 'stdout', ['warn x', 'warning y', 'other', 'WARNING z'])
    expect(Array.from(log.view('a', 'warn').matches)).toEqual([0, 1, 3])
    log.append('a', 'stdout', ['a warning more'])
    log.append('b', 'stdout', ['warning elsewhere'])
    expect(shown(log.view('a', 'Warning'))).toEqual({ rows: [0, 1, 2, 3, 4], matches: [1, 3, 4], count: 5 })
    // A query that is not an extension starts over.
    expect(Array.from(log.view('a', 'other').matches)).toEqual([2])
    expect(Array.from(log.view(null, 'warning').matches)).toEqual([1, 3, 4, 5])
  })

  it('finds the same lines through its block index as a line-by-line search, across blocks, filters and appends', () => {
    const log = new LogBuffer()
    // Lines that straddle the index's 4096-line blocks, several steps, capitals, colours, a case-changing letter.
    const line = (i: number) => (i % 7 === 0 ? `\x1b[33mWarning\x1b[0m pkg${i % 13}/x.go:${i}` : i % 11 === 0 ? `İstanbul ok ${i}` : `compile pkg${i % 13}/file${i % 5}.go step ${i}`)
    const all: { step: string; plain: string }[] = []
    const add = (from: number, to: number) => {
      for (let i = from; i < to; i += 500) {
        const step = ['s1', 's2', 's3'][(i / 500) % 3] as string
        const lines = Array.from({ length: Math.min(500, to - i) }, (_, k) => line(i + k))
        log.append(step, 'stdout', lines)
        for (const l of lines) all.push({ step, plain: stripAnsi(l) })
      }
    }
    const naive = (filter: string | null, query: string) => {
      const rows = all.flatMap((l, i) => (filter === null || l.step === filter ? [i] : []))
      const matches = rows.flatMap((r, pos) => (query && (all[r] as { plain: string }).plain.toLowerCase().includes(query.toLowerCase()) ? [pos] : []))
      return { rows: filter === null ? null : rows, matches, count: rows.length }
    }
    add(0, 9_000)
    const queries = ['warning', 'PKG3/', 'pkg1', 'step 8', 'zzz', '.go:4099', 'ok', 'ok 1111', 'stanbul ok 4', 'x.go:12287']
    for (const filter of [null, 's2']) for (const q of queries) expect(shown(log.view(filter, q)), `${filter} ${q}`).toEqual(naive(filter, q))
    // More lines (sealing another block) extend the current view, and fresh views agree too.
    expect(log.view('s2', 'pkg1').matches.length).toBeGreaterThan(0)
    add(9_000, 13_500)
    expect(shown(log.view('s2', 'pkg1'))).toEqual(naive('s2', 'pkg1'))
    for (const q of queries) expect(shown(log.view(null, q)), q).toEqual(naive(null, q))
    expect(log.text(log.view('s3', 'warning').rows?.subarray(0, 2) ?? null)).toBe(all.filter((l) => l.step === 's3').slice(0, 2).map((l) => l.plain).join('\n'))
  })
})

describe('ansiSpans', () => {
  it('maps basic colours to theme classes and 256 colours to rgb', () => {
    expect(ansiSpans('plain')).toEqual([{ text: 'plain', className: '', color: null, background: null }])
    const spans = ansiSpans('\x1b[1;31mbad\x1b[0m ok \x1b[38;5;196mx\x1b[0m')
    expect(spans[0]).toMatchObject({ text: 'bad', className: 'ansi-fg-red ansi-bold' })
    expect(spans[1]).toMatchObject({ text: ' ok ', className: '' })
    expect(spans[2]).toMatchObject({ text: 'x', color: 'rgb(255, 0, 0)' })
  })
})

describe('build model', () => {
  it('counts real steps only, and says nothing until the first one', () => {
    expect(buildProgress([step({ internal: true, status: 'done' })]).ratio).toBeNull()
    const p = buildProgress([step({ status: 'done' }), step({ status: 'cached' }), step({ status: 'running' }), step({ internal: true, status: 'done' })])
    expect(p).toEqual({ done: 2, seen: 3, ratio: 2 / 3 })
  })

  it('formats durations with the precision that matters', () => {
    expect(formatDuration(430)).toBe('0.4s')
    expect(formatDuration(12_345)).toBe('12s')
    expect(formatDuration(125_000)).toBe('2m 05s')
    expect(formatDuration(3_720_000)).toBe('1h 02m')
  })

  it('splits a step name into its stage tag and instruction', () => {
    expect(splitStepName('[build 4/7] RUN go build')).toEqual({ tag: 'build 4/7', text: 'RUN go build' })
    expect(splitStepName('exporting to image')).toEqual({ tag: null, text: 'exporting to image' })
  })

  it('makes the absolute place of a compile error, on POSIX and Windows roots', () => {
    expect(errorLocation('/home/me/app', { file: 'cmd/api/main.go', line: 12, column: 5, message: 'x' })).toBe('/home/me/app/cmd/api/main.go:12:5')
    expect(errorLocation('C:\\src\\app', { file: 'cmd/main.go', line: 3, column: null, message: 'x' })).toBe('C:\\src\\app\\cmd\\main.go:3')
  })

  it('makes v4 UUIDs the contract accepts', () => {
    expect(newJobId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})

describe('settings form', () => {
  const rows = rowsFrom(
    [
      { id: 'alpine', basedOn: 'alpine', image: 'mirror.corp/alpine:3.20', label: 'Mirror' },
      { id: 'bad', basedOn: 'alpine', image: 'Not A Ref' },
      { id: 'alpine', basedOn: 'alpine', image: 'mirror.corp/alpine:3.21' },
      'not an object',
    ],
    1,
  )

  it('checks each row on its own and names a repeated id on the later row', () => {
    const problems = rowProblems(rows)
    expect(problems.has(1)).toBe(false)
    expect(problems.get(2)).toContain('not a valid image reference')
    expect(problems.get(3)).toContain('used by an earlier row')
    expect(problems.get(4)).toContain('is empty')
  })

  it('saves only the rows without a problem, keeping fields the form does not edit', () => {
    expect(settingsPatch(rows, ' ')).toEqual({ customBases: [{ label: 'Mirror', id: 'alpine', basedOn: 'alpine', image: 'mirror.corp/alpine:3.20' }], builderImage: null })
    expect(isDirty(rows, '', { customBases: settingsPatch(rows, '').customBases, builderImage: null })).toBe(false)
    expect(isDirty(rows, 'golang:1.23', { customBases: settingsPatch(rows, '').customBases, builderImage: null })).toBe(true)
  })

  it('finds an image among the engine tags the way Docker names it', () => {
    expect(localTagOf('docker.io/library/alpine')).toBe('alpine:latest')
    expect(localTagOf('gcr.io/distroless/static:nonroot')).toBe('gcr.io/distroless/static:nonroot')
    const tags = new Set(['alpine:latest'])
    expect(presenceOf('alpine', tags)).toBe('local')
    expect(presenceOf('alpine:3.20', tags)).toBe('missing')
    expect(presenceOf('scratch', tags)).toBe('none')
    expect(presenceOf(`alpine@sha256:${'a'.repeat(64)}`, tags)).toBe('unknown')
  })
})
