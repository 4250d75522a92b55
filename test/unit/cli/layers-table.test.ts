// `slipway layers`' table and JSON count a layer's changes as the app's layer list does (the marks of
// shared/layers/marks.ts: paths, folders included), not the indexer's file-only counts: a layer that
// only makes /src says +1, as the explorer does.
import { describe, expect, it } from 'vitest'
import { describeIndex, layerChangeCounts } from '../../../electron/cli/layers'
import { layerMarks } from '../../../shared/layers/marks'
import { imageOf } from '../../support/layer-specs'

/** The table's Added, Modified and Removed columns, one row per layer. */
function tableCounts(text: string): number[][] {
  const lines = text.split('\n')
  const head = lines.findIndex((l) => /^\s*#\s+Size\s+Added\s+Modified\s+Removed/.test(l))
  const rows: number[][] = []
  for (const line of lines.slice(head + 1)) {
    if (!line.trim()) break
    const cells = line.trim().split(/\s{2,}/)
    rows.push(cells.slice(2, 5).map((c) => Number(c.replace(/,/g, ''))))
  }
  return rows
}

describe('slipway layers counts', () => {
  const index = imageOf([
    ['etc/', ['etc/passwd', 10], 'usr/', 'usr/lib/', ['usr/lib/a', 1], ['usr/lib/b', 1]],
    ['src/'],
    [['usr/lib/a', 2], 'usr/lib/.wh.b', ['usr/lib/c', 3]],
  ])

  it('prints the marks’ counts: a folder alone is added, a folder with changes inside is modified', () => {
    const counts = layerChangeCounts(index)
    expect(counts).toEqual(layerMarks(index.paths.parents, index.entries).map((m) => m.counts))
    expect(tableCounts(describeIndex('app:1', index))).toEqual(counts.map((c) => [c.added, c.modified, c.removed]))
    // The WORKDIR-only layer: the indexer counts no file, the marks (and the app) one added folder.
    expect(index.layers[1]?.added).toBe(0)
    expect(counts[1]).toMatchObject({ added: 1, modified: 0, removed: 0 })
    // a rewritten, b removed, c added; /usr and /usr/lib modified by what changed inside them.
    expect(counts[2]).toMatchObject({ added: 1, modified: 3, removed: 1, folders: { added: 0, modified: 2, removed: 0 } })
  })
})
