// A project folder is untrusted: its folder names, file names and Go identifiers must never become
// Dockerfile instructions, shell commands or .dockerignore rules. Each attack below was a real one
// (a folder `cmd/a;id` ran `id` as root in the builder); the property test tries the rest.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { builtinBase } from '../../../shared/dockerfile/bases'
import { explainRecipe } from '../../../shared/dockerfile/explain'
import { generateRecipe, sourceUrlFor, type Recipe } from '../../../shared/dockerfile/generate'
import { showText } from '../../../shared/dockerfile/safe-text'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { analysis, ev, listen, mainPkg, runtimeFile, withDeps } from './analysis'
import { hostileCase, instructionsOf, RUN_GRAMMAR } from './hostile'
import { expectSoundRecipe } from './recipe-checks'

const gen = (a: ProjectAnalysis, buildkit = true): Recipe => generateRecipe(a, { base: builtinBase('distroless-static'), buildkit })
const keywords = (dockerfile: string) => instructionsOf(dockerfile).map((i) => i.keyword)
const envArgs = (dockerfile: string) => instructionsOf(dockerfile).filter((i) => i.keyword === 'ENV').map((i) => i.args)
const runBodies = (dockerfile: string) => instructionsOf(dockerfile).filter((i) => i.keyword === 'RUN').map((i) => i.args)
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u
const noControl = (text: string) => expect(text.replace(/\n/g, ''), 'a control character').not.toMatch(CONTROL)

/** Two mains: a benign one and one in the hostile folder, which is the one selected. */
const withMain = (dir: string) => analysis({ mains: [mainPkg('cmd/api'), mainPkg(dir)], selectedMain: dir })

describe('a main package folder cannot inject commands or instructions', () => {
  const benign = gen(withMain('cmd/tool'))
  const attacks: Record<string, string> = {
    'a ; runs a second command': 'cmd/a;id',
    '$(…) substitutes a command': 'cmd/$(id)',
    'backticks substitute a command': 'cmd/`id`',
    'a newline adds an instruction': 'cmd/a\nRUN id',
    'a carriage return adds an instruction for some parsers': 'cmd/a\rRUN id',
    'a backslash-newline continues into a new line': 'cmd/a\\\nRUN id',
    'a space splits the argument': 'cmd/my tool',
    '.. leaves the module': 'cmd/../../etc',
    'a leading dash reads as a flag': '-o/x',
  }
  for (const [what, dir] of Object.entries(attacks)) {
    it(`${what}: ${JSON.stringify(dir)}`, () => {
      const r = gen(withMain(dir))
      expectSoundRecipe(r)
      // The same instructions as for a project with a plain folder name, and nothing of the name in them.
      expect(keywords(r.dockerfile)).toEqual(keywords(benign.dockerfile))
      for (const body of runBodies(r.dockerfile)) expect(RUN_GRAMMAR.some((g) => g.test(body)), body).toBe(true)
      expect(r.dockerfile).not.toContain('id')
      expect(r.dockerfile).toContain('./cmd/api\n')
      expect(r.dockerignore).not.toMatch(/tool|RUN|etc/)
      noControl(r.dockerfile)
      noControl(r.dockerignore)
      // Reported, as an error: the folder the user wanted is not the one built.
      const n = r.notices.find((x) => x.code === 'unsafe-main-dir')
      expect(n?.severity).toBe('error')
      expect(n?.message).toContain(showText(dir))
      expect(n?.detail).toMatch(/builds cmd\/api/)
    })
  }

  it('a hostile main that is not selected is left out with a warning, and the selected one is built', () => {
    const r = gen(analysis({ mains: [mainPkg('cmd/a;id'), mainPkg('cmd/api')], selectedMain: null }))
    expect(runBodies(r.dockerfile).at(-1)).toMatch(/ \.\/cmd\/api$/)
    expect(r.notices.filter((n) => n.code === 'unsafe-main-dir').map((n) => n.severity)).toEqual(['warning'])
  })

  it('with no buildable main left, the recipe says so and builds nothing from the project’s names', () => {
    const r = gen(analysis({ mains: [mainPkg('cmd/a;id')], selectedMain: 'cmd/a;id' }))
    expect(runBodies(r.dockerfile).at(-1)).toMatch(/ -o \/out\/hello \.$/)
    expect(r.notices.find((n) => n.code === 'unsafe-main-dir')?.severity).toBe('error')
  })

  it('keeps the folder names Go allows', () => {
    for (const dir of ['cmd/api', 'cmd/my-tool', 'internal/x.y', 'cmd/v2_tool', 'tools/c++', 'cmd/~x', '.hidden/cmd']) {
      const r = gen(withMain(dir))
      expect(r.notices.filter((n) => n.code.startsWith('unsafe')), dir).toEqual([])
      expect(runBodies(r.dockerfile).at(-1), dir).toMatch(new RegExp(` \\./${dir.replace(/[.+~]/g, '\\$&')}$`))
    }
  })
})

describe('other project text cannot inject either', () => {
  it('an environment variable name with a newline does not add ENV or RUN', () => {
    const a = analysis({ needs: { listen: [listen({ host: '127.0.0.1', loopbackOnly: true, via: { kind: 'env', name: 'X=1\nRUN id' } })] } })
    const r = gen(a)
    expectSoundRecipe(r)
    const none = gen(analysis({ needs: { listen: [] } }))
    expect(keywords(r.dockerfile)).toEqual(keywords(none.dockerfile))
    expect(envArgs(r.dockerfile)).toEqual(envArgs(none.dockerfile))
    expect(r.dockerfile).not.toContain('id')
    expect(r.notices.find((n) => n.code === 'unsafe-env-name')?.message).toContain(showText('X=1\nRUN id'))
    // A plain name still gets its ENV.
    const ok = gen(analysis({ needs: { listen: [listen({ host: '127.0.0.1', loopbackOnly: true, via: { kind: 'env', name: 'LISTEN_ADDR' } })] } }))
    expect(ok.dockerfile).toContain('ENV LISTEN_ADDR=:8080\n')
  })

  it('a PORT variable without a default is set only when its name is plain', () => {
    const r = gen(analysis({ needs: { listen: [listen({ port: null, via: { kind: 'env', name: 'A;B_PORT' } })] } }))
    expect(envArgs(r.dockerfile)).toEqual(envArgs(gen(analysis({ needs: { listen: [] } })).dockerfile))
    expect(keywords(r.dockerfile)).not.toContain('EXPOSE')
    expect(r.notices.map((n) => n.code)).toContain('unsafe-env-name')
  })

  it('a flag name cannot add arguments or break the CMD array', () => {
    for (const name of ['addr", "--evil', 'addr\nRUN id', 'a b', '-addr', 'addr=x']) {
      const r = gen(analysis({ needs: { listen: [listen({ host: '127.0.0.1', loopbackOnly: true, via: { kind: 'flag', name } })] } }))
      expectSoundRecipe(r)
      expect(keywords(r.dockerfile), name).not.toContain('CMD')
      expect(r.notices.map((n) => n.code), name).toContain('unsafe-flag-name')
    }
    expect(gen(analysis({ needs: { listen: [listen({ host: '127.0.0.1', loopbackOnly: true })] } })).dockerfile).toContain('CMD ["--addr", ":8080"]')
  })

  it('names read by the program appear in suggested commands only when they are plain', () => {
    const r = gen(analysis({ needs: { env: [{ name: 'DB_URL', evidence: [ev('db.go', 3)] }, { name: '$(id)', evidence: [ev('db.go', 4)] }] } }))
    const suggestion = r.notices.find((n) => n.code === 'env-vars')
    expect(suggestion?.detail).toBe('Pass it at run time: `docker run -e DB_URL=… IMAGE`.')
    expect(r.notices.find((n) => n.code === 'unsafe-env-name')?.message).toContain('"$(id)"')
  })

  it('a run-time file name cannot add instructions, flags, variables or globs to COPY', () => {
    const without = gen(analysis())
    for (const path of ['a\nRUN id', '$HOME/x', 'conf/*', '--from=build/etc/passwd', 'x`id`', 'a\\', '[x]']) {
      const r = gen(analysis({ needs: { runtimeFiles: [runtimeFile(path, true)] } }))
      expectSoundRecipe(r)
      expect(r.dockerfile, path).toBe(without.dockerfile)
      expect(r.notices.find((n) => n.code === 'unsafe-path')?.message, path).toContain(showText(path))
    }
    // Names that only need JSON form are kept.
    const spaced = gen(analysis({ needs: { runtimeFiles: [runtimeFile('conf/my file.yaml', true), runtimeFile('données.txt', true)] } }))
    expect(spaced.dockerfile).toContain('COPY ["conf/my file.yaml", "/app/conf/my file.yaml"]\n')
    expect(spaced.dockerfile).toContain('COPY ["données.txt", "/app/données.txt"]\n')
  })

  it('a path kept by the .dockerignore cannot add rules (a `!**` would send every secret to the builder)', () => {
    const r = gen(analysis({ needs: { runtimeFiles: [runtimeFile('bin/x\n!**', true)], embeds: [ev('main.go', 8, '//go:embed bin/a#b dist/ok')] } }))
    const rules = r.dockerignore.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
    expect(rules.filter((l) => l.startsWith('!'))).toEqual(['!dist/ok'])
    expect(r.notices.filter((n) => n.code === 'unsafe-path')).toHaveLength(2)
  })

  it('a local replacement path cannot inject COPY flags', () => {
    const a = withDeps()
    if (a.module) a.module.replaces = [{ from: 'example.com/lib', to: './--from=build', local: true, outsideContext: false, evidence: ev('go.mod', 5) }]
    const r = gen(a)
    expect(r.dockerfile).not.toContain('--from=build/')
    expect(r.notices.map((n) => n.code)).toContain('unsafe-path')
  })

  it('the project name and a base label stay inside their comment and label', () => {
    const a = analysis({ name: 'x\nRUN id\r\u202e"\\$(id)' })
    const r = generateRecipe(a, { base: { ...builtinBase('alpine'), label: 'A\nRUN id', custom: true }, buildkit: true })
    expectSoundRecipe(r)
    expect(keywords(r.dockerfile)).toEqual(keywords(gen(analysis()).dockerfile).map((k) => k))
    expect(r.dockerfile.split('\n')[0]).toBe('# Generated by Slipway for x RUN id "\\$(id) on A RUN id.')
    noControl(r.dockerfile)
  })

  it('a module path makes a source label only when it is a valid module path', () => {
    expect(sourceUrlFor('github.com/acme/app"\nRUN id')).toBeNull()
    expect(sourceUrlFor('github.com/acme/app/x;y')).toBeNull()
    expect(sourceUrlFor('github.com/acme/app/v2')).toBe('https://github.com/acme/app')
  })

  it('--explain keeps every reason in comments, whatever the evidence file names are', () => {
    const a = analysis({ needs: { caCerts: [ev('x\nRUN id\x1b[2J\u202e.go', 1)], runtimeFiles: [{ ...runtimeFile('a.txt', true), evidence: ev('b\r\u2028RUN id\x1b]0;owned\x07\u202e.go', 2) }] } })
    const r = gen(a)
    expect(keywords(explainRecipe(r.lines))).toEqual(keywords(r.dockerfile))
    noControl(explainRecipe(r.lines))
  })
})

describe('any hostile analysis (property)', () => {
  it('parses to exactly the instructions of the same project without the hostile items, and each of them is reported', () => {
    fc.assert(
      fc.property(hostileCase, (c) => {
        const r = generateRecipe(c.hostile, { base: c.base, buildkit: c.buildkit })
        const expected = generateRecipe(c.expected, { base: c.base, buildkit: c.buildkit })
        const benign = generateRecipe(c.benign, { base: c.benignBase, buildkit: c.buildkit })
        // Hostile items are left out, and nothing else changes.
        expect(r.dockerfile).toBe(expected.dockerfile)
        expect(r.dockerignore).toBe(expected.dockerignore)
        // dockerfile-ast reads the instructions a benign project of the same shape gets.
        const got = instructionsOf(r.dockerfile)
        expect(got.map((i) => i.keyword)).toEqual(keywords(benign.dockerfile))
        expect(r.lines.filter((l) => /^[A-Z]+ /.test(l.text)).length, 'one instruction per keyword line').toBe(got.length)
        for (const i of got.filter((x) => x.keyword === 'RUN')) expect(RUN_GRAMMAR.some((g) => g.test(i.args)), i.args).toBe(true)
        for (const i of got.filter((x) => x.keyword === 'ENV')) expect(i.args).toMatch(/^[A-Za-z_][A-Za-z0-9_]*=[\w.:]+$/)
        for (const i of got.filter((x) => x.keyword === 'CMD')) expect(i.args).toMatch(/^\["--[A-Za-z0-9][\w.-]*", "[\w.:]+"(?:, "--[A-Za-z0-9][\w.-]*", "[\w.:]+")*\]$/)
        noControl(r.dockerfile)
        noControl(r.dockerignore)
        // The explained form is the same Dockerfile with comments.
        expect(keywords(explainRecipe(r.lines))).toEqual(got.map((i) => i.keyword))
        // Reported, with the text shown as it is.
        const said = r.notices.map((n) => `${n.message} ${n.detail ?? ''}`).join('\n')
        for (const v of c.reported) expect(said, `no notice names ${JSON.stringify(v)}`).toContain(showText(v))
      }),
      { numRuns: Number(process.env.SLIPWAY_PROPERTY_RUNS ?? 300) },
    )
  }, 60_000)

  it('benign analyses lose nothing', () => {
    // The oracle above is only as good as the claim that benign items survive: check it on its own.
    fc.assert(
      fc.property(hostileCase, (c) => {
        const r = generateRecipe(c.expected, { base: c.base, buildkit: c.buildkit })
        expect(r.notices.filter((n) => n.code.startsWith('unsafe')).map((n) => n.message)).toEqual([])
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})
