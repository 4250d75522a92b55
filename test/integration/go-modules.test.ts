// Modules that are not (only) the folder's root, built for real with the generated recipe on the
// real engine and run: a go.work whose every `use` is inside the folder (kept: the import only
// go.work resolves builds), a go.work with no root go.mod (the main of a used module, built with
// `go -C api` in the workspace), and a folder with no go.mod whose mains sit in nested modules (each
// built from its module folder, its run-time file copied from there). Stdlib-only fixtures on
// scratch: each build is small, and a second run hits the BuildKit cache.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { GoProjects } from '../../electron/services/go-project'
import { resolveBases } from '../../shared/dockerfile/bases'
import { generateRecipe } from '../../shared/dockerfile/generate'
import { buildImage } from '../support/docker-build'

const run = promisify(execFile)
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'go')
const RUN = `${Date.now().toString(36)}-${process.pid}`
const LABELS = { 'org.slipway.it': 'go-modules', 'org.slipway.it.run': RUN }
const docker = new Dockerode()
const scratch = resolveBases([]).bases.find((b) => b.id === 'scratch')
const projects = new GoProjects({ git: null })
const tags: string[] = []

afterAll(async () => {
  if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
})

async function buildAndRun(fixture: string, main?: string): Promise<{ dockerfile: string; stdout: string }> {
  if (!scratch) throw new Error('no scratch base')
  const dir = join(FIXTURES, fixture)
  const analysis = await projects.analyze(dir, main ? { main } : {})
  const recipe = generateRecipe(analysis, { base: scratch, buildkit: true, builderImage: 'slipway-test/golang:1.23', version: 'v0.0.0-it', commit: 'abc1234' })
  expect(recipe.notices.filter((n) => n.severity === 'error')).toEqual([])
  const tag = `slipway-it/go-modules-${fixture}-${(main ?? 'default').replace(/\//g, '-')}:${RUN}`
  tags.push(tag)
  await buildImage(docker, { contextDir: dir, dockerfile: recipe.dockerfile, dockerignore: recipe.dockerignore, tag, buildkit: true, buildArgs: recipe.buildArgs, labels: LABELS })
  const { stdout } = await run('docker', ['run', '--rm', '--label', `org.slipway.it.run=${RUN}`, tag])
  return { dockerfile: recipe.dockerfile, stdout }
}

describe('workspaces and nested modules, built and run', () => {
  it('a go.work using only folders inside: kept, and the import only it resolves builds', async () => {
    const r = await buildAndRun('workspace-inside')
    expect(r.dockerfile).not.toContain('GOWORK')
    expect(r.stdout.trim()).toBe('hello from the workspace, every module inside')
  }, 300_000)

  it('a go.work with no root go.mod: the used module’s main, built with go -C in the workspace', async () => {
    const r = await buildAndRun('workspace-nomod')
    expect(r.dockerfile).toContain('go -C api build')
    expect(r.dockerfile).not.toContain('GOWORK')
    expect(r.stdout.trim()).toBe('wslib from api, built in its workspace')
  }, 300_000)

  it('no go.mod at the root: each nested module’s main builds from its folder, with its run-time file', async () => {
    const api = await buildAndRun('nested-modules')
    expect(api.dockerfile).toContain('go -C cmd/api build')
    expect(api.dockerfile).toContain('COPY cmd/api/greeting.txt /app/greeting.txt')
    expect(api.stdout.trim()).toBe('hello from cmd/api')
    const gen = await buildAndRun('nested-modules', 'tools/gen')
    expect(gen.dockerfile).toContain('go -C tools/gen build')
    expect(gen.stdout.trim()).toBe('gen: one two')
  }, 300_000)
})
