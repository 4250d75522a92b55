import './images.css'
import { IconButton, SegmentedControl, Select, Spinner, TextField, Tooltip } from '@radix-ui/themes'
import { RefreshCw, Search } from 'lucide-react'
import { Suspense, useEffect, useMemo, useRef, useState } from 'react'
import { formatCount } from '../../../../shared/format'
import { lazyPart } from '../../components/lazy-part'
import { useApp } from '../../stores'
import { EngineActivity } from '../engine/EngineActivity'
import { EnginePanel } from '../engine/EnginePanel'
import { ContainersTable } from '../run/ContainersTable'
import { PageToolbar } from '../shell/PageToolbar'
import { imagesSubtitle, type ImageShow, type ImageSort } from './image-sort'
import { loadTablePrefs, saveTablePrefs } from './table-prefs'
import { ImageTable } from './ImageTable'
import { SlipwayImages } from './SlipwayImages'

// The image view (explorer, tree, comparison) loads with the Images page, not on the first open: on a
// fresh page the chunk's load sat between the click and the tree.
const ImageView = lazyPart(() => import('./ImageView'), (m) => m.ImageView, { preload: true })

/**
 * Images: the engine's images in a table; one opened shows its layers and files. The engine itself
 * is a tab away. The table stays mounted (hidden) while an image is open, so going back finds it as
 * it was: scroll, highlighted row, sort.
 */
export function ImagesPage() {
  const open = useApp((s) => s.images.open !== null)
  return (
    <>
      <div className="images-list-page" style={{ display: open ? 'none' : 'contents' }}>
        <ImageListPage hidden={open} />
      </div>
      {open && (
        <Suspense fallback={null}>
          <ImageView />
        </Suspense>
      )}
    </>
  )
}

function ImageListPage({ hidden }: { hidden: boolean }) {
  const tab = useApp((s) => s.images.tab)
  const setTab = useApp((s) => s.setImagesTab)
  const connected = useApp((s) => s.engine.state?.status === 'connected')
  const loadImages = useApp((s) => s.loadImages)
  const loadSlipway = useApp((s) => s.loadSlipwayImages)
  const loading = useApp((s) => (s.images.tab === 'slipway' ? s.images.slipwayLoading : s.images.listLoading))
  const slipwayCount = useApp((s) => s.images.slipway?.reduce((n, p) => n + p.bases.reduce((m, b) => m + b.images.length, 0), 0))
  const list = useApp((s) => s.images.list)
  const filter = useApp((s) => s.images.filter)
  const setFilter = useApp((s) => s.setImageFilter)
  const filterRef = useRef<HTMLInputElement>(null)
  const running = useApp((s) => s.run.containers?.filter((c) => c.state === 'running').length ?? 0)

  const loadContainers = useApp((s) => s.loadContainers)
  useEffect(() => {
    if (connected) void Promise.all([loadImages(), loadContainers()])
  }, [connected, loadImages, loadContainers])

  // "/" finds, as in most desktop lists, unless the person is typing somewhere.
  useEffect(() => {
    if (hidden) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return
      const t = e.target as HTMLElement | null
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return
      e.preventDefault()
      filterRef.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [hidden])

  const [prefs, setPrefs] = useState(loadTablePrefs)
  const setSort = (sort: ImageSort) => setPrefs((p) => (saveTablePrefs(sort, p.show), { ...p, sort }))
  const setShow = (show: ImageShow) => setPrefs((p) => (saveTablePrefs(p.sort, show), { ...p, show }))
  const subtitle = useMemo(() => {
    if (list === null) return undefined
    // The count first and whole; what it holds (in use, dangling) gives way on a narrow window.
    const [count, ...more] = imagesSubtitle(list, filter, prefs.show).split(' · ')
    return (
      <>
        <span className="images-count" data-testid="images-count">
          {count}
        </span>
        {more.length > 0 && <span className="images-count-more"> · {more.join(' · ')}</span>}
      </>
    )
  }, [list, filter, prefs.show])

  return (
    <>
      <PageToolbar
        title="Images"
        subtitle={
          tab === 'images'
            ? subtitle
            : tab === 'slipway'
              ? slipwayCount === undefined
                ? 'Built by Slipway'
                : `${formatCount(slipwayCount, 'image')} built by Slipway`
              : tab === 'containers'
                ? 'Started by Slipway'
                : 'The engine they live on'
        }
        actions={
          <>
            {tab === 'images' && (
              <TextField.Root
                ref={filterRef}
                size="1"
                className="images-filter"
                placeholder="Filter by tag or id"
                aria-label="Filter images by tag or id"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && filter) {
                    e.preventDefault()
                    setFilter('')
                  } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                    e.preventDefault()
                    document.getElementById('image-table')?.focus()
                  }
                }}
              >
                <TextField.Slot>
                  <Search size={13} aria-hidden />
                </TextField.Slot>
              </TextField.Root>
            )}
            {tab === 'images' && (
              <Select.Root size="1" value={prefs.show} onValueChange={(v) => setShow(v as ImageShow)}>
                <Select.Trigger variant="soft" color="gray" aria-label="Which images" className="images-show" />
                <Select.Content position="popper">
                  <Select.Item value="all">All images</Select.Item>
                  <Select.Item value="in-use">In use</Select.Item>
                  <Select.Item value="unused">Not in use</Select.Item>
                  <Select.Item value="dangling">Dangling</Select.Item>
                </Select.Content>
              </Select.Root>
            )}
            <SegmentedControl.Root size="1" value={tab} onValueChange={(v) => setTab(v as typeof tab)} aria-label="Show">
              <SegmentedControl.Item value="images">Images</SegmentedControl.Item>
              <SegmentedControl.Item value="slipway">Slipway</SegmentedControl.Item>
              <SegmentedControl.Item value="containers">Containers{running ? ` (${running})` : ''}</SegmentedControl.Item>
              <SegmentedControl.Item value="engine">Engine</SegmentedControl.Item>
            </SegmentedControl.Root>
            <Tooltip content="Refresh the list">
              <IconButton size="1" variant="ghost" color="gray" aria-label="Refresh the list" onClick={() => void (tab === 'slipway' ? loadSlipway() : loadImages())} disabled={loading || !connected}>
                <Spinner loading={loading} size="1">
                  <RefreshCw size={14} aria-hidden />
                </Spinner>
              </IconButton>
            </Tooltip>
          </>
        }
      />
      {tab === 'images' ? (
        <ImageTable sort={prefs.sort} show={prefs.show} onSort={setSort} onShow={setShow} />
      ) : tab === 'slipway' ? (
        <SlipwayImages />
      ) : tab === 'containers' ? (
        <ContainersTable />
      ) : (
        <div className="page-body">
          <div className="images-layout images-layout-engine">
            <EnginePanel />
            <EngineActivity />
          </div>
        </div>
      )}
    </>
  )
}
