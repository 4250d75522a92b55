import { readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ProjectFileName } from '../../shared/contract'
import { SlipwayError } from '../../shared/errors'
import { writeAtomically } from './settings'

/**
 * The only writes Slipway makes into a project folder: Dockerfile and .dockerignore, on an explicit,
 * confirmed action. The caller passes the content the user saw; if the file changed since, nothing
 * is written, so a concurrent edit is never overwritten silently.
 */
export async function writeProjectFile(dir: string, name: ProjectFileName, content: string, expected: string | null): Promise<void> {
  const root = resolve(dir)
  const info = await stat(root).catch(() => null)
  if (!info?.isDirectory()) throw new SlipwayError('NotFound', `The project folder ${root} does not exist.`, 'Open the project again.')
  const file = join(root, name)
  const current = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null
    throw new SlipwayError('ReadFailed', `Could not read ${file}: ${e.message}`)
  })
  if (current !== expected)
    throw new SlipwayError(
      'FileChanged',
      `${name} changed on disk since you reviewed it.`,
      current === null ? 'It was deleted. Review the change again before saving.' : 'Review the new difference before saving; nothing was written.',
    )
  try {
    await writeAtomically(file, content)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new SlipwayError(
      'WriteFailed',
      `Could not write ${file}.`,
      err.code === 'EACCES' || err.code === 'EPERM' ? 'The folder is not writable for you.' : err.message,
    )
  }
}
