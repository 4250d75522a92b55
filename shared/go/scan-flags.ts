/**
 * Command-line flags as the scanner reads them: flag/pflag definitions (`flag.String`, `IntVar`,
 * `StringP`, FlagSets) with their defaults and target variables, and lookups by name. Functions over
 * the one scanner's cursor (go-source.ts).
 */
import type { Cursor, Range } from './scan-config'
import type { GoValue } from './scan-types'

const FLAG_FUNC = /^(String|Int|Int8|Int16|Int32|Int64|Uint|Uint8|Uint16|Uint32|Uint64|Bool|Duration|Float32|Float64|StringSlice|StringArray|IntSlice|IP|Count)(Var)?(P)?$/
const UNKNOWN: GoValue = Object.freeze({ k: 'unknown' }) as GoValue

/** A flag definition call (`flag.Int("port", 8080, …)`): recorded, and its target variable defined as the flag. */
export function flagCall(s: Cursor, name: string, args: Range[], line: number) {
  const f = flagValue(s, name, args, 0)
  if (!f) return
  s.r.flags.push({ name: f.name, kind: f.kind, def: f.def, evidence: s.ev(line) })
  if (f.target) s.addDef({ name: f.target, value: { k: 'flag', name: f.name, def: f.def }, line, topLevel: s.depth === 0 })
}

/** The flag a definition call names: its name, kind (`int`, `string`, …), default and `…Var` target. */
export function flagValue(s: Cursor, fn: string, args: Range[], depth: number): { name: string; kind: string; def: GoValue; target: string | null } | null {
  const m = FLAG_FUNC.exec(fn)
  if (!m) return null
  const [, base = '', isVar, isP] = m
  let k = 0
  const ptr = isVar ? args[k++] : undefined
  const name = s.strArg(args[k++])
  if (isP) k++
  const defRange = args[k]
  if (name === null) return null
  const def: GoValue = defRange ? s.eval(defRange[0], defRange[1], depth + 1) : base === 'Count' ? { k: 'num', v: 0 } : UNKNOWN
  let target: string | null = null
  if (ptr) {
    let a = ptr[0]
    if (s.op(a, '&')) a++
    const text = s.text([a, ptr[1]])
    if (/^[A-Za-z_][\w.]*$/.test(text)) target = text
  }
  return { name, kind: base.toLowerCase(), def, target }
}

/** A flag looked up by name (`fs.Lookup("port")`, urfave's `c.String("port")`): a reference resolved in needs.ts. */
export function flagRef(s: Cursor, args: Range[], line: number): GoValue {
  const name = s.strArg(args[0])
  return name === null ? UNKNOWN : { k: 'flagref', name, line }
}
