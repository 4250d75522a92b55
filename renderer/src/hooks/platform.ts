/** Whether shortcuts use ⌘ (macOS) rather than Ctrl; read from the browser running this page. */
export const isMac: boolean = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)

/** The label of the primary modifier key, as menus show it. */
export const modKey: string = isMac ? '⌘' : 'Ctrl'
