// docker-modem follows HTTP redirects with its own copy of an old follow-redirects. The follow-up
// request has no 'error' listener, and over a unix socket it goes to a TCP host named after the
// first path segment (`GET /images//json` → 301 → `http://images/json`): its DNS failure is an
// unhandled 'error' event, which ends the process — `slipway layers ''` and the same request over
// the WebSocket killed the CLI and browser mode. The Engine API never redirects a valid request
// (only unclean paths, which the services no longer send), so redirects are not followed: the
// original request fails, and the redirect's body is drained so its socket is not left open.
import type { ClientRequest } from 'node:http'
import { createRequire } from 'node:module'

type FollowRedirect = (url: unknown, callback: unknown, redirect?: { clientRequest?: ClientRequest | null }) => ClientRequest | undefined
type ModemHttp = Record<'http' | 'https', { get: FollowRedirect }>

/** The module docker-modem's requests go through, resolved from dockerode so it is the copy dockerode uses. */
function modemHttp(): ModemHttp {
  const fromHere = createRequire(import.meta.url)
  return createRequire(fromHere.resolve('dockerode'))('docker-modem/lib/http.js') as ModemHttp
}

/**
 * Makes every Dockerode client in this process fail a request the engine redirects, instead of
 * following the redirect. docker-modem calls `get` of its http module only to follow one; the
 * request it passes along is the original, whose 'error' listener reports the failed call.
 */
export function disableModemRedirects(): void {
  const http = modemHttp()
  const refuse: FollowRedirect = (_url, _callback, redirect) => {
    const req = redirect?.clientRequest ?? undefined
    if (!req) return undefined
    req.emit('error', new Error('The Docker Engine redirected the request; Slipway does not follow redirects from the engine.'))
    // A streaming call never reads this response: drain it so the connection ends.
    ;(req as ClientRequest & { res?: { resume(): void } }).res?.resume()
    return req
  }
  http.http.get = refuse
  http.https.get = refuse
}
