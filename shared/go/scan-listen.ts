/**
 * Where the program listens, read by the Go scanner: `http.ListenAndServe(addr, …)`, `net.Listen`,
 * `tls.Listen`, `http.Server{Addr: …}`, a web framework's `Run`/`Start` on a value its constructor
 * made (gin, echo, fiber, …; no argument means $PORT or 8080, as those frameworks do), and string
 * literals that look like a listen address. The address is kept as an expression; needs.ts
 * resolves it across files. Functions over the one scanner's cursor (go-source.ts).
 */
import type { Token } from './lexer'
import { defaultImportName, FRAMEWORKS } from './imports'
import type { Cursor, Range } from './scan-config'
import type { GoDef, GoValue } from './scan-types'

const ADDRESS = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])?:\d{1,5}$/

/** `pkg.Name(args)` when it starts a listener (ListenAndServe, net.Listen, tls.Listen): true when it was one. */
export function listenCall(s: Cursor, path: string, name: string, args: Range[], line: number): boolean {
  if (path === 'net/http' && (name === 'ListenAndServe' || name === 'ListenAndServeTLS')) {
    s.r.listens.push({ addr: s.argValue(args, 0), how: `http.${name}`, evidence: s.ev(line) })
    return true
  }
  if ((path === 'net' || path === 'crypto/tls') && name === 'Listen') {
    s.r.listens.push({ addr: s.argValue(args, 1), how: `${path === 'net' ? 'net' : 'tls'}.Listen`, evidence: s.ev(line) })
    return true
  }
  return false
}

/** `http.Server{Addr: …}` with its literal opened at `open`. */
export function serverLiteral(s: Cursor, open: number) {
  for (const [a, b] of s.splitCommas(open + 1, s.close(open))) {
    if (s.id(a, 'Addr') && s.op(a + 1, ':')) s.r.listens.push({ addr: s.eval(a + 2, b, 0), how: 'http.Server{Addr}', evidence: s.ev(s.t(a).line) })
  }
}

/**
 * `r.Run(addr)` where `r` was made by a framework's constructor (`ctor`, its latest definition):
 * the framework's listen call; with no argument, what the framework does ($PORT, else 8080).
 */
export function frameworkRun(s: Cursor, recv: Token, ctor: GoDef | undefined, name: string, open: number) {
  if (!ctor || ctor.value.k !== 'call' || ctor.value.pkg === null) return
  const fw = FRAMEWORKS[ctor.value.pkg]
  if (!fw || !fw.ctor.includes(ctor.value.name) || !(name in fw.run)) return
  const args = s.args(open)
  const addr: GoValue = args[0]
    ? s.eval(args[0][0], args[0][1], 0)
    : { k: 'cat', parts: [{ k: 'str', v: ':' }, { k: 'env', name: 'PORT', fallback: { k: 'str', v: '8080' }, line: recv.line }] }
  s.r.listens.push({ addr, how: `${defaultImportName(ctor.value.pkg)} ${name}`, evidence: s.ev(recv.line) })
}

/** A string literal that looks like a listen address (`:8080`, `127.0.0.1:8080`): true when it was one. */
export function addressLiteral(s: Cursor, t: Token): boolean {
  if (!ADDRESS.test(t.value)) return false
  s.r.addressLiterals.push({ value: t.value, evidence: s.ev(t.line) })
  return true
}
