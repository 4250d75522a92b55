import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { joinArgs, splitArgs } from '../../../shared/run/args'
import { isSecretName, parseEnvAssignment, parsePortMapping } from '../../../shared/run/env'

describe('splitArgs', () => {
  it('splits on whitespace, groups quotes, keeps shell syntax literal', () => {
    expect(splitArgs(`-addr :9090  --name "a b" 'it''s' $(rm -rf /) ; *`)).toEqual(['-addr', ':9090', '--name', 'a b', 'its', '$(rm', '-rf', '/)', ';', '*'])
    expect(splitArgs(`"" a\\ b "x\\"y"`)).toEqual(['', 'a b', 'x"y'])
    expect(splitArgs('   ')).toEqual([])
    expect(splitArgs('"open')).toBeNull()
  })
  it('round-trips any argument list through joinArgs', () => {
    fc.assert(fc.property(fc.array(fc.string()), (args) => {
        expect(splitArgs(joinArgs(args))).toEqual(args)
      }))
  })
})

describe('run variables and ports', () => {
  it('masks names that usually hold secrets', () => {
    for (const n of ['DATABASE_URL', 'DB_PASSWORD', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'SENTRY_DSN', 'PRIVATE_KEY']) expect(isSecretName(n), n).toBe(true)
    for (const n of ['PORT', 'TZ_NAME', 'LOG_LEVEL', 'DATABASE_HOST']) expect(isSecretName(n), n).toBe(false)
  })
  it('parses K=V and HOST:CTR strictly', () => {
    expect(parseEnvAssignment('A=b=c')).toEqual({ name: 'A', value: 'b=c' })
    expect(parseEnvAssignment('1A=b')).toBeNull()
    expect(parsePortMapping('8081:8080')).toEqual({ host: 8081, container: 8080 })
    expect(parsePortMapping('8080')).toEqual({ host: 8080, container: 8080 })
    expect(parsePortMapping('0:80')).toBeNull()
    expect(parsePortMapping('127.0.0.1:80:80')).toBeNull()
  })
})
