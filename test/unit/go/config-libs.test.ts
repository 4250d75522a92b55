import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ardanVars, caarlosVars, camelSplit, envconfigVars, splitWords, structTagGet, viperEnvName, type GoStructField } from '../../../shared/go/config-libs'
import { scanGoFile } from '../../../shared/go/go-source'
import type { GoFileScan } from '../../../shared/go/scan-types'
import { computeNeeds, goGlob, needsNotices, type NeedsInput } from '../../../shared/go/needs'
import { generateRecipe } from '../../../shared/dockerfile/generate'
import { builtinBase } from '../../../shared/dockerfile/bases'
import { analysis } from '../dockerfile/analysis'

const ev = { file: 'c.go', line: 1 }
const field = (name: string, tag: string | null, type = 'string', fields: GoStructField[] | null = null, embedded = false): GoStructField => ({ name, embedded, type, fields, tag, evidence: ev })
const none = () => null
const brief = (vars: { env: string[]; def: string | null; required: boolean; path: string[] }[]) => vars.map((v) => [v.path.join('.'), v.env.join('|'), v.def, v.required])

function project(files: Record<string, string>, mainDir = '.'): NeedsInput {
  const packages = new Map<string, GoFileScan[]>()
  for (const [path, src] of Object.entries(files)) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.'
    packages.set(dir, [...(packages.get(dir) ?? []), scanGoFile(path, src)])
  }
  const paths = new Set(Object.keys(files))
  return { modulePath: 'example.com/app', mainDir, packages, exists: (p) => paths.has(p), globMatches: (g) => [...paths].some((p) => goGlob(g).test(p)) }
}
const listenOf = (input: NeedsInput) => computeNeeds(input).listen.map((l) => [l.host, l.port, l.via.kind === 'literal' ? 'literal' : `${l.via.kind} ${l.via.name}`])
const envOf = (input: NeedsInput) => computeNeeds(input).env.map((e) => [e.name, e.fallback ?? null, e.required === true])

describe('struct tags', () => {
  it('reads a key as reflect.StructTag.Get does', () => {
    expect(structTagGet('env:"PORT" envDefault:"8080"', 'envDefault')).toBe('8080')
    expect(structTagGet('json:"a,omitempty" env:"X\\"Y"', 'env')).toBe('X"Y')
    expect(structTagGet('env:"PORT"', 'default')).toBeNull()
    expect(structTagGet('env:""', 'env')).toBe('')
    // Malformed tags: Go gives up at the first bad pair.
    expect(structTagGet('env: "PORT"', 'env')).toBeNull()
    expect(structTagGet('env:"PORT', 'env')).toBeNull()
    expect(structTagGet(null, 'env')).toBeNull()
  })

  it('never throws on any tag text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (tag, key) => {
      const v = structTagGet(tag, key)
      expect(v === null || typeof v === 'string').toBe(true)
    }))
  })

  it('splits words as envconfig and conf do', () => {
    expect(splitWords('DatabaseURL')).toBe('Database_URL')
    expect(splitWords('APIKey')).toBe('API_Key')
    expect(camelSplit('APIHost')).toEqual(['API', 'Host'])
    expect(camelSplit('ReadTimeout')).toEqual(['Read', 'Timeout'])
    expect(camelSplit('Web')).toEqual(['Web'])
    expect(camelSplit('DBMaxIdle2')).toEqual(['DB', 'Max', 'Idle2'])
    expect(camelSplit('KeyID')).toEqual(['Key', 'ID'])
  })
})

describe('envconfig', () => {
  it('prefixes field names, reads a tagged field by its bare name too, nests structs and honours default/required/ignored', () => {
    const db = [field('Host', 'default:"db"'), field('Password', 'required:"true"')]
    const fields = [
      field('Port', 'envconfig:"PORT" default:"8080"', 'int'),
      field('Token', 'required:"true"'),
      field('DatabaseURL', 'split_words:"true"'),
      field('DB', null, 'DBConfig'),
      field('Skip', 'ignored:"true"'),
      field('Minus', 'envconfig:"-"'),
      field('private', null),
      field('Base', null, 'Base', null, true),
      field('WithDefaultRequired', 'required:"true" default:"x"'),
    ]
    const lookup = (t: string) => (t === 'DBConfig' ? db : t === 'Base' ? [field('Region', 'default:"eu"')] : null)
    expect(brief(envconfigVars(fields, { prefix: 'shop' }, lookup))).toEqual([
      ['Port', 'SHOP_PORT|PORT', '8080', false],
      ['Token', 'SHOP_TOKEN', null, true],
      ['DatabaseURL', 'SHOP_DATABASE_URL', null, false],
      ['DB.Host', 'SHOP_DB_HOST', 'db', false],
      ['DB.Password', 'SHOP_DB_PASSWORD', null, true],
      ['Region', 'SHOP_REGION', 'eu', false],
      ['WithDefaultRequired', 'SHOP_WITHDEFAULTREQUIRED', 'x', false],
    ])
    expect(brief(envconfigVars([field('Port', 'envconfig:"port"')], { prefix: '' }, none))).toEqual([['Port', 'PORT', null, false]])
  })
})

describe('caarlos0/env', () => {
  it('reads only env-tagged fields, with Options.Prefix and envPrefix, envDefault and required/notEmpty', () => {
    const fields = [
      field('Addr', 'env:"LISTEN_ADDR" envDefault:":8080"'),
      field('Key', 'env:"API_KEY,required"'),
      field('Name', 'env:"NAME,notEmpty"'),
      field('Untagged', null),
      field('DB', 'envPrefix:"DB_"', 'struct', [field('URL', 'env:"URL" envDefault:"postgres://db"')]),
      field('Dash', 'env:"-"'),
    ]
    expect(brief(caarlosVars(fields, { prefix: 'APP_' }, none))).toEqual([
      ['Addr', 'APP_LISTEN_ADDR', ':8080', false],
      ['Key', 'APP_API_KEY', null, true],
      ['Name', 'APP_NAME', null, true],
      ['DB.URL', 'APP_DB_URL', 'postgres://db', false],
    ])
    expect(brief(caarlosVars([field('A', 'env:"A"'), field('B', 'env:"B" envDefault:"b"')], { prefix: '', requiredIfNoDef: true }, none))).toEqual([
      ['A', 'A', null, true],
      ['B', 'B', 'b', false],
    ])
  })
})

describe('ardanlabs/conf', () => {
  it('names every field PREFIX_PATH split at CamelCase, with default, env and required from the conf tag', () => {
    const fields = [
      field('Version', null, 'conf.Version', null, true),
      field('Web', null, 'struct', [field('APIHost', 'conf:"default:0.0.0.0:3000"'), field('ReadTimeout', 'conf:"default:5s"', 'time.Duration')]),
      field('Auth', null, 'struct', [field('KeyID', 'conf:"required,mask"')]),
      field('Port', 'conf:"default:8080,env:PORT"', 'int'),
      field('Hidden', 'conf:"-"'),
    ]
    expect(brief(ardanVars(fields, { prefix: 'sales' }, none))).toEqual([
      ['Web.APIHost', 'SALES_WEB_API_HOST', '0.0.0.0:3000', false],
      ['Web.ReadTimeout', 'SALES_WEB_READ_TIMEOUT', '5s', false],
      ['Auth.KeyID', 'SALES_AUTH_KEY_ID', null, true],
      ['Port', 'SALES_PORT', '8080', false],
    ])
  })

  it('stops at a struct that refers to itself', () => {
    const self: GoStructField[] = []
    self.push(field('Next', null, 'Node'), field('Value', 'conf:"default:1"'))
    expect(ardanVars(self, { prefix: '' }, (t) => (t === 'Node' ? self : null)).length).toBeGreaterThan(0)
  })
})

describe('viper', () => {
  const state = (o: Partial<Parameters<typeof viperEnvName>[0]> = {}) => ({ prefix: '', automatic: false, binds: new Map<string, string[]>(), replacer: [] as [string, string][], ...o })
  it('names the variable a key is read from: explicit BindEnv as is, else PREFIX_KEY with the replacer, only when bound or automatic', () => {
    expect(viperEnvName(state(), 'port')).toBeNull()
    expect(viperEnvName(state({ automatic: true }), 'port')).toBe('PORT')
    expect(viperEnvName(state({ automatic: true, prefix: 'inv', replacer: [['.', '_']] }), 'server.port')).toBe('INV_SERVER_PORT')
    expect(viperEnvName(state({ prefix: 'inv', binds: new Map([['token', ['INVENTORY_TOKEN']]]) }), 'token')).toBe('INVENTORY_TOKEN')
    expect(viperEnvName(state({ prefix: 'inv', binds: new Map([['token', []]]) }), 'Token')).toBe('INV_TOKEN')
  })
})

describe('configuration libraries in a program', () => {
  it('envconfig: the port from a default tag, across files, and the required token', () => {
    const input = project({
      'main.go': 'package main\nimport ("fmt"; "log"; "net/http"; "github.com/kelseyhightower/envconfig")\nfunc main() {\n  var cfg Config\n  if err := envconfig.Process("shop", &cfg); err != nil { log.Fatal(err) }\n  http.ListenAndServe(fmt.Sprintf(":%d", cfg.Port), nil)\n}',
      'config.go': 'package main\ntype Config struct {\n  Port int `envconfig:"PORT" default:"8101"`\n  Token string `required:"true"`\n}',
    })
    expect(listenOf(input)).toEqual([['', 8101, 'env SHOP_PORT']])
    expect(envOf(input)).toEqual([
      ['SHOP_PORT', '8101', false],
      ['PORT', '8101', false],
      ['SHOP_TOKEN', null, true],
    ])
    const needs = computeNeeds(input)
    expect(needs.env[0]?.evidence[0]).toEqual({ file: 'config.go', line: 3, text: 'Port int `envconfig:"PORT" default:"8101"`' })
    expect(needsNotices(input, needs, null).map((n) => [n.code, n.message])).toEqual([['required-env', 'The program stops unless SHOP_TOKEN is set.']])
  })

  it('caarlos0/env: ParseAs[T] with a struct from another package of the module', () => {
    const input = project({
      'main.go': 'package main\nimport ("net/http"; "example.com/app/internal/config"; "github.com/caarlos0/env/v11")\nfunc main() {\n  cfg, err := env.ParseAs[config.Config]()\n  if err != nil { panic(err) }\n  http.ListenAndServe(cfg.Addr, nil)\n}',
      'internal/config/config.go': 'package config\ntype Config struct {\n  Addr string `env:"ADDR" envDefault:"0.0.0.0:9000"`\n}',
    })
    expect(listenOf(input)).toEqual([['0.0.0.0', 9000, 'env ADDR']])
  })

  it('ardanlabs/conf: an inline struct with the service kit’s shape, its address passed on in another file', () => {
    const input = project({
      'main.go':
        'package main\nimport ("github.com/ardanlabs/conf/v3")\nfunc main() {\n  cfg := struct {\n    conf.Version\n    Web struct {\n      APIHost string `conf:"default:0.0.0.0:3000"`\n    }\n  }{}\n  if _, err := conf.Parse("SALES", &cfg); err != nil { return }\n  serve(cfg.Web.APIHost)\n}',
      'serve.go': 'package main\nimport "net/http"\nfunc serve(addr string) { http.ListenAndServe(addr, nil) }',
    })
    expect(envOf(input)).toEqual([['SALES_WEB_API_HOST', '0.0.0.0:3000', false]])
  })

  it('viper: defaults, prefix, replacer and AutomaticEnv give the port; a bound key checked for "" is required', () => {
    const input = project({
      'main.go':
        'package main\nimport ("fmt"; "log"; "net/http"; "strings"; "github.com/spf13/viper")\nfunc main() {\n  viper.SetDefault("server.port", 8104)\n  viper.SetEnvPrefix("inv")\n  viper.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))\n  viper.AutomaticEnv()\n  viper.BindEnv("token", "INVENTORY_TOKEN")\n  if viper.GetString("token") == "" { log.Fatal("token") }\n  http.ListenAndServe(fmt.Sprintf(":%d", viper.GetInt("server.port")), nil)\n}',
    })
    expect(listenOf(input)).toEqual([['', 8104, 'env INV_SERVER_PORT']])
    expect(envOf(input)).toEqual([
      ['INVENTORY_TOKEN', null, true],
      ['INV_SERVER_PORT', '8104', false],
    ])
  })

  it('viper on an instance (v := viper.New())', () => {
    const input = project({
      'main.go': 'package main\nimport ("net/http"; "github.com/spf13/viper")\nfunc main() {\n  v := viper.New()\n  v.SetDefault("addr", ":7000")\n  v.AutomaticEnv()\n  http.ListenAndServe(v.GetString("addr"), nil)\n}',
    })
    expect(listenOf(input)).toEqual([['', 7000, 'env ADDR']])
  })

  it('urfave/cli: a flag with EnvVars and a Value, read by name in the action; a Required flag with a variable asks for the variable', () => {
    const input = project({
      'main.go':
        'package main\nimport ("fmt"; "net/http"; "os"; "github.com/urfave/cli/v2")\nfunc main() {\n  app := &cli.App{\n    Flags: []cli.Flag{\n      &cli.IntFlag{Name: "port", Value: 8105, EnvVars: []string{"BILLING_PORT"}},\n      &cli.StringFlag{Name: "secret", EnvVars: []string{"BILLING_SECRET"}, Required: true},\n      &cli.StringFlag{Name: "region", Required: true},\n    },\n    Action: func(c *cli.Context) error { return http.ListenAndServe(fmt.Sprintf(":%d", c.Int("port")), nil) },\n  }\n  app.Run(os.Args)\n}',
    })
    expect(listenOf(input)).toEqual([['', 8105, 'env BILLING_PORT']])
    expect(envOf(input)).toEqual([
      ['BILLING_PORT', '8105', false],
      ['BILLING_SECRET', null, true],
    ])
    expect(computeNeeds(input).requiredFlags.map((f) => f.name)).toEqual(['region'])
  })

  it('cobra + pflag: a package-level variable bound after the closure that reads it, Get* on Flags(), MarkFlagRequired', () => {
    const input = project({
      'main.go':
        'package main\nimport ("net/http"; "github.com/spf13/cobra")\nvar addr string\nfunc main() {\n  root := &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error {\n    port, _ := cmd.Flags().GetInt("port")\n    _ = port\n    return http.ListenAndServe(addr, nil)\n  }}\n  root.Flags().StringVarP(&addr, "addr", "a", ":8106", "")\n  root.PersistentFlags().Int("port", 9, "")\n  root.Flags().String("token", "", "")\n  root.MarkFlagRequired("token")\n  root.Execute()\n}',
    })
    expect(listenOf(input)).toEqual([['', 8106, 'flag addr']])
    expect(computeNeeds(input).requiredFlags.map((f) => [f.name, f.evidence.line])).toEqual([['token', 13]])
  })

  it('hostile tags: names that are not variable names never reach the Dockerfile, and odd input never throws', () => {
    const input = project({
      'main.go':
        'package main\nimport ("net/http"; "github.com/caarlos0/env/v11")\ntype C struct {\n  Addr string `env:"A$(id);X" envDefault:"127.0.0.1:80"`\n  Deep struct { Deeper struct { Deepest struct { X string `env:"\\n"` } } }\n}\nfunc main() {\n  var c C\n  env.Parse(&c)\n  http.ListenAndServe(c.Addr, nil)\n}',
    })
    const needs = computeNeeds(input)
    expect(needs.listen.map((l) => [l.port, l.loopbackOnly, l.via])).toEqual([[80, true, { kind: 'env', name: 'A$(id);X' }]])
    const r = generateRecipe(analysis({ needs }), { base: builtinBase('scratch'), buildkit: true })
    expect(r.dockerfile).not.toContain('$(id)')
    expect(r.notices.map((n) => n.code)).toContain('unsafe-env-name')
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const p = project({ 'main.go': `package main\nimport ("github.com/kelseyhightower/envconfig"; "github.com/spf13/viper")\ntype C struct { ${junk} }\nfunc main() { var c C; envconfig.Process(${JSON.stringify(junk)}, &c); viper.GetString(${JSON.stringify(junk)}) }` })
        expect(() => computeNeeds(p)).not.toThrow()
      }),
      { numRuns: 200 },
    )
  })
})

describe('viper bound to a cobra flag', () => {
  it('BindPFlag: the key takes the flag when given, else the variable, else the default, else the flag’s default', () => {
    const input = project({
      'main.go':
        'package main\nimport ("net/http"; "github.com/spf13/cobra"; "github.com/spf13/viper")\nfunc main() {\n  cmd := &cobra.Command{}\n  cmd.Flags().String("addr", ":7100", "")\n  viper.BindPFlag("addr", cmd.Flags().Lookup("addr"))\n  viper.AutomaticEnv()\n  http.ListenAndServe(viper.GetString("addr"), nil)\n}',
    })
    const [l] = computeNeeds(input).listen
    expect([l?.port, l?.via, l?.alsoVia]).toEqual([7100, { kind: 'env', name: 'ADDR' }, [{ kind: 'flag', name: 'addr' }]])
  })
})
