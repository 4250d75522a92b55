import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { engineImageRefProblem } from '../../../shared/dockerfile/image-ref'
import { apiPathName } from '../../../electron/services/layers/layers'

describe('image names in engine API paths', () => {
  it('leaves every valid name as it is', () => {
    for (const ref of ['alpine', 'alpine:3.20', 'sha256:' + 'a'.repeat(64), 'abcdef012345', 'registry.example.com:5000/team/app:1.2@sha256:' + 'b'.repeat(64), '[::1]:5000/x:1']) {
      expect(engineImageRefProblem(ref), ref).toBeNull()
      expect(apiPathName(ref)).toBe(ref.replace('[', '%5B').replace(']', '%5D'))
    }
  })

  it('encodes what would change the endpoint', () => {
    expect(apiPathName('%2e%2e/containers/json')).toBe('%252e%252e/containers/json')
    expect(apiPathName('x?all=1#y')).toBe('x%3Fall%3D1%23y')
    expect(apiPathName('a b\nc')).toBe('a%20b%0Ac')
    expect(apiPathName('x\ud800')).toBe('x%EF%BF%BD')
  })

  it('never leaves a query, a fragment, white space or a bare % in the path', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 12 }).map((codes) => String.fromCharCode(...codes))), (s) => {
        expect(apiPathName(s)).not.toMatch(/[?#\s]|%(?![0-9A-F]{2})/)
      }),
    )
  }, 30_000)
})
