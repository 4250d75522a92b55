// The checks before a compile error's file is handed to the OS "open" (electron/services/open-file.ts).
// Electron cannot run here, so shell.openPath itself is not exercised: the pure path check is tested
// on strings, the on-disk check on real temp folders (symlinks out, folders, missing files).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkOpenableFile, openablePath } from '../../../electron/services/open-file'

describe('openablePath (pure)', () => {
  const root = '/home/me/api'
  it('resolves a source file relative to the project', () => {
    expect(openablePath(root, 'main.go')).toEqual({ path: '/home/me/api/main.go' })
    expect(openablePath(root, 'internal/db/db.go')).toEqual({ path: '/home/me/api/internal/db/db.go' })
    expect(openablePath(root, './cmd/api/MAIN.GO')).toEqual({ path: '/home/me/api/cmd/api/MAIN.GO' })
    expect(openablePath(root, 'go.mod')).toEqual({ path: '/home/me/api/go.mod' })
    expect(openablePath(root, 'asm_amd64.s')).toEqual({ path: '/home/me/api/asm_amd64.s' })
  })
  it('refuses paths outside the project', () => {
    for (const f of ['../other/main.go', 'a/../../x.go', '..', '/etc/passwd.go', '/home/me/api/main.go', 'C:\\x\\main.go', '\\\\server\\share\\a.go'])
      expect(openablePath(root, f), f).toHaveProperty('refused')
  })
  it('refuses URLs, executables, scripts and files without an extension', () => {
    for (const f of ['https://evil.example/a.go', 'file:///etc/x.go', 'run.sh', 'tool.exe', 'app.desktop', 'Makefile', 'bin/server', 'evil.go.exe', 'x.command', 'a.app', 'page.html', 'x.jar', 'main.go\0.exe', ''])
      expect(openablePath(root, f), JSON.stringify(f)).toHaveProperty('refused')
  })
  it('refuses a root that is not absolute', () => {
    expect(openablePath('api', 'main.go')).toHaveProperty('refused')
  })
})

describe('checkOpenableFile (real folders)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-open-'))
  const root = join(tmp, 'api')
  const outside = join(tmp, 'outside')
  mkdirSync(join(root, 'pkg.go'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(join(root, 'main.go'), 'package main\n')
  writeFileSync(join(outside, 'secret.go'), 'package x\n')
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\n')
  symlinkSync(join(outside, 'secret.go'), join(root, 'link.go'))
  symlinkSync(join(root, 'run.sh'), join(root, 'script.go'))
  symlinkSync(join(root, 'main.go'), join(root, 'alias.go'))
  const analysed = (d: string) => d === root
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('returns the real path of a regular source file in an analysed project', async () => {
    await expect(checkOpenableFile(root, 'main.go', analysed)).resolves.toBe(join(root, 'main.go'))
    await expect(checkOpenableFile(root, 'alias.go', analysed)).resolves.toBe(join(root, 'main.go'))
  })
  it('refuses a folder that was not analysed in this process', async () => {
    await expect(checkOpenableFile(outside, 'secret.go', analysed)).rejects.toMatchObject({ name: 'NotAProject' })
  })
  it('refuses symlinks that lead out of the project or to a script', async () => {
    await expect(checkOpenableFile(root, 'link.go', analysed)).rejects.toMatchObject({ name: 'Forbidden', message: expect.stringMatching(/outside the project/) })
    await expect(checkOpenableFile(root, 'script.go', analysed)).rejects.toMatchObject({ name: 'Forbidden' })
  })
  it('refuses folders, missing files and non-source files', async () => {
    await expect(checkOpenableFile(root, 'pkg.go', analysed)).rejects.toMatchObject({ name: 'NotAFile' })
    await expect(checkOpenableFile(root, 'gone.go', analysed)).rejects.toMatchObject({ name: 'NotFound' })
    await expect(checkOpenableFile(root, 'run.sh', analysed)).rejects.toMatchObject({ name: 'Forbidden' })
    await expect(checkOpenableFile(root, '../outside/secret.go', analysed)).rejects.toMatchObject({ name: 'Forbidden' })
  })
})

describe('app.openFile in the handler table', () => {
  const example = join(import.meta.dirname, '..', '..', '..', 'examples', 'hello-api')
  const info = { name: 'Slipway', version: 'test', platform: 'linux', transport: 'websocket' as const, defaultProject: null }

  it('is NotAvailable in browser mode, and hands only checked paths to the desktop shell', async () => {
    const { createServices } = await import('../../../electron/services')
    const { createHandlers } = await import('../../../electron/host/handlers')
    const dataDir = mkdtempSync(join(tmpdir(), 'slipway-open-data-'))
    const services = createServices({ emit: () => undefined, dataDir, env: {} })
    try {
      await expect(Promise.resolve().then(() => createHandlers(services, info)['app.openFile'](example, 'main.go', 3))).rejects.toMatchObject({ name: 'NotAvailable' })
      const opened: string[] = []
      const desktop = createHandlers(services, { ...info, transport: 'ipc' }, { openFile: async (f, line) => void opened.push(`${f}:${line}`) })
      await expect(desktop['app.openFile'](example, 'main.go', 3)).rejects.toMatchObject({ name: 'NotAProject' })
      await services.projects.analyze(example)
      await desktop['app.openFile'](example, 'main.go', 3)
      await expect(desktop['app.openFile'](example, '../../package.json', 1)).rejects.toMatchObject({ name: 'Forbidden' })
      expect(opened).toEqual([`${join(example, 'main.go')}:3`])
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
