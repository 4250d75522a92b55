/**
 * The rules configuration libraries follow to turn a struct's fields into environment variables:
 * kelseyhightower/envconfig, caarlos0/env and ardanlabs/conf, each with its own tags, defaults,
 * required marks and prefix rules (written from each library's documented behaviour), plus the
 * env-name rules of spf13/viper. Pure: the scanner finds the structs and the calls, needs.ts asks
 * these functions what the program reads.
 */
import type { Evidence } from '../types/project'

/** A struct field as written: `Port int \`env:"PORT"\``, an embedded `Base`, or an inline `struct{…}`. */
export interface GoStructField {
  name: string
  embedded: boolean
  /** The type as written, without a leading `*` (`int`, `DB`, `config.DB`, `[]string`); `struct` for an inline one. */
  type: string
  /** An inline struct's own fields. */
  fields: GoStructField[] | null
  /** The raw tag (the text between backquotes), or null. */
  tag: string | null
  evidence: Evidence
}

/** The libraries whose struct tags Slipway reads. */
export type ConfigLib = 'envconfig' | 'caarlos0/env' | 'ardanlabs/conf'

/** One variable a configuration struct reads: the field path, the variable names in the order the library tries them, its default and whether the program stops without it. */
export interface ConfigVar {
  path: string[]
  env: string[]
  def: string | null
  required: boolean
  evidence: Evidence
}

/** Options a call gives the library (prefix, caarlos0/env's RequiredIfNoDef). */
export interface ConfigOptions {
  prefix: string
  requiredIfNoDef?: boolean
}

/** Finds a named struct type's fields (`DB`, `config.DB`), or null when it is not a struct of this module. */
export type StructLookup = (type: string) => GoStructField[] | null

/** The library an import path belongs to, or null. */
export function configLibOf(path: string): ConfigLib | 'viper' | 'urfave/cli' | 'cobra' | null {
  if (path === 'github.com/kelseyhightower/envconfig') return 'envconfig'
  if (/^github\.com\/caarlos0\/env(\/v\d+)?$/.test(path)) return 'caarlos0/env'
  if (/^github\.com\/ardanlabs\/conf(\/v\d+)?$/.test(path)) return 'ardanlabs/conf'
  if (path === 'github.com/spf13/viper') return 'viper'
  if (/^github\.com\/urfave\/cli(\/v\d+)?$/.test(path)) return 'urfave/cli'
  if (path === 'github.com/spf13/cobra') return 'cobra'
  return null
}

/** `reflect.StructTag.Get`: the value of `key` in a conventional `k:"v" k2:"v2"` tag, or null when absent. */
export function structTagGet(tag: string | null, key: string): string | null {
  if (tag === null) return null
  let i = 0
  while (i < tag.length) {
    while (i < tag.length && tag[i] === ' ') i++
    let j = i
    while (j < tag.length && tag.charCodeAt(j) > 32 && tag[j] !== ':' && tag[j] !== '"' && tag.charCodeAt(j) !== 0x7f) j++
    if (j === i || tag[j] !== ':' || tag[j + 1] !== '"') return null
    const name = tag.slice(i, j)
    let k = j + 2
    let value = ''
    while (k < tag.length && tag[k] !== '"') {
      if (tag[k] === '\\' && k + 1 < tag.length) k++
      value += tag[k]
      k++
    }
    if (k >= tag.length) return null
    if (name === key) return value
    i = k + 1
  }
  return null
}

/** The libraries set exported fields only (reflect cannot set the others). */
const exported = (f: GoStructField) => /^[A-Z]/.test(f.embedded ? f.type.slice(f.type.lastIndexOf('.') + 1) : f.name)

/** strconv.ParseBool's true. */
const isTrue = (v: string | null) => v !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)

/** Types that are never walked into as configuration structs. */
const SCALAR = /^(?:\[\]|map\[|chan |func)|^(?:u?int\d*|float\d+|complex\d+|string|bool|byte|rune|uintptr|any|error|interface\{\})$/

function subFields(f: GoStructField, lookup: StructLookup, depth: number): GoStructField[] | null {
  if (depth > 8) return null
  if (f.fields) return f.fields
  if (SCALAR.test(f.type)) return null
  return lookup(f.type)
}

/**
 * envconfig: the key is the field name (or its `envconfig` tag; `split_words` splits CamelCase),
 * after `PREFIX_`, upper-cased; a tagged field is also read by its bare tag name when the key is
 * unset. Nested structs add their key as a prefix (an embedded one without a tag does not).
 */
export function envconfigVars(fields: readonly GoStructField[], opts: ConfigOptions, lookup: StructLookup): ConfigVar[] {
  const out: ConfigVar[] = []
  const walk = (list: readonly GoStructField[], prefix: string, path: string[], depth: number) => {
    for (const f of list) {
      const tag = structTagGet(f.tag, 'envconfig')
      if (!exported(f) || tag === '-' || isTrue(structTagGet(f.tag, 'ignored'))) continue
      const alt = (tag ?? '').toUpperCase()
      let key = f.name
      if (structTagGet(f.tag, 'split_words') === 'true') key = splitWords(f.name)
      if (alt !== '') key = alt
      if (prefix !== '') key = `${prefix}_${key}`
      key = key.toUpperCase()
      const sub = subFields(f, lookup, depth)
      if (sub) {
        walk(sub, !f.embedded || tag !== null ? key : prefix, f.embedded ? path : [...path, f.name], depth + 1)
        continue
      }
      if (f.embedded) continue
      // envconfig treats an empty default as none.
      const def = structTagGet(f.tag, 'default') || null
      out.push({
        path: [...path, f.name],
        env: alt !== '' && alt !== key ? [key, alt] : [key],
        def,
        required: def === null && isTrue(structTagGet(f.tag, 'required')),
        evidence: f.evidence,
      })
    }
  }
  walk(fields, opts.prefix, [], 0)
  return out
}

/** envconfig's split_words: `DatabaseURL` → `Database_URL`, `APIKey` → `API_Key`. */
export function splitWords(name: string): string {
  const words = name.match(/[^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+/g) ?? [name]
  const out: string[] = []
  for (const w of words) {
    const m = /^([A-Z]+)([A-Z][^A-Z]+)$/.exec(w)
    if (m) out.push(m[1] ?? '', m[2] ?? '')
    else out.push(w)
  }
  return out.join('_')
}

/**
 * caarlos0/env: only fields with an `env:"NAME,opts"` tag are read, as `Options.Prefix` + any
 * `envPrefix` of the structs around them + NAME; `envDefault` is the default; `required` and
 * `notEmpty` (or `RequiredIfNoDef` without a default) stop the program when it is missing.
 */
export function caarlosVars(fields: readonly GoStructField[], opts: ConfigOptions, lookup: StructLookup): ConfigVar[] {
  const out: ConfigVar[] = []
  const walk = (list: readonly GoStructField[], prefix: string, path: string[], depth: number) => {
    for (const f of list) {
      const tag = structTagGet(f.tag, 'env')
      const [name = '', ...flags] = (tag ?? '').split(',')
      if (!exported(f) || name === '-') continue
      const sub = subFields(f, lookup, depth)
      if (sub) {
        walk(sub, prefix + (structTagGet(f.tag, 'envPrefix') ?? ''), f.embedded ? path : [...path, f.name], depth + 1)
        continue
      }
      if (tag === null || name === '') continue
      const def = structTagGet(f.tag, 'envDefault')
      const required = def === null && (flags.includes('required') || flags.includes('notEmpty') || opts.requiredIfNoDef === true)
      out.push({ path: [...path, f.name], env: [prefix + name], def, required, evidence: f.evidence })
    }
  }
  walk(fields, opts.prefix, [], 0)
  return out
}

/**
 * ardanlabs/conf: every field is read, as `PREFIX_` + the field path split at CamelCase words,
 * joined with `_` and upper-cased (`Web.APIHost` → `SALES_WEB_API_HOST`); `env:NAME` replaces the
 * path part; `default:` and `required` come from the `conf` tag.
 */
export function ardanVars(fields: readonly GoStructField[], opts: ConfigOptions, lookup: StructLookup): ConfigVar[] {
  const out: ConfigVar[] = []
  const prefix = opts.prefix.toUpperCase()
  const walk = (list: readonly GoStructField[], key: string[], path: string[], depth: number) => {
    for (const f of list) {
      const tag = structTagGet(f.tag, 'conf')
      if (!exported(f) || tag === '-') continue
      const o = parseConfTag(tag ?? '')
      const sub = subFields(f, lookup, depth)
      const fieldKey = f.embedded ? key : [...key, ...camelSplit(f.name)]
      if (sub) {
        walk(sub, fieldKey, f.embedded ? path : [...path, f.name], depth + 1)
        continue
      }
      if (f.embedded) continue
      const envKey = (o.env ?? fieldKey.join('_')).toUpperCase()
      out.push({ path: [...path, f.name], env: [prefix !== '' ? `${prefix}_${envKey}` : envKey], def: o.default, required: o.default === null && o.required, evidence: f.evidence })
    }
  }
  walk(fields, [], [], 0)
  return out
}

/** A `conf:"default:0.0.0.0:3000,env:PORT,required"` tag. */
function parseConfTag(tag: string): { default: string | null; env: string | null; required: boolean } {
  const o = { default: null as string | null, env: null as string | null, required: false }
  if (tag === '') return o
  // A default may itself hold commas only when it is the last option (`default:a,b` is not split by conf either when quoted); keep it simple and split.
  for (const part of tag.split(',')) {
    const colon = part.indexOf(':')
    const k = (colon < 0 ? part : part.slice(0, colon)).trim()
    const v = colon < 0 ? '' : part.slice(colon + 1)
    if (k === 'default') o.default = v
    else if (k === 'env') o.env = v
    else if (k === 'required') o.required = true
  }
  return o
}

/** CamelCase words as conf splits them: `APIHost` → [API, Host], `ReadTimeout` → [Read, Timeout], `DBMaxIdle2` → [DB, Max, Idle2]. */
export function camelSplit(s: string): string[] {
  const runs: string[] = []
  let cls = -1
  for (const ch of s) {
    const c = /[a-z]/.test(ch) ? 1 : /[A-Z]/.test(ch) ? 2 : /[0-9]/.test(ch) ? 3 : 4
    if (c === cls && runs.length > 0) runs[runs.length - 1] += ch
    else runs.push(ch)
    cls = c
  }
  // An upper-case run followed by a lower-case one gives its last letter to it: "APIH" "ost" → "API" "Host".
  for (let i = 0; i < runs.length - 1; i++) {
    const a = runs[i] ?? ''
    const b = runs[i + 1] ?? ''
    if (/^[A-Z]+$/.test(a) && /^[a-z]/.test(b)) {
      runs[i] = a.slice(0, -1)
      runs[i + 1] = a.slice(-1) + b
    }
  }
  // Digits stay with the word before them.
  const out: string[] = []
  for (const r of runs) {
    if (/^[0-9]+$/.test(r) && out.length > 0) out[out.length - 1] += r
    else if (r !== '') out.push(r)
  }
  return out
}

/** The variables a configuration call reads from a struct, by library. */
export function configVars(lib: ConfigLib, fields: readonly GoStructField[], opts: ConfigOptions, lookup: StructLookup): ConfigVar[] {
  if (lib === 'envconfig') return envconfigVars(fields, opts, lookup)
  if (lib === 'caarlos0/env') return caarlosVars(fields, opts, lookup)
  return ardanVars(fields, opts, lookup)
}

/** What viper's calls in a program set up: defaults, the env prefix, AutomaticEnv, explicit bindings, the key replacer. */
export interface ViperState {
  prefix: string
  automatic: boolean
  /** Key (lower case) → the variable names BindEnv gave; [] when BindEnv named only the key. */
  binds: Map<string, string[]>
  /** Pairs of a strings.NewReplacer given to SetEnvKeyReplacer. */
  replacer: [string, string][]
}

/**
 * The variable viper reads for `key`, or null when it reads none: an explicit BindEnv name as is,
 * else (BindEnv with the key alone, or AutomaticEnv) `PREFIX_KEY` upper-cased with the replacer applied.
 */
export function viperEnvName(state: ViperState, key: string): string | null {
  const k = key.toLowerCase()
  const bound = state.binds.get(k)
  if (bound && bound.length > 0) return bound[0] ?? null
  if (!bound && !state.automatic) return null
  let name = (state.prefix !== '' ? `${state.prefix}_${k}` : k).toUpperCase()
  for (const [from, to] of state.replacer) if (from !== '') name = name.split(from).join(to)
  return name
}
