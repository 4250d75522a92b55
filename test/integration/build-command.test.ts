// The `docker build` commands the project page offers, run as a person pastes them: through a shell,
// with the docker CLI, against the real engine. The -f - form builds the preview although the
// project has no Dockerfile; the plain form builds the file on disk, and refuses when there is none.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { GoProjects } from '../../electron/services/go-project'
import { buildCommand } from '../../shared/dockerfile/build-command'
import { generateRecipe } from '../../shared/dockerfile/generate'
import { TEST_BUILDER, testBase } from '../support/build-image'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const TAG = `slipway-it/build-command:${Date.now().toString(36)}${process.pid}`
const tmp = mkdtempSync(join(tmpdir(), 'slipway-build-command-'))
afterAll(async () => {
  await run('docker', ['image', 'rm', '-f', TAG]).catch(() => undefined)
  rmSync(tmp, { recursive: true, force: true })
})

describe('the copied build command', () => {
  it('builds the preview with -f - when nothing is saved, and the plain form needs the file', async () => {
    const dir = join(tmp, 'hello api')
    cpSync(join(ROOT, 'examples/hello-api'), dir, { recursive: true })
    const analysis = await new GoProjects().analyze(dir)
    expect(analysis.existing.dockerfile).toBeNull()
    // The classic builder: the docker CLI here cannot use BuildKit (no buildx plugin).
    const recipe = generateRecipe(analysis, { base: testBase('distroless-static'), builderImage: TEST_BUILDER, buildkit: false })
    const plain = buildCommand(recipe.buildArgs, dir, { buildkit: false, tag: TAG })
    const err = await run('sh', ['-c', plain], { cwd: tmp }).catch((e: { code: number; stderr: string }) => e)
    expect(err).toMatchObject({ code: expect.any(Number) })
    expect((err as { stderr: string }).stderr).toMatch(/Dockerfile/)

    const preview = buildCommand(recipe.buildArgs, dir, { buildkit: false, tag: TAG, dockerfile: recipe.dockerfile })
    await run('sh', ['-c', preview], { cwd: tmp, maxBuffer: 64 * 1024 * 1024 })
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{json .Config.Entrypoint}}', TAG])
    expect(stdout).toContain('/app/')
  }, 300_000)
})
