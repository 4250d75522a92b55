// The project-file writer on real temp folders: it writes only into roots analysed in this process,
// keeps a file's mode, and never turns a symlinked Dockerfile into a private regular file.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GoProjects } from '../../../electron/services/go-project'
import { ProjectFiles } from '../../../electron/services/project-files'

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-files-'))
  temps.push(d)
  return d
}

/** A small Go project in a temp folder (with `files` added), analysed by a real GoProjects, and the writer wired to it. */
async function opened(files: Record<string, string> = {}) {
  const dir = join(tempDir(), 'app')
  mkdirSync(dir)
  writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.23\n')
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n')
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const projects = new GoProjects({ git: null })
  await projects.analyze(dir)
  return { dir, projects, writer: new ProjectFiles((d) => projects.isAnalysedRoot(d)) }
}

const mode = (p: string) => statSync(p).mode & 0o7777
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: Error & { detail?: string }) => e)

describe('ProjectFiles.write', () => {
  it('writes only into a project root analysed in this process', async () => {
    const { dir, writer } = await opened()
    const elsewhere = tempDir()
    writeFileSync(join(elsewhere, 'Dockerfile'), 'FROM old\n')
    const e = await errorOf(writer.write(elsewhere, 'Dockerfile', 'FROM evil\n', 'FROM old\n'))
    expect(e?.name).toBe('NotAProject')
    expect(e?.message).toContain(elsewhere)
    expect(readFileSync(join(elsewhere, 'Dockerfile'), 'utf8')).toBe('FROM old\n')
    // Not a subfolder, not a relative path, not a fresh instance that analysed nothing.
    mkdirSync(join(dir, 'sub'))
    expect((await errorOf(writer.write(join(dir, 'sub'), 'Dockerfile', 'x', null)))?.name).toBe('NotAProject')
    expect((await errorOf(writer.write(relative(process.cwd(), dir), 'Dockerfile', 'x', null)))?.name).toBe('NotAProject')
    expect((await errorOf(new ProjectFiles((d) => new GoProjects().isAnalysedRoot(d)).write(dir, 'Dockerfile', 'x', null)))?.name).toBe('NotAProject')
    expect(readdirSync(dir).sort()).toEqual(['go.mod', 'main.go', 'sub'])
    // The root it analysed, also written with a trailing slash.
    await writer.write(`${dir}/`, 'Dockerfile', 'FROM scratch\n', null)
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n')
  })

  it('keeps the mode of an existing file, and gives a new file the usual mode (umask), not 0600', async () => {
    const { dir, writer } = await opened({ Dockerfile: 'FROM a\n' })
    chmodSync(join(dir, 'Dockerfile'), 0o664)
    await writer.write(dir, 'Dockerfile', 'FROM b\n', 'FROM a\n')
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM b\n')
    expect(mode(join(dir, 'Dockerfile'))).toBe(0o664)
    chmodSync(join(dir, 'Dockerfile'), 0o640)
    await writer.write(dir, 'Dockerfile', 'FROM c\n', 'FROM b\n')
    expect(mode(join(dir, 'Dockerfile'))).toBe(0o640)

    const usual = join(dir, 'usual')
    writeFileSync(usual, '') // how the umask treats a new file here
    await writer.write(dir, '.dockerignore', '.git\n', null)
    expect(mode(join(dir, '.dockerignore'))).toBe(mode(usual))
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('writes through a symlink to a file inside the project, keeping the link and the target mode', async () => {
    const { dir, writer } = await opened()
    mkdirSync(join(dir, 'docker'))
    writeFileSync(join(dir, 'docker', 'Dockerfile.prod'), 'FROM a\n')
    chmodSync(join(dir, 'docker', 'Dockerfile.prod'), 0o644)
    symlinkSync('docker/Dockerfile.prod', join(dir, 'Dockerfile'))
    await writer.write(dir, 'Dockerfile', 'FROM b\n', 'FROM a\n')
    expect(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(dir, 'Dockerfile'))).toBe('docker/Dockerfile.prod')
    expect(readFileSync(join(dir, 'docker', 'Dockerfile.prod'), 'utf8')).toBe('FROM b\n')
    expect(mode(join(dir, 'docker', 'Dockerfile.prod'))).toBe(0o644)
  })

  it('refuses a symlink that points outside the project or nowhere, and leaves both alone', async () => {
    const { dir, writer } = await opened()
    const outside = join(tempDir(), 'Dockerfile')
    writeFileSync(outside, 'FROM a\n')
    symlinkSync(outside, join(dir, 'Dockerfile'))
    const e = await errorOf(writer.write(dir, 'Dockerfile', 'FROM evil\n', 'FROM a\n'))
    expect(e?.name).toBe('SymlinkNotWritten')
    expect(e?.message).toContain(`to ${outside}, outside the project`)
    expect(e?.detail).toMatch(/replace the link with a regular Dockerfile/)
    expect(readFileSync(outside, 'utf8')).toBe('FROM a\n')
    expect(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink()).toBe(true)

    symlinkSync('missing', join(dir, '.dockerignore'))
    expect((await errorOf(writer.write(dir, '.dockerignore', 'x', null)))?.message).toContain('does not exist')
    expect(lstatSync(join(dir, '.dockerignore')).isSymbolicLink()).toBe(true)
  })

  it('refuses when the file changed since it was reviewed, and a folder in its place', async () => {
    const { dir, writer } = await opened({ Dockerfile: 'FROM edited\n' })
    const e = await errorOf(writer.write(dir, 'Dockerfile', 'FROM b\n', 'FROM a\n'))
    expect(e?.name).toBe('FileChanged')
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM edited\n')
    mkdirSync(join(dir, '.dockerignore'))
    expect((await errorOf(writer.write(dir, '.dockerignore', 'x', null)))?.name).toBe('NotAFile')
  })
})
