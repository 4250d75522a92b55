/**
 * What the program stops without, read by the Go scanner: an `if … == ""` whose block exits, and an
 * error that stops the program after a call (`if err != nil { log.Fatal(…) }`, or returned from
 * main). Functions over the one scanner's cursor (go-source.ts), so there is still a single pass.
 */
import type { Cursor, Range } from './scan-config'
import { FLAG_PACKAGES } from './imports'
import type { GoValue } from './scan-types'

/** The scanner's bound on one block's lookahead (tokens). */
const MAX_BLOCK = 200

/**
 * `if cfg.Token == "" || os.Getenv("DSN") == "" { log.Fatal(…) }` (after an optional init statement):
 * each operand compared with "" is required when the block stops the program. A plain variable
 * handled by the older check below (`if v == "" { v = … }`) is left to it.
 */
export function emptyChecks(s: Cursor, i: number, open: number) {
  let a = i + 1
  for (let j = a; j < open; j++) {
    if (s.t(j).kind === 'semi') a = j + 1
    else if (s.isOpener(j)) j = s.close(j)
  }
  const parts: Range[] = []
  let start = a
  for (let j = a; j < open; j++) {
    if (s.isOpener(j)) j = s.close(j)
    else if (s.op(j, '||')) {
      parts.push([start, j])
      start = j + 1
    }
  }
  parts.push([start, open])
  const found: { name: string; value?: GoValue }[] = []
  for (const [p, q] of parts) {
    if (!(s.op(q - 2, '==') && s.t(q - 1).kind === 'string' && s.t(q - 1).value === '')) return
    let x = p
    while (s.op(x, '*')) x++
    const end = q - 2
    if (s.isChain(x, end)) {
      if (end - x === 1 && parts.length === 1 && a === i + 1) return
      if (s.importNames.has(s.t(x).value)) return
      found.push({ name: s.text([x, end]) })
      continue
    }
    const v = s.eval(x, end, 0)
    if (v.k !== 'env' && v.k !== 'cfgkey' && v.k !== 'flagref') return
    found.push({ name: '', value: v })
  }
  if (found.length === 0 || !blockExits(s, open, false)) return
  const evidence = s.ev(s.t(i).line)
  for (const f of found) s.r.requiredChecks.push(f.value !== undefined ? { name: f.name, value: f.value, evidence } : { name: f.name, evidence })
}

/** Does the block opened at `open` stop the program? For file reads, returning the error counts too. */
export function blockExits(s: Cursor, open: number, returnsCount: boolean): boolean {
  const end = Math.min(s.close(open), open + MAX_BLOCK)
  let exits = false
  for (let j = open + 1; j < end; j++) {
    const t = s.t(j)
    if (t.kind !== 'ident') continue
    const v = t.value
    if (v === 'IsNotExist' || v === 'ErrNotExist') return false
    if (v === 'panic' && s.op(j + 1, '(')) exits = true
    else if (s.op(j - 1, '.') && (v === 'Exit' || v.startsWith('Fatal') || v === 'Usage')) exits = true
    else if (v === 'return' && returnsCount) {
      for (let q = j + 1; q < end && s.t(q).kind !== 'semi'; q++) {
        const w = s.t(q)
        if (w.kind === 'ident' && (w.value === 'err' || w.value === 'Errorf' || w.value === 'Wrap' || w.value === 'Wrapf')) exits = true
      }
    }
  }
  return exits
}

/** After a call: `if err != nil { log.Fatal(…) }` (or a returned error) means the program cannot go on without it. */
export function errorStops(s: Cursor, open: number): boolean {
  const close = s.close(open)
  const limit = Math.min(s.tokenCount, close + 40)
  for (let j = close + 1; j < limit; j++) {
    if (s.op(j, '}')) return false
    if (s.op(j, '!=') && s.id(j + 1, 'nil') && s.id(j - 1)) {
      for (let q = j + 2; q < j + 5; q++) if (s.op(q, '{')) return blockExits(s, q, true)
      return false
    }
  }
  return false
}

/** `if len(os.Args) < 2 { …; os.Exit(2) }` or `if flag.NArg() < 1 { flag.Usage(); os.Exit(2) }` at the `if` at `i`: the program needs arguments. */
export function argsCheck(s: Cursor, i: number) {
  const at =
    (s.id(i + 1, 'len') && s.op(i + 2, '(') && s.importNames.get(s.t(i + 3).value) === 'os' && s.op(i + 4, '.') && s.id(i + 5, 'Args') && s.op(i + 6, ')') && 7) ||
    (FLAG_PACKAGES.has(s.importNames.get(s.t(i + 1).value) ?? '') && s.op(i + 2, '.') && s.id(i + 3, 'NArg') && s.op(i + 4, '(') && s.op(i + 5, ')') && 6)
  if (!at) return
  const cmp = s.t(i + at)
  if (cmp.kind === 'op' && ['<', '<=', '==', '!='].includes(cmp.value) && s.t(i + at + 1).kind === 'number' && s.op(i + at + 2, '{') && blockExits(s, i + at + 2, false))
    s.r.requiredArgs.push(s.ev(s.t(i).line))
}
