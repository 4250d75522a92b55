import { describe, expect, it } from 'vitest'
import { cacheShare, compileErrors, isInternalStep, stageOf, StepModel } from '../../../shared/build/steps'

describe('step names', () => {
  it('reads the stage from BuildKit and classic names', () => {
    expect(stageOf('[build 4/7] RUN go build ./...')).toBe('build')
    expect(stageOf('[stage-1 2/2] COPY --from=build /out/a /app/a')).toBe('stage-1')
    expect(stageOf('[internal] load metadata for docker.io/library/golang:1.23')).toBeNull()
    expect(stageOf('exporting to image')).toBeNull()
  })
  it('marks the bookkeeping steps internal and real steps not', () => {
    expect(isInternalStep('[internal] load remote build context')).toBe(true)
    expect(isInternalStep('copy /context /')).toBe(true)
    expect(isInternalStep('exporting to image')).toBe(true)
    expect(isInternalStep('[build 3/4] COPY . .')).toBe(false)
  })
})

describe('StepModel', () => {
  it('follows a BuildKit vertex from waiting to running to cached or done, and keeps an error', () => {
    const m = new StepModel()
    expect(m.vertex({ digest: 'a', name: '[build 1/2] COPY . .' })).toMatchObject({ index: 1, status: 'waiting', stage: 'build' })
    expect(m.vertex({ digest: 'a', startedAt: 10 })).toMatchObject({ status: 'running', startedAt: 10 })
    expect(m.vertex({ digest: 'a', startedAt: 10, completedAt: 20, cached: true })).toMatchObject({ status: 'cached', completedAt: 20 })
    m.vertex({ digest: 'b', name: '[build 2/2] RUN go build', startedAt: 21 })
    expect(m.progress({ vertex: 'b', current: 5, total: 10 })).toMatchObject({ current: 5, total: 10 })
    expect(m.vertex({ digest: 'b', completedAt: 30, error: 'exit code: 1' })).toMatchObject({ status: 'error', error: 'exit code: 1' })
    expect(m.vertex({ digest: 'c', name: 'x', startedAt: 1, error: 'context canceled' }).status).toBe('cancelled')
    expect(m.steps().map((s) => s.id)).toEqual(['a', 'b', 'c'])
  })

  it('reads classic steps: one running at a time, cache hits, everything ended at the end', () => {
    const m = new StepModel()
    m.classicStep(1, 3, 'FROM golang AS build', 0, 'build')
    m.classicCached()
    const [prev, next] = m.classicStep(2, 3, 'RUN go build', 5, 'build')
    expect(prev).toMatchObject({ id: 'step-1', status: 'cached', completedAt: 5 })
    expect(next).toMatchObject({ id: 'step-2', status: 'running', name: '[build 2/3] RUN go build' })
    expect(m.finishRunning(9, 'error', 'boom')).toMatchObject([{ id: 'step-2', status: 'error', error: 'boom' }])
  })

  it('counts the cache share without internal steps and FROM', () => {
    const m = new StepModel()
    m.vertex({ digest: 'i', name: '[internal] load build definition', startedAt: 1, completedAt: 2 })
    m.vertex({ digest: 'f', name: '[build 1/3] FROM docker.io/library/golang:1.23', startedAt: 1, completedAt: 2 })
    m.vertex({ digest: 'c', name: '[build 2/3] COPY . .', startedAt: 1, completedAt: 2, cached: true })
    m.vertex({ digest: 'r', name: '[build 3/3] RUN go build', startedAt: 1, completedAt: 3 })
    expect(cacheShare(m.steps())).toEqual({ cached: 1, total: 2 })
  })
})

describe('compileErrors', () => {
  it('pulls file:line:col out of go build output, relative to the project', () => {
    const log = [
      '# example.com/app',
      './main.go:12:5: undefined: foo',
      'cmd/api/server.go:7:2: "os" imported and not used',
      '/src/internal/db/db.go:40: missing return',
      './main.go:12:5: undefined: foo',
      '/go/pkg/mod/github.com/x/y@v1/y.go:1:1: not ours',
      'ERROR: process "/bin/sh -c go build" did not complete successfully: exit code: 1',
    ]
    expect(compileErrors(log)).toEqual([
      { file: 'main.go', line: 12, column: 5, message: 'undefined: foo' },
      { file: 'cmd/api/server.go', line: 7, column: 2, message: '"os" imported and not used' },
      { file: 'internal/db/db.go', line: 40, column: null, message: 'missing return' },
    ])
  })
  it('ignores paths that climb out of the project', () => {
    expect(compileErrors(['../outside.go:1:1: nope', '/etc/x.go:1:1: nope'])).toEqual([])
  })
})
