// The pure parts of the stack's project files: a project's own compose file read as untrusted input
// (services listed, what it would do to this computer said, bad files given a problem, never thrown),
// and the exported compose.yaml/.env.example (nothing secret or machine-specific in them).
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { composeStack } from '../../../shared/stack/compose'
import { exportStack, initdbName } from '../../../shared/stack/export'
import { readProjectCompose } from '../../../shared/stack/project-compose'
import type { ProjectAnalysis } from '../../../shared/types/project'

const DIR = '/home/dev/shop'

describe('readProjectCompose', () => {
  it('lists services with their image, build and ports', () => {
    const r = readProjectCompose('services:\n  api:\n    build: ./api\n    ports: ["127.0.0.1:8080:8080"]\n  db:\n    image: postgres:16\n', DIR)
    expect(r).toEqual({
      problem: null,
      warnings: [],
      services: [
        { name: 'api', image: null, build: './api', ports: ['127.0.0.1:8080:8080'] },
        { name: 'db', image: 'postgres:16', build: null, ports: [] },
      ],
    })
  })

  it('says what a file would do to this computer', () => {
    const text = `
x-common: &c
  privileged: true
services:
  a:
    image: x
    <<: *c
    pid: host
    cap_add: [SYS_ADMIN]
    devices: ["/dev/sda:/dev/sda"]
    volumes:
      - /var/run/docker.sock:/s
      - ~/.ssh:/ssh
      - \${HOME}:/h
      - ./data:/data
      - ../other:/o
      - type: bind
        source: /etc
        target: /e
      - disguised:/d
    ports: ["8080:80", "127.0.0.1:9090:90"]
    env_file: ../secrets.env
    build: ..
volumes:
  disguised:
    driver_opts: { type: none, o: bind, device: / }
`
    const w = readProjectCompose(text, DIR).warnings.join('\n')
    for (const re of [
      /a runs privileged/,
      /host's processes/,
      /adds capabilities: "SYS_ADMIN"/,
      /gets devices/,
      /Docker socket/,
      /"~\/.ssh".*home folder/,
      /"\$\{HOME\}"/,
      /"\/home\/dev\/other" from this computer, outside the project folder/,
      /"\/etc" from this computer/,
      /the whole file system/,
      /publishes "8080:80" on every network interface/,
      /reads variables from "..\/secrets.env"/,
      /built from "..", outside/,
    ])
      expect(w).toMatch(re)
    expect(w).not.toMatch(/\/data/)
    expect(w).not.toMatch(/9090/)
  })

  it('gives a problem, never an exception, for what is not a runnable compose file', () => {
    expect(readProjectCompose('services: [oops', DIR).problem).toMatch(/not valid YAML/)
    expect(readProjectCompose('- a\n- b\n', DIR).problem).toMatch(/no mapping/)
    expect(readProjectCompose('version: "3"\n', DIR).problem).toMatch(/no services/)
    expect(readProjectCompose('services:\n  "a b":\n    image: x\n', DIR).problem).toMatch(/not a plain compose service name/)
    // A "billion laughs" document is refused, not expanded.
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'services: { s: { image: x } }'].join('\n')
    expect(readProjectCompose(laughs, DIR).problem).toMatch(/cannot be read/)
  })
})

describe('exportStack', () => {
  const analysis = {
    name: 'shop',
    needs: {
      listen: [{ host: '', port: 8080, via: { kind: 'literal' }, loopbackOnly: false, evidence: { file: 'main.go', line: 1 } }],
      env: [
        { name: 'DATABASE_URL', evidence: [] },
        { name: 'API_TOKEN', fallback: 'dev-token', evidence: [] },
        { name: 'GREETING', fallback: 'hi $USER', evidence: [] },
      ],
    },
  } as unknown as ProjectAnalysis
  const def = composeStack(analysis, {
    appImage: 'slipway/shop:distroless-static',
    projectName: 'slipway-shop-abc',
    hostPort: 18080,
    dbHostPort: 15432,
    dir: '/home/dev/shop',
    envFile: { source: '/home/dev/.config/Slipway/stacks/abc/app.env', target: '/app/.env' },
    initdb: [{ source: '/home/dev/shop/schema/001.sql', name: 'schema_001.sql' }],
  })

  it('writes no secret and nothing of this computer, and interpolates what differs per person', () => {
    const out = exportStack(def, { projectName: 'shop', hostPort: 18080, dbHostPort: 15432, envFileMount: '/app/.env', initdb: ['schema/001.sql'] })
    expect(out.composeYaml).not.toMatch(/\/home\/dev|org\.slipway|SLIPWAY_DB_PASSWORD|dev-token/)
    const doc = parse(out.composeYaml) as { services: Record<string, { environment: Record<string, string>; ports: string[]; volumes?: string[] }> }
    const { app, db } = doc.services as Record<'app' | 'db', { environment: Record<string, string>; ports: string[]; volumes?: string[] }>
    expect(app.environment.DATABASE_URL).toBe('postgres://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/shop?sslmode=disable')
    expect(app.environment.API_TOKEN).toBe('${API_TOKEN:-}')
    // A `$` the person meant stays escaped for compose.
    expect(app.environment.GREETING).toBe('hi $$USER')
    expect(app.ports).toEqual(['127.0.0.1:${APP_PORT:-18080}:8080'])
    expect(app.volumes).toEqual(['./.env:/app/.env:ro'])
    expect(db.ports).toEqual(['127.0.0.1:${DB_PORT:-15432}:5432'])
    expect(db.volumes).toEqual(['db-data:/var/lib/postgresql/data', './schema/001.sql:/docker-entrypoint-initdb.d/schema_001.sql:ro'])
    expect(out.envExample).toBe('# Copy to .env (keep .env out of version control) and fill in. Read by compose.yaml.\nPOSTGRES_PASSWORD=change-me\nAPP_PORT=18080\nDB_PORT=15432\nAPI_TOKEN=\n')
  })

  it('names initdb files so their folders keep the order', () => {
    expect(initdbName('schema/001_init.sql')).toBe('schema_001_init.sql')
  })
})
