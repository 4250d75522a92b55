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
const COLUMNS: readonly ImageColumn[] = ['name', 'id', 'created', 'size', 'use']
const SHOWS: readonly ImageShow[] = ['all', 'in-use', 'unused', 'dangling']

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

const SORT_KEY = 'slipway.images.sort'
const SHOW_KEY = 'slipway.images.show'

/** The sort and the in-use/dangling choice remembered in this browser profile (a view preference). */
export function loadTablePrefs(): { sort: ImageSort; show: ImageShow } {
  let sort = DEFAULT_IMAGE_SORT
  let show: ImageShow = 'all'
  try {
    const s = JSON.parse(localStorage.getItem(SORT_KEY) ?? 'null') as Partial<ImageSort> | null
    if (s && COLUMNS.includes(s.column as ImageColumn) && (s.dir === 'asc' || s.dir === 'desc')) sort = { column: s.column as ImageColumn, dir: s.dir }
    const v = localStorage.getItem(SHOW_KEY)
    if (SHOWS.includes(v as ImageShow)) show = v as ImageShow
  } catch {
    // No storage (or a broken entry): the defaults.
  }
  return { sort, show }
}

/** Remembers the table's sort and choice; a full or disabled storage keeps them for this session only. */
export function saveTablePrefs(sort: ImageSort, show: ImageShow): void {
  try {
    localStorage.setItem(SORT_KEY, JSON.stringify(sort))
    localStorage.setItem(SHOW_KEY, show)
  } catch {
    // The choice holds for this session.
  }
}

/** The header's count: what the list holds ("109 images · 5 in use · 87 dangling"), or what is shown of it. */
export function imagesSubtitle(list: readonly ImageSummary[], filter: string, show: ImageShow): string {
  const all = formatCount(list.length, 'image')
  if (filter.trim() || show !== 'all') return `${list.filter((i) => imageMatches(i, filter) && shows(i, show)).length} of ${all}`
  const inUse = list.filter((i) => i.containers > 0).length
  const dangling = list.filter((i) => i.dangling).length
  return [all, inUse ? `${inUse} in use` : '', dangling ? `${dangling} dangling` : ''].filter(Boolean).join(' · ')
}
