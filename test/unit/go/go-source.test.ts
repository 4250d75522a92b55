import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scanGoFile, splitEmbedPatterns } from '../../../shared/go/go-source'
import { defaultImportName } from '../../../shared/go/imports'
import { scanLevel } from '../../../shared/go/scan-level'
import type { GoFileScan, GoValue } from '../../../shared/go/scan-types'

const scan = (src: string, file = 'main.go') => scanGoFile(file, src)
const lines = (...l: string[]) => l.join('\n')

describe('scanGoFile: header', () => {
  it('reads the package clause and every import form with its line', () => {
    const r = scan(lines('// Package x.', 'package main', '', 'import "fmt"', 'import (', '\tstdhttp "net/http"', '\t_ "time/tzdata"', '\t. "strings"', '\t"C"', ')', 'func main() {}'))
    expect(r.packageName).toBe('main')
    expect(r.packageLine).toBe(2)
    expect(r.imports.map((i) => [i.path, i.name, i.evidence.line])).toEqual([
      ['fmt', null, 4],
      ['net/http', 'stdhttp', 6],
      ['time/tzdata', '_', 7],
      ['strings', '.', 8],
      ['C', null, 9],
    ])
    expect(r.cgo).toEqual({ file: 'main.go', line: 9, text: '"C"' })
    expect(r.hasMain).toBe(true)
    expect(r.headerComplete).toBe(true)
  })

  it('header-only scans stop after the imports', () => {
    const r = scanGoFile('a.go', lines('package a', 'import "os"', 'var x = os.Getenv("X")'), { headerOnly: true })
    expect(r.scope).toBe('header')
    expect(r.imports.map((i) => i.path)).toEqual(['os'])
    expect(r.envReads).toEqual([])
    expect(r.headerComplete).toBe(true)
  })

  it('says when the text ends inside the import block (a cut-off read)', () => {
    expect(scanGoFile('a.go', 'package a\nimport (\n"os"\n"fm', { headerOnly: true }).headerComplete).toBe(false)
  })

  it('judges build constraints for a linux build: //go:build, // +build and _GOOS file names', () => {
    expect(scan('//go:build ignore\n\npackage main').buildable).toBe(false)
    expect(scan('//go:build tools\n\npackage main').buildable).toBe(false)
    expect(scan('//go:build linux && (amd64 || arm64) && !cgo\n\npackage main').buildable).toBe(true)
    expect(scan('//go:build !windows\n\npackage main').buildable).toBe(true)
    expect(scan('// +build darwin windows\n\npackage main').buildable).toBe(false)
    expect(scan('// +build linux,!cgo\n\npackage main').buildable).toBe(true)
    expect(scan('package main', 'cmd/x/main_windows.go').buildable).toBe(false)
    expect(scan('package main', 'cmd/x/main_linux_arm64.go').buildable).toBe(true)
    expect(scan('package main', 'linux.go').buildable).toBe(true)
    expect(scan('package main\n//go:build ignore').buildable).toBe(true) // after the package clause it is just a comment
    expect(scan('//go:build ignore\n\npackage main').constraint).toEqual({ file: 'main.go', line: 1, text: '//go:build ignore' })
  })

  it('names imports the way Go code refers to them', () => {
    expect(['net/http', 'github.com/mattn/go-sqlite3', 'gopkg.in/yaml.v3', 'github.com/labstack/echo/v4', 'github.com/spf13/pflag'].map(defaultImportName)).toEqual([
      'http', 'sqlite3', 'yaml', 'echo', 'pflag',
    ])
  })
})

describe('scanGoFile: version and commit for -X', () => {
  const verdict = (decl: string) => {
    const s = scan(lines('package main', 'import "flag"', 'import "fmt"', decl)).stamps.version
    return s?.kind === 'unsuitable' ? `unsuitable: ${s.reason}` : s?.kind
  }
  it('accepts plain string variables, with or without a constant initializer', () => {
    expect(verdict('var version = "dev"')).toBe('string')
    expect(verdict('var version string')).toBe('string')
    expect(verdict('var version string = "a" + "b"')).toBe('string')
    expect(verdict('var (\n\tcommit string\n\tversion, date = "dev", "now"\n)')).toBe('string')
  })
  it('refuses the rest, saying why', () => {
    expect(verdict('const version = "1.0"')).toMatch(/^unsuitable: main\.version is a constant/)
    expect(verdict('var version = flag.String("version", "v1", "")')).toMatch(/^unsuitable: main\.version is a flag .* would fail the link/)
    expect(verdict('var version = flag.Bool("version", false, "print it")')).toMatch(/is a flag/)
    expect(verdict('var version = fmt.Sprint("x")')).toMatch(/set by calling Sprint/)
    expect(verdict('var version int = 3')).toMatch(/has type int, not string/)
    expect(verdict('var version = 3')).toMatch(/is a number/)
    expect(verdict('var version *string')).toMatch(/has type \*string/)
  })
  it('ignores variables inside functions and other names', () => {
    expect(verdict('func f() { version := "x"; _ = version }')).toBeUndefined()
    expect(verdict('var Version = "dev"')).toBeUndefined()
  })
  it('points at the declaration', () => {
    expect(scan('package main\n\nvar (\n\tversion = "dev"\n)').stamps.version).toEqual({ kind: 'string', evidence: { file: 'main.go', line: 4, text: 'version = "dev"' } })
  })
})

describe('scanGoFile: environment', () => {
  it('reads os.Getenv / os.LookupEnv with literal names', () => {
    const r = scan(lines('package main', 'import "os"', 'func main() {', '  a := os.Getenv("DATABASE_URL")', '  _, ok := os.LookupEnv("DEBUG")', '  k := "X"', '  _ = os.Getenv(k)', '}'))
    expect(r.envReads.map((e) => [e.name, e.evidence.line])).toEqual([['DATABASE_URL', 4], ['DEBUG', 5]])
  })

  it('finds the fallback of `if v == "" { v = … }` and `if !ok { … }`, and of cmp.Or', () => {
    const r = scan(
      lines(
        'package main',
        'import ("cmp"; "os")',
        'func main() {',
        '  port := os.Getenv("PORT")',
        '  if port == "" {',
        '    port = "8080"',
        '  }',
        '  host, ok := os.LookupEnv("HOST")',
        '  if !ok {',
        '    host = "0.0.0.0"',
        '  }',
        '  dsn := cmp.Or(os.Getenv("DSN"), "postgres://localhost/app")',
        '  _, _, _ = port, host, dsn',
        '}',
      ),
    )
    expect(r.envReads.map((e) => [e.name, e.fallback])).toEqual([
      ['PORT', { k: 'str', v: '8080' }],
      ['HOST', { k: 'str', v: '0.0.0.0' }],
      ['DSN', { k: 'str', v: 'postgres://localhost/app' }],
    ])
    // The fallback assignment is not a second definition of port.
    expect(r.defs.filter((d) => d.name === 'port').map((d) => d.value.k)).toEqual(['env'])
  })

  it('recognises a local helper that wraps os.Getenv, and calls that pass it env-style names', () => {
    const r = scan(
      lines(
        'package main',
        'import "os"',
        'func getenv(key, fallback string) string {',
        '  if v := os.Getenv(key); v != "" {',
        '    return v',
        '  }',
        '  return fallback',
        '}',
        'func main() { println(getenv("LISTEN_ADDR", ":9000")) }',
      ),
    )
    expect(r.envHelpers).toEqual([{ name: 'getenv', keyIndex: 0, fallbackIndex: 1, evidence: { file: 'main.go', line: 3, text: 'func getenv(key, fallback string) string {' } }])
    expect(r.calls.map((c) => [c.name, c.args])).toEqual([['getenv', [{ k: 'str', v: 'LISTEN_ADDR' }, { k: 'str', v: ':9000' }]]])
  })
})

describe('scanGoFile: flags and listen addresses', () => {
  it('reads flags of every declaration form with their defaults', () => {
    const r = scan(
      lines(
        'package main',
        'import ("flag"; "time"; pf "github.com/spf13/pflag")',
        'var cfg struct{ Addr string; Port int }',
        'func main() {',
        '  flag.StringVar(&cfg.Addr, "addr", ":8080", "listen address")',
        '  flag.IntVar(&cfg.Port, "port", 8080, "")',
        '  verbose := flag.Bool("v", false, "")',
        '  wait := flag.Duration("wait", time.Second, "")',
        '  fs := flag.NewFlagSet("serve", flag.ExitOnError)',
        '  dir := fs.String("dir", "./data", "")',
        '  name := pf.StringP("name", "n", "world", "")',
        '  _, _, _, _ = verbose, wait, dir, name',
        '}',
      ),
    )
    expect(r.flags.map((f) => [f.name, f.kind, f.def, f.evidence.line])).toEqual([
      ['addr', 'string', { k: 'str', v: ':8080' }, 5],
      ['port', 'int', { k: 'num', v: 8080 }, 6],
      ['v', 'bool', { k: 'unknown' }, 7],
      ['wait', 'duration', { k: 'unknown' }, 8],
      ['dir', 'string', { k: 'str', v: './data' }, 10],
      ['name', 'string', { k: 'str', v: 'world' }, 11],
    ])
    expect(r.defs.find((d) => d.name === 'cfg.Addr')?.value).toEqual({ k: 'flag', name: 'addr', def: { k: 'str', v: ':8080' } })
    expect(r.defs.find((d) => d.name === 'dir')?.value).toEqual({ k: 'flag', name: 'dir', def: { k: 'str', v: './data' } })
  })

  it('finds ListenAndServe, net.Listen, http.Server{Addr} and framework Run calls, keeping the address expression', () => {
    const r = scan(
      lines(
        'package main',
        'import ("fmt"; "net"; "net/http"; "github.com/gin-gonic/gin")',
        'func main() {',
        '  go http.ListenAndServe("127.0.0.1:6060", nil)',
        '  ln, _ := net.Listen("tcp", fmt.Sprintf(":%d", *port))',
        '  srv := &http.Server{',
        '    Handler: nil,',
        '    Addr:    net.JoinHostPort(host, "9090"),',
        '  }',
        '  r := gin.Default()',
        '  r.Run()',
        '  _, _ = ln, srv',
        '}',
      ),
    )
    const addrs: [string, GoValue, number][] = r.listens.map((l) => [l.how, l.addr, l.evidence.line])
    expect(addrs).toEqual([
      ['http.ListenAndServe', { k: 'str', v: '127.0.0.1:6060' }, 4],
      ['net.Listen', { k: 'fmt', format: ':%d', args: [{ k: 'ref', name: 'port', line: 5 }] }, 5],
      ['http.Server{Addr}', { k: 'cat', parts: [{ k: 'ref', name: 'host', line: 8 }, { k: 'str', v: ':' }, { k: 'str', v: '9090' }] }, 8],
      ['gin Run', { k: 'cat', parts: [{ k: 'str', v: ':' }, { k: 'env', name: 'PORT', fallback: { k: 'str', v: '8080' }, line: 11 }] }, 11],
    ])
    expect(r.addressLiterals.map((a) => a.value)).toEqual(['127.0.0.1:6060'])
  })
})

describe('scanGoFile: files, TLS, tz data, arguments, embeds', () => {
  it('finds files opened by literal path and whether the program stops without them', () => {
    const r = scan(
      lines(
        'package main',
        'import ("html/template"; "log"; "os"; "github.com/joho/godotenv")',
        'var tpl = template.Must(template.ParseGlob("templates/*.html"))',
        'func main() {',
        '  if err := godotenv.Load(); err != nil {',
        '    log.Println("no .env, fine")',
        '  }',
        '  cfg, err := os.ReadFile("./config.yaml")',
        '  if err != nil {',
        '    log.Fatalf("config: %v", err)',
        '  }',
        '  logf, _ := os.OpenFile("app.log", os.O_CREATE|os.O_WRONLY, 0o644)',
        '  motd, err := os.ReadFile("motd.txt")',
        '  if err != nil {',
        '    if os.IsNotExist(err) {',
        '      log.Fatal("unreachable")',
        '    }',
        '  }',
        '  _, _, _ = cfg, logf, motd',
        '}',
      ),
    )
    expect(r.fileUses.map((u) => [u.path, u.kind, u.required, u.how, u.evidence.line])).toEqual([
      [{ k: 'str', v: 'templates/*.html' }, 'glob', true, 'template.ParseGlob', 3],
      [{ k: 'str', v: '.env' }, 'file', false, 'godotenv.Load', 5],
      [{ k: 'str', v: './config.yaml' }, 'file', true, 'os.ReadFile', 8],
      [{ k: 'str', v: 'motd.txt' }, 'file', false, 'os.ReadFile', 13],
    ])
  })

  it('counts outbound TLS, but not plain-http requests or a TLS server', () => {
    const client = scan(lines('package main', 'import ("crypto/tls"; "net/http")', 'func main() {', '  http.Get("http://localhost:8080/")', '  c := &http.Client{}', '  tls.Dial("tcp", "x:443", nil)', '  _ = c', '}'))
    expect(client.tls.map((t) => [t.reason, t.evidence.line])).toEqual([['uses http.Client', 5], ['calls tls.Dial', 6]])
    const server = scan(lines('package main', 'import ("crypto/tls"; "net/http")', 'func main() {', '  cfg := &tls.Config{MinVersion: tls.VersionTLS12}', '  s := &http.Server{Addr: ":443", TLSConfig: cfg}', '  s.ListenAndServeTLS("c.pem", "k.pem")', '}'))
    expect(server.tls).toEqual([])
    const sdk = scan(lines('package main', 'import (', '  "github.com/aws/aws-sdk-go-v2/service/s3"', '  "google.golang.org/grpc/credentials"', ')'))
    expect(sdk.tls.map((t) => [t.reason, t.evidence.line])).toEqual([
      ['imports github.com/aws/aws-sdk-go-v2/service/s3', 3],
      ['imports google.golang.org/grpc/credentials', 4],
    ])
    const url = scan(lines('package main', 'import "net/http"', 'const api = "https://api.example.com/v1"', 'const doc = "see https://example.com"'))
    expect(url.tls.map((t) => [t.reason, t.evidence.line])).toEqual([['an https:// URL', 3]])
  })

  it('tells tz-data lookups from ones that need no zoneinfo', () => {
    const r = scan(lines('package main', 'import "time"', 'func main() {', '  time.LoadLocation("UTC")', '  time.LoadLocation("Local")', '  time.LoadLocation("America/New_York")', '  time.LoadLocationFromTZData("X", nil)', '  _ = time.Now().In(time.Local)', '}'))
    expect(r.tz.map((t) => [t.kind, t.evidence.line])).toEqual([['load', 6], ['data', 7], ['local', 8]])
  })

  it('finds checks that stop the program without arguments or a flag', () => {
    const r = scan(
      lines(
        'package main',
        'import ("flag"; "fmt"; "os")',
        'func main() {',
        '  out := flag.String("out", "", "")',
        '  flag.Parse()',
        '  if flag.NArg() < 1 {',
        '    flag.Usage()',
        '    os.Exit(2)',
        '  }',
        '  if *out == "" {',
        '    fmt.Fprintln(os.Stderr, "-out is required")',
        '    os.Exit(2)',
        '  }',
        '  if len(os.Args) > 5 {',
        '    fmt.Println("many")',
        '  }',
        '}',
      ),
    )
    expect(r.requiredArgs.map((e) => e.line)).toEqual([6])
    expect(r.requiredChecks.map((c) => [c.name, c.evidence.line])).toEqual([['out', 10]])
  })

  it('reads //go:embed patterns, quoted ones included', () => {
    const r = scan(lines('package main', 'import "embed"', '//go:embed static/* "with space.txt"', 'var fs embed.FS'))
    expect(r.embeds).toEqual([{ patterns: ['static/*', 'with space.txt'], evidence: { file: 'main.go', line: 3, text: '//go:embed static/* "with space.txt"' } }])
    expect(splitEmbedPatterns(' a `b c` "d\\"e"')).toEqual(['a', 'b c', 'd"e'])
  })
})

describe('scanGoFile on hostile input', () => {
  const timed = (src: string) => {
    const t = performance.now()
    const r = scanGoFile('x.go', src)
    return { r, ms: performance.now() - t }
  }

  it('marks binary junk and still returns', () => {
    const junk = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256)).toString('utf8')
    const { r } = timed(junk)
    expect(r.binary).toBe(true)
    expect(r.packageName).toBeNull()
    expect(r.illegal).toBeGreaterThan(1000)
  })

  it('stays fast on pathological shapes (deep nesting, endless statements, many ifs)', () => {
    const cases = [
      `package main\nvar x = ${'f('.repeat(50_000)}1${')'.repeat(50_000)}`,
      `package main\nvar x = ${'flag.String("a", '.repeat(20_000)}`,
      `package main\nimport "flag"\nvar x = ${'flag.String("a", '.repeat(20_000)}`,
      `package main\n${'var a '.repeat(100_000)}`,
      `package main\nfunc f() {\n${'if x == "" { '.repeat(30_000)}`,
      `package main\nfunc f() {\n${'a = '.repeat(100_000)}1\n}`,
      `package main\n${'('.repeat(100_000)}`,
      `package main\n${'"'.repeat(100_000)}\n${'`'.repeat(99_999)}`,
      `package main\nimport "os"\nfunc main() {\n${'x := os.Getenv("A")\nif x == "" { x = "b" }\n'.repeat(20_000)}}`,
      // Configuration reading: unclosed nested struct variables, huge structs, long || checks, env overrides, library calls.
      `package main\nfunc f() {\n${'var a struct { '.repeat(30_000)}`,
      `package main\n${'var a struct { '.repeat(30_000)}`,
      `package main\ntype T struct {\n${'A int `env:"A"`\n'.repeat(50_000)}}`,
      `package main\nimport "os"\nfunc f() {\n${'if a == "" || os.Getenv("B") == "" || c.d == "" { os.Exit(1) }\n'.repeat(10_000)}}`,
      `package main\nimport "os"\nfunc f() {\nx := 1\n${'if y { x = os.Getenv("X") }\n'.repeat(20_000)}}`,
      `package main\nimport "github.com/spf13/cobra"\nfunc f() {${'cmd.Flags().StringVar(&a, "a", "", ""); cmd.MarkFlagRequired("a")\n'.repeat(20_000)}}`,
      `package main\nimport "github.com/urfave/cli/v2"\nvar f = []cli.Flag{${'&cli.StringFlag{Name: "a", EnvVars: []string{"A"}},'.repeat(20_000)}}`,
    ]
    // A guard against super-linear blow-ups (which take minutes on these inputs), not a speed goal:
    // the bound leaves room for a machine busy with builds next to the test (measured 3.9 s at load 12).
    for (const src of cases) {
      const { ms } = timed(src)
      expect(ms, src.slice(0, 60)).toBeLessThan(10_000)
    }
  }, 120_000)

  it('any string in: a result out, without throwing, in bounded time (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        const t = performance.now()
        const r = scanGoFile('p.go', s)
        return r.scope === 'full' && performance.now() - t < 500
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('any mix of Go fragments in: a result out, in bounded time (property)', () => {
    const fragments = [
      'package main\n', 'import "os"\n', 'import ("flag"; "net/http"; "time")\n', 'var ', 'const ', 'func ', 'main', '(', ')', '{', '}', '[', ']',
      ' = ', ' := ', ', ', '.', '*', '&', '+', '\n', ';', '"x"', '":8080"', '`raw\n`', "'r'", '42', 'os.Getenv("PORT")', 'flag.String("addr", ":1", "")',
      'http.ListenAndServe(', 'if ', ' == "" ', '!', 'version', 'port', 'err != nil', 'log.Fatal(err)', 'return err', '//go:embed a\n', '/* c */', '// c\n',
      'time.LoadLocation(', 'os.ReadFile("c.yaml")', '\u0000', '\uFFFD',
      'import ("github.com/kelseyhightower/envconfig"; "github.com/spf13/viper"; "github.com/urfave/cli/v2"; "github.com/spf13/cobra")\n',
      'type C struct {', 'struct {', 'Port int `env:"PORT" default:"1"`', 'envconfig.Process("p", &c)', 'viper.GetInt("port")', 'viper.SetDefault("port", 1)',
      '&cli.IntFlag{Name: "port", Value: 1, EnvVars: []string{"PORT"}}', 'c.Int("port")', 'cmd.Flags().GetInt("port")', 'cmd.MarkFlagRequired("t")', ' || ',
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 300 }), (parts) => {
        const t = performance.now()
        scanGoFile('p.go', parts.join(''))
        return performance.now() - t < 500
      }),
      { numRuns: 400 },
    )
  }, 60_000)
})

describe('scanLevel: skipping work never loses a finding', () => {
  /** What a full scan found, besides definitions (which a decls scan keeps). */
  const findings = (r: GoFileScan) => ({
    cgo: r.cgo,
    cgoDeps: r.cgoDeps,
    embeds: r.embeds,
    envReads: r.envReads,
    envHelpers: r.envHelpers,
    flags: r.flags,
    listens: r.listens,
    fileUses: r.fileUses,
    tls: r.tls,
    tz: r.tz,
    requiredArgs: r.requiredArgs,
  })
  const none = { cgo: null, cgoDeps: [], embeds: [], envReads: [], envHelpers: [], flags: [], listens: [], fileUses: [], tls: [], tz: [], requiredArgs: [] }
  const topDefs = (r: GoFileScan) => r.defs.filter((d) => d.topLevel).map((d) => [d.name, d.line, d.value])

  it('classifies typical files', () => {
    const level = (src: string) => scanLevel(scanGoFile('a.go', src, { headerOnly: true }), src)
    expect(level('package a\nimport "strings"\nfunc F() { strings.ToUpper("x") }')).toBe('decls')
    expect(level('package a\nimport "os"\nfunc F() { os.Exit(1) }')).toBe('decls')
    expect(level('package a\nimport "os"\nvar p = os.Getenv("PORT")')).toBe('full')
    expect(level('package a\nimport h "net/http"\nfunc F() { h.Get(u) }')).toBe('full')
    expect(level('package a\nimport "example.com/m/config"\nvar p = config.Env("PORT", "1")')).toBe('full')
    expect(level('package a\nvar p = getenv( "PORT", "1")')).toBe('calls')
    expect(level('package a\nfunc F() { if *tok == "" { panic(1) } }')).toBe('calls')
    expect(level('package a\nimport "flag"')).toBe('full')
  })

  it('judges the bytes of a file as its text, and finds env-style calls exactly where the old regex did (property)', () => {
    const envStyle = /\(\s*["`][A-Z][A-Z0-9_]+["`]/
    const parts = ['(', ' ', '\n', '\t', '"', '`', 'P', 'ORT', '_', '9', 'x', 'é', 'os.Getenv', '== ""', '//go:embed', 'import "os"\n', 'import "example.com/x"\n']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 40 }), (xs) => {
        const body = xs.join('')
        const src = `package lib\n${body}`
        const header = scanGoFile('lib.go', src, { headerOnly: true })
        const level = scanLevel(header, src)
        if (scanLevel(header, Buffer.from(src)) !== level) return false
        // Without imports, 'calls' means an env-style call or an empty check.
        if (body.includes('import')) return true
        const plain = scanLevel(scanGoFile('x.go', `package x\n;${body}`, { headerOnly: true }), `;${body}`)
        return envStyle.test(body) || body.includes('== ""') || body.includes('//go:embed') ? plain !== 'decls' : plain === 'decls'
      }),
      { numRuns: 3000 },
    )
  })

  it('a file judged "decls" has no findings, and its decls scan has the same package-level defs (property)', () => {
    const fragments = [
      'import "os"\n', 'import "net/http"\n', 'import h "net/http"\n', 'import "time"\n', 'import "flag"\n', 'import "strings"\n', 'import "html/template"\n',
      'import "example.com/m/config"\n', 'import "crypto/tls"\n', 'import "embed"\n', 'import "C"\n', 'import "github.com/mattn/go-sqlite3"\n',
      'var ', 'const ', 'func ', 'f', 'x', 'port', ' = ', ' := ', '(', ')', '{', '}', ', ', '\n', ';', '.', '*', '+',
      '"a"', '":8080"', '"PORT"', '`RAW`', '"https://x.io"', '42', 'os.Getenv("PORT")', 'os.Exit(1)', 'os.ReadFile("c.yaml")', 'h.Get(u)', 'http.Get(u)',
      'http.ListenAndServe(":1", nil)', 'time.LoadLocation(z)', 'time.Now()', 'time.Local', 'flag.String("a", "b", "")', 'strings.ToUpper(s)',
      'getenv("PORT", "1")', 'config.Env("DB", "")', 'template.ParseFiles("t.html")', 'tls.Dial("tcp", a, nil)', '//go:embed s\n', '/* c */', '// c\n',
      'if ', ' == "" ', 'log.Fatal(err)', 'return err', 'len(os.Args) < 2', 'x.Run()', '"', '`',
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 120 }), (parts) => {
        const src = `package lib\n${parts.join('')}`
        const header = scanGoFile('lib.go', src, { headerOnly: true })
        const level = scanLevel(header, src)
        const full = scanGoFile('lib.go', src)
        if (level === 'full') return true
        if (level === 'calls') return JSON.stringify(findings(full)) === JSON.stringify(none)
        const decls = scanGoFile('lib.go', src, { declsOnly: true })
        return (
          JSON.stringify(findings(full)) === JSON.stringify(none) &&
          full.calls.length === 0 &&
          full.requiredChecks.length === 0 &&
          JSON.stringify(topDefs(decls)) === JSON.stringify(topDefs(full))
        )
      }),
      { numRuns: 3000 },
    )
  }, 60_000)
})
