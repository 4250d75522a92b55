import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ColdStarts } from '../../../electron/services/build/cold-starts'

const id = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`

describe('ColdStarts', () => {
  const dirs: string[] = []
  const file = () => {
    const d = mkdtempSync(join(tmpdir(), 'slipway-cs-'))
    dirs.push(d)
    return join(d, 'cache', 'cold-starts.json')
  }
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('keeps a figure by image id across instances (the data folder), with when it was measured', async () => {
    const f = file()
    await new ColdStarts(f).put(id(1), { ms: 812.5, note: null, measuredAt: 1_700_000_000_000 })
    const again = new ColdStarts(f)
    expect(await again.get(id(1))).toEqual({ ms: 812.5, note: null, measuredAt: 1_700_000_000_000 })
    expect(await again.get(id(2))).toBeNull()
    expect(statSync(f).mode & 0o777).toBe(0o600)
  })

  it('keeps only image ids and measured figures, and the newest 200', async () => {
    const f = file()
    const c = new ColdStarts(f)
    await c.put('../../etc/passwd', { ms: 1, note: null, measuredAt: 1 })
    await c.put(id(0), { ms: Number.NaN, note: null, measuredAt: 1 })
    for (let i = 1; i <= 205; i++) await c.put(id(i), { ms: i, note: null, measuredAt: i })
    const again = new ColdStarts(f)
    expect(await again.get('../../etc/passwd')).toBeNull()
    expect(await again.get(id(0))).toBeNull()
    expect(await again.get(id(5))).toBeNull()
    expect(await again.get(id(6))).toMatchObject({ ms: 6 })
    expect(await again.get(id(205))).toMatchObject({ ms: 205 })
    expect((JSON.parse(readFileSync(f, 'utf8')) as { entries: unknown[] }).entries).toHaveLength(200)
  })

  it('starts afresh from a damaged file, and drops entries that are not figures', async () => {
    const f = file()
    await new ColdStarts(f).put(id(1), { ms: 5, note: null, measuredAt: 1 })
    writeFileSync(f, '{"v":1,"entries":[')
    expect(await new ColdStarts(f).get(id(1))).toBeNull()
    // Figures of version 1 included network setup: not comparable, dropped.
    writeFileSync(f, JSON.stringify({ v: 1, entries: [{ imageId: id(4), ms: 9, note: null, measuredAt: 2 }] }))
    expect(await new ColdStarts(f).get(id(4))).toBeNull()
    writeFileSync(
      f,
      JSON.stringify({
        v: 2,
        entries: [
          { imageId: id(1), ms: 'fast', note: null, measuredAt: 1 },
          { imageId: id(2), ms: -3, note: null, measuredAt: 1 },
          { imageId: id(3), ms: 7, note: 4, measuredAt: 1 },
          { imageId: id(4), ms: 9, note: null, measuredAt: 2 },
        ],
      }),
    )
    const c = new ColdStarts(f)
    expect([await c.get(id(1)), await c.get(id(2)), await c.get(id(3))]).toEqual([null, null, null])
    expect(await c.get(id(4))).toEqual({ ms: 9, note: null, measuredAt: 2 })
  })

  it('without a file keeps figures for the process only', async () => {
    const c = new ColdStarts()
    await c.put(id(1), { ms: 3, note: null, measuredAt: 4 })
    expect(await c.get(id(1))).toEqual({ ms: 3, note: null, measuredAt: 4 })
  })
})
