// Where the bases come from: the machine's apt sources (deb822 .sources first, then one-line
// .list files), or the mirror the settings name. Slipway never names a mirror host itself.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SlipwayError } from '../../../shared/errors'
import { DEBIAN_SUITE, isMirrorUri, mirrorForSuite, parseSourcesDeb822, parseSourcesList, type AptSource, type SuiteMirror } from '../../../shared/debian/sources'
import type { SuiteRole } from '../../../shared/debian/recipes'

/** The mirror of each suite role for one distribution codename (release is always there). */
export type SuiteMirrors = { release: SuiteMirror } & Partial<Record<Exclude<SuiteRole, 'release'>, SuiteMirror>>

/** Reads every `deb` source under an apt configuration folder (default /etc/apt); missing files are fine. */
export async function readAptSources(aptEtc: string): Promise<AptSource[]> {
  const out: AptSource[] = []
  const dir = join(aptEtc, 'sources.list.d')
  let names: string[] = []
  try {
    names = (await readdir(dir)).sort()
  } catch {
    // No sources.list.d: only sources.list counts.
  }
  const read = async (f: string) => {
    try {
      return await readFile(f, 'utf8')
    } catch {
      return null
    }
  }
  for (const n of names.filter((n) => n.endsWith('.sources'))) {
    const t = await read(join(dir, n))
    if (t === null) continue
    try {
      out.push(...parseSourcesDeb822(t))
    } catch {
      // A file apt itself could not read either; the others still count.
    }
  }
  const main = await read(join(aptEtc, 'sources.list'))
  if (main !== null) out.push(...parseSourcesList(main))
  for (const n of names.filter((n) => n.endsWith('.list'))) {
    const t = await read(join(dir, n))
    if (t !== null) out.push(...parseSourcesList(t))
  }
  return out
}

/**
 * The mirrors for `codename` and its -updates, -security and -backports suites. With `override`
 * (the settings' mirror), every suite but security comes from it; security stays with the apt
 * sources' security mirror when they have one. Backports fall back to the release mirror, as
 * Debian serves them from the same archive.
 */
export function suiteMirrors(sources: readonly AptSource[], codename: string, override: string | null): SuiteMirrors {
  if (!DEBIAN_SUITE.test(codename)) throw new SlipwayError('BadRequest', `"${codename}" is not a Debian suite name.`, 'Set a codename such as bookworm in Settings → Bases.')
  if (override !== null && !isMirrorUri(override)) {
    throw new SlipwayError('NoDebianMirror', 'The Debian mirror in the settings is not an http(s) address.', 'Set it to the address of a Debian archive (e.g. https://mirror.example/debian), or clear it to use the apt sources.')
  }
  const fromSources = (suite: string) => mirrorForSuite(sources, suite)
  const release = override ? { uri: override.replace(/\/+$/, ''), suite: codename, components: ['main'] } : fromSources(codename)
  if (!release) {
    throw new SlipwayError(
      'NoDebianMirror',
      `No Debian mirror for ${codename} in the apt sources.`,
      `Slipway makes bases from the Debian mirror this machine's apt uses (/etc/apt/sources.list.d/*.sources or sources.list). Add one there, or set the mirror in Settings → Bases (e.g. https://your-mirror/debian).`,
    )
  }
  const sibling = (suffix: string): SuiteMirror => ({ ...release, suite: `${codename}-${suffix}` })
  const mirrors: SuiteMirrors = { release }
  const updates = override ? sibling('updates') : fromSources(`${codename}-updates`)
  if (updates) mirrors.updates = updates
  const security = fromSources(`${codename}-security`)
  if (security) mirrors.security = security
  mirrors.backports = (override ? null : fromSources(`${codename}-backports`)) ?? sibling('backports')
  return mirrors
}
