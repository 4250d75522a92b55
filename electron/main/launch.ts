import { join } from 'node:path'

/**
 * What the app was asked to open at launch. Pure: argv and the environment come in as arguments.
 */

/**
 * The project folder named at launch: the first plain argument after the executable (and after
 * the app path when run as `electron .`), else `SLIPWAY_PROJECT`. Switches are skipped, including
 * the `-psn_…` one macOS adds when launched from Finder.
 */
export function projectFromLaunch(argv: readonly string[], defaultApp: boolean, env: Record<string, string | undefined>): string | undefined {
  const args = argv.slice(defaultApp ? 2 : 1)
  const first = args.find((a) => a !== '' && !a.startsWith('-'))
  return first ?? (env.SLIPWAY_PROJECT || undefined)
}

/** Where electron-builder puts the bundled example (`extraResources` in electron-builder.yml). */
export function packagedExample(resourcesPath: string): string {
  return join(resourcesPath, 'examples', 'hello-api')
}
