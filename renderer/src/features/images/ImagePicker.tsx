import { Popover, Text, TextField } from '@radix-ui/themes'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ChevronDown, Search } from 'lucide-react'
import { useMemo, useRef, useState, type RefObject } from 'react'
import { formatBytes, shortId } from '../../../../shared/format'
import type { ImageSummary } from '../../../../shared/types/images'
import { useNow } from '../../hooks/use-now'
import { pickerChoices, type PickerChoice } from './compare-picker'
import { imageAge, imageLabel } from './image-labels'

const ROW = 26
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const absolute = (t: number) => dateTime.format(t)
const GROUP = 24

/** A line of the list: a group heading, or the choice at `i`. */
type Line = { group: string } | { i: number }

/**
 * A searchable image picker: type to narrow by tag or id, ↑↓ and Enter to choose. Other tags of the
 * open image's repository come first; each row says its size and age. The list is virtualised: an
 * engine with thousands of images puts a screenful of rows in the DOM.
 */
export function ImagePicker({
  list,
  openId,
  value,
  label,
  onPick,
}: {
  list: readonly ImageSummary[]
  openId: string
  value: ImageSummary | null
  label: string
  onPick: (image: ImageSummary) => void
}) {
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const listRef = useRef<PickerListHandle | null>(null)
  const choices = useMemo(() => pickerChoices(list, openId, query), [list, openId, query])

  const pick = (image: ImageSummary | undefined) => {
    if (!image) return
    onPick(image)
    // The search is cleared when the picker opens again: cleared now, the closing list would render every image once more.
    setOpen(false)
  }
  const move = (to: number) => {
    const i = Math.max(0, Math.min(choices.length - 1, to))
    setActive(i)
    listRef.current?.reveal(i)
  }

  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        setActive(0)
        if (o) setQuery('')
      }}
    >
      <Popover.Trigger>
        <button type="button" role="combobox" aria-expanded={open} aria-haspopup="listbox" aria-label={label} className="picker-trigger" data-testid="compare-picker">
          <span className="picker-value" data-placeholder={value ? undefined : true}>
            {value ? imageLabel(value) : 'Choose an image…'}
          </span>
          {value && <span className="picker-size tabular">{formatBytes(value.sizeBytes)}</span>}
          <ChevronDown size={13} aria-hidden />
        </button>
      </Popover.Trigger>
      <Popover.Content size="1" align="start" className="picker-content" aria-label={label}>
        <TextField.Root
          size="1"
          autoFocus
          placeholder="Search by tag or id"
          aria-label="Search images to compare with"
          aria-controls="picker-list"
          aria-activedescendant={choices.length ? `pick-${active}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={(e) => {
            const keys: Record<string, () => void> = {
              ArrowDown: () => move(active + 1),
              ArrowUp: () => move(active - 1),
              Home: () => move(0),
              End: () => move(choices.length - 1),
              Enter: () => pick(choices[active]?.image),
            }
            const f = keys[e.key]
            if (!f) return
            e.preventDefault()
            f()
          }}
        >
          <TextField.Slot>
            <Search size={12} aria-hidden />
          </TextField.Slot>
        </TextField.Root>
        <PickerList choices={choices} query={query} active={active} onActive={setActive} onPick={pick} handle={listRef} />
      </Popover.Content>
    </Popover.Root>
  )
}

interface PickerListHandle {
  /** Scrolls the choice at `i` into view. */
  reveal: (i: number) => void
}

/** The choices under their headings, virtualised. */
function PickerList({
  choices,
  query,
  active,
  onActive,
  onPick,
  handle,
}: {
  choices: PickerChoice[]
  query: string
  active: number
  onActive: (i: number) => void
  onPick: (image: ImageSummary) => void
  handle: RefObject<PickerListHandle | null>
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const now = useNow(60_000)
  const { lines, lineOf } = useMemo(() => {
    const firstOther = choices.findIndex((c) => !c.sameRepo)
    const lines: Line[] = []
    const lineOf: number[] = []
    choices.forEach((c, i) => {
      if (i === 0 && c.sameRepo) lines.push({ group: 'Same repository' })
      if (i === firstOther) lines.push({ group: firstOther === 0 ? 'Images' : 'Other images' })
      lineOf.push(lines.length)
      lines.push({ i })
    })
    return { lines, lineOf }
  }, [choices])
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (k) => ('group' in (lines[k] as Line) ? GROUP : ROW),
    overscan: 8,
  })
  handle.current = { reveal: (i) => virtualizer.scrollToIndex(lineOf[i] ?? 0, { align: 'auto' }) }
  return (
    <div id="picker-list" role="listbox" aria-label="Images" className="picker-list" ref={scrollRef}>
      {choices.length === 0 ? (
        <Text as="div" size="1" color="gray" className="picker-none">
          No other image matches “{query.trim()}”.
        </Text>
      ) : (
        <div className="picker-lines" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index] as Line
            const style = { transform: `translateY(${item.start}px)` }
            if ('group' in line)
              return (
                <div key={`g-${line.group}`} className="picker-group" role="presentation" style={style}>
                  {line.group}
                </div>
              )
            const c = choices[line.i] as PickerChoice
            return (
              <div
                key={c.image.id}
                id={`pick-${line.i}`}
                role="option"
                aria-selected={line.i === active}
                aria-setsize={choices.length}
                aria-posinset={line.i + 1}
                aria-label={c.image.repoTags.length ? c.image.repoTags.join(', ') : shortId(c.image.id)}
                className="picker-row"
                style={style}
                onMouseMove={() => onActive(line.i)}
                onClick={() => onPick(c.image)}
              >
                <span className="picker-name">{c.image.repoTags.length ? c.image.repoTags.join(', ') : <span className="itable-untagged">&lt;none&gt; {shortId(c.image.id)}</span>}</span>
                <Age created={c.image.created} now={now} />
                <span className="picker-size tabular">{formatBytes(c.image.sizeBytes)}</span>
              </div>
            )
          })}
        </div>
      )}
    </div>
  )
}

/** An image's age in the picker ("reproducible" for an image with no creation time). */
function Age({ created, now }: { created: number; now: number }) {
  const age = imageAge(created, now, absolute)
  return (
    <span className="picker-age" title={age.title}>
      {age.text}
    </span>
  )
}
