import { formatCount } from '../../../../shared/format'
import type { ImageSummary } from '../../../../shared/types/images'
import { imageLabel, imageMatches } from './image-labels'

/** The image table's sortable columns. */
export type ImageColumn = 'name' | 'id' | 'created' | 'size' | 'use'
export type SortDir = 'asc' | 'desc'
export interface ImageSort {
  column: ImageColumn
  dir: SortDir
}
/** Which images the table shows besides the text filter. */
export type ImageShow = 'all' | 'in-use' | 'unused' | 'dangling'

export const DEFAULT_IMAGE_SORT: ImageSort = { column: 'created', dir: 'desc' }
export const COLUMNS: readonly ImageColumn[] = ['name', 'id', 'created', 'size', 'use']
export const SHOWS: readonly ImageShow[] = ['all', 'in-use', 'unused', 'dangling']

/** The direction a column starts in when first clicked: newest, largest and most used first; names A→Z. */
export function firstDir(column: ImageColumn): SortDir {
  return column === 'name' || column === 'id' ? 'asc' : 'desc'
}

/** A click on a column header: the same column flips, another starts in its own first direction. */
export function nextSort(sort: ImageSort, column: ImageColumn): ImageSort {
  return sort.column === column ? { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: firstDir(column) }
}

const byName = (i: ImageSummary) => (i.repoTags.length ? imageLabel(i).toLowerCase() : '')

/**
 * The table's rows: the text filter and the in-use/dangling choice applied, then sorted. Ties (and
 * untagged images by name, which always go last) fall back to newest first, so the order is stable.
 */
export function tableRows(list: readonly ImageSummary[], filter: string, show: ImageShow, sort: ImageSort): ImageSummary[] {
  const rows = list.filter((i) => imageMatches(i, filter) && shows(i, show))
  const sign = sort.dir === 'asc' ? 1 : -1
  const newest = (a: ImageSummary, b: ImageSummary) => b.created - a.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const cmp: Record<ImageColumn, (a: ImageSummary, b: ImageSummary) => number> = {
    name: (a, b) => {
      const na = byName(a)
      const nb = byName(b)
      if (!na !== !nb) return na ? -1 : 1
      return sign * (na < nb ? -1 : na > nb ? 1 : 0)
    },
    id: (a, b) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    created: (a, b) => sign * (a.created - b.created),
    size: (a, b) => sign * (a.sizeBytes - b.sizeBytes),
    use: (a, b) => sign * (a.containers - b.containers),
  }
  const f = cmp[sort.column]
  return rows.sort((a, b) => f(a, b) || newest(a, b))
}

/** Whether an image passes the in-use/dangling choice. */
export function shows(image: ImageSummary, show: ImageShow): boolean {
  if (show === 'in-use') return image.containers > 0
  if (show === 'unused') return image.containers === 0
  if (show === 'dangling') return image.dangling
  return true
}

/** The header's count: what the list holds ("109 images · 5 in use · 87 dangling"), or what is shown of it. */
export function imagesSubtitle(list: readonly ImageSummary[], filter: string, show: ImageShow): string {
  const all = formatCount(list.length, 'image')
  if (filter.trim() || show !== 'all') return `${list.filter((i) => imageMatches(i, filter) && shows(i, show)).length} of ${all}`
  const inUse = list.filter((i) => i.containers > 0).length
  const dangling = list.filter((i) => i.dangling).length
  return [all, inUse ? `${inUse} in use` : '', dangling ? `${dangling} dangling` : ''].filter(Boolean).join(' · ')
}
