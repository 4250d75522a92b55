// What the fix-it for a missing engine needs to know about this computer: the Linux distribution
// (its own Docker package) and the group that owns the socket (the group to join). Read only when
// the engine cannot be reached; small files, read synchronously; anything unreadable is left out.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { groupName, parseOsRelease, type HostFacts } from '../../../shared/engine-fix'
import type { EngineEndpoint } from '../../../shared/types/engine'

/** Facts about this computer for `explainConnectionError`; `etc` is /etc (tests give their own). */
export function readHostFacts(ep: Pick<EngineEndpoint, 'host'>, platform: NodeJS.Platform, etc = '/etc'): HostFacts {
  if (platform !== 'linux') return {}
  const read = (...paths: string[]) => {
    for (const p of paths) {
      try {
        return readFileSync(p, 'utf8')
      } catch {
        // the next one
      }
    }
    return null
  }
  const osRelease = read(join(etc, 'os-release'), '/usr/lib/os-release')
  let socketGroup: string | null = null
  if (ep.host.startsWith('unix://')) {
    try {
      const gid = statSync(ep.host.slice('unix://'.length)).gid
      socketGroup = groupName(read(join(etc, 'group')) ?? '', gid)
    } catch {
      // No socket (or no way to see it): there is no group to name.
    }
  }
  return { distro: osRelease ? parseOsRelease(osRelease) : null, socketGroup }
}
