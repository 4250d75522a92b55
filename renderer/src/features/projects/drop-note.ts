/** What the drop zone says about the last thing dropped on it. */
export type DropNote =
  | { kind: 'intake-pending'; name: string; count: number }
  | { kind: 'not-a-folder'; name: string }
  | { kind: 'nothing' }
  /** The toolbar's Open folder… was pressed. */
  | { kind: 'picker' }

/**
 * Reads what was dropped without opening it: the first item's name, and whether the browser says
 * it is a folder. Opening and analysing projects arrives with project intake.
 */
export function describeDrop(dt: DataTransfer): DropNote {
  const items = Array.from(dt.items).filter((i) => i.kind === 'file')
  const first = items[0]
  if (!first) return { kind: 'nothing' }
  const entry = first.webkitGetAsEntry()
  const name = entry?.name ?? first.getAsFile()?.name ?? 'the item'
  if (entry && !entry.isDirectory) return { kind: 'not-a-folder', name }
  return { kind: 'intake-pending', name, count: items.length }
}
