import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../../electron/main/csp'

const directives = () => new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows scripts from the app only: no inline, no eval, no remote', () => {
    expect(directives().get('script-src')).toEqual(["'self'"])
    expect(directives().get('default-src')).toEqual(["'self'"])
  })
  it('has every directive the window relies on', () => {
    expect(Object.fromEntries(directives())).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    })
  })
  it('travels with nosniff on every response', () => {
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' })
  })
})
