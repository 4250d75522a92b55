// What the maintainer scripts of a Debian root's packages would have written, for the made Debian
// root and Go builder, so that `apt-get install` in a Dockerfile FROM them works as it does in a
// debootstrapped root: /etc/shadow and /etc/gshadow (passwd's `shadowconfig on`), the PAM stacks
// /etc/pam.d/common-* (libpam-runtime's `pam-auth-update`), and apt sources naming the mirror the
// image was made from, with the official image's apt settings. Pure: the inputs are files the
// packages ship, captured while unpacking, and the mirrors the make used.
import { parseDeb822 } from './deb822'
import { file, type GeneratedFile } from './recipes'

/**
 * The version of what Slipway generates into made bases (here and in recipes.ts). It is part of each
 * recipe's hash, so a change to the generated files makes the images made before it not current
 * (Settings and provisioning then make them again). Raise it with any such change.
 */
export const GENERATED_VERSION = 2

/** The group that may read /etc/shadow (base-passwd's group.master gives it gid 42). */
function shadowGid(group: string): number {
  for (const line of group.split('\n')) {
    const [name, , gid] = line.split(':')
    if (name === 'shadow' && gid && /^\d+$/.test(gid)) return Number(gid)
  }
  return 0
}

const names = (text: string) =>
  text
    .split('\n')
    .map((l) => l.split(':')[0] ?? '')
    .filter((n) => /^[a-z_][a-z0-9_-]*\$?$/i.test(n))

/**
 * /etc/shadow and /etc/gshadow as `shadowconfig on` (pwconv, grpconv) makes them from passwd and
 * group: every account locked (`*`), no password aging dates (pwconv would write today's date; an
 * empty field keeps the image reproducible and means the same: no aging), 0640 root:shadow.
 */
export function shadowFiles(passwd: string, group: string): GeneratedFile[] {
  const gid = shadowGid(group)
  return [
    { ...file('etc/shadow', names(passwd).map((n) => `${n}:*::0:99999:7:::\n`).join(''), 0o640), gid },
    { ...file('etc/gshadow', names(group).map((n) => `${n}:*::\n`).join(''), 0o640), gid },
  ]
}

/** One PAM profile of /usr/share/pam-configs (pam-auth-update's input). */
interface PamProfile {
  priority: number
  name: string
  lines: Record<string, { type: 'Primary' | 'Additional'; main: string[]; initial: string[] }>
  interactiveOnly: Set<string>
}

const PAM_TYPES = ['Auth', 'Account', 'Password', 'Session'] as const

function parseProfile(name: string, text: string): PamProfile | null {
  const s = parseDeb822(text)[0]
  if (!s || (s.get('default') ?? 'no').toLowerCase() !== 'yes') return null
  const lines: PamProfile['lines'] = {}
  const interactiveOnly = new Set<string>()
  for (const t of PAM_TYPES) {
    const kind = s.get(`${t.toLowerCase()}-type`)
    if (kind !== 'Primary' && kind !== 'Additional') continue
    const split = (v: string | undefined) => (v ?? '').split('\n').map((l) => l.trim()).filter(Boolean)
    const main = split(s.get(t.toLowerCase()))
    const initial = split(s.get(`${t.toLowerCase()}-initial`))
    lines[t] = { type: kind, main, initial: initial.length ? initial : main }
    if ((s.get(`${t.toLowerCase()}-interactive-only`) ?? '').toLowerCase() === 'yes') interactiveOnly.add(t)
  }
  return { priority: Number(s.get('priority') ?? '0') || 0, name, lines, interactiveOnly }
}

/**
 * /etc/pam.d/common-{auth,account,password,session,session-noninteractive} as `pam-auth-update
 * --package` writes them on a fresh install: the templates of /usr/share/pam with the profiles
 * of /usr/share/pam-configs whose Default is yes, by priority. A primary module's `success=end`
 * jumps past the rest of the primary block; an empty primary block gets `[default=1] pam_permit.so`.
 */
export function pamCommon(templates: Readonly<Record<string, string>>, profiles: Readonly<Record<string, string>>): GeneratedFile[] {
  const parsed = Object.entries(profiles)
    .map(([n, t]) => parseProfile(n, t))
    .filter((p): p is PamProfile => p !== null)
    .sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1))
  const out: GeneratedFile[] = []
  for (const [target, type, interactive] of [
    ['common-auth', 'Auth', true],
    ['common-account', 'Account', true],
    ['common-password', 'Password', true],
    ['common-session', 'Session', true],
    ['common-session-noninteractive', 'Session', false],
  ] as const) {
    const template = templates[target]
    if (template === undefined) continue
    const lower = type.toLowerCase()
    const using = parsed.filter((p) => p.lines[type] && (interactive || !p.interactiveOnly.has(type)))
    const block = (kind: 'Primary' | 'Additional') => {
      const mods = using.filter((p) => p.lines[type]!.type === kind)
      const lines: string[] = []
      mods.forEach((p, i) => {
        const l = p.lines[type]!
        for (const raw of i === 0 ? l.initial : l.main) {
          const m = /^(\[[^\]]*\]|\S+)\s+(.*)$/.exec(raw)
          if (!m) continue
          const control = kind === 'Primary' ? m[1]!.replace(/success=end/g, `success=${mods.length - i}`) : m[1]!
          lines.push(`${lower}\t${control}\t${m[2]}`)
        }
      })
      if (kind === 'Primary' && lines.length === 0) lines.push(`${lower}\t[default=1]\t\t\tpam_permit.so`)
      return lines.join('\n')
    }
    const text = template
      .replace(`$${lower}_primary`, block('Primary'))
      .replace(`$${lower}_additional`, block('Additional'))
    out.push(file(`etc/pam.d/${target}`, text))
  }
  return out
}

/**
 * What base-files', debianutils' and libc-bin's maintainer scripts put in a fresh root: /etc/profile,
 * /etc/motd and root's dot files copied from /usr/share/base-files, /etc/nsswitch.conf from
 * libc-bin, /etc/shells from debianutils' lists (each shell also under /usr, as update-shells does
 * on a merged-/usr root), and the /usr/local tree. `shipped`: those package files by path.
 */
export function baseFilesRoot(shipped: Readonly<Record<string, string>>): GeneratedFile[] {
  const out: GeneratedFile[] = []
  for (const [from, to] of [
    ['usr/share/base-files/profile', 'etc/profile'],
    ['usr/share/base-files/motd', 'etc/motd'],
    ['usr/share/base-files/dot.profile', 'root/.profile'],
    ['usr/share/base-files/dot.bashrc', 'root/.bashrc'],
    ['usr/share/libc-bin/nsswitch.conf', 'etc/nsswitch.conf'],
  ] as const) {
    const text = shipped[from]
    if (text !== undefined) out.push(file(to, text))
  }
  const listed = [shipped['usr/share/debianutils/shells'] ?? '', ...Object.entries(shipped).filter(([p]) => p.startsWith('usr/share/debianutils/shells.d/')).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t)]
  const header: string[] = []
  const shells: string[] = []
  for (const line of listed.join('\n').split('\n').map((l) => l.trim())) {
    if (line.startsWith('#')) {
      if (!header.includes(line)) header.push(line)
      continue
    }
    if (!line.startsWith('/')) continue
    for (const s of [line, ...(/^\/(bin|sbin)\//.test(line) ? [`/usr${line}`] : [])]) if (!shells.includes(s)) shells.push(s)
  }
  if (shells.length) out.push(file('etc/shells', [...header, ...shells].join('\n') + '\n'))
  for (const d of ['bin', 'etc', 'games', 'include', 'lib', 'sbin', 'share', 'share/man', 'src']) out.push({ path: `usr/local/${d}`, type: 'dir', mode: 0o755 })
  out.push({ path: 'usr/local/man', type: 'symlink', mode: 0o777, target: 'share/man' })
  return out
}

/** A mirror and the suites the image's apt reads from it. */
export interface ImageAptSource {
  uri: string
  suites: readonly string[]
}

const KEYRING = 'usr/share/keyrings/debian-archive-keyring.gpg'

/**
 * /etc/apt/sources.list.d/debian.sources naming the mirrors the image was made from (one stanza
 * per mirror, as the official image writes them), and the official image's apt settings: no
 * cached .debs, no translations, gzipped indexes; and a policy-rc.d so no service starts during a
 * Dockerfile's `apt-get install`. `hasKeyring`: the image has Debian's archive keyring to name.
 */
export function aptSources(sources: readonly ImageAptSource[], hasKeyring: boolean): GeneratedFile[] {
  const stanzas = sources
    .filter((s) => s.suites.length)
    .map((s) => [`Types: deb`, `URIs: ${s.uri}`, `Suites: ${s.suites.join(' ')}`, 'Components: main', ...(hasKeyring ? [`Signed-By: /${KEYRING}`] : [])].join('\n') + '\n')
  return [
    file('etc/apt/sources.list.d/debian.sources', stanzas.join('\n')),
    file(
      'etc/apt/apt.conf.d/docker-clean',
      'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
    ),
    file('etc/apt/apt.conf.d/docker-no-languages', 'Acquire::Languages "none";\n'),
    file('etc/apt/apt.conf.d/docker-gzip-indexes', 'Acquire::GzipIndexes "true";\n'),
    file('usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755),
  ]
}

/** The keyring path aptSources names (relative, as in the layer). */
export const ARCHIVE_KEYRING = KEYRING
