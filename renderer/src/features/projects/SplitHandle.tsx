import { useCallback, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react'

/** The explanation pane's size: its height under the code, or its width beside it (wide panels). */
interface Sizes {
  below: number | null
  beside: number | null
}

const MIN = 96
/** The code keeps at least this much. */
const MIN_CODE = 140
const STEP = 16

export interface SplitSize {
  style: CSSProperties
  sizes: Sizes
  set: (sizes: Sizes) => void
}

function load(key: string): Sizes {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<Sizes> | null
    const ok = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= MIN ? n : null)
    return { below: ok(v?.below), beside: ok(v?.beside) }
  } catch {
    return { below: null, beside: null }
  }
}

/**
 * A split whose second pane the person sizes, remembered in this browser profile under `key`
 * (a view preference, not a project choice). The sizes reach CSS as --split-below and --split-beside.
 */
export function useSplitSize(key: string): SplitSize {
  const [sizes, setSizes] = useState<Sizes>(() => load(key))
  const set = useCallback(
    (next: Sizes) => {
      setSizes(next)
      try {
        localStorage.setItem(key, JSON.stringify(next))
      } catch {
        // Storage full or disabled: the size holds for this session.
      }
    },
    [key],
  )
  const style = {
    ...(sizes.below !== null ? { '--split-below': `${sizes.below}px` } : {}),
    ...(sizes.beside !== null ? { '--split-beside': `${sizes.beside}px` } : {}),
  } as CSSProperties
  return { style, sizes, set }
}

/** Side by side when the split's grid has two columns (a container query decides), else one above the other. */
function besideIn(el: HTMLElement): boolean {
  return getComputedStyle(el).gridTemplateColumns.trim().split(/\s+/).length > 1
}

/**
 * The drag handle on the pane's leading edge, placed last in the split right after the pane (CSS
 * puts it on the edge): pointer drag, arrow keys, double-click for the default size.
 */
export function SplitHandle({ split, label }: { split: SplitSize; label: string }) {
  const [beside, setBeside] = useState(false)
  // The split is the handle's parent element.
  const measure = (handle: HTMLElement) => {
    const el = handle.parentElement
    if (!el) return null
    const isBeside = besideIn(el)
    setBeside(isBeside)
    return { el, isBeside, rect: el.getBoundingClientRect() }
  }
  const apply = (isBeside: boolean, rect: DOMRect, px: number) => {
    const total = isBeside ? rect.width : rect.height
    const size = Math.round(Math.min(Math.max(px, MIN), Math.max(MIN, total - MIN_CODE)))
    split.set(isBeside ? { ...split.sizes, beside: size } : { ...split.sizes, below: size })
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const m = measure(e.currentTarget)
    if (!m || e.button !== 0) return
    e.preventDefault()
    const handle = e.currentTarget
    handle.setPointerCapture(e.pointerId)
    const move = (ev: globalThis.PointerEvent) => apply(m.isBeside, m.rect, m.isBeside ? m.rect.right - ev.clientX : m.rect.bottom - ev.clientY)
    const up = () => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', up)
      handle.removeEventListener('pointercancel', up)
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', up)
    handle.addEventListener('pointercancel', up)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const m = measure(e.currentTarget)
    if (!m) return
    const pane = e.currentTarget.previousElementSibling?.getBoundingClientRect()
    const current = pane ? (m.isBeside ? pane.width : pane.height) : MIN
    const grow = m.isBeside ? 'ArrowLeft' : 'ArrowUp'
    const shrink = m.isBeside ? 'ArrowRight' : 'ArrowDown'
    if (e.key !== grow && e.key !== shrink) return
    e.preventDefault()
    apply(m.isBeside, m.rect, current + (e.key === grow ? STEP : -STEP))
  }
  return (
    <div
      className="split-handle"
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={beside ? 'vertical' : 'horizontal'}
      title={`${label}: drag, or focus and use the arrow keys; double-click for the default size`}
      onPointerDown={onPointerDown}
      onPointerEnter={(e) => measure(e.currentTarget)}
      onFocus={(e) => measure(e.currentTarget)}
      onKeyDown={onKeyDown}
      onDoubleClick={(e) => {
        const m = measure(e.currentTarget)
        if (m) split.set(m.isBeside ? { ...split.sizes, beside: null } : { ...split.sizes, below: null })
      }}
      data-testid="split-handle"
    />
  )
}
