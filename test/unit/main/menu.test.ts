import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../../electron/main/menu'

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
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize'])
      expect(r, role).toContain(role)
  })

  it.each(['darwin', 'linux', 'win32'] as const)('only uses built-in roles on %s: nothing invents commands outside the contract', (platform) => {
    for (const item of leaves(menuTemplate(platform, 'Slipway'))) {
      expect(item.click).toBeUndefined()
      expect(item.type === 'separator' || typeof item.role === 'string', JSON.stringify(item)).toBe(true)
    }
  })
})
