import type { MenuItemConstructorOptions } from 'electron'

/**
 * Whether this run may show the developer tools and reload items: an unpackaged (development)
 * build, or a packaged one started with `SLIPWAY_DEBUG=1` or `--debug`. A packaged app otherwise
 * has neither: the devtools of a production app are a way to run code in a page that talks to
 * the host, and a reload drops work in progress.
 */
export function debugEnabled(isPackaged: boolean, argv: readonly string[], env: Record<string, string | undefined>): boolean {
  if (!isPackaged) return true
  const flag = env.SLIPWAY_DEBUG?.trim().toLowerCase()
  return argv.includes('--debug') || (flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false')
}

/**
 * The application menu as plain data (only a type comes from `electron`, so it is tested without
 * it). Every item is a built-in role: the menu itself sends nothing to the renderer. Commands
 * such as "Open Project Folder…" arrive with the contract events that carry them. Reload and the
 * developer tools are only there when `debug` (see debugEnabled).
 */
export function menuTemplate(platform: NodeJS.Platform, appName: string, debug = false): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const sep: MenuItemConstructorOptions = { type: 'separator' }

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  }
  const file: MenuItemConstructorOptions = { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] }
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const, { role: 'delete' } as const] : [{ role: 'delete' } as const, sep]),
      { role: 'selectAll' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(debug ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, sep] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  }
  const window: MenuItemConstructorOptions = {
    label: 'Window',
    // On macOS the `window` role makes this the menu that lists open windows.
    ...(mac ? { role: 'window' as const } : {}),
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  }
  // macOS keeps About in the app menu; elsewhere it lives under Help.
  const help: MenuItemConstructorOptions = { label: 'Help', role: 'help', submenu: [{ role: 'about' }] }

  return mac ? [appMenu, file, edit, view, window] : [file, edit, view, window, help]
}
