// Settings problems never block the main job: the real services and handler table on a temp data
// folder whose settings cannot be written still open a project, with one notice naming the file.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../electron/host/handlers'
import { createServices } from '../../../electron/services'
import { GoProjects } from '../../../electron/services/go-project'
import { IndexCache } from '../../../electron/services/layers/cache'
import { SettingsStore } from '../../../electron/services/settings'
import { Workspace } from '../../../electron/services/workspace'
import { buildLayerIndex } from '../../../shared/layers/build-index'
import { PathTable } from '../../../shared/layers/paths'
import type { LayerIndex } from '../../../shared/layers/types'

/** An index of an image with no layers: enough for the cache to store. */
const emptyIndex = (imageId: string): LayerIndex =>
  buildLayerIndex({ imageId, repoTags: [], created: '', os: 'linux', architecture: 'amd64', format: 'oci', diffIds: [], history: [] }, new PathTable().data(), [])

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-ws-'))
  temps.push(d)
  return d
}

function project(): string {
  const dir = join(tempDir(), 'app')
  mkdirSync(dir)
  writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.23\n')
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n')
  return dir
}

const APP = { name: 'Slipway', version: '0.0.0-test', platform: 'linux', transport: 'websocket', defaultProject: null } as const
/** The handler table over real services on `dataDir` (the engine is never started). */
function handlersOn(dataDir: string) {
  const services = createServices({ emit: () => undefined, dataDir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, projects: new GoProjects({ git: null }) })
  return { services, handlers: createHandlers(services, APP) }
}

describe('opening a project when settings cannot be saved', () => {
  it('settings.json is a folder: the project opens, with one notice naming the file', async () => {
    const data = tempDir()
    mkdirSync(join(data, 'settings.json'))
    const { handlers } = handlersOn(data)
    const a = await handlers['project.analyze'](project(), undefined)
    expect(a.name).toBe('app')
    const notes = a.notices.filter((n) => n.code === 'settings-not-saved')
    expect(notes).toHaveLength(1)
    expect(notes[0]?.message).toContain(`${join(data, 'settings.json')}: it is a folder`)
    expect(notes[0]?.detail).toMatch(/Move it out of the way/)
    expect((await handlers['settings.get']()).notice).toContain('it is a folder')
  })

  it('the data folder is a file: the project opens', async () => {
    const data = join(tempDir(), 'Slipway')
    writeFileSync(data, 'not a folder')
    const { handlers } = handlersOn(data)
    const a = await handlers['project.analyze'](project(), undefined)
    expect(a.notices.find((n) => n.code === 'settings-not-saved')?.message).toContain(`${data} is not a folder`)
    expect((await handlers['settings.get']()).settings.recentProjects).toEqual([])
  })

  it('a read-only settings file: the project opens, the file stays as it was', async () => {
    const data = tempDir()
    const file = join(data, 'settings.json')
    const text = '{"version":1,"recentProjects":[],"customBases":[],"builderImage":null}\n'
    writeFileSync(file, text)
    chmodSync(file, 0o444)
    const { handlers } = handlersOn(data)
    const a = await handlers['project.analyze'](project(), undefined)
    expect(a.notices.find((n) => n.code === 'settings-not-saved')?.message).toContain(`${file} is read-only`)
    expect(readFileSync(file, 'utf8')).toBe(text)
    expect(statSync(file).mode & 0o777).toBe(0o444)
  })

  it('works as before when settings are fine: the project becomes the most recent, without a notice', async () => {
    const data = tempDir()
    const dir = project()
    const ws = new Workspace(new GoProjects({ git: null }), new SettingsStore(join(data, 'settings.json')))
    const a = await ws.open(dir)
    expect(a.notices.some((n) => n.code === 'settings-not-saved')).toBe(false)
    expect((await new SettingsStore(join(data, 'settings.json')).load()).settings.recentProjects.map((p) => p.path)).toEqual([dir])
    await ws.forget(dir)
    expect((await new SettingsStore(join(data, 'settings.json')).load()).settings.recentProjects).toEqual([])
  })

  it('an analysis error is still the error', async () => {
    const { handlers } = handlersOn(tempDir())
    await expect(handlers['project.analyze'](join(tempDir(), 'missing'), undefined)).rejects.toMatchObject({ name: 'NotFound' })
  })
})

describe('the data folder is private in every front end', () => {
  it('createServices (desktop and browser mode) makes a new data folder 0700 and an existing one too', () => {
    const fresh = join(tempDir(), 'config', 'Slipway')
    handlersOn(fresh)
    expect(statSync(fresh).mode & 0o777).toBe(0o700)
    const existing = tempDir()
    chmodSync(existing, 0o755)
    handlersOn(existing)
    expect(statSync(existing).mode & 0o777).toBe(0o700)
  })

  it('the layer cache (also the CLI’s own cache folder) is 0700 with 0600 files', async () => {
    const cacheDir = join(tempDir(), 'cache', 'slipway', 'layers')
    const cache = new IndexCache(cacheDir)
    const imageId = `sha256:${'ab'.repeat(32)}`
    await cache.put(emptyIndex(imageId))
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(cacheDir, '..')).mode & 0o777).toBe(0o700)
    expect(statSync(join(cacheDir, `${'ab'.repeat(32)}.slix`)).mode & 0o777).toBe(0o600)
    const old = join(tempDir(), 'layers')
    mkdirSync(old, { mode: 0o755 })
    chmodSync(old, 0o755)
    await new IndexCache(old).put(emptyIndex(imageId))
    expect(statSync(old).mode & 0o777).toBe(0o700)
  })
})
