import { Text, Tooltip } from '@radix-ui/themes'
import { memo, useMemo } from 'react'
import { formatBytes } from '../../../../shared/format'
import { describeCreatedBy } from '../../../../shared/layers/describe'
import type { MarkCounts } from '../../../../shared/layers/marks'
import type { HistoryItem, LayerIndex, LayerInfo } from '../../../../shared/layers/types'
import { useApp } from '../../stores'
import { ChangeCounts } from './ChangeMark'

/** A history step as the list shows it: a layer, or an empty (metadata-only) step between layers. */
type Step = { kind: 'layer'; layer: LayerInfo; item: HistoryItem | null } | { kind: 'empty'; item: HistoryItem; at: number }

function stepsOf(index: Pick<LayerIndex, 'layers' | 'history'>): Step[] {
  const steps: Step[] = []
  const placed = new Set<number>()
  index.history.forEach((item, at) => {
    if (item.layer !== null && index.layers[item.layer]) {
      placed.add(item.layer)
      steps.push({ kind: 'layer', layer: index.layers[item.layer] as LayerInfo, item })
    } else if (item.emptyLayer) steps.push({ kind: 'empty', item, at })
  })
  // Layers with no history step (some importers write none) still belong in the list, in order.
  for (const layer of index.layers) {
    if (placed.has(layer.index)) continue
    const pos = steps.findIndex((s) => s.kind === 'layer' && s.layer.index > layer.index)
    const step: Step = { kind: 'layer', layer, item: null }
    if (pos < 0) steps.push(step)
    else steps.splice(pos, 0, step)
  }
  return steps
}

const CommandTip = ({ raw, children }: { raw: string; children: React.ReactElement }) =>
  raw ? (
    <Tooltip content={<span className="layer-tip">{raw}</span>} side="right" align="start" delayDuration={350} className="layer-tip-content">
      {children}
    </Tooltip>
  ) : (
    children
  )

const LayerRow = memo(function LayerRow({
  layer,
  item,
  counts,
  selected,
  max,
  onSelect,
}: {
  layer: LayerInfo
  item: HistoryItem | null
  counts: MarkCounts | undefined
  selected: boolean
  max: number
  onSelect: (i: number) => void
}) {
  const raw = item?.createdBy || layer.createdBy
  // Imported layers (docker import, some base images) have a comment instead of a command.
  const text = raw ? describeCreatedBy(raw) : item?.comment || layer.comment || '(no command recorded)'
  const pct = max > 0 ? Math.max(layer.size > 0 ? 2 : 0, (layer.size / max) * 100) : 0
  return (
    <div
      role="option"
      id={`layer-${layer.index}`}
      aria-selected={selected}
      className="layer-row"
      data-layer={layer.index}
      data-size={layer.size}
      onClick={() => onSelect(layer.index)}
    >
      <span className="layer-index tabular">{layer.index + 1}</span>
      <CommandTip raw={raw}>
        <span className="layer-cmd" data-quiet={raw ? undefined : true}>
          {text}
        </span>
      </CommandTip>
      <span className="layer-size tabular">{formatBytes(layer.size)}</span>
      <span />
      {counts ? <ChangeCounts counts={counts} /> : <span />}
      <span className="layer-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
    </div>
  )
})

/** The image's history, bottom first: each layer with its command, size and changes; metadata steps dimmed. */
export function LayerList() {
  // Before the explorer is there, the first view's layers and counts (the same marks, made with the index).
  const index = useApp((s) => s.images.index ?? s.images.preview?.first ?? null)
  // The same marks the tree and the details show (the model is made from this index).
  const marks = useApp((s) => (s.images.explorer?.model.index === s.images.index ? s.images.explorer?.model.marks : undefined))
  const previewCounts = useApp((s) => (s.images.explorer ? undefined : s.images.preview?.first.view.counts))
  const layer = useApp((s) => s.images.explorer?.layer ?? (s.images.preview && s.images.preview.pendingLayer >= 0 ? s.images.preview.pendingLayer : s.images.preview?.first.view.layer) ?? -1)
  const select = useApp((s) => s.selectLayer)
  const steps = useMemo(() => (index ? stepsOf(index) : []), [index])
  const max = useMemo(() => Math.max(0, ...(index?.layers.map((l) => l.size) ?? [])), [index])
  if (!index) return null
  const count = index.layers.length

  const onKeyDown = (e: React.KeyboardEvent) => {
    const to = e.key === 'ArrowDown' ? layer + 1 : e.key === 'ArrowUp' ? layer - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? count - 1 : null
    if (to === null) return
    e.preventDefault()
    const next = Math.max(0, Math.min(count - 1, to))
    select(next)
    document.getElementById(`layer-${next}`)?.scrollIntoView({ block: 'nearest' })
  }

  return (
    <section className="panel ex-panel layer-panel" aria-labelledby="layers-title">
      <div className="panel-header ex-header">
        <Text id="layers-title" size="2" weight="medium">
          Layers
        </Text>
        <Text size="1" color="gray" className="tabular">
          {count}
          {steps.length > count ? ` · ${steps.length - count} metadata steps` : ''}
        </Text>
        <Text size="1" color="gray" ml="auto" className="ex-hint">
          ↑↓ to step through
        </Text>
      </div>
      <div className="layer-list" role="listbox" aria-label="Layers, bottom first" tabIndex={0} aria-activedescendant={layer >= 0 ? `layer-${layer}` : undefined} onKeyDown={onKeyDown}>
        {steps.map((s, i) =>
          s.kind === 'layer' ? (
            <LayerRow key={`l${s.layer.index}`} layer={s.layer} item={s.item} counts={marks?.[s.layer.index]?.counts ?? previewCounts?.[s.layer.index]} selected={s.layer.index === layer} max={max} onSelect={select} />
          ) : (
            <div key={`e${s.at}-${i}`} className="layer-row is-empty" aria-hidden="true">
              <span className="layer-index" />
              <CommandTip raw={s.item.createdBy}>
                <span className="layer-cmd">{describeCreatedBy(s.item.createdBy) || '(no command)'}</span>
              </CommandTip>
              <span className="layer-size tabular">—</span>
            </div>
          ),
        )}
      </div>
    </section>
  )
}
