import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { alignHistory, buildLayerIndex, type ImageMeta } from '../../../shared/layers/build-index'
import { addTarEntry, newLayerEntries, type TarEntry } from '../../../shared/layers/entries'
import { cleanPath, findNode, nodePath, PathTable } from '../../../shared/layers/paths'
import { CHANGE_ADDED, CHANGE_MODIFIED, CHANGE_REMOVED, type LayerIndex } from '../../../shared/layers/types'

/** A layer from short specs: 'dir/' is a directory, ['f', 10] a file of 10 bytes, ['l', '->t'] a symlink, ['h', '=>t'] a hard link. */
type Spec = string | [string, number | string]
function entry(spec: Spec): TarEntry {
  if (typeof spec === 'string') return spec.endsWith('/') ? { name: spec, type: 'dir', mode: 0o755 } : { name: spec, type: 'file', size: 0, mode: 0o644 }
  const [name, v] = spec
  if (typeof v === 'number') return { name, type: 'file', size: v, mode: 0o644 }
  if (v.startsWith('->')) return { name, type: 'symlink', linkname: v.slice(2), mode: 0o777 }
  return { name, type: 'hardlink', linkname: v.slice(2), mode: 0o644 }
}
function image(...layers: Spec[][]): LayerIndex {
  const paths = new PathTable()
  const read = layers.map((specs) => {
    const e = newLayerEntries()
    for (const s of specs) addTarEntry(paths, e, entry(s))
    return { entries: e, blobSize: 0, compression: 'none' as const }
  })
  const meta: ImageMeta = { imageId: 'sha256:x', repoTags: [], created: '', os: 'linux', architecture: 'amd64', format: 'docker-legacy', diffIds: [], history: [] }
  return buildLayerIndex(meta, paths.data(), read)
}
/** The final tree as `path → size` (directories end in /). */
function tree(index: LayerIndex): Record<string, number> {
  const out: Record<string, number> = {}
  for (let r = 1; r < index.tree.node.length; r++) {
    const node = index.tree.node[r] as number
    const layer = index.entries[index.tree.layer[r] as number]
    const e = index.tree.entry[r] as number
    const isDir = e < 0 || layer?.type[e] === 1
    out[nodePath(index.paths, node) + (isDir ? '/' : '')] = index.tree.size[r] as number
  }
  return out
}
const counts = (index: LayerIndex) => index.layers.map((l) => [l.added, l.modified, l.removed])

describe('paths', () => {
  it('cleans tar names like Go path.Clean, relative to the root', () => {
    expect(cleanPath('./etc/passwd')).toBe('etc/passwd')
    expect(cleanPath('/usr//bin/')).toBe('usr/bin')
    expect(cleanPath('a/./b/../c')).toBe('a/c')
    expect(cleanPath('../../x')).toBe('x')
    expect(cleanPath('./')).toBe('')
    expect(cleanPath('a/.wh.b')).toBe('a/.wh.b')
  })

  it('interns every path once, parents first, and finds it again', () => {
    const t = new PathTable()
    const f = t.intern('usr/bin/go')
    expect(t.intern('usr/bin/go')).toBe(f)
    expect(t.internDir('usr/bin')).toBe(t.parents[f])
    const data = t.data()
    for (let i = 1; i < data.names.length; i++) expect(data.parents[i]).toBeLessThan(i)
    expect(nodePath(data, f)).toBe('/usr/bin/go')
    expect(findNode(data, '/usr/bin/go')).toBe(f)
    expect(findNode(data, 'usr/bin/gofmt')).toBe(-1)
  })
})

describe('applying layers', () => {
  it('adds, overwrites and deletes with whiteouts', () => {
    const idx = image(
      ['app/', ['app/a', 10], ['app/b', 20], 'etc/', ['etc/conf', 5]],
      ['app/', ['app/a', 30], ['app/c', 1]],
      ['app/', 'app/.wh.b', 'etc/', 'etc/.wh.conf'],
    )
    expect(tree(idx)).toEqual({ '/app/': 31, '/app/a': 30, '/app/c': 1, '/etc/': 0 })
    expect(counts(idx)).toEqual([
      [3, 0, 0],
      [1, 1, 0],
      [0, 0, 2],
    ])
    expect(idx.entries[2]?.change).toEqual([CHANGE_MODIFIED, CHANGE_REMOVED, CHANGE_MODIFIED, CHANGE_REMOVED])
    expect(idx.entries[1]?.change).toEqual([CHANGE_MODIFIED, CHANGE_MODIFIED, CHANGE_ADDED])
    // a: 10 then 30 (min 10 of 40); b: 20 then deleted (0 of 20); conf: 5 then deleted (0 of 5); c: 1 of 1.
    expect(idx.summary.wastedBytes).toBe(40 + 20 + 5)
    expect(idx.summary.efficiency).toBeCloseTo((10 + 0 + 0 + 1) / (40 + 20 + 5 + 1), 12)
    expect(idx.summary.hiddenBytes).toBe(10 + 20 + 5)
    expect(idx.summary.sizeBytes).toBe(66)
    expect(idx.summary.userSizeBytes).toBe(31)
    expect(idx.summary.userWastedPercent).toBeCloseTo(65 / 31, 12)
  })

  it('a whiteout of a directory removes everything under it and weighs its whole size, as dive does', () => {
    const idx = image(['d/', 'd/s/', ['d/s/x', 7], ['d/y', 3], ['keep', 1]], ['.wh.d'])
    expect(tree(idx)).toEqual({ '/keep': 1 })
    expect(counts(idx)[1]).toEqual([0, 0, 2])
    // The directory /d is sighted once (10 bytes, min = cum), so dive finds no waste here.
    expect(idx.summary.wastedBytes).toBe(0)
    expect(idx.summary.efficiency).toBe(1)
    expect(idx.summary.hiddenBytes).toBe(10)
  })

  it("reproduces dive's own efficiency test (a directory that only exists implicitly weighs 0)", () => {
    const idx = image(
      [['etc/nginx/nginx.conf', 2000], ['etc/nginx/public', 3000]],
      [['etc/nginx/nginx.conf', 5000], ['etc/athing', 10000]],
      ['etc/.wh.nginx'],
    )
    expect(idx.summary.efficiency).toBe(0.75)
    expect(idx.summary.wastedBytes).toBe(7000)
    expect(tree(idx)).toEqual({ '/etc/': 10000, '/etc/athing': 10000 })
  })

  it('an opaque directory hides what lower layers put in it and keeps what this layer adds', () => {
    const idx = image(['t/', 't/d/', ['t/d/a', 6], 't/d/s/', ['t/d/s/b', 2], ['t/k', 5]], ['t/', 't/d/', 't/d/.wh..wh..opq', ['t/d/n', 4], ['t/d/a', 1]])
    expect(tree(idx)).toEqual({ '/t/': 10, '/t/d/': 5, '/t/d/n': 4, '/t/d/a': 1, '/t/k': 5 })
    expect(counts(idx)[1]).toEqual([1, 1, 1])
    // dive ignores opaque markers: /t/d/s/b is sighted once, /t/d/a twice (6 and 1).
    expect(idx.summary.wastedBytes).toBe(7)
    expect(idx.summary.hiddenBytes).toBe(8)
  })

  it('a hard link shares its bytes, and carries them when the original goes', () => {
    const same = image(['d/', ['d/hl', 4], ['d/n', '=>d/hl'], ['d/sl', '->n']])
    expect(tree(same)).toEqual({ '/d/': 4, '/d/hl': 4, '/d/n': 0, '/d/sl': 0 })
    expect(same.entries[0]?.link).toEqual(['', '', '/d/hl', 'n'])
    const gone = image(['d/', ['d/hl', 4], ['d/n', '=>d/hl']], ['d/', 'd/.wh.hl'])
    expect(tree(gone)).toEqual({ '/d/': 4, '/d/n': 4 })
    expect(gone.summary.hiddenBytes).toBe(0)
    const rewritten = image(['d/', ['d/hl', 4], ['d/n', '=>d/hl'], ['d/m', '=>d/hl']], ['d/', ['d/hl', 9]])
    expect(tree(rewritten)).toEqual({ '/d/': 13, '/d/hl': 9, '/d/n': 4, '/d/m': 0 })
  })

  it('a file written over a directory replaces the whole directory', () => {
    const idx = image(['x/', ['x/a', 1], ['x/b', 2]], [['x', 9]])
    expect(tree(idx)).toEqual({ '/x': 9 })
    expect(counts(idx)[1]).toEqual([0, 1, 2])
  })

  it('creates parent directories a layer only implies', () => {
    const idx = image([['a/b/c', 3]])
    expect(tree(idx)).toEqual({ '/a/': 3, '/a/b/': 3, '/a/b/c': 3 })
    expect(idx.tree.entry[1]).toBe(-1)
  })

  it('lists the largest files and the inefficient paths, largest first', () => {
    const idx = image([['a', 5], ['b', 50], ['c', 500]], [['a', 6]])
    expect(Array.from(idx.largestFiles, (r) => nodePath(idx.paths, idx.tree.node[r] as number))).toEqual(['/c', '/b', '/a'])
    expect(idx.inefficiencies).toEqual({ node: [findNode(idx.paths, 'a')], count: [2], cumulativeSize: [11] })
  })

  it('handles a whiteout for a path no lower layer has (skipped, not an error)', () => {
    const idx = image([['a', 1]], ['.wh.ghost', ['b', 2]])
    expect(tree(idx)).toEqual({ '/a': 1, '/b': 2 })
    expect(idx.summary.efficiency).toBe(1)
  })
})

describe('history', () => {
  it('pairs layers with the history steps that made them, skipping empty ones', () => {
    const { items, layerHistory } = alignHistory(
      [{ created_by: 'ADD rootfs' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN x' }, { created_by: 'LABEL b=2', empty_layer: true }],
      3,
    )
    expect(layerHistory).toEqual([0, 2, null])
    expect(items.map((i) => i.layer)).toEqual([0, null, 1, null])
  })
})

describe('properties', () => {
  const name = fc.constantFrom('a', 'b', 'c', 'd/e', 'd/f', 'g/h/i')
  const layerSpec = fc.array(
    fc.oneof(
      fc.tuple(name, fc.nat(1000)).map(([n, s]) => [n, s] as Spec),
      name.map((n) => (n.includes('/') ? `${n.slice(0, n.lastIndexOf('/'))}/.wh.${n.slice(n.lastIndexOf('/') + 1)}` : `.wh.${n}`)),
      fc.constantFrom('d/.wh..wh..opq', '.wh.d', '.wh.g'),
    ),
    { maxLength: 8 },
  )

  it('efficiency is in [0, 1], waste and hidden bytes are never negative, sizes add up', () => {
    fc.assert(
      fc.property(fc.array(layerSpec, { minLength: 1, maxLength: 5 }), (layers) => {
        const idx = image(...layers)
        const s = idx.summary
        expect(s.efficiency).toBeGreaterThanOrEqual(0)
        expect(s.efficiency).toBeLessThanOrEqual(1)
        expect(s.wastedBytes).toBeGreaterThanOrEqual(0)
        expect(s.hiddenBytes).toBeGreaterThanOrEqual(0)
        expect(s.finalBytes + s.hiddenBytes).toBe(s.sizeBytes)
        expect(idx.tree.size[0]).toBe(s.finalBytes)
      }),
    )
  })

  it('a single-layer image has efficiency 1 and no waste', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.nat(10_000)), { maxLength: 10 }), (files) => {
        const idx = image(files.map(([n, s]) => [n, s] as Spec))
        expect(idx.summary.efficiency).toBe(1)
        expect(idx.summary.wastedBytes).toBe(0)
        expect(idx.summary.userWastedPercent).toBe(0)
      }),
    )
  })

  it('a directory is as large as everything in it', () => {
    fc.assert(
      fc.property(fc.array(layerSpec, { minLength: 1, maxLength: 5 }), (layers) => {
        const idx = image(...layers)
        const sum = new Map<number, number>()
        for (let r = 1; r < idx.tree.node.length; r++) {
          const p = idx.paths.parents[idx.tree.node[r] as number] as number
          sum.set(p, (sum.get(p) ?? 0) + (idx.tree.size[r] as number))
        }
        for (let r = 0; r < idx.tree.node.length; r++) {
          const node = idx.tree.node[r] as number
          if (sum.has(node)) expect(idx.tree.size[r]).toBe(sum.get(node))
        }
      }),
    )
  })
})
