import { formatRelativeTime, shortId } from '../../../../shared/format'
import type { ImageSummary } from '../../../../shared/types/images'

/** What people call an image: its first tag, or its short id when it has none. */
export function imageLabel(image: Pick<ImageSummary, 'id' | 'repoTags'>): string {
  return image.repoTags[0] ?? shortId(image.id)
}

/** The tag a row leads with: the first one the filter matches (the one the person typed), else the first. */
export function leadingTag(image: Pick<ImageSummary, 'repoTags'>, filter = ''): string | undefined {
  const q = filter.trim().toLowerCase()
  return (q ? image.repoTags.find((t) => t.toLowerCase().includes(q)) : undefined) ?? image.repoTags[0]
}

/** The store's handle on an image (its OpenImage) from a list row, named by the tag the row leads with. */
export function openImageOf(image: ImageSummary, filter = ''): { id: string; label: string } {
  return { id: image.id, label: leadingTag(image, filter) ?? shortId(image.id) }
}

/** A tag split into repository and tag, for a quieter tag: `slipway/api:1.2` → [`slipway/api`, `1.2`]. */
export function splitTag(tag: string): [string, string] {
  const colon = tag.lastIndexOf(':')
  if (colon <= 0 || tag.indexOf('/', colon) >= 0) return [tag, '']
  return [tag.slice(0, colon), tag.slice(colon + 1)]
}

/** Whether an image matches the table's filter (any tag or the id, case-insensitive). */
export function imageMatches(image: ImageSummary, filter: string): boolean {
  const q = filter.trim().toLowerCase()
  if (!q) return true
  if (shortId(image.id).includes(q) || image.id.toLowerCase().includes(q)) return true
  return image.repoTags.some((t) => t.toLowerCase().includes(q))
}

/** Percent with one decimal below 100 (`99.4 %`), none at 100. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—'
  const p = ratio * 100
  return `${p >= 99.95 && p < 100 ? '99.9' : p.toFixed(p >= 100 || p === 0 ? 0 : 1)} %`
}

/** Created times before this (a day after 1970-01-01) are the fixed time of a reproducible build, not a date. */
const NO_TIME_BEFORE = 86_400_000

/** Whether an image or layer records no real creation time (a reproducible build sets 1970-01-01, Go's and Slipway's made bases among them). */
export function isReproducibleTime(created: number | string | undefined): boolean {
  const t = typeof created === 'string' ? Date.parse(created) : created
  return t === undefined || !Number.isFinite(t) || t < NO_TIME_BEFORE
}

/** Said instead of an age for an image with no real creation time (one word: it fits the age columns). */
export const REPRODUCIBLE = 'reproducible'

/**
 * An image's age for a list ("3 days ago"), and its hover text (the date); "reproducible" for one
 * created at 1970-01-01 (made bases are reproducible builds), never "20787 days ago".
 */
export function imageAge(created: number, now: number, absolute: (t: number) => string): { text: string; title: string } {
  if (isReproducibleTime(created)) return { text: REPRODUCIBLE, title: 'A reproducible build: the image records no creation time (1970-01-01), so its age is unknown.' }
  return { text: formatRelativeTime(created, now), title: absolute(created) }
}
