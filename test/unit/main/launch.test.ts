import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packagedExample, projectFromLaunch } from '../../../electron/main/launch'

describe('projectFromLaunch', () => {
  it('takes the first argument after the executable in a packaged app', () => {
    expect(projectFromLaunch(['/opt/Slipway/slipway', '/home/me/api'], false, {})).toBe('/home/me/api')
  })
  it('skips the app path when run as `electron .`', () => {
    expect(projectFromLaunch(['/x/electron', '.', '../api'], true, {})).toBe('../api')
    expect(projectFromLaunch(['/x/electron', '.'], true, {})).toBeUndefined()
  })
  it('skips switches, including the macOS process serial number', () => {
    expect(projectFromLaunch(['/x/Slipway', '-psn_0_12345', '--no-sandbox', '/srv/api'], false, {})).toBe('/srv/api')
  })
  it('falls back to SLIPWAY_PROJECT, and the argument wins over it', () => {
    expect(projectFromLaunch(['/x/Slipway'], false, { SLIPWAY_PROJECT: '/env/api' })).toBe('/env/api')
    expect(projectFromLaunch(['/x/Slipway', '/arg/api'], false, { SLIPWAY_PROJECT: '/env/api' })).toBe('/arg/api')
    expect(projectFromLaunch(['/x/Slipway'], false, { SLIPWAY_PROJECT: '' })).toBeUndefined()
  })
})

describe('packagedExample', () => {
  it('is next to app.asar, where extraResources puts it', () => {
    expect(packagedExample('/opt/Slipway/resources')).toBe(join('/opt/Slipway/resources', 'examples', 'hello-api'))
  })
})
