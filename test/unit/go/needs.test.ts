import { describe, expect, it } from 'vitest'
import { scanGoFile } from '../../../shared/go/go-source'
import type { GoFileScan } from '../../../shared/go/scan-types'
import {
  binaryName,
  computeNeeds,
  defaultMain,
  findMains,
  goGlob,
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
    globMatches: (g) => [...paths].some((p) => goGlob(g).test(p)),
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
      { port: 7070, host: 'localhost', loopbackOnly: true, via: { kind: 'env', name: 'ADDR' }, alsoVia: [{ kind: 'flag', name: 'addr' }], evidence: { file: 'main.go', line: 5, text: 'http.ListenAndServe(*addr, nil)' } },
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
    expect(computeNeeds(input)).toEqual({ cgo: [], caCerts: [], tzdata: [], embedsTzdata: false, embeds: [], runtimeFiles: [], listen: [], env: [], requiredArgs: [], requiredFlags: [] })
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
      ['required-args', 'info', 'The program stops unless it is given --token.'],
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
    const m = (g: string, p: string) => goGlob(g).test(p)
    expect([m('static/*', 'static/a.css'), m('static/*', 'static/x/a.css'), m('*.html', 'a.html'), m('a?c', 'abc'), m('[a-c]x', 'bx'), m('[^a]x', 'ax'), m('a.b', 'axb')]).toEqual([
      true, false, true, true, true, false, false,
    ])
  })
})

describe('ports the way a reader of the code finds them', () => {
  const listenOf = (files: Record<string, string>) => computeNeeds(project(files)).listen.map((l) => [l.host, l.port, l.via.kind === 'literal' ? 'literal' : `${l.via.kind} ${l.via.name}`, (l.alsoVia ?? []).map((x) => `${x.kind} ${x.name}`)])
  const main = (imports: string, body: string, extra = '') => `package main\nimport (${imports})\n${extra}\nfunc main() {\n${body}\n}`

  it('a named constant as a flag default, in the same file or another file of the package', () => {
    expect(listenOf({ 'main.go': main('"flag"; "fmt"; "net/http"', 'var p int\nflag.IntVar(&p, "port", defaultPort, "")\nflag.Parse()\nhttp.ListenAndServe(fmt.Sprintf(":%d", p), nil)', 'const defaultPort = 8080') })).toEqual([['', 8080, 'flag port', []]])
    expect(
      listenOf({
        'main.go': main('"flag"; "net/http"; "strconv"', 'flag.Parse()\nhttp.ListenAndServe(":"+strconv.Itoa(*port), nil)', 'var port = flag.Int("port", defaultPort, "")'),
        'const.go': 'package main\nconst defaultPort = 9090',
      }),
    ).toEqual([['', 9090, 'flag port', []]])
  })

  it('an env variable with a fallback: if-empty assignment, cmp.Or, a LookupEnv helper', () => {
    expect(listenOf({ 'main.go': main('"net/http"; "os"', 'p := os.Getenv("PORT")\nif p == "" {\n  p = "8080"\n}\nhttp.ListenAndServe(":"+p, nil)') })).toEqual([['', 8080, 'env PORT', []]])
    const or = project({ 'main.go': main('"cmp"; "net/http"; "os"', 'http.ListenAndServe(":"+cmp.Or(os.Getenv("PORT"), "8081"), nil)') })
    expect(computeNeeds(or).listen.map((l) => l.port)).toEqual([8081])
    expect(computeNeeds(or).env.map((e) => [e.name, e.fallback])).toEqual([['PORT', '8081']])
    expect(
      listenOf({ 'main.go': main('"net/http"; "os"', 'addr := ":" + env("APP_PORT", "7000")\nhttp.ListenAndServe(addr, nil)', 'func env(key, def string) string {\n  if v, ok := os.LookupEnv(key); ok { return v }\n  return def\n}') }),
    ).toEqual([['', 7000, 'env APP_PORT', []]])
  })

  it('a config struct filled by a FlagSet and joined with net.JoinHostPort', () => {
    expect(
      listenOf({
        'main.go': main(
          '"flag"; "net"; "net/http"; "os"; "strconv"',
          'var cfg config\nfs := flag.NewFlagSet("srv", flag.ExitOnError)\nfs.StringVar(&cfg.Host, "host", "0.0.0.0", "")\nfs.IntVar(&cfg.Port, "port", 5000, "")\nfs.Parse(os.Args[1:])\nsrv := &http.Server{Addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}\nsrv.ListenAndServe()',
          'type config struct { Host string; Port int }',
        ),
      }),
    ).toEqual([['0.0.0.0', 5000, 'flag host', ['flag port']]])
  })

  it('a flag default that an env variable overrides when set: the default and the override, not "unknown"', () => {
    const body = 'var cfg config\nflag.IntVar(&cfg.Port, "port", defaultPort, "")\nflag.Parse()\nif cfg.Port == defaultPort && os.Getenv("PORT") != "" {\n  cfg.Port, _ = strconv.Atoi(os.Getenv("PORT"))\n}\nhttp.ListenAndServe(fmt.Sprintf(":%d", cfg.Port), nil)'
    expect(listenOf({ 'main.go': main('"flag"; "fmt"; "net/http"; "os"; "strconv"', body, 'const defaultPort = 4000\ntype config struct { Port int }') })).toEqual([['', 4000, 'env PORT', ['flag port']]])
    // The same with an init statement: `if p := os.Getenv("PORT"); p != "" { port = p }`.
    expect(listenOf({ 'main.go': main('"flag"; "net/http"; "os"', 'port := flag.String("port", "8000", "")\nflag.Parse()\nif p := os.Getenv("PORT"); p != "" {\n  *port = p\n}\nhttp.ListenAndServe(":"+*port, nil)') })).toEqual([['', 8000, 'env PORT', ['flag port']]])
  })

  it('a function’s constant result and another package’s variable, followed into the module’s own packages', () => {
    // The other packages are scanned for their declarations only, as the service scans a package nothing in it triggers.
    const decls = (path: string, src: string) => scanGoFile(path, src, { declsOnly: true })
    const input = project({
      'main.go': main(
        '"net/http"; "example.com/app/internal/config"; nc "example.com/app/internal/netcfg"',
        'go http.ListenAndServe(nc.DefaultAddr, nil)\naddr := config.Addr()\nhttp.ListenAndServe(addr, nil)\nhttp.ListenAndServe(local(), nil)',
        'func local() string { return nc.Host + ":7001" }',
      ),
    })
    const packages = new Map(input.packages)
    packages.set('internal/config', [decls('internal/config/c.go', 'package config\nconst apiPort = "8093"\n// Addr is the API address.\nfunc Addr() string {\n\treturn ":" + apiPort\n}\nfunc init() { _ = Addr() }')])
    packages.set('internal/netcfg', [decls('internal/netcfg/n.go', 'package netcfg\nvar DefaultAddr = ":9094"\nvar Host = "0.0.0.0"')])
    const listen = computeNeeds({ ...input, packages }).listen.map((l) => [l.host, l.port, l.evidence.line])
    expect(listen).toEqual([
      ['', 9094, 5],
      ['', 8093, 7],
      ['0.0.0.0', 7001, 8],
    ])
  })

  it('a function is followed only when it takes nothing and returns one value; the standard library’s names are not', () => {
    const listenPorts = (extra: string, call: string) => computeNeeds(project({ 'main.go': main('"net/http"', `http.ListenAndServe(${call}, nil)`, extra) })).listen.map((l) => l.port)
    expect(listenPorts('func addr() string { return ":8080" }', 'addr()')).toEqual([8080])
    expect(listenPorts('func addr(p string) string { return ":" + p }', 'addr("8080")')).toEqual([null])
    expect(listenPorts('func addr() string {\n\tlog.Print("x")\n\treturn ":8080"\n}', 'addr()')).toEqual([null])
    expect(listenPorts('type s struct{}\nfunc (s) addr() string { return ":8080" }', 's{}.addr()')).toEqual([null])
    expect(listenPorts('', 'http.LocalAddrContextKey')).toEqual([null])
  })

  it('a conditional literal is not an override, and an unrelated number is never taken for the port', () => {
    expect(listenOf({ 'main.go': main('"net/http"; "os"', 'addr := ":9000"\nif os.Getenv("DEBUG") != "" {\n  addr = "localhost:9000"\n}\nhttp.ListenAndServe(addr, nil)') })).toEqual([['localhost', 9000, 'literal', []]])
    const input = project({ 'main.go': main('"net/http"; "os"', 'http.ListenAndServe(os.Getenv("LISTEN"), nil)', 'var timeout = 30\nconst maxConns = 8080') })
    expect(computeNeeds(input).listen.map((l) => [l.port, l.via])).toEqual([[null, { kind: 'env', name: 'LISTEN' }]])
  })
})

describe('what the program stops without', () => {
  const needsOf = (body: string, extra = '') => computeNeeds(project({ 'main.go': `package main\nimport ("flag"; "log"; "os")\n${extra}\nfunc main() {\n${body}\n}` }))
  it('a variable checked for "" before an exit, directly, through a local, or in an init statement', () => {
    expect(needsOf('if os.Getenv("DSN") == "" {\n  log.Fatal("DSN")\n}').env.map((e) => [e.name, e.required])).toEqual([['DSN', true]])
    expect(needsOf('token := os.Getenv("TOKEN")\nif token == "" {\n  os.Exit(2)\n}').env.map((e) => [e.name, e.required])).toEqual([['TOKEN', true]])
    expect(needsOf('if v := os.Getenv("KEY"); v == "" {\n  panic("KEY")\n}').env.map((e) => [e.name, e.required])).toEqual([['KEY', true]])
  })

  it('several operands joined with ||, a field bound to a flag; a check that does not exit requires nothing', () => {
    const n = needsOf('flag.StringVar(&cfg.User, "user", "", "")\nflag.Parse()\nif cfg.User == "" || os.Getenv("PASS") == "" {\n  log.Fatalf("need both")\n}', 'var cfg struct{ User string }')
    expect(n.requiredFlags.map((f) => f.name)).toEqual(['user'])
    expect(n.env.map((e) => [e.name, e.required])).toEqual([['PASS', true]])
    expect(needsOf('if os.Getenv("OPTIONAL") == "" {\n  log.Print("not set")\n}').env.map((e) => [e.name, e.required])).toEqual([['OPTIONAL', undefined]])
  })

  it('a variable with a default is not required even when checked', () => {
    expect(needsOf('v := os.Getenv("MODE")\nif v == "" {\n  v = "prod"\n}\nif v == "" {\n  os.Exit(1)\n}').env.map((e) => [e.name, e.fallback, e.required])).toEqual([['MODE', 'prod', undefined]])
  })
})
