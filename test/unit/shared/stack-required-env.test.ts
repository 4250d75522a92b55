// Up's check of what the program stops without: a required variable the stack's compose document
// leaves empty is named (with where the code reads it); one the person set, one the stack wires (the
// database URL, the listen port's variable) or one with a default is not.
import { describe, expect, it } from 'vitest'
import { composeStack, type StackChoices } from '../../../shared/stack/compose'
import { emptyRequiredVars, requiredWords } from '../../../shared/stack/required-env'
import type { EnvRead } from '../../../shared/types/project'
import { analysis, ev } from '../dockerfile/analysis'

const req = (name: string, line = 7): EnvRead => ({ name, required: true, evidence: [ev('main.go', line)] })
const choices = (env: Record<string, string> = {}): StackChoices => ({ appImage: 'slipway/x:scratch', projectName: 'slipway-x-abc', hostPort: 18080, dbHostPort: 15432, env })

describe('emptyRequiredVars', () => {
  const a = analysis({
    needs: {
      env: [req('GREETING', 31), req('DATABASE_URL', 9), req('PORT', 4), { name: 'MODE', fallback: 'dev', evidence: [ev('main.go', 5)] }, req('TOKEN', 12), req('GREETING', 40)],
      listen: [{ ...analysis().needs.listen[0]!, via: { kind: 'env', name: 'PORT' } }],
    },
  })
  const empty = (env?: Record<string, string>) => emptyRequiredVars(a, composeStack(a, choices(env)).compose.services.app.environment)

  it('names each required variable the stack leaves empty, once, where the code reads it', () => {
    expect(empty()).toEqual([
      { name: 'GREETING', at: 'main.go:31' },
      { name: 'TOKEN', at: 'main.go:12' },
    ])
    expect(requiredWords(empty())).toBe('GREETING (read at main.go:31) and TOKEN (read at main.go:12)')
  })

  it('is satisfied by a value the person gives (a space counts, as for `== ""`)', () => {
    expect(empty({ GREETING: 'hi', TOKEN: ' ' })).toEqual([])
    expect(empty({ GREETING: '' }).map((e) => e.name)).toEqual(['GREETING', 'TOKEN'])
  })

  it('reads names as plain keys (no prototype lookups)', () => {
    const b = analysis({ needs: { env: [req('constructor'), req('__proto__'), req('toString')] } })
    expect(emptyRequiredVars(b, {}).map((e) => e.name)).toEqual(['constructor', '__proto__', 'toString'])
    expect(requiredWords([{ name: 'A', at: null }])).toBe('A')
  })
})
