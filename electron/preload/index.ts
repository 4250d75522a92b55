import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { Bridge, RpcEvent, RpcRequest, RpcResponse } from '../../shared/rpc'
import { EVENT_CHANNEL, RPC_CHANNEL } from '../main/channels'

// The renderer's only door to the app: request/onEvent, plus the path of a dropped folder. No Node, no raw ipcRenderer.
// Built as CommonJS (out/preload/index.cjs) so the window keeps `sandbox: true`.
const bridge = {
  request: (req: RpcRequest): Promise<RpcResponse> => ipcRenderer.invoke(RPC_CHANNEL, req),
  onEvent: (cb: (e: RpcEvent) => void): (() => void) => {
    const listener = (_: IpcRendererEvent, e: RpcEvent) => cb(e)
    ipcRenderer.on(EVENT_CHANNEL, listener)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener)
    }
  },
  // Returns '' for anything that is not a real dropped file.
  pathForFile: (file: object): string => webUtils.getPathForFile(file as File),
} satisfies Bridge

contextBridge.exposeInMainWorld('bridge', bridge)
