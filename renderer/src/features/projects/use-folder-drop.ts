import { useEffect, useRef, useState } from 'react'
import { readDrop, type DropIntake } from './drop-intake'

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files')

/**
 * Takes folders dropped anywhere on the window while the Projects page is shown. Listens in the
 * capture phase, so it sees the drop before the shell's guard (which refuses drops nobody took).
 * Returns whether something is being dragged over the window, for the overlay.
 */
export function useFolderDrop(onDrop: (d: DropIntake) => void): boolean {
  const [over, setOver] = useState(false)
  // dragenter/dragleave fire for every element the pointer crosses; count them to know when it really left.
  const depth = useRef(0)
  const handler = useRef(onDrop)
  useEffect(() => {
    handler.current = onDrop
  }, [onDrop])

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth.current++
      setOver(true)
    }
    const overWindow = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth.current = Math.max(0, depth.current - 1)
      if (depth.current === 0) setOver(false)
    }
    const drop = (e: DragEvent) => {
      if (!hasFiles(e) || !e.dataTransfer) return
      e.preventDefault()
      depth.current = 0
      setOver(false)
      handler.current(readDrop(e.dataTransfer, window.bridge?.pathForFile))
    }
    window.addEventListener('dragenter', enter, true)
    window.addEventListener('dragover', overWindow, true)
    window.addEventListener('dragleave', leave, true)
    window.addEventListener('drop', drop, true)
    return () => {
      window.removeEventListener('dragenter', enter, true)
      window.removeEventListener('dragover', overWindow, true)
      window.removeEventListener('dragleave', leave, true)
      window.removeEventListener('drop', drop, true)
    }
  }, [])
  return over
}
