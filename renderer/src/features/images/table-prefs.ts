import { COLUMNS, DEFAULT_IMAGE_SORT, SHOWS, type ImageColumn, type ImageShow, type ImageSort } from './image-sort'

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
