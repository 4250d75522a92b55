import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** How the new file's permissions are set. */
export interface AtomicWriteOptions {
  /**
   * Permission bits of the file. Applied exactly (chmod), so an existing file keeps its mode and a
   * private file stays private whatever the umask; with `umask: true` the umask applies, as for any
   * new file a person creates.
   */
  mode: number
  umask?: boolean
}

/**
 * Writes a whole file or nothing: a temp file next to it, fsync, rename. A crash mid-write leaves
 * the old file in place. The folder must exist. With an exact mode the temp file is created private
 * (0600) and gets its mode only once complete, so nobody reads a half-written private file either.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array, opts: AtomicWriteOptions): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, 'wx', opts.umask ? opts.mode & 0o666 : 0o600)
  try {
    try {
      await handle.writeFile(data)
      if (!opts.umask) await handle.chmod(opts.mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, file)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}
