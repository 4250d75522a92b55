import ignore from '@balena/dockerignore'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { embedTargets, generateDockerignore, matchesOrParentMatches } from '../../../shared/dockerfile/dockerignore'
import { ev } from './analysis'
import { ignoredBy } from './recipe-checks'

describe('the .dockerignore', () => {
  const text = generateDockerignore({ keep: ['go.mod', 'go.sum', '.'] })

  it('drops what does not belong in a build context', () => {
    for (const p of ['.git/HEAD', 'third_party/lib/.git', '.env', 'cmd/api/.env.local', 'node_modules/x/index.js', 'web/node_modules/y', 'bin/hello', 'dist/app', '.idea/workspace.xml', 'Dockerfile', '.dockerignore', 'pkg/x.test', 'cpu.prof', 'certs/server.key', 'a/.DS_Store'])
      expect(ignoredBy(text, p), p).toBe(true)
  })

  it('keeps sources, tests, vendor/ and testdata/', () => {
    for (const p of ['main.go', 'main_test.go', 'go.mod', 'go.sum', 'vendor/modules.txt', 'internal/x/testdata/a.json', 'cmd/api/main.go', 'web/bin.go', 'README.md'])
      expect(ignoredBy(text, p), p).toBe(false)
  })

  it('re-includes copied paths that an exclusion would drop, and nothing else', () => {
    const t = generateDockerignore({ keep: ['dist/index.html', 'config/.env.example', 'templates/', './go.sum*'] })
    expect(t).toContain('\n!dist/index.html\n')
    expect(t).toContain('\n!config/.env.example\n')
    expect(t).not.toContain('!templates')
    expect(t).not.toContain('!go.sum')
    expect(ignoredBy(t, 'dist/index.html')).toBe(false)
    expect(ignoredBy(t, 'config/.env.example')).toBe(false)
    expect(ignoredBy(t, 'dist/other.js')).toBe(true)
  })

  it('keeps //go:embed targets, relative to the embedding file', () => {
    expect(embedTargets(ev('web/assets.go', 7, '//go:embed dist/* all:static "my files/a.txt" `b c.txt`'))).toEqual(['web/dist', 'web/static', 'web/my files/a.txt', 'web/b c.txt'])
    expect(embedTargets(ev('main.go', 3))).toEqual([])
    const t = generateDockerignore({ keep: [], embeds: [ev('main.go', 7, '//go:embed dist')] })
    expect(ignoredBy(t, 'dist/index.html')).toBe(false)
  })
})

describe('our pattern matcher', () => {
  it('agrees with Docker’s rules (@balena/dockerignore) on the patterns we write', () => {
    const seg = fc.constantFrom('a', 'bin', '.env.local', 'x.test', 'node_modules', 'Dockerfile.dev', 'm.go')
    const patterns = ['bin', 'dist', '**/.env', '**/.env.*', '**/node_modules', '**/*.test', '.git', 'Dockerfile.*', '**/*.key', '**/.DS_Store', 'a/*/m.go', 'a?', 'a/**/m.go']
    const same = (pattern: string, path: string) => expect(matchesOrParentMatches(pattern, path), `${pattern} vs ${path}`).toBe(ignore().add([pattern]).ignores(path))
    same('a/*/m.go', 'a/b/c/m.go')
    same('a/*/m.go', 'a/b/m.go')
    same('a/**/m.go', 'a/m.go')
    same('**/*.test', 'x.test')
    same('bin', 'web/bin')
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.constantFrom(...patterns), (segs, pattern) => {
        same(pattern, segs.join('/'))
      }),
      { numRuns: 3000 },
    )
  })
})
