import { nodePath } from './paths'
import type { LayerIndex } from './types'

/**
 * A history `created_by` as a Dockerfile line: the classic builder writes `/bin/sh -c #(nop)  ENV A=b`
 * for metadata steps and `/bin/sh -c apt-get …` for RUN; BuildKit writes `RUN /bin/sh -c …` and
 * `ENV A=b # buildkit`. Whitespace runs collapse to one space.
 */
export function describeCreatedBy(createdBy: string): string {
  let s = createdBy.replace(/\s+/g, ' ').trim()
  s = s.replace(/ # buildkit$/, '')
  const nop = /^\/bin\/sh -c #\(nop\) ?(.*)$/.exec(s)
  if (nop) return (nop[1] ?? '').trim()
  const run = /^(?:RUN )?(?:\|\d+ (?:\S+=\S* )*)?\/bin\/sh -c (.*)$/.exec(s)
  if (run) return `RUN ${run[1] ?? ''}`
  return s
}

/** Cuts text to `width` characters, ending in "…" when it was longer. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`
}

/** The largest files of the final image as `{path, size, layer}`, largest first. */
export function largestFiles(index: LayerIndex, limit = 10): { path: string; size: number; layer: number }[] {
  return Array.from({ length: Math.min(limit, index.largestFiles.length) }, (_, i) => {
    const row = index.largestFiles[i] ?? 0
    return { path: nodePath(index.paths, index.tree.node[row] ?? 0), size: index.tree.size[row] ?? 0, layer: index.tree.layer[row] ?? -1 }
  })
}

/** dive's "inefficient files": paths written by several layers, by cumulative size, largest first. */
export function inefficientFiles(index: LayerIndex, limit = 20): { path: string; count: number; cumulativeSize: number }[] {
  const ine = index.inefficiencies
  const out: { path: string; count: number; cumulativeSize: number }[] = []
  for (let i = 0; i < ine.node.length && out.length < limit; i++) {
    out.push({ path: nodePath(index.paths, ine.node[i] ?? 0), count: ine.count[i] ?? 0, cumulativeSize: ine.cumulativeSize[i] ?? 0 })
  }
  return out
}
