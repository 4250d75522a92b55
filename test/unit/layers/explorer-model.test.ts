// The layer explorer's derivations (renderer/src/features/images): the tree as of each layer with
// its changes marked, the visible rows and their incremental updates, search and the mode strings.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMode, formatOctal } from '../../../renderer/src/features/images/file-mode'
import {
  LayerModel,
  MARK_ADDED,
  MARK_MODIFIED,
  MARK_NONE,
  MARK_REMOVED,
  PRESENT,
  REMOVED_HERE,
  type LayerView,
  type Rows,
  type SortKey,
  type TreeFilter,
} from '../../../renderer/src/features/images/layer-model'
import { compileSearch, globToRegExp, matchRange } from '../../../renderer/src/features/images/tree-search'
import { TYPE_DIR, TYPE_FILE, TYPE_SYMLINK } from '../../../shared/layers/types'
import { imageOf, type Spec } from '../../support/layer-specs'

const LAYERS: Spec[][] = [
  ['a/', ['a/x', 10], ['a/y', 5], 'b/', ['b/z', 3]],
  [['a/x', 20], 'a/.wh.y', 'c/', ['c/w', 7]],
  ['.wh.a', ['b/z2', 1]],
]

/** path → "mark size" for every node shown in a view (directories end in /, removed ones say so). */
function shown(model: LayerModel, v: LayerView): Record<string, string> {
  const marks = ['', '+', '~', '-']
  const out: Record<string, string> = {}
  for (let x = 1; x < model.n; x++) {
    if (!v.present[x]) continue
    const key = model.path(x) + (v.dir[x] ? '/' : '')
    out[key] = `${marks[v.mark[x] as number]}${v.size[x]}${v.present[x] === REMOVED_HERE ? ' removed' : ''}`
  }
  return out
}

const rowPaths = (model: LayerModel, rows: Rows) => Array.from(rows.node, (n, i) => `${'  '.repeat(rows.depth[i] as number)}${model.name(n)}`)

describe('LayerModel views', () => {
  const model = new LayerModel(imageOf(LAYERS))

  it('shows the file system after each layer with that layer’s changes marked', () => {
    expect(shown(model, model.view(0))).toEqual({ '/a/': '+15', '/a/x': '+10', '/a/y': '+5', '/b/': '+3', '/b/z': '+3' })
    // A folder is marked by its contents: /a changes (x rewritten, y removed), /b does not.
    expect(shown(model, model.view(1))).toEqual({
      '/a/': '~20',
      '/a/x': '~20',
      '/a/y': '-5 removed',
      '/b/': '3',
      '/b/z': '3',
      '/c/': '+7',
      '/c/w': '+7',
    })
    // A removed directory shows what went with it; the live parent does not count it.
    expect(shown(model, model.view(2))).toEqual({ '/a/': '-20 removed', '/a/x': '-20 removed', '/b/': '~4', '/b/z': '3', '/b/z2': '+1', '/c/': '7', '/c/w': '7' })
    expect(model.view(2).size[0]).toBe(11)
    expect(model.view(2).files[0]).toBe(3)
  })

  it('agrees with the index’s final tree on the top layer', () => {
    const index = model.index
    const top = model.view(model.layerCount - 1)
    for (let r = 0; r < index.tree.node.length; r++) {
      const node = index.tree.node[r] as number
      expect(top.present[node]).toBe(PRESENT)
      expect(top.size[node]).toBe(index.tree.size[r])
      expect(top.files[node]).toBe(index.tree.files[r])
    }
  })

  it('gives the same views in any order (the replay cursor rewinds)', () => {
    const fresh = (l: number) => new LayerModel(model.index).view(l)
    const m = new LayerModel(model.index)
    for (const l of [2, 0, 1, 2, 1, 0]) {
      const a = m.view(l)
      const b = fresh(l)
      expect(Array.from(a.present)).toEqual(Array.from(b.present))
      expect(Array.from(a.mark)).toEqual(Array.from(b.mark))
      expect(Array.from(a.size)).toEqual(Array.from(b.size))
    }
  })

  it('counts the changes inside each directory', () => {
    const v = model.view(1)
    const a = model.find('/a')
    expect(v.changesBelow[a]).toBe(2)
    expect(v.changesBelow[0]).toBe(5)
    expect(v.mark[a]).toBe(MARK_MODIFIED)
    expect(v.mark[model.find('/b')]).toBe(MARK_NONE)
  })

  it('describes a node and every layer that touched it', () => {
    const v = model.view(1)
    const x = model.find('/a/x')
    const d = model.details(v, x)
    expect(d).toMatchObject({ path: '/a/x', type: 'file', size: 20, mode: 0o644, uid: 0, gid: 0, mark: MARK_MODIFIED, removed: false })
    expect(d.touchedBy).toEqual([
      { layer: 0, change: MARK_ADDED, size: 10 },
      { layer: 1, change: MARK_MODIFIED, size: 20 },
      // Removed with its folder: a change of that layer too, as the tree marks it there.
      { layer: 2, change: MARK_REMOVED, size: 0 },
    ])
    const y = model.find('/a/y')
    expect(model.details(v, y).removed).toBe(true)
    expect(model.details(v, y).touchedBy.map((t) => t.change)).toEqual([MARK_ADDED, MARK_REMOVED])
    // A removed path is shown where it was last written; a live one where the person is.
    expect(model.layerShowing(y, 2)).toBe(1)
    expect(model.layerShowing(model.find('/b/z'), 1)).toBe(1)
  })
})

describe('rows', () => {
  const model = new LayerModel(
    imageOf([
      ['usr/', 'usr/lib/', ['usr/lib/big', 900], ['usr/lib/Small', 1], ['usr/lib/mid', 50], 'usr/bin/', ['usr/bin/sh', 5], ['README', 2], ['app', 400]],
      [['usr/lib/new', 30], ['etc/conf', 1]],
    ]),
  )
  const v = model.view(1)
  const open = (...paths: string[]) => {
    const e = new Uint8Array(model.n)
    for (const p of paths) e[model.find(p)] = 1
    return e
  }

  it('lists the open directories’ children by size, or by name (case-insensitive)', () => {
    const expanded = open('/usr', '/usr/lib')
    expect(rowPaths(model, model.rows({ view: v, sort: 'size', expanded, filter: null }))).toEqual([
      'usr',
      '  lib',
      '    big',
      '    mid',
      '    new',
      '    Small',
      '  bin',
      'app',
      'README',
      'etc',
    ])
    expect(rowPaths(model, model.rows({ view: v, sort: 'name', expanded, filter: null }))).toEqual([
      'app',
      'etc',
      'README',
      'usr',
      '  bin',
      '  lib',
      '    big',
      '    mid',
      '    new',
      '    Small',
    ])
  })

  it('orders ties by size the same before any name sort, after it, and with every folder sorted at once (property)', () => {
    const name = fc.constantFrom('a', 'A', 'b', 'B', 'é', 'É', 'a1', 'Z', '_', 'ß')
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, name, fc.nat(3)), { selector: ([d, f]) => `${d}/${f}`, maxLength: 25 }), (files) => {
        const specs: Spec[] = files.map(([d, f, size]) => [`${d}/${f}`, size])
        const order = (m: LayerModel, all: boolean) => {
          const view = m.view(m.layerCount - 1)
          if (all) m.sortAllBySize(view)
          const expanded = new Uint8Array(m.n).fill(1)
          return rowPaths(m, m.rows({ view, sort: 'size', expanded, filter: null }))
        }
        const fresh = order(new LayerModel(imageOf([specs])), false)
        const ranked = new LayerModel(imageOf([specs]))
        ranked.nameRanks()
        expect(order(ranked, false)).toEqual(fresh)
        expect(order(new LayerModel(imageOf([specs])), true)).toEqual(fresh)
      }),
      { numRuns: 200 },
    )
  })

  it('updates rows incrementally exactly as a full flatten would', () => {
    const dirs = ['/usr', '/usr/lib', '/usr/bin', '/etc']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...dirs), { maxLength: 12 }), fc.constantFrom<SortKey>('size', 'name'), (toggles, sort) => {
        let expanded = new Uint8Array(model.n)
        let rows = model.rows({ view: v, sort, expanded, filter: null })
        for (const path of toggles) {
          const node = model.find(path)
          const row = rows.node.indexOf(node)
          expanded = expanded.slice()
          expanded[node] = expanded[node] ? 0 : 1
          const opts = { view: v, sort, expanded, filter: null }
          if (row >= 0) rows = expanded[node] ? model.expandRow(rows, row, opts) : model.collapseRow(rows, row)
          const full = model.rows(opts)
          expect(Array.from(rows.node)).toEqual(Array.from(full.node))
          expect(Array.from(rows.depth)).toEqual(Array.from(full.depth))
        }
      }),
    )
  })

  const search = (query: string, changesOnly = false): { filter: TreeFilter; rows: string[] } => {
    const filter = model.filter(v, { query, changesOnly }) as TreeFilter
    return { filter, rows: rowPaths(model, model.rows({ view: v, sort: 'name', expanded: filter.open, filter })) }
  }

  it('searches names by substring, opening the way to each match', () => {
    const { filter, rows } = search('b')
    // bin, lib and big match; lib opens to show big, and what else is in a matching directory stays browsable.
    expect(rows).toEqual(['usr', '  bin', '  lib', '    big', '    mid', '    new', '    Small'])
    expect(filter.matchCount).toBe(3)
    expect(filter.open[model.find('/usr/bin')]).toBe(0)
    expect(search('ig').rows).toEqual(['usr', '  lib', '    big'])
    expect(search('S').rows).toEqual(['usr', '  lib', '    Small']) // an upper-case letter makes it case-sensitive
  })

  it('keeps everything inside a matching directory browsable but closed', () => {
    const { filter } = search('lib')
    const lib = model.find('/usr/lib')
    expect(filter.open[lib]).toBe(0)
    expect(filter.include[model.find('/usr/lib/big')]).toBe(1)
    expect(model.hasVisibleChildren(v, lib, filter)).toBe(true)
  })

  it('searches paths with globs', () => {
    expect(search('/usr/**/s*').rows).toEqual(['usr', '  bin', '    sh', '  lib', '    Small'])
    expect(search('lib/?ig').rows).toEqual(['usr', '  lib', '    big'])
    expect(search('*.md').filter.matchCount).toBe(0)
  })

  it('shows only this layer’s changes, alone or with a search', () => {
    expect(search('', true).rows).toEqual(['etc', '  conf', 'usr', '  lib', '    new'])
    expect(search('n', true).rows).toEqual(['etc', '  conf', 'usr', '  lib', '    new'])
    expect(search('conf', true).rows).toEqual(['etc', '  conf'])
    expect(model.filter(v, { query: '  ', changesOnly: false })).toBeNull()
  })
})

describe('search syntax', () => {
  it('turns globs into anchored expressions over names or paths', () => {
    expect(globToRegExp('*.so').test('libc.so')).toBe(true)
    expect(globToRegExp('*.so').test('libc.so.6')).toBe(false)
    expect(globToRegExp('lib/*.so').test('/usr/lib/x.so')).toBe(true)
    expect(globToRegExp('lib/*.so').test('/usr/lib/sub/x.so')).toBe(false)
    expect(globToRegExp('/usr/**/x').test('/usr/x')).toBe(true)
    expect(globToRegExp('/usr/**/x').test('/usr/a/b/x')).toBe(true)
    expect(globToRegExp('/usr/**').test('/usr/a/b')).toBe(true)
    expect(globToRegExp('a+b(c)').test('a+b(c)')).toBe(true)
  })

  it('compiles smart-case queries and finds what to highlight', () => {
    const m = compileSearch('Hello')
    expect(m).toMatchObject({ caseSensitive: true, glob: false, scope: 'name' })
    expect(matchRange('say-hello-api', compileSearch('hello'))).toEqual([4, 9])
    expect(matchRange('Hello', compileSearch('*ll*'))).toBeNull()
    expect(compileSearch('usr/lib').scope).toBe('path')
  })
})

describe('file modes', () => {
  it('reads like ls -l', () => {
    expect(formatMode(TYPE_DIR, 0o755)).toBe('drwxr-xr-x')
    expect(formatMode(TYPE_FILE, 0o4755)).toBe('-rwsr-xr-x')
    expect(formatMode(TYPE_FILE, 0o2644)).toBe('-rw-r-Sr--')
    expect(formatMode(TYPE_DIR, 0o1777)).toBe('drwxrwxrwt')
    expect(formatMode(TYPE_SYMLINK, 0o777)).toBe('lrwxrwxrwx')
    expect(formatOctal(0o4755)).toBe('4755')
    expect(formatOctal(0o644)).toBe('0644')
  })
})
