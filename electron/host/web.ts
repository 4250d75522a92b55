import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createServices } from '../services'
import { appInfo, findAppRoot } from './app-info'
import { installCrashGuard, strictFromEnv } from './crash-guard'
import { EventHub } from './events'
import { createHandlers } from './handlers'
import { startWsHost } from './ws-host'

/**
 * Browser mode: `npm run web [-- --port N] [-- PROJECT_DIR]`. Serves the built renderer and the
 * handler table on 127.0.0.1 and prints the address (with its per-run token) to open.
 */
async function main() {
  // One bad request must not take every open page down: report stray errors and keep serving.
  installCrashGuard({ strict: strictFromEnv() })
  const { values, positionals } = parseArgs({
    options: { port: { type: 'string', default: process.env.SLIPWAY_PORT ?? '5317' }, 'no-open': { type: 'boolean' } },
    allowPositionals: true,
  })
  const root = findAppRoot(import.meta.dirname)
  const staticDir = join(root, 'out', 'renderer')
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error('The renderer is not built. Run `npm run web` (it builds first) or `npm run build`.')
    process.exit(1)
  }
  const hub = new EventHub()
  const info = appInfo(root, 'websocket', positionals[0])
  const services = createServices({ emit: hub.emit, appVersion: info.version })
  const handlers = createHandlers(services, info)
  // A session starts by removing the probe containers an earlier one left behind (it crashed or quit mid-comparison).
  void services.engine.start().then((state) => (state.status === 'connected' ? services.comparisons.sweepProbes() : 0)).catch(() => undefined)

  const host = await startWsHost({ handlers, hub, staticDir, port: Number(values.port) }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') {
      console.error(`Port ${values.port} is in use. Try \`npm run web -- --port 0\` for a free one.`)
      process.exit(1)
    }
    throw e
  })
  console.log(`Slipway (browser mode) is ready. Open this address in a browser:\n\n  ${host.url}\n\nThe token in it is new each run; only this machine can connect. Ctrl+C stops.`)

  const shutdown = async () => {
    // A comparison's probe containers go with the session (at most a few seconds).
    await Promise.race([services.comparisons.close(), new Promise((r) => setTimeout(r, 5000))])
    services.engine.stop()
    await host.close()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

void main()
