// Reads from a project folder for the stack (its compose file, the files Export would replace, its
// initdb SQL): regular files only, inside the folder, size-capped. A symlink is followed only when
// its target stays inside the project, so a link to ~/.ssh or /etc never reaches a container or a
// compose file; everything else is said, never silently used.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'

/** What reading a project file found: its text, or null with why (null `problem`: it does not exist). */
export interface ProjectText {
  text: string | null
  problem: string | null
}

/** Whether `real` lies inside `rootReal` (both real paths). */
function inside(rootReal: string, real: string): boolean {
  const rel = relative(rootReal, real)
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

/** The text of `rel` (a path under `root` with `/`), if it is a regular file inside the project no larger than `maxBytes`. */
export async function readProjectText(root: string, rel: string, maxBytes = 512 * 1024): Promise<ProjectText> {
  const abs = join(root, ...rel.split('/'))
  const info = await lstat(abs).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? null : e))
  if (info === null) return { text: null, problem: null }
  if (info instanceof Error) return { text: null, problem: `${rel} cannot be read (${info.code ?? info.message}).` }
  let target = abs
  if (info.isSymbolicLink()) {
    const [rootReal, real] = await Promise.all([realpath(root), realpath(abs).catch(() => null)])
    if (real === null || !inside(rootReal, real)) return { text: null, problem: `${rel} is a symlink to a place outside the project; Slipway does not read it.` }
    target = real
  }
  const st = info.isSymbolicLink() ? await lstat(target) : info
  if (!st.isFile()) return { text: null, problem: `${rel} is not a regular file.` }
  if (st.size > maxBytes) return { text: null, problem: `${rel} is larger than ${Math.round(maxBytes / 1024)} KiB; Slipway does not read it.` }
  try {
    return { text: await readFile(target, 'utf8'), problem: null }
  } catch (e) {
    return { text: null, problem: `${rel} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).` }
  }
}

/** The folders whose `*.sql` files Postgres can run at a new database's first start. */
export const INITDB_FOLDERS = ['initdb', 'schema', 'migrations', 'db/init', 'db/schema', 'db/migrations'] as const
const MAX_SQL_FILES = 100
const MAX_DEPTH = 2

/**
 * The `*.sql` files under the initdb-like folders of `root` (at most two levels down, at most 100),
 * as project-relative paths in name order. Only regular files: a symlink (file or folder) is skipped
 * and named in `skipped`, as is a path that could not be written safely into a compose file.
 */
export async function findInitdbSql(root: string, safePath: (rel: string) => boolean): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = []
  const skipped: string[] = []
  const walk = async (rel: string, depth: number): Promise<void> => {
    const entries = await readdir(join(root, ...rel.split('/')), { withFileTypes: true }).catch(() => [])
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (files.length >= MAX_SQL_FILES) return
      const path = `${rel}/${e.name}`
      if (e.isSymbolicLink()) {
        if (e.name.endsWith('.sql') || depth < MAX_DEPTH) skipped.push(`${path} (a symlink)`)
      } else if (e.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1)
      else if (e.isFile() && e.name.toLowerCase().endsWith('.sql')) {
        if (safePath(path)) files.push(path)
        else skipped.push(`${path} (a name that cannot be written into a compose file)`)
      }
    }
  }
  const rootReal = await realpath(root)
  for (const folder of INITDB_FOLDERS) {
    const abs = join(root, ...folder.split('/'))
    const info = await lstat(abs).catch(() => null)
    if (info?.isSymbolicLink()) skipped.push(`${folder} (a symlink)`)
    if (!info?.isDirectory()) continue
    // `db` itself may be a link out of the project: the folder's real path must stay inside.
    const real = await realpath(abs).catch(() => null)
    if (real === null || !inside(rootReal, real)) skipped.push(`${folder} (outside the project)`)
    else await walk(folder, 1)
  }
  return { files, skipped }
}
