import { describe, expect, it } from 'vitest'
import { indexPackages, parsePackages } from '../../../shared/debian/packages'
import { resolve, Unresolvable } from '../../../shared/debian/resolve'

const pkg = (name: string, version: string, fields = '', arch = 'amd64') =>
  `Package: ${name}\nVersion: ${version}\nArchitecture: ${arch}\n${fields}Filename: pool/main/x/${name}_${version}.deb\nSize: 1\nSHA256: ${'0'.repeat(64)}\n`

const index = (release: string[], backports: string[] = []) =>
  indexPackages([...parsePackages(release.join('\n'), 'bookworm'), ...parsePackages(backports.join('\n'), 'bookworm-backports', 1)])

const names = (list: { name: string; version: string }[]) => list.map((p) => `${p.name}=${p.version}`)

describe('resolve', () => {
  it('follows Pre-Depends and Depends once each, sorted by name', () => {
    const idx = index([pkg('app', '1', 'Pre-Depends: libc6\nDepends: libz (>= 1.2), libc6\n'), pkg('libc6', '2.36', 'Depends: libgcc-s1\n'), pkg('libgcc-s1', '12'), pkg('libz', '1.2.13')])
    expect(names(resolve(idx, ['app'], { arch: 'amd64' }))).toEqual(['app=1', 'libc6=2.36', 'libgcc-s1=12', 'libz=1.2.13'])
  })

  it('takes the first alternative that exists, and virtual packages through Provides', () => {
    const idx = index([pkg('app', '1', 'Depends: nothere | libb, awk\n'), pkg('libb', '1'), pkg('mawk', '1.3', 'Provides: awk\n')])
    expect(names(resolve(idx, ['app'], { arch: 'amd64' }))).toEqual(['app=1', 'libb=1', 'mawk=1.3'])
  })

  it('prefers an alternative already chosen', () => {
    const idx = index([pkg('app', '1', 'Depends: liba, libb | liba\n'), pkg('liba', '1'), pkg('libb', '1')])
    expect(names(resolve(idx, ['app'], { arch: 'amd64' }))).toEqual(['app=1', 'liba=1'])
  })

  it('uses backports only for what the release lacks or cannot satisfy', () => {
    const idx = index(
      [pkg('golang-1.19-go', '1.19'), pkg('gcc', '12'), pkg('libc6', '2.36')],
      [pkg('golang-1.23-go', '1.23', 'Depends: golang-1.23-src (>= 1.23), libc6 (>= 2.34)\n'), pkg('golang-1.23-src', '1.23', '', 'all'), pkg('gcc', '14')],
    )
    expect(names(resolve(idx, ['golang-1.23-go', 'gcc'], { arch: 'amd64' }))).toEqual(['gcc=12', 'golang-1.23-go=1.23', 'golang-1.23-src=1.23', 'libc6=2.36'])
  })

  it('meets version constraints and skips other architectures', () => {
    const idx = index([pkg('app', '1', 'Depends: libx (>= 2)\n'), pkg('libx', '1'), pkg('libx', '3', '', 'arm64')], [pkg('libx', '2.1')])
    expect(names(resolve(idx, ['app'], { arch: 'amd64' }))).toEqual(['app=1', 'libx=2.1'])
  })

  it('says what is missing and who needed it', () => {
    const idx = index([pkg('app', '1', 'Depends: libmid\n'), pkg('libmid', '1', 'Depends: libgone (>= 3) | libother\n')])
    let err: unknown
    try {
      resolve(idx, ['app'], { arch: 'amd64' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(Unresolvable)
    expect((err as Error).message).toBe('nothing in the mirror\'s indexes satisfies "libgone (>= 3) | libother" (needed by app → libmid)')
    expect(() => resolve(idx, ['nope'], { arch: 'amd64' })).toThrow(/"nope"/)
  })

  it('leaves out what the recipe skips', () => {
    const idx = index([pkg('app', '1', 'Depends: debconf\n')])
    expect(names(resolve(idx, ['app'], { arch: 'amd64', skip: new Set(['debconf']) }))).toEqual(['app=1'])
  })
})
