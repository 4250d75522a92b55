import { describe, expect, it } from 'vitest'
import { parseGoMod } from '../../../shared/go/go-mod'
import { checkVendor, isAtLeast, parseModulesTxt } from '../../../shared/go/vendor'

const mod = (text: string) => {
  const m = parseGoMod(text).module
  if (!m) throw new Error('bad test go.mod')
  return m
}

describe('parseModulesTxt', () => {
  it('reads modules, explicit markers, go versions, replacements and packages', () => {
    const r = parseModulesTxt(
      ['# example.com/tiny v0.1.0', '## explicit; go 1.21', 'example.com/tiny', 'example.com/tiny/sub', '# example.com/dep v1.0.0 => ./local/dep', '## explicit', 'example.com/dep', '# example.com/gone => ../gone', ''].join('\n'),
    )
    expect(r.problems).toEqual([])
    expect(r.modules).toEqual([
      { path: 'example.com/tiny', version: 'v0.1.0', explicit: true, goVersion: '1.21', replacement: null, packages: ['example.com/tiny', 'example.com/tiny/sub'], line: 1 },
      { path: 'example.com/dep', version: 'v1.0.0', explicit: true, goVersion: null, replacement: { path: './local/dep', version: '' }, packages: ['example.com/dep'], line: 5 },
      { path: 'example.com/gone', version: '', explicit: false, goVersion: null, replacement: { path: '../gone', version: '' }, packages: [], line: 8 },
    ])
  })

  it('reports lines it cannot place', () => {
    expect(parseModulesTxt('stray/pkg\n## explicit\n# \n').problems).toEqual([
      'vendor/modules.txt:1: package "stray/pkg" listed before any module',
      'vendor/modules.txt:2: annotation with no module before it',
      'vendor/modules.txt:3: cannot read "#"',
    ])
  })
})

describe('checkVendor', () => {
  const goMod = mod('module m\n\ngo 1.23\n\nrequire example.com/tiny v0.1.0\n')
  it('accepts a modules.txt that matches go.mod', () => {
    expect(checkVendor(goMod, '# example.com/tiny v0.1.0\n## explicit; go 1.21\nexample.com/tiny\n')).toEqual({ present: true, consistent: true, problems: [] })
  })

  it('finds what `go build` calls inconsistent vendoring', () => {
    expect(checkVendor(goMod, '# example.com/tiny v0.1.0\nexample.com/tiny\n').problems).toEqual([
      'example.com/tiny@v0.1.0 is required in go.mod, but not marked as explicit in vendor/modules.txt',
    ])
    expect(checkVendor(goMod, '# example.com/tiny v0.2.0\n## explicit\n').problems).toEqual([
      'example.com/tiny: go.mod requires v0.1.0, vendor/modules.txt has v0.2.0',
      'example.com/tiny@v0.2.0 is marked as explicit in vendor/modules.txt, but not required in go.mod',
    ])
    expect(checkVendor(goMod, '').problems).toEqual(['example.com/tiny@v0.1.0 is required in go.mod but not vendored'])
    expect(checkVendor(goMod, null)).toEqual({ present: true, consistent: false, problems: ['vendor/modules.txt is missing'] })
  })

  it('checks replacements both ways', () => {
    const withReplace = mod('module m\n\ngo 1.23\n\nrequire example.com/tiny v0.1.0\n\nreplace example.com/tiny => ./tiny\n')
    expect(checkVendor(withReplace, '# example.com/tiny v0.1.0 => ./tiny\n## explicit\n# example.com/tiny => ./tiny\n').consistent).toBe(true)
    expect(checkVendor(withReplace, '# example.com/tiny v0.1.0\n## explicit\n').problems).toEqual([
      'example.com/tiny is replaced in go.mod, but not marked as replaced in vendor/modules.txt',
    ])
    expect(checkVendor(goMod, '# example.com/tiny v0.1.0 => ./elsewhere\n## explicit\n').problems).toEqual([
      'example.com/tiny is marked as replaced in vendor/modules.txt, but not replaced in go.mod',
    ])
  })

  it('relaxes the check below go 1.14 as the go command does: no explicit markers, only versions that differ', () => {
    const txt113 = '# example.com/tiny v0.1.0\nexample.com/tiny\n'
    for (const v of ['1.12', '1.13']) {
      const old = mod(`module m\n\ngo ${v}\n\nrequire example.com/tiny v0.1.0\n`)
      expect(checkVendor(old, txt113)).toEqual({ present: true, consistent: true, problems: [] })
      // A vendor folder without modules.txt was normal then.
      expect(checkVendor(old, null).consistent).toBe(true)
      expect(checkVendor(old, '# example.com/tiny v0.2.0\nexample.com/tiny\n').problems).toEqual(['example.com/tiny: go.mod requires v0.1.0, vendor/modules.txt has v0.2.0'])
    }
    // No go line at all counts as before 1.14.
    expect(checkVendor(mod('module m\n\nrequire example.com/tiny v0.1.0\n'), txt113).consistent).toBe(true)
    // From 1.14 on the markers are required: the same modules.txt is inconsistent.
    for (const v of ['1.14', '1.17', '1.21']) {
      const m = mod(`module m\n\ngo ${v}\n\nrequire example.com/tiny v0.1.0\n`)
      expect(checkVendor(m, txt113).problems).toEqual(['example.com/tiny@v0.1.0 is required in go.mod, but not marked as explicit in vendor/modules.txt'])
      expect(checkVendor(m, null).consistent).toBe(false)
      expect(checkVendor(m, '# example.com/tiny v0.1.0\n## explicit\nexample.com/tiny\n').consistent).toBe(true)
    }
  })

  it('compares Go versions', () => {
    expect([isAtLeast('1.22', '1.22'), isAtLeast('1.21.9', '1.22'), isAtLeast('1.23rc1', '1.22'), isAtLeast(null, '1.0')]).toEqual([true, false, true, false])
  })
})
