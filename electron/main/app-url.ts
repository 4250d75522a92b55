/**
 * Where the renderer lives and which URLs count as the app's own. Pure: no `electron` import,
 * so the rules that guard IPC and navigation are unit-tested without a window.
 */

/** The privileged scheme the packaged renderer is served from. */
export const APP_SCHEME = 'slipway'
/** The one host of that scheme; any other host is refused by the protocol handler. */
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The origin of the renderer: the dev server under `electron-vite dev`, the app scheme otherwise.
 * Returns null for a dev URL that is not plain http(s) on a loopback host, so a stray environment
 * variable cannot point a window that holds the bridge at someone else's site.
 */
export function rendererOrigin(devUrl?: string): string | null {
  if (!devUrl) return APP_ORIGIN
  const u = parse(devUrl)
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null
  if (!['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return null
  return `${u.protocol}//${u.host}`
}

/** The first page a window loads: the dev URL itself, or the app scheme's index. */
export function rendererEntry(devUrl?: string): string {
  return devUrl || `${APP_ORIGIN}/`
}

/**
 * True when `url` is on `origin` (scheme, host and port), with no credentials. Compares parts
 * rather than `URL.origin`, which is "null" for non-special schemes such as `slipway:`.
 */
export function isAppUrl(url: string, origin: string): boolean {
  const u = parse(url)
  const o = parse(origin)
  if (!u || !o || u.username || u.password) return false
  // Node leaves the host of a non-special scheme as typed; Chromium lowercases it for a standard scheme.
  return u.protocol === o.protocol && u.host.toLowerCase() === o.host.toLowerCase()
}

/** Links the app may hand to the system browser: http and https only, never file:, javascript:, custom schemes. */
export function isExternalHttpUrl(url: string): boolean {
  const u = parse(url)
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
