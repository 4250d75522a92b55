import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** The docker CLI's output lines for `args` (no empty ones), sorted: for before/after comparisons of the engine. */
export async function dockerLines(args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('docker', args)
  return stdout.split('\n').filter(Boolean).sort()
}
