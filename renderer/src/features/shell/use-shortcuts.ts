import { useEffect } from 'react'
import { isMac } from '../../hooks/platform'
import { useApp } from '../../stores'
import { NAV_ITEMS } from './nav'

/**
 * Ctrl+1/2/3 (⌘1/2/3 on macOS) switch pages. Reads the physical digit key (`Digit1`, `Numpad1`),
 * so layouts where the digits need Shift (AZERTY) work too.
 */
export function usePageShortcuts(): void {
  const setPage = useApp((s) => s.setPage)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey
      if (!mod || e.altKey || e.repeat) return
      const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code)?.[1]
      const item = NAV_ITEMS.find((n) => n.key === digit)
      if (!item) return
      e.preventDefault()
      setPage(item.page)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [setPage])
}

/**
 * A folder dropped anywhere but the drop zone would make the browser (or Electron) navigate to it;
 * refuse such drops at the window level.
 */
export function useWindowDropGuard(): void {
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (e.defaultPrevented) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'none'
    }
    window.addEventListener('dragover', stop)
    window.addEventListener('drop', stop)
    return () => {
      window.removeEventListener('dragover', stop)
      window.removeEventListener('drop', stop)
    }
  }, [])
}
