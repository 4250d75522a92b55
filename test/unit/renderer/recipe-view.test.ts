import { describe, expect, it } from 'vitest'
import { readBackChoices } from '../../../renderer/src/features/projects/read-back'
import { effectiveBuildkit, imageTag, recipeView, type RecipeInput } from '../../../renderer/src/features/projects/recipe-view'
import { analysis, ev, mainPkg } from '../dockerfile/analysis'

const input = (changes: Partial<RecipeInput> = {}): RecipeInput => ({
  analysis: analysis(),
  settings: { customBases: [], builderImage: null },
  baseId: null,
  recipe: { buildkit: null, builderImage: '', version: '', commit: '' },
  engineBuildkit: true,
  ...changes,
})

describe('recipeView', () => {
  it('uses the recommended base, the git version and commit, and passes its own checks', () => {
    const v = recipeView(input())
    expect(v.base.id).toBe('distroless-static')
    expect(v.recommended.id).toBe('distroless-static')
    expect(v.recipe.buildArgs).toEqual({ VERSION: 'v1.2.3', COMMIT: 'abc1234' })
    expect(v.lint).toEqual([])
    expect(v.dockerfileLines.join('\n')).toBe(v.recipe.dockerfile.replace(/\n$/, ''))
    expect(v.grouped.lineToInstruction).toHaveLength(v.dockerfileLines.length)
    expect(v.tag).toBe('hello:v1.2.3')
    expect(v.buildCommand).toBe('DOCKER_BUILDKIT=1 docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=abc1234 -t hello:v1.2.3 /projects/hello')
  })

  it('follows the chosen base, builder and build args; blank fields mean the defaults', () => {
    const v = recipeView(input({ baseId: 'scratch', recipe: { buildkit: false, builderImage: ' corp/golang:1.23 ', version: '2.0.0', commit: ' ' } }))
    expect(v.dockerfileLines).toContain('FROM scratch')
    expect(v.recipe.dockerfile).toContain('FROM corp/golang:1.23 AS build')
    expect(v.recipe.dockerfile).not.toContain('--mount=type=cache')
    expect(v.recipe.buildArgs).toEqual({ VERSION: '2.0.0', COMMIT: 'abc1234' })
    expect(v.buildCommand.startsWith('docker build ')).toBe(true)
  })

  it('takes the builder and custom bases from settings, and reports the skipped ones', () => {
    const v = recipeView(
      input({
        settings: { builderImage: 'mirror/golang:1.23', customBases: [{ id: 'corp', image: 'registry.corp/static:1', basedOn: 'distroless-static' }, { id: 'BAD' }] },
        baseId: 'corp',
      }),
    )
    expect(v.recipe.dockerfile).toContain('FROM --platform=$BUILDPLATFORM mirror/golang:1.23 AS build')
    expect(v.defaultBuilder.image).toBe('mirror/golang:1.23')
    expect(v.dockerfileLines).toContain('FROM registry.corp/static:1')
    expect(v.bases.map((b) => b.id)).toContain('corp')
    expect(v.baseProblems).toHaveLength(1)
  })

  it('recommends the glibc base for cgo, and tags with the selected main’s binary', () => {
    const a = analysis({ needs: { cgo: [ev('main.go', 3)] }, mains: [mainPkg('.'), mainPkg('cmd/api')], selectedMain: 'cmd/api' })
    const v = recipeView(input({ analysis: a }))
    expect(v.base.id).toBe('distroless-base')
    expect(v.tag).toBe('api:v1.2.3')
  })

  it('groups continuation lines into one instruction', () => {
    const v = recipeView(input())
    const run = v.grouped.instructions.find((i) => v.dockerfileLines[i.first]?.startsWith('RUN '))
    expect(run && run.last - run.first).toBeGreaterThan(2)
    for (let l = run?.first ?? 0; l <= (run?.last ?? -1); l++) expect(v.grouped.lineToInstruction[l]).toBe(v.grouped.instructions.indexOf(run as never))
  })
})

describe('effectiveBuildkit', () => {
  it('follows the engine unless the person chose; BuildKit when no engine is connected', () => {
    expect(effectiveBuildkit(null, false)).toBe(false)
    expect(effectiveBuildkit(null, true)).toBe(true)
    expect(effectiveBuildkit(null, null)).toBe(true)
    expect(effectiveBuildkit(false, true)).toBe(false)
    expect(effectiveBuildkit(true, false)).toBe(true)
  })
})

describe('imageTag', () => {
  it('makes a valid reference from any name and version', () => {
    expect(imageTag('Hello API', 'v1.2.3+dirty')).toBe('hello-api:v1.2.3-dirty')
    expect(imageTag('---', '')).toBe('app:latest')
    expect(imageTag('svc', '.hidden')).toBe('svc:hidden')
  })
})

describe('readBackChoices', () => {
  const base = { analysis: analysis(), settings: { customBases: [], builderImage: null }, engineBuildkit: true }
  it('finds the base, cache mounts and builder under which Slipway wrote the project’s Dockerfile', () => {
    for (const [baseId, buildkit, builderImage] of [
      ['scratch', null, ''],
      ['alpine', false, ''],
      ['distroless-static', null, 'corp/golang:1.23'],
    ] as const) {
      const recipe = { buildkit, builderImage, version: '', commit: '' }
      const written = recipeView(input({ baseId, recipe })).recipe.dockerfile
      const a = analysis()
      const back = readBackChoices({ ...base, analysis: { ...a, existing: { ...a.existing, dockerfile: written } } })
      expect(back).toEqual({ baseId, recipe })
      // Read back, the preview is the file on disk: no difference to show.
      expect(recipeView(input({ ...back!, analysis: { ...a, existing: { ...a.existing, dockerfile: written } } })).recipe.dockerfile).toBe(written)
    }
  })

  it('reads nothing from a file Slipway did not write, or one edited since', () => {
    const a = analysis()
    const written = recipeView(input({ baseId: 'alpine' })).recipe.dockerfile
    const withFile = (dockerfile: string | null) => readBackChoices({ ...base, analysis: { ...a, existing: { ...a.existing, dockerfile } } })
    expect(withFile(null)).toBeNull()
    expect(withFile('FROM golang:1.23\nRUN go build\n')).toBeNull()
    expect(withFile(written.replace('USER', 'HEALTHCHECK CMD ["/app"]\nUSER'))).toBeNull()
  })
})
