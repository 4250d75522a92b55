import { Popover, Text, TextField } from '@radix-ui/themes'
import { ChevronDown, Search } from 'lucide-react'
import { useMemo, useRef, useState } from 'react'
import { formatBytes, formatRelativeTime, shortId } from '../../../../shared/format'
import type { ImageSummary } from '../../../../shared/types/images'
import { useNow } from '../../hooks/use-now'
import { pickerChoices } from './compare-picker'
import { imageLabel } from './image-labels'

/**
 * A searchable image picker: type to narrow by tag or id, ↑↓ and Enter to choose. Other tags of the
 * open image's repository come first; each row says its size and age.
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
  const listRef = useRef<HTMLDivElement>(null)
  const now = useNow(60_000)
  const choices = useMemo(() => pickerChoices(list, openId, query), [list, openId, query])
  const firstOther = choices.findIndex((c) => !c.sameRepo)

  const pick = (image: ImageSummary | undefined) => {
    if (!image) return
    onPick(image)
    setOpen(false)
    setQuery('')
  }
  const move = (to: number) => {
    const i = Math.max(0, Math.min(choices.length - 1, to))
    setActive(i)
    document.getElementById(`pick-${i}`)?.scrollIntoView({ block: 'nearest' })
  }

  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        setActive(0)
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
        <div id="picker-list" role="listbox" aria-label="Images" className="picker-list" ref={listRef}>
          {choices.length === 0 && (
            <Text as="div" size="1" color="gray" className="picker-none">
              No other image matches “{query.trim()}”.
            </Text>
          )}
          {choices.map((c, i) => (
            <div key={c.image.id}>
              {i === 0 && c.sameRepo && <div className="picker-group">Same repository</div>}
              {i === firstOther && <div className="picker-group">{firstOther === 0 ? 'Images' : 'Other images'}</div>}
              <div
                id={`pick-${i}`}
                role="option"
                aria-selected={i === active}
                aria-label={c.image.repoTags.length ? c.image.repoTags.join(', ') : shortId(c.image.id)}
                className="picker-row"
                onMouseMove={() => setActive(i)}
                onClick={() => pick(c.image)}
              >
                <span className="picker-name">{c.image.repoTags.length ? c.image.repoTags.join(', ') : <span className="itable-untagged">&lt;none&gt; {shortId(c.image.id)}</span>}</span>
                <span className="picker-age">{formatRelativeTime(c.image.created, now)}</span>
                <span className="picker-size tabular">{formatBytes(c.image.sizeBytes)}</span>
              </div>
            </div>
          ))}
        </div>
      </Popover.Content>
    </Popover.Root>
  )
}
