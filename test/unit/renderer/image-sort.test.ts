import { describe, expect, it } from 'vitest'
import type { ImageSummary } from '../../../shared/types/images'
import { imagesSubtitle, nextSort, tableRows } from '../../../renderer/src/features/images/image-sort'

const img = (id: string, p: Partial<ImageSummary>): ImageSummary => ({ id: `sha256:${id}`, repoTags: [], created: 0, sizeBytes: 0, labels: {}, containers: 0, dangling: false, ...p })
const list = [
  img('a', { repoTags: ['zeta:1'], created: 3, sizeBytes: 10 }),
  img('b', { repoTags: ['Alpha:2'], created: 1, sizeBytes: 30, containers: 2 }),
  img('c', { created: 2, sizeBytes: 20, dangling: true }),
  img('d', { repoTags: ['mid:1'], created: 2, sizeBytes: 20 }),
]
const ids = (rows: ImageSummary[]) => rows.map((r) => r.id.slice(7)).join('')

describe('image table order and choice', () => {
  it('sorts by each column both ways, ties newest first, untagged last by name', () => {
    expect(ids(tableRows(list, '', 'all', { column: 'created', dir: 'desc' }))).toBe('acdb')
    expect(ids(tableRows(list, '', 'all', { column: 'size', dir: 'desc' }))).toBe('bcda')
    expect(ids(tableRows(list, '', 'all', { column: 'size', dir: 'asc' }))).toBe('acdb')
    expect(ids(tableRows(list, '', 'all', { column: 'name', dir: 'asc' }))).toBe('bdac')
    expect(ids(tableRows(list, '', 'all', { column: 'name', dir: 'desc' }))).toBe('adbc')
    expect(ids(tableRows(list, '', 'all', { column: 'use', dir: 'desc' }))).toBe('bacd')
  })

  it('flips a column, starts another in its own direction', () => {
    expect(nextSort({ column: 'size', dir: 'desc' }, 'size')).toEqual({ column: 'size', dir: 'asc' })
    expect(nextSort({ column: 'size', dir: 'desc' }, 'name')).toEqual({ column: 'name', dir: 'asc' })
    expect(nextSort({ column: 'name', dir: 'asc' }, 'created')).toEqual({ column: 'created', dir: 'desc' })
  })

  it('filters in use and dangling, and the header counts the list', () => {
    expect(ids(tableRows(list, '', 'in-use', { column: 'created', dir: 'desc' }))).toBe('b')
    expect(ids(tableRows(list, '', 'dangling', { column: 'created', dir: 'desc' }))).toBe('c')
    expect(ids(tableRows(list, '', 'unused', { column: 'created', dir: 'desc' }))).toBe('acd')
    expect(imagesSubtitle(list, '', 'all')).toBe('4 images · 1 in use · 1 dangling')
    expect(imagesSubtitle(list, '', 'dangling')).toBe('1 of 4 images')
    expect(imagesSubtitle(list, 'mid', 'all')).toBe('1 of 4 images')
  })
})
