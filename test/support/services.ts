// The app's own services for a test: a temp data folder whose settings point the catalog at the
// offline stand-ins (as a user behind a company mirror would), a real engine, and an event recorder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../../electron/services'
import { Recorder } from './recorder'
import { standIn } from './stand-ins'

/** The Go builder stand-in. */
export const STAND_IN_BUILDER = standIn('golang:1.23')
/** Custom bases that point the built-in ids at the stand-ins, through the normal setting. */
export const STAND_IN_BASES = [
  { id: 'distroless-static', basedOn: 'distroless-static', image: standIn('distroless-static:nonroot') },
  { id: 'alpine', basedOn: 'alpine', image: standIn('alpine:3.20') },
  { id: 'debian-slim', basedOn: 'debian-slim', image: standIn('debian-slim:bookworm') },
]

export interface TestServices {
  services: Services
  rec: Recorder
  dataDir: string
  close(): void
}

/**
 * The DOCKER_CONFIG folder that provisioning gives Docker Compose v2 (test/engine/provision.sh,
 * step 4): with it the docker CLI has the `compose` plugin; without it this machine has only v1.
 */
export const COMPOSE_V2_CONFIG = process.env.SLIPWAY_TEST_COMPOSE_V2 ?? '/var/lib/slipway-test/compose-v2'

/**
 * Services on a temp data folder with the stand-ins configured; `settings` overrides fields of
 * settings.json, `env` adds to the environment the services (and the tools they run) see.
 */
export async function testServices(settings: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<TestServices> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-svc-'))
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ version: 1, recentProjects: [], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER, ...settings }),
  )
  const rec = new Recorder()
  const services = createServices({ emit: rec.emit, dataDir, appVersion: '0.0.0-test', env: { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', ...env } })
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
