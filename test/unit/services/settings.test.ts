import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_RECENT_PROJECTS } from '../../../shared/settings'
import { SettingsStore } from '../../../electron/services/settings'

let dir: string
let file: string
let clock: number
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-settings-'))
  file = join(dir, 'settings.json')
  clock = Date.UTC(2026, 10, 27, 12, 0, 0)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))
const store = () => new SettingsStore(file, () => clock++)

describe('SettingsStore', () => {
  it('starts with defaults when there is no file, and does not create one until something changes', async () => {
    expect(await store().load()).toEqual({ settings: { version: 1, recentProjects: [], customBases: [], builderImage: null, postgresImage: null, debianMirror: null, debianSuite: null, projectChoices: {} } })
    expect(readdirSync(dir)).toEqual([])
  })

  it('remembers recent projects across instances, newest first, without duplicates', async () => {
    const s = store()
    await s.addRecent('/p/a', 'a')
    await s.addRecent('/p/b', 'b')
    await s.addRecent('/p/a', 'a')
    const again = await store().load()
    expect(again.settings.recentProjects.map((p) => p.path)).toEqual(['/p/a', '/p/b'])
  })

  it('keeps at most the configured number of recent projects', async () => {
    const s = store()
    for (let i = 0; i < MAX_RECENT_PROJECTS + 5; i++) await s.addRecent(`/p/${i}`, String(i))
    const { settings } = await store().load()
    expect(settings.recentProjects).toHaveLength(MAX_RECENT_PROJECTS)
    expect(settings.recentProjects[0]?.path).toBe(`/p/${MAX_RECENT_PROJECTS + 4}`)
  })

  it('does not lose a change when two are made at once', async () => {
    const s = store()
    await Promise.all([s.addRecent('/p/1', '1'), s.update({ builderImage: 'mirror.corp/golang:1.23' }), s.addRecent('/p/2', '2')])
    const { settings } = await store().load()
    expect(settings.builderImage).toBe('mirror.corp/golang:1.23')
    expect(settings.recentProjects.map((p) => p.path)).toEqual(['/p/2', '/p/1'])
  })

  it('writes atomically: no temp files are left behind', async () => {
    await store().update({ builderImage: 'x/golang:1.23' })
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(JSON.parse(readFileSync(file, 'utf8')).builderImage).toBe('x/golang:1.23')
  })

  it('sets a corrupt file aside, says where, and starts with defaults', async () => {
    writeFileSync(file, '{"recentProjects": [ {"path": ')
    const { settings, notice } = await store().load()
    expect(settings.recentProjects).toEqual([])
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(notice).toContain('not valid JSON')
    expect(notice).toContain(join(dir, aside[0]!))
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"recentProjects": [ {"path": ')
  })

  it('sets aside a file of the wrong shape too', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, recentProjects: 'nope' }))
    const { notice } = await store().load()
    expect(notice).toMatch(/recentProjects: /)
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
  })
})

describe('SettingsStore on one folder shared by two Slipways', () => {
  it('never overwrites the other instance’s change with a stale copy', async () => {
    const app = store()
    const cli = store()
    await app.load()
    await cli.load() // both have read the (empty) settings
    await app.addRecent('/p/app', 'app')
    await cli.update({ builderImage: 'mirror.corp/golang:1.23' })
    await app.addRecent('/p/app2', 'app2')
    const { settings } = await store().load()
    expect(settings.builderImage).toBe('mirror.corp/golang:1.23')
    expect(settings.recentProjects.map((p) => p.path)).toEqual(['/p/app2', '/p/app'])
    expect((await cli.load()).settings.recentProjects).toHaveLength(2) // and each sees the other's changes
  })

  it('loses nothing when both write at the same time', async () => {
    const a = store()
    const b = store()
    await Promise.all(Array.from({ length: 5 }, (_, i) => [a.addRecent(`/a/${i}`, `a${i}`), b.addRecent(`/b/${i}`, `b${i}`)]).flat())
    const paths = (await store().load()).settings.recentProjects.map((p) => p.path)
    expect(paths.sort()).toEqual(['/a/0', '/a/1', '/a/2', '/a/3', '/a/4', '/b/0', '/b/1', '/b/2', '/b/3', '/b/4'])
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('breaks a lock left by a process that is gone, or one that is old', async () => {
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid(), host: hostname(), id: 'x' }))
    await store().update({ builderImage: 'a/golang:1' })
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), id: 'y' }))
    const old = new Date(Date.now() - 60_000)
    utimesSync(`${file}.lock`, old, old)
    await store().update({ builderImage: 'b/golang:1' })
    expect((await store().load()).settings.builderImage).toBe('b/golang:1')
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('waits for a live lock, then gives up with a message naming the lock file', async () => {
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), id: 'held' }))
    const s = new SettingsStore(file, () => clock++, { lockTimeoutMs: 200 })
    const e = await s.update({ builderImage: 'a/golang:1' }).catch((x: Error & { detail?: string }) => x)
    expect(e).toMatchObject({ name: 'SettingsLocked' })
    expect((e as Error & { detail?: string }).detail).toContain(`delete ${file}.lock`)
    expect(existsSync(file)).toBe(false)
    expect(readFileSync(`${file}.lock`, 'utf8')).toContain('held') // not ours to remove
    expect((await s.load()).notice).toContain('this change was not saved')
  })
})

describe('SettingsStore problems never throw from load, and name the file', () => {
  it('settings.json is a folder', async () => {
    mkdirSync(file)
    const { settings, notice } = await store().load()
    expect(settings.recentProjects).toEqual([])
    expect(notice).toContain(`${file}: it is a folder`)
    const e = await store().addRecent('/p/a', 'a').catch((x: Error) => x)
    expect(e).toMatchObject({ name: 'SettingsUnusable' })
    expect(statSync(file).isDirectory()).toBe(true)
  })

  it('a read-only settings file is not replaced', async () => {
    const text = `${JSON.stringify({ version: 1, recentProjects: [], customBases: [], builderImage: 'fixed/golang:1' })}\n`
    writeFileSync(file, text)
    chmodSync(file, 0o400)
    const s = store()
    const e = await s.addRecent('/p/a', 'a').catch((x: Error & { detail?: string }) => x)
    expect(e).toMatchObject({ name: 'SettingsReadOnly' })
    expect((e as Error).message).toContain(file)
    expect((e as Error & { detail?: string }).detail).toContain('chmod u+w')
    expect(readFileSync(file, 'utf8')).toBe(text)
    expect(statSync(file).mode & 0o777).toBe(0o400)
    const loaded = await s.load()
    expect(loaded.settings.builderImage).toBe('fixed/golang:1')
    expect(loaded.notice).toContain('read-only')
  })
})

describe('permissions', () => {
  it('writes the settings file 0600 in a 0700 folder it creates, and an old 0644 file becomes private at the next save', async () => {
    const nested = join(dir, 'new', 'Slipway')
    await new SettingsStore(join(nested, 'settings.json')).update({ builderImage: 'x/golang:1' })
    expect(statSync(nested).mode & 0o777).toBe(0o700)
    expect(statSync(join(nested, 'settings.json')).mode & 0o777).toBe(0o600)
    writeFileSync(file, '{}\n', { mode: 0o644 })
    chmodSync(file, 0o644)
    await store().addRecent('/p/a', 'a')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})

/** A pid that no process has: the lock's holder is gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}
