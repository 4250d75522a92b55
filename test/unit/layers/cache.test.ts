import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IndexCache } from '../../../electron/services/layers/cache'
import { buildLayerIndex } from '../../../shared/layers/build-index'
import { addTarEntry, newLayerEntries } from '../../../shared/layers/entries'
import { PathTable } from '../../../shared/layers/paths'
import { packLayerIndex } from '../../../shared/layers/packed'
import type { LayerIndex } from '../../../shared/layers/types'
import { plainIndex } from '../../support/plain-index'

const EXT = '.slix'

function index(hexDigit: string, files = 1): LayerIndex {
  const paths = new PathTable()
  const e = newLayerEntries()
  for (let i = 0; i < files; i++) addTarEntry(paths, e, { name: `f${i}`, type: 'file', size: i })
  const imageId = `sha256:${hexDigit.repeat(64)}`
  return buildLayerIndex(
    { imageId, repoTags: [], created: '', os: 'linux', architecture: 'amd64', format: 'docker-legacy', diffIds: [], history: [] },
    paths.data(),
    [{ entries: e, blobSize: 0, compression: 'none' }],
  )
}

describe('IndexCache', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'slipway-layers-cache-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('returns what was stored, and nothing for an unknown image', async () => {
    const cache = new IndexCache(dir)
    const a = index('a', 3)
    await cache.put(a)
    expect(plainIndex((await cache.get(a.imageId)) as LayerIndex)).toEqual(plainIndex(a))
    expect(await cache.get(index('b').imageId)).toBeUndefined()
    expect(readdirSync(dir)).toEqual([`${'a'.repeat(64)}${EXT}`])
  })

  it('ignores and removes a damaged or foreign file, so the index is rebuilt', async () => {
    const cache = new IndexCache(dir)
    const a = index('a')
    const file = join(dir, `${'a'.repeat(64)}${EXT}`)
    const packed = packLayerIndex(a)
    writeFileSync(file, packed.subarray(0, packed.length - 8))
    expect(await cache.getPacked(a.imageId)).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
    writeFileSync(file, packLayerIndex({ ...a, formatVersion: 0 }))
    expect(await cache.get(a.imageId)).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
    writeFileSync(file, packLayerIndex({ ...a, imageId: index('b').imageId }))
    expect(await cache.getSummary(a.imageId)).toBeUndefined()
    writeFileSync(file, packLayerIndex({ ...a, entries: [{ ...(a.entries[0] as LayerIndex['entries'][number]), size: [] }] }))
    expect(await cache.get(a.imageId)).toBeUndefined()
    writeFileSync(file, '{"formatVersion": 1, "imageId": "sha')
    expect(await cache.get(a.imageId)).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
  })

  it('gives the packed bytes and the summary of a stored index without unpacking it', async () => {
    const cache = new IndexCache(dir)
    const a = index('a', 5)
    await cache.put(a)
    expect(await cache.getPacked(a.imageId)).toEqual(Buffer.from(packLayerIndex(a)))
    expect(await cache.getSummary(a.imageId)).toEqual(a.summary)
  })

  it('reads the summary from the header alone, and still refuses a file cut short, padded or foreign', async () => {
    const cache = new IndexCache(dir)
    const a = index('a', 5)
    const file = join(dir, `${'a'.repeat(64)}${EXT}`)
    const packed = packLayerIndex(a)
    const cases: [string, Uint8Array | string][] = [
      ['cut in the columns', packed.subarray(0, packed.length - 8)],
      ['cut in the header', packed.subarray(0, 40)],
      ['cut in the preamble', packed.subarray(0, 6)],
      ['padded', new Uint8Array([...packed, 0, 0, 0, 0, 0, 0, 0, 0])],
      ['not an index', '{"formatVersion": 1, "imageId": "sha'],
      ['empty', ''],
    ]
    for (const [what, bytes] of cases) {
      writeFileSync(file, bytes)
      expect(await cache.getSummary(a.imageId), what).toBeUndefined()
      expect(readdirSync(dir), what).toEqual([])
    }
    writeFileSync(file, packed)
    expect(await cache.getSummary(a.imageId)).toEqual(a.summary)
  })

  it('removes files of the earlier JSON format when it next writes', async () => {
    const old = join(dir, `${'e'.repeat(64)}.json`)
    writeFileSync(old, JSON.stringify(index('e')))
    const cache = new IndexCache(dir)
    expect(await cache.get(index('e').imageId)).toBeUndefined()
    await cache.put(index('a'))
    expect(readdirSync(dir)).toEqual([`${'a'.repeat(64)}${EXT}`])
  })

  it('stays under its size bound by dropping the least recently used index', async () => {
    const one = packLayerIndex(index('a', 50)).length
    const cache = new IndexCache(dir, Math.floor(one * 2.5))
    await cache.put(index('a', 50))
    await cache.put(index('b', 50))
    const old = new Date(Date.now() - 60_000)
    utimesSync(join(dir, `${'a'.repeat(64)}${EXT}`), old, old)
    utimesSync(join(dir, `${'b'.repeat(64)}${EXT}`), old, old)
    await cache.get(index('a').imageId) // a is used again, so b is now the oldest
    await cache.put(index('c', 50))
    expect(readdirSync(dir).sort()).toEqual([`${'a'.repeat(64)}${EXT}`, `${'c'.repeat(64)}${EXT}`])
  })

  it('leaves no temp files behind, and clears ones a crashed process left', async () => {
    const stale = join(dir, `${'d'.repeat(64)}.slix.123-abcd.tmp`)
    writeFileSync(stale, 'partial')
    const old = new Date(Date.now() - 3_600_000)
    utimesSync(stale, old, old)
    await new IndexCache(dir).put(index('a'))
    expect(readdirSync(dir)).toEqual([`${'a'.repeat(64)}${EXT}`])
  })
})
