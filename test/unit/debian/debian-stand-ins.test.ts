import { describe, expect, it } from 'vitest'
import { BUILTIN_BASE_IDS, resolveBases } from '../../../shared/dockerfile/bases'
import { STAND_INS, mirrorHost, offerText, offersText, pointAtImage, standInFor, type MakeOffer } from '../../../shared/debian/stand-ins'

describe('which made base stands in for which', () => {
  it('is the table the recipes say: scratch none, alpine busybox, the builder golang', () => {
    expect(STAND_INS).toEqual({ scratch: null, 'distroless-static': 'static', 'distroless-base': 'glibc', alpine: 'busybox', 'debian-slim': 'debian', builder: 'golang' })
    expect(Object.keys(STAND_INS)).toEqual([...BUILTIN_BASE_IDS, 'builder'])
  })

  it('goes by what a custom base is based on', () => {
    expect(standInFor({ kind: 'base', id: 'company-alpine', basedOn: 'alpine' })).toBe('busybox')
    expect(standInFor({ kind: 'base', id: 'scratch', basedOn: 'scratch' })).toBeNull()
    expect(standInFor({ kind: 'builder' })).toBe('golang')
  })
})

describe('pointing the catalog at a made image', () => {
  const others = [{ id: 'alpine', basedOn: 'alpine', image: 'mirror.example/alpine:3.20' }, { nonsense: true }]

  it('replaces a built-in base in place and keeps every other entry as it was (even a bad one)', () => {
    const list = [others[0], { id: 'distroless-static', basedOn: 'distroless-static', image: '127.0.0.1:1/x:1', label: 'Mirror' }, others[1]]
    const patch = pointAtImage(list, { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' }, 'slipway-made/static:bookworm')
    expect(patch).toEqual({ customBases: [others[0], { id: 'distroless-static', basedOn: 'distroless-static', image: 'slipway-made/static:bookworm' }, others[1]] })
    const { bases } = resolveBases(patch.customBases)
    expect(bases.find((b) => b.id === 'distroless-static')?.image).toBe('slipway-made/static:bookworm')
  })

  it('adds the entry when the built-in had none, and a custom base keeps its own fields', () => {
    expect(pointAtImage(others, { kind: 'base', id: 'debian-slim', basedOn: 'debian-slim' }, 'slipway-made/debian:bookworm').customBases).toEqual([
      ...others,
      { id: 'debian-slim', basedOn: 'debian-slim', image: 'slipway-made/debian:bookworm' },
    ])
    const mine = { id: 'company-alpine', basedOn: 'alpine', image: 'gone.example/alpine:1', label: 'Company alpine' }
    expect(pointAtImage([mine], { kind: 'base', id: 'company-alpine', basedOn: 'alpine' }, 'slipway-made/busybox:bookworm').customBases).toEqual([
      { ...mine, image: 'slipway-made/busybox:bookworm' },
    ])
  })

  it('sets the builder image for the builder', () => {
    expect(pointAtImage(others, { kind: 'builder' }, 'slipway-made/golang:bookworm')).toEqual({ builderImage: 'slipway-made/golang:bookworm' })
  })
})

describe('the offer in words', () => {
  const offer: MakeOffer = {
    base: 'golang',
    label: 'Go builder (golang-like)',
    image: 'slipway-made/golang:bookworm',
    present: false,
    downloadBytes: 151_400_000,
    imageBytes: 577_000_000,
    mirror: 'deb.debian.org',
    suite: 'bookworm',
    target: { kind: 'builder' },
  }
  it('says the size and the mirror, or that it is here already', () => {
    expect(offerText(offer)).toBe('Make Go builder (golang-like) from Debian packages (≈ 151 MB, from deb.debian.org)')
    expect(offerText({ ...offer, base: 'static', label: 'Static', downloadBytes: 500_000, imageBytes: 1_540_000 })).toBe('Make Static from Debian packages (≈ 0.5 MB, from deb.debian.org)')
    expect(offerText({ ...offer, present: true })).toBe('Use Go builder (golang-like) made here (slipway-made/golang:bookworm)')
  })
  it('puts several in one action', () => {
    const stat: MakeOffer = { ...offer, base: 'static', label: 'Static', downloadBytes: 500_000, imageBytes: 1_540_000, target: { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' } }
    expect(offersText([offer, stat])).toBe('Make Go builder (golang-like) and Static from Debian packages (≈ 152 MB, from deb.debian.org)')
    expect(offersText([{ ...offer, present: true }, stat])).toBe('Make Static from Debian packages (≈ 0.5 MB, from deb.debian.org), and use Go builder (golang-like) made here')
    expect(offersText([stat])).toBe(offerText(stat))
  })
  it('leaves the size out when the mirror could not say it', () => {
    expect(offerText({ ...offer, downloadBytes: null, imageBytes: null })).toBe('Make Go builder (golang-like) from Debian packages (from deb.debian.org)')
    const stat: MakeOffer = { ...offer, base: 'static', label: 'Static', downloadBytes: 500_000, target: { kind: 'base', id: 'distroless-static', basedOn: 'distroless-static' } }
    expect(offersText([{ ...offer, downloadBytes: null }, stat])).toBe('Make Go builder (golang-like) and Static from Debian packages (from deb.debian.org)')
  })
  it('names a mirror by its host', () => {
    expect(mirrorHost('http://deb.debian.org/debian')).toBe('deb.debian.org')
    expect(mirrorHost('https://user:pw@mirror.example:8443/debian/')).toBe('mirror.example:8443')
    expect(mirrorHost('not a uri')).toBe('not a uri')
  })
})
