import { execFile } from 'node:child_process'
import type { GitState } from '../../../shared/types/project'

/** Runs `git ARGS` in `cwd` and resolves with stdout; rejects when git is missing or fails. */
export type GitRunner = (args: string[], cwd: string) => Promise<string>

/** Runs the git binary `bin` through execFile (no shell), with optional locks off so `status` never writes to .git. */
export const createGitRunner =
  (bin = 'git'): GitRunner =>
  (args, cwd) =>
    new Promise((resolve, reject) => {
      execFile(
        bin,
        args,
        { cwd, timeout: 10_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      )
    })

/** The `git` on PATH. */
export const runGit: GitRunner = createGitRunner()

/**
 * Tag (`git describe --tags`, with `-dirty` when tracked files changed, as `--dirty` would add),
 * short commit and dirty state of the repository that holds `dir`. null when `dir` is not in a git
 * repository, the repository has no commit yet, or git is not installed. `dirty` counts untracked
 * files under `dir` too (as Go's own vcs.modified does). `describe --dirty` itself is not used: it
 * refreshes the index, which writes into .git.
 */
export async function gitState(dir: string, run: GitRunner = runGit): Promise<GitState | null> {
  let commit: string
  try {
    commit = (await run(['rev-parse', '--short', 'HEAD'], dir)).trim()
  } catch {
    return null
  }
  if (!/^[0-9a-f]{4,64}$/.test(commit)) return null
  const [described, status] = await Promise.all([
    run(['describe', '--tags'], dir).then(
      (s) => s.trim() || null,
      () => null,
    ),
    run(['status', '--porcelain', '--', '.'], dir).then(
      (s) => s.split('\n').filter((l) => l.trim() !== ''),
      () => [],
    ),
  ])
  const trackedChanges = status.some((l) => !l.startsWith('??'))
  const tag = described === null ? null : trackedChanges ? `${described}-dirty` : described
  return { tag, commit, dirty: status.length > 0 }
}
