// `slipway layers IMAGE` when the index is already cached: the image's id from one inspect, sent as a
// plain HTTP request on the engine's unix socket, then the packed index from the cache. No dockerode
// (its eager imports cost ~200 ms), no ping/version/info/events watch: the whole answer is one request.
// Anything else — a TCP or TLS engine, an image the cache does not hold, an engine that does not answer
// at once, any error — returns undefined, and the command takes the full path, which says what is wrong.
import { request } from 'node:http'
import { homedir } from 'node:os'
import type { LayerIndex } from '../../shared/layers/types'
import { defaultDataDir, layersCacheDir } from '../services/data-dir'
import { apiPathName } from '../services/engine/api-path'
import { resolveEndpoint } from '../services/engine/endpoint'
import { IndexCache } from '../services/layers/cache'

/** Longest wait for the inspect before the full path is taken (an engine this slow gets its own messages there). */
const INSPECT_TIMEOUT_MS = 2000
/** An inspect answer is a few kB; anything far larger is not one. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/** The cached index of `image`, or undefined when the quick way does not apply (see above). */
export async function cachedIndex(image: string, env: Record<string, string | undefined> = process.env): Promise<LayerIndex | undefined> {
  let socketPath: string
  try {
    const ep = resolveEndpoint({ env, homeDir: homedir(), platform: process.platform })
    if (!ep.host.startsWith('unix://') || ep.tls) return undefined
    socketPath = ep.host.slice('unix://'.length)
  } catch {
    return undefined
  }
  const id = await imageId(socketPath, image)
  if (!id) return undefined
  return new IndexCache(layersCacheDir(defaultDataDir(env))).get(id).catch(() => undefined)
}

/** The engine's id of an image (`sha256:…`), or undefined on any other answer. */
function imageId(socketPath: string, image: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: `/images/${apiPathName(image)}/json`, method: 'GET', headers: { Host: 'docker' }, timeout: INSPECT_TIMEOUT_MS }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        return resolve(undefined)
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_ANSWER_BYTES) req.destroy()
        else chunks.push(c)
      })
      res.on('end', () => {
        try {
          const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Id?: unknown }).Id
          resolve(typeof id === 'string' && /^sha256:[0-9a-f]{64}$/.test(id) ? id : undefined)
        } catch {
          resolve(undefined)
        }
      })
      res.on('error', () => resolve(undefined))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
    req.on('close', () => resolve(undefined))
    req.end()
  })
}
