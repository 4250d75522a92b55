import { describe, expect, it } from 'vitest'
import { buildCommand, shellQuote } from '../../../shared/dockerfile/build-command'
import { explainRecipe, groupRecipeLines } from '../../../shared/dockerfile/explain'
import { resolveBases } from '../../../shared/dockerfile/bases'
import { resolveRecipeChoice } from '../../../shared/dockerfile/recipe-options'
import { analysis, ev } from './analysis'

describe('groupRecipeLines', () => {
  it('joins continuation and grouped lines; a blank line ends an instruction', () => {
    const g = groupRecipeLines([
      { text: 'ARG A', why: 'Args.' },
      { text: 'ARG B', why: 'Args.', evidence: [ev('go.mod', 1)] },
      { text: '', why: '' },
      { text: 'RUN a \\', why: 'Build.', evidence: [ev('main.go', 3)] },
      { text: '    b', why: 'Build.', evidence: [ev('main.go', 3)] },
      { text: 'USER 1', why: 'User.' },
      { text: '', why: '' },
      { text: 'EXPOSE 1', why: 'User.' },
    ])
    expect(g.lineToInstruction).toEqual([0, 0, -1, 1, 1, 2, -1, 3])
    expect(g.instructions.map((i) => [i.first, i.last, i.why])).toEqual([
      [0, 1, 'Args.'],
      [3, 4, 'Build.'],
      [5, 5, 'User.'],
      [7, 7, 'User.'],
    ])
    expect(g.instructions[0]?.evidence).toEqual([ev('go.mod', 1)])
    expect(g.instructions[1]?.evidence).toEqual([ev('main.go', 3)])
  })

  it('explains each instruction once, as comments', () => {
    expect(explainRecipe([{ text: 'RUN a \\', why: 'Because.' }, { text: '    b', why: 'Because.' }])).toBe('# Because.\nRUN a \\\n    b\n')
  })
})

describe('resolveRecipeChoice', () => {
  it('falls back to the recommended base and reads blank fields as unset', () => {
    const r = resolveRecipeChoice(analysis(), { baseId: ' ', builderImage: '', buildkit: true, version: '  ', commit: 'c0ffee' })
    expect(r.base.id).toBe('distroless-static')
    expect(r.unknownBase).toBe(false)
    expect(r.options).toMatchObject({ builderImage: null, version: null, commit: 'c0ffee', mainDir: null, buildkit: true })
  })

  it('finds custom bases and flags unknown ids', () => {
    const { bases } = resolveBases([{ id: 'corp', image: 'registry.corp/static:1', basedOn: 'distroless-static' }])
    expect(resolveRecipeChoice(analysis(), { baseId: 'corp', buildkit: true }, bases).base.image).toBe('registry.corp/static:1')
    const unknown = resolveRecipeChoice(analysis(), { baseId: 'ubuntu', buildkit: true }, bases)
    expect([unknown.unknownBase, unknown.base.id]).toEqual([true, 'distroless-static'])
  })
})

describe('buildCommand', () => {
  it('quotes what a shell would split, and adds BuildKit and a tag when asked', () => {
    expect(buildCommand({ VERSION: 'v1', COMMIT: 'abc' }, '/p/hello', { buildkit: false })).toBe('docker build --build-arg VERSION=v1 --build-arg COMMIT=abc /p/hello')
    // The -f - form carries the Dockerfile in a quoted here-document whose end no line of it equals.
    expect(buildCommand({ VERSION: 'v1' }, '/p/hello', { buildkit: false, dockerfile: 'FROM scratch\nSLIPWAY_DOCKERFILE\n' })).toBe(
      "docker build --build-arg VERSION=v1 -f - /p/hello <<'SLIPWAY_DOCKERFILE_'\nFROM scratch\nSLIPWAY_DOCKERFILE\nSLIPWAY_DOCKERFILE_",
    )
    expect(buildCommand({ VERSION: 'v1' }, "/p/it's here", { buildkit: true, tag: 'hello:v1' })).toBe(
      "DOCKER_BUILDKIT=1 docker build --build-arg VERSION=v1 -t hello:v1 '/p/it'\\''s here'",
    )
    expect(shellQuote('a b')).toBe("'a b'")
  })
})
