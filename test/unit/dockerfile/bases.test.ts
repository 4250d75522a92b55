import { describe, expect, it } from 'vitest'
import { BASE_CATALOG, BUILTIN_BASE_IDS, chooseBuilder, NEWEST_KNOWN_GO, recommendBase, resolveBases } from '../../../shared/dockerfile/bases'
import { isPinnedRef, parseImageRef } from '../../../shared/dockerfile/image-ref'
import type { GoModule } from '../../../shared/types/project'
import { analysis, ev } from './analysis'

const mod = (goVersion: string | null, toolchain: string | null = null): GoModule => ({
  path: 'example.com/x',
  goVersion,
  toolchain,
  requires: [],
  replaces: [],
  evidence: ev('go.mod', 1),
})

describe('the base catalog', () => {
  it('has every built-in once, with pinned references', () => {
    expect(BASE_CATALOG.map((b) => b.id)).toEqual([...BUILTIN_BASE_IDS])
    for (const b of BASE_CATALOG) {
      expect(isPinnedRef(b.image), b.image).toBe(true)
      expect(b.pros.length).toBeGreaterThan(0)
      expect(b.cons.length).toBeGreaterThan(0)
      expect(b.summary).not.toBe('')
      expect(b.custom).toBe(false)
    }
  })

  it('states the trade-offs the recipes rely on', () => {
    const by = Object.fromEntries(BASE_CATALOG.map((b) => [b.id, b]))
    expect(by.scratch).toMatchObject({ shell: false, caCerts: false, tzdata: false, passwd: false, libc: 'none', typicalSizeBytes: 0 })
    expect(by['distroless-static']).toMatchObject({ image: 'gcr.io/distroless/static-debian12:nonroot', caCerts: true, tzdata: true, shell: false, defaultUser: { uid: 65532 } })
    expect(by['distroless-base']).toMatchObject({ libc: 'glibc', runsCgo: true })
    expect(by.alpine).toMatchObject({ image: 'alpine:3.20', shell: true, libc: 'musl', packageManager: 'apk', runsCgo: false, tzdata: false, caCerts: true })
    expect(by['debian-slim']).toMatchObject({ image: 'debian:bookworm-slim', libc: 'glibc', packageManager: 'apt', caCerts: false, tzdata: true })
    const sizes = BASE_CATALOG.map((b) => b.typicalSizeBytes)
    expect(Math.max(...sizes)).toBe(by['debian-slim']?.typicalSizeBytes)
  })

  it('recommends distroless static, or distroless base for cgo', () => {
    expect(recommendBase(analysis()).id).toBe('distroless-static')
    expect(recommendBase(analysis({ needs: { cgo: [ev('a.go', 1)] } })).id).toBe('distroless-base')
  })
})

describe('user-defined bases', () => {
  it('override a built-in in place, keeping its facts', () => {
    const { bases, problems } = resolveBases([{ id: 'distroless-static', image: 'registry.corp/distroless/static:nonroot', basedOn: 'distroless-static' }])
    expect(problems).toEqual([])
    expect(bases.map((b) => b.id)).toEqual([...BUILTIN_BASE_IDS])
    expect(bases[1]).toMatchObject({ id: 'distroless-static', image: 'registry.corp/distroless/static:nonroot', caCerts: true, label: 'Distroless static', custom: true })
  })

  it('add new ones, inheriting what they leave out', () => {
    const { bases } = resolveBases([{ id: 'corp-alpine', image: 'registry.corp:5000/alpine:3.20-hardened', basedOn: 'alpine', tzdata: true, label: 'Corp Alpine' }])
    expect(bases.at(-1)).toMatchObject({ id: 'corp-alpine', libc: 'musl', shell: true, tzdata: true, basedOn: 'alpine', label: 'Corp Alpine', custom: true })
  })

  it('skip invalid entries with a reason, keeping the rest', () => {
    const { bases, problems } = resolveBases([
      { id: 'a', image: 'alpine', basedOn: 'alpine' },
      { id: 'b', image: 'alpine:latest', basedOn: 'alpine' },
      { id: 'c', image: 'Not A Ref:1', basedOn: 'alpine' },
      { id: 'd', image: 'x:1', basedOn: 'windows' },
      { id: 'scratch', image: 'x:1', basedOn: 'alpine' },
      { id: 'ok', image: 'x:1', basedOn: 'scratch' },
      { id: 'ok', image: 'y:1', basedOn: 'scratch' },
      'junk',
    ])
    expect(bases.filter((b) => b.custom).map((b) => `${b.id}=${b.image}`)).toEqual(['ok=x:1'])
    expect(problems).toHaveLength(7)
    expect(problems[0]).toMatch(/^Custom base "a": image must name a tag/)
    expect(problems[2]).toMatch(/not a valid image reference/)
    expect(problems[4]).toMatch(/built-in id/)
    expect(problems[5]).toMatch(/defined twice/)
    expect(problems[6]).toMatch(/^Custom base #8/)
  })

  it('treat no settings as the plain catalog, and a non-list as a problem', () => {
    expect(resolveBases(undefined)).toEqual({ bases: [...BASE_CATALOG], problems: [] })
    expect(resolveBases({}).problems).toHaveLength(1)
  })
})

describe('the builder image', () => {
  it('follows the go line at minor precision', () => {
    expect(chooseBuilder(mod('1.22.3')).image).toBe('golang:1.22-bookworm')
    expect(chooseBuilder(mod('1.24')).image).toBe('golang:1.24-bookworm')
  })

  it('lets a newer toolchain line win, and ignores an older one', () => {
    const c = chooseBuilder(mod('1.22', 'go1.23.4'))
    expect(c.image).toBe('golang:1.23-bookworm')
    expect(c.why).toMatch(/toolchain/)
    expect(c.evidence).toEqual([ev('go.mod', 1)])
    expect(chooseBuilder(mod('1.24.0', 'go1.23.4')).image).toBe('golang:1.24-bookworm')
  })

  it('uses the default without go.mod, without a go line, and for long-unsupported releases', () => {
    expect(chooseBuilder(null).image).toBe('golang:1.23-bookworm')
    expect(chooseBuilder(mod(null)).image).toBe('golang:1.23-bookworm')
    expect(chooseBuilder(mod('1.16')).image).toBe('golang:1.23-bookworm')
    expect(chooseBuilder(mod('1.21.0')).image).toBe('golang:1.21-bookworm')
  })

  it('flags a go or toolchain line newer than any Go release it knows, and only that', () => {
    const future = chooseBuilder(mod('1.30'))
    expect(future).toMatchObject({ image: 'golang:1.30-bookworm', unreleased: { goVersion: '1.30', newestKnown: NEWEST_KNOWN_GO } })
    expect(chooseBuilder(mod('1.22', 'go1.31.0')).unreleased?.goVersion).toBe('1.31')
    expect(chooseBuilder(mod(NEWEST_KNOWN_GO)).unreleased).toBeUndefined()
    expect(chooseBuilder(mod('1.23')).unreleased).toBeUndefined()
    // A builder from the settings is the user's word: nothing to flag.
    expect(chooseBuilder(mod('1.30'), 'registry.example.com/golang:1.30').unreleased).toBeUndefined()
  })

  it('takes an override from settings as is', () => {
    expect(chooseBuilder(mod('1.22'), 'slipway-test/golang:1.23')).toMatchObject({ image: 'slipway-test/golang:1.23', goVersion: null })
    expect(chooseBuilder(mod('1.22'), '  ').image).toBe('golang:1.22-bookworm')
  })
})

describe('image references', () => {
  it('split name, tag and digest like Docker', () => {
    expect(parseImageRef('registry.corp:5000/team/app:1.2')).toEqual({ name: 'registry.corp:5000/team/app', tag: '1.2', digest: null })
    expect(parseImageRef('localhost/app')).toEqual({ name: 'localhost/app', tag: null, digest: null })
    expect(parseImageRef('alpine@sha256:' + 'a'.repeat(64))?.digest).toBe('sha256:' + 'a'.repeat(64))
    for (const bad of ['', 'UPPER/case:1', 'a b:1', 'app:', 'app:-x', 'registry.corp:5000/:1']) expect(parseImageRef(bad), bad).toBeNull()
  })

  it('count tags other than latest and digests as pinned', () => {
    expect(isPinnedRef('alpine:3.20')).toBe(true)
    expect(isPinnedRef('alpine')).toBe(false)
    expect(isPinnedRef('alpine:latest')).toBe(false)
    expect(isPinnedRef('alpine:latest@sha256:' + 'b'.repeat(64))).toBe(true)
    expect(isPinnedRef('scratch')).toBe(true)
  })
})
