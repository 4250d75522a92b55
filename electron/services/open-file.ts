// Which project files Slipway hands to the operating system's "open" (a compile error's file in the
// user's editor). The OS handler runs whatever is registered for a file type, so only source and
// text files inside a project this process analysed qualify: never a URL, an executable, a script
// a double-click would run, or anything outside the project (.., absolute paths, symlinks out).
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { SlipwayError } from '../../shared/errors'

/** Extensions (lower case) a compile error can point at that open in an editor, not run. */
export const OPENABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.go',
  '.s',
  '.c',
  '.h',
  '.cc',
  '.cpp',
  '.hpp',
  '.mod',
  '.sum',
  '.work',
  '.txt',
  '.md',
  '.json',
  '.yaml',
  '.yml',
  '.toml',
  '.tmpl',
  '.proto',
  '.sql',
])

/**
 * The absolute path of `file` (relative to the project root, forward slashes, as the compiler
 * reports it) inside `root`, or why it may not be opened. Pure: it looks at the strings only.
 */
export function openablePath(root: string, file: string): { path: string } | { refused: string } {
  if (!isAbsolute(root)) return { refused: 'The project folder is not an absolute path.' }
  if (!file || file.includes('\0')) return { refused: 'No file was named.' }
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) return { refused: `${file} looks like a URL, not a file of the project.` }
  if (isAbsolute(file) || /^[a-z]:/i.test(file) || file.startsWith('\\')) return { refused: `${file} is not relative to the project.` }
  const path = resolve(root, file)
  const rel = relative(resolve(root), path)
  if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { refused: `${file} is outside the project.` }
  const ext = extname(path).toLowerCase()
  if (!OPENABLE_EXTENSIONS.has(ext))
    return { refused: `${file} is not a source or text file${ext ? ` (${ext})` : ''}; Slipway opens only those, so nothing from a project runs.` }
  return { path }
}

/**
 * Checks that `file` of the project `root` may be opened by the OS handler: `root` was analysed in
 * this process, the path passes `openablePath`, and on disk it is a regular file whose real path
 * (symlinks followed) is still inside the project's real folder. Returns that real path.
 */
export async function checkOpenableFile(root: string, file: string, isProjectRoot: (dir: string) => boolean): Promise<string> {
  if (!isAbsolute(root) || !isProjectRoot(resolve(root)))
    throw new SlipwayError('NotAProject', `${root} is not a project opened in Slipway.`, 'Slipway opens files only of a project it has analysed. Open the folder first.')
  const checked = openablePath(root, file)
  if ('refused' in checked) throw new SlipwayError('Forbidden', checked.refused, 'Copy the path and open it in your editor yourself.')
  let real: string
  let rootReal: string
  try {
    ;[real, rootReal] = await Promise.all([realpath(checked.path), realpath(root)])
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ENOENT') throw new SlipwayError('NotFound', `${checked.path} does not exist (any more).`, 'Build again to see where the errors are now.')
    throw new SlipwayError('ReadFailed', `Could not read ${checked.path}: ${err.message}`)
  }
  const rel = relative(rootReal, real)
  if (!rel || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw new SlipwayError('Forbidden', `${file} leads outside the project (a symbolic link).`, 'Copy the path and open it in your editor yourself.')
  if (!OPENABLE_EXTENSIONS.has(extname(real).toLowerCase()))
    throw new SlipwayError('Forbidden', `${file} links to a file that is not source or text.`, 'Copy the path and open it in your editor yourself.')
  if (!(await stat(real)).isFile()) throw new SlipwayError('NotAFile', `${file} is not a regular file.`)
  return real
}
