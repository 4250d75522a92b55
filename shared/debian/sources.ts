// apt's sources: deb822 `.sources` files (Types/URIs/Suites/Components/Signed-By/Enabled) and
// one-line `deb [options] URI SUITE COMPONENT…` entries. Slipway reads them to find the machine's
// Debian mirror; it never names a mirror host itself.
import { hasControlChars } from '../dockerfile/safe-text'
import { parseDeb822, words } from './deb822'

/** One `deb` source: every URI serves every suite with these components. */
export interface AptSource {
  uris: string[]
  suites: string[]
  components: string[]
  /** A keyring file named by Signed-By (a path; inline keys are not read). */
  signedBy?: string
}

const USABLE_URI = /^https?:\/\/[^\s]+$/

/** A suite name as it may appear in a URL path and an image tag (bookworm, trixie, sid). */
export const DEBIAN_SUITE = /^[a-z][a-z0-9-]{1,30}$/

/** The `deb` entries of a deb822 .sources file (disabled ones and deb-src left out). */
export function parseSourcesDeb822(text: string): AptSource[] {
  const out: AptSource[] = []
  for (const s of parseDeb822(text)) {
    if (!words(s.get('types')).includes('deb')) continue
    if ((s.get('enabled') ?? 'yes').toLowerCase() === 'no') continue
    const signedBy = s.get('signed-by')
    const src: AptSource = { uris: words(s.get('uris')), suites: words(s.get('suites')), components: words(s.get('components')) }
    if (signedBy && !signedBy.includes('\n') && signedBy.startsWith('/')) src.signedBy = signedBy.trim()
    out.push(src)
  }
  return out
}

/** The `deb` lines of a one-line sources.list. */
export function parseSourcesList(text: string): AptSource[] {
  const out: AptSource[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line.startsWith('deb ') && !line.startsWith('deb\t')) continue
    let rest = line.slice(3).trim()
    let signedBy: string | undefined
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']')
      if (close < 0) continue
      for (const opt of words(rest.slice(1, close))) {
        const [k, v] = opt.split('=')
        if (k === 'signed-by' && v?.startsWith('/')) signedBy = v
      }
      rest = rest.slice(close + 1).trim()
    }
    const [uri, suite, ...components] = words(rest)
    if (!uri || !suite) continue
    out.push({ uris: [uri], suites: [suite], components, ...(signedBy ? { signedBy } : {}) })
  }
  return out
}

/** A mirror for one suite: the base URI (no trailing slash), its components and keyring. */
export interface SuiteMirror {
  uri: string
  suite: string
  components: string[]
  signedBy?: string
}

/**
 * The first source that serves `suite` over http(s) (apt's own schemes such as mirror+ and cdrom:
 * are not followed), or null. The URI is returned without a trailing slash.
 */
export function mirrorForSuite(sources: readonly AptSource[], suite: string): SuiteMirror | null {
  for (const s of sources) {
    if (!s.suites.includes(suite)) continue
    const uri = s.uris.find((u) => USABLE_URI.test(u))
    if (!uri) continue
    return { uri: uri.replace(/\/+$/, ''), suite, components: s.components.length ? s.components : ['main'], ...(s.signedBy ? { signedBy: s.signedBy } : {}) }
  }
  return null
}

/** Whether `uri` is a mirror URI Slipway can fetch from (http or https, no spaces or control characters). */
export function isMirrorUri(uri: string): boolean {
  return USABLE_URI.test(uri) && !hasControlChars(uri)
}
