// Hand-made layer indexes for unit tests: each layer is a short list of tar entries, run through the
// same interning and tree math the indexer uses, so the tests see exactly what the app sees.
import { buildLayerIndex, type ConfigHistory, type ImageMeta } from '../../shared/layers/build-index'
import { addTarEntry, newLayerEntries, type TarEntry } from '../../shared/layers/entries'
import { PathTable } from '../../shared/layers/paths'
import type { LayerIndex } from '../../shared/layers/types'

/**
 * One tar entry: `'dir/'` a directory, `'f'` an empty file, `['f', 10]` a file of 10 bytes,
 * `['l', '->t']` a symlink to t, `['h', '=>t']` a hard link to t, `'.wh.x'` a whiteout of x.
 */
export type Spec = string | [string, number | string]

/** The tar entry a spec stands for. */
export function specEntry(spec: Spec): TarEntry {
  if (typeof spec === 'string') return spec.endsWith('/') ? { name: spec, type: 'dir', mode: 0o755 } : { name: spec, type: 'file', size: 0, mode: 0o644 }
  const [name, v] = spec
  if (typeof v === 'number') return { name, type: 'file', size: v, mode: 0o644 }
  if (v.startsWith('->')) return { name, type: 'symlink', linkname: v.slice(2), mode: 0o777 }
  return { name, type: 'hardlink', linkname: v.slice(2), mode: 0o644 }
}

/** An index of an image whose layers (bottom first) hold these entries; `history` is optional. */
export function imageOf(layers: Spec[][], opts: { imageId?: string; history?: ConfigHistory[] } = {}): LayerIndex {
  const paths = new PathTable()
  const read = layers.map((specs) => {
    const e = newLayerEntries()
    for (const s of specs) addTarEntry(paths, e, specEntry(s))
    return { entries: e, blobSize: 0, compression: 'none' as const }
  })
  const meta: ImageMeta = {
    imageId: opts.imageId ?? 'sha256:test',
    repoTags: [],
    created: '',
    os: 'linux',
    architecture: 'amd64',
    format: 'docker-legacy',
    diffIds: [],
    history: opts.history ?? [],
  }
  return buildLayerIndex(meta, paths.data(), read)
}
