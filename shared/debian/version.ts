// Debian version comparison, as Debian policy §5.6.12 defines it and dpkg implements it:
// [epoch:]upstream[-revision], each part compared as alternating non-digit and digit runs, where
// `~` sorts before everything (even the end of the string), letters before non-letters.

interface Parsed {
  epoch: number
  upstream: string
  revision: string
}

function parse(v: string): Parsed {
  const colon = v.indexOf(':')
  const epoch = colon > 0 ? Number(v.slice(0, colon)) : 0
  const rest = colon > 0 ? v.slice(colon + 1) : v
  const dash = rest.lastIndexOf('-')
  return dash >= 0
    ? { epoch: Number.isFinite(epoch) ? epoch : 0, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
    : { epoch: Number.isFinite(epoch) ? epoch : 0, upstream: rest, revision: '' }
}

/** dpkg's weight of one character in a non-digit run: `~` lowest, then end of string, letters, the rest. */
function order(c: number): number {
  if (c >= 0x30 && c <= 0x39) return 0
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return c
  if (c === 0x7e) return -1
  return c ? c + 256 : 0
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39

/** dpkg's verrevcmp: one upstream version or revision against another. */
function compareFragment(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (a.charCodeAt(i) === 0x30) i++
    while (b.charCodeAt(j) === 0x30) j++
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1
    if (firstDiff) return firstDiff
  }
  return 0
}

/** Compares two Debian versions: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a)
  const pb = parse(b)
  if (pa.epoch !== pb.epoch) return pa.epoch - pb.epoch
  const u = compareFragment(pa.upstream, pb.upstream)
  if (u) return u
  return compareFragment(pa.revision, pb.revision)
}

/** A version relation as Depends writes it. */
export type Relation = '<<' | '<=' | '=' | '>=' | '>>'

/** Whether `version` satisfies `relation constraint` (e.g. `>= 2.36`). */
export function satisfies(version: string, relation: Relation, constraint: string): boolean {
  const c = compareVersions(version, constraint)
  switch (relation) {
    case '<<':
      return c < 0
    case '<=':
      return c <= 0
    case '=':
      return c === 0
    case '>=':
      return c >= 0
    case '>>':
      return c > 0
  }
}
