import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, Menu, nativeTheme, protocol, session, shell, type Session, type WebContents } from 'electron'
import { SlipwayError } from '../../shared/errors'
import { appInfo } from '../host/app-info'
import { installCrashGuard, strictFromEnv } from '../host/crash-guard'
import { EventHub } from '../host/events'
import { createHandlers } from '../host/handlers'
import { createServices } from '../services'
import { serveAppRequest } from './app-protocol'
import { APP_SCHEME, isAppUrl, isExternalHttpUrl, rendererEntry, rendererOrigin } from './app-url'
import { startIpcTransport, type IpcTransport } from './ipc'
import { packagedExample, projectFromLaunch } from './launch'
import { debugEnabled, menuTemplate } from './menu'

// App lifecycle and window glue. Every decision worth testing lives in a pure module next to this.

// Must run before `ready`. No `corsEnabled`: the scheme stays unreadable from other origins.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])

// One name in dev and packaged builds, so both use the same user-data folder.
app.setName('Slipway')

// electron-vite dev sets ELECTRON_RENDERER_URL; a packaged app never honours it.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
// Developer tools and reload: development builds, or SLIPWAY_DEBUG=1 / --debug (see menu.ts).
const debug = debugEnabled(app.isPackaged, process.argv, process.env)
const origin = rendererOrigin(devUrl)
const rendererDir = join(import.meta.dirname, '../renderer')
const preload = join(import.meta.dirname, '../preload/index.cjs')

// Page backgrounds of Radix Themes (dark, light): no white flash before the first paint.
const background = () => (nativeTheme.shouldUseDarkColors ? '#111113' : '#ffffff')

if (origin === null) {
  console.error(`Slipway: ELECTRON_RENDERER_URL=${devUrl} is not a loopback http(s) address; refusing to load it.`)
  app.exit(1)
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void start(origin)
}

async function start(origin: string): Promise<void> {
  // A stray error in a service must not end the app (Electron would show a dialog and leave the
  // main process in an unknown state): report it and keep serving the window.
  installCrashGuard({ strict: strictFromEnv() })
  const hub = new EventHub()
  const services = createServices({
    emit: hub.emit,
    // The same override as browser mode and the CLI, so all three can share one data folder.
    dataDir: process.env.SLIPWAY_DATA_DIR || app.getPath('userData'),
    appVersion: app.getVersion(),
    layersWorkerUrl: new URL('./layers-worker.js', import.meta.url),
  })
  const project = projectFromLaunch(process.argv, process.defaultApp === true, process.env) ?? bundledExample()
  let main: BrowserWindow | undefined
  const pickFolder = async () => {
    const options = { title: 'Open a Go project folder', properties: ['openDirectory' as const] }
    const r = main && !main.isDestroyed() ? await dialog.showOpenDialog(main, options) : await dialog.showOpenDialog(options)
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }
  // The path was checked by the handler (a source or text file inside an analysed project); the OS
  // handler for its type opens it. It cannot be told a line: the UI copies path:line as well.
  const openFile = async (file: string, line: number) => {
    const problem = await shell.openPath(file)
    if (problem) throw new SlipwayError('NotAvailable', `No application opened ${file}:${line}.`, problem)
  }
  const handlers = createHandlers(services, appInfo(app.getAppPath(), 'ipc', project), { pickFolder, openFile })
  // ipcMain works before `ready`; windows attach to the transport as they are made.
  const transport = startIpcTransport({ handlers, hub, origin })

  app.on('web-contents-created', (_e, wc) => guard(wc, origin))
  // A second launch focuses this one (or reopens its window on macOS, where closing it keeps the app running).
  app.on('second-instance', () => {
    if (!app.isReady()) return
    if (!main || main.isDestroyed()) main = createWindow(transport)
    if (main.isMinimized()) main.restore()
    main.focus()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) main = createWindow(transport)
  })
  // Quitting right after a comparison: its probe containers go first (at most a few seconds).
  let probesGone = false
  app.on('will-quit', (e) => {
    if (!probesGone) {
      e.preventDefault()
      probesGone = true
      void Promise.race([services.comparisons.close(), new Promise((r) => setTimeout(r, 5000))]).finally(() => app.quit())
      return
    }
    services.engine.stop()
    transport.dispose()
  })

  await app.whenReady()
  denyAllPermissions(session.defaultSession)
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request))
  app.setAboutPanelOptions({ applicationName: 'Slipway', applicationVersion: app.getVersion() })
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, app.name, debug)))

  main = createWindow(transport)
  // A session starts by removing the probe containers an earlier one left behind (it crashed or quit mid-comparison).
  void services.engine.start().then((state) => (state.status === 'connected' ? services.comparisons.sweepProbes() : 0)).catch(() => undefined)
}

function createWindow(transport: IpcTransport): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Slipway',
    backgroundColor: background(),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // Not only hidden from the menu: without the flag the devtools cannot be opened at all.
      devTools: debug,
    },
  })
  const follow = () => {
    if (!win.isDestroyed()) win.setBackgroundColor(background())
  }
  nativeTheme.on('updated', follow)
  win.once('closed', () => nativeTheme.off('updated', follow))
  win.once('ready-to-show', () => win.show())
  win.webContents.on('did-fail-load', (_e, code, description, url) => console.error(`Slipway: could not load ${url}: ${description} (${code})`))

  transport.attach(win)
  // Failures are logged by did-fail-load; the rejected promise carries nothing more.
  win.loadURL(rendererEntry(devUrl)).catch(() => undefined)
  return win
}

/** Every webContents (windows, devtools, anything a page tries to open) stays on the app or goes nowhere. */
function guard(wc: WebContents, origin: string): void {
  wc.on('will-attach-webview', (e) => e.preventDefault())
  wc.on('will-navigate', (e) => {
    if (isAppUrl(e.url, origin)) return
    e.preventDefault()
    // A plain link clicked in the UI: show it in the browser rather than inside the app.
    if (e.isMainFrame && isExternalHttpUrl(e.url)) void shell.openExternal(e.url)
  })
  wc.on('will-redirect', (e) => {
    if (!isAppUrl(e.url, origin)) e.preventDefault()
  })
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalHttpUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

/** Slipway needs no camera, microphone, notifications, clipboard-read or any other web permission. */
function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/** The example shipped next to app.asar; in development appInfo finds examples/ in the repository itself. */
function bundledExample(): string | undefined {
  if (!app.isPackaged) return undefined
  const dir = packagedExample(process.resourcesPath)
  return existsSync(dir) ? dir : undefined
}
