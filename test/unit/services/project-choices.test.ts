// Remembered choices per project: stored in settings.json through the real store, refused for a
// folder that was never opened, checked at the boundary, and a bad hand-edited entry costs only itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GoProjects } from '../../../electron/services/go-project'
import { SettingsStore } from '../../../electron/services/settings'
import { Workspace } from '../../../electron/services/workspace'
import { contract } from '../../../shared/contract'
import { MAX_PROJECT_CHOICES, NO_CHOICES, choicesFor, withChoices, type ProjectChoices } from '../../../shared/settings'

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-choices-'))
  temps.push(d)
  return d
}
function project(): string {
  const dir = join(tempDir(), 'app')
  mkdirSync(join(dir, 'cmd', 'api'), { recursive: true })
  mkdirSync(join(dir, 'cmd', 'worker'), { recursive: true })
  writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.23\n')
  writeFileSync(join(dir, 'cmd', 'api', 'main.go'), 'package main\n\nfunc main() {}\n')
  writeFileSync(join(dir, 'cmd', 'worker', 'main.go'), 'package main\n\nfunc main() {}\n')
  return dir
}

const CHOSEN: ProjectChoices = { main: 'cmd/worker', baseId: 'alpine', buildkit: false, builderImage: 'corp/golang:1.23', version: 'v2.0.1', commit: 'abc1234' }

describe('remembered choices', () => {
  it('are saved per project root in the settings file and read back', async () => {
    const file = join(tempDir(), 'settings.json')
    const store = new SettingsStore(file)
    const ws = new Workspace(new GoProjects({ git: null }), store)
    const dir = project()
    await expect(ws.remember(dir, CHOSEN)).rejects.toMatchObject({ name: 'NoProject' })
    expect((await store.load()).settings.projectChoices).toEqual({})

    const analysis = await ws.open(dir)
    await ws.remember(analysis.root, CHOSEN)
    const { settings } = await new SettingsStore(file).load()
    expect(choicesFor(settings, analysis.root)).toEqual(CHOSEN)
    expect(choicesFor(settings, '/elsewhere')).toBeNull()
    // The recent list and the other settings are kept.
    expect(settings.recentProjects.map((p) => p.path)).toEqual([analysis.root])
    // Saving again replaces the project's entry.
    await ws.remember(analysis.root, { ...CHOSEN, baseId: null })
    expect(choicesFor((await store.load()).settings, analysis.root)?.baseId).toBeNull()
    expect(Object.keys((await store.load()).settings.projectChoices)).toEqual([analysis.root])
  })

  it('costs only itself when an entry was edited into something invalid', async () => {
    const file = join(tempDir(), 'settings.json')
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        builderImage: 'mirror/golang:1.23',
        projectChoices: { '/a': { choices: { ...CHOSEN, version: 'v1; rm -rf /' }, savedAt: 1 }, '/b': { choices: CHOSEN, savedAt: 2 }, '/c': 'junk' },
      }),
    )
    const { settings, notice } = await new SettingsStore(file).load()
    expect(notice).toBeUndefined()
    expect(settings.builderImage).toBe('mirror/golang:1.23')
    expect(choicesFor(settings, '/a')).toBeNull()
    expect(choicesFor(settings, '/b')).toEqual(CHOSEN)
    expect(choicesFor(settings, '/c')).toBeNull()
  })

  it('keeps the most recently saved projects only', () => {
    let all = {}
    for (let i = 0; i < MAX_PROJECT_CHOICES + 5; i++) all = withChoices(all, `/p${i}`, NO_CHOICES, 1000 + i)
    expect(Object.keys(all)).toHaveLength(MAX_PROJECT_CHOICES)
    expect(Object.keys(all)).toContain(`/p${MAX_PROJECT_CHOICES + 4}`)
    expect(Object.keys(all)).not.toContain('/p4')
    expect(Object.keys(all)).toContain('/p5')
  })

  it('are checked at the boundary like the fields the recipe takes them into', () => {
    const args = contract['project.remember'].args
    expect(args.safeParse(['/p', CHOSEN]).success).toBe(true)
    expect(args.safeParse(['/p', { ...CHOSEN, version: 'v1 --build-arg X=1' }]).success).toBe(false)
    expect(args.safeParse(['/p', { ...CHOSEN, baseId: 'Alpine!' }]).success).toBe(false)
    expect(args.safeParse(['/p', { ...CHOSEN, builderImage: 'a\nRUN x' }]).success).toBe(false)
    expect(args.safeParse(['/p', { ...CHOSEN, extra: 1 }]).success).toBe(false)
  })
})
