import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readHostFacts } from '../../../../electron/services/engine/host-facts'

describe('the facts the engine fix-it reads from this computer', () => {
  let dir: string
  let server: Server
  const sock = () => join(dir, 'engine.sock')

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-facts-'))
    writeFileSync(join(dir, 'os-release'), 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')
    server = createServer((c) => c.end())
    await new Promise<void>((r) => server.listen(sock(), r))
    // The group that owns the test's socket, under a name of the test's own.
    writeFileSync(join(dir, 'group'), `wheel:x:10:\nengine-users:x:${statSync(sock()).gid}:alice\n`)
  })
  afterAll(() => {
    server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("reads the distribution and the socket's group on Linux", () => {
    expect(readHostFacts({ host: `unix://${sock()}` }, 'linux', dir)).toEqual({ distro: { id: 'ubuntu', like: ['debian'] }, socketGroup: 'engine-users' })
  })

  it('leaves out what is not there, and reads nothing elsewhere', () => {
    expect(readHostFacts({ host: `unix://${join(dir, 'missing.sock')}` }, 'linux', dir).socketGroup).toBeNull()
    expect(readHostFacts({ host: 'tcp://10.0.0.5:2376' }, 'linux', dir).socketGroup).toBeNull()
    expect(readHostFacts({ host: `unix://${sock()}` }, 'darwin', dir)).toEqual({})
  })
})
