// The app's services for a CLI command: the same data folder (settings, custom bases, builder
// image, history, layer cache) as the desktop app and browser mode, so a command and the app
// always agree.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Emit } from '../../shared/contract'
import { findAppRoot } from '../host/app-info'
import { createServices, type Services } from '../services'

/** Services for a command; `emit` receives their events (progress, steps, logs). */
export function cliServices(emit: Emit = () => undefined): Services {
  const version = (JSON.parse(readFileSync(join(findAppRoot(import.meta.dirname), 'package.json'), 'utf8')) as { version: string }).version
  return createServices({ emit, env: process.env, appVersion: version })
}
