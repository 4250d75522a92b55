// How ls -l shows a file's type and permission bits: `drwxr-xr-x`, `-rwsr-xr-x`, `lrwxrwxrwx`.
import { TYPE_DIR, TYPE_SYMLINK } from '../../../../shared/layers/types'

/** The ten-character `ls -l` mode string for an entry type (TYPE_*, -1 for an implied directory) and its mode bits; a hard link reads as the file it is. */
export function formatMode(type: number, mode: number): string {
  const kind = type === TYPE_DIR || type === -1 ? 'd' : type === TYPE_SYMLINK ? 'l' : '-'
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-')
  const special = (exec: number, flag: number, on: string) => {
    const x = (mode & exec) !== 0
    if (mode & flag) return x ? on : on.toUpperCase()
    return x ? 'x' : '-'
  }
  return (
    kind +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't')
  )
}

/** The mode in octal, as chmod takes it: `0755`, `4755`. */
export function formatOctal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}
