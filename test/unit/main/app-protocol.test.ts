import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentType, resolveAppFile, serveAppRequest } from '../../../electron/main/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp'

describe('resolveAppFile', () => {
  const root = resolve('/srv/out/renderer')

  it('maps paths inside the root, and a trailing slash to index.html', () => {
    expect(resolveAppFile(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, '/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'))
    expect(resolveAppFile(root, '/assets/')).toBe(join(root, 'assets', 'index.html'))
    expect(resolveAppFile(root, '/a%20b.css')).toBe(join(root, 'a b.css'))
  })

  it('refuses every way out of the root', () => {
    const escapes = [
      '/../secret',
      '/assets/../../secret',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%5c..%5cwindows',
      '/assets\\..\\..\\x',
      '/C:/Windows/win.ini',
      '/file%00.js',
      '/%E0%A4%A', // malformed escape
      'relative/path',
      '',
    ]
    for (const p of escapes) expect(resolveAppFile(root, p), p).toBeNull()
  })

  it('refuses the root itself as a file', () => {
    expect(resolveAppFile(root, '/.')).toBeNull()
  })
})

describe('contentType', () => {
  it('serves scripts with a JavaScript type so module scripts load', () => {
    expect(contentType('/x/index-abc.js')).toMatch(/^text\/javascript/)
    expect(contentType('/x/INDEX.HTML')).toMatch(/^text\/html/)
    expect(contentType('/x/font.woff2')).toBe('font/woff2')
    expect(contentType('/x/blob')).toBe('application/octet-stream')
  })
})

describe('serveAppRequest', () => {
  let root: string
  let outside: string
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'slipway-protocol-'))
    root = join(base, 'renderer')
    outside = join(base, 'secret.txt')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Slipway</title>')
    writeFileSync(join(root, 'assets', 'app.js'), 'export {}')
    writeFileSync(outside, 'do not serve')
  })
  afterAll(() => rmSync(resolve(root, '..'), { recursive: true, force: true }))

  const get = (url: string, method = 'GET') => serveAppRequest(root, new Request(url, { method }))

  it('serves index.html for the root with the CSP and a correct type', async () => {
    const res = await get('slipway://app/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>Slipway</title>')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves assets, and HEAD without a body', async () => {
    const js = await get('slipway://app/assets/app.js?v=1#x')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await js.text()).toBe('export {}')
    const head = await get('slipway://app/assets/app.js', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('9')
    expect(await head.text()).toBe('')
  })

  it('answers 404 with the CSP for missing files, directories and traversal', async () => {
    for (const url of ['slipway://app/nope.js', 'slipway://app/assets', 'slipway://app/..%2fsecret.txt', 'slipway://app/%2e%2e/secret.txt']) {
      const res = await get(url)
      expect(res.status, url).toBe(404)
      expect(await res.text()).not.toContain('do not serve')
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    }
  })

  it('refuses other hosts and methods', async () => {
    expect((await get('slipway://other/index.html')).status).toBe(404)
    expect((await get('slipway://app/index.html', 'POST')).status).toBe(405)
  })

  it('answers 500, not a crash, when reading fails for another reason', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }))
    const res = await serveAppRequest(root, new Request('slipway://app/index.html'), failing)
    expect(res.status).toBe(500)
  })
})
