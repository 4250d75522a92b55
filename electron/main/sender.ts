import { isAppUrl } from './app-url'

/** The parts of a frame the sender check reads (a structural slice of Electron's WebFrameMain). */
export interface FrameLike {
  readonly url: string
  readonly processId: number
  readonly routingId: number
  readonly parent: FrameLike | null
}

/** The parts of an `ipcMain.handle` event the sender check reads. */
export interface InvokeEventLike<W> {
  readonly sender: W & { isDestroyed(): boolean; readonly mainFrame: FrameLike }
  readonly senderFrame: FrameLike | null
}

/**
 * True when an IPC request comes from the main frame of a webContents we attached, and that frame
 * shows the app's own origin. Subframes, destroyed frames, other webContents and pages that
 * somehow left the app are all refused. Pure: Electron objects satisfy these shapes.
 */
export function isTrustedSender<W>(event: InvokeEventLike<W>, isOurs: (wc: W) => boolean, origin: string): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  if (!isOurs(event.sender) || event.sender.isDestroyed()) return false
  const main = event.sender.mainFrame
  return frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url, origin)
}
