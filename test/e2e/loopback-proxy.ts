// Chromium in a network namespace of its own, reaching this machine's loopback through a proxy.
//
// Why: Chromium watches the host's network interfaces, and a container that starts (its veth, a
// bridge going up) or a Compose network that is made is "the network changed" to it — every
// request in flight then fails with net::ERR_NETWORK_CHANGED. With two test files at once, one
// starting containers, an e2e page beside it would fail at random. In a namespace with only its own
// loopback, Chromium sees no interface come or go.
//
// How: browser/chromium-netns.sh runs Chromium under `unshare --net` with a small forwarder
// (browser/netns-forward.mjs) listening on the namespace's 127.0.0.1:1080; it carries each
// connection over a Unix socket (the file system is shared) to the SOCKS5 server here, in the test
// process, which connects to the host's loopback — and only there: any other address is refused.
// Chromium is told to use the proxy for loopback too (`<-loopback>`). When the machine cannot make a
// namespace (not root), Chromium runs as before, in the host's network.
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HERE = join(import.meta.dirname, 'browser')
/** The port the forwarder listens on inside Chromium's namespace (its own loopback: no one else's). */
export const NETNS_PROXY_PORT = 1080

/** Host names and addresses the proxy connects to: this machine's loopback only. */
function loopbackTarget(host: string): string | null {
  if (host === 'localhost' || host === '127.0.0.1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return '127.0.0.1'
  if (host === '::1') return '::1'
  return null
}

/** Reads exactly `n` bytes from the socket's pending data, or null when they have not all arrived. */
class Reader {
  private buf = Buffer.alloc(0)
  push(b: Buffer): void {
    this.buf = Buffer.concat([this.buf, b])
  }
  take(n: number): Buffer | null {
    if (this.buf.length < n) return null
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(n)
    return out
  }
  peek(i: number): number | undefined {
    return this.buf[i]
  }
  rest(): Buffer {
    const out = this.buf
    this.buf = Buffer.alloc(0)
    return out
  }
}

/** One SOCKS5 conversation (RFC 1928, no authentication, CONNECT only). */
function serveSocks(client: Socket): void {
  const r = new Reader()
  let stage: 'greeting' | 'request' | 'piping' = 'greeting'
  const fail = (code: number) => {
    client.end(Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))
  }
  const onData = (chunk: Buffer) => {
    r.push(chunk)
    if (stage === 'greeting') {
      const n = r.peek(1)
      if (n === undefined) return
      const hello = r.take(2 + n)
      if (!hello) return
      if (hello[0] !== 5) return void client.destroy()
      client.write(Buffer.from([5, 0]))
      stage = 'request'
    }
    if (stage === 'request') {
      const type = r.peek(3)
      if (type === undefined) return
      const addrLen = type === 1 ? 4 : type === 4 ? 16 : type === 3 ? 1 + (r.peek(4) ?? 255) : -1
      if (addrLen < 0) return fail(8)
      if (type === 3 && r.peek(4) === undefined) return
      const req = r.take(4 + addrLen + 2)
      if (!req) return
      if (req[1] !== 1) return fail(7)
      const addr = req.subarray(4, 4 + addrLen)
      const host =
        type === 1
          ? [...addr].join('.')
          : type === 3
            ? addr.subarray(1).toString('latin1')
            : addr.subarray(0, 15).every((b) => b === 0) && addr[15] === 1
              ? '::1'
              : 'not-loopback'
      const port = req.readUInt16BE(4 + addrLen)
      const target = loopbackTarget(host)
      if (!target) return fail(2)
      stage = 'piping'
      client.off('data', onData)
      client.pause()
      const upstream = createConnection({ host: target, port }, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
        const early = r.rest()
        if (early.length) upstream.write(early)
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
      upstream.on('error', () => (client.writable && !client.destroyed ? fail(5) : undefined))
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    }
  }
  client.on('data', onData)
  client.on('error', () => client.destroy())
}

let proxy: { server: Server; socket: string } | null = null

/** The Unix socket of this process's loopback-only SOCKS5 server, started on first use. */
async function socksSocket(): Promise<string> {
  if (proxy) return proxy.socket
  const socket = join(mkdtempSync(join(tmpdir(), 'slipway-socks-')), 's')
  const server = createServer(serveSocks)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socket, resolve)
  })
  // The server must not keep the test process alive.
  server.unref()
  proxy = { server, socket }
  return socket
}

let canIsolate: boolean | null = null

/** Whether this machine lets us make a network namespace (root, or user namespaces allowed). */
function namespacesWork(): boolean {
  if (canIsolate === null) {
    try {
      execFileSync('unshare', ['--net', '--', 'true'], { stdio: 'ignore', timeout: 5000 })
      canIsolate = true
    } catch {
      canIsolate = false
    }
  }
  return canIsolate
}

/** Whether e2e Chromium runs in a network namespace of its own (SLIPWAY_TEST_CHROMIUM_NETNS=0 turns it off). */
export function chromiumHasOwnNetwork(): boolean {
  return process.env.SLIPWAY_TEST_CHROMIUM_NETNS !== '0' && namespacesWork()
}

/** How to launch Chromium so it lives in its own network namespace; null when the machine cannot. */
export async function isolatedLaunch(chromiumPath: string): Promise<{ executablePath: string; args: string[]; env: Record<string, string> } | null> {
  if (!chromiumHasOwnNetwork()) return null
  return {
    executablePath: join(HERE, 'chromium-netns.sh'),
    args: [`--proxy-server=socks5://127.0.0.1:${NETNS_PROXY_PORT}`, '--proxy-bypass-list=<-loopback>'],
    env: {
      SLIPWAY_CHROMIUM: chromiumPath,
      SLIPWAY_NETNS_FORWARDER: join(HERE, 'netns-forward.mjs'),
      SLIPWAY_NETNS_SOCKET: await socksSocket(),
      SLIPWAY_NETNS_PORT: String(NETNS_PROXY_PORT),
      SLIPWAY_NODE: process.execPath,
    },
  }
}
