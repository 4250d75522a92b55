import { useId, useLayoutEffect, useState, type Ref } from 'react'
import { formatBytes } from '../../../../shared/format'
import type { CompareRow } from '../../../../shared/types/build'
import { baselineRow, chartSummary, niceScale, smallestBase, type Slot } from './compare-model'

// Plain SVG drawn at the container's real width (measured), so text is never scaled and the same
// picture can be saved as PNG. Geometry in px; colours come from classes (compare.css).
const PAD_X = 16
const HEAD_H = 40
const AXIS_H = 22
const ROW_H = 48
const BAR_H = 18
const THIN_H = 5
const FOOT_H = 34
/** Average advance of the 10.5 px note text, to decide what fits. */
const NOTE_CHAR = 5.9
const KEY_LONG = 'Image: uncompressed size · compressed: the gzip size of its layers, what a pull transfers'
const KEY_SHORT = 'Compressed: what a pull transfers'

interface ChartProps {
  title: string
  /** A quiet line under the chart (who measured it, when): it travels with the PNG. */
  note: string
  slots: Slot[]
  label: (base: string) => string
  baseline: { rows: CompareRow[]; when: string } | null
  svgRef?: Ref<SVGSVGElement>
}

/** Follows an element's content width. */
function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    if (!el) return
    // The observer reports the first size too, before the next paint.
    const ro = new ResizeObserver(([entry]) => entry && setWidth(Math.floor(entry.contentRect.width)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [el])
  return [setEl, width]
}

/** Cuts a label that would run into the bars; the full text stays in the row's <title>. */
function fit(text: string, px: number, charPx = 7): string {
  const max = Math.max(4, Math.floor(px / charPx))
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

const STATE_TEXT = { waiting: 'Waiting', building: 'Building…', measuring: 'Measuring…', failed: 'Did not build', skipped: 'Not built', done: '' } as const

/**
 * The comparison as a horizontal bar chart: one row per chosen base (reserved before its numbers
 * arrive), the Go binary and the base's overhead stacked, the compressed size as a thin bar under
 * it, sizes right-aligned, the smallest highlighted, an earlier comparison's size as a marker.
 */
export function CompareChart({ title, note, slots, label, baseline, svgRef }: ChartProps) {
  const [ref, width] = useWidth()
  const clipId = useId().replace(/[^A-Za-z0-9_-]/g, '')
  const rows = slots.flatMap((s) => (s.row ? [s.row] : []))
  const smallest = rows.length > 1 ? smallestBase(rows) : null
  const top = Math.max(1, ...rows.map((r) => r.sizeBytes), ...(baseline ? rows.map((r) => baselineRow(baseline, r.base)?.sizeBytes ?? 0) : []))
  const scale = niceScale(top, width < 640 ? 3 : 4)
  const labelW = width < 640 ? 118 : 150
  const valueW = 124
  const x0 = PAD_X + labelW
  const x1 = Math.max(x0 + 40, width - PAD_X - valueW)
  const xOf = (bytes: number) => x0 + ((x1 - x0) * bytes) / scale.max
  const height = HEAD_H + AXIS_H + slots.length * ROW_H + FOOT_H
  const legendX = width - PAD_X
  // The key to the numbers, long where it fits next to the note, short where not, else left out.
  const room = width - 2 * PAD_X - note.length * NOTE_CHAR - 24
  const key = [KEY_LONG, KEY_SHORT].find((k) => k.length * NOTE_CHAR <= room) ?? null

  return (
    <div ref={ref} className="compare-chart" data-testid="compare-chart">
      {width > 0 && (
        <svg ref={svgRef} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={chartSummary(title, rows, label)} className="chart-svg">
          <rect x={0} y={0} width={width} height={height} className="chart-bg" />
          <text x={PAD_X} y={24} className="chart-title">
            {fit(title, Math.max(120, width - 2 * PAD_X - 24 - legendItems(baseline?.when ?? null).reduce((n, it) => n + it.w, 0)), 8)}
          </text>
          {/* Legend, right-aligned: drawn from the right edge leftwards. */}
          <g transform={`translate(${legendX}, 19)`} aria-hidden>
            <Legend baseline={baseline?.when ?? null} />
          </g>

          {/* No axis before the first numbers: a scale of nothing would only say "0 … 1 B". */}
          {rows.length > 0 &&
            scale.ticks.map((t, k) => (
              <g key={t} aria-hidden>
                <line x1={xOf(t)} x2={xOf(t)} y1={HEAD_H + AXIS_H - 4} y2={height - FOOT_H + 4} className="chart-grid" />
                <text x={xOf(t)} y={HEAD_H + 10} textAnchor={k === 0 ? 'start' : k === scale.ticks.length - 1 ? 'end' : 'middle'} className="chart-tick">
                  {t === 0 ? '0' : formatBytes(t)}
                </text>
              </g>
            ))}
          <text x={PAD_X} y={height - 11} className="chart-note">
            {note}
          </text>
          {key && (
            <text x={width - PAD_X} y={height - 11} textAnchor="end" className="chart-note">
              {key}
            </text>
          )}

          {slots.map((slot, i) => {
            const y = HEAD_H + AXIS_H + i * ROW_H
            const barY = y + 9
            const r = slot.row
            const best = r !== null && r.base === smallest
            const before = r ? baselineRow(baseline, r.base) : null
            const name = label(slot.base)
            return (
              <g key={slot.base} className="chart-row" data-base={slot.base} data-state={slot.state}>
                <title>{r ? `${name}: ${formatBytes(r.sizeBytes)}, compressed ${formatBytes(r.compressedBytes)}` : `${name}: ${STATE_TEXT[slot.state]}`}</title>
                {best && <rect x={6} y={y + 1} width={width - 12} height={ROW_H - 2} rx={6} className="chart-best-band" />}
                <text x={PAD_X} y={barY + 13} className={best ? 'chart-label is-best' : 'chart-label'}>
                  {fit(name, labelW - 12)}
                </text>
                {r && rows.length > 1 && (
                  <text x={PAD_X} y={barY + 28} className={best ? 'chart-sub is-best' : 'chart-sub'}>
                    {best ? 'Smallest' : `+${formatBytes(Math.max(0, r.sizeBytes - (rows.find((o) => o.base === smallest)?.sizeBytes ?? 0)))}`}
                  </text>
                )}
                <rect x={x0} y={barY} width={x1 - x0} height={BAR_H} rx={3} className="chart-track" />
                {r ? (
                  <>
                    {/* Binary and overhead are one bar with rounded ends: both drawn square, clipped to the whole. */}
                    <clipPath id={`${clipId}-${i}`}>
                      <rect x={x0} y={barY} width={Math.max(2, xOf(r.sizeBytes) - x0)} height={BAR_H} rx={3} />
                    </clipPath>
                    <g clipPath={`url(#${clipId}-${i})`}>
                      <rect x={x0} y={barY} width={Math.max(1, xOf(r.binaryBytes) - x0)} height={BAR_H} className="chart-binary" />
                      {r.overheadBytes > 0 && (
                        <rect x={xOf(r.binaryBytes)} y={barY} width={Math.max(1.5, xOf(r.sizeBytes) - xOf(r.binaryBytes))} height={BAR_H} className="chart-overhead" />
                      )}
                    </g>
                    {/* The seam between binary and overhead, so a thin overhead still reads as its own part. */}
                    {r.overheadBytes > 0 && <line x1={xOf(r.binaryBytes)} x2={xOf(r.binaryBytes)} y1={barY} y2={barY + BAR_H} className="chart-seam" />}
                    <rect x={x0} y={barY + BAR_H + 4} width={Math.max(1, xOf(r.compressedBytes) - x0)} height={THIN_H} rx={2} className="chart-compressed" />
                    {before && (
                      <line x1={xOf(before.sizeBytes)} x2={xOf(before.sizeBytes)} y1={barY - 4} y2={barY + BAR_H + 4} className="chart-baseline" data-testid="chart-baseline-marker" />
                    )}
                    <text x={width - PAD_X} y={barY + 13} textAnchor="end" className={best ? 'chart-value is-best' : 'chart-value'} data-testid="chart-size">
                      {formatBytes(r.sizeBytes)}
                    </text>
                    <text x={width - PAD_X} y={barY + 28} textAnchor="end" className="chart-value-sub">
                      {formatBytes(r.compressedBytes)} compressed
                    </text>
                  </>
                ) : (
                  <text x={x0 + 10} y={barY + 13} className={slot.state === 'failed' ? 'chart-state is-failed' : 'chart-state'}>
                    {STATE_TEXT[slot.state]}
                  </text>
                )}
              </g>
            )
          })}
        </svg>
      )}
    </div>
  )
}

/** The legend's entries with their widths (estimated from the 11.5 px text), right to left. */
function legendItems(baseline: string | null): { key: string; text: string; w: number }[] {
  return [
    ...(baseline ? [{ key: 'baseline', text: baseline, w: 30 + baseline.length * 6.2 }] : []),
    { key: 'compressed', text: 'Compressed', w: 92 },
    { key: 'overhead', text: 'Base overhead', w: 108 },
    { key: 'binary', text: 'Go binary', w: 80 },
  ]
}

/** Key swatches, laid out right to left from x = 0 (the chart's right edge). */
function Legend({ baseline }: { baseline: string | null }) {
  const items = legendItems(baseline)
  return (
    <>
      {items.map((it, i) => {
        const x = -items.slice(0, i + 1).reduce((n, o) => n + o.w, 0)
        return (
          <g key={it.key} transform={`translate(${x}, 0)`}>
            {it.key === 'baseline' ? (
              <line x1={11} x2={11} y1={-6} y2={6} className="chart-baseline" />
            ) : it.key === 'compressed' ? (
              <rect x={0} y={-2} width={12} height={4} rx={2} className="chart-compressed" />
            ) : (
              <rect x={0} y={-5} width={12} height={10} rx={2} className={it.key === 'binary' ? 'chart-binary' : 'chart-overhead'} />
            )}
            <text x={it.key === 'baseline' ? 19 : 17} y={4} className="chart-legend">
              {it.text}
            </text>
          </g>
        )
      })}
    </>
  )
}
