import { Button, Flex, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { ArrowDown, ArrowUp, Layers, SearchX, Unplug } from 'lucide-react'
import { memo, useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import { formatBytes, formatCount, shortId } from '../../../../shared/format'
import type { ImageSummary } from '../../../../shared/types/images'
import { EmptyState } from '../../components/EmptyState'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { imageAge, leadingTag, openImageOf, splitTag } from './image-labels'
import { nextSort, tableRows, type ImageColumn, type ImageShow, type ImageSort } from './image-sort'

/** How the in-use/dangling choice reads in a sentence. */
export const SHOW_WORDS: Record<ImageShow, string> = { all: '', 'in-use': 'in-use', unused: 'unused', dangling: 'dangling' }

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const Row = memo(function Row({
  image,
  lead,
  active,
  now,
  onPick,
  onOpen,
}: {
  image: ImageSummary
  lead: string
  active: boolean
  now: number
  onPick: (id: string) => void
  onOpen: (image: ImageSummary) => void
}) {
  const [repo, tag] = splitTag(lead)
  const others = image.repoTags.filter((t) => t !== lead)
  const more = others.length
  const age = imageAge(image.created, now, (t) => absolute.format(t))
  return (
    <div
      role="row"
      id={`image-row-${shortId(image.id)}`}
      className="itable-row"
      aria-selected={active}
      data-image={image.id}
      data-size={image.sizeBytes}
      onMouseDown={() => onPick(image.id)}
      // One click opens, as in Docker Desktop; the keyboard moves first and opens with Enter.
      onClick={() => onOpen(image)}
    >
      <span role="gridcell" className="itable-name">
        {image.repoTags.length === 0 ? (
          <>
            <span className="itable-untagged">&lt;none&gt;</span>
            {image.dangling && (
              <Tooltip content="No tag and no digest: usually what an older build of a tag left behind. docker image prune removes these.">
                <span className="itable-badge" data-kind="dangling">
                  dangling
                </span>
              </Tooltip>
            )}
          </>
        ) : (
          <>
            <span className="itable-repo">{repo}</span>
            {tag && <span className="itable-tag">:{tag}</span>}
            {more > 0 && (
              <Tooltip content={others.join(', ')}>
                <span className="itable-more">+{more}</span>
              </Tooltip>
            )}
          </>
        )}
      </span>
      <span role="gridcell" className="itable-id">
        {shortId(image.id)}
      </span>
      <span role="gridcell" className="itable-created" title={age.title}>
        {age.text}
      </span>
      <span role="gridcell" className="itable-use" data-in-use={image.containers > 0 || undefined}>
        {image.containers > 0 ? formatCount(image.containers, 'container') : <span className="itable-quiet">—</span>}
      </span>
      <span role="gridcell" className="itable-size">
        {formatBytes(image.sizeBytes)}
      </span>
    </div>
  )
})

const COLUMNS: { column: ImageColumn; label: string; className?: string }[] = [
  { column: 'name', label: 'Repository : tag' },
  { column: 'id', label: 'Image ID' },
  { column: 'created', label: 'Created' },
  { column: 'use', label: 'In use' },
  { column: 'size', label: 'Size', className: 'itable-size' },
]

/** A column header that sorts by click or Enter/Space (a real button), saying its order to assistive tech. */
function SortHeader({ column, label, className, sort, onSort }: { column: ImageColumn; label: string; className?: string; sort: ImageSort; onSort: (s: ImageSort) => void }) {
  const active = sort.column === column
  const Arrow = sort.dir === 'asc' ? ArrowUp : ArrowDown
  return (
    <span role="columnheader" className={className} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="itable-sort" data-active={active || undefined} onClick={() => onSort(nextSort(sort, column))}>
        {label}
        {active ? <Arrow size={12} aria-hidden /> : <span className="itable-sort-gap" aria-hidden />}
      </button>
    </span>
  )
}

/**
 * The engine's images: filterable by text and by in use / dangling, sorted by any column (click or
 * keyboard, remembered), keyboard-driven (↑↓ Home End, Enter opens).
 */
export function ImageTable({ sort, show, onSort, onShow }: { sort: ImageSort; show: ImageShow; onSort: (s: ImageSort) => void; onShow: (s: ImageShow) => void }) {
  const list = useApp((s) => s.images.list)
  const listError = useApp((s) => s.images.listError)
  const filter = useApp((s) => s.images.filter)
  const cursor = useApp((s) => s.images.cursor)
  const setCursor = useApp((s) => s.setImageCursor)
  const openImage = useApp((s) => s.openImage)
  const setFilter = useApp((s) => s.setImageFilter)
  const engine = useApp((s) => s.engine.state)
  const reconnect = useApp((s) => s.reconnect)
  const reconnecting = useApp((s) => s.engine.reconnecting)
  const loadImages = useApp((s) => s.loadImages)
  const now = useNow(30_000)
  const gridRef = useRef<HTMLDivElement>(null)
  const pointerFocus = useRef(false)

  const rows = useMemo(() => tableRows(list ?? [], filter, show, sort), [list, filter, show, sort])
  const activeIndex = rows.findIndex((i) => i.id === cursor)

  useEffect(() => {
    if (activeIndex < 0) return
    const row = rows[activeIndex]
    if (row) document.getElementById(`image-row-${shortId(row.id)}`)?.scrollIntoView({ block: 'nearest' })
  }, [activeIndex, rows])

  // Back from an image: the table is where it was (scroll and highlighted row), and the keys work at once.
  const open = useApp((s) => s.images.open !== null)
  const scrollTop = useRef(0)
  useLayoutEffect(() => {
    const grid = gridRef.current
    if (!grid || open) return
    grid.scrollTop = scrollTop.current
    if (cursor) grid.focus({ preventScroll: true })
    // Only when coming back; the cursor moving is handled above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open])

  if (engine?.status === 'unavailable')
    return (
      <div className="page-body page-center">
        <EmptyState
          icon={<Unplug size={22} strokeWidth={1.5} />}
          title={engine.error.message}
          footer={
            <Button size="1" variant="soft" onClick={() => void reconnect()} loading={reconnecting}>
              Try again
            </Button>
          }
        >
          {engine.error.detail ? <FixText text={engine.error.detail} /> : 'Slipway lists the images as soon as Docker answers again.'}
        </EmptyState>
      </div>
    )

  if (list === null)
    return (
      <div className="page-body page-center">
        {listError ? (
          <EmptyState
            icon={<Unplug size={22} strokeWidth={1.5} />}
            title={listError.message}
            footer={
              <Button size="1" variant="soft" onClick={() => void loadImages()}>
                Try again
              </Button>
            }
          >
            {listError.detail && <FixText text={listError.detail} />}
          </EmptyState>
        ) : (
          <Flex align="center" justify="center" gap="2">
            <Spinner size="2" />
            <Text size="2" color="gray">
              {engine?.status === 'connected' ? 'Listing images…' : 'Connecting to Docker…'}
            </Text>
          </Flex>
        )}
      </div>
    )

  if (list.length === 0)
    return (
      <div className="page-body page-center">
        <EmptyState icon={<Layers size={22} strokeWidth={1.5} />} title="No images yet">
          Build an image from a project and it appears here, ready to open layer by layer and compare.
        </EmptyState>
      </div>
    )

  const move = (to: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, to))]
    if (row) setCursor(row.id)
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    // The column headers are buttons of their own: Enter and Space sort there.
    if ((e.target as HTMLElement).closest('.itable-head')) return
    const page = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 300) / 28) - 1)
    const at = activeIndex < 0 ? -1 : activeIndex
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(at + 1),
      ArrowUp: () => move(at < 0 ? 0 : at - 1),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      PageDown: () => move(at + page),
      PageUp: () => move(at - page),
      Enter: () => {
        const row = rows[at]
        if (row) openImage(openImageOf(row, filter))
      },
    }
    const f = keys[e.key]
    if (!f) return
    e.preventDefault()
    f()
  }

  return (
    <div className="itable-wrap">
      <div
        ref={gridRef}
        id="image-table"
        className="itable"
        role="grid"
        aria-label="Images"
        aria-rowcount={rows.length}
        tabIndex={0}
        aria-activedescendant={activeIndex >= 0 ? `image-row-${shortId(rows[activeIndex]?.id ?? '')}` : undefined}
        onKeyDown={onKeyDown}
        onMouseDown={() => (pointerFocus.current = true)}
        onScroll={(e) => {
          if (!open) scrollTop.current = e.currentTarget.scrollTop
        }}
        onFocus={() => {
          // Tabbing in highlights the first row; a click picks its own.
          const byPointer = pointerFocus.current
          pointerFocus.current = false
          if (!byPointer && activeIndex < 0) move(0)
        }}
      >
        <div className="itable-head" role="row">
          {COLUMNS.map((c) => (
            <SortHeader key={c.column} {...c} sort={sort} onSort={onSort} />
          ))}
        </div>
        {rows.length === 0 ? (
          <div className="itable-none">
            <EmptyState
              icon={<SearchX size={22} strokeWidth={1.5} />}
              title={filter.trim() ? `No ${show === 'all' ? '' : `${SHOW_WORDS[show]} `}image matches “${filter.trim()}”` : `No ${SHOW_WORDS[show]} images`}
            >
              <Button
                size="1"
                variant="ghost"
                onClick={() => {
                  setFilter('')
                  onShow('all')
                }}
              >
                Show every image
              </Button>
            </EmptyState>
          </div>
        ) : (
          rows.map((image) => (
            <Row
              key={image.id}
              image={image}
              lead={leadingTag(image, filter) ?? ''}
              active={image.id === cursor}
              now={now}
              onPick={setCursor}
              onOpen={(i) => openImage(openImageOf(i, filter))}
            />
          ))
        )}
      </div>
    </div>
  )
}
