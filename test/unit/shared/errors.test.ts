import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EngineUnavailable, ErrorName, isErrorName, RemoteError, SlipwayError, toWireError } from '../../../shared/errors'

const repo = join(import.meta.dirname, '..', '..', '..')

/** Every .ts/.tsx file under `dir` (relative to the repo), for the source scans below. */
function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(repo, dir, f), 'utf8') }))
}

describe('toWireError', () => {
  it('keeps the advice of an error that came over the wire and is passed on (the Images page shows it)', () => {
    const remote = new RemoteError({ name: ErrorName.ImageNotFound, message: 'No image "x".', detail: 'Check the name with `docker images`.' })
    expect(toWireError(remote)).toEqual({ name: 'ImageNotFound', message: 'No image "x".', detail: 'Check the name with `docker images`.' })
  })

  it('keeps the detail of any Error that carries one, and of SlipwayErrors', () => {
    const plain = Object.assign(new Error('disk full'), { detail: 'Free some space.' })
    expect(toWireError(plain)).toEqual({ name: 'InternalError', message: 'disk full', detail: 'Free some space.' })
    expect(toWireError(new EngineUnavailable('not-running', 'Docker is not running.', 'Start it.'))).toEqual({
      name: 'EngineUnavailable',
      message: 'Docker is not running.',
      detail: 'Start it.',
    })
    expect(toWireError(new SlipwayError(ErrorName.Busy, 'Busy.'))).toEqual({ name: 'Busy', message: 'Busy.' })
  })

  it('sends names outside the list as InternalError, so front ends only see names they can switch on', () => {
    expect(toWireError(new TypeError('x is not a function')).name).toBe('InternalError')
    expect(toWireError(Object.assign(new Error('a'), { name: 'ECONNRESET' })).name).toBe('InternalError')
    expect(toWireError('plain text')).toEqual({ name: 'InternalError', message: 'plain text' })
    expect(toWireError({ detail: 3 })).toEqual({ name: 'InternalError', message: 'Unexpected error' })
  })

  it('ignores a detail that is not text', () => {
    expect(toWireError(Object.assign(new Error('a'), { detail: { x: 1 } }))).toEqual({ name: 'InternalError', message: 'a' })
  })
})

describe('ErrorName', () => {
  it('maps each constant to its own name', () => {
    for (const [k, v] of Object.entries(ErrorName)) expect(v).toBe(k)
    expect(isErrorName('Busy')).toBe(true)
    expect(isErrorName('toString')).toBe(false)
    expect(isErrorName(undefined)).toBe(false)
  })

  it('holds every name the services and front ends throw', () => {
    const used = new Set<string>()
    for (const { text } of [...sources('electron'), ...sources('shared'), ...sources('renderer/src')])
      for (const m of text.matchAll(/(?:SlipwayError\(\s*|super\(\s*)'([A-Za-z]+)'/g)) used.add(m[1] ?? '')
    expect(used.size).toBeGreaterThan(10)
    expect([...used].filter((n) => !isErrorName(n))).toEqual([])
  })

  it('is what the renderer compares error names with, not string literals', () => {
    const literal = /\.name\s*[!=]==\s*'[A-Z]\w*'|'[A-Z]\w*'\s*[!=]==\s*\w+(?:\?\.|\.)name\b/
    const offenders = sources('renderer/src')
      .flatMap(({ file, text }) => text.split('\n').map((line, i) => ({ file, line, at: i + 1 })))
      // `name === 'Dockerfile'` compares project file names, not errors.
      .filter(({ line }) => literal.test(line) && !/'Dockerfile'/.test(line))
      .map(({ file, at }) => `${file}:${at}`)
    expect(offenders).toEqual([])
  })
})
