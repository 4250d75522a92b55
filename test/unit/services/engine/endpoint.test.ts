import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dockerodeOptions, resolveEndpoint } from '../../../../electron/services/engine/endpoint'

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'slipway-home-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

/** Writes a docker context the way `docker context create` lays it out. */
function addContext(name: string, host: string, tls = false) {
  const hash = createHash('sha256').update(name).digest('hex')
  const meta = join(home, '.docker', 'contexts', 'meta', hash)
  mkdirSync(meta, { recursive: true })
  writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }))
  if (tls) {
    const dir = join(home, '.docker', 'contexts', 'tls', hash, 'docker')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'ca.pem'), 'CA')
  }
}
function useContext(name: string) {
  mkdirSync(join(home, '.docker'), { recursive: true })
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: {}, currentContext: name }))
}

describe('resolveEndpoint', () => {
  it('uses DOCKER_HOST first, even when a context is set', () => {
    addContext('remote', 'tcp://10.1.2.3:2375')
    useContext('remote')
    const ep = resolveEndpoint({ env: { DOCKER_HOST: 'unix:///tmp/other.sock' }, homeDir: home, platform: 'linux' })
    expect(ep).toEqual({ host: 'unix:///tmp/other.sock', source: 'DOCKER_HOST', tls: false })
  })

  it('turns on TLS for DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const ep = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, homeDir: home, platform: 'linux' })
    expect(ep).toEqual({ host: 'tcp://h:2376', source: 'DOCKER_HOST', tls: true, certDir: '/certs' })
  })

  it("follows config.json's currentContext to the context's meta.json", () => {
    addContext('colima', 'unix:///Users/me/.colima/default/docker.sock')
    useContext('colima')
    expect(resolveEndpoint({ env: {}, homeDir: home, platform: 'darwin' })).toEqual({
      host: 'unix:///Users/me/.colima/default/docker.sock',
      source: 'context',
      context: 'colima',
      tls: false,
    })
  })

  it('lets DOCKER_CONTEXT override the config, and finds its TLS material', () => {
    addContext('colima', 'unix:///c.sock')
    addContext('prod', 'tcp://prod.internal:2376', true)
    useContext('colima')
    const ep = resolveEndpoint({ env: { DOCKER_CONTEXT: 'prod' }, homeDir: home, platform: 'linux' })
    expect(ep).toMatchObject({ host: 'tcp://prod.internal:2376', source: 'DOCKER_CONTEXT', context: 'prod', tls: true })
    expect(ep.certDir).toContain(join('contexts', 'tls'))
  })

  it('honours DOCKER_CONFIG as the config folder', () => {
    const cfg = join(home, 'elsewhere')
    mkdirSync(cfg)
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ currentContext: 'default' }))
    expect(resolveEndpoint({ env: { DOCKER_CONFIG: cfg }, homeDir: home, platform: 'linux' }).source).toBe('default')
  })

  it('says which context is missing and how to fix it', () => {
    useContext('gone')
    expect(() => resolveEndpoint({ env: {}, homeDir: home, platform: 'linux' })).toThrow(/Docker context "gone" was not found/)
  })

  it('falls back to the platform default socket', () => {
    expect(resolveEndpoint({ env: {}, homeDir: home, platform: 'linux' }).host).toBe('unix:///var/run/docker.sock')
    expect(resolveEndpoint({ env: {}, homeDir: home, platform: 'win32' }).host).toBe('npipe:////./pipe/docker_engine')
  })

  it("uses Docker Desktop's own socket on macOS when /var/run/docker.sock is absent", () => {
    const sock = join(home, '.docker', 'run', 'docker.sock')
    mkdirSync(join(home, '.docker', 'run'), { recursive: true })
    writeFileSync(sock, '')
    const exists = (p: string) => p === sock
    expect(resolveEndpoint({ env: {}, homeDir: home, platform: 'darwin', exists }).host).toBe(`unix://${sock}`)
  })
})

describe('dockerodeOptions', () => {
  it('maps each scheme to dockerode options', () => {
    expect(dockerodeOptions({ host: 'unix:///var/run/docker.sock', source: 'default', tls: false })).toEqual({ socketPath: '/var/run/docker.sock' })
    expect(dockerodeOptions({ host: 'npipe:////./pipe/docker_engine', source: 'default', tls: false })).toEqual({ socketPath: '\\\\.\\pipe\\docker_engine' })
    expect(dockerodeOptions({ host: 'tcp://10.0.0.5:2375', source: 'DOCKER_HOST', tls: false })).toEqual({ protocol: 'http', host: '10.0.0.5', port: 2375 })
    expect(dockerodeOptions({ host: 'ssh://me@box', source: 'context', tls: false })).toEqual({ protocol: 'ssh', host: 'box', port: 22, username: 'me' })
  })

  it('refuses a scheme it cannot speak, with the ones it can', () => {
    expect(() => dockerodeOptions({ host: 'fd://', source: 'DOCKER_HOST', tls: false })).toThrow(/Unsupported Docker host scheme/)
  })
})
