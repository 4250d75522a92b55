// Checks every recipe must pass, whatever the scenario: shared by the matrix test and the others.
import ignore from '@balena/dockerignore'
import { expect } from 'vitest'
import type { Recipe } from '../../../shared/dockerfile/generate'
import { lintDockerfile } from '../../../shared/dockerfile/lint'
import { parseDockerfile } from '../../../shared/dockerfile/parse'
import { validateDockerfile } from '../../../shared/dockerfile/validate'

/** The context paths a Dockerfile's COPY/ADD instructions read (not `--from` copies). */
export function copySources(dockerfile: string): string[] {
  return parseDockerfile(dockerfile)
    .instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !('from' in i.flags))
    .flatMap((i) => {
      const parts = i.rest.startsWith('[') ? (JSON.parse(i.rest) as string[]) : i.rest.split(/\s+/)
      return parts.slice(0, -1)
    })
}

/** Lines of the final stage (after the last FROM). */
export function finalStage(dockerfile: string): string[] {
  const lines = dockerfile.split('\n')
  const from = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).pop() ?? 0
  return lines.slice(from)
}

/** A literal .dockerignore check with Docker's own matching rules (@balena/dockerignore is a port of them). */
export function ignoredBy(dockerignore: string, path: string): boolean {
  return ignore()
    .add(dockerignore.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')))
    .ignores(path)
}

/** What holds for every recipe on every base. */
export function expectSoundRecipe(r: Recipe): void {
  const df = r.dockerfile
  // The text and the explained lines are the same document.
  expect(r.lines.map((l) => l.text).join('\n') + '\n').toBe(df)
  for (const l of r.lines) if (l.text.trim() !== '') expect(l.why, `no why for: ${l.text}`).not.toBe('')
  // No validator errors or warnings, and nothing from our own rules.
  expect(validateDockerfile(df)).toEqual([])
  expect(lintDockerfile(df)).toEqual([])
  expect(df).not.toMatch(/^#\s*syntax\s*=/m)
  expect(df).not.toMatch(/:latest\b/)
  const fin = finalStage(df)
  expect(fin).toContain('USER 65532:65532')
  expect(fin.some((l) => /^ENTRYPOINT \["\/app\/[\w.-]+"\]$/.test(l))).toBe(true)
  expect(fin.join('\n')).not.toMatch(/\b(apt-get|apk|apt)\b|^RUN /m)
  // Every COPY source survives the .dockerignore.
  for (const src of copySources(df)) {
    const path = src.replace(/\*$/, '').replace(/^\.\/?$/, '')
    if (path !== '') expect(ignoredBy(r.dockerignore, path), `${src} is ignored`).toBe(false)
  }
}
