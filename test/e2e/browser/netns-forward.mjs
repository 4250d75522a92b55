// Inside Chromium's network namespace (chromium-netns.sh): listens on the namespace's loopback and
// carries each connection to the test process's SOCKS server over its Unix socket. It ends with
// Chromium: its parent is the shell that became Chromium, so a new parent means Chromium is gone.
import { createConnection, createServer } from 'node:net'

const socket = process.env.SLIPWAY_NETNS_SOCKET
const port = Number(process.env.SLIPWAY_NETNS_PORT)
const parent = process.ppid

createServer((inside) => {
  const outside = createConnection(socket)
  inside.pipe(outside)
  outside.pipe(inside)
  const end = () => {
    inside.destroy()
    outside.destroy()
  }
  inside.on('error', end)
  outside.on('error', end)
  inside.on('close', end)
  outside.on('close', end)
}).listen(port, '127.0.0.1')

setInterval(() => {
  if (process.ppid !== parent) process.exit(0)
}, 500).unref()
