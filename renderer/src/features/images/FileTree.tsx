import { Checkbox, DropdownMenu, IconButton, SegmentedControl, Text, TextField, Tooltip } from '@radix-ui/themes'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ChevronRight, ChevronsDownUp, Ellipsis, File, FileQuestion, FileSymlink, Folder, FolderOpen, Link2, Search, X } from 'lucide-react'
import { memo, useCallback, useEffect, useMemo, useRef } from 'react'
import { formatBytes, formatInt } from '../../../../shared/format'
import type { FirstView } from '../../../../shared/layers/first-view'
import { TYPE_DIR, TYPE_HARDLINK, TYPE_SYMLINK } from '../../../../shared/layers/types'
import { useApp, type Explorer } from '../../stores'
import { rowOptions } from '../../stores/images-slice'
import { OverflowMenu } from '../../components/OverflowMenu'
import { ChangeMark, MarkLegend, MARKS } from './ChangeMark'
import { formatMode } from './file-mode'
import { MARK_REMOVED, REMOVED_HERE, type SortKey } from './layer-model'
import { matchRange } from './tree-search'

export const TREE_ROW_HEIGHT = 22
const INDENT = 14

interface RowProps {
  node: number
  index: number
  start: number
  depth: number
  name: string
  path: string
  dir: boolean
  open: boolean
  expandable: boolean
  type: number
  mark: number
  /** Changes of this layer below a directory. */
  inside: number
  removed: boolean
  match: boolean
  range: [number, number] | null
  selected: boolean
  size: number
  mode: string
  owner: string
  link: string
  onClick: (node: number, toggle: boolean) => void
}

const TypeIcon = ({ dir, open, type }: { dir: boolean; open: boolean; type: number }) => {
  const Icon = dir ? (open ? FolderOpen : Folder) : type === TYPE_SYMLINK ? FileSymlink : type === TYPE_HARDLINK ? Link2 : type < 0 || type > TYPE_HARDLINK ? FileQuestion : File
  return <Icon size={13} className="tree-icon" data-dir={dir || undefined} aria-hidden />
}

const Row = memo(function Row(p: RowProps) {
  const name = p.range ? (
    <>
      {p.name.slice(0, p.range[0])}
      <mark>{p.name.slice(p.range[0], p.range[1])}</mark>
      {p.name.slice(p.range[1])}
    </>
  ) : p.match ? (
    <mark>{p.name}</mark>
  ) : (
    p.name
  )
  const tone = MARKS[p.mark as keyof typeof MARKS]?.tone
  return (
    <div
      role="treeitem"
      id={`tree-node-${p.node}`}
      className="tree-row"
      style={{ transform: `translateY(${p.start}px)` }}
      aria-level={p.depth + 1}
      aria-expanded={p.dir && p.expandable ? p.open : undefined}
      aria-selected={p.selected}
      data-tone={tone}
      data-match={p.match || undefined}
      data-path={p.path}
      data-index={p.index}
      onClick={(e) => p.onClick(p.node, p.dir && e.detail <= 1)}
    >
      <span className="tree-name" style={{ paddingLeft: 6 + p.depth * INDENT }}>
        <span className="tree-chevron" data-open={p.open || undefined} aria-hidden="true">
          {p.dir && p.expandable ? <ChevronRight size={12} /> : null}
        </span>
        <TypeIcon dir={p.dir} open={p.open && p.expandable} type={p.type} />
        <span className="tree-label" title={p.path}>
          {name}
          {p.link && <span className="tree-link"> → {p.link}</span>}
        </span>
      </span>
      <ChangeMark
        mark={p.removed ? MARK_REMOVED : p.mark}
        title={p.dir && p.inside > 0 && p.mark ? `${MARKS[p.mark as keyof typeof MARKS]?.word}: ${formatInt(p.inside)} ${p.inside === 1 ? 'change' : 'changes'} inside` : undefined}
      />
      <span className="tree-mode">{p.mode}</span>
      <span className="tree-owner">{p.owner}</span>
      <span className="tree-size tabular">{p.size > 0 || !p.dir ? formatBytes(p.size) : '—'}</span>
    </div>
  )
})

/** The file tree as of the selected layer: virtualised, keyboard-driven, searchable, changes marked. */
export function FileTree() {
  const ex = useApp((s) => s.images.explorer)
  const first = useApp((s) => (s.images.explorer ? null : (s.images.preview?.first.view ?? null)))
  if (ex) return <Tree ex={ex} />
  return first ? <FirstTree view={first} /> : null
}

/**
 * The first view (the top layer's top-level rows, from `layers.done`) while the index is on its way and
 * the explorer is being made: the same rows the explorer will show, not yet searchable. A click is kept
 * and done once the explorer is there.
 */
function FirstTree({ view }: { view: FirstView }) {
  const click = useApp((s) => s.clickPreviewRow)
  const pending = useApp((s) => s.images.preview?.pending ?? -1)
  const layerCount = useApp((s) => s.images.preview?.first.layers.length ?? 0)
  const onClick = useCallback((node: number) => click(node), [click])
  return (
    <section className="panel ex-panel tree-panel" aria-labelledby="tree-title" aria-busy="true" data-testid="tree-first-view">
      <div className="panel-header ex-header tree-toolbar">
        <Text id="tree-title" size="2" weight="medium" className="nowrap">
          Files
        </Text>
        <Text size="1" color="gray" className="tabular nowrap tree-asof" data-testid="tree-layer">
          as of layer {view.layer + 1} of {layerCount} · {formatInt(view.files)} files · {formatBytes(view.size)}
        </Text>
        <div className="tree-tools">
          {/* The explorer's own controls, disabled until it is there: the same toolbar, so nothing moves then. */}
          <TextField.Root size="1" className="tree-search" placeholder="Reading the index…" aria-label="Search paths by text or glob" disabled>
            <TextField.Slot>
              <Search size={12} aria-hidden />
            </TextField.Slot>
          </TextField.Root>
          <Text as="label" size="1" className="tree-switch nowrap">
            <Checkbox size="1" checked={false} disabled />
            Only this layer’s changes
          </Text>
          <SegmentedControl.Root size="1" value="size" aria-label="Sort by" className="tree-sort" disabled>
            <SegmentedControl.Item value="size">Size</SegmentedControl.Item>
            <SegmentedControl.Item value="name">Name</SegmentedControl.Item>
          </SegmentedControl.Root>
          <IconButton size="1" variant="ghost" color="gray" aria-label="Collapse all" className="tree-collapse" disabled>
            <ChevronsDownUp size={14} />
          </IconButton>
          <IconButton size="1" variant="soft" color="gray" className="tree-more" aria-label="More tree options" disabled>
            <Ellipsis size={14} aria-hidden />
          </IconButton>
        </div>
      </div>
      <TreeHead />
      <div className="tree-scroll">
        <div role="tree" aria-label="Files" className="tree" style={{ height: view.rows.length * TREE_ROW_HEIGHT }} data-rows={view.rows.length}>
          {view.rows.map((r, i) => {
            const type = r.dir ? TYPE_DIR : r.type
            return (
              <Row
                key={r.node}
                node={r.node}
                index={i}
                start={i * TREE_ROW_HEIGHT}
                depth={0}
                name={r.name}
                path={`/${r.name}`}
                dir={r.dir}
                open={false}
                expandable={r.expandable}
                type={type}
                mark={r.mark}
                inside={r.inside}
                removed={false}
                match={false}
                range={null}
                selected={r.node === pending}
                size={r.size}
                mode={r.mode !== null ? formatMode(type, r.mode) : r.dir ? 'd---------' : ''}
                owner={r.uid !== null ? `${r.uid}:${r.gid}` : ''}
                link={r.type === TYPE_SYMLINK ? r.link : r.type === TYPE_HARDLINK ? `${r.link} (hard link)` : ''}
                onClick={onClick}
              />
            )
          })}
        </div>
      </div>
      <MarkLegend />
    </section>
  )
}

function Tree({ ex }: { ex: Explorer }) {
  const toggleNode = useApp((s) => s.toggleNode)
  const setNodeOpen = useApp((s) => s.setNodeOpen)
  const selectNode = useApp((s) => s.selectNode)
  const setQuery = useApp((s) => s.setTreeQuery)
  const setSort = useApp((s) => s.setTreeSort)
  const setChangesOnly = useApp((s) => s.setChangesOnly)
  const collapseAll = useApp((s) => s.collapseAll)
  const scrollRef = useRef<HTMLDivElement>(null)
  const treeRef = useRef<HTMLDivElement>(null)
  const pointerFocus = useRef(false)
  const { model, view, rows, filter, selected } = ex
  const open = rowOptions(ex).expanded
  const count = rows.node.length

  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TREE_ROW_HEIGHT,
    overscan: 16,
  })

  const selectedRow = useMemo(() => (selected >= 0 ? rows.node.indexOf(selected) : -1), [rows, selected])

  // Scroll the selection into view when something outside the tree asked for it (a search hit, a list click).
  useEffect(() => {
    if (ex.reveal > 0 && selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'center' })
    // Only on a new reveal request, not on every selection move.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ex.reveal])

  const layerInfo = model.index.layers[ex.layer]
  const select = (row: number) => {
    const r = Math.max(0, Math.min(count - 1, row))
    const node = rows.node[r]
    if (node === undefined) return
    selectNode(node)
    virtualizer.scrollToIndex(r, { align: 'auto' })
  }

  // Stable, so rows that did not change skip rendering.
  const onClick = useCallback(
    (node: number, toggle: boolean) => {
      selectNode(node)
      if (toggle) toggleNode(node)
      treeRef.current?.focus({ preventScroll: true })
    },
    [selectNode, toggleNode],
  )

  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = selectedRow
    const node = at >= 0 ? (rows.node[at] as number) : -1
    const isDir = node >= 0 && view.dir[node] === 1
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / TREE_ROW_HEIGHT) - 1)
    switch (e.key) {
      case 'ArrowDown':
        select(at + 1)
        break
      case 'ArrowUp':
        select(at < 0 ? 0 : at - 1)
        break
      case 'Home':
        select(0)
        break
      case 'End':
        select(count - 1)
        break
      case 'PageDown':
        select(at + page)
        break
      case 'PageUp':
        select(at - page)
        break
      case 'ArrowRight':
        if (!isDir) return
        if (!open[node]) setNodeOpen(node, true)
        else if ((rows.depth[at + 1] ?? 0) > (rows.depth[at] ?? 0)) select(at + 1)
        break
      case 'ArrowLeft': {
        if (isDir && open[node]) setNodeOpen(node, false)
        else if (node >= 0) {
          const p = model.parent[node] as number
          const pr = p > 0 ? rows.node.indexOf(p) : -1
          if (pr >= 0) select(pr)
        }
        break
      }
      case 'Enter':
      case ' ':
        if (isDir) toggleNode(node)
        else if (at < 0) select(0)
        break
      default:
        return
    }
    e.preventDefault()
  }

  const firstMatchRow = () => {
    if (!filter) return 0
    for (let r = 0; r < count; r++) if (filter.match[rows.node[r] as number]) return r
    return 0
  }

  const items = virtualizer.getVirtualItems()
  const root = view.size[0] ?? 0
  const files = view.files[0] ?? 0

  return (
    <section className="panel ex-panel tree-panel" aria-labelledby="tree-title">
      <div className="panel-header ex-header tree-toolbar">
        <Text id="tree-title" size="2" weight="medium" className="nowrap">
          Files
        </Text>
        <Text size="1" color="gray" className="tabular nowrap tree-asof" data-testid="tree-layer">
          as of layer {ex.layer + 1} of {model.layerCount} · {formatInt(files)} files · {formatBytes(root)}
        </Text>
        <div className="tree-tools">
          <TextField.Root
            size="1"
            className="tree-search"
            placeholder="Search paths: text, *.so, /usr/**/lib"
            aria-label="Search paths by text or glob"
            value={ex.query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                if (ex.query) {
                  e.preventDefault()
                  setQuery('')
                }
              } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                e.preventDefault()
                treeRef.current?.focus()
                select(firstMatchRow())
              }
            }}
            data-testid="tree-search"
          >
            <TextField.Slot>
              <Search size={12} aria-hidden />
            </TextField.Slot>
            {ex.query && (
              <TextField.Slot>
                <Text size="1" color={filter && filter.matchCount === 0 ? 'red' : 'gray'} className="tabular nowrap" data-testid="tree-matches">
                  {filter ? (filter.matchCount === 0 ? 'no match' : `${formatInt(filter.matchCount)} ${filter.matchCount === 1 ? 'match' : 'matches'}`) : ''}
                </Text>
                <IconButton size="1" variant="ghost" color="gray" aria-label="Clear the search" onClick={() => setQuery('')}>
                  <X size={12} />
                </IconButton>
              </TextField.Slot>
            )}
          </TextField.Root>
          <Text as="label" size="1" className="tree-switch nowrap">
            <Checkbox size="1" checked={ex.changesOnly} onCheckedChange={(v) => setChangesOnly(v === true)} />
            Only this layer’s changes
          </Text>
          <SegmentedControl.Root size="1" value={ex.sort} onValueChange={(v) => setSort(v as SortKey)} aria-label="Sort by" className="tree-sort">
            <SegmentedControl.Item value="size">Size</SegmentedControl.Item>
            <SegmentedControl.Item value="name">Name</SegmentedControl.Item>
          </SegmentedControl.Root>
          <Tooltip content="Collapse all">
            <IconButton size="1" variant="ghost" color="gray" aria-label="Collapse all" onClick={collapseAll} className="tree-collapse">
              <ChevronsDownUp size={14} />
            </IconButton>
          </Tooltip>
          {/* A narrow panel folds these into ⋯ (container query) instead of wrapping to three rows. */}
          <OverflowMenu label="More tree options" className="tree-more" testId="tree-more">
            <DropdownMenu.CheckboxItem className="tree-more-changes" checked={ex.changesOnly} onCheckedChange={(v) => setChangesOnly(v === true)}>
              Only this layer’s changes
            </DropdownMenu.CheckboxItem>
            <DropdownMenu.Label>Sort by</DropdownMenu.Label>
            <DropdownMenu.RadioGroup value={ex.sort} onValueChange={(v) => setSort(v as SortKey)}>
              <DropdownMenu.RadioItem value="size">Size</DropdownMenu.RadioItem>
              <DropdownMenu.RadioItem value="name">Name</DropdownMenu.RadioItem>
            </DropdownMenu.RadioGroup>
            <DropdownMenu.Separator />
            <DropdownMenu.Item onSelect={collapseAll}>Collapse all</DropdownMenu.Item>
          </OverflowMenu>
        </div>
      </div>
      <TreeHead />
      <div ref={scrollRef} className="tree-scroll">
        {count === 0 ? (
          <div className="tree-empty">
            <Text size="2" color="gray">
              {ex.query.trim()
                ? `No path ${ex.changesOnly ? 'changed in this layer ' : ''}matches “${ex.query.trim()}”.`
                : ex.changesOnly
                  ? 'This layer changes no files.'
                  : 'The file system is empty at this layer.'}
            </Text>
            {layerInfo && ex.changesOnly && !ex.query.trim() && layerInfo.entryCount === 0 && (
              <Text size="1" color="gray">
                It is an empty layer.
              </Text>
            )}
          </div>
        ) : (
          <div
            ref={treeRef}
            role="tree"
            aria-label="Files"
            aria-multiselectable={false}
            tabIndex={0}
            className="tree"
            style={{ height: virtualizer.getTotalSize() }}
            aria-activedescendant={selectedRow >= 0 ? `tree-node-${selected}` : undefined}
            onKeyDown={onKeyDown}
            onMouseDown={() => (pointerFocus.current = true)}
            onFocus={(e) => {
              // Tabbing in selects the first row; a click selects what it hits instead.
              const byPointer = pointerFocus.current
              pointerFocus.current = false
              if (!byPointer && e.target === e.currentTarget && selectedRow < 0 && count > 0) selectNode(rows.node[0] as number)
            }}
            data-rows={count}
          >
            {items.map((item) => {
              const node = rows.node[item.index] as number
              const depth = rows.depth[item.index] as number
              const dir = view.dir[node] === 1
              const type = model.entryType(view, node)
              const meta = model.entryMeta(view, node)
              // Search hits are highlighted; "only changes" alone filters without highlighting.
              const match = filter?.matcher != null && filter.match[node] === 1
              const name = model.name(node)
              return (
                <Row
                  key={node}
                  node={node}
                  index={item.index}
                  start={item.start}
                  depth={depth}
                  name={name}
                  path={model.path(node)}
                  dir={dir}
                  open={dir && open[node] === 1}
                  expandable={dir && model.hasVisibleChildren(view, node, filter)}
                  type={dir ? TYPE_DIR : type}
                  mark={view.mark[node] as number}
                  inside={dir ? (view.changesBelow[node] as number) : 0}
                  removed={view.present[node] === REMOVED_HERE}
                  match={match}
                  range={match ? matchRange(name, filter?.matcher ?? null) : null}
                  selected={node === selected}
                  size={view.size[node] as number}
                  mode={meta ? formatMode(dir ? TYPE_DIR : type, meta.mode) : dir ? 'd---------' : ''}
                  owner={meta ? `${meta.uid}:${meta.gid}` : ''}
                  link={meta && type === TYPE_SYMLINK ? meta.link : meta && type === TYPE_HARDLINK ? `${meta.link} (hard link)` : ''}
                  onClick={onClick}
                />
              )
            })}
          </div>
        )}
      </div>
      <MarkLegend />
    </section>
  )
}

/** The tree's column headings (the first view's and the explorer's, so nothing moves when one replaces the other). */
function TreeHead() {
  return (
    <div className="tree-head" aria-hidden="true">
      <span className="tree-name">Name</span>
      <span className="change-mark" />
      <span className="tree-mode">Mode</span>
      <span className="tree-owner">UID:GID</span>
      <span className="tree-size">Size</span>
    </div>
  )
}
