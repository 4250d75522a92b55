import { homedir } from 'node:os'
import { parse } from 'node:path'
import { BadRequest, ErrorName, SlipwayError } from '../../../shared/errors'

// Why a folder cannot be opened as a project, said precisely: "does not exist" for a folder that
// exists but loops or has a name that cannot be typed sends people looking in the wrong place.
// Each message names the folder; the detail is advice that holds in every front end.

const OPEN_THE_PROJECT = 'Open the folder that holds the go.mod (or main.go) of the program you want to containerize.'

/** An empty or blank path: refused, rather than quietly analysing the current folder. */
export function checkPathGiven(dir: string): void {
  if (dir.trim() === '') throw new BadRequest('No folder given.', 'Give the path of a Go project folder.')
}

/**
 * Refuses the file-system root and the home folder itself: walking either reads every file a
 * person has (slow, and nothing in it is one program), so it is surely a slip. `root` is absolute;
 * `home` is the home folder (and its real path, when that differs).
 */
export function checkNotTooBroad(root: string, home: readonly string[] = [homedir()]): void {
  if (parse(root).root === root)
    throw new SlipwayError(ErrorName.FolderTooBroad, `${root} is the whole file system, not a project folder.`, OPEN_THE_PROJECT)
  if (home.includes(root))
    throw new SlipwayError(
      ErrorName.FolderTooBroad,
      `${root} is your home folder, not a project folder.`,
      `Slipway would read every file in it. ${OPEN_THE_PROJECT}`,
    )
}

/** Explains why the root could not be looked at (stat failed). */
export function rootStatError(root: string, err: unknown): SlipwayError {
  const code = (err as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new SlipwayError(ErrorName.PermissionDenied, `Slipway may not look into a folder on the way to ${root} (permission denied).`, 'Check the permissions of the folders in that path; Slipway only needs to read them.')
    case 'ELOOP':
      return new SlipwayError(
        ErrorName.SymlinkLoop,
        `${root} is a symlink that leads back to itself (a loop), so there is no folder to open.`,
        'Fix or remove the link (`ls -l` shows where it points), or open the real folder.',
      )
    case 'ENOTDIR':
      return new SlipwayError(ErrorName.NotADirectory, `${root} cannot be a folder: part of that path is a file.`, 'Check the path.')
    case 'ENAMETOOLONG':
      return new BadRequest(`The path is too long for the file system (${root.length} characters).`, 'Check the path.')
    case 'ENOENT':
      if (root.includes('\uFFFD'))
        // The name reached Slipway already decoded (command line, clipboard): its bytes are lost.
        return new SlipwayError(
          ErrorName.PathNotUtf8,
          `${root} cannot be opened: its name is not valid UTF-8 (shown with �), so the exact name is lost before Slipway sees it.`,
          'Rename the folder to a UTF-8 name, or give a symlink with a UTF-8 name that points to it.',
        )
      return new SlipwayError(ErrorName.NotFound, `${root} does not exist.`, 'Check the path.')
    default:
      return new SlipwayError(ErrorName.ReadFailed, `Slipway could not look at ${root} (${code ?? (err instanceof Error ? err.message : String(err))}).`, 'Check the path and the disk.')
  }
}

/** Explains why the root folder exists but cannot be listed (readdir failed). */
export function rootListError(root: string, err: unknown): SlipwayError {
  const code = (err as NodeJS.ErrnoException | null)?.code
  if (code === 'EACCES' || code === 'EPERM')
    return new SlipwayError(
      ErrorName.PermissionDenied,
      `Slipway may not read the folder ${root} (permission denied).`,
      'Give your user permission to read it (for example `chmod u+rx` on the folder), or open a copy you own. Slipway only reads.',
    )
  return new SlipwayError(ErrorName.ReadFailed, `Slipway could not read the folder ${root} (${code ?? (err instanceof Error ? err.message : String(err))}).`, 'Check the folder and the disk.')
}
