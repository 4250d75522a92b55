// provision.sh takes the Debian mirror from the machine's apt sources. Only its functions are run
// here (cut out of the script, on fake apt folders): never the provisioning itself.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const SCRIPT = readFileSync(join(import.meta.dirname, '..', '..', 'engine', 'provision.sh'), 'utf8')
/** The named shell functions, exactly as the script defines them. */
const functions = (...names: string[]) =>
  names
    .map((n) => {
      // A one-line function (`log() { …; }`), or one that ends at the first `}` line.
      const m = new RegExp(`^${n}\\(\\) \\{.*\\}$`, 'm').exec(SCRIPT) ?? new RegExp(`^${n}\\(\\) \\{$[^]*?^\\}$`, 'm').exec(SCRIPT)
      if (!m) throw new Error(`provision.sh has no function ${n}`)
      return m[0]
    })
    .join('\n')

const temps: string[] = []
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A fake /etc/apt with the given files. */
function aptEtc(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-apt-'))
  temps.push(d)
  mkdirSync(join(d, 'sources.list.d'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text)
  return d
}

function run(etc: string, call: string) {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n${functions('log', 'die', 'apt_mirror', 'need_mirror')}\nDEBIAN_MIRROR=""\n${call}`], {
    encoding: 'utf8',
    env: { ...process.env, APT_ETC: etc },
  })
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() }
}

const mirror = (etc: string, suite = 'bookworm') => run(etc, `apt_mirror ${suite}`)

describe('provision.sh: the Debian mirror from the apt sources', () => {
  it('has no mirror host of its own', () => {
    expect(SCRIPT).not.toMatch(/deb\.debian\.org/)
    expect(execFileSync('bash', ['-n', join(import.meta.dirname, '..', '..', 'engine', 'provision.sh')]).toString()).toBe('')
  })

  it('reads deb822 sources: the entry whose Suites include the suite, skipping comments and disabled entries', () => {
    const etc = aptEtc({
      'sources.list.d/debian.sources': [
        'Types: deb-src',
        'URIs: http://src.example.invalid/debian',
        'Suites: bookworm',
        'Components: main',
        '',
        'Types: deb',
        'Enabled: no',
        'URIs: http://off.example.invalid/debian',
        'Suites: bookworm',
        '',
        'Types: deb',
        '# http://snapshot.example.invalid/archive/debian/20250520T000000Z',
        'URIs: https://mirror.corp.example/debian/',
        '  http://second.example.invalid/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://security.corp.example/debian-security',
        'Suites: bookworm-security',
        'Components: main',
        '',
      ].join('\n'),
    })
    expect(mirror(etc)).toEqual({ code: 0, out: 'https://mirror.corp.example/debian', err: '' })
    expect(mirror(etc, 'bookworm-security').out).toBe('http://security.corp.example/debian-security')
    expect(mirror(etc, 'bookworm-updates').out).toBe('https://mirror.corp.example/debian')
  })

  it('reads one-line sources, with options, when there is no deb822 entry for the suite', () => {
    const etc = aptEtc({
      'sources.list': [
        '# deb http://commented.example.invalid/debian bookworm main',
        'deb-src http://src.example.invalid/debian bookworm main',
        'deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://apt.corp.example/debian bookworm main contrib',
        '',
      ].join('\n'),
      'sources.list.d/other.sources': 'Types: deb\nURIs: http://other.example.invalid/debian\nSuites: trixie\n',
    })
    expect(mirror(etc).out).toBe('http://apt.corp.example/debian')
    const listD = aptEtc({ 'sources.list.d/mirror.list': 'deb http://list.corp.example/debian/ bookworm main\n' })
    expect(mirror(listD).out).toBe('http://list.corp.example/debian')
  })

  it('skips URIs debootstrap cannot use, and fails with what to do when nothing is left', () => {
    const etc = aptEtc({ 'sources.list.d/m.sources': 'Types: deb\nURIs: mirror+file:/etc/apt/mirrors.txt cdrom:[Debian]/\nSuites: bookworm\n' })
    expect(mirror(etc).code).not.toBe(0)
    const none = run(aptEtc({}), 'need_mirror; echo "$DEBIAN_MIRROR"')
    expect(none.code).toBe(1)
    expect(none.err).toContain('no Debian mirror for bookworm in the apt sources under')
    expect(none.err).toContain('add the mirror this machine should use')
    const found = run(aptEtc({ 'sources.list': 'deb file:/srv/debian bookworm main\n' }), 'need_mirror; echo "$DEBIAN_MIRROR"')
    expect(found).toMatchObject({ code: 0, out: 'file:/srv/debian' })
    expect(found.err).toContain('Debian mirror (from the apt sources): file:/srv/debian')
  })
})
