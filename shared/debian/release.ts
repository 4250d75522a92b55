// A suite's Release (or the signed text of InRelease): the SHA256 of every index under it, the
// start of the verification chain Release → Packages → .deb.
import { parseDeb822, words } from './deb822'

/** The fields of a Release file Slipway uses. */
export interface Release {
  suite: string
  codename: string
  date: Date | null
  validUntil: Date | null
  /** Lower-case "NotAutomatic: yes" (backports): apt installs from it only when asked or when nothing else has the package. */
  notAutomatic: boolean
  architectures: string[]
  components: string[]
  /** Index path relative to dists/SUITE/ → its SHA256 and size. */
  sha256: Map<string, { sha256: string; size: number }>
}

/** Reads Release text; throws when it has no SHA256 list (an index could not be verified). */
export function parseRelease(text: string): Release {
  const [s] = parseDeb822(text)
  if (!s) throw new Error('the Release file is empty')
  const list = s.get('sha256')
  if (!list) throw new Error('the Release file has no SHA256 list, so its indexes cannot be verified')
  const sha256 = new Map<string, { sha256: string; size: number }>()
  for (const line of list.split('\n')) {
    const [hash, size, path] = words(line)
    if (!hash || !size || !path) continue
    if (!/^[0-9a-f]{64}$/.test(hash) || !/^\d+$/.test(size)) throw new Error(`the Release file has a malformed SHA256 line: ${line.slice(0, 120)}`)
    sha256.set(path, { sha256: hash, size: Number(size) })
  }
  const date = (v: string | undefined) => {
    if (!v) return null
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return {
    suite: s.get('suite') ?? '',
    codename: s.get('codename') ?? '',
    date: date(s.get('date')),
    validUntil: date(s.get('valid-until')),
    notAutomatic: (s.get('notautomatic') ?? '').toLowerCase() === 'yes',
    architectures: words(s.get('architectures')),
    components: words(s.get('components')),
    sha256,
  }
}

/**
 * The Packages index to fetch for a component and architecture: the smallest compressed form the
 * Release lists that Slipway can read (xz, then gz), else the plain file.
 */
export function pickPackagesIndex(release: Release, component: string, arch: string): { path: string; sha256: string; size: number } | null {
  for (const ext of ['.xz', '.gz', '']) {
    const path = `${component}/binary-${arch}/Packages${ext}`
    const e = release.sha256.get(path)
    if (e) return { path, ...e }
  }
  return null
}
