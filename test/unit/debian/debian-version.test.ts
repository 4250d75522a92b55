import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareVersions, satisfies } from '../../../shared/debian/version'

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0)

describe('compareVersions (Debian policy 5.6.12)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0', '1.1', -1],
    ['1.10', '1.9', 1],
    ['1:1.0', '2.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~', '1.0~~', 1],
    ['1.0', '1.0-0', 0],
    ['1.0-1', '1.0-1+deb12u1', -1],
    ['2.36-9+deb12u9', '2.36-9+deb12u10', -1],
    ['1.0a', '1.0+', -1],
    ['1.0', '1.0a', -1],
    ['0001', '1', 0],
    ['1.2.3-1', '1.2.3-1~bpo12+1', 1],
    ['20250419~deb12u2', '20230311', 1],
    ['1.23.4-1~bpo12+1', '1.19.8-2', 1],
  ] as const)('%s vs %s → %d', (a, b, expected) => {
    expect(sign(compareVersions(a, b))).toBe(expected)
    expect(sign(compareVersions(b, a))).toBe(expected === 0 ? 0 : -expected)
  })

  it('satisfies each relation', () => {
    expect(satisfies('2.36-9', '>=', '2.36')).toBe(true)
    expect(satisfies('2.36-9', '>>', '2.36-9')).toBe(false)
    expect(satisfies('2.36-9', '<<', '2.37')).toBe(true)
    expect(satisfies('2.36-9', '<=', '2.36-9')).toBe(true)
    expect(satisfies('1:2.0', '=', '1:2.0')).toBe(true)
  })

  // dpkg is the reference implementation: where it is installed, random versions must compare
  // as it compares them. One shell runs every comparison (150 spawns from Node took over 30 s on a
  // loaded 2-core machine); the versions reach dpkg as `read` arguments, never as shell text.
  it.skipIf(!existsSync('/usr/bin/dpkg'))('agrees with dpkg --compare-versions on random versions', () => {
    const part = fc.stringMatching(/^[0-9][0-9a-z.+~]{0,6}$/)
    const version = fc.tuple(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), part, fc.option(fc.stringMatching(/^[0-9a-z.+~]{1,5}$/), { nil: undefined }))
      .map(([e, u, r]) => `${e !== undefined ? `${e}:` : ''}${u}${r !== undefined ? `-${r}` : ''}`)
    const pairs = fc.sample(fc.tuple(version, version), 150)
    const out = execFileSync('/bin/sh', ['-c', 'while read -r a b; do if /usr/bin/dpkg --compare-versions "$a" lt "$b"; then echo 1; else echo 0; fi; done'], {
      input: pairs.map(([a, b]) => `${a} ${b}\n`).join(''),
      encoding: 'utf8',
    })
    const dpkgLt = out.trim().split('\n')
    expect(dpkgLt).toHaveLength(pairs.length)
    const disagree = pairs.filter(([a, b], i) => compareVersions(a, b) < 0 !== (dpkgLt[i] === '1'))
    expect(disagree).toEqual([])
  })
})
