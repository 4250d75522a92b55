// The recipes over the real analyzer's findings for every Go fixture: every base, both builders.
// (Building and running them on the engine is the integration suite's job.)
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BASE_CATALOG, builtinBase, recommendBase } from '../../../shared/dockerfile/bases'
import { generateRecipe } from '../../../shared/dockerfile/generate'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { GoProjects } from '../../../electron/services/go-project'
import { copySources, expectSoundRecipe, finalStage, ignoredBy } from './recipe-checks'

const FIXTURES = join(import.meta.dirname, '../../fixtures/go')
const names = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
const analyses = new Map<string, ProjectAnalysis>()

beforeAll(async () => {
  const projects = new GoProjects({ git: null })
  for (const n of names) analyses.set(n, await projects.analyze(join(FIXTURES, n)))
})

const fx = (name: string) => analyses.get(name) as ProjectAnalysis
const recipe = (name: string, base = recommendBase(fx(name)).id as Parameters<typeof builtinBase>[0], buildkit = true) =>
  generateRecipe(fx(name), { base: builtinBase(base), buildkit })

describe('recipes for the Go fixtures', () => {
  it('cover every fixture', () => {
    expect(names.length).toBeGreaterThanOrEqual(10)
  })

  it('are sound on every base with both builders, and copy only files that exist', () => {
    for (const n of names) {
      for (const base of BASE_CATALOG) {
        for (const buildkit of [true, false]) {
          const r = generateRecipe(fx(n), { base, buildkit })
          expectSoundRecipe(r)
          for (const src of copySources(r.dockerfile)) {
            const path = src.replace(/\*$/, '')
            if (path !== '.' && !src.endsWith('*')) expect(existsSync(join(FIXTURES, n, path)), `${n}: ${src}`).toBe(true)
          }
        }
      }
    }
  })

  it('copy present run-time files and skip the missing one (config-file)', () => {
    const fin = finalStage(recipe('config-file').dockerfile)
    expect(fin).toContain('COPY config.yaml /app/config.yaml')
    expect(fin).toContain('COPY templates/page.html /app/templates/page.html')
    expect(fin.join('\n')).not.toContain('motd.txt')
  })

  it('set the address variable of a loopback-only program (localhost-bind)', () => {
    expect(finalStage(recipe('localhost-bind').dockerfile)).toContain('ENV ADDR=:8080')
  })

  it('stamp commit but not a flag-backed version (version-flag)', () => {
    const df = recipe('version-flag').dockerfile
    expect(df).toContain('-X main.commit=${COMMIT}')
    expect(df).not.toContain('-X main.version')
  })

  it('bring CA certificates to scratch only when needed, and tz data wherever zones are loaded', () => {
    const cert = 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/'
    expect(recipe('https-client', 'scratch').dockerfile).toContain(cert)
    expect(recipe('plain-server', 'scratch').dockerfile).not.toContain(cert)
    expect(recipe('tz-lookup', 'scratch').dockerfile).toContain('-tags=timetzdata')
    // Embedded on every base (one binary for all); distroless' own zone files are read first.
    expect(recipe('tz-lookup', 'distroless-static').dockerfile).toContain('-tags=timetzdata')
  })

  it('build without go.mod, from vendor/, with cgo, and for the toolchain line', () => {
    expect(recipe('no-gomod').dockerfile).toContain('go mod init')
    expect(recipe('vendored').dockerfile).toContain('-mod=vendor')
    expect(recipe('vendored').dockerfile).not.toContain('go mod download')
    const cgo = recipe('cgo')
    expect(cgo.dockerfile).toContain('CGO_ENABLED=1')
    expect(cgo.dockerfile).toContain('FROM gcr.io/distroless/base-debian12:nonroot')
    expect(recipe('toolchain').dockerfile).toContain('golang:1.23-bookworm AS build')
  })

  it('keep embedded files in the build context (embed)', () => {
    const r = recipe('embed')
    for (const e of fx('embed').needs.embeds) expect(ignoredBy(r.dockerignore, e.file)).toBe(false)
    expect(ignoredBy(r.dockerignore, 'static/index.html')).toBe(false)
  })
})
