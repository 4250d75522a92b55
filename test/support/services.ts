// The app's own services for a test: a temp data folder whose settings point the catalog at the
// offline stand-ins (as a user behind a company mirror would), a real engine, and an event recorder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../../electron/services'
import { Recorder } from './recorder'

/** The Go builder stand-in (test/engine/images/golang). */
export const STAND_IN_BUILDER = 'slipway-test/golang:1.23'
/** Custom bases that point the built-in ids at the stand-ins, through the normal setting. */
export const STAND_IN_BASES = [
  { id: 'distroless-static', basedOn: 'distroless-static', image: 'slipway-test/distroless-static:nonroot' },
  { id: 'alpine', basedOn: 'alpine', image: 'slipway-test/alpine:3.20' },
  { id: 'debian-slim', basedOn: 'debian-slim', image: 'slipway-test/debian-slim:bookworm' },
]

export interface TestServices {
  services: Services
  rec: Recorder
  dataDir: string
  close(): void
}

/** Services on a temp data folder with the stand-ins configured; `settings` overrides fields of settings.json. */
export async function testServices(settings: Record<string, unknown> = {}): Promise<TestServices> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-svc-'))
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ version: 1, recentProjects: [], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER, ...settings }),
  )
  const rec = new Recorder()
  const services = createServices({ emit: rec.emit, dataDir, appVersion: '0.0.0-test', env: { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' } })
  await services.engine.start()
  return {
    services,
    rec,
    dataDir,
    close() {
      services.engine.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
