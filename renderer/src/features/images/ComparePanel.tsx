import { Button, Flex, IconButton, Progress, SegmentedControl, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowLeftRight, ChevronRight, CircleAlert, File, Folder, FolderOpen, GitCompareArrows } from 'lucide-react'
import { Fragment, useEffect, useMemo, useRef, useState } from 'react'
import { formatBytes, formatCount } from '../../../../shared/format'
import { childCount, largestDifferences, type DiffEntry, type TreeComparison } from '../../../../shared/layers/compare'
import { EmptyState } from '../../components/EmptyState'
import { FixText } from '../../components/FixText'
import { useApp } from '../../stores'
import { ChangeMark } from './ChangeMark'
import { metadataRows } from './compare-picker'
import { openImageOf } from './image-labels'
import { ImagePicker } from './ImagePicker'
import { PathText } from './Insights'
import { MARK_ADDED, MARK_MODIFIED, MARK_REMOVED } from './layer-model'
import { useImageDetails } from './use-image-details'

const ROW = 22
const KIND_MARK = { onlyA: MARK_REMOVED, onlyB: MARK_ADDED, changed: MARK_MODIFIED, dir: 0 } as const

/** The A or B chip that names a side of the comparison everywhere on the panel. */
function Side({ ab }: { ab: 'A' | 'B' }) {
  return (
    <span className="ab-chip" data-side={ab} aria-hidden="true">
      {ab}
    </span>
  )
}

const files = (n: number) => formatCount(n, 'file')

/** Bytes with a sign: `+1.2 MB`, `−340 kB`, `0 B`. */
export function formatDelta(bytes: number): string {
  if (bytes === 0) return '0 B'
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`
}

interface FlatRow {
  entry: DiffEntry
  depth: number
}

function flatten(root: DiffEntry, open: Set<string>): FlatRow[] {
  const out: FlatRow[] = []
  const walk = (e: DiffEntry, depth: number) => {
    for (const c of e.children) {
      out.push({ entry: c, depth })
      if (c.dir && open.has(c.path)) walk(c, depth + 1)
    }
  }
  walk(root, 0)
  return out
}

/** Directories open at first: small ones on the two top levels, so the big differences are in sight and none floods the list. */
function initiallyOpen(root: DiffEntry): Set<string> {
  const open = new Set<string>()
  const small = (e: DiffEntry) => e.dir && childCount(e) <= 12
  for (const c of root.children) {
    if (!small(c)) continue
    open.add(c.path)
    for (const g of c.children) if (small(g)) open.add(g.path)
  }
  return open
}

/** Compare the open image's final tree with another image's: what only one has, what differs in size. */
export function ComparePanel() {
  const open = useApp((s) => s.images.open)
  const list = useApp((s) => s.images.list)
  const compare = useApp((s) => s.images.compare)
  const compareWith = useApp((s) => s.compareWith)
  const cancel = useApp((s) => s.cancelIndex)
  const loadImages = useApp((s) => s.loadImages)

  useEffect(() => {
    if (list === null) void loadImages()
  }, [list, loadImages])

  const picked = (list ?? []).find((i) => i.id === compare.image?.id) ?? null
  const swap = useApp((s) => s.swapCompare)
  const [view, setView] = useState<'files' | 'metadata'>('files')
  const job = compare.job
  const progress = job.status === 'running' ? job.progress : null
  const ratio = progress && progress.bytesExpected > 0 ? Math.min(1, progress.bytesRead / progress.bytesExpected) : 0

  return (
    <div className="compare">
      <div className="compare-bar">
        <GitCompareArrows size={14} className="compare-icon" aria-hidden />
        <Text size="2" className="compare-sentence">
          Compare <Side ab="A" /> <strong className="compare-a">{open?.label}</strong> with <Side ab="B" />
        </Text>
        {open && <ImagePicker list={list ?? []} openId={open.id} value={picked} label="Image to compare with" onPick={(i) => compareWith(openImageOf(i))} />}
        <Tooltip content="Swap A and B">
          <IconButton size="1" variant="ghost" color="gray" aria-label="Swap A and B" onClick={swap} disabled={!compare.image}>
            <ArrowLeftRight size={14} aria-hidden />
          </IconButton>
        </Tooltip>
        {compare.image && (
          <SegmentedControl.Root size="1" value={view} onValueChange={(v) => setView(v as 'files' | 'metadata')} aria-label="Compare" className="compare-view">
            <SegmentedControl.Item value="files">Files</SegmentedControl.Item>
            <SegmentedControl.Item value="metadata">Metadata</SegmentedControl.Item>
          </SegmentedControl.Root>
        )}
        {job.status === 'running' && (
          <Flex align="center" gap="2" className="compare-progress">
            <Progress size="1" value={ratio * 100} className="compare-progress-bar" aria-label="Indexing the other image" />
            <Text size="1" color="gray" className="tabular nowrap">
              {progress?.phase === 'reading' ? `${formatBytes(progress.bytesRead)} of ~${formatBytes(progress.bytesExpected)}` : 'Asking Docker…'}
            </Text>
            <Button size="1" variant="ghost" color="gray" onClick={() => cancel('compare')}>
              Cancel
            </Button>
          </Flex>
        )}
        {job.status === 'loading' && <Spinner size="1" />}
      </div>
      {compare.image && open && view === 'metadata' ? (
        <CompareMetadata a={open.id} b={compare.image.id} />
      ) : compare.result && compare.image ? (
        <ComparisonView result={compare.result} aLabel={open?.label ?? 'this image'} bLabel={compare.image.label} />
      ) : job.status === 'failed' ? (
        <div className="iv-state" role="alert">
          <EmptyState icon={<CircleAlert size={22} strokeWidth={1.5} />} title={job.cancelled ? 'Cancelled' : job.error.message}>
            {!job.cancelled && job.error.detail ? <FixText text={job.error.detail} /> : null}
          </EmptyState>
        </div>
      ) : job.status === 'idle' ? (
        <div className="iv-state">
          <EmptyState icon={<GitCompareArrows size={22} strokeWidth={1.5} />} title="Choose an image to compare with">
            For example the same project built on another base: you see which files only one of them ships, which differ in size, and how many bytes each
            folder adds or saves.
          </EmptyState>
        </div>
      ) : null}
    </div>
  )
}

function ComparisonView({ result, aLabel, bLabel }: { result: TreeComparison; aLabel: string; bLabel: string }) {
  const [mode, setMode] = useState<'tree' | 'files'>('tree')
  const [openDirs, setOpenDirs] = useState(() => initiallyOpen(result.root))
  const [seen, setSeen] = useState(result)
  const [active, setActive] = useState(-1)
  if (seen !== result) {
    // A new comparison: start from its own first view (React's "adjust state on prop change").
    setSeen(result)
    setOpenDirs(initiallyOpen(result.root))
    setActive(-1)
  }
  const rows = useMemo<FlatRow[]>(
    () => (mode === 'tree' ? flatten(result.root, openDirs) : largestDifferences(result, 500).map((entry) => ({ entry, depth: 0 }))),
    [mode, result, openDirs],
  )
  const scrollRef = useRef<HTMLDivElement>(null)
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 })
  const setOpen = (path: string, open: boolean) =>
    setOpenDirs((prev) => {
      if (prev.has(path) === open) return prev
      const next = new Set(prev)
      if (open) next.add(path)
      else next.delete(path)
      return next
    })
  const toggle = (path: string) => setOpen(path, !openDirs.has(path))
  const moveTo = (i: number) => {
    const to = Math.max(0, Math.min(rows.length - 1, i))
    setActive(to)
    virtualizer.scrollToIndex(to, { align: 'auto' })
  }
  // The same keys as the file tree: ↑↓ Home End move, → opens or steps in, ← closes or steps out, Enter toggles.
  const onKeyDown = (e: React.KeyboardEvent) => {
    const row = rows[active]
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW) - 1)
    const isDir = mode === 'tree' && row?.entry.dir === true && childCount(row.entry) > 0
    const isOpen = isDir && openDirs.has(row.entry.path)
    switch (e.key) {
      case 'ArrowDown':
        moveTo(active + 1)
        break
      case 'ArrowUp':
        moveTo(active - 1)
        break
      case 'Home':
        moveTo(0)
        break
      case 'End':
        moveTo(rows.length - 1)
        break
      case 'PageDown':
        moveTo(active + page)
        break
      case 'PageUp':
        moveTo(active - page)
        break
      case 'ArrowRight':
        if (isDir && !isOpen) setOpen(row.entry.path, true)
        else if (isOpen) moveTo(active + 1)
        break
      case 'ArrowLeft':
        if (isOpen) setOpen(row.entry.path, false)
        else if (row && row.depth > 0) {
          let i = active - 1
          while (i > 0 && (rows[i]?.depth ?? 0) >= row.depth) i--
          moveTo(i)
        }
        break
      case 'Enter':
      case ' ':
        if (isDir) toggle(row.entry.path)
        break
      default:
        return
    }
    e.preventDefault()
  }
  const identical = result.root.children.length === 0

  return (
    <div className="compare-body">
      <dl className="iv-summary compare-summary" aria-label="Comparison summary">
        <div className="iv-metric" title={aLabel}>
          <dt>
            <Side ab="A" /> Size
          </dt>
          <dd className="tabular">{formatBytes(result.sizeA)}</dd>
        </div>
        <div className="iv-metric" title={bLabel}>
          <dt>
            <Side ab="B" /> Size
          </dt>
          <dd className="tabular">{formatBytes(result.sizeB)}</dd>
        </div>
        <div className="iv-metric" data-testid="compare-delta">
          <dt>B − A</dt>
          <dd className="tabular">
            {formatDelta(result.delta)}
            {result.sizeA > 0 && (
              <span className="iv-unit">
                {' '}
                {result.delta > 0 ? '+' : result.delta < 0 ? '−' : ''}
                {Math.abs((result.delta / result.sizeA) * 100).toFixed(1)} %
              </span>
            )}
          </dd>
        </div>
        <div className="iv-metric">
          <dt>
            <ChangeMark mark={MARK_REMOVED} /> Only in A
          </dt>
          <dd className="tabular">
            {files(result.onlyA.files)} <span className="iv-unit">· {formatBytes(result.onlyA.bytes)}</span>
          </dd>
        </div>
        <div className="iv-metric">
          <dt>
            <ChangeMark mark={MARK_ADDED} /> Only in B
          </dt>
          <dd className="tabular">
            {files(result.onlyB.files)} <span className="iv-unit">· {formatBytes(result.onlyB.bytes)}</span>
          </dd>
        </div>
        <div className="iv-metric">
          <dt>
            <ChangeMark mark={MARK_MODIFIED} /> Size differs
          </dt>
          <dd className="tabular">
            {files(result.changed.files)} <span className="iv-unit">· {formatDelta(result.changed.bytesB - result.changed.bytesA)}</span>
          </dd>
        </div>
      </dl>
      <section className="panel ex-panel compare-panel" aria-label="Differences">
        <div className="panel-header ex-header">
          <Text size="2" weight="medium">
            Differences
          </Text>
          <Text size="1" color="gray" className="nowrap compare-legend">
            largest first · − only in A · + only in B · ~ size differs
          </Text>
          <SegmentedControl.Root size="1" value={mode} onValueChange={(v) => setMode(v as 'tree' | 'files')} className="compare-mode" aria-label="Show">
            <SegmentedControl.Item value="tree">By folder</SegmentedControl.Item>
            <SegmentedControl.Item value="files">Largest files</SegmentedControl.Item>
          </SegmentedControl.Root>
        </div>
        <div className="tree-head compare-head" aria-hidden="true">
          <span className="tree-name">{mode === 'tree' ? 'Path' : 'File'}</span>
          <span className="change-mark" />
          <span className="compare-num" title={aLabel}>
            A
          </span>
          <span className="compare-num" title={bLabel}>
            B
          </span>
          <span className="compare-num">B − A</span>
        </div>
        <div ref={scrollRef} className="tree-scroll">
          {identical ? (
            <div className="tree-empty">
              <Text size="2" color="gray">
                The two file systems hold the same paths at the same sizes.
              </Text>
            </div>
          ) : (
            <div
              role={mode === 'tree' ? 'tree' : 'listbox'}
              aria-label="Differences"
              className="tree"
              tabIndex={0}
              style={{ height: virtualizer.getTotalSize() }}
              aria-activedescendant={active >= 0 && active < rows.length ? `diff-row-${active}` : undefined}
              onKeyDown={onKeyDown}
              onFocus={(e) => {
                if (e.target === e.currentTarget && (active < 0 || active >= rows.length)) setActive(0)
              }}
            >
              {virtualizer.getVirtualItems().map((item) => {
                const { entry: e, depth } = rows[item.index] as FlatRow
                const isOpen = e.dir && openDirs.has(e.path)
                const Icon = e.dir ? (isOpen ? FolderOpen : Folder) : File
                return (
                  <div
                    key={`${e.kind}:${e.path}`}
                    id={`diff-row-${item.index}`}
                    role={mode === 'tree' ? 'treeitem' : 'option'}
                    aria-selected={item.index === active}
                    aria-level={mode === 'tree' ? depth + 1 : undefined}
                    aria-expanded={mode === 'tree' && e.dir ? isOpen : undefined}
                    className="tree-row compare-row"
                    data-tone={e.kind === 'onlyA' ? 'removed' : e.kind === 'onlyB' ? 'added' : e.kind === 'changed' ? 'modified' : undefined}
                    style={{ transform: `translateY(${item.start}px)` }}
                    onClick={() => {
                      setActive(item.index)
                      if (mode === 'tree' && e.dir) toggle(e.path)
                    }}
                  >
                    <span className="tree-name" style={{ paddingLeft: 6 + depth * 14 }}>
                      {mode === 'tree' ? (
                        <>
                          <span className="tree-chevron" data-open={isOpen || undefined} aria-hidden="true">
                            {e.dir && childCount(e) > 0 ? <ChevronRight size={12} /> : null}
                          </span>
                          <Icon size={13} className="tree-icon" data-dir={e.dir || undefined} aria-hidden />
                          <span className="tree-label">
                            {e.name}
                            {e.dir && e.files > 0 && <span className="tree-link"> {files(e.files)}</span>}
                          </span>
                        </>
                      ) : (
                        <PathText path={e.path} />
                      )}
                    </span>
                    <ChangeMark mark={KIND_MARK[e.kind]} />
                    <span className="compare-num tabular">{e.kind === 'onlyB' ? '—' : formatBytes(e.sizeA)}</span>
                    <span className="compare-num tabular">{e.kind === 'onlyA' ? '—' : formatBytes(e.sizeB)}</span>
                    <span className="compare-num compare-delta tabular" data-sign={e.delta > 0 ? 'plus' : e.delta < 0 ? 'minus' : undefined}>
                      {formatDelta(e.delta)}
                    </span>
                  </div>
                )
              })}
            </div>
          )}
        </div>
      </section>
    </div>
  )
}

/** The two images' platform and configuration side by side; rows that differ are marked. */
function CompareMetadata({ a, b }: { a: string; b: string }) {
  const A = useImageDetails(a)
  const B = useImageDetails(b)
  const error = A.error ?? B.error
  if (error)
    return (
      <div className="iv-state" role="alert">
        <EmptyState icon={<CircleAlert size={22} strokeWidth={1.5} />} title={error.message}>
          {error.detail ? <FixText text={error.detail} /> : null}
        </EmptyState>
      </div>
    )
  if (!A.details || !B.details)
    return (
      <div className="iv-state">
        <Spinner size="2" />
      </div>
    )
  const rows = metadataRows(A.details, B.details)
  const differ = rows.filter((r) => !r.same).length
  return (
    <div className="meta-compare" data-testid="compare-metadata">
      <Text as="p" size="1" color="gray" className="meta-summary">
        {differ === 0 ? 'The same configuration.' : `${differ} of ${rows.length} ${rows.length === 1 ? 'field differs' : 'fields differ'}.`}
      </Text>
      <table className="meta-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">
              <Side ab="A" />
            </th>
            <th scope="col">
              <Side ab="B" />
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const head = r.group !== rows[i - 1]?.group
            return (
              <Fragment key={`${r.group}-${r.key}`}>
                {head && (
                  <tr className="meta-group">
                    <th colSpan={3} scope="rowgroup">
                      {r.group}
                    </th>
                  </tr>
                )}
                <tr data-differs={r.same ? undefined : true} data-key={r.key}>
                  <th scope="row" className="meta-key">
                    {!r.same && <ChangeMark mark={MARK_MODIFIED} title="differs" />}
                    {r.key}
                  </th>
                  <td className="meta-val">{r.a === null ? <span className="meta-none">—</span> : r.a || <span className="meta-none">(empty)</span>}</td>
                  <td className="meta-val">{r.b === null ? <span className="meta-none">—</span> : r.b || <span className="meta-none">(empty)</span>}</td>
                </tr>
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
