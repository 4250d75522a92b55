import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Slipway's data folder, the same one Electron's `app.getPath('userData')` gives for "Slipway",
 * so the desktop app, browser mode and the CLI share settings and caches. SLIPWAY_DATA_DIR overrides.
 */
export function defaultDataDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SLIPWAY_DATA_DIR) return env.SLIPWAY_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Slipway')
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Slipway')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Slipway')
}

/** Where layer indexes are cached inside the data folder. */
export function layersCacheDir(dataDir: string): string {
  return join(dataDir, 'cache', 'layers')
}

/**
 * Creates the data folder private (0700), and takes group and other permissions away from an
 * existing one of ours: it holds the recent projects and the layer indexes of private images.
 * Returns what went wrong instead of throwing: a data folder problem must not stop Slipway (the
 * settings store reports it where it matters, see SettingsStore).
 */
export function prepareDataDir(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const info = statSync(dir)
    const ours = process.getuid === undefined || info.uid === process.getuid()
    if (ours && (info.mode & 0o077) !== 0) chmodSync(dir, 0o700)
    return null
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}
