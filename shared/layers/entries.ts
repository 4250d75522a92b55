import { cleanPath, type PathTable } from './paths'
import { FLAG_OPAQUE, FLAG_WHITEOUT, TYPE_DIR, TYPE_HARDLINK, TYPE_SYMLINK, type EntryType, ENTRY_TYPES, type LayerEntries } from './types'

/** A tar header, reduced to what the index keeps. */
export interface TarEntry {
  name: string
  type: EntryType
  size?: number
  mode?: number
  uid?: number
  gid?: number
  /** Symlink or hard-link target as written in the tar. */
  linkname?: string
}

/** Empty columns for one layer. */
export function newLayerEntries(): LayerEntries<number[]> {
  return { node: [], size: [], mode: [], uid: [], gid: [], type: [], flags: [], link: [], change: [] }
}

/**
 * Appends one tar header to a layer's columns, interning its path. `.wh.NAME` becomes a whiteout of
 * NAME, `.wh..wh..opq` an opaque marker on its directory; other `.wh..wh.` names (AUFS bookkeeping) and
 * the archive root (`./`) are skipped. Returns false when the entry was skipped.
 */
export function addTarEntry(paths: PathTable, e: LayerEntries<number[]>, h: TarEntry): boolean {
  const name = cleanPath(h.name)
  if (name === '') return false
  const slash = name.lastIndexOf('/')
  const base = slash < 0 ? name : name.slice(slash + 1)
  const dir = slash < 0 ? '' : name.slice(0, slash)
  const type = ENTRY_TYPES.indexOf(h.type)
  let node: number
  let flags = 0
  if (base.startsWith('.wh.')) {
    if (base === '.wh..wh..opq') {
      node = dir === '' ? 0 : paths.internDir(dir)
      flags = FLAG_OPAQUE
    } else if (base.startsWith('.wh..wh.')) {
      return false
    } else {
      node = paths.intern(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`)
      flags = FLAG_WHITEOUT
    }
  } else node = type === TYPE_DIR ? paths.internDir(name) : paths.intern(name)
  e.node.push(node)
  e.size.push(h.size ?? 0)
  e.mode.push((h.mode ?? 0) & 0o7777)
  e.uid.push(h.uid ?? 0)
  e.gid.push(h.gid ?? 0)
  e.type.push(type)
  e.flags.push(flags)
  e.link.push(type === TYPE_SYMLINK ? (h.linkname ?? '') : type === TYPE_HARDLINK ? `/${cleanPath(h.linkname ?? '')}` : '')
  return true
}
