import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu as plain data (only a type comes from `electron`, so it is tested without
 * it). Every item is a built-in role: the menu itself sends nothing to the renderer. Commands
 * such as "Open Project Folder…" arrive with the contract events that carry them.
 */
export function menuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] {
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
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      sep,
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
