import { describe, expect, it } from 'vitest'
import { EngineUnavailable, ErrorName, SlipwayError } from '../../../../shared/errors'
import { apiAtLeast, explainConnectionError } from '../../../../electron/services/engine/problems'

const local = { host: 'unix:///var/run/docker.sock', source: 'default', tls: false } as const
const remote = { host: 'tcp://build.internal:2376', source: 'context', context: 'ci', tls: true } as const
const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

describe('explainConnectionError', () => {
  it('says Docker is not running when the local socket is missing or refuses, with the fix for this OS one step a line', () => {
    const debian = { distro: { id: 'debian', like: [] } }
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      const e = explainConnectionError(err(code), local, 'linux', debian)
      expect(e.reason).toBe('not-running')
      expect(e.message).toBe('Docker is not running.')
      expect(e.detail?.split('\n')[0]).toBe('Nothing answers on unix:///var/run/docker.sock.')
    }
    // No socket at all: install it first; a socket that refuses: start it.
    expect(explainConnectionError(err('ENOENT'), local, 'linux', debian).detail).toContain('`sudo apt-get install docker.io`')
    expect(explainConnectionError(err('ECONNREFUSED'), local, 'linux', debian).detail).toContain('`sudo systemctl start docker`')
    expect(explainConnectionError(err('ENOENT'), local, 'darwin').detail).toMatch(/Docker Desktop.*colima.*Rancher Desktop/)
  })

  it('explains a permission problem on the socket and how to fix it', () => {
    const e = explainConnectionError(err('EACCES'), local, 'linux', { socketGroup: 'docker' })
    expect(e.reason).toBe('permission-denied')
    expect(e.detail).toContain('usermod -aG docker')
  })

  it('calls a remote host unreachable and names the context', () => {
    const e = explainConnectionError(err('ENOTFOUND'), remote, 'linux')
    expect(e.reason).toBe('unreachable')
    expect(e.message).toContain('context "ci"')
    expect(explainConnectionError(err('ECONNREFUSED'), remote, 'linux').reason).toBe('unreachable')
  })
})

describe('apiAtLeast', () => {
  it('compares versions numerically, not as text', () => {
    expect(apiAtLeast('1.41', '1.41')).toBe(true)
    expect(apiAtLeast('1.9', '1.41')).toBe(false)
    expect(apiAtLeast('1.100', '1.41')).toBe(true)
    expect(apiAtLeast('2.0', '1.41')).toBe(true)
  })
})

describe('explainConnectionError, front-end neutral', () => {
  const none = { host: '', source: 'default', tls: false } as const

  it('passes a configuration error through as "misconfigured", with its own message and advice', () => {
    const config = new SlipwayError(ErrorName.EngineConfigError, 'Docker context "nope" was not found.', 'Run `docker context ls`.')
    const e = explainConnectionError(config, none, 'linux')
    expect(e).toBeInstanceOf(EngineUnavailable)
    expect([e.reason, e.message, e.detail]).toEqual(['misconfigured', 'Docker context "nope" was not found.', 'Run `docker context ls`.'])
  })

  it('never prints an empty endpoint ("on : …")', () => {
    expect(explainConnectionError(new Error('boom'), none, 'linux').message).toBe('Slipway could not connect to Docker: boom')
    expect(explainConnectionError(new Error('boom'), local, 'linux').message).toBe('Docker did not answer as expected on unix:///var/run/docker.sock: boom')
  })

  it('leaves "reconnects by itself" to the app: no text promises it', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      for (const e of [err('ENOENT'), err('ECONNREFUSED'), err('EACCES'), err('ENOTFOUND'), new Error('odd')])
        for (const ep of [local, remote, none]) {
          const x = explainConnectionError(e, ep, platform)
          expect(`${x.message} ${x.detail ?? ''}`).not.toMatch(/reconnects by itself|keeps retrying/i)
        }
  })
})
