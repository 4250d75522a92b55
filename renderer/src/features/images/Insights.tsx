import { Tabs, Text } from '@radix-ui/themes'
import { useMemo } from 'react'
import { formatBytes, formatInt, shortId } from '../../../../shared/format'
import { describeCreatedBy, inefficientFiles, largestFiles } from '../../../../shared/layers/describe'
import { TYPE_DIR, type LayerInfo } from '../../../../shared/layers/types'
import { PropertyList, type Property } from '../../components/PropertyList'
import { useApp, type Explorer } from '../../stores'
import { ChangeCounts, ChangeMark, MARKS } from './ChangeMark'
import { formatMode, formatOctal } from './file-mode'
import { isReproducibleTime } from './image-labels'
import { MARK_MODIFIED, MARK_NONE, MARK_REMOVED, type NodeDetails } from './layer-model'

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A layer's command as a Dockerfile line, or its comment when it has none (imported layers). */
export function layerText(layer: LayerInfo | undefined): string {
  if (!layer) return ''
  return layer.createdBy ? describeCreatedBy(layer.createdBy) : layer.comment || '(no command recorded)'
}

/** A path with its folder quiet and cut from the left, and its name always visible. */
export function PathText({ path }: { path: string }) {
  const slash = path.lastIndexOf('/')
  const dir = path.slice(0, slash + 1)
  const name = path.slice(slash + 1)
  return (
    <span className="path-text" title={path}>
      <span className="path-dir">{dir}</span>
      <span className="path-name">{name}</span>
    </span>
  )
}

/** Details of the selected file, or of the selected layer; the largest files; the wasted space. */
export function Insights() {
  const ex = useApp((s) => s.images.explorer)
  if (!ex) return null
  return (
    <section className="panel ex-panel insights-panel" aria-label="Details">
      <Tabs.Root defaultValue="details" className="insights-tabs">
        <Tabs.List size="1" className="insights-list">
          <Tabs.Trigger value="details">{ex.selected >= 0 ? 'File' : 'Layer'}</Tabs.Trigger>
          <Tabs.Trigger value="largest">Largest files</Tabs.Trigger>
          <Tabs.Trigger value="wasted">Wasted space</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="details" className="insights-body">
          {ex.selected >= 0 ? <FileDetails ex={ex} /> : <LayerDetails ex={ex} />}
        </Tabs.Content>
        <Tabs.Content value="largest" className="insights-body">
          <Largest ex={ex} />
        </Tabs.Content>
        <Tabs.Content value="wasted" className="insights-body">
          <Wasted ex={ex} />
        </Tabs.Content>
      </Tabs.Root>
    </section>
  )
}

function FileDetails({ ex }: { ex: Explorer }) {
  const selectLayer = useApp((s) => s.selectLayer)
  const d: NodeDetails = useMemo(() => ex.model.details(ex.view, ex.selected), [ex.model, ex.view, ex.selected])
  // The tree's mark, in words (shared/layers/marks.ts): a folder is marked by what is inside it.
  const status = d.removed
    ? 'removed by this layer'
    : d.mark !== MARK_NONE
      ? `${MARKS[d.mark as keyof typeof MARKS].word} in this layer${d.dir && d.mark === MARK_MODIFIED ? ' (what is inside it, or its mode or owner)' : ''}`
      : 'unchanged in this layer'
  const items: Property[] = [
    { label: 'Path', value: d.path, mono: true },
    { label: 'Type', value: d.type },
    d.dir
      ? { label: 'Size', value: `${formatBytes(d.size)} in ${formatInt(d.files)} ${d.files === 1 ? 'file' : 'files'}` }
      : { label: 'Size', value: `${formatBytes(d.size)}`, unit: d.size >= 1000 ? `${formatInt(d.size)} B` : undefined },
  ]
  if (d.mode !== null) items.push({ label: 'Mode', value: formatMode(d.dir ? TYPE_DIR : ex.model.entryType(ex.view, d.node), d.mode), unit: formatOctal(d.mode), mono: true })
  if (d.uid !== null) items.push({ label: 'Owner (uid:gid)', value: `${d.uid}:${d.gid}`, mono: true })
  if (d.link) items.push({ label: d.type === 'hardlink' ? 'Hard link to' : 'Link target', value: d.link, mono: true })
  items.push({ label: 'This layer', value: status })
  return (
    <div className="details" data-testid="file-details">
      <PropertyList label="File" items={items} />
      <Text as="div" size="1" color="gray" weight="medium" className="details-sub">
        Layers that changed it{d.dir ? ' (or what is inside it)' : ''}
      </Text>
      {d.touchedBy.length === 0 ? (
        <Text as="div" size="1" color="gray" className="details-none">
          None of its own: the directory exists because something inside it does.
        </Text>
      ) : (
        <ul className="touched">
          {d.touchedBy.map((t) => (
            <li key={t.layer}>
              <button type="button" className="touched-row" aria-current={t.layer === ex.layer || undefined} onClick={() => selectLayer(t.layer)}>
                <ChangeMark mark={t.change} />
                <span className="touched-layer tabular">Layer {t.layer + 1}</span>
                <span className="touched-cmd">{layerText(ex.model.index.layers[t.layer])}</span>
                <span className="touched-size tabular">{t.change === MARK_REMOVED || d.dir ? '' : formatBytes(t.size)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

const NO_CHANGES = { added: 0, modified: 0, removed: 0, folders: { added: 0, modified: 0, removed: 0 } }

function LayerDetails({ ex }: { ex: Explorer }) {
  const layer = ex.model.index.layers[ex.layer]
  if (!layer) return null
  const items: Property[] = [
    { label: 'Layer', value: `${ex.layer + 1} of ${ex.model.layerCount}` },
    { label: 'Size', value: formatBytes(layer.size), unit: layer.compression === 'gzip' ? `${formatBytes(layer.blobSize)} gzip` : undefined },
    { label: 'Entries', value: formatInt(layer.entryCount) },
    { label: 'Changes', value: <ChangeCounts counts={ex.model.marks[ex.layer]?.counts ?? NO_CHANGES} /> },
    { label: 'Diff ID', value: shortId(layer.diffId), mono: true },
  ]
  if (layer.created) items.push({ label: 'Created', value: isReproducibleTime(layer.created) ? '1970-01-01 (a reproducible build)' : dateTime.format(new Date(layer.created)) })
  return (
    <div className="details">
      <pre className="layer-command selectable" aria-label="Created by">
        {layerText(layer)}
      </pre>
      <PropertyList label="Layer" items={items} />
      <Text as="div" size="1" color="gray" className="details-hint">
        Select a file in the tree to see its details.
      </Text>
    </div>
  )
}

function Largest({ ex }: { ex: Explorer }) {
  const reveal = useApp((s) => s.revealNode)
  const index = ex.model.index
  const list = useMemo(() => largestFiles(index, 100), [index])
  return (
    <ol className="insight-list" aria-label="Largest files">
      {list.map((f, i) => {
        const node = index.tree.node[index.largestFiles[i] as number] as number
        return (
          <li key={node}>
            <button type="button" className="insight-row" aria-current={node === ex.selected || undefined} onClick={() => reveal(node)}>
              <PathText path={f.path} />
              <span className="insight-meta tabular">L{f.layer + 1}</span>
              <span className="insight-size tabular">{formatBytes(f.size)}</span>
            </button>
          </li>
        )
      })}
    </ol>
  )
}

function Wasted({ ex }: { ex: Explorer }) {
  const reveal = useApp((s) => s.revealNode)
  const index = ex.model.index
  const list = useMemo(() => inefficientFiles(index, 100), [index])
  if (list.length === 0)
    return (
      <Text as="div" size="1" color="gray" className="details-none">
        No file is written by more than one layer: nothing is wasted.
      </Text>
    )
  return (
    <>
      <Text as="div" size="1" color="gray" className="details-hint">
        Paths written by several layers (or written, then deleted): every copy still ships. {formatBytes(index.summary.wastedBytes)} in all.
      </Text>
      <ol className="insight-list" aria-label="Wasted space">
        {list.map((f, i) => {
          const node = index.inefficiencies.node[i] as number
          return (
            <li key={node}>
              <button type="button" className="insight-row" aria-current={node === ex.selected || undefined} onClick={() => reveal(node)}>
                <PathText path={f.path} />
                <span className="insight-meta tabular" title={`${f.count} layers touched it`}>
                  ×{f.count}
                </span>
                <span className="insight-size tabular">{formatBytes(f.cumulativeSize)}</span>
              </button>
            </li>
          )
        })}
      </ol>
    </>
  )
}
