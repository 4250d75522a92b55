import { describe, expect, it } from 'vitest'
import { apiAtLeast, explainConnectionError } from '../../../../electron/services/engine/problems'

const local = { host: 'unix:///var/run/docker.sock', source: 'default', tls: false } as const
const remote = { host: 'tcp://build.internal:2376', source: 'context', context: 'ci', tls: true } as const
const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

describe('explainConnectionError', () => {
  it('says Docker is not running when the local socket is missing or refuses', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      const e = explainConnectionError(err(code), local, 'linux')
      expect(e.reason).toBe('not-running')
      expect(e.message).toBe('Docker is not running.')
      expect(e.detail).toContain('sudo systemctl start docker')
    }
    expect(explainConnectionError(err('ENOENT'), local, 'darwin').detail).toContain('Start Docker Desktop')
  })

  it('explains a permission problem on the socket and how to fix it', () => {
    const e = explainConnectionError(err('EACCES'), local, 'linux')
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
