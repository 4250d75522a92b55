// One analysis per action: a stack's proposal (its app image choice and the preflight of the build it
// would need) and a stack's build are prepared from the analysis the action made first, and the
// app's Build — a preflight, then the build — is answered once by the services' analysis memo while
// the folder is unchanged. Counted on the real analyser; nothing is built, started or published.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnalyzeOptions } from '../../shared/contract'
import { Builds } from '../../electron/services/build/builds'
import { BuildHistory } from '../../electron/services/build/history'
import { AnalysisMemo } from '../../electron/services/go-project/analysis-memo'
import { Stacks } from '../../electron/services/stacks/stacks'
import { testServices, type TestServices } from '../support/services'

const ROOT = join(import.meta.dirname, '..', '..')

describe('one analysis per action', () => {
  let t: TestServices
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-once-'))
  const dir = join(tmp, `it-once-${Date.now().toString(36)}${process.pid}`)
  let analyses = 0
  let builds: Builds
  let stacks: Stacks

  beforeAll(async () => {
    cpSync(join(ROOT, 'examples', 'hello-api'), dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, 'module example.com/it-once'))
    t = await testServices()
    const projects = {
      analyze: (d: string, o?: AnalyzeOptions) => {
        analyses++
        return t.services.projects.analyze(d, o)
      },
    }
    const settings = async () => (await t.services.settings.load()).settings
    builds = new Builds({ engine: t.services.engine, projects, settings, history: new BuildHistory(join(t.dataDir, 'once-history')), emit: t.rec.emit, appVersion: 'test' })
    stacks = new Stacks({ engine: t.services.engine, dataDir: t.dataDir, emit: t.rec.emit, projects, builds, settings })
  })
  afterAll(() => {
    t.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('a stack proposal analyses the project once (its image choice and its preflight included)', async () => {
    analyses = 0
    const proposal = await stacks.propose(dir)
    expect(proposal.app.action).toBe('build')
    expect(analyses).toBe(1)
  })

  it("the app's Build analyses once: the build takes the preflight's analysis from the memo", async () => {
    let inner = 0
    // The memo's clock runs ahead: the files were copied just now, and a fingerprint taken within
    // RACY_MS of a change is not trusted (the services' memo would analyse twice, correctly).
    const memo = new AnalysisMemo({ analyze: (d, o) => (inner++, t.services.projects.analyze(d, o)) }, () => Date.now() + 60_000)
    const settings = async () => (await t.services.settings.load()).settings
    const b = new Builds({ engine: t.services.engine, projects: memo, settings, history: new BuildHistory(join(t.dataDir, 'once-history')), emit: t.rec.emit, appVersion: 'test' })
    expect(await b.preflight(dir, { base: 'scratch' })).toEqual([])
    const prepared = await b.prepare(dir, { base: 'scratch' })
    expect(inner).toBe(1)
    expect(memo.hits).toBe(1)
    // An edit between the two is seen.
    writeFileSync(join(dir, 'extra.go'), 'package main\n')
    expect((await b.prepare(dir, { base: 'scratch' })).analysis).not.toBe(prepared.analysis)
    expect(inner).toBe(2)
  })
})
