import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shellQuote } from '../../../shared/dockerfile/build-command'
import { generateDockerignore } from '../../../shared/dockerfile/dockerignore'
import {
  contextPathProblem,
  displayText,
  goImportPathProblem,
  goModulePathProblem,
  hasControlChars,
  isEnvName,
  isFlagName,
  packageDirProblem,
  showText,
} from '../../../shared/dockerfile/safe-text'

describe('Go path rules (golang.org/x/mod/module checkPathTests)', () => {
  // [path, valid as a module path, valid as an import path], from module_test.go.
  const cases: [string, boolean, boolean][] = [
    ['x.y/z', true, true],
    ['x.y', true, true],
    ['', false, false],
    ['x.y/\xFFz', false, false],
    ['/x.y/z', false, false],
    ['x./z', false, false],
    ['.x/z', false, true],
    ['-x/z', false, false],
    ['x..y/z', true, true],
    ['x.y/z.', false, false],
    ['x.y/z/../../w', false, false],
    ['x.y//z', false, false],
    ['x.y/z//w', false, false],
    ['x.y/z/', false, false],
    ['x.y/z/v0', true, true],
    ['x.y/z+', false, true],
    ['x.y/z/w~', true, true],
    ['x.y/z/w~1', false, false],
    ['x.y/z/W~1', false, false],
    ['x.y/z/w~x', true, true],
    ['x.y/z/con', false, false],
    ['x.y/z/CON', false, false],
    ['x.y/z/con.foo', false, false],
    ['x.y/z/foo.con', true, true],
    ['x.y/z/lpt1', false, false],
    ['x.y/z/aux', false, false],
    ['x.y/z/a b', false, false],
    ['x.y/z/a;b', false, false],
    ['x.y/z/a@b', false, false],
    ['x.y/z/ä', false, false],
    ['x.y/z/.', false, false],
    ['x.y/z/..', false, false],
    ['x.y/z/...', false, false],
  ]
  for (const [path, mod, imp] of cases) {
    it(JSON.stringify(path), () => {
      expect(goModulePathProblem(path) === null, 'module path').toBe(mod)
      expect(goImportPathProblem(path) === null, 'import path').toBe(imp)
    })
  }

  it('a package folder is an import path, or "." for the module root', () => {
    expect(packageDirProblem('.')).toBeNull()
    for (const ok of ['cmd/api', 'cmd/my-tool', 'internal/x.y', 'tools/c++', 'cmd/v2']) expect(packageDirProblem(ok), ok).toBeNull()
    for (const bad of ['cmd/a;id', 'cmd/$(id)', 'cmd/a\nRUN id', 'cmd/my tool', './cmd', 'cmd/', '..', '-o']) expect(packageDirProblem(bad), bad).not.toBeNull()
  })

  it('every accepted package folder is a single, plain shell word after ./', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
        if (packageDirProblem(s) === null && s !== '.') expect(shellQuote(`./${s}`)).toBe(`./${s}`)
      }),
    )
  }, 30_000)
})

describe('names', () => {
  it('environment variable names', () => {
    for (const ok of ['PORT', '_X', 'a1', 'LISTEN_ADDR']) expect(isEnvName(ok), ok).toBe(true)
    for (const bad of ['', '1X', 'X=1\nRUN id', 'A B', 'A-B', 'A.B', 'É', 'X;id', '$X']) expect(isEnvName(bad), bad).toBe(false)
  })

  it('flag names', () => {
    for (const ok of ['addr', 'http.addr', 'listen-addr', 'a_b', '9p']) expect(isFlagName(ok), ok).toBe(true)
    for (const bad of ['', '-addr', 'a b', 'a=b', 'a"b', 'a\n', 'é']) expect(isFlagName(bad), bad).toBe(false)
  })
})

describe('build context paths', () => {
  it('accepts plain relative paths, spaces and other scripts', () => {
    for (const ok of ['config.yaml', 'conf/app.yaml', 'my file.txt', 'données/é.txt', 'a+b@c,d=e%f~g', 'e\u0301t\u00e9']) expect(contextPathProblem(ok), ok).toBeNull()
  })

  it('refuses what Docker or a shell would read differently', () => {
    const bad = ['', '/etc/passwd', '../x', 'a/./b', 'a//b', '-x', 'a\nb', 'a\rb', 'a\tb', '$HOME', 'a*', 'a?', '[a]', '!a', '#a', 'a\\b', 'a"b', "a'b", 'a`b', 'a:b', ' a', 'a ', 'a\u202eb', 'a\u2028b', 'a\u0085b']
    for (const p of bad) expect(contextPathProblem(p), JSON.stringify(p)).not.toBeNull()
  })

  it('the .dockerignore never writes an unsafe path, whoever calls it', () => {
    const text = generateDockerignore({ keep: ['bin/ok', 'bin/x\n!**', 'bin/#x', 'tmp/a\rb'] })
    expect(text.split('\n').filter((l) => l.startsWith('!'))).toEqual(['!bin/ok'])
  })
})

describe('shown text', () => {
  it('displayText keeps a comment or label on one line', () => {
    expect(displayText('a\nRUN id\r\u2028b\u202e\x1b[2J')).toBe('a RUN id b [2J')
    expect(displayText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`)
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(hasControlChars(displayText(s))).toBe(false)
      }))
  }, 30_000)

  it('showText makes every control character visible', () => {
    expect(showText('a\nb')).toBe('"a\\nb"')
    expect(showText('\x1b[2J\u202e"')).toBe('"\\u{1b}[2J\\u{202e}\\""')
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(hasControlChars(showText(s))).toBe(false)
      }))
  }, 30_000)
})

describe('shellQuote', () => {
  it('keeps a word with control characters on one line, as $\'…\'', () => {
    expect(shellQuote('/p/a\nb')).toBe("$'/p/a\\x0ab'")
    expect(shellQuote("it's\x1b")).toBe("$'it\\'s\\x1b'")
    expect(shellQuote('a\u202eb')).toBe("$'a\\xe2\\x80\\xaeb'")
  })

  it('a real shell reads every quoted word back unchanged', () => {
    const words = ['plain', 'a b', "it's", 'a\nb', '$(id)', '`id`', 'x\x1b[2Jy', 'é\u202e', '\\', "'\n'", '!x']
    // bash, because POSIX sh only gained $'…' in 2024 and dash may not have it yet.
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`])
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words)
  })
})
