import { shortId } from '../../../../shared/format'
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
