import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
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
    expect(await store().load()).toEqual({ settings: { version: 1, recentProjects: [], customBases: [], builderImage: null } })
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
