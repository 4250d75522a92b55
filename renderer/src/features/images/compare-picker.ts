import type { ImageDetails, ImageSummary } from '../../../../shared/types/images'
import { imageMatches, splitTag } from './image-labels'

/** The repositories an image is tagged in (`slipway/api` of `slipway/api:1.2`). */
export function repositoriesOf(image: Pick<ImageSummary, 'repoTags'>): Set<string> {
  return new Set(image.repoTags.map((t) => splitTag(t)[0]))
}

/** One image the picker offers, and whether it shares a repository with the open one. */
export interface PickerChoice {
  image: ImageSummary
  sameRepo: boolean
}

/**
 * The images the compare picker offers for `open`: every other image matching the query, other
 * tags of the same repository first (the likeliest comparison: another build of the same thing),
 * then tagged images, newest first; dangling ones last.
 */
export function pickerChoices(list: readonly ImageSummary[], openId: string, query: string): PickerChoice[] {
  const open = list.find((i) => i.id === openId)
  const repos = open ? repositoriesOf(open) : new Set<string>()
  const rank = (i: ImageSummary) => (i.repoTags.some((t) => repos.has(splitTag(t)[0])) ? 0 : i.repoTags.length > 0 ? 1 : 2)
  return list
    .filter((i) => i.id !== openId && imageMatches(i, query))
    .map((image) => ({ image, r: rank(image) }))
    .sort((a, b) => a.r - b.r || b.image.created - a.image.created)
    .map(({ image, r }) => ({ image, sameRepo: r === 0 }))
}

/** One line of the side-by-side metadata: a field (or one ENV/label key) and its value in A and B. */
export interface MetaRow {
  group: 'Image' | 'Run' | 'Environment' | 'Labels'
  key: string
  a: string | null
  b: string | null
  same: boolean
}

const joinArgs = (xs: string[]) => (xs.length ? JSON.stringify(xs) : '')
const envMap = (env: string[]) => new Map(env.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, '']) as [string, string]))

/** The two images' platform and configuration side by side: fields first, then every ENV and label key of either. */
export function metadataRows(a: ImageDetails, b: ImageDetails): MetaRow[] {
  const rows: MetaRow[] = []
  const add = (group: MetaRow['group'], key: string, va: string | null, vb: string | null) => rows.push({ group, key, a: va, b: vb, same: va === vb })
  const platform = (d: ImageDetails) => `${d.os}/${d.architecture}${d.variant ? `/${d.variant}` : ''}`
  add('Image', 'Platform', platform(a), platform(b))
  add('Image', 'Layers', String(a.layerCount), String(b.layerCount))
  add('Run', 'User', a.config.user || 'root (not set)', b.config.user || 'root (not set)')
  add('Run', 'Working dir', a.config.workingDir || '/', b.config.workingDir || '/')
  add('Run', 'Ports', a.config.exposedPorts.join(', '), b.config.exposedPorts.join(', '))
  add('Run', 'Entrypoint', joinArgs(a.config.entrypoint), joinArgs(b.config.entrypoint))
  add('Run', 'Cmd', joinArgs(a.config.cmd), joinArgs(b.config.cmd))
  if (a.config.healthcheck.length || b.config.healthcheck.length) add('Run', 'Healthcheck', joinArgs(a.config.healthcheck), joinArgs(b.config.healthcheck))
  if (a.config.stopSignal || b.config.stopSignal) add('Run', 'Stop signal', a.config.stopSignal, b.config.stopSignal)
  const ea = envMap(a.config.env)
  const eb = envMap(b.config.env)
  for (const k of [...new Set([...ea.keys(), ...eb.keys()])].sort()) add('Environment', k, ea.get(k) ?? null, eb.get(k) ?? null)
  for (const k of [...new Set([...Object.keys(a.config.labels), ...Object.keys(b.config.labels)])].sort()) add('Labels', k, a.config.labels[k] ?? null, b.config.labels[k] ?? null)
  return rows
}
