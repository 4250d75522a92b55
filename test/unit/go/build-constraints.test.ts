import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evalGoBuild, evalPlusBuild, fileNameMatches } from '../../../shared/go/build-constraints'

describe('build constraints for a linux container build', () => {
  it('evaluates //go:build expressions', () => {
    const holds = (e: string) => {
      const r = evalGoBuild(e)
      return r.ok ? r.holds : r.error
    }
    expect(holds('linux')).toBe(true)
    expect(holds('ignore')).toBe(false)
    expect(holds('!cgo')).toBe(true)
    expect(holds('cgo')).toBe(false)
    expect(holds('(darwin || linux) && go1.21')).toBe(true)
    expect(holds('unix && !windows')).toBe(true)
    expect(holds('linux &&')).toBe('unexpected end of expression')
    expect(holds('(linux')).toBe('missing )')
    expect(holds('linux linux')).toBe('unexpected "linux"')
    expect(holds(`${'!'.repeat(1000)}linux`)).toBe('expression nested too deeply')
  })

  it('evaluates legacy +build lines', () => {
    expect(evalPlusBuild(['linux darwin'])).toBe(true)
    expect(evalPlusBuild(['linux,386'])).toBe(false)
    expect(evalPlusBuild(['linux', '!cgo'])).toBe(true)
    expect(evalPlusBuild(['ignore'])).toBe(false)
  })

  it('reads _GOOS and _GOARCH file name suffixes', () => {
    expect(['a_windows.go', 'a_linux.go', 'a_darwin_arm64.go', 'a_linux_amd64.go', 'a_386.go', 'windows.go', 'a_foo.go', 'a_windows_test.go'].map((n) => fileNameMatches(n))).toEqual([
      false, true, false, true, false, true, true, false,
    ])
  })

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => typeof evalGoBuild(s).ok === 'boolean' && typeof evalPlusBuild([s]) === 'boolean'))
  }, 60_000)
})
