// A build whose engine stops in the middle: a test-owned second dockerd (its own socket, data root
// and network namespace) is stopped while the build sends its context, the build ends with a clear
// error, and once the daemon is back the next build on it succeeds. The daemon has no images: it
// gets the alpine stand-in (busybox, 2 MB) and a stand-in "Go builder" made from it whose `go` is a
// script that writes a static binary where `go build -o` asks — the engine path is what is tested.
// The classic builder: BuildKit's RUN needs a bridge network, which this daemon (in its own network
// namespace, `--bridge none`) does not have.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../electron/services'
import { SecondDaemon } from '../engine/second-daemon'
import { copyImage } from '../support/engine-images'
import { payloads, Recorder } from '../support/recorder'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const FAKE_GO = `#!/bin/sh
# Stand-in for the go command: "go env GOARCH" and "go version" answer, "go build -o OUT" writes a
# static binary (busybox itself) to OUT. Enough for the engine path; Go itself is tested elsewhere.
case "$1" in
  env) echo amd64 ;;
  version) echo "go version go1.23.0 linux/amd64" ;;
  build) while [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then out="$2"; fi; shift; done
         mkdir -p "$(dirname "$out")"; cp /bin/busybox "$out" ;;
esac
`

describe('a build when Docker stops in the middle', () => {
  const daemon = new SecondDaemon()
  const rec = new Recorder()
  const data = mkdtempSync(join(tmpdir(), 'slipway-down-'))
  const dir = join(data, 'down-app')
  let services: Services

  beforeAll(async () => {
    await daemon.start()
    await copyImage('slipway-test/alpine:3.20', daemon.host)
    mkdirSync(join(data, 'fake'))
    writeFileSync(join(data, 'fake', 'Dockerfile'), 'FROM slipway-test/alpine:3.20\nCOPY go /usr/local/bin/go\n')
    writeFileSync(join(data, 'fake', 'go'), FAKE_GO, { mode: 0o755 })
    await run('docker', ['-H', daemon.host, 'build', '-q', '-t', 'slipway-test/fake-go:1', join(data, 'fake')], { env: { ...process.env, DOCKER_BUILDKIT: '0' } })
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [], customBases: [], builderImage: 'slipway-test/fake-go:1' }))
    services = createServices({ emit: rec.emit, dataDir: data, appVersion: '0.0.0-test', env: { DOCKER_HOST: daemon.host } })
    await services.engine.start()
  }, 120_000)
  afterAll(async () => {
    services?.engine.stop()
    await daemon.dispose()
    rmSync(data, { recursive: true, force: true })
  })

  it('builds on the second daemon with the stand-in builder', async () => {
    const jobId = crypto.randomUUID()
    const done = rec.waitFor('build.done', (p) => p.jobId === jobId, 60_000)
    await services.builds.start({ jobId, dir, base: 'scratch', buildkit: false })
    await done
  })

  it('fails with a clear error when the daemon stops mid-build, and builds again once it is back', async () => {
    // A big file makes the context transfer take a while, long enough to stop the daemon during it.
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(400 * 1024 * 1024, 7))
    const jobId = crypto.randomUUID()
    const failed = rec.waitFor('build.failed', (p) => p.jobId === jobId, 60_000)
    await services.builds.start({ jobId, dir, base: 'scratch', buildkit: false })
    // The classic builder reports no step before the whole context has arrived: stop it while it streams.
    await new Promise((r) => setTimeout(r, 400))
    await daemon.stop()
    await failed
    const ev = payloads(rec, 'build.failed').find((p) => p.jobId === jobId)
    expect(ev?.cancelled).toBe(false)
    expect(ev?.error.name).toBe('EngineUnavailable')
    expect(ev?.error.message).toMatch(/Docker stopped/)
    expect(ev?.error.detail).toMatch(/Start (it|Docker) again/)
    // While it is down, a new build is refused at once with the engine's own advice.
    await rec.waitFor('engine.state', (s) => s.status === 'unavailable', 10_000).catch(() => undefined)
    await expect(services.builds.start({ jobId: crypto.randomUUID(), dir, base: 'scratch', buildkit: false })).rejects.toMatchObject({ name: 'EngineUnavailable' })

    rmSync(join(dir, 'big.bin'))
    await daemon.start()
    await rec.waitFor('engine.state', (s) => s.status === 'connected', 20_000)
    const again = crypto.randomUUID()
    const done = rec.waitFor('build.done', (p) => p.jobId === again, 60_000)
    await services.builds.start({ jobId: again, dir, base: 'scratch', buildkit: false })
    await done
    expect(payloads(rec, 'build.done').find((p) => p.jobId === again)?.record.result).toBe('succeeded')
  }, 150_000)
})
