/**
 * Environment variables, read by the Go scanner: `os.Getenv`/`LookupEnv` reads, the fallback a
 * program uses when one is empty (`if v == "" { v = "def" }`, `if !ok { … }`, `cmp.Or(…)`), an
 * override inside an `if` (`if os.Getenv("PORT") != "" { port = os.Getenv("PORT") }`), and calls
 * that pass a variable's name to a helper (`envOr("PORT", "8080")`, resolved in needs.ts).
 * Functions over the one scanner's cursor (go-source.ts), so there is still a single pass.
 */
import type { Cursor, Range } from './scan-config'
import { blockExits } from './scan-required'
import type { GoDef, GoEnvRead, GoValue } from './scan-types'

const ENV_NAME = /^[A-Z][A-Z0-9_]+$/
const UNKNOWN: GoValue = Object.freeze({ k: 'unknown' }) as GoValue

/** What the env rules keep while one file is scanned, tied together by applyEnvFallbacks at the end. */
export interface EnvState {
  /** `if v == "" { v = "def" }` and `if !ok { v = "def" }`: the later assignment is v's fallback. */
  fallbacks: { name: string; value: GoValue; line: number }[]
  /** `cmp.Or(os.Getenv("X"), "def")` seen while evaluating: the read's fallback. */
  orFallbacks: { name: string; value: GoValue; line: number }[]
  /** The `=` of those fallback assignments: not a new definition of the variable. */
  fallbackAssigns: Set<number>
  /** The first read of each variable on each line (`NAME@line`), to attach its fallback to. */
  readAt: Map<string, GoEnvRead>
}

/** The cursor the env rules need: the scanner's, its env state, and its definitions so far. */
export interface EnvCursor extends Cursor {
  readonly env: EnvState
  /** The last definition of `name` on or before line `before`. */
  latestDef(name: string, before: number): GoDef | undefined
}

export function newEnvState(): EnvState {
  return { fallbacks: [], orFallbacks: [], fallbackAssigns: new Set(), readAt: new Map() }
}

/** `os.Getenv("NAME")` (or LookupEnv, syscall.Getenv) as a statement-level read. */
export function envRead(s: EnvCursor, args: Range[], line: number) {
  const name = s.strArg(args[0])
  if (name === null) return
  const read: GoEnvRead = { name, evidence: s.ev(line) }
  s.r.envReads.push(read)
  const key = `${name}@${line}`
  if (!s.env.readAt.has(key)) s.env.readAt.set(key, read)
}

/** The value of an env read inside an expression. */
export function envValue(s: Cursor, args: Range[], line: number): GoValue {
  const name = s.strArg(args[0])
  return name === null ? UNKNOWN : { k: 'env', name, line }
}

/** `cmp.Or(a, b, …)`: an env read first is a read with a fallback (the rest), else the first non-empty part. */
export function cmpOr(s: EnvCursor, parts: GoValue[]): GoValue {
  const [head, ...rest] = parts
  if (head?.k === 'env' && head.fallback === undefined && rest.length > 0) {
    const fallback: GoValue = rest.length === 1 ? (rest[0] as GoValue) : { k: 'or', parts: rest }
    s.env.orFallbacks.push({ name: head.name, line: head.line, value: fallback })
    return { ...head, fallback }
  }
  return { k: 'or', parts }
}

/**
 * The `if` at `i`, for the two fallback shapes: `if NAME == "" { NAME = "fallback" }` (or, when
 * the block stops the program instead, a required check: `if *token == "" { log.Fatal(…) }`) and
 * `if !ok { v = "fallback" }`. True when it was one of them.
 */
export function emptyIf(s: EnvCursor, i: number): boolean {
  let k = i + 1
  let deref = false
  if (s.op(k, '*')) {
    deref = true
    k++
  }
  if (s.id(k) && s.op(k + 1, '==') && s.t(k + 2).kind === 'string' && s.t(k + 2).value === '' && s.op(k + 3, '{')) {
    const name = s.t(k).value
    const open = k + 3
    let a = open + 1
    if (s.op(a, '*')) a++
    if (s.id(a, name) && s.op(a + 1, '=') && !deref) {
      s.env.fallbacks.push({ name, value: s.eval(a + 2, s.stmtEnd(a + 2), 0), line: s.t(a).line })
      s.env.fallbackAssigns.add(a + 1)
    } else if (blockExits(s, open, false)) {
      s.r.requiredChecks.push({ name, evidence: s.ev(s.t(i).line) })
    }
    return true
  }
  if (s.op(i + 1, '!') && s.id(i + 2) && s.op(i + 3, '{') && s.id(i + 4) && s.op(i + 5, '=')) {
    s.env.fallbacks.push({ name: s.t(i + 4).value, value: s.eval(i + 6, s.stmtEnd(i + 6), 0), line: s.t(i + 4).line })
    s.env.fallbackAssigns.add(i + 5)
    return true
  }
  return false
}

/**
 * What an assignment `name = value` on `line` defines: directly inside an `if` block, a value read
 * from the environment overrides what the variable held before, which stays its fallback.
 */
export function assignedValue(s: EnvCursor, name: string, value: GoValue, line: number, inIf: boolean): GoValue {
  const prev = inIf && envish(s, value) ? s.latestDef(name, line - 1) : undefined
  return prev ? { k: 'or', parts: [value, { k: 'ref', name, line: line - 1 }] } : value
}

/** A value taken from the environment: an env read, or a variable that holds one. */
function envish(s: EnvCursor, v: GoValue): boolean {
  if (v.k === 'env') return true
  if (v.k !== 'ref') return false
  const def = s.latestDef(v.name, v.line)
  return def !== undefined && def.value.k === 'env'
}

/** A string literal that looks like an environment variable name, alone as the first argument at `j`. */
export function envNameAt(s: Cursor, j: number): boolean {
  const t = s.t(j)
  return t.kind === 'string' && ENV_NAME.test(t.value) && (s.op(j + 1, ',') || s.op(j + 1, ')'))
}

/** `envOr("PORT", "8080")`, `config.Env("DB", "")`: a call that may read a variable, resolved against env helpers in needs.ts. */
export function envCall(s: Cursor, pkg: string | null, name: string, args: Range[], line: number) {
  const first = s.strArg(args[0])
  if (first === null || !ENV_NAME.test(first)) return
  s.r.calls.push({ pkg, name, args: args.map(([a, b]) => s.eval(a, b, 1)), evidence: s.ev(line) })
}

/** At the end of the file: each fallback found is attached to the read (and the definition) it belongs to. */
export function applyEnvFallbacks(s: EnvCursor) {
  const attach = (name: string, line: number, value: GoValue) => {
    const read = s.env.readAt.get(`${name}@${line}`)
    if (read && read.fallback === undefined) read.fallback = value
  }
  // `v := os.Getenv("X"); if v == "" { v = "def" }`: the later assignment is the fallback.
  for (const fb of s.env.fallbacks) {
    const def = s.latestDef(fb.name, fb.line)
    if (def && def.value.k === 'env' && def.value.fallback === undefined) {
      def.value = { ...def.value, fallback: fb.value }
      attach(def.value.name, def.value.line, fb.value)
    }
  }
  for (const def of s.r.defs) {
    const v = def.value
    if (v.k === 'or' && v.parts[0]?.k === 'env' && v.parts[1]) attach(v.parts[0].name, v.parts[0].line, v.parts[1])
  }
  for (const fb of s.env.orFallbacks) attach(fb.name, fb.line, fb.value)
}
