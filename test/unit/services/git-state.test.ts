// A project folder is untrusted: opening one must never run a command its .git/config names. Each
// attack below is armed for real (the control at the end of each test shows plain git running the
// payload), and gitState must leave no trace of it while still reading the commit and the tag.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGitRunner, findRepo, gitState } from '../../../electron/services/go-project/git'

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-git-'))
  temps.push(d)
  return d
}

/** Plain git, as a user's shell would run it: no protections (only the test machine's own config is kept out). */
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim()
/** Plain git where a failure (a payload that breaks the command) does not matter. */
const gitAnyway = (cwd: string, ...args: string[]) => {
  try {
    git(cwd, ...args)
  } catch {
    // The payload may make git fail; only its side effect is looked at.
  }
}

/** A repository with one commit tagged v1.0.0, and a folder outside it for markers. */
function repo(): { dir: string; marker: string; commit: string } {
  const dir = join(tempDir(), 'project')
  mkdirSync(dir)
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n')
  writeFileSync(join(dir, 'a.txt'), 'hello\n')
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.email', 'test@slipway.invalid')
  git(dir, 'config', 'user.name', 'Slipway Test')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'initial')
  git(dir, 'tag', 'v1.0.0')
  return { dir, marker: join(tempDir(), 'pwned'), commit: git(dir, 'rev-parse', 'HEAD') }
}

/** Same size, new mtime: git must re-read the file (through its filter) to know whether it changed. */
function touchTracked(dir: string) {
  const t = new Date(Date.now() - 3_600_000)
  utimesSync(join(dir, 'a.txt'), t, t)
}

const clean = (commit: string) => ({ tag: 'v1.0.0', commit: commit.slice(0, 7), dirty: false })

describe('gitState on a hostile repository runs nothing', () => {
  it('core.fsmonitor', async () => {
    const { dir, marker, commit } = repo()
    git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false`)
    expect(await gitState(dir)).toEqual(clean(commit))
    expect(existsSync(marker)).toBe(false)
    gitAnyway(dir, 'status')
    expect(existsSync(marker)).toBe(true) // armed: plain git runs it
  })

  it('a filter clean command named in .gitattributes', async () => {
    const { dir, marker, commit } = repo()
    git(dir, 'config', 'filter.x.clean', `touch '${marker}'; cat`)
    writeFileSync(join(dir, '.git', 'info', 'attributes'), '* filter=x\n')
    touchTracked(dir)
    expect(await gitState(dir)).toEqual(clean(commit))
    expect(existsSync(marker)).toBe(false)
    gitAnyway(dir, 'status')
    expect(existsSync(marker)).toBe(true)
  })

  it('a filter process, in .gitattributes of the working tree (which then shows as untracked)', async () => {
    const { dir, marker, commit } = repo()
    git(dir, 'config', 'filter.Evil.process', `touch '${marker}'`)
    writeFileSync(join(dir, '.gitattributes'), '* filter=Evil\n')
    touchTracked(dir)
    expect(await gitState(dir)).toEqual({ ...clean(commit), dirty: true })
    expect(existsSync(marker)).toBe(false)
    gitAnyway(dir, 'status')
    expect(existsSync(marker)).toBe(true)
  })

  it('a filter defined in an included config file', async () => {
    const { dir, marker, commit } = repo()
    const extra = join(tempDir(), 'extra.cfg')
    writeFileSync(extra, `[filter "inc"]\n\tclean = touch '${marker}'; cat\n`)
    git(dir, 'config', 'include.path', extra)
    writeFileSync(join(dir, '.git', 'info', 'attributes'), '* filter=inc\n')
    touchTracked(dir)
    expect(await gitState(dir)).toEqual(clean(commit))
    expect(existsSync(marker)).toBe(false)
    gitAnyway(dir, 'status')
    expect(existsSync(marker)).toBe(true)
  })

  it('core.hooksPath (post-index-change runs whenever git rewrites the index)', async () => {
    const { dir, marker, commit } = repo()
    const hooks = tempDir()
    writeFileSync(join(hooks, 'post-index-change'), `#!/bin/sh\ntouch '${marker}'\n`)
    chmodSync(join(hooks, 'post-index-change'), 0o755)
    git(dir, 'config', 'core.hooksPath', hooks)
    touchTracked(dir)
    expect(await gitState(dir)).toEqual(clean(commit))
    expect(existsSync(marker)).toBe(false)
    gitAnyway(dir, 'status')
    expect(existsSync(marker)).toBe(true)
  })

  it('diff.external and a textconv driver, with a changed file', async () => {
    const { dir, marker, commit } = repo()
    git(dir, 'config', 'diff.external', `sh -c "touch '${marker}'"`)
    git(dir, 'config', 'diff.x.textconv', `sh -c "touch '${marker}.textconv'; cat \\"\\$1\\"" --`)
    writeFileSync(join(dir, '.git', 'info', 'attributes'), '* diff=x\n')
    writeFileSync(join(dir, 'a.txt'), 'changed\n')
    expect(await gitState(dir)).toEqual({ tag: 'v1.0.0-dirty', commit: commit.slice(0, 7), dirty: true })
    expect(existsSync(marker)).toBe(false)
    expect(existsSync(`${marker}.textconv`)).toBe(false)
    gitAnyway(dir, 'diff')
    expect(existsSync(marker)).toBe(true)
  })

  it('a .git file pointing at a git dir with a hostile config', async () => {
    const { dir, marker, commit } = repo()
    const elsewhere = join(tempDir(), 'moved.git')
    execFileSync('mv', [join(dir, '.git'), elsewhere])
    writeFileSync(join(dir, '.git'), `gitdir: ${elsewhere}\n`)
    git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false`)
    expect(await gitState(dir)).toEqual(clean(commit))
    expect(existsSync(marker)).toBe(false)
  })

  it('a ref that points outside the repository is not followed', async () => {
    const { dir } = repo()
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: ../../../../etc/hostname\n')
    expect(await gitState(dir)).toBeNull()
  })
})

describe('gitState reads commit and tag from the files', () => {
  it('a tag on an ancestor is no tag (VERSION falls back to the commit); dirty flags tracked and untracked changes', async () => {
    const { dir } = repo()
    writeFileSync(join(dir, 'a.txt'), 'second\n')
    git(dir, 'commit', '-q', '-am', 'second')
    const head = git(dir, 'rev-parse', 'HEAD')
    expect(await gitState(dir)).toEqual({ tag: null, commit: head.slice(0, 7), dirty: false })
    writeFileSync(join(dir, 'new.txt'), 'x')
    expect(await gitState(dir)).toEqual({ tag: null, commit: head.slice(0, 7), dirty: true })
    git(dir, 'tag', 'v1.1.0')
    expect(await gitState(dir)).toEqual({ tag: 'v1.1.0', commit: head.slice(0, 7), dirty: true })
    writeFileSync(join(dir, 'a.txt'), 'third\n')
    expect((await gitState(dir))?.tag).toBe('v1.1.0-dirty')
  })

  it('prefers an annotated tag, then the highest version; follows packed-refs', async () => {
    const { dir, commit } = repo()
    git(dir, 'tag', 'v1.10.0')
    expect((await gitState(dir))?.tag).toBe('v1.10.0')
    git(dir, 'tag', '-a', 'release/2', '-m', 'annotated')
    expect((await gitState(dir))?.tag).toBe('release/2')
    git(dir, 'pack-refs', '--all')
    expect(readdirSync(join(dir, '.git', 'refs', 'tags'))).toEqual([])
    expect(await gitState(dir)).toEqual({ tag: 'release/2', commit: commit.slice(0, 7), dirty: false })
  })

  it('reads annotated tag objects from a pack, deltified or not', async () => {
    const { dir, commit } = repo()
    const message = Array.from({ length: 200 }, (_, i) => `line ${i} of a long and repetitive release note`).join('\n')
    for (const v of ['v2.0.0', 'v2.0.1', 'v2.0.2']) git(dir, 'tag', '-a', v, '-m', `${v}\n\n${message}`)
    git(dir, 'repack', '-a', '-d', '-f', '--window=50', '--depth=50')
    git(dir, 'prune-packed')
    const loose = readdirSync(join(dir, '.git', 'objects')).filter((d) => /^[0-9a-f]{2}$/.test(d))
    expect(loose).toEqual([])
    const pack = readdirSync(join(dir, '.git', 'objects', 'pack')).find((f) => f.endsWith('.idx'))!
    const verify = git(dir, 'verify-pack', '-v', join('.git', 'objects', 'pack', pack))
    expect(verify.split('\n').filter((l) => / tag .* \d+ [0-9a-f]{40}$/.test(l)).length).toBeGreaterThan(0) // some tag is a delta
    expect(await gitState(dir)).toEqual({ tag: 'v2.0.2', commit: commit.slice(0, 7), dirty: false })
    // Without the newest (the delta base, as git picks it), the others are read through their deltas.
    git(dir, 'tag', '-d', 'v2.0.2')
    expect((await gitState(dir))?.tag).toBe('v2.0.1')
    git(dir, 'tag', '-d', 'v2.0.1')
    expect((await gitState(dir))?.tag).toBe('v2.0.0')
  })

  it('a detached HEAD, a linked worktree and a subfolder', async () => {
    const { dir, commit } = repo()
    writeFileSync(join(dir, 'a.txt'), 'second\n')
    git(dir, 'commit', '-q', '-am', 'second')
    git(dir, 'checkout', '-q', '--detach', 'v1.0.0')
    expect(await gitState(dir)).toEqual(clean(commit))
    git(dir, 'checkout', '-q', 'main')
    const wt = join(tempDir(), 'wt')
    git(dir, 'worktree', 'add', '-q', '--detach', wt, 'v1.0.0')
    const repoOf = await findRepo(wt)
    expect(repoOf?.commonDir).toBe(join(dir, '.git'))
    expect(await gitState(wt)).toEqual(clean(commit))
    mkdirSync(join(dir, 'cmd'))
    expect((await gitState(join(dir, 'cmd')))?.commit).toBe(git(dir, 'rev-parse', '--short=7', 'HEAD'))
  })

  it('is null outside a repository and before the first commit; without git only dirty is unknown (false)', async () => {
    const plain = tempDir()
    expect(await gitState(plain)).toBeNull()
    git(plain, 'init', '-q')
    expect(await gitState(plain)).toBeNull()
    const { dir, commit } = repo()
    writeFileSync(join(dir, 'new.txt'), 'x')
    expect(await gitState(dir, createGitRunner('slipway-no-such-git-binary'))).toEqual(clean(commit))
    expect(await gitState(dir, null)).toEqual(clean(commit))
  })
})
