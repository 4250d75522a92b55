// The packed layer index (cache file and transfer format): what goes in comes out, for the names and
// numbers real images hold, and a damaged block is refused instead of read as garbage.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildLayerIndex } from '../../../shared/layers/build-index'
import { addTarEntry, newLayerEntries, type TarEntry } from '../../../shared/layers/entries'
import { packedMeta, packLayerIndex, PackedIndexError, unpackLayerIndex, unpackLayerIndexWithText } from '../../../shared/layers/packed'
import { nodePath, PathTable } from '../../../shared/layers/paths'
import type { LayerIndex } from '../../../shared/layers/types'
import { textList } from '../../../shared/layers/text-column'
import { plainIndex } from '../../support/plain-index'

function indexOf(layers: TarEntry[][]): LayerIndex {
  const paths = new PathTable()
  const read = layers.map((entries) => {
    const e = newLayerEntries()
    for (const h of entries) addTarEntry(paths, e, h)
    return { entries: e, blobSize: 123, compression: 'gzip' as const, digest: 'sha256:ab' }
  })
  return buildLayerIndex(
    {
      imageId: `sha256:${'c'.repeat(64)}`,
      repoTags: ['app:1', 'app:ünïcode'],
      created: '2026-01-01T00:00:00Z',
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      format: 'oci',
      diffIds: layers.map((_, i) => `sha256:${String(i).repeat(64)}`),
      history: [{ created_by: 'ADD rootfs /' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN "make\nall"' }],
    },
    paths.data(),
    read,
  )
}

const LONG_DIR = Array.from({ length: 40 }, (_, i) => `segment-${String(i).padStart(2, '0')}-${'x'.repeat(90)}`).join('/')
const LONG = `${LONG_DIR}/${'y'.repeat(4096 - LONG_DIR.length - 1)}`

/** Two layers with every odd thing a tar can hold: the second deletes, replaces and links. */
const ODD: TarEntry[][] = [
  [
    { name: 'etc/', type: 'dir', mode: 0o755 },
    { name: 'etc/passwd', type: 'file', size: 1200, mode: 0o644 },
    { name: 'usr/bin/tool', type: 'file', size: 5_000_000_000, mode: 0o4755, uid: 4_294_967_294, gid: 65534 },
    { name: 'usr/bin/tool-link', type: 'hardlink', linkname: 'usr/bin/tool' },
    { name: 'usr/lib/liba.so', type: 'symlink', linkname: '../../opt/lib/liba.so.1' },
    { name: 'data/日本語/ファイル.txt', type: 'file', size: 9 },
    { name: 'data/emoji 🎉 and spaces', type: 'file', size: 3 },
    { name: 'data/line\nbreak\r\tand tab', type: 'file', size: 1 },
    { name: '\ufeffstarts with a BOM', type: 'file', size: 2 },
    { name: 'data/lone \ud800 surrogate', type: 'file', size: 4 },
    { name: LONG, type: 'file', size: 77 },
    { name: 'dev/null', type: 'other', mode: 0o666 },
    { name: 'opt/old/a', type: 'file', size: 10 },
    { name: 'opt/old/b', type: 'file', size: 20 },
  ],
  [
    { name: 'etc/.wh.passwd', type: 'file' },
    { name: 'opt/old/.wh..wh..opq', type: 'file' },
    { name: 'opt/old/c', type: 'file', size: 30 },
    { name: 'usr/bin/tool', type: 'file', size: 6_000_000_000, mode: 0o755 },
    { name: 'usr/bin/second-link', type: 'hardlink', linkname: './usr/bin/tool' },
  ],
]

describe('packLayerIndex / unpackLayerIndex', () => {
  it('round-trips an index with unicode, newlines, a 4096-byte path, hard links, whiteouts and opaque folders', () => {
    const index = indexOf(ODD)
    const packed = packLayerIndex(index)
    const back = unpackLayerIndex(packed)
    // A lone surrogate cannot be written as UTF-8: it comes back as U+FFFD, the same length.
    const expected = structuredClone(index)
    expected.paths.names = expected.paths.names.map((n) => n.replace('\ud800', '\ufffd'))
    expect(plainIndex(back)).toEqual(plainIndex(expected))
    const paths = back.paths.names.map((_, node) => nodePath(back.paths, node))
    expect(paths).toContain(`/${LONG}`)
    expect(`/${LONG}`.length).toBe(4097)
    expect(paths).toContain('/data/line\nbreak\r\tand tab')
    expect(paths).toContain('/\ufeffstarts with a BOM')
    expect(back.entries[1]?.link).toContain('/usr/bin/tool')
    expect(back.entries[0]?.size.includes(5_000_000_000)).toBe(true)
    expect(back.entries[0]?.uid.includes(4_294_967_294)).toBe(true)
    expect(back.tree.entry.includes(-1)).toBe(true)
  })

  it('is well under the size of the JSON of the same index', () => {
    const files: TarEntry[] = []
    for (let d = 0; d < 20; d++) for (let f = 0; f < 500; f++) files.push({ name: `data/d${d}/file-${f}.txt`, type: 'file', size: 100 + (f % 7), mode: 0o644 })
    const index = indexOf([files])
    const packed = packLayerIndex(index)
    expect(plainIndex(unpackLayerIndex(packed))).toEqual(plainIndex(index))
    expect(packed.length).toBeLessThan(JSON.stringify(index).length * 0.6)
  })

  it('reads a block that sits at an odd offset of a larger buffer (a WebSocket frame after its id)', () => {
    const index = indexOf(ODD.slice(0, 1).map((l) => l.filter((e) => !e.name.includes('\ud800'))))
    const packed = packLayerIndex(index)
    const framed = new Uint8Array(packed.length + 5)
    framed.set(packed, 5)
    expect(plainIndex(unpackLayerIndex(framed.subarray(5)))).toEqual(plainIndex(index))
  })

  it('round-trips any names and sizes (property)', () => {
    const name = fc.stringMatching(/^[^/\0]{1,40}$/).filter((s) => s !== '.' && s !== '..' && !s.startsWith('.wh.') && !/[\ud800-\udfff]/.test(s))
    const entry = fc.record({
      name: fc.array(name, { minLength: 1, maxLength: 3 }).map((segs) => segs.join('/')),
      type: fc.constantFrom('file', 'dir', 'symlink', 'hardlink', 'other') as fc.Arbitrary<TarEntry['type']>,
      size: fc.oneof(fc.nat(300), fc.maxSafeNat()),
      mode: fc.nat(0o7777),
      uid: fc.oneof(fc.nat(70000), fc.constant(4_294_967_295)),
      linkname: fc.string({ unit: 'grapheme', maxLength: 20 }),
    })
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), (layers) => {
        const index = indexOf(layers)
        const packed = packLayerIndex(index)
        expect(plainIndex(unpackLayerIndex(packed))).toEqual(plainIndex(index))
        // The string columns as one text each (joined by a separator, or stored with their lengths).
        const { text } = unpackLayerIndexWithText(packed)
        expect(textList(text.names)).toEqual(index.paths.names)
        expect(text.links.map(textList)).toEqual(index.entries.map((e) => e.link))
      }),
      { numRuns: 150 },
    )
  })

  it('refuses a block that is cut short, padded, of another version or not an index', () => {
    const packed = packLayerIndex(indexOf(ODD))
    expect(packedMeta(packed).imageId).toBe(`sha256:${'c'.repeat(64)}`)
    expect(() => unpackLayerIndex(packed.subarray(0, packed.length - 8))).toThrow(PackedIndexError)
    expect(() => unpackLayerIndex(new Uint8Array([...packed, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/bytes; its header describes/)
    const other = packed.slice()
    other[4] = 9
    expect(() => unpackLayerIndex(other)).toThrow(/version 9/)
    expect(() => unpackLayerIndex(new TextEncoder().encode(JSON.stringify(indexOf(ODD))))).toThrow(/Not a packed layer index/)
    expect(() => unpackLayerIndex(new Uint8Array(3))).toThrow(PackedIndexError)
    const header = packed.slice()
    header[20] = 0x7b // '{' where the header JSON has a letter: no longer JSON
    expect(() => unpackLayerIndex(header)).toThrow(/damaged/)
  })
})
