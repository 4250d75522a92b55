import { describe, expect, it } from 'vitest'
import { parseDeb822 } from '../../../shared/debian/deb822'
import { CompactPackages, parsePackages, indexCompact, indexPackages, dependsOf, packagesToCompact } from '../../../shared/debian/packages'
import { parseRelations } from '../../../shared/debian/relations'
import { parseRelease, pickPackagesIndex } from '../../../shared/debian/release'
import { mirrorForSuite, parseSourcesDeb822, parseSourcesList } from '../../../shared/debian/sources'

const H = (c: string) => c.repeat(64)

describe('parseDeb822', () => {
  it('reads stanzas, folded values, comments and lower-cases names', () => {
    const s = parseDeb822('Package: a\nDescription: short\n long line\n .\n more\n\n# comment\nPackage: b\r\nVersion: 1\n')
    expect(s).toHaveLength(2)
    expect(s[0]!.get('description')).toBe('short\nlong line\n\nmore')
    expect(s[1]!.get('version')).toBe('1')
  })

  it('refuses a line that is not a field, naming its line', () => {
    expect(() => parseDeb822('Package: a\nnonsense\n')).toThrow(/line 2/)
    expect(() => parseDeb822(' orphan\n')).toThrow(/continuation/)
  })
})

describe('parseRelations', () => {
  it('reads alternatives, versions, arch qualifiers and restrictions', () => {
    expect(parseRelations('libc6 (>= 2.34), awk | mawk:any (<< 2), foo [!amd64], bar [amd64] <!nocheck>, baz (> 1)')).toEqual([
      [{ name: 'libc6', version: { relation: '>=', version: '2.34' } }],
      [{ name: 'awk' }, { name: 'mawk', archQualifier: 'any', version: { relation: '<<', version: '2' } }],
      [{ name: 'bar' }],
      [{ name: 'baz', version: { relation: '>=', version: '1' } }],
    ])
  })

  it('throws on what it cannot read instead of dropping it', () => {
    expect(() => parseRelations('libc6 (>= 2.34')).toThrow(/cannot read/)
  })
})

describe('parseRelease', () => {
  const release = `Suite: oldstable\nCodename: bookworm\nDate: Sat, 11 Jul 2026 10:16:37 UTC\nValid-Until: Sat, 18 Jul 2026 10:16:37 UTC\nNotAutomatic: yes\nComponents: main contrib\nSHA256:\n ${H('a')}  8790396 main/binary-amd64/Packages.xz\n ${H('b')} 12084798 main/binary-amd64/Packages.gz\n ${H('c')} 50060337 main/binary-amd64/Packages\n ${H('d')} 100 main/binary-arm64/Packages.gz\n`

  it('reads the SHA256 list and dates', () => {
    const r = parseRelease(release)
    expect(r.codename).toBe('bookworm')
    expect(r.notAutomatic).toBe(true)
    expect(r.validUntil?.toISOString()).toBe('2026-07-18T10:16:37.000Z')
    expect(pickPackagesIndex(r, 'main', 'amd64')).toEqual({ path: 'main/binary-amd64/Packages.xz', sha256: H('a'), size: 8790396 })
    expect(pickPackagesIndex(r, 'main', 'arm64')?.path).toBe('main/binary-arm64/Packages.gz')
    expect(pickPackagesIndex(r, 'contrib', 'amd64')).toBeNull()
  })

  it('refuses a Release without SHA256 or with a malformed line', () => {
    expect(() => parseRelease('Suite: x\nMD5Sum:\n abc 1 main/x\n')).toThrow(/no SHA256/)
    expect(() => parseRelease(`Suite: x\nSHA256:\n zz 1 main/x\n`)).toThrow(/malformed/)
  })
})

describe('apt sources', () => {
  it('reads deb822 sources: types, enabled, signed-by, several suites', () => {
    const s = parseSourcesDeb822(
      'Types: deb\n# comment\nURIs: http://deb.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb-src\nURIs: http://src.example\nSuites: bookworm\n\nTypes: deb\nEnabled: no\nURIs: http://off.example\nSuites: trixie\n',
    )
    expect(s).toHaveLength(1)
    expect(mirrorForSuite(s, 'bookworm-updates')).toEqual({ uri: 'http://deb.example/debian', suite: 'bookworm-updates', components: ['main'], signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg' })
    expect(mirrorForSuite(s, 'trixie')).toBeNull()
  })

  it('reads one-line sources with options, skipping apt-only schemes', () => {
    const s = parseSourcesList('# x\ndeb [arch=amd64 signed-by=/k.gpg] https://m.example/debian bookworm-backports main\ndeb-src http://x bookworm main\ndeb cdrom:[Debian]/ bookworm main\ndeb mirror+file:/etc/list bookworm main\n')
    expect(mirrorForSuite(s, 'bookworm-backports')).toEqual({ uri: 'https://m.example/debian', suite: 'bookworm-backports', components: ['main'], signedBy: '/k.gpg' })
    expect(mirrorForSuite(s, 'bookworm')).toBeNull()
  })
})

const stanza = (name: string, version: string, extra = '') =>
  `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nDescription: x\n long text\n${extra}Filename: pool/main/${name[0]}/${name}/${name}_${version.replace(/^\d+:/, "")}_amd64.deb\nSize: 10\nSHA256: ${H('e')}\n`

describe('parsePackages', () => {
  it('keeps the fields it uses and says where the whole stanza is, in bytes of the index', () => {
    // A non-ASCII maintainer before it: offsets count bytes (the text is decoded as latin1).
    const bytes = Buffer.from(`${stanza('a1', '1', 'Maintainer: Jörg Ü <j@x>\n')}\n${stanza('libc6', '2.36-9', 'Depends: libgcc-s1\nPriority: required\nInstalled-Size: 12\n')}\n`)
    const [a, e] = parsePackages(bytes.toString('latin1'), 'bookworm', 0, H('f'))
    expect(e).toMatchObject({ name: 'libc6', version: '2.36-9', priority: 'required', suite: 'bookworm', rank: 0, size: 10, installedSize: 12 * 1024 })
    expect(dependsOf(e!, 'amd64')).toEqual([[{ name: 'libgcc-s1' }]])
    expect(e!.at.index).toBe(H('f'))
    expect(bytes.toString('utf8', a!.at.start, a!.at.end)).toContain('Maintainer: Jörg Ü <j@x>\n')
    const whole = bytes.toString('utf8', e!.at.start, e!.at.end)
    expect(whole.startsWith('Package: libc6\n')).toBe(true)
    expect(whole).toContain(' long text')
  })

  it('reads its compact form back to the same entries, made as they are asked for, and refuses a damaged line', () => {
    const text = `${stanza('a1', '1', 'Provides: awk (= 1)\nMulti-Arch: same\n')}\n${stanza('libc6', '2.36-9', 'Pre-Depends: b1\nEssential: yes\nInstalled-Size: 3\n')}`
    const entries = parsePackages(text, 'bookworm', 1, H('f'))
    const back = CompactPackages.read(packagesToCompact(entries), 'bookworm', 1, H('f'))
    expect(back.all()).toEqual(entries)
    expect(back.entries('libc6')[0]).toBe(back.entries('libc6')[0])
    expect(back.entries('nope')).toEqual([])
    const bad = CompactPackages.read(packagesToCompact(entries).replace('pool/main/a/a1', '../../etc/a1'), 'bookworm', 1, H('f'))
    expect(() => bad.entries('a1')).toThrow(/bad Filename for a1/)
    expect(() => CompactPackages.read('no tabs here', 'bookworm', 1, H('f'))).toThrow(/damaged/)
  })

  it('looks names and virtual names up in compact indexes as in parsed ones', () => {
    const release = parsePackages(`${stanza('golang-go', '2:1.19~1')}\n${stanza('mawk', '1.3.4', 'Provides: awk\nPriority: required\n')}\n${stanza('golang-go', '2:1.19~0')}\n${stanza('dash', '1', 'Priority: required\n')}`, 'bookworm')
    const backports = parsePackages(`${stanza('golang-go', '2:1.23~1')}\n${stanza('gawk', '5', 'Provides: awk (= 5)\nPriority: required\n')}`, 'bookworm-backports', 1)
    const plain = indexPackages([...release, ...backports])
    const compact = indexCompact([CompactPackages.read(packagesToCompact(release), 'bookworm', 0, ''), CompactPackages.read(packagesToCompact(backports), 'bookworm-backports', 1, '')])
    expect(compact.byName.get('golang-go')).toEqual(plain.byName.get('golang-go'))
    expect(compact.providers.get('awk')).toEqual(plain.providers.get('awk'))
    expect(compact.byName.get('nope')).toBeUndefined()
    expect(new Map(compact.byName)).toEqual(plain.byName)
    // Required names from the release only (backports' gawk is not), in the indexes' order.
    expect(plain.required).toEqual(['mawk', 'dash'])
    expect(compact.required).toEqual(plain.required)
  })

  it('indexes candidates best first: the release before backports, then the highest version', () => {
    const idx = indexPackages([
      ...parsePackages(stanza('golang-go', '2:1.19~1') + '\n' + stanza('mawk', '1.3.4', 'Provides: awk\n'), 'bookworm'),
      ...parsePackages(stanza('golang-go', '2:1.23~1'), 'bookworm-backports', 1),
      ...parsePackages(stanza('golang-go', '2:1.19~2'), 'bookworm-updates'),
    ])
    expect(idx.byName.get('golang-go')!.map((e) => `${e.suite} ${e.version}`)).toEqual(['bookworm-updates 2:1.19~2', 'bookworm 2:1.19~1', 'bookworm-backports 2:1.23~1'])
    expect(idx.providers.get('awk')!.map((p) => p.entry.name)).toEqual(['mawk'])
  })
})
