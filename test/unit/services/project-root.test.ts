// What Slipway says about a folder it cannot open as a project: each message names what is
// actually wrong, in words that hold in the app and in the CLI alike.
import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { analyzeCommand } from '../../../electron/cli/analyze'
import { GoProjects, nodeProjectFs, type ProjectFs } from '../../../electron/services/go-project'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) {
    chmodSync(d, 0o755)
    rmSync(d, { recursive: true, force: true })
  }
})

/** A temp Go project: go.mod and a main package. */
function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-root-'))
  temps.push(d)
  writeFileSync(join(d, 'go.mod'), 'module example.com/r\n\ngo 1.23\n')
  writeFileSync(join(d, 'main.go'), 'package main\nfunc main() {}\n')
  return d
}

const projects = new GoProjects({ git: null })
/** The error analyze() rejects with, as {name, message, detail}. */
const failure = (dir: string, p = projects) =>
  p.analyze(dir).then(
    () => 'analysed',
    (e: Error & { detail?: string }) => ({ name: e.name, message: e.message, detail: e.detail }),
  )

describe('folders that are not one project', () => {
  it('refuses / as the whole file system', async () => {
    expect(await failure('/')).toEqual({
      name: 'FolderTooBroad',
      message: '/ is the whole file system, not a project folder.',
      detail: 'Open the folder that holds the go.mod (or main.go) of the program you want to containerize.',
    })
  })

  it('refuses the home folder itself, and a symlink to it, but not a project inside it', async () => {
    expect(await failure(homedir())).toMatchObject({ name: 'FolderTooBroad', message: `${homedir()} is your home folder, not a project folder.` })
    const link = join(project(), 'home-link')
    symlinkSync(homedir(), link)
    expect(await failure(link)).toMatchObject({ name: 'FolderTooBroad', message: `${homedir()} is your home folder, not a project folder.` })
    const link2 = join(project(), 'root-link')
    symlinkSync('/', link2)
    expect(await failure(link2)).toMatchObject({ name: 'FolderTooBroad', message: '/ is the whole file system, not a project folder.' })
  })

  it('refuses an empty or blank path instead of analysing the current folder', async () => {
    for (const dir of ['', '   ']) expect(await failure(dir)).toEqual({ name: 'BadRequest', message: 'No folder given.', detail: 'Give the path of a Go project folder.' })
  })
})

describe('folders that cannot be opened', () => {
  it('a missing folder does not exist, with advice that holds outside the app too (no folder picker)', async () => {
    const dir = join(project(), 'nope')
    expect(await failure(dir)).toEqual({ name: 'NotFound', message: `${dir} does not exist.`, detail: 'Check the path.' })
  })

  it('a symlink loop is a loop, not a folder that does not exist', async () => {
    const base = project()
    symlinkSync(join(base, 'b'), join(base, 'a'))
    symlinkSync(join(base, 'a'), join(base, 'b'))
    expect(await failure(join(base, 'a'))).toMatchObject({
      name: 'SymlinkLoop',
      message: `${join(base, 'a')} is a symlink that leads back to itself (a loop), so there is no folder to open.`,
    })
  })

  it('a folder whose name is not UTF-8 says so (the command line hands Slipway the name with �)', async () => {
    const base = project()
    const raw = Buffer.concat([Buffer.from(`${base}/svc-`), Buffer.from([0xff, 0xfe])])
    mkdirSync(raw)
    writeFileSync(Buffer.concat([raw, Buffer.from('/main.go')]), 'package main\nfunc main() {}\n')
    const asTyped = raw.toString('utf8')
    expect(asTyped).toContain('\uFFFD')
    expect(await failure(asTyped)).toMatchObject({ name: 'PathNotUtf8', message: expect.stringContaining('its name is not valid UTF-8') })
    // The CLI prints the same reason, not "does not exist".
    const err: string[] = []
    expect(await analyzeCommand(asTyped, {}, { out: () => undefined, err: (t) => err.push(t) }, projects)).toBe(1)
    expect(err.join('\n')).toMatch(/not valid UTF-8/)
    expect(err.join('\n')).not.toMatch(/does not exist/)
  })

  it('a path through a file says part of it is a file', async () => {
    const dir = join(project(), 'main.go', 'x')
    expect(await failure(dir)).toMatchObject({ name: 'NotADirectory', message: `${dir} cannot be a folder: part of that path is a file.` })
  })

  it('a root folder that cannot be read (injected EACCES) is a permission problem, not "no Go source files"', async () => {
    const dir = project()
    const fs: ProjectFs = {
      ...nodeProjectFs,
      list: (p) => (String(p) === dir ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) : nodeProjectFs.list(p)),
    }
    expect(await failure(dir, new GoProjects({ fs, git: null }))).toMatchObject({
      name: 'PermissionDenied',
      message: `Slipway may not read the folder ${dir} (permission denied).`,
      detail: expect.stringContaining('chmod u+rx'),
    })
  })

  // Root reads a chmod 000 folder anyway, so as root the real case runs in a child process as `nobody`.
  it('a root folder that cannot be read (real chmod 000), through the CLI', async () => {
    const dir = project()
    chmodSync(dir, 0o000)
    const script = `import { analyzeCommand } from ${JSON.stringify(join(ROOT, 'electron/cli/analyze.ts'))}
const lines = []
const code = await analyzeCommand(${JSON.stringify(dir)}, {}, { out: () => {}, err: (t) => lines.push(t) })
console.log(JSON.stringify({ code, lines }))`
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      ...asNobody,
      env: { ...process.env, HOME: tmpdir() },
    })
    const r = JSON.parse(stdout) as { code: number; lines: string[] }
    expect(r.code).toBe(1)
    expect(r.lines.join('\n')).toMatch(new RegExp(`^Slipway may not read the folder ${dir} \\(permission denied\\)\\.`))
  }, 30_000)
})
