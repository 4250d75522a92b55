import { describe, expect, it } from 'vitest'
import { BASE_CATALOG, builtinBase } from '../../../shared/dockerfile/bases'
import { baseFacts, baseMisfit } from '../../../renderer/src/features/projects/base-fit'
import { analysis, ev } from '../dockerfile/analysis'

describe('baseMisfit', () => {
  it('disables exactly the bases that cannot run a cgo binary, saying why', () => {
    const cgo = analysis({ needs: { cgo: [ev('main.go', 3, 'import "C"')] } })
    const misfits = Object.fromEntries(BASE_CATALOG.map((b) => [b.id, baseMisfit(cgo, b)]))
    expect(misfits['distroless-base']).toBeNull()
    expect(misfits['debian-slim']).toBeNull()
    expect(misfits.scratch).toContain('no C library')
    expect(misfits.alpine).toContain('musl')
    for (const b of BASE_CATALOG) expect(baseMisfit(analysis(), b)).toBeNull()
  })
})

describe('baseFacts', () => {
  it('lists the same five facts for every base, in order', () => {
    for (const b of BASE_CATALOG) expect(baseFacts(b).map((f) => f.key)).toEqual(['shell', 'certs', 'tz', 'libc', 'user'])
  })

  it('reads each base right', () => {
    const label = (id: Parameters<typeof builtinBase>[0]) => baseFacts(builtinBase(id)).map((f) => (f.on === false ? `no ${f.label}` : f.label))
    expect(label('scratch')).toEqual(['no shell', 'no certs', 'no tzdata', 'no libc', 'no users'])
    expect(label('distroless-static')).toEqual(['no shell', 'certs', 'tzdata', 'no libc', 'nonroot'])
    expect(label('alpine')).toEqual(['shell', 'certs', 'no tzdata', 'musl', 'root'])
  })
})
