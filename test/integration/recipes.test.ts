// Every recipe × every Go fixture that can run here (and the example project), built on the real
// engine with BuildKit and the offline stand-in bases, started, and checked from outside: servers
// answer over a published port, CLIs exit 0 with their output, HTTPS code finds its CA bundle, tz
// code finds its zone, and nothing runs as root. One classic-builder build proves that variant.
//
// The stand-ins replace the built-in bases' image references through the product's own mechanism
// for mirrored bases (`resolveBases` with entries whose id is a built-in id), and the builder through
// the builder override, as a user's settings would. The product's defaults stay the official images.
// The project folders are only read: Dockerfile and .dockerignore travel in memory (test/support/docker-build.ts).
import { execFile } from 'node:child_process'
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveBases, type BaseImage } from '../../shared/dockerfile/bases'
import { generateRecipe, RUNTIME_USER, type Recipe } from '../../shared/dockerfile/generate'
import type { ProjectAnalysis } from '../../shared/types/project'
import { GoProjects } from '../../electron/services/go-project'
import { buildImage, removeStageImages, type BuildResult } from '../support/docker-build'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'go')
const docker = new Dockerode()
const RUN = `${Date.now().toString(36)}-${process.pid}`
const LABELS = { 'org.slipway.it': 'recipes', 'org.slipway.it.run': RUN }
/** A build plus a start; the first build of a cold machine also compiles the standard library. */
const TIMEOUT = 300_000

// ── Stand-ins, through the product's settings mechanisms ────────────────────────────────────────
const BUILDER = 'slipway-test/golang:1.23'
const MIRRORS = [
  { id: 'distroless-static', basedOn: 'distroless-static', image: 'slipway-test/distroless-static:nonroot' },
  { id: 'alpine', basedOn: 'alpine', image: 'slipway-test/alpine:3.20' },
  { id: 'debian-slim', basedOn: 'debian-slim', image: 'slipway-test/debian-slim:bookworm' },
] as const
const ALPINE = 'slipway-test/alpine:3.20'
const resolved = resolveBases(MIRRORS)
type BaseId = 'scratch' | 'distroless-static' | 'alpine' | 'debian-slim'
const MAIN_BASES: BaseId[] = ['scratch', 'distroless-static', 'alpine']
const base = (id: BaseId): BaseImage => {
  const b = resolved.bases.find((x) => x.id === id)
  if (!b) throw new Error(`no base ${id}`)
  return b
}
/** Stamped into every build except git-repo's (which stamps its real tag): constant, so warm runs hit the cache. */
const STAMP = { version: 'v0.0.0-it', commit: 'abc1234' }
const CA_COPY = 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/'

// ── The matrix ────────────────────────────────────────────────────────────────────────────────
interface HttpCheck {
  path: string
  status: number
  body: RegExp
}
interface Server {
  kind: 'server'
  port: number
  checks: HttpCheck[]
  env?: string[]
  /**
   * What the analysis must report the program stops without (variables and flags, exactly). The
   * server is started with each given a value, as the notice says; on scratch it is also started
   * without them and must stop, so the finding is proved, not assumed.
   */
  required?: { env?: string[]; flags?: string[] }
}
interface Cli {
  kind: 'cli'
  cmd?: string[]
  env?: string[]
  /** Host files bind-mounted read-only, as `[hostPath, containerPath]`. */
  binds?: () => [string, string][]
  stdout: RegExp
}
interface Case {
  /** Row of the size table, part of image and container names. */
  name: string
  /** The fixture folder (FIXTURES/<fixture>) or another project folder. */
  dir: () => string
  fixture: string | null
  main?: string
  /** Analyse with git (only the temp git repository: the fixtures live inside Slipway's own repository). */
  git?: boolean
  /** Needs cgo: built with CGO_ENABLED=1, the builder on the target platform (no cross-compiling). */
  cgo?: boolean
  bases: BaseId[]
  /** What the program needs that the recipe must provide on bases without it. */
  needs?: ('ca' | 'tz')[]
  run: Server | Cli
  /** Fixture-specific recipe facts. */
  recipe?: (r: Recipe) => void
  /** Fixture-specific analysis facts. */
  analysis?: (a: ProjectAnalysis) => void
}

/** The six configuration libraries of the config-libs fixture: its main, the port the library's default gives, what it stops without, and the variable that sets the address. */
const CONFIG_LIBS: { main: string; port: number; required: { env?: string[]; flags?: string[] }; via: string; body: RegExp }[] = [
  { main: 'envconfig', port: 8101, required: { env: ['SHOP_TOKEN'] }, via: 'env SHOP_PORT', body: /^envconfig: db db, token 8 bytes$/m },
  { main: 'caarlos', port: 8102, required: { env: ['APP_API_KEY'] }, via: 'env APP_LISTEN_ADDR', body: /^caarlos0\/env: db postgres:\/\/db\/app$/m },
  { main: 'ardan', port: 8103, required: { env: ['SALES_AUTH_KEY_ID'] }, via: 'env SALES_WEB_API_HOST', body: /^ardanlabs\/conf: key it-value$/m },
  { main: 'viper', port: 8104, required: { env: ['INVENTORY_TOKEN'] }, via: 'env INV_SERVER_PORT', body: /^viper: inventory$/m },
  { main: 'urfave', port: 8105, required: { env: ['BILLING_SECRET'] }, via: 'env BILLING_PORT', body: /^urfave\/cli: billing$/m },
  { main: 'cobra', port: 8106, required: { flags: ['token'] }, via: 'flag addr', body: /^cobra: token 8 bytes$/m },
]

let gitRepo = ''
const fixture = (name: string) => () => join(FIXTURES, name)

const CASES: Case[] = [
  {
    name: 'plain-server',
    fixture: 'plain-server',
    dir: fixture('plain-server'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8080, checks: [{ path: '/', status: 200, body: /^hello from plain-server v0\.0\.0-it \(abc1234\)$/m }] },
  },
  {
    // No health or root route: /users runs the handler, whose HTTPS fetch cannot succeed offline (502).
    name: 'multi-main-users',
    fixture: 'multi-main',
    dir: fixture('multi-main'),
    main: 'api/services/users',
    bases: [...MAIN_BASES, 'debian-slim'],
    needs: ['ca'],
    run: { kind: 'server', port: 8081, checks: [{ path: '/users', status: 502, body: /directory\.example\.com/ }] },
  },
  {
    name: 'multi-main-migrate',
    fixture: 'multi-main',
    dir: fixture('multi-main'),
    main: 'tools/migrate',
    bases: MAIN_BASES,
    run: { kind: 'cli', cmd: ['-dsn', 'postgres://db/app'], stdout: /^migrating postgres:\/\/db\/app$/m },
    recipe: (r) => expect(r.dockerfile).toContain('-o /out/migrate ./tools/migrate'),
  },
  {
    name: 'https-client',
    fixture: 'https-client',
    dir: fixture('https-client'),
    bases: [...MAIN_BASES, 'debian-slim'],
    needs: ['ca'],
    // The program loads the system pool and prints its size (exit 1 when it is empty): no network needed.
    run: { kind: 'cli', stdout: /^CA certificates: [1-9]\d{2,}$/m },
  },
  {
    name: 'tz-lookup',
    fixture: 'tz-lookup',
    dir: fixture('tz-lookup'),
    bases: [...MAIN_BASES, 'debian-slim'],
    needs: ['tz'],
    // Europe/Berlin is UTC+1 or UTC+2: a zone that was really loaded (UTC would print Z).
    run: { kind: 'cli', stdout: /^Europe\/Berlin \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/m },
  },
  {
    name: 'embed',
    fixture: 'embed',
    dir: fixture('embed'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8080, checks: [{ path: '/', status: 200, body: /Served from inside the binary\./ }] },
  },
  {
    name: 'config-file',
    fixture: 'config-file',
    dir: fixture('config-file'),
    bases: MAIN_BASES,
    // The greeting comes from config.yaml through templates/page.html: both run-time files made it in.
    run: { kind: 'server', port: 8080, checks: [{ path: '/', status: 200, body: /<p>Hello from config\.yaml<\/p>/ }] },
    recipe: (r) => {
      expect(r.dockerfile).toContain('COPY config.yaml /app/config.yaml')
      expect(r.dockerfile).toContain('COPY templates/page.html /app/templates/page.html')
    },
  },
  {
    name: 'localhost-bind',
    fixture: 'localhost-bind',
    dir: fixture('localhost-bind'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8080, checks: [{ path: '/', status: 200, body: /^hello from localhost-bind$/m }] },
    recipe: (r) => {
      expect(r.dockerfile).toMatch(/^ENV ADDR=:8080$/m)
      expect(r.notices.map((n) => n.code)).toContain('loopback-fixed')
    },
  },
  {
    name: 'no-gomod',
    fixture: 'no-gomod',
    dir: fixture('no-gomod'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^hello from a program without go\.mod$/m },
  },
  {
    name: 'toolchain',
    fixture: 'toolchain',
    dir: fixture('toolchain'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^built with go1\.23\.\d+$/m },
  },
  {
    name: 'vendored',
    fixture: 'vendored',
    dir: fixture('vendored'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^hello from tiny, vendored$/m },
    recipe: (r) => expect(r.dockerfile).toContain('-mod=vendor'),
  },
  {
    // go 1.13: modules.txt has no explicit markers, -mod=vendor is not the default there, and the go command does not call it inconsistent.
    name: 'vendored-go113',
    fixture: 'vendored-go113',
    dir: fixture('vendored-go113'),
    bases: ['scratch'],
    run: { kind: 'cli', stdout: /^hello from tiny, vendored at go 1\.13$/m },
    recipe: (r) => expect(r.dockerfile).toContain('-mod=vendor'),
  },
  {
    // go.work uses a module outside the folder: with go.work read, go would stop ("cannot load module ../workspace-tools").
    name: 'workspace',
    fixture: 'workspace',
    dir: fixture('workspace'),
    bases: ['scratch'],
    run: { kind: 'cli', stdout: /^hello from a module in a workspace$/m },
    recipe: (r) => expect(r.dockerfile).toContain('ENV GOWORK=off'),
  },
  {
    // A temp copy made a repository (init, commit, tag v1.2.3): the recipe stamps the tag and commit.
    name: 'git-repo',
    fixture: 'git-repo',
    dir: () => gitRepo,
    git: true,
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^v1\.2\.3 [0-9a-f]{7,}$/m },
  },
  {
    name: 'cli-tool',
    fixture: 'cli-tool',
    dir: fixture('cli-tool'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^3\n2\n1\ndone\n$/ },
  },
  {
    name: 'version-flag',
    fixture: 'version-flag',
    dir: fixture('version-flag'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^serving API v1 \(commit abc1234\)$/m },
  },
  {
    // .env is not copied (secrets): the image carries an empty one, so the program starts with the variable passed as the notice says.
    name: 'requires-env-file',
    fixture: 'requires-env-file',
    dir: fixture('requires-env-file'),
    bases: MAIN_BASES,
    run: { kind: 'cli', env: ['API_KEY=it-secret'], stdout: /^API_KEY set: true$/m },
    recipe: (r) => {
      expect(r.dockerfile).toContain('COPY --from=build /out/.slipway-empty /app/.env')
      expect(r.dockerfile).not.toMatch(/^COPY (?!--from=build).*\.env/m)
      expect(r.notices.find((n) => n.code === 'runtime-file-secret')?.detail).toContain('`docker run -e NAME=value` (API_KEY)')
    },
  },
  {
    // C code through cgo: only a glibc base runs it (the others stop with a `cgo-base` error, below).
    // The builder stand-in has gcc and libc6-dev, like golang:*-bookworm. Without cgo the package
    // would have no buildable files at all, so the sum printed proves the C function ran.
    name: 'cgo',
    fixture: 'cgo',
    dir: fixture('cgo'),
    cgo: true,
    bases: ['debian-slim'],
    run: { kind: 'cli', stdout: /^2 \+ 3 = 5$/m },
    recipe: (r) => {
      expect(r.notices.map((n) => `${n.severity}:${n.code}`)).toContain('info:cgo-enabled')
      expect(r.dockerfile).toContain('CGO_ENABLED=1')
      expect(r.dockerfile).not.toContain('CGO_ENABLED=0')
    },
  },
  {
    // A named constant as a FlagSet flag's default, overridden by $PORT when set, joined with net.JoinHostPort.
    name: 'ports',
    fixture: 'ports',
    dir: fixture('ports'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8090, required: { env: ['GREETING'] }, checks: [{ path: '/', status: 200, body: /^it-value from port 8090$/m }] },
    analysis: (a) => {
      expect(a.needs.listen.map((l) => [l.host, l.port, l.via, l.alsoVia])).toEqual([
        ['', 8090, { kind: 'env', name: 'PORT' }, [{ kind: 'flag', name: 'host' }, { kind: 'flag', name: 'port' }]],
      ])
      expect(a.notices.find((n) => n.code === 'required-env')?.message).toBe('The program stops unless GREETING is set.')
    },
  },
  // Each configuration library's struct tags, defaults and prefixes give the port, the variables and what is required.
  ...CONFIG_LIBS.map(
    (c): Case => ({
      name: `config-libs-${c.main}`,
      fixture: 'config-libs',
      dir: fixture('config-libs'),
      main: `cmd/${c.main}`,
      bases: MAIN_BASES,
      run: { kind: 'server', port: c.port, required: c.required, checks: [{ path: '/', status: 200, body: c.body }] },
      recipe: (r) => expect(r.dockerfile).toContain('-mod=vendor'),
      analysis: (a) => expect(a.needs.listen.map((l) => `${l.port} via ${l.via.kind} ${l.via.kind === 'literal' ? '' : l.via.name}`)).toEqual([`${c.port} via ${c.via}`]),
    }),
  ),
  // Modules that are not (only) the folder's root: a go.work whose every `use` is inside the folder
  // (kept: the import only go.work resolves builds), a go.work with no root go.mod (the used
  // module's main, built with `go -C api` in the workspace), and a folder with no go.mod whose mains
  // sit in nested modules (each built from its module folder, its run-time file copied from there).
  {
    name: 'workspace-inside',
    fixture: 'workspace-inside',
    dir: fixture('workspace-inside'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^hello from the workspace, every module inside$/m },
    recipe: (r) => expect(r.dockerfile).not.toContain('GOWORK'),
  },
  {
    name: 'workspace-nomod',
    fixture: 'workspace-nomod',
    dir: fixture('workspace-nomod'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^wslib from api, built in its workspace$/m },
    recipe: (r) => {
      expect(r.dockerfile).toContain('go -C api build')
      expect(r.dockerfile).not.toContain('GOWORK')
    },
  },
  {
    name: 'nested-modules',
    fixture: 'nested-modules',
    dir: fixture('nested-modules'),
    bases: MAIN_BASES,
    run: { kind: 'cli', stdout: /^hello from cmd\/api$/m },
    recipe: (r) => {
      expect(r.dockerfile).toContain('go -C cmd/api build')
      expect(r.dockerfile).toContain('COPY cmd/api/greeting.txt /app/greeting.txt')
    },
  },
  {
    name: 'nested-modules-gen',
    fixture: 'nested-modules',
    dir: fixture('nested-modules'),
    main: 'tools/gen',
    bases: ['scratch'],
    run: { kind: 'cli', stdout: /^gen: one two$/m },
    recipe: (r) => expect(r.dockerfile).toContain('go -C tools/gen build'),
  },
  {
    // The example project: its sizes go into the table, on every base. TZ_NAME makes it load a real zone.
    name: 'hello-api',
    fixture: null,
    dir: () => join(ROOT, 'examples', 'hello-api'),
    bases: [...MAIN_BASES, 'debian-slim'],
    needs: ['tz'],
    run: {
      kind: 'server',
      port: 8080,
      env: ['TZ_NAME=Europe/Berlin'],
      checks: [
        { path: '/healthz', status: 200, body: /^\{"status":"ok"\}$/m },
        { path: '/version', status: 200, body: /"version":"v0\.0\.0-it"/ },
        { path: '/', status: 200, body: /"time_zone":"Europe\/Berlin"/ },
      ],
    },
  },
  {
    // A kept workspace whose other module (./web) reads the port and the variables: the analysis follows the import there.
    name: 'workspace-follow',
    fixture: 'workspace-follow',
    dir: fixture('workspace-follow'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8097, checks: [{ path: '/', status: 200, body: /^wsfollow: hello from a module of the workspace$/m }] },
    recipe: (r) => expect(r.dockerfile).toContain('EXPOSE 8097'),
    analysis: (a) => expect(a.needs.env.map((e) => e.name)).toEqual(['WSF_PORT', 'WSF_GREETING']),
  },
  {
    // A port from another package: a function's result (config.Addr()) that is a third package's variable.
    name: 'ports-follow',
    fixture: 'ports-follow',
    dir: fixture('ports-follow'),
    bases: MAIN_BASES,
    run: { kind: 'server', port: 8093, checks: [{ path: '/', status: 200, body: /^ports-follow on :8093$/m }] },
    recipe: (r) => expect(r.dockerfile).toContain('EXPOSE 8093'),
    analysis: (a) => expect(a.needs.listen.map((l) => l.port)).toEqual([8093]),
  },
]

/** Fixtures that cannot run here, and why (each exclusion asserted, not skipped). None at present. */
const EXCLUDED: Record<string, string> = {}

// ── Bookkeeping: everything created is removed in afterAll, even after failures ─────────────────
const images = new Set<string>()
const containers = new Set<string>()
const classicStages: string[] = []
const sizes = new Map<string, Map<string, number>>()
const durations: { name: string; ms: number }[] = []
let envFile = ''
let scratchDir = ''

beforeAll(async () => {
  expect(resolved.problems).toEqual([])
  for (const m of MIRRORS) expect(base(m.id).image).toBe(m.image)
  const missing: string[] = []
  for (const ref of [BUILDER, ...MIRRORS.map((m) => m.image)]) {
    if (!(await docker.getImage(ref).inspect().catch(() => null))) missing.push(ref)
  }
  if (missing.length > 0) throw new Error(`Stand-in images missing: ${missing.join(', ')}. Run \`npm run provision\`.`)
  scratchDir = mkdtempSync(join(tmpdir(), 'slipway-it-recipes-'))
  // git-repo as a real repository, in a temp copy (no nested .git in Slipway's repository).
  gitRepo = join(scratchDir, 'git-repo')
  cpSync(join(FIXTURES, 'git-repo'), gitRepo, { recursive: true })
  const git = (...args: string[]) => run('git', ['-c', 'user.email=it@slipway.invalid', '-c', 'user.name=Slipway IT', '-c', 'commit.gpgsign=false', ...args], { cwd: gitRepo })
  await git('init', '-q', '-b', 'main')
  await git('add', '.')
  await git('commit', '-q', '-m', 'initial')
  await git('tag', 'v1.2.3')
  envFile = join(scratchDir, 'dot-env')
  writeFileSync(envFile, 'API_KEY=it-secret\n')
  chmodSync(envFile, 0o644)
})

afterAll(async () => {
  // Containers first (by id, then anything else labelled with this run), then images, then the
  // classic builder's dangling stage images (they carry no labels: tracked by id from its log).
  const labelled = await docker.listContainers({ all: true, filters: { label: [`org.slipway.it.run=${RUN}`] } }).catch(() => [])
  for (const id of new Set([...containers, ...labelled.map((c) => c.Id)])) await docker.getContainer(id).remove({ force: true }).catch(() => undefined)
  const labelledImages = await docker.listImages({ filters: { label: [`org.slipway.it.run=${RUN}`] } }).catch(() => [])
  for (const ref of new Set([...images, ...labelledImages.flatMap((i) => i.RepoTags ?? [])])) {
    await docker.getImage(ref).remove().catch(() => undefined)
  }
  await removeStageImages(docker, classicStages)
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true })
  printSizes()
}, 120_000)

function printSizes(): void {
  if (sizes.size === 0) return
  const cols: string[] = ['scratch', 'distroless-static', 'alpine', 'debian-slim']
  const mb = (n: number | undefined) => (n === undefined ? '—' : `${(n / 1e6).toFixed(2)} MB`)
  const rows = [...sizes].map(([name, by]) => `| ${name} | ${cols.map((c) => mb(by.get(c))).join(' | ')} |`)
  const slowest = [...durations].sort((a, b) => b.ms - a.ms).slice(0, 3)
  console.log(
    [
      `Image sizes (docker image inspect .Size, MB = 10^6 bytes), run ${RUN}:`,
      `| image | ${cols.join(' | ')} |`,
      `|---|${cols.map(() => '---:').join('|')}|`,
      ...rows,
      `Builds: ${durations.length}, ${(durations.reduce((s, d) => s + d.ms, 0) / 1000).toFixed(1)} s in all; slowest: ${slowest.map((d) => `${d.name} ${(d.ms / 1000).toFixed(1)} s`).join(', ')}`,
    ].join('\n'),
  )
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────
const projects = new GoProjects({ git: null })
const gitProjects = new GoProjects()

async function analyse(c: Case): Promise<ProjectAnalysis> {
  return (c.git ? gitProjects : projects).analyze(c.dir(), c.main ? { main: c.main } : {})
}

async function build(name: string, dir: string, recipe: Recipe, buildkit: boolean): Promise<BuildResult & { tag: string }> {
  const tag = `slipway-it/recipes-${name}:${RUN}`
  images.add(tag)
  const result = await buildImage(docker, {
    contextDir: dir,
    dockerfile: recipe.dockerfile,
    dockerignore: recipe.dockerignore,
    tag,
    buildkit,
    buildArgs: recipe.buildArgs,
    labels: LABELS,
  })
  durations.push({ name, ms: result.durationMs })
  return { ...result, tag }
}

interface RunOptions {
  cmd?: string[]
  env?: string[]
  binds?: [string, string][]
  port?: number
  entrypoint?: string[]
  networkOf?: string
}

async function start(image: string, name: string, o: RunOptions = {}): Promise<Dockerode.Container> {
  const ctr = await docker.createContainer({
    Image: image,
    name: `slipway-it-recipes-${name}-${RUN}`,
    Labels: LABELS,
    ...(o.cmd ? { Cmd: o.cmd } : {}),
    ...(o.entrypoint ? { Entrypoint: o.entrypoint, Cmd: [] } : {}),
    Env: o.env ?? [],
    HostConfig: {
      Binds: (o.binds ?? []).map(([h, c]) => `${h}:${c}:ro`),
      ...(o.port ? { PortBindings: { [`${o.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
      ...(o.networkOf ? { NetworkMode: `container:${o.networkOf}` } : {}),
    },
  })
  containers.add(ctr.id)
  await ctr.start()
  return ctr
}

async function remove(ctr: Dockerode.Container): Promise<void> {
  await ctr.remove({ force: true }).catch(() => undefined)
  containers.delete(ctr.id)
}

/** stdout and stderr of a container, from the multiplexed log stream (no TTY). */
async function output(ctr: Dockerode.Container): Promise<{ stdout: string; stderr: string }> {
  const buf = await ctr.logs({ stdout: true, stderr: true, follow: false })
  const out: Buffer[][] = [[], [], []]
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4)
    out[buf[i] === 2 ? 2 : 1]?.push(buf.subarray(i + 8, i + 8 + size))
    i += 8 + size
  }
  return { stdout: Buffer.concat(out[1] ?? []).toString(), stderr: Buffer.concat(out[2] ?? []).toString() }
}

/** Runs a container to its end: exit code and output. */
async function runToEnd(image: string, name: string, o: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const ctr = await start(image, name, o)
  try {
    const { StatusCode } = (await ctr.wait()) as { StatusCode: number }
    return { code: StatusCode, ...(await output(ctr)) }
  } finally {
    await remove(ctr)
  }
}

/** The host port the engine picked for `port` (published on 127.0.0.1 only). */
async function hostPort(ctr: Dockerode.Container, port: number): Promise<number> {
  const info = await ctr.inspect()
  const p = info.NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort
  if (!p) throw new Error(`port ${port} is not published`)
  return Number(p)
}

/** GETs `url` until the server answers (any status), or fails with the container's logs once it has stopped or 20 s passed. */
async function getWhenUp(ctr: Dockerode.Container, url: string): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      return { status: res.status, body: await res.text() }
    } catch (e) {
      const state = (await ctr.inspect()).State
      if (!state.Running || Date.now() > deadline) {
        const { stdout, stderr } = await output(ctr)
        throw new Error(`${url} did not answer (${(e as Error).message}; container ${state.Status}, exit ${state.ExitCode})\n${stdout}${stderr}`, { cause: e })
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** `uid:gid` of every process of the container, numeric, as the host's ps sees them (works on scratch: no exec). */
async function processUserIds(ctr: Dockerode.Container): Promise<string[]> {
  const top = (await ctr.top({ ps_args: '-e -o pid,uid,gid,comm' })) as { Titles: string[]; Processes: string[][] }
  const uid = top.Titles.indexOf('UID')
  const gid = top.Titles.indexOf('GID')
  return top.Processes.map((p) => `${p[uid]}:${p[gid]}`)
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

function expectRecipeFacts(c: Case, r: Recipe, b: BaseImage): void {
  expect(r.notices.filter((n) => n.severity === 'error')).toEqual([])
  // cgo cannot cross-compile without a cross C toolchain: its builder runs on the target platform.
  expect(r.dockerfile).toMatch(new RegExp(`^FROM ${escapeRe(`${c.cgo ? '' : '--platform=$BUILDPLATFORM '}${BUILDER}`)} AS build$`, 'm'))
  expect(r.dockerfile).toMatch(new RegExp(`^FROM ${escapeRe(b.image)}$`, 'm'))
  expect(r.dockerfile).toMatch(/--mount=type=cache,target=\/root\/\.cache\/go-build/)
  // Needs the base lacks are brought by the recipe; needs the base meets are not duplicated.
  if (c.needs?.includes('ca')) expect(r.dockerfile.includes(CA_COPY)).toBe(!b.caCerts)
  // tz data is embedded whatever the base (one binary on every base; the base's zone files are read first).
  if (c.needs?.includes('tz')) expect(r.dockerfile).toContain('-tags=timetzdata')
  c.recipe?.(r)
}

// ── The tests ─────────────────────────────────────────────────────────────────────────────────
describe('the matrix', () => {
  it('covers every fixture folder: run below, or excluded with a reason', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
    const covered = new Set([...CASES.map((c) => c.fixture).filter((f): f is string => f !== null), ...Object.keys(EXCLUDED)])
    expect([...covered].sort()).toEqual(folders)
  })
})

// The matrix's tests run a few at a time (vitest's maxConcurrency): most of each is waiting on the
// engine (a cached build, a container start, an HTTP answer), and each names its containers and
// images uniquely. BuildKit runs a build stage shared by two bases once, however they interleave.
describe.concurrent.each(CASES)('$name', (c) => {
  it.each(c.bases)(
    'builds with BuildKit on %s, runs, and does its job as a non-root user',
    async (baseId) => {
      const b = base(baseId)
      const analysis = await analyse(c)
      c.analysis?.(analysis)
      const recipe = generateRecipe(analysis, { base: b, builderImage: BUILDER, buildkit: true, ...(c.git ? {} : STAMP) })
      expectRecipeFacts(c, recipe, b)
      if (c.git) expect(recipe.buildArgs).toEqual({ VERSION: 'v1.2.3', COMMIT: analysis.git?.commit })

      const name = `${c.name}-${baseId}`
      const { tag } = await build(name, c.dir(), recipe, true)
      const image = await docker.getImage(tag).inspect()
      sizes.set(c.name, (sizes.get(c.name) ?? new Map<string, number>()).set(baseId, image.Size))
      expect(image.Config.User).toBe(RUNTIME_USER)
      expect(Object.keys(image.Config.ExposedPorts ?? {})).toEqual(c.run.kind === 'server' ? [`${c.run.port}/tcp`] : [])
      expect(image.Config.Labels).toMatchObject({ 'org.opencontainers.image.version': recipe.buildArgs.VERSION, 'org.opencontainers.image.revision': recipe.buildArgs.COMMIT })

      if (c.run.kind === 'server') {
        // What the analysis says the program stops without, given as the notice says (a value per variable, `--flag value`).
        const needEnv = analysis.needs.env.filter((e) => e.required).map((e) => e.name)
        const needFlags = analysis.needs.requiredFlags.map((f) => f.name)
        expect({ env: needEnv, flags: needFlags }).toEqual({ env: c.run.required?.env ?? [], flags: c.run.required?.flags ?? [] })
        const given = { env: [...(c.run.env ?? []), ...needEnv.map((n) => `${n}=it-value`)], cmd: needFlags.flatMap((f) => [`--${f}`, 'it-value']) }
        if (baseId === 'scratch' && (needEnv.length > 0 || needFlags.length > 0)) {
          const bare = await start(tag, `${name}-without`, { env: c.run.env })
          try {
            const ended = await Promise.race([bare.wait() as Promise<{ StatusCode: number }>, new Promise<null>((r) => setTimeout(() => r(null), 20_000))])
            const { stderr } = await output(bare)
            expect(ended, `${c.name} kept running without ${[...needEnv, ...needFlags].join(', ')}`).not.toBeNull()
            expect(ended?.StatusCode, stderr).not.toBe(0)
          } finally {
            await remove(bare)
          }
        }
        const ctr = await start(tag, name, { port: c.run.port, env: given.env, ...(given.cmd.length > 0 ? { cmd: given.cmd } : {}) })
        try {
          const port = await hostPort(ctr, c.run.port)
          for (const check of c.run.checks) {
            const res = await getWhenUp(ctr, `http://127.0.0.1:${port}${check.path}`)
            expect(res.status, `${check.path}: ${res.body}`).toBe(check.status)
            expect(res.body).toMatch(check.body)
          }
          const uids = await processUserIds(ctr)
          expect(uids.length).toBeGreaterThan(0)
          for (const u of uids) expect(u).toBe(RUNTIME_USER)
        } finally {
          await remove(ctr)
        }
      } else {
        const res = await runToEnd(tag, name, { cmd: c.run.cmd, env: c.run.env, binds: c.run.binds?.() })
        expect(res.code, res.stderr).toBe(0)
        expect(res.stdout).toMatch(c.run.stdout)
        // A CLI is gone before `docker top` could look: the image's user is what the engine applied
        // (checked above); with a shell, the user is asked directly.
        if (b.shell) {
          const id = await runToEnd(tag, `${name}-id`, { entrypoint: ['/bin/sh', '-c', 'id -u; id -g'] })
          expect(id).toMatchObject({ code: 0, stdout: '65532\n65532\n' })
        }
      }
    },
    TIMEOUT,
  )
})

describe('localhost-bind without the recipe’s fix', () => {
  it(
    'listens inside the container but cannot be reached through the published port',
    async () => {
      // The same recipe as above (a cache hit when that test ran first).
      const dir = join(FIXTURES, 'localhost-bind')
      const r = generateRecipe(await projects.analyze(dir), { base: base('scratch'), builderImage: BUILDER, buildkit: true, ...STAMP })
      const { tag } = await build('localhost-bind-scratch-nofix', dir, r, true)
      // ADDR set back to the program's own default: what the image would do without `ENV ADDR=:8080`.
      const ctr = await start(tag, 'localhost-bind-loopback', { port: 8080, env: ['ADDR=127.0.0.1:8080'] })
      try {
        // Inside the container's network namespace it answers (a helper container joins it)…
        let inside = { code: -1, stdout: '', stderr: '' }
        for (let i = 0; i < 50 && inside.code !== 0; i++) {
          inside = await runToEnd(ALPINE, `localhost-bind-probe-${i}`, { networkOf: ctr.id, entrypoint: ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'] })
          if (inside.code !== 0) await new Promise((r) => setTimeout(r, 100))
        }
        expect(inside).toMatchObject({ code: 0, stdout: 'hello from localhost-bind\n' })
        // …and from outside it does not.
        const port = await hostPort(ctr, 8080)
        await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow()
        expect((await ctr.inspect()).State.Running).toBe(true)
      } finally {
        await remove(ctr)
      }
    },
    TIMEOUT,
  )
})

describe('the checks are not vacuous', () => {
  // A user-defined scratch that claims CA certificates and tz data: its recipe copies no bundle, and
  // the same programs must then fail the way the checks above would notice. Zones are embedded on
  // every base, so the tz program is built without its -tags=timetzdata to show the same.
  const liar = resolveBases([{ id: 'scratch-claims-all', basedOn: 'scratch', image: 'scratch', caCerts: true, tzdata: true }])
  it.each([
    ['https-client', /no CA certificates found/],
    ['tz-lookup', /cannot load time zone/],
  ] as const)(
    '%s fails on a scratch that only claims the data',
    async (fx, message) => {
      expect(liar.problems).toEqual([])
      const b = liar.bases.find((x) => x.id === 'scratch-claims-all') as BaseImage
      const dir = join(FIXTURES, fx)
      const r = generateRecipe(await projects.analyze(dir), { base: b, builderImage: BUILDER, buildkit: true, ...STAMP })
      expect(r.dockerfile).not.toContain(CA_COPY)
      expect(r.dockerfile.includes(' -tags=timetzdata')).toBe(fx === 'tz-lookup')
      const sent = { ...r, dockerfile: r.dockerfile.replace(' -tags=timetzdata', '') }
      expect(sent.dockerfile).not.toContain('timetzdata')
      const { tag } = await build(`${fx}-claims`, dir, sent, true)
      const res = await runToEnd(tag, `${fx}-claims`)
      expect(res.code).toBe(1)
      expect(res.stderr).toMatch(message)
    },
    TIMEOUT,
  )
})

describe('cgo on a base without glibc', () => {
  // Built and run on debian-slim in the matrix above; here the bases that cannot run it.
  it.each(['scratch', 'distroless-static', 'alpine'] as const)('on %s the recipe stops with an error notice that offers a glibc base', async (baseId) => {
    const b = base(baseId)
    const r = generateRecipe(await projects.analyze(join(FIXTURES, 'cgo')), { base: b, builderImage: BUILDER, buildkit: true })
    const notice = r.notices.find((n) => n.code === 'cgo-base')
    expect(notice).toMatchObject({ severity: 'error' })
    expect(notice?.message).toContain(`${b.label} cannot run a cgo binary`)
    expect(notice?.detail).toMatch(/Distroless base \(glibc\).*Debian slim/)
  })
})

describe('classic builder', () => {
  it(
    'builds no-gomod on alpine without cache mounts or BuildKit platform args, and it runs as non-root',
    async () => {
      const r = generateRecipe(await projects.analyze(join(FIXTURES, 'no-gomod')), { base: base('alpine'), builderImage: BUILDER, buildkit: false, ...STAMP })
      expect(r.dockerfile).not.toContain('--mount')
      expect(r.dockerfile).not.toContain('$BUILDPLATFORM')
      expect(r.notices.map((n) => n.code)).toContain('classic-builder')
      const built = await build('no-gomod-alpine-classic', join(FIXTURES, 'no-gomod'), r, false)
      classicStages.push(...built.stageImages)
      // The build stage's last image is left behind, untagged: afterAll removes it.
      expect(built.stageImages.length).toBeGreaterThan(0)
      const image = await docker.getImage(built.tag).inspect()
      sizes.set('no-gomod (classic)', new Map([['alpine', image.Size]]))
      expect(image.Config.User).toBe(RUNTIME_USER)
      expect(await runToEnd(built.tag, 'no-gomod-classic')).toMatchObject({ code: 0, stdout: 'hello from a program without go.mod\n' })
      expect(await runToEnd(built.tag, 'no-gomod-classic-id', { entrypoint: ['/bin/sh', '-c', 'id -u'] })).toMatchObject({ code: 0, stdout: '65532\n' })
    },
    TIMEOUT,
  )
})
