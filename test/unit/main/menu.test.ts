import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { debugEnabled, menuTemplate } from '../../../electron/main/menu'

const leaves = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((i) => (Array.isArray(i.submenu) ? leaves(i.submenu) : [i]))
const roles = (items: MenuItemConstructorOptions[]) => leaves(items).map((i) => i.role).filter(Boolean)
const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label)

describe('menuTemplate', () => {
  it('on macOS starts with the app menu and keeps About and Quit there', () => {
    const menu = menuTemplate('darwin', 'Slipway')
    expect(labels(menu)).toEqual(['Slipway', 'File', 'Edit', 'View', 'Window'])
    expect(roles(menu.slice(0, 1))).toEqual(expect.arrayContaining(['about', 'hide', 'hideOthers', 'unhide', 'quit']))
    expect(roles(menu.slice(1, 2))).toEqual(['close'])
  })

  it('elsewhere has Quit under File and About under Help', () => {
    const menu = menuTemplate('linux', 'Slipway')
    expect(labels(menu)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(roles(menu.slice(0, 1))).toEqual(['quit'])
    expect(roles(menu.slice(-1))).toEqual(['about'])
    expect(roles(menu)).not.toContain('hideOthers')
  })

  it.each(['darwin', 'linux', 'win32'] as const)('has the editing and view roles on %s', (platform) => {
    const r = roles(menuTemplate(platform, 'Slipway'))
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize'])
      expect(r, role).toContain(role)
  })

  it.each(['darwin', 'linux', 'win32'] as const)('has no developer tools and no reload on %s unless debugging', (platform) => {
    const production = roles(menuTemplate(platform, 'Slipway'))
    for (const role of ['toggleDevTools', 'reload', 'forceReload']) expect(production, role).not.toContain(role)
    const view = menuTemplate(platform, 'Slipway').find((m) => m.label === 'View')
    // No separator left dangling at the top of View.
    expect(Array.isArray(view?.submenu) && view.submenu[0]?.role).toBe('resetZoom')
    const debug = roles(menuTemplate(platform, 'Slipway', true))
    for (const role of ['toggleDevTools', 'reload', 'forceReload']) expect(debug, role).toContain(role)
  })

  it.each(['darwin', 'linux', 'win32'] as const)('only uses built-in roles on %s: nothing invents commands outside the contract', (platform) => {
    for (const item of leaves(menuTemplate(platform, 'Slipway'))) {
      expect(item.click).toBeUndefined()
      expect(item.type === 'separator' || typeof item.role === 'string', JSON.stringify(item)).toBe(true)
    }
  })
})

describe('debugEnabled', () => {
  it('is on in a development (unpackaged) run', () => {
    expect(debugEnabled(false, [], {})).toBe(true)
  })

  it('is off in a packaged app unless SLIPWAY_DEBUG or --debug asks for it', () => {
    expect(debugEnabled(true, ['/opt/Slipway/slipway'], {})).toBe(false)
    expect(debugEnabled(true, [], { SLIPWAY_DEBUG: '' })).toBe(false)
    expect(debugEnabled(true, [], { SLIPWAY_DEBUG: '0' })).toBe(false)
    expect(debugEnabled(true, [], { SLIPWAY_DEBUG: 'false' })).toBe(false)
    expect(debugEnabled(true, [], { SLIPWAY_DEBUG: '1' })).toBe(true)
    expect(debugEnabled(true, ['/opt/Slipway/slipway', '--debug'], {})).toBe(true)
  })
})
