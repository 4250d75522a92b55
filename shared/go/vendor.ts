/**
 * vendor/modules.txt parsing and the consistency check `go build` runs before it trusts vendor/
 * (cmd/go/internal/modload/vendor.go): every go.mod require is listed and marked `## explicit`,
 * every `## explicit` module is required, and replacements agree. For a go.mod below go 1.14 (or
 * with no go line) only what the go command checks there: versions that differ, and replacements.
 */
import type { GoModule, VendorState } from '../types/project'

/** One `# path version` entry of vendor/modules.txt. */
export interface VendorModule {
  path: string
  /** Empty for a `# path => target` replacement line with no version. */
  version: string
  explicit: boolean
  /** From `## explicit; go 1.21`. */
  goVersion: string | null
  /** `# path version => target [version]`. */
  replacement: { path: string; version: string } | null
  packages: string[]
  line: number
}

/** A parsed vendor/modules.txt. */
export interface ModulesTxt {
  modules: VendorModule[]
  problems: string[]
}

/** Parses vendor/modules.txt. Lines it does not understand become problems; it never throws. */
export function parseModulesTxt(text: string): ModulesTxt {
  const modules: VendorModule[] = []
  const problems: string[] = []
  let current: VendorModule | null = null
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = idx + 1
    if (raw.trim() === '') return
    if (raw.startsWith('# ')) {
      const f = raw.slice(2).trim().split(/\s+/)
      const arrow = f.indexOf('=>')
      const left = arrow < 0 ? f : f.slice(0, arrow)
      const right = arrow < 0 ? [] : f.slice(arrow + 1)
      const [path, version = ''] = left
      if (!path || left.length > 2 || (arrow >= 0 && (right.length < 1 || right.length > 2))) {
        problems.push(`vendor/modules.txt:${line}: cannot read "${raw.trim().slice(0, 120)}"`)
        current = null
        return
      }
      current = {
        path,
        version,
        explicit: false,
        goVersion: null,
        replacement: right[0] ? { path: right[0], version: right[1] ?? '' } : null,
        packages: [],
        line,
      }
      modules.push(current)
      return
    }
    if (raw.startsWith('## ')) {
      if (!current) {
        problems.push(`vendor/modules.txt:${line}: annotation with no module before it`)
        return
      }
      for (const part of raw.slice(3).split(';').map((p) => p.trim())) {
        if (part === 'explicit') current.explicit = true
        else if (part.startsWith('go ')) current.goVersion = part.slice(3).trim()
      }
      return
    }
    if (raw.startsWith('#')) return
    if (current) current.packages.push(raw.trim())
    else problems.push(`vendor/modules.txt:${line}: package "${raw.trim().slice(0, 120)}" listed before any module`)
  })
  return { modules, problems }
}

const key = (path: string, version: string) => `${path}@${version}`

/**
 * Compares go.mod with vendor/modules.txt the way `go build -mod=vendor` does. `modulesTxt` is null
 * when vendor/ exists without a modules.txt.
 */
export function checkVendor(mod: GoModule | null, modulesTxt: string | null): VendorState {
  const problems: string[] = []
  // Before go 1.14 (or with no go line), modules.txt had no `## explicit` markers, and the go
  // command relaxes its check to what it can tell: a version that differs (modload's pre114).
  const pre114 = mod !== null && !isAtLeast(mod.goVersion, '1.14')
  if (modulesTxt === null) {
    if (mod && mod.requires.length > 0 && !pre114) problems.push('vendor/modules.txt is missing')
    return { present: true, consistent: problems.length === 0, problems }
  }
  const parsed = parseModulesTxt(modulesTxt)
  problems.push(...parsed.problems)
  if (!mod) return { present: true, consistent: problems.length === 0, problems }

  const byKey = new Map<string, VendorModule>()
  for (const m of parsed.modules) byKey.set(key(m.path, m.version), m)
  const required = new Set(mod.requires.map((r) => key(r.path, r.version)))

  for (const r of mod.requires) {
    const v = byKey.get(key(r.path, r.version))
    if (pre114) {
      const other = v ? undefined : parsed.modules.find((m) => m.path === r.path && m.version !== '')
      if (other) problems.push(`${r.path}: go.mod requires ${r.version}, vendor/modules.txt has ${other.version}`)
      continue
    }
    if (!v) {
      const other = parsed.modules.find((m) => m.path === r.path && m.version !== '')
      problems.push(
        other
          ? `${r.path}: go.mod requires ${r.version}, vendor/modules.txt has ${other.version}`
          : `${r.path}@${r.version} is required in go.mod but not vendored`,
      )
    } else if (!v.explicit) problems.push(`${r.path}@${r.version} is required in go.mod, but not marked as explicit in vendor/modules.txt`)
  }
  for (const m of parsed.modules) {
    if (m.explicit && m.version !== '' && !required.has(key(m.path, m.version)))
      problems.push(`${m.path}@${m.version} is marked as explicit in vendor/modules.txt, but not required in go.mod`)
  }
  for (const r of mod.replaces) {
    const vendored = parsed.modules.find((m) => m.path === r.from && (r.fromVersion === undefined ? m.version === '' || m.replacement !== null : m.version === r.fromVersion))
    const to = `${r.to}${r.toVersion ? ` ${r.toVersion}` : ''}`
    if (!vendored || !vendored.replacement) {
      // Before Go 1.22, replacements of modules that are not vendored were not recorded.
      if (vendored || isAtLeast(mod.goVersion, '1.22')) problems.push(`${r.from} is replaced in go.mod, but not marked as replaced in vendor/modules.txt`)
    } else if (vendored.replacement.path !== r.to || vendored.replacement.version !== (r.toVersion ?? '')) {
      problems.push(`${r.from} is replaced by ${to} in go.mod, but by ${vendored.replacement.path} ${vendored.replacement.version}`.trimEnd() + ' in vendor/modules.txt')
    }
  }
  for (const m of parsed.modules) {
    if (!m.replacement) continue
    const inGoMod = mod.replaces.some((r) => r.from === m.path && (r.fromVersion === undefined || r.fromVersion === m.version))
    if (!inGoMod) problems.push(`${m.path} is marked as replaced in vendor/modules.txt, but not replaced in go.mod`)
  }
  return { present: true, consistent: problems.length === 0, problems }
}

/** `1.22.3` ≥ `1.22`? Missing parts count as 0; unreadable versions count as old. */
export function isAtLeast(version: string | null, min: string): boolean {
  if (!version) return false
  const parse = (v: string) => v.replace(/(rc|beta).*$/, '').split('.').map((p) => Number.parseInt(p, 10) || 0)
  const a = parse(version)
  const b = parse(min)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d > 0
  }
  return true
}
