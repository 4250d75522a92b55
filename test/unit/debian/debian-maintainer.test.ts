import { describe, expect, it } from 'vitest'
import { aptSources, baseFilesRoot, pamCommon, shadowFiles } from '../../../shared/debian/maintainer'

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'
const GROUP = 'root:*:0:\nshadow:*:42:\nnogroup:*:65534:\n'

describe('shadowFiles', () => {
  it('locks every account, leaves the aging date empty (reproducible) and is root:shadow 0640', () => {
    const [shadow, gshadow] = shadowFiles(PASSWD, GROUP)
    expect(shadow).toMatchObject({ path: 'etc/shadow', mode: 0o640, gid: 42, content: 'root:*::0:99999:7:::\ndaemon:*::0:99999:7:::\nnobody:*::0:99999:7:::\n' })
    expect(gshadow).toMatchObject({ path: 'etc/gshadow', mode: 0o640, gid: 42, content: 'root:*::\nshadow:*::\nnogroup:*::\n' })
  })
  it('is root-owned when there is no shadow group', () => {
    expect(shadowFiles(PASSWD, 'root:*:0:\n')[0]!.gid).toBe(0)
  })
})

// libpam-runtime's templates and profiles as bookworm ships them (shortened comments).
const TEMPLATES = {
  'common-auth': '# auth\n$auth_primary\nauth\trequisite\t\t\tpam_deny.so\nauth\trequired\t\t\tpam_permit.so\n$auth_additional\n',
  'common-session': '$session_primary\nsession\trequisite\t\t\tpam_deny.so\nsession\trequired\t\t\tpam_permit.so\n$session_additional\n',
  'common-session-noninteractive': '$session_primary\nsession\trequisite\t\t\tpam_deny.so\nsession\trequired\t\t\tpam_permit.so\n$session_additional\n',
}
const UNIX = `Name: Unix authentication
Default: yes
Priority: 256
Auth-Type: Primary
Auth:
	[success=end default=ignore]	pam_unix.so nullok try_first_pass
Auth-Initial:
	[success=end default=ignore]	pam_unix.so nullok
Session-Type: Additional
Session:
	required	pam_unix.so
Session-Initial:
	required	pam_unix.so
`
const MKHOMEDIR = 'Name: Create home directory on login\nDefault: no\nPriority: 0\nSession-Type: Additional\nSession-Interactive-Only: yes\nSession:\n\toptional\tpam_mkhomedir.so\n'
const EXTRA = 'Name: Extra\nDefault: yes\nPriority: 512\nAuth-Type: Primary\nAuth:\n\t[success=end default=ignore]\tpam_extra.so\nSession-Type: Additional\nSession-Interactive-Only: yes\nSession:\n\toptional\tpam_extra.so\n'

describe('pamCommon', () => {
  it('writes what pam-auth-update does with the unix profile alone (Debian 12 defaults)', () => {
    const files = Object.fromEntries(pamCommon(TEMPLATES, { unix: UNIX, mkhomedir: MKHOMEDIR }).map((f) => [f.path, f.content]))
    expect(files['etc/pam.d/common-auth']).toBe('# auth\nauth\t[success=1 default=ignore]\tpam_unix.so nullok\nauth\trequisite\t\t\tpam_deny.so\nauth\trequired\t\t\tpam_permit.so\n\n')
    // No primary session module: the block is a jump over pam_deny.
    expect(files['etc/pam.d/common-session']).toBe('session\t[default=1]\t\t\tpam_permit.so\nsession\trequisite\t\t\tpam_deny.so\nsession\trequired\t\t\tpam_permit.so\nsession\trequired\tpam_unix.so\n')
    expect(Object.keys(files)).toEqual(['etc/pam.d/common-auth', 'etc/pam.d/common-session', 'etc/pam.d/common-session-noninteractive'])
  })
  it('orders profiles by priority, jumps past the rest of the primary block, leaves interactive-only ones out of noninteractive', () => {
    const files = Object.fromEntries(pamCommon(TEMPLATES, { unix: UNIX, extra: EXTRA }).map((f) => [f.path, f.content]))
    expect(files['etc/pam.d/common-auth']).toContain('auth\t[success=2 default=ignore]\tpam_extra.so\nauth\t[success=1 default=ignore]\tpam_unix.so nullok try_first_pass\nauth\trequisite')
    expect(files['etc/pam.d/common-session']).toContain('session\toptional\tpam_extra.so\nsession\trequired\tpam_unix.so')
    expect(files['etc/pam.d/common-session-noninteractive']).not.toContain('pam_extra')
  })
})

describe('aptSources', () => {
  it('names the mirrors the image was made from, one stanza each, with the keyring when the image has it', () => {
    const [sources, ...rest] = aptSources(
      [
        { uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates', 'bookworm-backports'] },
        { uri: 'http://mirror.example/debian-security', suites: ['bookworm-security'] },
      ],
      true,
    )
    expect(sources).toMatchObject({ path: 'etc/apt/sources.list.d/debian.sources', mode: 0o644 })
    expect(sources!.content).toBe(
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' +
        'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
    )
    expect(rest.map((f) => f.path)).toEqual(['etc/apt/apt.conf.d/docker-clean', 'etc/apt/apt.conf.d/docker-no-languages', 'etc/apt/apt.conf.d/docker-gzip-indexes', 'usr/sbin/policy-rc.d'])
    expect(rest.at(-1)).toMatchObject({ mode: 0o755, content: '#!/bin/sh\nexit 101\n' })
    expect(aptSources([{ uri: 'http://m/debian', suites: ['bookworm'] }], false)[0]!.content).not.toContain('Signed-By')
  })
})

describe('baseFilesRoot', () => {
  it('copies base-files and libc-bin defaults into /etc and root, lists the shells under / and /usr, makes /usr/local', () => {
    const files = baseFilesRoot({
      'usr/share/base-files/profile': 'P',
      'usr/share/base-files/dot.bashrc': 'B',
      'usr/share/libc-bin/nsswitch.conf': 'hosts: files dns\n',
      'usr/share/debianutils/shells': '# /etc/shells: valid login shells\n/bin/sh\n',
      'usr/share/debianutils/shells.d/dash': '/bin/dash\n',
      'usr/share/debianutils/shells.d/bash': '/bin/bash\n/bin/rbash\n',
    })
    const by = Object.fromEntries(files.map((f) => [f.path, f]))
    expect(by['etc/profile']).toMatchObject({ type: 'file', content: 'P', mode: 0o644 })
    expect(by['root/.bashrc']).toMatchObject({ content: 'B' })
    expect(by['root/.profile']).toBeUndefined()
    expect(by['etc/nsswitch.conf']).toMatchObject({ content: 'hosts: files dns\n' })
    expect(by['etc/shells']!.content).toBe('# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n')
    expect(by['usr/local/bin']).toMatchObject({ type: 'dir', mode: 0o755 })
    expect(by['usr/local/man']).toMatchObject({ type: 'symlink', target: 'share/man' })
  })
})
