import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './app-url'
import { securityHeaders } from './csp'

/**
 * The `slipway://app/…` protocol handler, as a plain function from a Fetch `Request` to a
 * `Response` so it is tested without Electron. `protocol.handle` in index.ts only wires it up.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  // Chromium refuses module scripts served with any other type.
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

/** The Content-Type for a file name; unknown extensions are served as opaque bytes. */
export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Maps a URL path (still percent-encoded) to a file inside `root`, or null when it would leave
 * `root` — `..` segments, encoded slashes, backslashes, NUL bytes and drive letters are refused.
 * A path ending in `/` means its index.html.
 */
export function resolveAppFile(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  // A backslash is a separator on Windows and a ':' starts a drive or stream name there; neither
  // appears in a Vite build's file names, so refusing them everywhere keeps one rule for all OSes.
  if (!decoded.startsWith('/') || /[\\\0:]/.test(decoded)) return null
  if (decoded.endsWith('/')) decoded += 'index.html'
  const base = resolve(root)
  const full = resolve(base, `.${decoded}`)
  const rel = relative(base, full)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null
  return full
}

export type ReadFile = (path: string) => Promise<Uint8Array>

/** Serves one request for the app scheme from `root` (out/renderer), with the security headers on every answer. */
export async function serveAppRequest(root: string, request: Request, read: ReadFile = readFile): Promise<Response> {
  const url = new URL(request.url)
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return text(404, 'Not found.')
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed.', { Allow: 'GET, HEAD' })
  const file = resolveAppFile(root, url.pathname)
  if (!file) return text(404, 'Not found.')
  let body: Uint8Array
  try {
    body = await read(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return text(404, 'Not found.')
    return text(500, 'Could not read the file.')
  }
  const headers = { ...securityHeaders(), 'Content-Type': contentType(file), 'Content-Length': String(body.byteLength) }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
}

function text(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra } })
}
