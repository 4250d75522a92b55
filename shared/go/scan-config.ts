/**
 * The part of the Go scanner that reads configuration: struct types and the variables declared
 * with them, and the calls that hand a struct or keys to a configuration library (envconfig,
 * caarlos0/env, ardanlabs/conf, viper, urfave/cli flags, cobra's required flags). Functions over
 * the one scanner's cursor (go-source.ts), so there is still a single pass over the tokens.
 */
import type { ConfigLib, GoStructField, configLibOf } from './config-libs'
import type { GoDef, GoFileScan, GoFlag, GoValue, GoVarType, GoViperOp } from './scan-types'
import type { Evidence } from '../types/project'
import type { Token } from './lexer'

/** Token range [from, to). */
export type Range = [number, number]

/** What these functions use of the scanner: its tokens, helpers, result and per-file state. */
export interface Cursor {
  readonly r: GoFileScan
  readonly importNames: Map<string, string>
  readonly varTypeAt: Map<string, GoVarType>
  readonly depth: number
  readonly tokenCount: number
  t(i: number): Token
  op(i: number, v: string): boolean
  id(i: number, v?: string): boolean
  close(i: number): number
  isOpener(j: number): boolean
  openerOf(closeIdx: number): number
  isChain(a: number, b: number): boolean
  text(r: Range): string
  ev(line: number): Evidence
  strArg(r: Range | undefined): string | null
  args(open: number): Range[]
  argValue(args: Range[], n: number): GoValue
  eval(a: number, b: number, depth: number): GoValue
  stmtEnd(a: number): number
  splitSemis(a: number, b: number): Range[]
  splitCommas(a: number, b: number): Range[]
  addDef(def: GoDef): void
}

const ENV_NAME = /^[A-Z][A-Z0-9_]+$/
const UNKNOWN: GoValue = Object.freeze({ k: 'unknown' }) as GoValue

/** A copy of a string that does not pin the file it was cut from (see go-source.ts). */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

/** `type Name struct {…}` (or a group of them): the fields, for configuration libraries. */
export function typeDecl(s: Cursor, i: number) {
  const specs: Range[] = s.op(i + 1, '(') ? s.splitSemis(i + 2, s.close(i + 1)) : [[i + 1, s.stmtEnd(i + 1)]]
  for (const [a] of specs) {
    if (!s.id(a)) continue
    let k = a + 1
    if (s.op(k, '[')) k = s.close(k) + 1
    if (s.op(k, '=')) k++
    if (s.id(k, 'struct') && s.op(k + 1, '{')) s.r.structs.push({ name: own(s.t(a).value), fields: structFields(s, k + 1, 0) })
  }
}

/** The fields of the struct body opened at `open`: names, type as written, inline structs, tags. */
export function structFields(s: Cursor, open: number, depth: number): GoStructField[] {
  const out: GoStructField[] = []
  if (depth > 6) return out
  for (const [a0, b0] of s.splitSemis(open + 1, s.close(open))) {
    let a = a0
    let b = b0
    let tag: string | null = null
    if (s.t(b - 1).kind === 'string' && b - 1 > a) {
      tag = own(s.t(b - 1).value)
      b--
    }
    const line = s.t(a).line
    let star = false
    if (s.op(a, '*')) {
      star = true
      a++
    }
    if (s.isChain(a, b) && (b - a === 1 || b - a === 3)) {
      out.push({ name: own(s.t(b - 1).value), embedded: true, type: own(s.text([a, b])), fields: null, tag, evidence: s.ev(line) })
      continue
    }
    if (star) continue
    const names: string[] = []
    let k = a
    while (s.id(k) && k < b) {
      names.push(own(s.t(k).value))
      if (s.op(k + 1, ',')) k += 2
      else {
        k++
        break
      }
    }
    if (names.length === 0 || k >= b) continue
    while (s.op(k, '*')) k++
    const inline = s.id(k, 'struct') && s.op(k + 1, '{') ? structFields(s, k + 1, depth + 1) : null
    const type = inline ? 'struct' : own(s.text([k, b]))
    for (const name of names) out.push({ name, embedded: false, type, fields: inline, tag, evidence: s.ev(line) })
  }
  return out
}

/** Records the type of a variable declared over tokens [a, b) (`Config`, `*config.Config`, `struct {…}`, `Config{…}`). */
export function addVarType(s: Cursor, name: string, a: number, b: number, line: number, topLevel: boolean) {
  while (s.op(a, '*') || s.op(a, '&')) a++
  let fields: GoStructField[] | null = null
  let type: string
  let typePkg: string | null = null
  if (s.id(a, 'struct') && s.op(a + 1, '{')) {
    fields = structFields(s, a + 1, 0)
    type = 'struct'
  } else {
    let end = b
    if (s.op(end - 1, '}') && s.openerOf(end - 1) > a) end = s.openerOf(end - 1)
    if (!s.isChain(a, end) || end - a > 3) return
    if (end - a === 3) {
      typePkg = s.importNames.get(s.t(a).value) ?? null
      if (typePkg === null) return
      type = s.t(a + 2).value
    } else type = s.t(a).value
  }
  const vt: GoVarType = { name, type: own(type), typePkg, fields, line, topLevel }
  s.r.varTypes.push(vt)
  s.varTypeAt.set(name, vt)
}

/** `var cfg Config` inside a function (a `var x = …` is an assignment). */
export function localVar(s: Cursor, i: number) {
  const end = s.stmtEnd(i + 1)
  if (!s.id(i + 1) || s.op(i + 2, ',')) return
  // Brackets are skipped whole: an unclosed `struct {` must not make every `var` inside it walk to the end.
  for (let j = i + 2; j < end; j++) {
    if (s.op(j, '=')) return
    if (s.op(j, '{') || s.op(j, '(') || s.op(j, '[')) j = s.close(j)
  }
  addVarType(s, s.t(i + 1).value, i + 2, end, s.t(i + 1).line, false)
}

/** A call into a configuration library's package: a struct bound to variables, viper's setup, cobra's required flags. */
export function configCall(s: Cursor, lib: NonNullable<ReturnType<typeof configLibOf>>, name: string, i: number, open: number) {
  const args = s.args(open)
  const line = s.t(i).line
  if (lib === 'viper') {
    viperOp(s, name, args, line)
    return
  }
  if (lib === 'cobra') {
    if (name === 'MarkFlagRequired') markRequired(s, args[1], line)
    return
  }
  if (lib === 'urfave/cli') return
  let target: Range | undefined
  let prefix: GoValue = { k: 'str', v: '' }
  let requiredIfNoDef = false
  if (lib === 'envconfig') {
    if (name !== 'Process' && name !== 'MustProcess') return
    target = args[1]
    prefix = s.argValue(args, 0)
  } else if (lib === 'caarlos0/env') {
    if (name !== 'Parse' && name !== 'ParseWithOptions') return
    target = args[0]
    const opts = args[1]
    let brace = opts ? opts[0] : -1
    while (opts && brace < opts[1] && !s.op(brace, '{')) brace++
    if (opts && brace < opts[1]) {
      for (const [a, b] of s.splitCommas(brace + 1, s.close(brace))) {
        if (s.id(a, 'Prefix') && s.op(a + 1, ':')) prefix = s.eval(a + 2, b, 0)
        if (s.id(a, 'RequiredIfNoDef') && s.op(a + 1, ':') && s.id(a + 2, 'true')) requiredIfNoDef = true
      }
    }
  } else {
    if (name !== 'Parse') return
    const at = args.findIndex(([a]) => s.op(a, '&'))
    if (at < 0) return
    target = args[at]
    const before = args[at - 1]
    if (before) prefix = s.eval(before[0], before[1], 0)
  }
  if (!target) return
  let a = target[0]
  if (s.op(a, '&')) a++
  if (!s.isChain(a, target[1])) return
  bindConfig(s, lib, s.text([a, target[1]]), null, null, prefix, requiredIfNoDef, line)
}

export function bindConfig(s: Cursor, lib: ConfigLib, target: string, type: string | null, typePkg: string | null, prefix: GoValue, requiredIfNoDef: boolean, line: number) {
  const vt = type === null ? s.varTypeAt.get(target) : undefined
  s.r.configBinds.push({
    lib,
    target: own(target),
    type: type ?? vt?.type ?? null,
    typePkg: type !== null ? typePkg : (vt?.typePkg ?? null),
    fields: vt?.fields ?? null,
    prefix,
    requiredIfNoDef,
    evidence: s.ev(line),
  })
}

export function markRequired(s: Cursor, arg: Range | undefined, line: number) {
  const name = s.strArg(arg)
  if (name !== null) s.r.requiredFlags.push({ name, evidence: s.ev(line) })
}

export function viperOp(s: Cursor, name: string, args: Range[], line: number) {
  const key = s.strArg(args[0])
  const push = (op: GoViperOp['op'], value: GoValue | null, names: string[]) => s.r.viper.push({ op, key: key === null ? null : key.toLowerCase(), value, names, evidence: s.ev(line) })
  if (name === 'SetDefault' && key !== null) push('default', s.argValue(args, 1), [])
  else if (name === 'SetEnvPrefix') push('prefix', s.argValue(args, 0), [])
  else if (name === 'AutomaticEnv') push('automatic', null, [])
  else if (name === 'BindEnv' && key !== null) push('bind', null, args.slice(1).map((r) => s.strArg(r)).filter((n): n is string => n !== null))
  else if (name === 'SetEnvKeyReplacer' && args[0]) {
    const names: string[] = []
    for (let j = args[0][0]; j < args[0][1]; j++) if (s.t(j).kind === 'string') names.push(s.t(j).value)
    push('replacer', null, names)
  } else if (name === 'BindPFlag' && key !== null && args[1]) {
    // viper.BindPFlag("port", cmd.Flags().Lookup("port")): the key takes the flag's value when given, else its default.
    for (let j = args[1][0]; j < args[1][1]; j++) {
      if (s.id(j, 'Lookup') && s.op(j + 1, '(') && s.t(j + 2).kind === 'string') {
        push('pflag', null, [s.t(j + 2).value])
        break
      }
    }
  } else if (/^Get[A-Z]?/.test(name) && key !== null) push('get', null, [])
}

/** A urfave/cli flag literal: `&cli.StringFlag{Name: "port", Value: "8080", EnvVars: []string{"PORT"}, Required: true, Destination: &port}`. */
export function urfaveFlag(s: Cursor, kind: string, open: number, line: number) {
  let name: string | null = null
  let def: GoValue = UNKNOWN
  const env: string[] = []
  let required = false
  let target: string | null = null
  for (const [a, b] of s.splitCommas(open + 1, s.close(open))) {
    if (!s.id(a) || !s.op(a + 1, ':')) continue
    const key = s.t(a).value
    if (key === 'Name') name = s.strArg([a + 2, b])
    else if (key === 'Value') def = s.eval(a + 2, b, 0)
    else if (key === 'Required') required = s.id(a + 2, 'true')
    else if (key === 'EnvVars' || key === 'EnvVar' || key === 'Sources') {
      for (let j = a + 2; j < b; j++) {
        const t = s.t(j)
        if (t.kind === 'string') for (const n of t.value.split(',')) if (ENV_NAME.test(n.trim())) env.push(n.trim())
      }
    } else if (key === 'Destination') {
      let d = a + 2
      if (s.op(d, '&')) d++
      if (s.isChain(d, b)) target = s.text([d, b])
    }
  }
  if (name === null) return
  name = name.split(',')[0]?.trim() ?? name
  if (name === '') return
  const value: GoValue = env[0] !== undefined ? { k: 'env', name: env[0], fallback: def, line } : def
  const flag: GoFlag = { name: own(name), kind, def: value, evidence: s.ev(line) }
  if (env.length > 0) flag.env = env
  if (required) flag.required = true
  s.r.flags.push(flag)
  if (target) s.addDef({ name: target, value: { k: 'flag', name: flag.name, def: value }, line, topLevel: s.depth === 0 })
}


/** `cfg := Config{…}`, `cfg := &config.Config{}`, `cfg := struct{…}{…}`: the variable's type, for configuration libraries. */
export function valueType(s: Cursor, name: string, [a, b]: Range, line: number) {
  let k = a
  while (s.op(k, '&')) k++
  if (s.id(k, 'struct') && s.op(k + 1, '{')) {
    addVarType(s, name, k, s.close(k + 1) + 1, line, false)
    return
  }
  if (s.op(b - 1, '}') && s.isChain(k, s.openerOf(b - 1))) addVarType(s, name, k, b, line, false)
}

/** caarlos0/env's `cfg, err := env.ParseAs[Config]()`. */
export function parseAs(s: Cursor, a: number, b: number, target: string, line: number) {
  for (let j = a; j < b; j++) {
    if (!s.op(j, '[')) continue
    const close = s.close(j)
    if (close - j === 2 && s.id(j + 1)) bindConfig(s, 'caarlos0/env', target, s.t(j + 1).value, null, { k: 'str', v: '' }, false, line)
    else if (close - j === 4 && s.isChain(j + 1, close)) bindConfig(s, 'caarlos0/env', target, s.t(j + 3).value, s.importNames.get(s.t(j + 1).value) ?? null, { k: 'str', v: '' }, false, line)
    return
  }
}
