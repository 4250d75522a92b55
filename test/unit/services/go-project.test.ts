import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { createGitRunner, GoProjects, nodeProjectFs, type ProjectFs } from '../../../electron/services/go-project'
import { ScanPool } from '../../../electron/services/go-project/scan-pool'
import { workerModuleUrl } from '../../../electron/services/worker-start'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'go')
const temps: string[] = []

const locked: string[] = []
afterEach(() => {
  // Undo chmod 000 so the cleanup can recurse.
  for (const d of locked.splice(0)) chmodSync(d, 0o755)
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
}, 120_000)

function tempDir(base = tmpdir()): string {
  const d = mkdtempSync(join(base, 'slipway-go-'))
  temps.push(d)
  return d
}

/** A copy of a fixture in a temp dir: outside this repo (so not inside its git work tree), and safe to change. */
function fixture(name: string): string {
  const d = join(tempDir(), name)
  cpSync(join(FIXTURES, name), d, { recursive: true })
  return d
}

/** Writes {path: content} under a new temp dir. */
function tree(files: Record<string, string | Buffer>): string {
  const d = tempDir()
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true })
    writeFileSync(join(d, p), content)
  }
  return d
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).trim()

/** The git-repo fixture as a real repository: init, commit, tag v1.2.3 (in a temp copy: no nested .git in this repo). */
function gitFixture(): string {
  const d = fixture('git-repo')
  git(d, 'init', '-q', '-b', 'main')
  git(d, 'config', 'user.email', 'test@slipway.invalid')
  git(d, 'config', 'user.name', 'Slipway Test')
  git(d, 'add', '.')
  git(d, 'commit', '-q', '-m', 'initial')
  git(d, 'tag', 'v1.2.3')
  return d
}

const projects = new GoProjects()
const analyze = (dir: string, main?: string) => projects.analyze(dir, main === undefined ? {} : { main })
const at = (file: string, line: number) => ({ file, line })
/** Evidence without its display text, to compare file:line exactly. */
function places<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'text' ? undefined : x))) as T
}
const codes = (a: ProjectAnalysis) => a.notices.map((n) => `${n.severity}:${n.code}`)
const NO_NEEDS = { cgo: [], caCerts: [], tzdata: [], embedsTzdata: false, embeds: [], runtimeFiles: [], listen: [], env: [], requiredArgs: [], requiredFlags: [] }
const stdlibModule = (path: string, evidenceLine = 1) => ({ path, goVersion: '1.23', toolchain: null, requires: [], replaces: [], evidence: at('go.mod', evidenceLine) })
const noVendor = { present: false, consistent: false, problems: [] }

describe('GoProjects.analyze on the fixtures', () => {
  it('plain-server: listens on :8080 (fixed), version and commit can be stamped', async () => {
    const dir = fixture('plain-server')
    const a = await analyze(dir)
    expect(places(a)).toMatchObject({
      root: dir,
      name: 'plain-server',
      module: stdlibModule('example.com/plain-server'),
      hasGoSum: false,
      goWork: null,
      vendor: noVendor,
      mains: [{ dir: '.', binary: 'plain-server', files: ['main.go'], version: { kind: 'string', evidence: at('main.go', 11) }, commit: { kind: 'string', evidence: at('main.go', 12) } }],
      selectedMain: '.',
      needs: { ...NO_NEEDS, listen: [{ port: 8080, host: '', loopbackOnly: false, via: { kind: 'literal' }, evidence: at('main.go', 20) }] },
      git: null,
      existing: { dockerfile: null, dockerignore: null },
      notices: [],
      stats: { files: 2, goFiles: 1 },
    })
    expect(a.needs.listen[0]?.evidence.text).toBe('log.Fatal(http.ListenAndServe(":8080", mux))')
  })

  it('multi-main: finds mains outside cmd/, follows the module’s imports, and switches with main', async () => {
    const dir = fixture('multi-main')
    const a = await analyze(dir)
    expect(places(a.mains)).toEqual([
      { dir: 'api/services/users', binary: 'users', files: ['api/services/users/main.go'], version: { kind: 'missing' }, commit: { kind: 'missing' } },
      { dir: 'tools/migrate', binary: 'migrate', files: ['tools/migrate/main.go'], version: { kind: 'missing' }, commit: { kind: 'missing' } },
    ])
    expect(a.selectedMain).toBe('api/services/users')
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      caCerts: [at('internal/store/store.go', 10), at('internal/store/store.go', 14)],
      listen: [{ port: 8081, host: '', loopbackOnly: false, via: { kind: 'env', name: 'USERS_PORT' }, evidence: at('api/services/users/main.go', 25) }],
      env: [{ name: 'USERS_PORT', fallback: '8081', evidence: [at('api/services/users/main.go', 13)] }],
    })
    expect(a.notices.map((n) => n.message)).toEqual(['2 main packages (api/services/users, tools/migrate); the needs shown are for api/services/users.'])

    const m = await analyze(dir, './tools/migrate/')
    expect(m.selectedMain).toBe('tools/migrate')
    expect(places(m.needs)).toEqual({ ...NO_NEEDS, requiredArgs: [at('tools/migrate/main.go', 13)], requiredFlags: [{ name: 'dsn', evidence: at('tools/migrate/main.go', 13) }] })
    expect(m.needs.requiredArgs[0]?.text).toBe('if *dsn == "" {')
    expect(codes(m)).toEqual(['info:required-args', 'info:several-mains'])
  })

  it('https-client: outbound HTTPS needs CA certificates', async () => {
    const a = await analyze(fixture('https-client'))
    expect(places(a.needs)).toEqual({ ...NO_NEEDS, caCerts: [at('main.go', 17), at('main.go', 25)] })
    expect(a.needs.caCerts.map((e) => e.text)).toEqual(['pool, err := x509.SystemCertPool()', 'client := &http.Client{Timeout: 10 * time.Second}'])
    expect(a.notices).toEqual([])
  })

  it('tz-lookup: time.LoadLocation needs tz data; the env fallback is found', async () => {
    const a = await analyze(fixture('tz-lookup'))
    expect(places(a.needs)).toEqual({ ...NO_NEEDS, tzdata: [at('main.go', 15)], env: [{ name: 'APP_TZ', fallback: 'Europe/Berlin', evidence: [at('main.go', 11)] }] })
  })

  it('embed: //go:embed is found and matches; the address comes from -addr', async () => {
    const a = await analyze(fixture('embed'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      embeds: [at('main.go', 12)],
      listen: [{ port: 8080, host: '', loopbackOnly: false, via: { kind: 'flag', name: 'addr' }, evidence: at('main.go', 22) }],
    })
    expect(a.notices).toEqual([])
  })

  it('config-file: required files present, an optional one missing', async () => {
    const a = await analyze(fixture('config-file'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      runtimeFiles: [
        { path: 'templates/page.html', exists: true, required: true, evidence: at('main.go', 14) },
        { path: 'config.yaml', exists: true, required: true, evidence: at('main.go', 17) },
        { path: 'motd.txt', exists: false, required: false, evidence: at('main.go', 23) },
      ],
      listen: [{ port: 8080, host: '', loopbackOnly: false, via: { kind: 'literal' }, evidence: at('main.go', 31) }],
    })
    expect(a.notices.map((n) => [n.code, n.severity, n.message])).toEqual([['runtime-file-missing', 'warning', 'The program reads motd.txt, but there is no motd.txt in the folder.']])
  })

  it('localhost-bind: loopback only by default, changeable through $ADDR', async () => {
    const a = await analyze(fixture('localhost-bind'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      listen: [{ port: 8080, host: '127.0.0.1', loopbackOnly: true, via: { kind: 'env', name: 'ADDR' }, alsoVia: [{ kind: 'flag', name: 'addr' }], evidence: at('main.go', 19) }],
      env: [{ name: 'ADDR', fallback: '127.0.0.1:8080', evidence: [at('main.go', 13)] }],
    })
    expect(places(a.notices)).toEqual([
      {
        code: 'loopback-only',
        severity: 'warning',
        message: 'The program listens on 127.0.0.1:8080 by default: inside a container that is unreachable from outside.',
        detail: 'The address comes from the environment variable ADDR, so the image can set ADDR=:8080 (all interfaces).',
        evidence: [at('main.go', 19)],
      },
    ])
  })

  it('ports: a constant FlagSet default overridden by $PORT, joined with net.JoinHostPort; stops without $GREETING', async () => {
    const a = await analyze(fixture('ports'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      listen: [
        {
          port: 8090,
          host: '',
          loopbackOnly: false,
          via: { kind: 'env', name: 'PORT' },
          alsoVia: [
            { kind: 'flag', name: 'host' },
            { kind: 'flag', name: 'port' },
          ],
          evidence: at('main.go', 36),
        },
      ],
      env: [
        { name: 'PORT', evidence: [at('main.go', 24), at('main.go', 25)] },
        { name: 'GREETING', required: true, evidence: [at('main.go', 31), at('main.go', 32)] },
      ],
    })
    expect(places(a.notices)).toEqual([
      {
        code: 'required-env',
        severity: 'info',
        message: 'The program stops unless GREETING is set.',
        detail: 'Pass it at run time: `docker run -e GREETING=… IMAGE`; the app’s Run dialog and dev stack ask for it. The image does not carry a value: a secret never belongs in an image.',
        evidence: [at('main.go', 32)],
      },
    ])
  })

  it('ports-follow: another package’s function result, which is a third package’s variable (imported under its own name), gives the port', async () => {
    const a = await analyze(fixture('ports-follow'))
    expect(a.needs.listen.map((l) => [l.host, l.port, l.via, l.evidence.file, l.evidence.line])).toEqual([['', 8093, { kind: 'literal' }, 'main.go', 15]])
    expect(a.needs.env).toEqual([])
    expect(a.notices.map((n) => n.code)).toEqual([])
  })

  it('config-libs: each library’s tags, defaults and prefixes give the port, the variables and what is required', async () => {
    const dir = fixture('config-libs')
    const brief = async (main: string) => {
      const a = await analyze(dir, main)
      return {
        listen: a.needs.listen.map((l) => `${l.host}:${l.port} via ${l.via.kind === 'literal' ? 'code' : `${l.via.kind} ${l.via.name}`}`),
        env: a.needs.env.map((e) => `${e.name}${e.fallback !== undefined ? `=${e.fallback}` : ''}${e.required ? ' (required)' : ''} @${e.evidence.map((x) => `${x.file.replace(/^cmd\//, '')}:${x.line}`).join(',')}`),
        flags: a.needs.requiredFlags.map((f) => f.name),
      }
    }
    expect(await brief('cmd/envconfig')).toEqual({
      listen: [':8101 via env SHOP_PORT'],
      env: ['SHOP_PORT=8101 @envconfig/main.go:15', 'PORT=8101 @envconfig/main.go:15', 'SHOP_TOKEN (required) @envconfig/main.go:16', 'SHOP_DB_HOST=db @envconfig/main.go:18'],
      flags: [],
    })
    expect(await brief('cmd/caarlos')).toEqual({
      listen: [':8102 via env APP_LISTEN_ADDR'],
      env: ['APP_LISTEN_ADDR=:8102 @caarlos/main.go:14', 'APP_API_KEY (required) @caarlos/main.go:15', 'APP_DB_URL=postgres://db/app @caarlos/main.go:20'],
      flags: [],
    })
    expect(await brief('cmd/ardan')).toEqual({
      listen: ['0.0.0.0:8103 via env SALES_WEB_API_HOST'],
      env: ['SALES_WEB_API_HOST=0.0.0.0:8103 @ardan/main.go:18', 'SALES_WEB_READ_TIMEOUT=5s @ardan/main.go:19', 'SALES_AUTH_KEY_ID (required) @ardan/main.go:22'],
      flags: [],
    })
    expect(await brief('cmd/viper')).toEqual({
      listen: [':8104 via env INV_SERVER_PORT'],
      env: ['INVENTORY_TOKEN (required) @viper/main.go:23', 'INV_SERVER_PORT=8104 @viper/main.go:29'],
      flags: [],
    })
    expect(await brief('cmd/urfave')).toEqual({
      listen: [':8105 via env BILLING_PORT'],
      env: ['BILLING_PORT=8105 @urfave/main.go:18', 'BILLING_SECRET (required) @urfave/main.go:19'],
      flags: [],
    })
    expect(await brief('cmd/cobra')).toEqual({ listen: [':8106 via flag addr'], env: [], flags: ['token'] })
  })

  it('no-gomod: no module, built with a generated one', async () => {
    const a = await analyze(fixture('no-gomod'))
    expect(a.module).toBeNull()
    expect(a.name).toBe('no-gomod')
    expect(a.mains.map((m) => [m.dir, m.binary])).toEqual([['.', 'no-gomod']])
    expect(a.needs).toEqual(NO_NEEDS)
    expect(a.notices.map((n) => [n.code, n.severity, n.message])).toEqual([
      ['no-go-mod', 'info', 'No usable go.mod: this is a GOPATH-style program, so Slipway builds it with a generated module.'],
    ])
    expect(a.notices[0]?.detail).toMatch(/^The Dockerfile runs `go mod init no-gomod`/)
  })

  it('toolchain: go 1.22 and toolchain go1.23.4', async () => {
    const a = await analyze(fixture('toolchain'))
    expect(places(a.module)).toEqual({ path: 'example.com/toolchain', goVersion: '1.22', toolchain: 'go1.23.4', requires: [], replaces: [], evidence: at('go.mod', 1) })
    expect(places(a.notices)).toEqual([
      {
        code: 'toolchain',
        severity: 'info',
        message: 'go.mod asks for toolchain go1.23.4 (language version go 1.22).',
        detail: 'A builder image with Go 1.23.4 or newer builds it without downloading a toolchain (offline builds need that).',
        evidence: [at('go.mod', 5)],
      },
    ])
  })

  it('vendored: vendor/ is consistent, so no go.sum is needed', async () => {
    const a = await analyze(fixture('vendored'))
    expect(a.module?.requires).toEqual([{ path: 'example.com/tiny', version: 'v0.1.0', indirect: false }])
    expect(a.vendor).toEqual({ present: true, consistent: true, problems: [] })
    expect(a.hasGoSum).toBe(false)
    expect(a.stats.goFiles).toBe(1) // vendor/ is not scanned
    expect(codes(a)).toEqual(['info:vendor'])
  })

  it('vendored: an out-of-date modules.txt is inconsistent', async () => {
    const dir = fixture('vendored')
    writeFileSync(join(dir, 'vendor', 'modules.txt'), '# example.com/tiny v0.0.9\n## explicit; go 1.21\nexample.com/tiny\n')
    const a = await analyze(dir)
    expect(a.vendor).toEqual({
      present: true,
      consistent: false,
      problems: [
        'example.com/tiny: go.mod requires v0.1.0, vendor/modules.txt has v0.0.9',
        'example.com/tiny@v0.0.9 is marked as explicit in vendor/modules.txt, but not required in go.mod',
      ],
    })
    expect(codes(a)).toEqual(['error:vendor-inconsistent', 'warning:go-sum-missing'])
  })

  it('cgo: import "C" is found', async () => {
    const a = await analyze(fixture('cgo'))
    expect(places(a.needs)).toEqual({ ...NO_NEEDS, cgo: [at('main.go', 7)] })
    expect(a.notices.map((n) => [n.code, n.message])).toEqual([['cgo', 'This program needs cgo (import "C" at main.go:7).']])
  })

  it('cli-tool: no server, no needs, no notices', async () => {
    const a = await analyze(fixture('cli-tool'))
    expect(a.needs).toEqual(NO_NEEDS)
    expect(a.notices).toEqual([])
    expect(a.mains.map((m) => m.binary)).toEqual(['cli-tool'])
  })

  it('version-flag: -X main.version would fail, main.commit is fine', async () => {
    const a = await analyze(fixture('version-flag'))
    expect(places(a.mains[0])).toEqual({
      dir: '.',
      binary: 'version-flag',
      files: ['main.go'],
      version: { kind: 'unsuitable', reason: 'main.version is a flag (a pointer, not a string): -X main.version=… would fail the link.', evidence: at('main.go', 10) },
      commit: { kind: 'string', evidence: at('main.go', 11) },
    })
    expect(codes(a)).toEqual(['warning:stamp-unsuitable'])
  })

  it('requires-env-file: .env is required at start and missing (the image carries an empty one)', async () => {
    const a = await analyze(fixture('requires-env-file'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      runtimeFiles: [{ path: '.env', exists: false, required: true, evidence: at('main.go', 12) }],
      env: [{ name: 'API_KEY', evidence: [at('main.go', 21)] }],
    })
    expect(a.notices.map((n) => [n.code, n.severity, n.message])).toEqual([
      ['runtime-file-missing', 'warning', 'The program needs .env at start (it stops without it), and there is none in the folder: the image carries an empty one, so the program starts with the variables you pass it.'],
    ])
  })

  it('the example project', async () => {
    const a = await analyze(join(ROOT, 'examples', 'hello-api'))
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      tzdata: [at('main.go', 41)],
      listen: [{ port: 8080, host: '', loopbackOnly: false, via: { kind: 'env', name: 'PORT' }, evidence: at('main.go', 65) }],
      env: [
        { name: 'PORT', fallback: '8080', evidence: [at('main.go', 38)] },
        { name: 'TZ_NAME', fallback: 'UTC', evidence: [at('main.go', 39)] },
        { name: 'DATABASE_URL', evidence: [at('main.go', 46)] },
      ],
    })
    expect(a.mains.map((m) => [m.version.kind, m.commit.kind])).toEqual([['string', 'string']])
    expect(a.stats.goFiles).toBe(3) // handlers_test.go is not scanned
  })
})

describe('git', () => {
  it('reads tag, short commit and dirty state, and never writes into .git', async () => {
    const dir = gitFixture()
    const commit = git(dir, 'rev-parse', '--short', 'HEAD')
    const before = snapshot(dir)
    expect((await analyze(dir)).git).toEqual({ tag: 'v1.2.3', commit, dirty: false })
    expect(snapshot(dir)).toEqual(before)

    writeFileSync(join(dir, 'main.go'), '// changed\n', { flag: 'a' })
    expect((await analyze(dir)).git).toEqual({ tag: 'v1.2.3-dirty', commit, dirty: true })
    git(dir, 'commit', '-q', '-am', 'second')
    const a = await analyze(dir)
    // Only a tag on HEAD itself counts (no history walk; see gitState): the build's VERSION falls back to the commit.
    expect(a.git).toEqual({ tag: null, commit: git(dir, 'rev-parse', '--short', 'HEAD'), dirty: false })
  })

  it('is null outside a repository or with no commit yet; without a git binary, commit and tag are still read', async () => {
    expect((await analyze(fixture('cli-tool'))).git).toBeNull()
    const empty = fixture('cli-tool')
    git(empty, 'init', '-q')
    expect((await analyze(empty)).git).toBeNull()
    const noGit = new GoProjects({ git: createGitRunner('slipway-no-such-git-binary') })
    const dir = gitFixture()
    expect((await noGit.analyze(dir)).git).toEqual({ tag: 'v1.2.3', commit: git(dir, 'rev-parse', '--short', 'HEAD'), dirty: false })
  })
})

describe('reading the folder', () => {
  it('never writes into the project', async () => {
    const dir = fixture('config-file')
    const before = snapshot(dir)
    await analyze(dir)
    expect(snapshot(dir)).toEqual(before)
  })

  it('reads an existing Dockerfile and .dockerignore for diffs', async () => {
    const dir = fixture('plain-server')
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n')
    writeFileSync(join(dir, '.dockerignore'), '.git\n')
    expect((await analyze(dir)).existing).toEqual({ dockerfile: 'FROM scratch\n', dockerignore: '.git\n' })
  })

  it('names each line of the project\'s own .dockerignore that drops a file the build needs (Docker\'s matching rules)', async () => {
    const main = 'package main\nfunc main() {}\n'
    const dir = tree({
      'go.mod': 'module example.com/ign\n\ngo 1.23\n',
      'go.sum': '',
      'cmd/api/main.go': main,
      '.dockerignore': '# local files\n*.mod\n**/*.go\n!cmd/api/keep.go\ntmp\n',
    })
    const a = await analyze(dir)
    const n = a.notices.find((x) => x.code === 'dockerignore-drops-needed')
    expect(n?.severity).toBe('warning')
    expect(n?.message).toBe('Your .dockerignore leaves out files the build needs: go.mod (line 2: *.mod), cmd/api/main.go (line 3: **/*.go).')
    expect(n?.evidence).toEqual([
      { file: '.dockerignore', line: 2, text: '*.mod' },
      { file: '.dockerignore', line: 3, text: '**/*.go' },
    ])
    // A folder excluded and the needed files brought back by a later `!` line: nothing is dropped.
    writeFileSync(join(dir, '.dockerignore'), 'cmd\n!cmd/api\n*.sum\n!go.sum\n.git\n')
    expect((await analyze(dir)).notices.some((x) => x.code === 'dockerignore-drops-needed')).toBe(false)
    // A dropped folder drops what is inside it.
    writeFileSync(join(dir, '.dockerignore'), 'cmd\n')
    expect((await analyze(dir)).notices.find((x) => x.code === 'dockerignore-drops-needed')?.message).toContain('cmd/api/main.go (line 1: cmd)')
  })

  it('checks the .dockerignore against every file the recipe copies: imported packages, embeds, run-time files, vendored sources', async () => {
    const dir = tree({
      'go.mod': 'module example.com/di\n\ngo 1.23\n\nrequire example.com/tiny v0.1.0\n',
      'main.go': 'package main\nimport (\n  "embed"\n  "log"\n  "os"\n  "example.com/di/internal/store"\n  "example.com/tiny"\n)\n//go:embed web\nvar web embed.FS\nfunc main() {\n  b, err := os.ReadFile("config/app.yaml")\n  if err != nil {\n    log.Fatal(err)\n  }\n  _, _, _ = b, store.X, tiny.Y\n}\n',
      'internal/store/store.go': 'package store\nvar X = 1\n',
      'web/index.html': '<p>hi</p>',
      'config/app.yaml': 'a: 1\n',
      'vendor/modules.txt': '# example.com/tiny v0.1.0\n## explicit; go 1.21\nexample.com/tiny\n',
      'vendor/example.com/tiny/tiny.go': 'package tiny\nvar Y = 2\n',
      'other/unused.go': 'package other\n',
      '.dockerignore': 'internal\nweb/*.html\nconfig\nvendor/example.com\nother\n',
    })
    const n = (await analyze(dir)).notices.find((x) => x.code === 'dockerignore-drops-needed')
    expect(n?.message).toBe(
      'Your .dockerignore leaves out files the build needs: internal/store/store.go (line 1: internal), web/index.html (line 2: web/*.html), config/app.yaml (line 3: config), vendor/example.com/tiny/tiny.go (line 4: vendor/example.com).',
    )
    // A pattern that drops the vendored sources themselves (not their folders): each file is checked, with Docker's `**`.
    writeFileSync(join(dir, '.dockerignore'), '# sources stay\nvendor/**/*.go\n*.md\n')
    writeFileSync(join(dir, 'vendor/example.com/tiny/tiny_amd64.s'), '')
    writeFileSync(join(dir, 'vendor/example.com/tiny/README.md'), 'docs')
    expect((await analyze(dir)).notices.find((x) => x.code === 'dockerignore-drops-needed')?.message).toBe(
      'Your .dockerignore leaves out files the build needs: vendor/example.com/tiny/tiny.go (line 2: vendor/**/*.go).',
    )
    // A package no main imports may be left out.
    expect(n?.message).not.toContain('other/')
  })

  it('a go.work with no module at the root offers the mains of the modules it uses inside the folder; a use outside means GOWORK=off', async () => {
    const dir = tree({
      'go.work': 'go 1.23\n\nuse (\n\t./api\n\t./lib // shared code\n\t../outside\n)\n',
      'api/go.mod': 'module example.com/api\n\ngo 1.23\n\nrequire example.com/lib v0.0.0\n',
      'api/main.go': 'package main\nimport "example.com/lib"\nfunc main() { lib.Hello() }\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.23\n',
      'lib/lib.go': 'package lib\nfunc Hello() {}\n',
    })
    const a = await analyze(dir)
    expect(a.notices.map((n) => n.code)).not.toContain('no-go-mod')
    expect(a.notices.map((n) => n.code)).not.toContain('go-work-root')
    expect(a.mains.map((m) => [m.dir, m.module, m.binary])).toEqual([['api', 'api', 'api']])
    expect(a).toMatchObject({ selectedMain: 'api', moduleDir: 'api', workspace: 'off', module: { path: 'example.com/api', evidence: { file: 'api/go.mod' } } })
    const n = a.notices.find((x) => x.code === 'go-work')
    expect(n?.message).toBe('go.work cannot be built as a workspace here: it uses "../outside", outside this folder, which the build context cannot hold. The Dockerfile sets GOWORK=off and builds the module in api/ alone, from its go.mod.')
    expect(a.notices.find((x) => x.code === 'modules-in-subfolders')?.message).toBe('No go.mod at the root: the main packages of the module in api/ are offered, and the chosen one builds from its module\'s folder (api/).')
    // A workspace whose modules have no main: nothing to build, said as such.
    const lib = tree({ 'go.work': 'go 1.23\nuse ./lib\n', 'lib/go.mod': 'module example.com/lib\n\ngo 1.23\n', 'lib/lib.go': 'package lib\n' })
    expect((await analyze(lib)).notices.find((x) => x.code === 'go-work-root')).toMatchObject({ severity: 'error', evidence: [{ file: 'go.work', line: 1 }] })
  })

  it('workspaces and nested modules: the fixtures, exact', async () => {
    const inside = await analyze(join(FIXTURES, 'workspace-inside'))
    expect(inside).toMatchObject({ workspace: 'workspace', selectedMain: '.', module: { path: 'example.com/wsinside' } })
    expect(inside.moduleDir).toBeUndefined()
    expect(inside.mains.map((m) => [m.dir, m.module])).toEqual([['.', undefined], ['cmd/hello', undefined]])
    expect(inside.notices.map((n) => `${n.severity} ${n.code}`)).toEqual(['info go-work', 'info several-mains'])
    // The .dockerignore check knows what a kept workspace reads: go.work and each used module's go.mod.
    const ws = tree({ 'go.work': 'go 1.23\nuse (\n\t.\n\t./greet\n)\n', 'go.mod': 'module example.com/w\n\ngo 1.23\n', 'main.go': 'package main\nfunc main() {}\n', 'greet/go.mod': 'module example.com/greet\n\ngo 1.23\n', 'greet/g.go': 'package greet\n', '.dockerignore': 'go.work\n*/go.mod\n' })
    expect((await analyze(ws)).notices.find((n) => n.code === 'dockerignore-drops-needed')?.message).toBe(
      'Your .dockerignore leaves out files the build needs: go.work (line 1: go.work), greet/go.mod (line 2: */go.mod).',
    )
    // The other modules of a kept workspace are followed like the module's own packages: the port and
    // the variables read in ./web, and (from a module in a subfolder) in a sibling module, ../lib.
    const follow = await analyze(join(FIXTURES, 'workspace-follow'))
    expect(follow.needs.listen.map((l) => [l.port, l.via, l.evidence.file])).toEqual([[8097, { kind: 'env', name: 'WSF_PORT' }, 'web/web.go']])
    expect(follow.needs.env.map((e) => [e.name, e.fallback ?? null])).toEqual([['WSF_PORT', '8097'], ['WSF_GREETING', 'hello from a module of the workspace']])
    const sibling = tree({
      'go.work': 'go 1.23\nuse (\n\t./api\n\t./lib\n)\n',
      'api/go.mod': 'module example.com/api\n\ngo 1.23\n',
      'api/main.go': 'package main\nimport "example.com/lib/srv"\nfunc main() { srv.Run() }\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.23\n',
      'lib/srv/srv.go': 'package srv\nimport (\n\t"net/http"\n\t"os"\n)\nfunc Run() {\n\tif os.Getenv("LIB_TOKEN") == "" {\n\t\tpanic("LIB_TOKEN")\n\t}\n\thttp.ListenAndServe(":9123", nil)\n}\n',
      'lib/other/o.go': 'package other\nimport "os"\nvar X = os.Getenv("NOT_IMPORTED")\n',
      '.dockerignore': 'lib/srv/*.go\n',
    })
    const sib = await analyze(sibling)
    expect(sib).toMatchObject({ workspace: 'workspace', selectedMain: 'api', moduleDir: 'api' })
    expect(sib.needs.listen.map((l) => [l.port, l.evidence.file])).toEqual([[9123, 'lib/srv/srv.go']])
    expect(sib.needs.env.map((e) => [e.name, e.required === true])).toEqual([['LIB_TOKEN', true]])
    expect(sib.notices.find((n) => n.code === 'dockerignore-drops-needed')?.message).toBe('Your .dockerignore leaves out files the build needs: lib/srv/srv.go (line 1: lib/srv/*.go).')
    const nomod = await analyze(join(FIXTURES, 'workspace-nomod'))
    expect(nomod).toMatchObject({ workspace: 'workspace', selectedMain: 'api', moduleDir: 'api', name: 'workspace-nomod', module: { path: 'example.com/wsapi' } })
    expect(nomod.notices.map((n) => `${n.severity} ${n.code}`)).toEqual(['info go-work', 'info modules-in-subfolders'])
    const nested = await analyze(join(FIXTURES, 'nested-modules'))
    expect(nested.mains.map((m) => [m.dir, m.module, m.binary])).toEqual([['cmd/api', 'cmd/api', 'api'], ['tools/gen', 'tools/gen', 'gen']])
    expect(nested).toMatchObject({ selectedMain: 'cmd/api', moduleDir: 'cmd/api', module: { path: 'example.com/nested/api', evidence: { file: 'cmd/api/go.mod' } } })
    expect(nested.workspace).toBeUndefined()
    expect(nested.needs.runtimeFiles).toEqual([expect.objectContaining({ path: 'greeting.txt', exists: true, required: true, evidence: expect.objectContaining({ file: 'cmd/api/main.go' }) })])
    expect(nested.notices.map((n) => n.code)).not.toContain('nested-module')
    const gen = await analyze(join(FIXTURES, 'nested-modules'), 'tools/gen')
    expect(gen).toMatchObject({ selectedMain: 'tools/gen', moduleDir: 'tools/gen', module: { path: 'example.com/nested/gen' } })
    // A root module keeps nested modules out of its build, as before.
    const rooted = tree({ 'go.mod': 'module example.com/r\n\ngo 1.23\n', 'main.go': 'package main\nfunc main() {}\n', 'tools/x/go.mod': 'module example.com/x\n\ngo 1.23\n', 'tools/x/main.go': 'package main\nfunc main() {}\n' })
    const r = await analyze(rooted)
    expect(r.mains.map((m) => m.dir)).toEqual(['.'])
    expect(r.notices.find((n) => n.code === 'nested-module')?.message).toBe('tools/x/ has its own go.mod: separate module, not part of this build.')
  })

  it('no go.mod at the root: each file belongs to the deepest module above it, across many modules', async () => {
    const files: Record<string, string> = {
      'a/go.mod': 'module example.com/a\n\ngo 1.23\n',
      'a/main.go': 'package main\nfunc main() {}\n',
      'a/b/go.mod': 'module example.com/b\n\ngo 1.23\n',
      'a/b/main.go': 'package main\nimport "os"\nfunc main() { _ = os.Getenv("B_TOKEN") }\n',
    }
    for (let i = 0; i < 150; i++) {
      files[`svc/s${i}/go.mod`] = `module example.com/s${i}\n\ngo 1.23\n`
      files[`svc/s${i}/cmd/run/main.go`] = 'package main\nfunc main() {}\n'
    }
    const a = await analyze(tree(files), 'a/b')
    expect(a.mains).toHaveLength(152)
    expect(a.mains.slice(0, 2).map((m) => [m.dir, m.module])).toEqual([['a', 'a'], ['a/b', 'a/b']])
    expect(a.mains.find((m) => m.dir === 'svc/s7/cmd/run')?.module).toBe('svc/s7')
    expect(a.needs.env.map((e) => e.name)).toEqual(['B_TOKEN'])
    // The module in a/ does not build a/b's files: its only package is its root.
    expect((await analyze(tree(files), 'a')).needs.env).toEqual([])
  })

  it('a go.work use that is a symlink to a module outside is not followed: GOWORK=off', async () => {
    const outside = tree({ 'go.mod': 'module example.com/out\n\ngo 1.23\n', 'out.go': 'package out\n' })
    const dir = tree({ 'go.work': 'go 1.23\nuse (\n\t.\n\t./linked\n)\n', 'go.mod': 'module example.com/ws\n\ngo 1.23\n', 'main.go': 'package main\nfunc main() {}\n' })
    symlinkSync(outside, join(dir, 'linked'))
    const a = await analyze(dir)
    expect(a.workspace).toBe('off')
    expect(a.notices.find((n) => n.code === 'go-work')?.message).toBe(
      'go.work cannot be built as a workspace here: it uses linked/, which has no go.mod (go stops with "cannot load module"). The Dockerfile sets GOWORK=off and builds the module at the root alone, from its go.mod.',
    )
  })

  it('skips .git, node_modules, vendor, testdata, hidden and _ folders, and test files', async () => {
    const main = 'package main\nfunc main() {}\n'
    const dir = tree({
      'go.mod': 'module example.com/skip\n\ngo 1.23\n',
      'main.go': main,
      'main_test.go': 'package main\nimport "testing"\nfunc TestX(t *testing.T) {}\n',
      '.git/hooks/x.go': main,
      'node_modules/pkg/main.go': main,
      'vendor/example.com/v/main.go': main,
      'testdata/gen/main.go': main,
      '.hidden/main.go': main,
      '_old/main.go': main,
      'ok/sub/main.go': main,
    })
    const a = await analyze(dir)
    expect(a.mains.map((m) => m.dir)).toEqual(['.', 'ok/sub'])
    expect(a.stats.goFiles).toBe(2)
  })

  it('follows values across the files of an imported package, read only as far as needed', async () => {
    const dir = tree({
      'go.mod': 'module example.com/x\n\ngo 1.23\n',
      'main.go': 'package main\nimport "example.com/x/server"\nfunc main() { server.Run() }\n',
      'server/server.go': 'package server\nimport "net/http"\nfunc Run() { http.ListenAndServe(defaultAddr, nil) }\n',
      'server/defaults.go': 'package server\n\n// defaultAddr is where Run listens.\nconst defaultAddr = "127.0.0.1:9999"\nfunc unused() { _ = 1 }\n',
      'server/env.go': 'package server\nimport "os"\nfunc env(k, d string) string {\n\tif v := os.Getenv(k); v != "" {\n\t\treturn v\n\t}\n\treturn d\n}\n',
      'server/port.go': 'package server\n\nvar metricsPort = env("METRICS_PORT", "9100")\n',
      'unrelated/u.go': 'package unrelated\nimport "os"\nvar X = os.Getenv("NOT_IMPORTED")\n',
    })
    const a = await analyze(dir)
    expect(places(a.needs)).toEqual({
      ...NO_NEEDS,
      listen: [{ port: 9999, host: '127.0.0.1', loopbackOnly: true, via: { kind: 'literal' }, evidence: at('server/server.go', 3) }],
      env: [{ name: 'METRICS_PORT', fallback: '9100', evidence: [at('server/port.go', 3)] }],
    })
  })

  it('leaves nested modules out, and says so', async () => {
    const dir = tree({
      'go.mod': 'module example.com/outer\n\ngo 1.23\n',
      'main.go': 'package main\nfunc main() {}\n',
      'tools/go.mod': 'module example.com/tools\n\ngo 1.23\n',
      'tools/gen/main.go': 'package main\nfunc main() {}\n',
    })
    const a = await analyze(dir)
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(a.notices.map((n) => n.message)).toEqual(['tools/ has its own go.mod: separate module, not part of this build.'])
  })

  it('reports replace directives outside the folder, go.work, and a missing go.sum', async () => {
    const dir = tree({
      'go.mod': 'module example.com/r\n\ngo 1.23\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n',
      'go.work': '// workspace\ngo 1.23\n\nuse (\n\t.\n\t../lib\n)\n',
      'main.go': 'package main\nfunc main() {}\n',
    })
    const a = await analyze(dir)
    expect(a.goWork).toEqual({ file: 'go.work', line: 2, text: 'go 1.23' })
    expect(a.module?.replaces.map((r) => [r.to, r.outsideContext, r.evidence.line])).toEqual([['../lib', true, 7]])
    expect(codes(a)).toEqual(['error:replace-outside', 'warning:go-sum-missing', 'warning:go-work'])
  })

  it('refuses a missing path, a file, a folder without Go, and an unknown main, with advice', async () => {
    const dir = tree({ 'README.md': '# not go', 'vendor/x/x.go': 'package x', 'testdata/y.go': 'package y', 'notes.txt': '' })
    const fail = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error & { detail?: string }) => ({ name: e.name, message: e.message, detail: e.detail }))
    expect(await fail(analyze(join(dir, 'nope')))).toEqual({ name: 'NotFound', message: `${join(dir, 'nope')} does not exist.`, detail: 'Check the path.' })
    expect(await fail(analyze(join(dir, 'README.md')))).toMatchObject({ name: 'NotADirectory', message: `${join(dir, 'README.md')} is a file, not a folder.` })
    expect(await fail(analyze(dir))).toMatchObject({ name: 'NotAGoProject', message: `No Go source files in ${dir}.`, detail: expect.stringMatching(/^Slipway looks for \.go files/) })
    expect(await fail(analyze(fixture('multi-main'), 'cmd/api'))).toEqual({
      name: 'MainNotFound',
      message: 'There is no main package in "cmd/api".',
      detail: 'Main packages in this project: api/services/users, tools/migrate.',
    })
  })

  it('analyses a library with no main, saying there is nothing to build', async () => {
    const a = await analyze(tree({ 'go.mod': 'module example.com/lib\n\ngo 1.23\n', 'lib.go': 'package lib\n' }))
    expect([a.mains, a.selectedMain, a.needs]).toEqual([[], null, NO_NEEDS])
    expect(codes(a)).toEqual(['error:no-main'])
  })
})

describe('bad input', () => {
  it('binary junk in a .go file: a notice, no crash, the rest still analysed', async () => {
    const junk = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 2654435761) >>> 24))
    const dir = tree({ 'go.mod': 'module example.com/j\n\ngo 1.23\n', 'main.go': 'package main\nimport "os"\nfunc main() { _ = os.Getenv("KEPT") }\n', 'junk.go': junk, 'cmd/x/main.go': junk })
    const a = await analyze(dir)
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(a.needs.env.map((e) => e.name)).toEqual(['KEPT'])
    // junk.go sits in the package being built, so the build fails (an error); cmd/x is another program (a warning).
    expect(a.notices.filter((n) => n.code === 'not-go-source').map((n) => `${n.severity}: ${n.message}`)).toEqual([
      'error: junk.go is not Go source text (it contains NUL bytes), in a package this program builds: the build fails.',
      'warning: cmd/x/main.go is not Go source text (it contains NUL bytes).',
    ])
  })

  it('files the go command never reads on linux (by name) are not opened: junk there is no finding, as for `go build`', async () => {
    const junk = Buffer.from([0, 1, 2, 0xff, 0])
    const dir = tree({
      'go.mod': 'module example.com/names\n\ngo 1.23\n',
      'main.go': 'package main\nimport "os"\nfunc main() { _ = os.Getenv("KEPT") }\n',
      'junk_windows.go': junk,
      'junk_darwin_arm64.go': junk,
      '_old.go': 'package old\nimport "os"\nfunc main() { _ = os.Getenv("OLD") }\n',
      '.draft.go': junk,
      'main_test.go': junk,
      'arch_arm64.go': 'package main\n',
    })
    const reads: string[] = []
    const counting: ProjectFs = { ...nodeProjectFs, readHead: (p, max) => (reads.push(String(p).slice(dir.length + 1)), nodeProjectFs.readHead(p, max)) }
    const a = await new GoProjects({ git: null, fs: counting }).analyze(dir)
    expect(reads.filter((f) => f.endsWith('.go')).sort()).toEqual(['arch_arm64.go', 'main.go'])
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(a.needs.env.map((e) => e.name)).toEqual(['KEPT'])
    expect(codes(a).filter((c) => c.includes('not-go-source') || c.includes('no-package-clause'))).toEqual([])
    expect(a.stats).toMatchObject({ files: 8, goFiles: 2 })
  })

  it('a package main file longer than the read cap still has its func main past the cap (as the compiler reads it all)', async () => {
    const big = `package main\n\nvar blob = "${'x'.repeat(3000)}"; func main() { println(len(blob)) }\n`
    const a = await new GoProjects({ maxBytesPerFile: 1024, git: null }).analyze(tree({ 'go.mod': 'module example.com/big\n\ngo 1.23\n', 'main.go': big }))
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(codes(a)).toEqual(['warning:file-truncated'])
    // No func main anywhere: still no program.
    const none = await new GoProjects({ maxBytesPerFile: 1024, git: null }).analyze(tree({ 'go.mod': 'module example.com/big\n\ngo 1.23\n', 'main.go': big.replace('func main()', 'func other()') }))
    expect(none.mains).toEqual([])
  })

  it('a broken go.mod: says which line and what is wrong, and carries on', async () => {
    const dir = tree({ 'go.mod': 'module example.com/b\n\ngo 1.23\n\nrequire (\n\tgithub.com/x/y v1\n', 'main.go': 'package main\nfunc main() {}\n' })
    const a = await analyze(dir)
    expect(a.module?.path).toBe('example.com/b')
    const n = a.notices.find((x) => x.code === 'go-mod-invalid')
    expect(n?.message).toBe('go.mod line 6: invalid version "v1" for github.com/x/y: must look like v1.2.3.')
    expect(n?.detail?.split('\n').slice(0, 2)).toEqual(['go.mod:6: invalid version "v1" for github.com/x/y: must look like v1.2.3', 'go.mod:5: the require ( … ) block is never closed'])

    const garbage = tree({ 'go.mod': Buffer.from([0, 159, 146, 150, 10, 40, 41]), 'main.go': 'package main\nfunc main() {}\n' })
    const g = await analyze(garbage)
    expect(g.module).toBeNull()
    expect(codes(g)).toEqual(['error:go-mod-invalid'])
  })

  it('symlinks: loops and folder links are not followed, links out of the folder are not read', async () => {
    const outside = tree({ 'secret.go': 'package main\nimport "os"\nfunc init() { _ = os.Getenv("OUTSIDE") }\n' })
    const dir = tree({ 'go.mod': 'module example.com/l\n\ngo 1.23\n', 'main.go': 'package main\nimport "os"\nfunc main() { os.ReadFile("conf/link.yaml") }\n', 'conf/real.yaml': 'x: 1\n' })
    symlinkSync('.', join(dir, 'loop'))
    symlinkSync('../..', join(dir, 'conf', 'up'))
    symlinkSync('a.go', join(dir, 'b.go'))
    symlinkSync('b.go', join(dir, 'a.go'))
    symlinkSync(join(outside, 'secret.go'), join(dir, 'secret.go'))
    symlinkSync('real.yaml', join(dir, 'conf', 'link.yaml'))
    const a = await analyze(dir)
    expect(a.needs.env).toEqual([]) // OUTSIDE was not read
    expect(places(a.needs.runtimeFiles)).toEqual([{ path: 'conf/link.yaml', exists: true, required: false, evidence: at('main.go', 3) }])
    expect(a.notices.map((n) => [n.severity, n.message])).toEqual([
      ['warning', '1 symlink points outside the folder: secret.go.'],
      ['info', 'Folder symlinks are not followed (as `go build ./...` does not): conf/up, loop.'],
      ['info', 'Broken symlinks (missing target or a loop): a.go, b.go.'],
    ])
  })

  it('an unreadable folder (injected EACCES): a notice, and the rest is analysed', async () => {
    const dir = tree({ 'go.mod': 'module example.com/u\n\ngo 1.23\n', 'main.go': 'package main\nfunc main() {}\n', 'locked/x.go': 'package locked\n', 'open/y.go': 'package open\n' })
    const fs: ProjectFs = {
      ...nodeProjectFs,
      list: (p) => (String(p).endsWith(`${join('/', 'locked')}`) ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) : nodeProjectFs.list(p)),
    }
    const a = await new GoProjects({ fs, git: null }).analyze(dir)
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(a.stats.goFiles).toBe(2)
    expect(a.notices.map((n) => [n.code, n.message])).toEqual([['unreadable', '1 folder could not be read: locked (EACCES).']])
  })

  // Tests run as root here, and root reads a chmod 000 folder anyway. So the real-permission case
  // runs the analysis in a child process as `nobody`; as a normal user it runs in-process.
  it('an unreadable folder (real chmod 000)', async () => {
    const dir = tree({ 'go.mod': 'module example.com/u\n\ngo 1.23\n', 'main.go': 'package main\nfunc main() {}\n', 'locked/x.go': 'package locked\n' })
    chmodSync(join(dir, 'locked'), 0o000)
    locked.push(join(dir, 'locked'))
    let result: { notices: { code: string; message: string }[]; mains: string[] }
    if (process.getuid?.() === 0) {
      chmodSync(dir, 0o755) // mkdtemp made it 0700; /tmp itself is world-readable
      const script = `import { GoProjects } from ${JSON.stringify(join(ROOT, 'electron/services/go-project/index.ts'))}
const a = await new GoProjects({ git: null }).analyze(${JSON.stringify(dir)})
console.log(JSON.stringify({ notices: a.notices, mains: a.mains.map((m) => m.dir) }))`
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT,
        uid: 65534,
        gid: 65534,
        env: { ...process.env, HOME: tmpdir() },
      })
      result = JSON.parse(stdout) as typeof result
    } else {
      const a = await analyze(dir)
      result = { notices: a.notices, mains: a.mains.map((m) => m.dir) }
    }
    expect(result.mains).toEqual(['.'])
    expect(result.notices.map((n) => [n.code, n.message])).toEqual([['unreadable', '1 folder could not be read: locked (EACCES).']])
  }, 30_000)

  it('names with spaces, quotes and bytes that are not UTF-8', async () => {
    const odd = `we ird "q" 'd' $x`
    const dir = tree({ 'go.mod': 'module example.com/odd\n\ngo 1.23\n', [`${odd}/main.go`]: 'package main\nimport "os"\nfunc main() { os.ReadFile("my conf.yaml") }\n', 'my conf.yaml': '' })
    // A file named caf\xe9.go (Latin-1): readable only through its raw bytes.
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/${odd}/caf`), Buffer.from([0xe9]), Buffer.from('.go')]), 'package main\nimport "os"\nfunc init() { _ = os.Getenv("LATIN1") }\n')
    const a = await analyze(dir, odd)
    expect(a.mains.map((m) => [m.dir, m.binary, m.files])).toEqual([[odd, 'we-ird--q---d---x', [`${odd}/caf\uFFFD.go`, `${odd}/main.go`]]])
    expect(a.needs.env.map((e) => [e.name, e.evidence.map((x) => x.file)])).toEqual([['LATIN1', [`${odd}/caf\uFFFD.go`]]])
    expect(places(a.needs.runtimeFiles)).toEqual([{ path: 'my conf.yaml', exists: true, required: false, evidence: at(`${odd}/main.go`, 3) }])
    expect(a.notices.map((n) => n.message)).toEqual([`1 name is not valid UTF-8 (shown with �): ${odd}/caf\uFFFD.go.`])
  })

  it('a file larger than the read cap is analysed in part, with a notice', async () => {
    const dir = tree({ 'go.mod': 'module example.com/big\n\ngo 1.23\n', 'main.go': `package main\nimport "os"\nfunc main() { _ = os.Getenv("EARLY") }\n${'// padding\n'.repeat(500)}func late() { _ = os.Getenv("LATE") }\n` })
    const a = await new GoProjects({ maxBytesPerFile: 1024, git: null }).analyze(dir)
    expect(a.needs.env.map((e) => e.name)).toEqual(['EARLY'])
    expect(a.notices.map((n) => n.message)).toEqual(['main.go is larger than 1 KiB: only the first 1 KiB were analysed.'])
  })

  it('the scan pool gives the same analysis as scanning on one thread, and a pool whose worker cannot start loses nothing', async () => {
    // 900 files (past the 400 scanned on the service's thread), with what each step has to get right:
    // imports past the first 8 KiB, a header cut mid-character there, binary junk, an oversized main, env reads.
    const files: Record<string, string | Buffer> = {
      'go.mod': 'module example.com/pool\n\ngo 1.23\n',
      'main.go': `package main\nimport (\n\t"net/http"\n\t"os"\n${Array.from({ length: 30 }, (_, p) => `\t_ "example.com/pool/pkg/p${p}"`).join('\n')}\n)\nfunc main() { http.ListenAndServe(":"+os.Getenv("PORT"), nil) }\n`,
      'pkg/p29/zz_junk.go': Buffer.from([0x70, 0x61, 0, 1, 2, 3, 0xff]),
      'pkg/p28/zz_long.go': `// ${'é'.repeat(4095)}\npackage p28\n\nimport (\n${Array.from({ length: 400 }, (_, k) => `\t_ "example.com/pool/pkg/p${k % 30}"`).join('\n')}\n)\n`,
    }
    for (let p = 0; p < 30; p++)
      for (let f = 0; f < 30; f++)
        files[`pkg/p${p}/f${f}.go`] = `package p${p}\n\nimport (\n\t"os"\n\t"strings"\n)\n\nvar V${f} = ${f === 0 && p % 3 === 0 ? `os.Getenv("P${p}_TOKEN")` : `strings.ToUpper("x")`}\n\nfunc F${f}() string { return V${f} }\n`
    const dir = tree(files)
    const inline = await new GoProjects({ git: null, scanPool: null }).analyze(dir)
    const pool = new ScanPool(workerModuleUrl('go-scan-worker', new URL('../../../electron/services/go-project/', import.meta.url)), 2)
    try {
      const pooled = await new GoProjects({ git: null, scanPool: pool, usePool: () => true }).analyze(dir)
      const { stats: s1, ...a } = inline
      const { stats: s2, ...b } = pooled
      expect(b).toEqual(a)
      expect(s2.files).toBe(s1.files)
      expect(pool.answered).toBeGreaterThanOrEqual(3) // the walk's files past 400 in batches of 200, and the closure's rescans
    } finally {
      await pool.close()
    }
    expect(inline.needs.env.map((e) => e.name)).toEqual(['PORT', 'P0_TOKEN', 'P12_TOKEN', 'P15_TOKEN', 'P18_TOKEN', 'P21_TOKEN', 'P24_TOKEN', 'P27_TOKEN', 'P3_TOKEN', 'P6_TOKEN', 'P9_TOKEN'])
    expect(inline.notices.find((n) => n.code === 'not-go-source')?.severity).toBe('error')
    const broken = new ScanPool(new URL('file:///nonexistent/go-scan-worker.js'), 2)
    try {
      const { stats: _s, ...c } = await new GoProjects({ git: null, scanPool: broken, usePool: () => true }).analyze(dir)
      const { stats: _t, ...a } = inline
      expect(c).toEqual(a)
      expect(broken.answered).toBe(0)
      // A machine with no core to spare does not use the pool.
      const busy = new ScanPool(workerModuleUrl('go-scan-worker', new URL('../../../electron/services/go-project/', import.meta.url)), 2)
      await new GoProjects({ git: null, scanPool: busy, usePool: () => false }).analyze(dir)
      expect(busy.answered).toBe(0)
    } finally {
      await broken.close()
    }
  }, 120_000)

  it('opens each .go file once: a package with a file worth a full scan has its other files scanned from the bytes read', async () => {
    const files: Record<string, string> = {
      'go.mod': 'module example.com/once\n\ngo 1.23\n',
      'main.go': 'package main\nimport (\n\t"net/http"\n\t"example.com/once/conf"\n)\nfunc main() { http.ListenAndServe(conf.Addr, nil) }\n',
      // conf.go reads the environment (level full); port.go and name.go only declare what it uses.
      'conf/conf.go': 'package conf\nimport "os"\nvar Addr = ":" + pick(os.Getenv("ONCE_PORT"))\n',
      'conf/port.go': 'package conf\nconst defaultPort = "8077"\n',
      'conf/pick.go': 'package conf\nfunc pick(v string) string {\n\tif v == "" {\n\t\treturn defaultPort\n\t}\n\treturn v\n}\n',
    }
    const dir = tree(files)
    const reads = new Map<string, number>()
    const counting: ProjectFs = {
      ...nodeProjectFs,
      readHead: (p, max) => {
        const rel = String(p).slice(dir.length + 1)
        reads.set(rel, (reads.get(rel) ?? 0) + 1)
        return nodeProjectFs.readHead(p, max)
      },
    }
    const a = await new GoProjects({ git: null, fs: counting }).analyze(dir)
    expect(a.needs.env.map((e) => e.name)).toEqual(['ONCE_PORT'])
    expect([...reads].filter(([f]) => f.endsWith('.go')).sort()).toEqual([
      ['conf/conf.go', 1],
      ['conf/pick.go', 1],
      ['conf/port.go', 1],
      ['main.go', 1],
    ])
  })

  it('100,000 files: finishes with a result in reasonable time; over the limit is ProjectTooLarge', async () => {
    // On a disk mounted with `discard`, creating and deleting 100,000 files takes minutes: use memory when there is some.
    const dir = tempDir(existsSync('/dev/shm') ? '/dev/shm' : tmpdir())
    writeFileSync(join(dir, 'go.mod'), 'module example.com/huge\n\ngo 1.23\n')
    writeFileSync(join(dir, 'main.go'), 'package main\nimport _ "example.com/huge/pkg/p0"\nfunc main() {}\n')
    for (let p = 0; p < 1000; p++) {
      const d = join(dir, 'pkg', `p${p}`)
      mkdirSync(d, { recursive: true })
      for (let f = 0; f < 100; f++) writeFileSync(join(d, f < 20 ? `f${f}.go` : `data${f}.json`), f < 20 ? `package p${p}\n\nimport "os"\n\nvar V${f} = os.Getenv("P${p}")\n` : '{}')
    }
    const started = performance.now()
    const a = await new GoProjects({ git: null }).analyze(dir)
    const ms = performance.now() - started
    expect(a.stats).toMatchObject({ files: 100_002, goFiles: 20_001 })
    expect(a.mains.map((m) => m.dir)).toEqual(['.'])
    expect(a.needs.env.map((e) => e.name)).toEqual(['P0']) // only the imported package's needs
    expect(ms).toBeLessThan(15_000)

    const err = await new GoProjects({ git: null, maxFiles: 50_000 }).analyze(dir).catch((e: Error & { detail?: string }) => e)
    expect(err).toMatchObject({ name: 'ProjectTooLarge', message: `${dir} has more than 50,000 files and folders: that is not one Go project.` })
    expect((err as { detail?: string }).detail).toMatch(/^Open the folder that holds the go\.mod/)
  }, 120_000)
})

/** Every path under dir with its size and mtime: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      const s = statSync(p)
      out[p] = `${s.size}:${s.mtimeMs}`
      if (e.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}
