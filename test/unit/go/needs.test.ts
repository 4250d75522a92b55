import { describe, expect, it } from 'vitest'
import { scanGoFile, type GoFileScan } from '../../../shared/go/go-source'
import {
  binaryName,
  computeNeeds,
  defaultMain,
  findMains,
  globToRegExp,
  isLoopback,
  needsNotices,
  packageClosure,
  parseAddress,
  sprintf,
  type NeedsInput,
} from '../../../shared/go/needs'

/** Scans a little project given as {path: source}. */
function project(files: Record<string, string>, extra: Partial<NeedsInput> = {}): NeedsInput {
  const packages = new Map<string, GoFileScan[]>()
  for (const [path, src] of Object.entries(files)) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.'
    packages.set(dir, [...(packages.get(dir) ?? []), scanGoFile(path, src)])
  }
  const paths = new Set(Object.keys(files))
  return {
    modulePath: 'example.com/app',
    mainDir: '.',
    packages,
    exists: (p) => paths.has(p),
    globMatches: (g) => [...paths].some((p) => globToRegExp(g).test(p)),
    ...extra,
  }
}

describe('packages and mains', () => {
  const input = project({
    'main.go': 'package main\nimport "example.com/app/internal/web"\nfunc main() { web.Run() }',
    'internal/web/web.go': 'package web\nimport "example.com/app/internal/conf"\nfunc Run() {}',
    'internal/conf/conf.go': 'package conf\nimport "example.com/app/internal/web"', // an import cycle does not loop
    'internal/unused/u.go': 'package unused',
    'cmd/tool/main.go': 'package main\nvar version = "dev"\nfunc main() {}',
    'cmd/notmain/x.go': 'package main\nfunc helper() {}',
    'cmd/ignored/main.go': '//go:build ignore\n\npackage main\nfunc main() {}',
  })
  it('follows the module’s own imports transitively', () => {
    expect(packageClosure('.', 'example.com/app', input.packages)).toEqual(['.', 'internal/conf', 'internal/web'])
    expect(packageClosure('cmd/tool', 'example.com/app', input.packages)).toEqual(['cmd/tool'])
    expect(packageClosure('.', null, input.packages)).toEqual(['.'])
  })

  it('finds main packages with func main, root first', () => {
    const buildable = new Map([...input.packages].map(([d, fs]) => [d, fs.filter((f) => f.buildable)] as const))
    const mains = findMains(buildable, 'example.com/app', 'folder')
    expect(mains.map((m) => [m.dir, m.binary, m.files, m.version.kind])).toEqual([
      ['.', 'app', ['main.go'], 'missing'],
      ['cmd/tool', 'tool', ['cmd/tool/main.go'], 'string'],
    ])
    expect(defaultMain(mains, 'example.com/app')?.dir).toBe('.')
    expect(defaultMain(mains.slice(1), 'example.com/app')?.dir).toBe('cmd/tool')
    expect(defaultMain([], null)).toBeNull()
  })

  it('names binaries after the folder or the module (without a /vN suffix)', () => {
    expect([binaryName('cmd/api', 'x', 'f'), binaryName('.', 'github.com/o/svc/v3', 'f'), binaryName('.', null, 'my folder'), binaryName('.', null, '...')]).toEqual([
      'api', 'svc', 'my-folder', 'app',
    ])
  })
})

describe('computeNeeds', () => {
  it('resolves a listen address built in one file from a flag and env helper declared in others', () => {
    const input = project({
      'main.go': 'package main\nimport "net/http"\nfunc main() {\n  parseFlags()\n  http.ListenAndServe(*addr, nil)\n}',
      'flags.go': 'package main\nimport "flag"\nvar addr = flag.String("addr", envOr("ADDR", "localhost:7070"), "")\nfunc parseFlags() { flag.Parse() }',
      'env.go': 'package main\nimport "os"\nfunc envOr(k, d string) string {\n  if v, ok := os.LookupEnv(k); ok {\n    return v\n  }\n  return d\n}',
    })
    const needs = computeNeeds(input)
    expect(needs.listen).toEqual([
      { port: 7070, host: 'localhost', loopbackOnly: true, via: { kind: 'env', name: 'ADDR' }, evidence: { file: 'main.go', line: 5, text: 'http.ListenAndServe(*addr, nil)' } },
    ])
    expect(needs.env).toEqual([{ name: 'ADDR', fallback: 'localhost:7070', evidence: [{ file: 'flags.go', line: 3, text: 'var addr = flag.String("addr", envOr("ADDR", "localhost:7070"), "")' }] }])
    const [notice] = needsNotices(input, needs, null)
    expect(notice).toMatchObject({
      code: 'loopback-only',
      message: 'The program listens on localhost:7070 by default: inside a container that is unreachable from outside.',
      detail: 'The address comes from the environment variable ADDR, so the image can set ADDR=:7070 (all interfaces).',
    })
  })

  it('says a loopback host is fixed when only the port is configurable', () => {
    const input = project({
      'main.go': 'package main\nimport ("fmt"; "flag"; "net")\nvar port = flag.Int("port", 9000, "")\nfunc main() {\n  net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))\n}',
    })
    const needs = computeNeeds(input)
    expect(needs.listen.map((l) => [l.host, l.port, l.loopbackOnly, l.via])).toEqual([['127.0.0.1', 9000, true, { kind: 'literal' }]])
    expect(needsNotices(input, needs, null)[0]?.detail).toBe('The address is fixed in the code: listen on ":9000" (all interfaces) or make it configurable.')
  })

  it('reports a port it cannot know as null, with the env var that sets it', () => {
    const needs = computeNeeds(project({ 'main.go': 'package main\nimport ("net/http"; "os")\nfunc main() { http.ListenAndServe(":"+os.Getenv("PORT"), nil) }' }))
    expect(needs.listen.map((l) => [l.host, l.port, l.via])).toEqual([['', null, { kind: 'env', name: 'PORT' }]])
  })

  it('keeps only the main’s own closure: another main’s needs do not leak in', () => {
    const input = project({
      'main.go': 'package main\nfunc main() {}',
      'cmd/fetch/main.go': 'package main\nimport ("net/http"; "time")\nfunc main() { http.Get("https://x"); time.LoadLocation("Asia/Tokyo") }',
    })
    expect(computeNeeds(input)).toEqual({ cgo: [], caCerts: [], tzdata: [], embedsTzdata: false, embeds: [], runtimeFiles: [], listen: [], env: [], requiredArgs: [] })
    const other = computeNeeds({ ...input, mainDir: 'cmd/fetch' })
    expect(other.caCerts.map((e) => e.line)).toEqual([3])
    expect(other.tzdata.map((e) => e.line)).toEqual([3])
  })

  it('resolves run-time file paths from flag defaults and checks they exist', () => {
    const input = project({
      'main.go': 'package main\nimport ("flag"; "log"; "os")\nvar cfg = flag.String("config", "./conf/app.toml", "")\nfunc main() {\n  b, err := os.ReadFile(*cfg)\n  if err != nil {\n    log.Fatal(err)\n  }\n  _ = b\n}',
      'conf/app.toml': '',
    })
    expect(computeNeeds(input).runtimeFiles).toEqual([{ path: 'conf/app.toml', exists: true, required: true, evidence: { file: 'main.go', line: 5, text: 'b, err := os.ReadFile(*cfg)' } }])
  })

  it('reports a required flag checked for emptiness, and embeds that match nothing', () => {
    const input = project({
      'main.go': 'package main\nimport ("embed"; "flag"; "log")\n//go:embed web/dist\nvar dist embed.FS\nfunc main() {\n  token := flag.String("token", "", "")\n  flag.Parse()\n  if *token == "" {\n    log.Fatal("-token is required")\n  }\n}',
    })
    const needs = computeNeeds(input)
    expect(needs.requiredArgs.map((e) => e.line)).toEqual([8])
    expect(needs.embeds.map((e) => e.line)).toEqual([3])
    expect(needsNotices(input, needs, null).map((n) => [n.code, n.severity, n.message])).toEqual([
      ['embed-missing', 'error', '//go:embed web/dist matches no file: the build will fail.'],
      ['required-args', 'info', 'The program stops unless it is given arguments or flags.'],
    ])
  })
})

describe('helpers', () => {
  it('parses listen addresses', () => {
    expect([':8080', '127.0.0.1:80', '[::1]:443', 'localhost:http', '0.0.0.0:99999', 'nohost', ':'].map(parseAddress)).toEqual([
      { host: '', port: 8080 },
      { host: '127.0.0.1', port: 80 },
      { host: '::1', port: 443 },
      { host: 'localhost', port: 80 },
      { host: '0.0.0.0', port: null },
      { host: 'nohost', port: null },
      { host: '', port: null },
    ])
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1', '', '0.0.0.0', '10.0.0.1'].map(isLoopback)).toEqual([true, true, true, true, false, false, false])
  })

  it('formats like fmt.Sprintf for the verbs addresses use', () => {
    expect(sprintf('%s:%d', ['h', '80'])).toBe('h:80')
    expect(sprintf('100%% %v %q', ['x', 'y'])).toBe('100% x "y"')
    expect(sprintf(':%d', [null])).toBeNull()
  })

  it('matches path.Match-style globs', () => {
    const m = (g: string, p: string) => globToRegExp(g).test(p)
    expect([m('static/*', 'static/a.css'), m('static/*', 'static/x/a.css'), m('*.html', 'a.html'), m('a?c', 'abc'), m('[a-c]x', 'bx'), m('[^a]x', 'ax'), m('a.b', 'axb')]).toEqual([
      true, false, true, true, true, false, false,
    ])
  })
})
