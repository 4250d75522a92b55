import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, isAppUrl, isExternalHttpUrl, rendererEntry, rendererOrigin } from '../../../electron/main/app-url'

describe('rendererOrigin', () => {
  it('is the app scheme without a dev URL', () => {
    expect(rendererOrigin()).toBe('slipway://app')
    expect(rendererOrigin('')).toBe(APP_ORIGIN)
  })
  it('is the dev server origin for a loopback dev URL', () => {
    expect(rendererOrigin('http://localhost:5173/')).toBe('http://localhost:5173')
    expect(rendererOrigin('http://127.0.0.1:5173/index.html')).toBe('http://127.0.0.1:5173')
    expect(rendererOrigin('https://[::1]:8443')).toBe('https://[::1]:8443')
  })
  it('refuses a dev URL that points anywhere else', () => {
    expect(rendererOrigin('https://example.com')).toBeNull()
    expect(rendererOrigin('http://localhost.example.com:5173')).toBeNull()
    expect(rendererOrigin('file:///tmp/index.html')).toBeNull()
    expect(rendererOrigin('not a url')).toBeNull()
  })
})

describe('rendererEntry', () => {
  it('loads the dev URL in dev and the scheme root otherwise', () => {
    expect(rendererEntry('http://localhost:5173')).toBe('http://localhost:5173')
    expect(rendererEntry()).toBe('slipway://app/')
  })
})

describe('isAppUrl', () => {
  it('accepts any path, query or hash on the app origin', () => {
    expect(isAppUrl('slipway://app/', APP_ORIGIN)).toBe(true)
    expect(isAppUrl('slipway://app/index.html#/images?x=1', APP_ORIGIN)).toBe(true)
    expect(isAppUrl('SLIPWAY://APP/index.html', APP_ORIGIN)).toBe(true)
  })
  it('refuses other hosts, schemes, ports and credentials', () => {
    expect(isAppUrl('slipway://evil/index.html', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('slipway://app.evil/index.html', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('https://app/index.html', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('file:///work/out/renderer/index.html', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('slipway://user:pw@app/', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('about:blank', APP_ORIGIN)).toBe(false)
    expect(isAppUrl('', APP_ORIGIN)).toBe(false)
  })
  it('matches the dev server origin in dev', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true)
  })
})

describe('isExternalHttpUrl', () => {
  it('lets only http and https links out', () => {
    expect(isExternalHttpUrl('https://go.dev/doc')).toBe(true)
    expect(isExternalHttpUrl('http://localhost:8080/')).toBe(true)
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'slipway://app/', 'smb://host/share', 'mailto:a@b.c', 'nonsense'])
      expect(isExternalHttpUrl(url), url).toBe(false)
  })
})
