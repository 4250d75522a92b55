// The dev stack's compose document: the database variable the code reads gets the URL, the other
// variables their defaults (with `$` kept literal through compose's interpolation), the password
// only as an interpolation from the env file, ports on loopback, the app waiting for a healthy
// database. Hostile analyses (any variable names and defaults) never add a key, a service or a
// line outside `app.environment`, and never a value that compose would interpolate.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  composeProjectName,
  composeStack,
  databaseVariables,
  DEFAULT_POSTGRES_IMAGE,
  isComposeProjectName,
  passwordFromEnvFile,
  PASSWORD_VAR,
  pgIdentifier,
  postgresVersionOf,
  STACK_DIR_LABEL,
  stackEnvFile,
  withPostgresVersion,
  type StackChoices,
} from '../../../shared/stack/compose'
import type { EnvRead } from '../../../shared/types/project'
import { analysis, ev } from '../dockerfile/analysis'
import { HOSTILE_FRAGMENTS } from '../dockerfile/hostile'

const env = (name: string, fallback?: string): EnvRead => ({ name, ...(fallback === undefined ? {} : { fallback }), evidence: [ev('main.go', 5)] })
const choices = (extra: Partial<StackChoices> = {}): StackChoices => ({ appImage: 'slipway/hello:distroless-static', projectName: 'slipway-hello-abc', hostPort: 18080, dbHostPort: 15432, ...extra })
const URL = `postgres://app:\${${PASSWORD_VAR}}@db:5432/hello?sslmode=disable`

describe('composeStack', () => {
  it('wires DATABASE_URL, the other defaults, loopback ports, the healthcheck and the volume', () => {
    const a = analysis({ needs: { env: [env('DATABASE_URL'), env('PORT', '8080'), env('TZ_NAME', 'UTC')], listen: [{ ...analysis().needs.listen[0]!, via: { kind: 'env', name: 'PORT' } }] } })
    const s = composeStack(a, choices())
    expect(s.databaseVars).toEqual(['DATABASE_URL'])
    expect(s.volume).toBe('slipway-hello-abc_db-data')
    expect(s.notices).toEqual([])
    const doc = parse(s.yaml)
    expect(doc).toEqual(JSON.parse(JSON.stringify(s.compose)))
    expect(Object.keys(doc).sort()).toEqual(['services', 'volumes'])
    expect(doc.services.app).toEqual({
      image: 'slipway/hello:distroless-static',
      environment: { DATABASE_URL: URL, PORT: '8080', TZ_NAME: 'UTC' },
      labels: { 'org.slipway.stack': '1' },
      ports: ['127.0.0.1:18080:8080'],
      depends_on: { db: { condition: 'service_healthy' } },
    })
    expect(doc.services.db).toMatchObject({
      image: DEFAULT_POSTGRES_IMAGE,
      environment: { POSTGRES_DB: 'hello', POSTGRES_USER: 'app', POSTGRES_PASSWORD: `\${${PASSWORD_VAR}}` },
      ports: ['127.0.0.1:15432:5432'],
      volumes: ['db-data:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'app', '-d', 'hello', '-h', '127.0.0.1'] },
    })
    expect(doc.volumes).toEqual({ 'db-data': {} })
  })

  it('uses the name the code reads: DB_URL, POSTGRES_DSN, a prefixed one, or libpq variables', () => {
    const vars = (...names: string[]) => composeStack(analysis({ needs: { env: names.map((n) => env(n)) } }), choices())
    expect(vars('DB_URL').compose.services.app.environment).toMatchObject({ DB_URL: URL })
    expect(vars('POSTGRES_DSN', 'HOME').databaseVars).toEqual(['POSTGRES_DSN'])
    expect(vars('MYAPP_DATABASE_URL').databaseVars).toEqual(['MYAPP_DATABASE_URL'])
    const pg = vars('PGHOST', 'PGPASSWORD', 'PGDATABASE')
    expect(pg.databaseVars).toEqual(['PGHOST', 'PGPASSWORD', 'PGDATABASE'])
    expect(pg.compose.services.app.environment).toMatchObject({ PGHOST: 'db', PGPORT: '5432', PGUSER: 'app', PGPASSWORD: `\${${PASSWORD_VAR}}`, PGDATABASE: 'hello', PGSSLMODE: 'disable' })
    const none = vars('HOME')
    expect(none.databaseVars).toEqual(['DATABASE_URL'])
    expect(none.notices.join()).toMatch(/no database variable/)
    expect(databaseVariables(analysis({ needs: { env: [env('DSN'), env('DATABASE_URL')] } })).url).toEqual(['DATABASE_URL', 'DSN'])
  })

  it('keeps a default literal ($ escaped) and leaves out names that are not variable names', () => {
    const s = composeStack(analysis({ needs: { env: [env('GREETING', 'cost: $5 ${HOME}'), env('BAD-NAME', 'x'), env('__proto__', 'p'), env('constructor', 'c')] } }), choices())
    const app = s.compose.services.app.environment
    expect(app.GREETING).toBe('cost: $$5 $${HOME}')
    expect(Object.hasOwn(app, '__proto__') && Object.hasOwn(app, 'constructor')).toBe(true)
    expect(Object.getPrototypeOf(app)).toBe(Object.prototype)
    expect(app).not.toHaveProperty('BAD-NAME')
    expect(s.notices.join()).toMatch(/"BAD-NAME" is not a plain variable name/)
  })

  it('refuses an invalid image, project name, identifier or variable override from the caller', () => {
    const a = analysis()
    expect(() => composeStack(a, choices({ postgresImage: 'Postgres:16' }))).toThrow(/Postgres image/)
    expect(() => composeStack(a, choices({ appImage: 'x y' }))).toThrow(/app image/)
    expect(() => composeStack(a, choices({ projectName: 'Slipway' }))).toThrow(/project name/)
    expect(() => composeStack(a, choices({ dbUser: 'a;b' }))).toThrow(/database user/)
    expect(() => composeStack(a, choices({ env: { [PASSWORD_VAR]: 'x' } }))).toThrow(/cannot be set/)
    expect(() => composeStack(a, choices({ hostPort: 0 }))).toThrow(/port/)
    expect(() => composeStack(a, choices({ dbHostPort: 18080 }))).toThrow(/both be published on port 18080/)
    const withUrl = analysis({ needs: { env: [env('DATABASE_URL'), env('GREETING', 'hi')] } })
    expect(() => composeStack(withUrl, choices({ env: { DATABASE_URL: 'postgres://elsewhere' } }))).toThrow(/DATABASE_URL is wired/)
    expect(composeStack(withUrl, choices({ env: { GREETING: 'hello' } })).compose.services.app.environment.GREETING).toBe('hello')
    expect(composeStack(a, choices({ postgresImage: 'slipway-test/postgres:15' })).compose.services.db.image).toBe('slipway-test/postgres:15')
  })

  it('labels both services with the project folder, literally, or leaves a path with a control character out', () => {
    const s = composeStack(analysis(), choices({ dir: '/home/me/$HOME/app' }))
    for (const svc of ['app', 'db'] as const) expect(s.compose.services[svc].labels).toEqual({ 'org.slipway.stack': '1', [STACK_DIR_LABEL]: '/home/me/$$HOME/app' })
    const bad = composeStack(analysis(), choices({ dir: '/tmp/a\nb' }))
    expect(bad.compose.services.app.labels).toEqual({ 'org.slipway.stack': '1' })
    expect(bad.notices.join()).toMatch(/control character/)
  })

  it('never lets a hostile analysis add a key, a service, a line or an interpolation', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...HOSTILE_FRAGMENTS),
      fc.tuple(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 6 })).map((p) => p.join('')),
      fc.constantFrom('__proto__', 'constructor', 'services', 'volumes', 'db', PASSWORD_VAR, 'DATABASE_URL', 'PGHOST', '\nservices:\n  evil:\n    image: x'),
    )
    const read = fc.record({ name: text, fallback: fc.option(text, { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(read, { maxLength: 8 }), text, (reads, name) => {
        const a = analysis({ name, needs: { env: reads.map((r) => env(r.name, r.fallback)) } })
        const s = composeStack(a, choices({ dir: `/p/${name}` }))
        const doc = parse(s.yaml)
        expect(doc).toEqual(JSON.parse(JSON.stringify(s.compose)))
        expect(Object.keys(doc).sort()).toEqual(['services', 'volumes'])
        expect(Object.keys(doc.services).sort()).toEqual(['app', 'db'])
        expect(Object.keys(doc.services.app).sort()).toEqual(['depends_on', 'environment', 'image', 'labels', 'ports'])
        for (const v of Object.values(doc.services.app.labels as Record<string, string>)) expect(v.replaceAll('$$', '')).not.toContain('$')
        expect(doc.services.db.environment.POSTGRES_PASSWORD).toBe(`\${${PASSWORD_VAR}}`)
        // Every key is a variable name; the only interpolation anywhere is the password's.
        for (const [k, v] of Object.entries(doc.services.app.environment as Record<string, string>)) {
          expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/)
          expect(v.replaceAll('$$', '').replaceAll(`\${${PASSWORD_VAR}}`, '')).not.toContain('$')
          expect(v).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u)
        }
        // Only the header comment mentions the name, on one line.
        expect(s.yaml.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(1)
        expect(s.yaml).not.toMatch(/^\s*evil:/m)
      }),
      { numRuns: 300 },
    )
  })
})

describe('Postgres versions', () => {
  it('swaps the major version and keeps the repository and suffix; offers none for a digest or latest', () => {
    expect(withPostgresVersion('postgres:16-alpine', '15')).toBe('postgres:15-alpine')
    expect(withPostgresVersion('mirror.corp:5000/lib/postgres:16.4-bookworm', '17')).toBe('mirror.corp:5000/lib/postgres:17-bookworm')
    expect(withPostgresVersion('slipway-test/postgres:15', '16')).toBe('slipway-test/postgres:16')
    expect(withPostgresVersion('postgres:latest', '16')).toBeNull()
    expect(withPostgresVersion('postgres', '16')).toBeNull()
    expect(withPostgresVersion(`postgres:16@sha256:${'a'.repeat(64)}`, '15')).toBeNull()
    expect(withPostgresVersion('postgres:16', '1x')).toBeNull()
    expect(postgresVersionOf('postgres:16-alpine')).toBe('16')
    expect(postgresVersionOf('mirror.corp:5000/postgres')).toBeNull()
  })
})

describe('names and the env file', () => {
  it('makes compose project names and Postgres identifiers from any project name', () => {
    expect(composeProjectName('Hello API', 'ABCDEF0123456789')).toBe('slipway-hello-api-abcdef012345')
    expect(composeProjectName('élan/../$(x)', '')).toBe('slipway-lan-x-0')
    fc.assert(fc.property(fc.string(), fc.string(), (n, k) => isComposeProjectName(composeProjectName(n, k))))
    expect(pgIdentifier('hello-api')).toBe('hello_api')
    expect(pgIdentifier('9lives')).toBe('db_9lives')
    expect(pgIdentifier('$$$')).toBe('app')
  })

  it('writes and reads back only a password that needs no quoting', () => {
    const pw = 'a'.repeat(12) + '_-Z9'
    expect(passwordFromEnvFile(stackEnvFile(pw))).toBe(pw)
    expect(() => stackEnvFile('short')).toThrow(/password/)
    expect(() => stackEnvFile('has a space and more')).toThrow(/password/)
    expect(passwordFromEnvFile('OTHER=1\n')).toBeNull()
  })
})
