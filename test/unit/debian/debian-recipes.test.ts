import { describe, expect, it } from 'vitest'
import { busyboxApplets } from '../../../shared/debian/busybox'
import { BASE_RECIPES, MADE_CREATED, baseLabels, busyboxRoot, caBundle, keeps, madeBaseOf, memberPath, mergedUsrPath, packagesFromLabel, recipeFor } from '../../../shared/debian/recipes'

describe('memberPath', () => {
  it('normalises data.tar names and refuses ones that leave the root', () => {
    expect(memberPath('./usr/bin/x')).toBe('usr/bin/x')
    expect(memberPath('./usr/share/')).toBe('usr/share')
    expect(memberPath('./')).toBeNull()
    expect(memberPath('./usr/../../etc/passwd')).toBeNull()
    expect(memberPath('/etc/x')).toBe('etc/x')
    expect(memberPath('a//b')).toBeNull()
  })
})

describe('mergedUsrPath', () => {
  it('moves the top-level program and library folders into /usr', () => {
    expect(mergedUsrPath('bin/bash')).toBe('usr/bin/bash')
    expect(mergedUsrPath('lib64/ld-linux-x86-64.so.2')).toBe('usr/lib64/ld-linux-x86-64.so.2')
    expect(mergedUsrPath('lib')).toBe('usr/lib')
    expect(mergedUsrPath('library/x')).toBe('library/x')
    expect(mergedUsrPath('etc/bin')).toBe('etc/bin')
  })
})

describe('keeps', () => {
  const stat = recipeFor('static')
  it('keeps only the recipe prefixes and the folders leading to them', () => {
    expect(keeps(stat, 'usr/share/zoneinfo/Europe/Paris', false)).toBe(true)
    expect(keeps(stat, 'usr/share', true)).toBe(true)
    expect(keeps(stat, 'usr/share/zoneinfo', true)).toBe(true)
    expect(keeps(stat, 'usr/sbin/update-ca-certificates', false)).toBe(false)
    expect(keeps(stat, 'usr/share/doc', true)).toBe(false)
  })
  it('drops docs even where everything else is kept', () => {
    const deb = recipeFor('debian')
    expect(keeps(deb, 'usr/bin/bash', false)).toBe(true)
    expect(keeps(deb, 'usr/share/doc/bash/copyright', false)).toBe(false)
    expect(keeps(deb, 'usr/share/man/man1/bash.1.gz', false)).toBe(false)
  })
})

describe('generated files', () => {
  it('concatenates certificates in path order, each ending in a newline', () => {
    expect(caBundle([{ path: 'b.crt', text: 'B' }, { path: 'a.crt', text: 'A\n' }])).toBe('A\nB\n')
  })

  it('links every applet to busybox, refusing names that could escape /bin', () => {
    const root = busyboxRoot(['sh', 'ls', '../etc/passwd', 'busybox', 'sh'])
    const links = root.filter((f) => f.path.startsWith('bin/'))
    expect(links).toEqual([
      { path: 'bin/ls', type: 'symlink', mode: 0o777, target: 'busybox' },
      { path: 'bin/sh', type: 'symlink', mode: 0o777, target: 'busybox' },
    ])
  })

  it('finds the applet table in a busybox binary', () => {
    const names = ['[', '[[', 'acpid', 'addgroup', 'ash', 'awk', 'basename', 'cat', 'chmod', 'cp', 'ls', 'sh']
    const bin = Buffer.concat([Buffer.from('\x7fELF junk \0 more'), Buffer.from(`\0${names.join('\0')}\0\0`), Buffer.from('tail\0zzz\0')])
    expect(busyboxApplets(bin)).toEqual(names)
    expect(() => busyboxApplets(Buffer.from('no table here'))).toThrow(/no applet table/)
  })

  it('writes the package list into labels and reads it back', () => {
    const r = recipeFor('static')
    const labels = baseLabels(r, 'bookworm', [{ name: 'tzdata', version: '2026f-0+deb12u1' }, { name: 'ca-certificates', version: '20250419~deb12u2' }], 'abc')
    expect(labels['org.slipway.made']).toBe('static')
    expect(packagesFromLabel(labels['org.slipway.made.packages'])).toEqual([
      { name: 'tzdata', version: '2026f-0+deb12u1' },
      { name: 'ca-certificates', version: '20250419~deb12u2' },
    ])
  })

  it('has one recipe per id, each in its own repository', () => {
    expect(new Set(BASE_RECIPES.map((r) => r.id)).size).toBe(BASE_RECIPES.length)
    expect(new Set(BASE_RECIPES.map((r) => r.repository)).size).toBe(BASE_RECIPES.length)
  })
})

describe('madeBaseOf', () => {
  const labels = baseLabels(recipeFor('static'), 'bookworm', [{ name: 'tzdata', version: '2024a-1' }], 'abc')
  const made = { Created: MADE_CREATED, RootFS: { Layers: ['sha256:a'] }, Config: { Labels: labels } }
  it('is the base for a made image: its label, one layer, the fixed creation time', () => {
    expect(madeBaseOf(made)).toBe('static')
  })
  it('is null for an image built FROM a made base, which inherits its labels', () => {
    expect(madeBaseOf({ ...made, RootFS: { Layers: ['sha256:a', 'sha256:b'] }, Created: '2026-11-30T12:00:00Z' })).toBeNull()
    // Only config changed on top (FROM + ENV): one layer still, but a build time.
    expect(madeBaseOf({ ...made, Created: '2026-11-30T12:00:00.123456789Z' })).toBeNull()
    // A build that pins its time to 0 (SOURCE_DATE_EPOCH=0) still adds its layer.
    expect(madeBaseOf({ ...made, RootFS: { Layers: ['sha256:a', 'sha256:b'] } })).toBeNull()
  })
  it('is null without the label, or with one naming no base', () => {
    expect(madeBaseOf({ ...made, Config: { Labels: {} } })).toBeNull()
    expect(madeBaseOf({ ...made, Config: { Labels: { 'org.slipway.made': 'nope' } } })).toBeNull()
    expect(madeBaseOf({ ...made, Config: { Labels: null } })).toBeNull()
    expect(madeBaseOf({})).toBeNull()
  })
})
