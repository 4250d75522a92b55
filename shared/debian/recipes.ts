// The bases Slipway makes from Debian packages: which packages, which of their files, and what
// maintainer scripts would have written (a CA bundle, passwd/group, busybox's links). Pure data
// and pure functions; the service (electron/services/bases) fetches, verifies and assembles.
import type { BuiltinBaseId } from '../dockerfile/bases'

/** Ids of the bases Slipway can make. */
export const MADE_BASE_IDS = ['static', 'glibc', 'busybox', 'debian', 'golang'] as const
export type MadeBaseId = (typeof MADE_BASE_IDS)[number]

/** Which of the configured suites a recipe installs from; backports only when nothing else has a package. */
export type SuiteRole = 'release' | 'updates' | 'security' | 'backports'

/** What a maintainer script (or distroless' assembly) would have produced, written by Slipway. */
export type Generated = 'ca-bundle' | 'passwd-nonroot' | 'passwd-busybox' | 'passwd-debian' | 'busybox-links' | 'sh-link' | 'os-release-distroless' | 'os-release-busybox' | 'go-path' | 'dpkg-status' | 'shadow' | 'pam' | 'apt-sources' | 'base-files'

export interface BaseRecipe {
  id: MadeBaseId
  label: string
  summary: string
  /** Repository of the made image; the tag is the suite (e.g. slipway-made/static:bookworm). */
  repository: string
  /** The catalog base this image stands in for (through the custom-base setting), or the builder. */
  standsFor: BuiltinBaseId | 'builder'
  suites: readonly SuiteRole[]
  /** Packages asked for; with `resolve`, their Pre-Depends/Depends too. */
  packages: readonly string[]
  /** Add every package of Priority: required (a debootstrap minbase root). */
  required?: boolean
  resolve: boolean
  /** Dependencies deliberately not followed. */
  skip?: readonly string[]
  /** Only files under these prefixes (relative, no leading "./") are kept; unset: all but docs. */
  keep?: readonly string[]
  /** /bin, /sbin, /lib* as links into /usr, as in Debian 12 (files are moved there). */
  usrMerge: boolean
  generate: readonly Generated[]
  config: { env: readonly string[]; user?: string; workingDir?: string; cmd?: readonly string[] }
}

const PATH_DEFAULT = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The recipes, in the order the UI lists them. `go` uses Go 1.23 from backports, as the stand-in did. */
export const BASE_RECIPES: readonly BaseRecipe[] = Object.freeze([
  {
    id: 'static',
    label: 'Static (distroless-like)',
    summary: 'CA bundle, time-zone data, passwd/group with nonroot 65532; no shell, no libc, no package manager.',
    repository: 'slipway-made/static',
    standsFor: 'distroless-static',
    suites: ['release', 'updates', 'security'],
    packages: ['ca-certificates', 'tzdata'],
    resolve: false,
    keep: ['usr/share/zoneinfo/'],
    usrMerge: false,
    generate: ['ca-bundle', 'passwd-nonroot', 'os-release-distroless'],
    config: { env: [PATH_DEFAULT, 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'], user: '65532:65532', workingDir: '/home/nonroot' },
  },
  {
    id: 'glibc',
    label: 'glibc (distroless base-like)',
    summary: 'The static base plus the C library, for cgo binaries built in a glibc builder.',
    repository: 'slipway-made/glibc',
    standsFor: 'distroless-base',
    suites: ['release', 'updates', 'security'],
    packages: ['ca-certificates', 'tzdata', 'libc6'],
    resolve: false,
    keep: ['usr/share/zoneinfo/', 'lib/', 'lib64/', 'usr/lib/', 'usr/lib64/'],
    usrMerge: true,
    generate: ['ca-bundle', 'passwd-nonroot', 'os-release-distroless'],
    config: { env: [PATH_DEFAULT, 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'], user: '65532:65532', workingDir: '/home/nonroot' },
  },
  {
    id: 'busybox',
    label: 'Busybox (alpine-like)',
    summary: 'A static busybox with its applets as /bin links and the CA bundle: a shell in about 2 MB.',
    repository: 'slipway-made/busybox',
    standsFor: 'alpine',
    suites: ['release', 'updates', 'security'],
    packages: ['busybox-static', 'ca-certificates'],
    resolve: false,
    keep: ['bin/busybox'],
    usrMerge: false,
    generate: ['ca-bundle', 'busybox-links', 'passwd-busybox', 'os-release-busybox'],
    config: { env: [PATH_DEFAULT], cmd: ['/bin/sh'] },
  },
  {
    id: 'debian',
    label: 'Debian root (minbase-like)',
    summary: 'The packages of Priority: required, unpacked as debootstrap --variant=minbase would, with a dpkg status.',
    repository: 'slipway-made/debian',
    standsFor: 'debian-slim',
    suites: ['release', 'updates', 'security'],
    packages: [],
    required: true,
    resolve: true,
    usrMerge: true,
    generate: ['passwd-debian', 'shadow', 'pam', 'base-files', 'sh-link', 'apt-sources', 'dpkg-status'],
    config: { env: [PATH_DEFAULT], cmd: ['bash'] },
  },
  {
    id: 'golang',
    label: 'Go builder (golang-like)',
    summary: 'Debian root plus Go 1.23 from backports, gcc and libc6-dev for cgo, git and the CA bundle; GOPATH=/go.',
    repository: 'slipway-made/golang',
    standsFor: 'builder',
    suites: ['release', 'updates', 'security', 'backports'],
    packages: ['golang-1.23-go', 'gcc', 'libc6-dev', 'ca-certificates', 'git'],
    required: true,
    resolve: true,
    usrMerge: true,
    generate: ['passwd-debian', 'shadow', 'pam', 'base-files', 'sh-link', 'apt-sources', 'ca-bundle', 'go-path', 'dpkg-status'],
    config: {
      env: ['GOPATH=/go', 'GOTOOLCHAIN=local', 'PATH=/go/bin:/usr/lib/go-1.23/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      workingDir: '/src',
    },
  },
] satisfies BaseRecipe[])

/** The recipe with this id (throws on an unknown id: ids are checked at the boundary). */
export function recipeFor(id: MadeBaseId): BaseRecipe {
  const r = BASE_RECIPES.find((b) => b.id === id)
  if (!r) throw new Error(`unknown base ${id}`)
  return r
}

/** Docs, manuals, translations and lintian overrides: never kept (as the slim images drop them). */
const DROPPED = ['usr/share/doc/', 'usr/share/man/', 'usr/share/info/', 'usr/share/lintian/', 'usr/share/locale/', 'usr/share/bug/']

/** Where a path of a package lands in a merged-/usr root (bin/x → usr/bin/x). */
export function mergedUsrPath(path: string): string {
  const m = /^(bin|sbin|lib|lib32|lib64|libx32)(\/.*)?$/.exec(path)
  return m ? `usr/${path}` : path
}

/** The top-level links a merged-/usr root has. */
export const USR_MERGE_LINKS: readonly [string, string][] = [
  ['bin', 'usr/bin'],
  ['lib', 'usr/lib'],
  ['lib64', 'usr/lib64'],
  ['sbin', 'usr/sbin'],
]

/**
 * Normalises a data.tar member name ("./usr/bin/x", "usr/bin/x/") to a relative path without a
 * trailing slash, or null when it is the root or tries to leave it (absolute, `..`, NUL).
 */
export function memberPath(name: string): string | null {
  let p = name.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '')
  if (p === '' || p === '.') return null
  if (p.includes('\0') || p.split('/').some((s) => s === '..' || s === '.' || s === '')) return null
  p = p.normalize()
  return p
}

/** Whether a recipe keeps this (already normalised, pre-merge) path of a package. */
export function keeps(recipe: BaseRecipe, path: string, isDir: boolean): boolean {
  if (DROPPED.some((d) => path.startsWith(d) || `${path}/` === d)) return false
  if (!recipe.keep) return true
  // Directories on the way to a kept prefix stay (so the kept files have parents with modes).
  return recipe.keep.some((k) => path.startsWith(k) || `${path}/` === k || (isDir && k.startsWith(`${path}/`)) || path === k.replace(/\/$/, ''))
}

/** A file Slipway writes into the root instead of a maintainer script. */
export interface GeneratedFile {
  path: string
  type: 'file' | 'dir' | 'symlink'
  mode: number
  uid?: number
  gid?: number
  content?: string
  target?: string
}

/**
 * The CA bundle update-ca-certificates writes on install: every certificate the package ships
 * (its postinst enables them all), in sorted path order, each ending with a newline.
 */
export function caBundle(certs: readonly { path: string; text: string }[]): string {
  return [...certs]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((c) => (c.text.endsWith('\n') ? c.text : `${c.text}\n`))
    .join('')
}

/** passwd/group/nsswitch as distroless writes them: root, nobody and nonroot (65532). */
export function distrolessAccounts(): GeneratedFile[] {
  return [
    file('etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n'),
    file('etc/group', 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n'),
    file('etc/nsswitch.conf', 'hosts: files dns\n'),
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'home', type: 'dir', mode: 0o755 },
    { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: 65532, gid: 65532 },
  ]
}

/** os-release naming the suite and saying who made the image. */
export function osRelease(kind: 'distroless' | 'busybox', versionId: string, codename: string): GeneratedFile {
  const name = kind === 'distroless' ? 'Distroless' : 'Busybox'
  return file(
    'etc/os-release',
    `PRETTY_NAME="${name} (made by Slipway from Debian ${codename})"\nNAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="${versionId}"\nVERSION_CODENAME=${codename}\n`,
  )
}

/** busybox --install -s /bin: a link per applet, root/nobody accounts, /tmp 1777. */
export function busyboxRoot(applets: readonly string[]): GeneratedFile[] {
  const out: GeneratedFile[] = [
    ...['sbin', 'usr', 'usr/bin', 'usr/sbin', 'root', 'home', 'var'].map((p): GeneratedFile => ({ path: p, type: 'dir', mode: p === 'root' ? 0o700 : 0o755 })),
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'var/tmp', type: 'dir', mode: 0o1777 },
    file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n'),
    file('etc/group', 'root:x:0:root\nnobody:x:65534:\n'),
    { path: 'usr/bin/env', type: 'symlink', mode: 0o777, target: '/bin/busybox' },
    { path: 'etc/ssl/cert.pem', type: 'symlink', mode: 0o777, target: 'certs/ca-certificates.crt' },
  ]
  for (const a of [...new Set(applets)].sort()) {
    if (!/^[a-z0-9_.[-]+$/.test(a) || a === 'busybox' || a === '.' || a === '..') continue
    out.push({ path: `bin/${a}`, type: 'symlink', mode: 0o777, target: 'busybox' })
  }
  return out
}

/** A regular root-owned file. */
export function file(path: string, content: string, mode = 0o644): GeneratedFile {
  return { path, type: 'file', mode, content }
}

/** The image labels a made base carries: who made it, from what, with every package and version. */
export function baseLabels(recipe: BaseRecipe, suite: string, packages: readonly { name: string; version: string }[], recipeHash: string): Record<string, string> {
  return {
    'org.slipway.made': recipe.id,
    'org.slipway.made.recipe': recipeHash,
    'org.slipway.made.suite': suite,
    'org.slipway.made.packages': packages.map((p) => `${p.name}=${p.version}`).join(' '),
  }
}

/** The creation time in every made base's config (fixed, so the same packages give the same id). */
export const MADE_CREATED = '1970-01-01T00:00:00Z'

/** What `madeBaseOf` reads of an image (the engine's inspect answer has these fields). */
export interface MadeImageFacts {
  Created?: string
  RootFS?: { Layers?: readonly string[] }
  Config?: { Labels?: Record<string, string> | null }
}

/**
 * The base an image IS when Slipway made it, else null. The label alone does not say it: an image
 * built FROM a made base inherits its labels (an app on the made static base carries
 * org.slipway.made=static). A made base is also exactly one layer with the fixed creation time;
 * an image built on it adds a layer, or at least a build time.
 */
export function madeBaseOf(image: MadeImageFacts): MadeBaseId | null {
  const id = image.Config?.Labels?.['org.slipway.made']
  if (!id || !(MADE_BASE_IDS as readonly string[]).includes(id)) return null
  if (image.RootFS?.Layers?.length !== 1 || image.Created === undefined || Date.parse(image.Created) !== 0) return null
  return id as MadeBaseId
}

/** Reads the package list back from the labels of a made image. */
export function packagesFromLabel(label: string | undefined): { name: string; version: string }[] {
  if (!label) return []
  return label
    .split(' ')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=')
      return i > 0 ? { name: p.slice(0, i), version: p.slice(i + 1) } : { name: p, version: '' }
    })
}
