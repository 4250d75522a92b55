/**
 * Files the program opens at run time (os.ReadFile, os.Open, template.ParseFiles/ParseGlob, …), each
 * with whether it stops without it. Functions over the one scanner's cursor (go-source.ts).
 */
import type { Cursor, Range } from './scan-config'
import { errorStops } from './scan-required'
import type { GoFileUse, GoValue } from './scan-types'

/** A file opened at `i` (the call's name), its arguments opened at `open`. */
export function fileUse(s: Cursor, path: GoValue, kind: GoFileUse['kind'], how: string, i: number, open: number) {
  const mustWrapped = s.op(i - 1, '(') && s.id(i - 2, 'Must')
  const required = mustWrapped || errorStops(s, open)
  s.r.fileUses.push({ path, kind, required, how, evidence: s.ev(s.t(i).line) })
}

/** `template.ParseFiles(a, b)` / `ParseGlob(p)`: each argument is a file (or glob) read at run time. */
export function templateUse(s: Cursor, name: string, args: Range[], i: number, open: number) {
  args.forEach(([a, b]) => fileUse(s, s.eval(a, b, 0), name === 'ParseGlob' ? 'glob' : 'file', `template.${name}`, i, open))
}
