import { Button, Spinner } from '@radix-ui/themes'
import { Check, Layers, Minus } from 'lucide-react'
import type { ReactNode } from 'react'
import { COLD_START_MEANS, coldStartIncludesNetwork } from '../../../../shared/build/compare'
import { formatBytes, formatMillis, shortId } from '../../../../shared/format'
import type { CompareRow } from '../../../../shared/types/build'
import { useApp } from '../../stores'
import { RunButton } from '../run/RunButton'
import { baselineRow, formatDelta, smallestBase, type Slot } from './compare-model'

/** Opens an image in the Images page's layer explorer. */
function useOpenImage(): (row: CompareRow) => void {
  const openImage = useApp((s) => s.openImage)
  const setPage = useApp((s) => s.setPage)
  return (row) => {
    openImage({ id: row.imageId, label: row.tag || shortId(row.imageId) })
    setPage('images')
  }
}

function Bytes({ value, before }: { value: number; before?: number | undefined }) {
  const delta = before === undefined ? null : formatDelta(value - before)
  return (
    <>
      <span className="cmp-num">{formatBytes(value)}</span>
      {delta && (
        <span className="cmp-delta" data-sign={delta.sign} data-testid="compare-delta">
          {delta.text}
        </span>
      )}
    </>
  )
}

function Fact({ on, label }: { on: boolean; label: string }) {
  return (
    <span className={on ? 'cmp-fact is-on' : 'cmp-fact'} role="img" aria-label={`${label}: ${on ? 'yes' : 'no'}`}>
      {on ? <Check size={14} aria-hidden /> : <Minus size={14} aria-hidden />}
    </span>
  )
}

// Fixed column widths (a share of the table): rows that are still building, or numbers that
// arrive, never move a column. The shares fit the longest header words from 1024 px wide up.
const COLUMNS: { key: string; text: ReactNode; title: string; num?: boolean; width: string }[] = [
  { key: 'base', text: 'Base', title: 'The runtime base the image starts FROM', width: '15%' },
  { key: 'size', text: 'Image', title: 'Uncompressed size, as docker image inspect reports it', num: true, width: '8.5%' },
  { key: 'compressed', text: 'Compressed', title: 'What a pull transfers: the gzip size of each layer', num: true, width: '11%' },
  { key: 'binary', text: 'Go binary', title: 'The Go program itself', num: true, width: '8.5%' },
  { key: 'overhead', text: 'Overhead', title: 'Everything in the image besides the Go binary', num: true, width: '10%' },
  { key: 'layers', text: 'Layers', title: 'Layer count', num: true, width: '7%' },
  { key: 'shell', text: 'Shell', title: 'Has /bin/sh (docker exec … sh works)', width: '6%' },
  { key: 'ca', text: 'CA', title: 'Has a CA bundle for TLS calls', width: '4%' },
  { key: 'tz', text: 'tz', title: 'Has time zone data (/usr/share/zoneinfo)', width: '3.5%' },
  { key: 'pm', text: 'Pkg mgr', title: 'Package manager in the image', width: '6.5%' },
  { key: 'user', text: 'User', title: 'The user the container runs as', width: '11.5%' },
  { key: 'cold', text: 'Cold start', title: 'Container start until the port answers (or until a CLI exits), one base at a time once every build is done; kept per image, so an unchanged image is not timed again', num: true, width: '8.5%' },
]

const PENDING_TEXT = { waiting: 'Waiting', building: 'Building', measuring: 'Measuring the image…', failed: 'Did not build', skipped: 'Not built', done: '' } as const

/**
 * Every base's numbers and facts, one row each (reserved while it builds), its verdict on a line
 * under it, deltas against an earlier comparison when one is chosen.
 */
export function CompareTable({
  dir,
  slots,
  label,
  baseline,
  running,
}: {
  /** The project folder, for Run's proposals (ports, variables). */
  dir: string
  slots: Slot[]
  label: (base: string) => string
  baseline: { rows: CompareRow[] } | null
  running: boolean
}) {
  const open = useOpenImage()
  const rows = slots.flatMap((s) => (s.row ? [s.row] : []))
  const smallest = rows.length > 1 ? smallestBase(rows) : null
  return (
    <div className="cmp-table-wrap">
      <table className="cmp-table" data-testid="compare-table">
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" className={c.num ? 'is-num' : undefined} title={c.title || undefined}>
                {c.text}
              </th>
            ))}
          </tr>
        </thead>
        {slots.map((slot) => {
          const r = slot.row
          const before = r ? (baselineRow(baseline, r.base) ?? undefined) : undefined
          const best = r !== null && r.base === smallest
          return (
            <tbody key={slot.base} className={best ? 'cmp-group is-best' : 'cmp-group'} data-testid="compare-row" data-base={slot.base} data-state={slot.state}>
              <tr className="cmp-main">
                <th scope="row" className="cmp-base">
                  <span className="cmp-base-name" title={label(slot.base)}>
                    {label(slot.base)}
                  </span>
                </th>
                {r ? (
                  <>
                    <td className="is-num" data-testid="cell-size">
                      <Bytes value={r.sizeBytes} before={before?.sizeBytes} />
                    </td>
                    <td className="is-num" data-testid="cell-compressed">
                      <Bytes value={r.compressedBytes} before={before?.compressedBytes} />
                    </td>
                    <td className="is-num" data-testid="cell-binary">
                      <Bytes value={r.binaryBytes} before={before?.binaryBytes} />
                    </td>
                    <td className="is-num" data-testid="cell-overhead">
                      <Bytes value={r.overheadBytes} before={before?.overheadBytes} />
                    </td>
                    <td className="is-num" data-testid="cell-layers">
                      <span className="cmp-num">{r.layers}</span>
                    </td>
                    <td>
                      <Fact on={r.hasShell} label="Shell" />
                    </td>
                    <td>
                      <Fact on={r.hasCaBundle} label="CA bundle" />
                    </td>
                    <td>
                      <Fact on={r.hasTzData} label="tz data" />
                    </td>
                    <td className="cmp-text">{r.packageManager ?? <span className="cmp-none">none</span>}</td>
                    <td className="cmp-text mono" title={r.user}>
                      {r.user}
                    </td>
                    <td className="is-num" title={coldTitle(r)} data-testid="cell-cold">
                      {r.coldStartMs !== null ? (
                        <span className="cmp-num">{formatMillis(r.coldStartMs)}</span>
                      ) : running && r.coldStartPending ? (
                        <Spinner size="1" className="cmp-cold-wait" aria-label="Timing the cold start" />
                      ) : (
                        <span className="cmp-none">—</span>
                      )}
                    </td>
                  </>
                ) : (
                  <td colSpan={COLUMNS.length - 1} className={slot.state === 'failed' ? 'cmp-pending is-failed' : 'cmp-pending'}>
                    {slot.state === 'building' || slot.state === 'measuring' ? <Spinner size="1" /> : null}
                    {PENDING_TEXT[slot.state]}
                    {slot.step && (
                      <span className="cmp-pending-step mono" title={slot.step}>
                        {slot.step}
                      </span>
                    )}
                  </td>
                )}
              </tr>
              <tr className="cmp-verdict">
                <td colSpan={COLUMNS.length}>
                  <div className="cmp-verdict-line">
                    <span className={slot.error ? 'cmp-verdict-text is-failed selectable' : 'cmp-verdict-text selectable'} data-testid="compare-verdict">
                      {r ? r.verdict : slot.error ? `${slot.error.message}${slot.error.detail ? ` ${slot.error.detail}` : ''}` : '\u00a0'}
                      {r?.coldStartNote && <span className="cmp-note"> Cold start: {r.coldStartNote}.</span>}
                    </span>
                    {r && (
                      <span className="cmp-row-actions">
                        <span className="cmp-base-ref mono" title={`FROM ${r.baseImage}`}>
                          {r.baseImage}
                        </span>
                        <Button size="1" variant="ghost" color="gray" onClick={() => open(r)} aria-label={`Open the ${label(r.base)} image in the layer explorer`} data-testid="compare-open-layers">
                          <Layers size={13} aria-hidden />
                          Layers
                        </Button>
                        <RunButton image={r.tag || r.imageId} dir={dir} />
                      </span>
                    )}
                  </div>
                </td>
              </tr>
            </tbody>
          )
        })}
      </table>
    </div>
  )
}

/** The cold-start cell's hover text: why it is missing, or when it was timed and what it measures. */
function coldTitle(r: CompareRow): string | undefined {
  if (r.coldStartMs === null) return r.coldStartNote ?? undefined
  const timed = r.coldStartMeasuredAt ? `Timed ${new Date(r.coldStartMeasuredAt).toLocaleString()}.` : null
  return [timed, coldStartIncludesNetwork(r) ? null : COLD_START_MEANS, r.coldStartNote].filter(Boolean).join('\n')
}
