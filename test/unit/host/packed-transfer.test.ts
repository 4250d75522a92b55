// layers.get over browser mode's real WebSocket host and the page's own transport: the packed index
// arrives as one binary frame, as bytes, and unpacks to what was cached; JSON answers on the same
// socket are untouched. And the desktop's path up to Electron's own calls: the IPC handler's
// dispatch() answer through V8's structured clone (what ipcMain.handle → ipcRenderer.invoke applies),
// as the preload's bridge hands it to the page. Not run here (no Electron binary): ipcMain.handle,
// ipcRenderer.invoke and contextBridge themselves.
import { mkdtempSync, rmSync } from 'node:fs'
import { deserialize, serialize } from 'node:v8'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { appInfo, findAppRoot } from '../../../electron/host/app-info'
import { dispatch } from '../../../electron/host/dispatch'
import { EventHub } from '../../../electron/host/events'
import { createHandlers } from '../../../electron/host/handlers'
import { startWsHost, type WsHost } from '../../../electron/host/ws-host'
import { createServices, type Services } from '../../../electron/services'
import { layersCacheDir } from '../../../electron/services/data-dir'
import { IndexCache } from '../../../electron/services/layers/cache'
import { wsTransport, type WebSocketCtor, type WsTransport } from '../../../renderer/src/api/ws-transport'
import { buildLayerIndex } from '../../../shared/layers/build-index'
import { addTarEntry, newLayerEntries } from '../../../shared/layers/entries'
import { unpackLayerIndex } from '../../../shared/layers/packed'
import { PathTable } from '../../../shared/layers/paths'
import type { LayerIndex } from '../../../shared/layers/types'
import { plainIndex } from '../../support/plain-index'

let dataDir: string
let services: Services
let host: WsHost
let transport: WsTransport
const imageId = `sha256:${'5a'.repeat(32)}`

function index(): LayerIndex {
  const paths = new PathTable()
  const e = newLayerEntries()
  for (let i = 0; i < 3000; i++) addTarEntry(paths, e, { name: `srv/d${i % 30}/ファイル-${i}\n.txt`, type: 'file', size: i * 1000 })
  addTarEntry(paths, e, { name: 'srv/.wh.gone', type: 'file' })
  return buildLayerIndex(
    { imageId, repoTags: ['app:1'], created: '', os: 'linux', architecture: 'amd64', format: 'docker-legacy', diffIds: ['sha256:1'], history: [] },
    paths.data(),
    [{ entries: e, blobSize: 1, compression: 'none' }],
  )
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-packed-transfer-'))
  const hub = new EventHub()
  services = createServices({ emit: (event, payload) => hub.emit(event, payload), dataDir, appVersion: '0.0.0-test', env: {} })
  await new IndexCache(layersCacheDir(dataDir)).put(index())
  host = await startWsHost({ handlers: createHandlers(services, appInfo(findAppRoot(import.meta.dirname), 'websocket')), hub, port: 0 })
  transport = wsTransport(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, WebSocket as unknown as WebSocketCtor)
})

afterAll(async () => {
  transport?.close()
  await host?.close()
  services?.engine.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('layers.get over the WebSocket', () => {
  it('arrives as bytes in one binary frame and unpacks to the cached index', async () => {
    const res = await transport.request({ id: 7, method: 'layers.get', args: [imageId] })
    expect(res.error).toBeUndefined()
    expect(res.id).toBe(7)
    expect(res.result).toBeInstanceOf(Uint8Array)
    expect(plainIndex(unpackLayerIndex(res.result as Uint8Array))).toEqual(plainIndex(index()))
  })

  it('answers null as JSON for an image with no index, and other calls as before, on the same socket', async () => {
    const [missing, bytes, info] = await Promise.all([
      transport.request({ id: 8, method: 'layers.get', args: [`sha256:${'0'.repeat(64)}`] }),
      transport.request({ id: 2 ** 40, method: 'layers.get', args: [imageId] }),
      transport.request({ id: 9, method: 'app.info', args: [] }),
    ])
    expect(missing).toEqual({ id: 8, result: null })
    expect(bytes.id).toBe(2 ** 40)
    expect(bytes.result).toBeInstanceOf(Uint8Array)
    expect(info.id).toBe(9)
    expect(info.result).toMatchObject({ transport: 'websocket' })
  })
})

describe('layers.get through the desktop glue (dispatch, then a structured clone as Electron IPC does)', () => {
  const handlers = () => createHandlers(services, appInfo(findAppRoot(import.meta.dirname), 'ipc'))
  it('arrives as bytes that unpack to the cached index, first view included', async () => {
    const res = deserialize(serialize(await dispatch(handlers(), { id: 3, method: 'layers.get', args: [imageId] }))) as { id: number; result?: unknown; error?: unknown }
    expect(res.error).toBeUndefined()
    expect(res.id).toBe(3)
    expect(res.result).toBeInstanceOf(Uint8Array)
    const got = unpackLayerIndex(res.result as Uint8Array)
    expect(plainIndex(got)).toEqual(plainIndex(index()))
    expect(got.firstView?.rows.map((r) => r.name)).toEqual(['srv'])
  })

  it('refuses a bad id before the cache is read, as a wire error that survives the clone', async () => {
    const res = deserialize(serialize(await dispatch(handlers(), { id: 4, method: 'layers.get', args: ['../../etc/passwd'] }))) as { id: number; error?: { name: string } }
    expect(res.id).toBe(4)
    expect(res.error?.name).toBe('BadRequest')
  })
})
