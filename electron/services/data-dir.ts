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
