/** What a drop on the Projects page comes to. */
export type DropIntake =
  /** A folder with its path on disk (desktop app): open it. */
  | { kind: 'path'; path: string; name: string }
  /** A folder without a path: a browser does not tell pages where dropped files live. */
  | { kind: 'no-path'; name: string }
  | { kind: 'not-a-folder'; name: string }
  | { kind: 'nothing' }

/** The parts of a DataTransfer this reads, so tests can pass plain objects. */
export interface DropData {
  items: ArrayLike<{ kind: string; webkitGetAsEntry(): { isDirectory: boolean; name: string } | null; getAsFile(): { name: string } | null }>
}

/**
 * Reads a drop without opening anything: the first dropped item, whether it is a folder, and its
 * path when `pathForFile` (Electron's webUtils, through the preload) can tell it. Must be called
 * during the drop event: the browser empties the DataTransfer afterwards.
 */
export function readDrop(dt: DropData, pathForFile?: (file: object) => string): DropIntake {
  const first = Array.from(dt.items).find((i) => i.kind === 'file')
  if (!first) return { kind: 'nothing' }
  const entry = first.webkitGetAsEntry()
  const file = first.getAsFile()
  const name = entry?.name ?? file?.name ?? 'the item'
  const path = file && pathForFile ? safePath(pathForFile, file) : ''
  if (entry && !entry.isDirectory) return { kind: 'not-a-folder', name }
  // Without an entry (older engines) a path still tells enough: the analysis says if it is no folder.
  if (path) return { kind: 'path', path, name }
  return { kind: 'no-path', name }
}

function safePath(pathForFile: (file: object) => string, file: object): string {
  try {
    return pathForFile(file)
  } catch {
    return ''
  }
}
