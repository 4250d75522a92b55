// The builder image and custom bases come from settings (a file a person edits, or a front end):
// they go into `FROM`, so each is checked with the one image reference parser. One bad entry never
// costs the others: a bad custom base is dropped with a problem, a bad builder image falls back to
// the default with a notice, and the settings boundary refuses both with a message.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BASE_CATALOG, builtinBase, chooseBuilder, resolveBases } from '../../../shared/dockerfile/bases'
import { generateRecipe } from '../../../shared/dockerfile/generate'
import { engineImageRefProblem, imageRefProblem } from '../../../shared/dockerfile/image-ref'
import { resolveRecipeChoice } from '../../../shared/dockerfile/recipe-options'
import { settingsPatchSchema, settingsSchema } from '../../../shared/settings'
import { analysis } from './analysis'
import { instructionsOf } from './hostile'
import { expectSoundRecipe } from './recipe-checks'

const BAD_REFS = ['golang:1.23\nRUN id', 'golang:1.23\rRUN id', 'golang:1.23 AS x', '$(id)', 'golang:1.23;id', 'Golang:1.23', 'golang:', 'a/../b:1', '--platform=x golang:1', 'golang:1.23\u2028', 'x'.repeat(600)]
const keywords = (df: string) => instructionsOf(df).map((i) => i.keyword)
const plain = generateRecipe(analysis(), { base: builtinBase('distroless-static'), buildkit: true })

describe('the builder image from settings', () => {
  for (const ref of BAD_REFS) {
    it(`falls back to the default for ${JSON.stringify(ref.slice(0, 40))}, with a notice`, () => {
      const r = generateRecipe(analysis(), { base: builtinBase('distroless-static'), builderImage: ref, buildkit: true })
      expectSoundRecipe(r)
      expect(r.dockerfile).toBe(plain.dockerfile)
      expect(keywords(r.dockerfile)).toEqual(keywords(plain.dockerfile))
      const n = r.notices.find((x) => x.code === 'builder-image-invalid')
      expect(n?.severity).toBe('warning')
      expect(n?.message).toMatch(/golang:1\.23-bookworm is used instead/)
      expect(chooseBuilder(null, ref).rejected?.problem).toBeTruthy()
    })
  }

  it('keeps a valid one, mirrors and registries with ports included', () => {
    for (const ref of ['registry.example.com:5000/mirror/golang:1.23-bookworm', 'golang@sha256:' + 'a'.repeat(64), 'localhost/go:1', '  golang:1.22  ']) {
      const r = generateRecipe(analysis(), { base: builtinBase('distroless-static'), builderImage: ref, buildkit: true })
      expect(r.dockerfile).toContain(`FROM --platform=$BUILDPLATFORM ${ref.trim()} AS build\n`)
      expect(r.notices.map((n) => n.code)).not.toContain('builder-image-invalid')
    }
  })

  it('the CLI and the project page get the same fallback through resolveRecipeChoice', () => {
    for (const ref of ['golang:1.23\nRUN id', 'golang:1.22\n', '\tgolang:1.22', 'golang:1.22\u2028']) {
      const { options } = resolveRecipeChoice(analysis(), { builderImage: ref, buildkit: false })
      const r = generateRecipe(analysis(), options)
      expect(r.dockerfile, JSON.stringify(ref)).toContain('FROM golang:1.23-bookworm AS build\n')
      expect(r.notices.map((n) => n.code)).toContain('builder-image-invalid')
    }
    expect(resolveRecipeChoice(analysis(), { builderImage: ' \t ', buildkit: false }).options.builderImage).toBeNull()
  })

  it('any reference the parser accepts is one FROM word', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[a-z0-9.:/@_-]{1,30}$/)), (ref) => {
        if (imageRefProblem(ref) !== null) return
        const r = generateRecipe(analysis(), { base: builtinBase('scratch'), builderImage: ref, buildkit: false })
        const from = instructionsOf(r.dockerfile).filter((i) => i.keyword === 'FROM')
        expect(from.map((i) => i.args)).toEqual([`${ref.trim()} AS build`, 'scratch'])
      }),
      { numRuns: 500 },
    )
  }, 30_000)
})

describe('custom bases', () => {
  it('a bad entry is dropped with a problem, the others stay', () => {
    const { bases, problems } = resolveBases([
      { id: 'mirror-a', basedOn: 'alpine', image: 'registry.example.com/alpine:3.20' },
      { id: 'evil', basedOn: 'alpine', image: 'alpine:3.20\nRUN id' },
      { id: 'evil-label', basedOn: 'alpine', image: 'alpine:3.20', label: 'A\nRUN id' },
      { id: 'evil-summary', basedOn: 'alpine', image: 'alpine:3.20', summary: 'x\x1b[2J' },
      { id: 'mirror-b', basedOn: 'scratch', image: 'registry.example.com/empty:1' },
    ])
    expect(bases.map((b) => b.id)).toEqual([...BASE_CATALOG.map((b) => b.id), 'mirror-a', 'mirror-b'])
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/^Custom base "evil": image must not contain control characters.*Skipped\.$/)
    expect(problems[1]).toMatch(/^Custom base "evil-label": label must not contain control characters/)
    expect(problems[2]).toMatch(/^Custom base "evil-summary": summary must not contain control characters/)
  })

  it('a base built by hand with a bad image is not written into FROM', () => {
    const evil = { ...builtinBase('alpine'), id: 'x', image: 'alpine:3.20\nRUN id', custom: true }
    const r = generateRecipe(analysis(), { base: evil, buildkit: true })
    expectSoundRecipe(r)
    expect(r.dockerfile).toContain('\nFROM alpine:3.20\n')
    expect(r.dockerfile).not.toContain('RUN id')
    expect(r.notices.find((n) => n.code === 'base-image-invalid')?.severity).toBe('error')
  })
})

describe('the settings boundary', () => {
  it('refuses a bad builder image with a message', () => {
    for (const ref of BAD_REFS) {
      const r = settingsPatchSchema.safeParse({ builderImage: ref })
      expect(r.success, ref).toBe(false)
      expect(r.error?.issues[0]?.path).toEqual(['builderImage'])
      expect(r.error?.issues[0]?.message).toMatch(/^The builder image /)
    }
    expect(settingsPatchSchema.parse({ builderImage: ' registry.example.com/golang:1.23 ' })).toEqual({ builderImage: 'registry.example.com/golang:1.23' })
    expect(settingsPatchSchema.parse({ builderImage: null })).toEqual({ builderImage: null })
  })

  it('refuses a custom base with a bad image, naming the entry and the field', () => {
    const r = settingsPatchSchema.safeParse({ customBases: [{ id: 'ok', basedOn: 'alpine', image: 'alpine:3.20' }, { id: 'evil', basedOn: 'alpine', image: 'alpine:3.20\nRUN id' }] })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.path)).toEqual([['customBases', 1, 'image']])
    expect(r.error?.issues[0]?.message).toMatch(/^Custom base #2: image must not contain control characters/)
    // Valid entries are stored as they were sent (resolveBases reads them again).
    const entry = { id: 'ok', basedOn: 'alpine', image: 'alpine:3.20', extra: 1 }
    expect(settingsPatchSchema.parse({ customBases: [entry] })).toEqual({ customBases: [entry] })
  })

  it('a stored bad builder image does not cost the rest of the settings file', () => {
    const recent = [{ path: '/p', name: 'p', openedAt: 1 }]
    const s = settingsSchema.parse({ version: 1, recentProjects: recent, customBases: [], builderImage: 'golang:1.23\nRUN id' })
    expect(s.recentProjects).toEqual(recent)
    // Kept as written: the recipe refuses it where it is used, with a notice.
    expect(s.builderImage).toBe('golang:1.23\nRUN id')
    expect(settingsSchema.parse({ recentProjects: recent, builderImage: 42 }).recentProjects).toEqual(recent)
  })
})

describe('names the engine looks images up by', () => {
  it('accepts ids, short ids and references', () => {
    for (const ok of ['sha256:' + 'ab'.repeat(32), 'abcdef012345', 'alpine', 'alpine:3.20', 'registry.example.com:5000/a/b:1@sha256:' + 'c'.repeat(64)]) expect(engineImageRefProblem(ok), ok).toBeNull()
  })
  it('refuses what would change the API path', () => {
    for (const bad of ['', '../containers/json', 'a b', 'x\ny', '%2e%2e/containers/json', 'a/../../b', 'a?b', 'a#b', 'sha256:xyz', '/images/json', 'a//b']) expect(engineImageRefProblem(bad), bad).not.toBeNull()
  })
})
