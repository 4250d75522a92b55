import ignore from '@balena/dockerignore'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ignores, matchesOrParentMatches } from '../../../shared/dockerfile/dockerignore'
import { globToRegExp, hasGlobSyntax } from '../../../shared/glob'
import { compileSearch } from '../../../renderer/src/features/images/tree-search'

const go = (pattern: string, path: string) => globToRegExp(pattern, 'go').test(path)

describe('the Go dialect (path.Match: embed patterns, run-time file globs)', () => {
  // Each row was checked with Go 1.23's path.Match (a syntax error matches nothing).
  it.each([
    ['static/*', 'static/a.css', true],
    ['static/*', 'static/x/a.css', false],
    ['**/x', 'a/x', true],
    ['**/x', 'a/b/x', false],
    ['?.go', '/.go', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\[b', 'a[b', true],
    ['[^a]x', 'ax', false],
    ['[^a]x', 'bx', true],
    ['[!a]x', 'bx', false],
    ['[!a]x', '!x', true],
    ['[a-c]x', 'bx', true],
    ['[a\\]]x', ']x', true],
    ['file (1).txt', 'file (1).txt', true],
    ['+(a).go', '+(a).go', true],
    ['+(a).go', 'a.go', false],
    ['[]a]x', ']x', false],
    ['[a-]x', '-x', false],
    ['a[', 'a[', false],
  ] as const)('%s against %s: %s', (pattern, path, want) => {
    expect(go(pattern, path)).toBe(want)
  })
})

describe('the Docker dialect (.dockerignore lines)', () => {
  it('`**` spans elements, `**/` also none; `*` stays in one; leading and trailing `/` are dropped', () => {
    const m = (p: string, path: string) => matchesOrParentMatches(p, path)
    expect([m('**/*.key', 'a/b/c.key'), m('**/*.key', 'c.key'), m('a/**/m.go', 'a/m.go'), m('a/*/m.go', 'a/b/c/m.go'), m('/bin', 'bin/x'), m('dist/', 'dist/a.js'), m('bin', 'web/bin')]).toEqual([
      true, true, true, false, true, true, false,
    ])
  })

  it('a class is negated by `^`; `[!a]` is `!` or `a` (Docker hands classes to Go’s regexp); parentheses are characters', () => {
    const m = (p: string, path: string) => globToRegExp(p, 'docker').test(path)
    expect([m('[^a]x', 'ax'), m('[^a]x', 'bx'), m('[!a]x', 'bx'), m('[!a]x', 'ax'), m('[!a]x', '!x'), m('file (1).txt', 'file (1).txt'), m('@(a|b)', 'a')]).toEqual([false, true, false, true, true, true, false])
  })

  it('`!` lines are exceptions, the last matching line decides', () => {
    const lines = ['# secrets', '**/*.pem', '!certs/ca.pem', 'certs/ca.pem.bak', '', 'dist', '!dist/keep']
    expect(['a.pem', 'x/y.pem', 'certs/ca.pem', 'certs/ca.pem.bak', 'dist/a', 'dist/keep', 'dist/keep/x', 'main.go'].filter((p) => ignores(lines, p))).toEqual(['a.pem', 'x/y.pem', 'certs/ca.pem.bak', 'dist/a'])
  })

  it('agrees with @balena/dockerignore (which filters the build context) on whole files with exceptions', () => {
    // Not `(`: @balena/dockerignore follows Docker 19.03, which left `(`, `)`, `+`, `|`, `{`, `}` to the
    // regexp; Docker since escapes them (moby's patternmatcher), as this dialect does.
    const seg = fc.constantFrom('a', 'b', '!b', 'bin', '.env', 'x.test', 'm.go', 'ab', 'b.c')
    const pattern = fc.constantFrom('a', 'bin', '/bin', 'bin/', '**/.env', '**/*.test', 'a/*/m.go', 'a/**/m.go', 'a?', '*', '[!a]b', '[^a]b', '[a-b]*', 'b\\.c', '**/b', 'a/**', '*/m.go', '**')
    const line = fc.tuple(fc.boolean(), pattern).map(([exception, p]) => (exception ? `!${p}` : p))
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.array(seg, { minLength: 1, maxLength: 4 }), (lines, segs) => {
        const path = segs.join('/')
        expect(ignores(lines, path), `${lines.join(' ; ')} vs ${path}`).toBe(ignore().add(lines).ignores(path))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('the search dialect (what people type in the layer explorer)', () => {
  const hits = (query: string, texts: string[]) => {
    const m = compileSearch(query)
    return texts.filter((t) => m.test(m.caseSensitive ? t : t.toLowerCase()))
  }

  it('a name glob, a path glob at any depth, an anchored one with **', () => {
    expect(hits('*.so', ['libc.so', 'libc.so.6', 'x.SO'])).toEqual(['libc.so', 'x.SO'])
    expect(hits('lib/*.so', ['/usr/lib/x.so', '/usr/lib/sub/x.so', '/lib/y.so'])).toEqual(['/usr/lib/x.so', '/lib/y.so'])
    expect(hits('/usr/**/x', ['/usr/x', '/usr/a/b/x', '/opt/usr/x'])).toEqual(['/usr/x', '/usr/a/b/x'])
  })

  it('brackets, backslashes and parentheses are what they look like', () => {
    expect(hits('[ab]*', ['[ab]x', 'ax'])).toEqual(['[ab]x'])
    expect(hits('*(1)*', ['file (1).txt', 'file1.txt'])).toEqual(['file (1).txt'])
    expect(hits('c:\\*', ['c:\\dir', 'c:dir'])).toEqual(['c:\\dir'])
    expect(hasGlobSyntax('[ab]', 'search')).toBe(false)
    expect(hasGlobSyntax('[ab]', 'docker')).toBe(true)
  })
})
