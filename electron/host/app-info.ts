import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AppInfo } from '../../shared/contract'

/** The repository (or app) root: where package.json and examples/ live. */
export function findAppRoot(from: string): string {
  let dir = resolve(from)
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir
    dir = resolve(dir, '..')
  }
  return resolve(from)
}

/** Facts the renderer shows about this run; `project` overrides the bundled example. */
export function appInfo(root: string, transport: AppInfo['transport'], project?: string): AppInfo {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  const example = join(root, 'examples', 'hello-api')
  return {
    name: 'Slipway',
    version: pkg.version,
    platform: process.platform,
    transport,
    defaultProject: project ? resolve(project) : existsSync(example) ? example : null,
  }
}
