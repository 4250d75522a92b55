import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { analyzeCommand, cliDetail } from '../../../electron/cli/analyze'
import { GoProjects } from '../../../electron/services/go-project'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'go')
const tmp = mkdtempSync(join(tmpdir(), 'slipway-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function run(dir: string, opts: { json?: boolean; main?: string } = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await analyzeCommand(dir, opts, { out: (t) => out.push(t), err: (t) => err.push(t) }, new GoProjects({ git: null }))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('slipway analyze', () => {
  it('prints module, mains, needs with file:line evidence, and notices', async () => {
    const dir = join(tmp, 'localhost-bind')
    cpSync(join(FIXTURES, 'localhost-bind'), dir, { recursive: true })
    const r = await run(dir)
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out).toMatch(/^Project +localhost-bind {2}\(.*localhost-bind\)$/m)
    expect(r.out).toMatch(/^Module +example\.com\/localhost-bind {2}\(go\.mod:1\)$/m)
    expect(r.out).toMatch(/^\* \. +→ localhost-bind +version: none; commit: none$/m)
    expect(r.out).toContain('    127.0.0.1:8080  LOOPBACK ONLY, set by env ADDR (also flag -addr)  main.go:19')
    expect(r.out).toContain('    ADDR (default "127.0.0.1:8080")  main.go:13')
    expect(r.out).toContain('  warning The program listens on 127.0.0.1:8080 by default: inside a container that is unreachable from outside.  (main.go:19)')
  })

  it('prints JSON that parses back to the analysis', async () => {
    const dir = join(tmp, 'multi-main')
    cpSync(join(FIXTURES, 'multi-main'), dir, { recursive: true })
    const r = await run(dir, { json: true, main: 'tools/migrate' })
    expect(r.code).toBe(0)
    const a = JSON.parse(r.out) as { selectedMain: string; mains: { dir: string }[] }
    expect(a.selectedMain).toBe('tools/migrate')
    expect(a.mains.map((m) => m.dir)).toEqual(['api/services/users', 'tools/migrate'])
  })

  it('names the module of each main in a subfolder, and how a go.work is built', async () => {
    const nested = await run(join(FIXTURES, 'nested-modules'), { main: 'tools/gen' })
    expect(nested.out).toMatch(/^Module +example\.com\/nested\/gen {2}\(tools\/gen\/go\.mod:1\)$/m)
    expect(nested.out).toMatch(/^ {2}cmd\/api +→ api +version: none; commit: none; module cmd\/api\/$/m)
    expect(nested.out).toMatch(/^\* tools\/gen +→ gen +version: none; commit: none; module tools\/gen\/$/m)
    expect((await run(join(FIXTURES, 'workspace-inside'))).out).toMatch(/^go\.work +go\.work:1 {2}\(kept: every module it uses is inside the folder\)$/m)
    expect((await run(join(FIXTURES, 'workspace'))).out).toMatch(/^go\.work +go\.work:1 {2}\(GOWORK=off: the module is built alone\)$/m)
  })

  it('exits 1 with the message and the advice on bad input', async () => {
    const r = await run(join(tmp, 'missing'))
    expect(r).toEqual({ code: 1, out: '', err: `${join(tmp, 'missing')} does not exist.\nCheck the path.` })
    const m = await run(join(FIXTURES, 'cli-tool'), { main: 'cmd/nope' })
    expect(m).toEqual({ code: 1, out: '', err: 'There is no main package in "cmd/nope".\nMain packages in this project: . (the root folder).' })
  })
})

describe('slipway analyze, advice for a command line', () => {
  it('does not suggest a folder picker, and refuses an empty path instead of analysing the current folder', async () => {
    expect((await run(join(tmp, 'missing'))).err).not.toMatch(/picker/)
    expect(await run('')).toEqual({ code: 1, out: '', err: 'No folder given.\nGive the path of a Go project folder.' })
  })
})

describe('notice advice on the command line', () => {
  it('points at --main where the app points at its Main menu', () => {
    const n = { code: 'several-mains', severity: 'info', message: '2 main packages (cmd/api, cmd/worker); the needs shown are for cmd/api.', detail: 'Pick another one to see its needs.' } as const
    expect(cliDetail(n)).toBe('Pick another one to see its needs. Use --main FOLDER, e.g. --main cmd/api.')
    expect(cliDetail({ ...n, code: 'other' })).toBe('Pick another one to see its needs.')
  })
})
