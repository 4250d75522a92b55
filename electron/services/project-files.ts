import { lstat, readFile, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { PROJECT_FILE_NAMES, type ProjectFileName } from '../../shared/contract'
import { SlipwayError } from '../../shared/errors'
import { writeFileAtomically } from './atomic-write'
import { checkOpenableFile } from './open-file'

/** Tells whether a folder is a project root analysed in this process (GoProjects.isAnalysedRoot). */
export type IsProjectRoot = (dir: string) => boolean

/**
 * The only writes Slipway makes into a project folder: Dockerfile and .dockerignore, on an explicit,
 * confirmed action, and only into a folder this process analysed (a front end cannot name any other
 * folder). The caller passes the content the user saw; if the file changed since, nothing is
 * written, so a concurrent edit is never overwritten silently. An existing file keeps its mode; a
 * symlinked file is written through to its target when that is inside the project, else refused.
 */
export class ProjectFiles {
  constructor(private readonly isProjectRoot: IsProjectRoot) {}

  /** The real path of `file` (relative to the project `dir`) if the OS may open it in an editor; see open-file.ts. */
  openable(dir: string, file: string): Promise<string> {
    return checkOpenableFile(dir, file, this.isProjectRoot)
  }

  /** Replaces `name` in the project `dir` with `content` if it still holds `expected` (null: it must not exist). */
  async write(dir: string, name: ProjectFileName, content: string, expected: string | null): Promise<void> {
    if (!PROJECT_FILE_NAMES.includes(name)) throw new SlipwayError('BadRequest', `Slipway does not write ${JSON.stringify(name)} into a project.`)
    if (!isAbsolute(dir) || !this.isProjectRoot(resolve(dir)))
      throw new SlipwayError(
        'NotAProject',
        `${dir} is not a project opened in Slipway.`,
        'Slipway writes only into the folder of a project it has analysed. Open the folder first, then save again.',
      )
    const root = resolve(dir)
    const file = join(root, name)
    const target = await this.target(root, name, file)
    const current = await readFile(target.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null
      throw new SlipwayError('ReadFailed', `Could not read ${target.path}: ${e.message}`)
    })
    if (current !== expected)
      throw new SlipwayError(
        'FileChanged',
        `${name} changed on disk since you reviewed it.`,
        current === null ? 'It was deleted. Review the change again before saving.' : 'Review the new difference before saving; nothing was written.',
      )
    try {
      await writeFileAtomically(target.path, content, target.mode === null ? { mode: 0o666, umask: true } : { mode: target.mode })
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      throw new SlipwayError(
        'WriteFailed',
        `Could not write ${target.path}.`,
        err.code === 'EACCES' || err.code === 'EPERM' ? 'The folder is not writable for you.' : err.message,
      )
    }
  }

  /** The file to replace (a symlink's target inside the project) and the mode to keep (null: a new file). */
  private async target(root: string, name: string, file: string): Promise<{ path: string; mode: number | null }> {
    const info = await lstat(file).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null
      throw new SlipwayError('ReadFailed', `Could not read ${file}: ${e.message}`)
    })
    if (info === null) {
      const rootInfo = await lstat(root).catch(() => null)
      if (!rootInfo?.isDirectory()) throw new SlipwayError('NotFound', `The project folder ${root} does not exist.`, 'Open the project again.')
      return { path: file, mode: null }
    }
    if (info.isFile()) return { path: file, mode: info.mode & 0o7777 }
    if (!info.isSymbolicLink())
      throw new SlipwayError('NotAFile', `${file} is not a regular file.`, `Rename or remove it, then save again; Slipway writes ${name} only as a regular file.`)
    // Replacing the link would silently cut it; writing outside the project is never done.
    const [realRoot, real] = await Promise.all([realpath(root), realpath(file).catch(() => null)])
    const refuse = (why: string) =>
      new SlipwayError(
        'SymlinkNotWritten',
        `${name} is a symlink ${why}; Slipway did not write it.`,
        `Slipway writes only inside the project folder. Edit the file the link points to yourself, or replace the link with a regular ${name} and save again.`,
      )
    if (real === null) throw refuse('to a file that does not exist')
    const rel = relative(realRoot, real)
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw refuse(`to ${real}, outside the project`)
    const targetInfo = await lstat(real)
    if (!targetInfo.isFile()) throw refuse(`to ${real}, which is not a regular file`)
    return { path: real, mode: targetInfo.mode & 0o7777 }
  }
}
