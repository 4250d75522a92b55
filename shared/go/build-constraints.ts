/**
 * Which files a Linux container build compiles: `//go:build` expressions, legacy `// +build`
 * lines and `_GOOS_GOARCH.go` file names, evaluated for linux on amd64 or arm64 with cgo off
 * (the recipes' default) and no custom tags (so `ignore`, `tools`, `integration` files drop out).
 */

const GOOS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd',
  'plan9', 'solaris', 'wasip1', 'windows', 'zos',
])
const GOARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
])

/** Tags that hold in the container build. Both common architectures count: the image may be built for either. */
export const LINUX_TARGET: ReadonlySet<string> = new Set(['linux', 'unix', 'amd64', 'arm64', 'gc'])

function tagHolds(tag: string, tags: ReadonlySet<string>): boolean {
  if (/^go1\.\d+$/.test(tag)) return true // release tags: the builder is at least as new as the module needs
  return tags.has(tag)
}

/** True when a file named `name` (base name) is built for the target, judging by its `_GOOS`/`_GOARCH` suffix. */
export function fileNameMatches(name: string, tags: ReadonlySet<string> = LINUX_TARGET): boolean {
  if (!name.includes('_')) return true
  const stem = name.replace(/\.go$/, '').replace(/_test$/, '')
  const parts = stem.split('_')
  // The first element is the name proper ("linux.go" is not constrained).
  const last = parts.length > 1 ? parts[parts.length - 1] : undefined
  const prev = parts.length > 2 ? parts[parts.length - 2] : undefined
  if (last !== undefined && prev !== undefined && GOOS.has(prev) && GOARCH.has(last)) return tags.has(prev) && tags.has(last)
  if (last !== undefined && GOOS.has(last)) return tags.has(last)
  if (last !== undefined && GOARCH.has(last)) return tags.has(last)
  return true
}

/** Whether a constraint holds, or why it could not be read. */
export type ConstraintResult = { ok: true; holds: boolean } | { ok: false; error: string }

const MAX_DEPTH = 64

/** Evaluates a `//go:build` expression (`linux && (amd64 || arm64) && !cgo`). */
export function evalGoBuild(expr: string, tags: ReadonlySet<string> = LINUX_TARGET): ConstraintResult {
  const toks = expr.match(/&&|\|\||[!()]|[A-Za-z0-9_.]+|\S/g) ?? []
  let i = 0
  const fail = (error: string): never => {
    throw new ConstraintError(error)
  }
  const or = (depth: number): boolean => {
    let v = and(depth)
    while (toks[i] === '||') {
      i++
      v = and(depth) || v
    }
    return v
  }
  const and = (depth: number): boolean => {
    let v = not(depth)
    while (toks[i] === '&&') {
      i++
      v = not(depth) && v
    }
    return v
  }
  const not = (depth: number): boolean => {
    if (depth > MAX_DEPTH) fail('expression nested too deeply')
    const t = toks[i]
    if (t === '!') {
      i++
      return !not(depth + 1)
    }
    if (t === '(') {
      i++
      const v = or(depth + 1)
      if (toks[i] !== ')') fail('missing )')
      i++
      return v
    }
    if (t !== undefined && /^[A-Za-z0-9_.]+$/.test(t)) {
      i++
      return tagHolds(t, tags)
    }
    return fail(t === undefined ? 'unexpected end of expression' : `unexpected "${t}"`)
  }
  try {
    if (toks.length === 0) return { ok: false, error: 'empty expression' }
    const holds = or(0)
    if (i < toks.length) return { ok: false, error: `unexpected "${toks[i] ?? ''}"` }
    return { ok: true, holds }
  } catch (e) {
    if (e instanceof ConstraintError) return { ok: false, error: e.message }
    throw e
  }
}

class ConstraintError extends Error {}

/** Evaluates legacy `// +build` lines: space-separated options are OR-ed, commas AND, lines AND-ed. */
export function evalPlusBuild(lines: readonly string[], tags: ReadonlySet<string> = LINUX_TARGET): boolean {
  return lines.every((line) =>
    line
      .split(/\s+/)
      .filter(Boolean)
      .some((option) => option.split(',').every((term) => (term.startsWith('!') ? !tagHolds(term.slice(1), tags) : tagHolds(term, tags)))),
  )
}
