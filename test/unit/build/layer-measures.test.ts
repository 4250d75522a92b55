import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LayerMeasures, type LayerRead } from '../../../electron/services/build/layer-measures'

const id = (c: string) => `sha256:${c.repeat(64)}`
const layer: LayerRead = { gzipBytes: 1234, entries: [{ path: 'app/app', size: 5_000_000, type: 'file' }, { path: 'app', size: 0, type: 'directory' }] }

describe('LayerMeasures', () => {
  const dirs: string[] = []
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'slipway-lm-'))
    dirs.push(d)
    return join(d, 'cache', 'layer-measures')
  }
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('keeps a layer by diffID across instances (the data folder), and counts the hits', async () => {
    const f = folder()
    await new LayerMeasures(f).put(id('a'), layer)
    const again = new LayerMeasures(f)
    expect(await again.get(id('a'))).toEqual(layer)
    expect(await again.get(id('b'))).toBeNull()
    expect(again.hits).toBe(1)
  })

  it('never makes a file name of anything but a sha256 diffID', async () => {
    const f = folder()
    const m = new LayerMeasures(f)
    await m.put('sha256:../../etc/passwd', layer)
    await m.put('../x', layer)
    expect(await m.get('../x')).toBeNull()
    expect(() => readdirSync(f)).toThrow() // nothing was written, not even the folder
  })

  it('treats a damaged or foreign file as never measured', async () => {
    const f = folder()
    await new LayerMeasures(f).put(id('c'), layer)
    const file = join(f, `${'c'.repeat(64)}.json`)
    for (const text of ['{not json', JSON.stringify({ v: 1, gzipBytes: 'x', entries: [] }), JSON.stringify({ v: 2, ...layer }), JSON.stringify({ v: 1, gzipBytes: 1, entries: [{ path: 1 }] })]) {
      writeFileSync(file, text)
      expect(await new LayerMeasures(f).get(id('c'))).toBeNull()
    }
  })

  it('works in memory without a folder', async () => {
    const m = new LayerMeasures()
    await m.put(id('d'), layer)
    expect(await m.get(id('d'))).toEqual(layer)
  })
})
