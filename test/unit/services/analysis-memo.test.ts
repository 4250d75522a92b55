import { execFileSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AnalysisMemo, folderFingerprint, RACY_MS } from '../../../electron/services/go-project/analysis-memo'
import { GoProjects } from '../../../electron/services/go-project'
import { hardenedGitEnv } from '../../../electron/services/go-project/git'

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'hello-api')

describe('analysing once while the folder is unchanged', () => {
  let tmp: string
  let dir: string
  let calls: number
  let memo: AnalysisMemo
  // The memo's clock runs ahead, so the files just written are not "racy" (see RACY_MS) unless a test says so.
  let ahead: number
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'slipway-memo-'))
    dir = join(tmp, 'app')
    cpSync(EXAMPLE, dir, { recursive: true })
    calls = 0
    ahead = 10 * RACY_MS
    const projects = new GoProjects({ git: null })
    memo = new AnalysisMemo(
      {
        analyze: (d, o) => {
          calls++
          return projects.analyze(d, o)
        },
      },
      () => Date.now() + ahead,
    )
  })
  afterEach(() => rmSync(tmp, { recursive: true, force: true }))

  it('answers again from the memo, and shares one analysis between concurrent asks', async () => {
    const [a, b] = await Promise.all([memo.analyze(dir), memo.analyze(dir)])
    const c = await memo.analyze(dir)
    expect(calls).toBe(1)
    expect(b).toBe(a)
    expect(c).toBe(a)
    expect(memo.hits).toBe(2)
    // Other options are another analysis.
    await memo.analyze(dir, { main: '.' })
    expect(calls).toBe(2)
  })

  it('analyses again after an edit, even one that keeps the size and the mtime', async () => {
    const first = await memo.analyze(dir)
    const file = join(dir, 'main.go')
    const { atime, mtime } = statSync(file)
    // Same length, same mtime: only the ctime (and the bytes) tell.
    writeFileSync(file, readFileSync(file, 'utf8').replace('hello', 'HELLO'))
    utimesSync(file, atime, mtime)
    const second = await memo.analyze(dir)
    expect(calls).toBe(2)
    expect(second).not.toBe(first)
  })

  it('analyses again when a file appears anywhere, hidden folders and vendor included', async () => {
    await memo.analyze(dir)
    mkdirSync(join(dir, 'vendor'))
    await memo.analyze(dir)
    writeFileSync(join(dir, 'vendor', 'modules.txt'), '# nothing\n')
    await memo.analyze(dir)
    mkdirSync(join(dir, '.hidden'))
    await memo.analyze(dir)
    expect(calls).toBe(4)
    await memo.analyze(dir)
    expect(calls).toBe(4)
  })

  it('keeps nothing made while files are racy (changed within RACY_MS), and nothing that failed', async () => {
    ahead = 0
    await memo.analyze(dir)
    await memo.analyze(dir)
    expect(calls).toBe(2)
    ahead = 10 * RACY_MS
    const empty = join(tmp, 'empty')
    mkdirSync(empty)
    await expect(memo.analyze(empty)).rejects.toMatchObject({ name: 'NotAGoProject' })
    await expect(memo.analyze(empty)).rejects.toMatchObject({ name: 'NotAGoProject' })
    expect(calls).toBe(4)
  })

  it('sees a commit, a new tag and a staged change in a repository above the folder', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: tmp, env: hardenedGitEnv() })
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'one')
    const fp = async () => (await folderFingerprint(dir, () => Date.now() + ahead))?.value
    const before = await fp()
    expect(await fp()).toBe(before)
    git('tag', 'v1.0.0')
    const tagged = await fp()
    expect(tagged).not.toBe(before)
    appendFileSync(join(tmp, 'README'), 'x')
    git('add', 'README')
    const staged = await fp()
    expect(staged).not.toBe(tagged)
    git('commit', '-qm', 'two')
    expect(await fp()).not.toBe(staged)
    // A .gitignore between the repository's top and the folder decides what is untracked.
    const quiet = await fp()
    writeFileSync(join(tmp, '.gitignore'), 'touch.go\n')
    expect(await fp()).not.toBe(quiet)
  })
})
