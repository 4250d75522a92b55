// Is a host port free? Asked the way the engine's own proxy will bind it: a listener on 127.0.0.1
// and one on 0.0.0.0 must both succeed (a server bound to either makes the publish fail).
import { createServer } from 'node:net'

/** Binds `port` on `host` for a moment; true when that worked. */
function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    // exclusive: a cluster primary must not share the handle; we want the kernel's own answer.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** Whether nothing on this computer listens on `port` (loopback or every interface). */
export async function isPortFree(port: number): Promise<boolean> {
  if (!(await canBind(port, '127.0.0.1'))) return false
  return canBind(port, '0.0.0.0')
}

/**
 * A free host port for `wanted`: itself when free, else the next free one above it (a person
 * recognises 8081 next to 8080), else one the kernel picks. `avoid` holds ports already given out.
 */
export async function freeHostPort(wanted: number, avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let p = wanted; p < Math.min(wanted + 20, 65536); p++) if (!avoid.has(p) && (await isPortFree(p))) return p
  for (let i = 0; i < 10; i++) {
    const p = await kernelPort()
    if (!avoid.has(p) && (await isPortFree(p))) return p
  }
  throw new Error('No free port was found on this computer.')
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = server.address()
      server.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}
