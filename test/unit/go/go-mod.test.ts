import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { goModNotices, isLocalPath, parseGoMod, pointsOutside } from '../../../shared/go/go-mod'

describe('parseGoMod', () => {
  it('reads module, go, toolchain, requires and replaces in blocks and single lines, with evidence', () => {
    const text = [
      '// The service.',
      'module "example.com/svc/v2" // a comment',
      '',
      'go 1.22.3',
      'toolchain go1.23.4',
      '',
      'require github.com/lib/pq v1.10.9',
      'require (',
      '\tgolang.org/x/text v0.14.0 // indirect',
      '\t`github.com/spf13/pflag` v1.0.5',
      '\t// a comment line inside the block',
      ')',
      'replace github.com/lib/pq => ../pq',
      'replace (',
      '\tgolang.org/x/text v0.14.0 => golang.org/x/text v0.15.0',
      '\texample.com/local => ./third_party/local',
      ')',
      'exclude golang.org/x/net v0.1.0',
      'retract [v2.0.0, v2.0.5] // broken',
      'retract (',
      '\tv2.1.0',
      ')',
      'godebug default=go1.21',
      'tool golang.org/x/tools/cmd/stringer',
    ].join('\n')
    const r = parseGoMod(text)
    expect(r.problems).toEqual([])
    expect(r.module).toEqual({
      path: 'example.com/svc/v2',
      goVersion: '1.22.3',
      toolchain: 'go1.23.4',
      requires: [
        { path: 'github.com/lib/pq', version: 'v1.10.9', indirect: false },
        { path: 'golang.org/x/text', version: 'v0.14.0', indirect: true },
        { path: 'github.com/spf13/pflag', version: 'v1.0.5', indirect: false },
      ],
      replaces: [
        { from: 'github.com/lib/pq', to: '../pq', local: true, outsideContext: true, evidence: { file: 'go.mod', line: 13, text: 'replace github.com/lib/pq => ../pq' } },
        {
          from: 'golang.org/x/text',
          fromVersion: 'v0.14.0',
          to: 'golang.org/x/text',
          toVersion: 'v0.15.0',
          local: false,
          outsideContext: false,
          evidence: { file: 'go.mod', line: 15, text: 'golang.org/x/text v0.14.0 => golang.org/x/text v0.15.0' },
        },
        { from: 'example.com/local', to: './third_party/local', local: true, outsideContext: false, evidence: { file: 'go.mod', line: 16, text: 'example.com/local => ./third_party/local' } },
      ],
      evidence: { file: 'go.mod', line: 2, text: 'module "example.com/svc/v2" // a comment' },
    })
    expect(r.requireLines).toEqual([7, 9, 10])
  })

  it('handles CRLF line endings and a minimal file', () => {
    expect(parseGoMod('module m\r\n\r\ngo 1.23\r\n').module).toMatchObject({ path: 'm', goVersion: '1.23', toolchain: null, requires: [], replaces: [] })
  })

  it('reports each malformed line with its number and goes on', () => {
    const r = parseGoMod(['module example.com/x', 'go one.two', 'require github.com/a/b', 'require github.com/c/d latest', 'frobnicate x', 'replace a => b', 'require (', '\tgithub.com/e/f v1.0.0'].join('\n'))
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'invalid go version "one.two": must look like 1.23 or 1.23.4'],
      [3, 'usage: require module/path v1.2.3'],
      [4, 'invalid version "latest" for github.com/c/d: must look like v1.2.3'],
      [5, 'unknown directive: frobnicate'],
      [6, 'replacement module b needs a version (or use a directory path starting with ./ or ../)'],
      [7, 'the require ( … ) block is never closed'],
    ])
    // What could be read is still there.
    expect(r.module?.path).toBe('example.com/x')
    expect(r.module?.requires).toEqual([{ path: 'github.com/e/f', version: 'v1.0.0', indirect: false }])
  })

  it('has no module without a module line, and says so', () => {
    const r = parseGoMod('go 1.21\n')
    expect(r.module).toBeNull()
    expect(r.problems).toEqual([{ line: 1, message: 'no module directive (the first line should be `module your/module/path`)', text: 'go 1.21' }])
  })

  it('turns problems into one error notice that names the line', () => {
    const [n] = goModNotices(parseGoMod('module m\ngo 1.x\n"unterminated\n'))
    expect(n).toMatchObject({ code: 'go-mod-invalid', severity: 'error', message: 'go.mod line 2: invalid go version "1.x": must look like 1.23 or 1.23.4.' })
    expect(n?.detail).toMatch(/^go\.mod:2: invalid go version.*\ngo\.mod:3: unterminated quoted string\n/)
    expect(n?.evidence?.map((e) => e.line)).toEqual([2, 3])
  })

  it('knows which replacements are directories and which leave the folder', () => {
    expect(['./x', '../x', '/abs', '.', '..', 'C:\\x', 'example.com/x'].map(isLocalPath)).toEqual([true, true, true, true, true, true, false])
    expect(['./x', './a/../b', './a/../../b', '../x', '/abs', '..', 'x/./../y'].map(pointsOutside)).toEqual([false, false, true, true, true, true, false])
  })

  it('never throws on any input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (s) => {
        const r = parseGoMod(s)
        return Array.isArray(r.problems) && (r.module === null || typeof r.module.path === 'string')
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(fc.array(fc.constantFrom('module', 'go', 'require', 'replace', '(', ')', '=>', '"x"', '`y`', 'v1.2.3', '1.21', '// indirect', '\n', ' ', 'example.com/m', './l'), { maxLength: 60 }), (parts) => {
        parseGoMod(parts.join(' '))
        return true
      }),
      { numRuns: 500 },
    )
  }, 60_000)
})
