// The build context as the engine receives it: what the .dockerignore keeps (with Docker's own
// matching, exceptions included), symlinks as links, no sockets or fifos, the in-memory Dockerfile
// added under its own name, and the project folder never written.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { extract } from 'tar-stream'
import { measureContext, packContext } from '../../../../electron/services/build/context'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-ctx-'))
  dirs.push(d)
  mkdirSync(join(d, 'cmd', 'api'), { recursive: true })
  mkdirSync(join(d, 'node_modules', 'x'), { recursive: true })
  mkdirSync(join(d, 'docs'), { recursive: true })
  writeFileSync(join(d, 'go.mod'), 'module example.com/a\n')
  writeFileSync(join(d, 'main.go'), 'package main\n')
  writeFileSync(join(d, 'cmd', 'api', 'main.go'), 'package main\n')
  writeFileSync(join(d, 'node_modules', 'x', 'big.js'), 'x'.repeat(50_000))
  writeFileSync(join(d, 'docs', 'a.md'), 'a')
  writeFileSync(join(d, 'docs', 'keep.md'), 'k')
  writeFileSync(join(d, '.env'), 'SECRET=1')
  writeFileSync(join(d, 'Dockerfile'), 'FROM hand-written\n')
  symlinkSync('main.go', join(d, 'link.go'))
  execFileSync('mkfifo', [join(d, 'pipe')])
  return d
}

async function entries(tar: NodeJS.ReadableStream): Promise<Map<string, { type: string; body: string; linkname?: string }>> {
  const out = new Map<string, { type: string; body: string; linkname?: string }>()
  const ex = extract()
  ex.on('entry', (h, s, next) => {
    const parts: Buffer[] = []
    s.on('data', (c: unknown) => void parts.push(c as Buffer))
    s.on('end', () => {
      out.set(h.name, { type: h.type ?? 'file', body: Buffer.concat(parts).toString(), ...(h.linkname ? { linkname: h.linkname } : {}) })
      next()
    })
  })
  const done = new Promise<void>((r) => ex.on('finish', () => r()))
  tar.pipe(ex)
  await done
  return out
}

describe('packContext', () => {
  it('sends what the .dockerignore keeps, links as links, and the Dockerfile in memory', async () => {
    const d = project()
    const before = readdirSync(d).sort()
    const tar = packContext(d, { dockerfile: 'FROM scratch\n', dockerfileName: '.slipway-dockerfile', dockerignore: 'node_modules\n.env\ndocs\n!docs/keep.md\n# comment\n' })
    const got = await entries(tar as unknown as NodeJS.ReadableStream)
    expect([...got.keys()].sort()).toEqual(['.slipway-dockerfile', 'Dockerfile', 'cmd', 'cmd/api', 'cmd/api/main.go', 'docs/keep.md', 'go.mod', 'link.go', 'main.go'])
    expect(got.get('.slipway-dockerfile')?.body).toBe('FROM scratch\n')
    expect(got.get('Dockerfile')?.body).toBe('FROM hand-written\n') // the project's own file is left alone
    expect(got.get('link.go')).toMatchObject({ type: 'symlink', linkname: 'main.go' })
    expect(readdirSync(d).sort()).toEqual(before)
  })

  it('adds a .dockerignore naming itself and the Dockerfile for the classic builder', async () => {
    const d = project()
    const got = await entries(packContext(d, { dockerfile: 'FROM x', dockerfileName: '.df', dockerignore: 'node_modules', forEngine: true }) as unknown as NodeJS.ReadableStream)
    expect(got.get('.dockerignore')?.body).toBe('node_modules\n.dockerignore\n.df\n')
  })
})

describe('measureContext', () => {
  it('sums the files a build sends and names the biggest', async () => {
    const d = project()
    const all = await measureContext(d, '')
    expect(all.biggest[0]).toEqual({ path: 'node_modules/x/big.js', bytes: 50_000 })
    const kept = await measureContext(d, 'node_modules\n')
    expect(all.bytes - kept.bytes).toBe(50_000)
    expect(kept.files).toBe(all.files - 1)
  })
})
