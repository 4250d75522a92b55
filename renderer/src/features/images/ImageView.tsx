import { Button, Callout, Flex, Heading, IconButton, Progress, SegmentedControl, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { ArrowLeft, CircleAlert, FileX2, RotateCw, Unplug } from 'lucide-react'
import { useEffect, useState, type ReactNode } from 'react'
import { ErrorName } from '../../../../shared/errors'
import { formatBytes, formatCount, formatInt, shortId } from '../../../../shared/format'
import { describeCreatedBy } from '../../../../shared/layers/describe'
import type { LayerSummary } from '../../../../shared/layers/types'
import type { ImageDetails } from '../../../../shared/types/images'
import { EmptyState } from '../../components/EmptyState'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp, type IndexJob } from '../../stores'
import { RunButton } from '../run/RunButton'
import { ComparePanel } from './ComparePanel'
import { Explorer } from './Explorer'
import { formatPercent } from './image-labels'
import { useImageDetails } from './use-image-details'

/** One image: its summary, then its layers and files (or a comparison with another image). */
export function ImageView() {
  const open = useApp((s) => s.images.open)
  const job = useApp((s) => s.images.job)
  const mode = useApp((s) => s.images.mode)
  const setMode = useApp((s) => s.setImageMode)
  const close = useApp((s) => s.closeImage)
  const reindex = useApp((s) => s.reindex)
  const gone = useApp((s) => s.images.gone)
  const hasIndex = useApp((s) => s.images.explorer !== null)
  // The first view, painted while the index is on its way (shared/layers/first-view.ts).
  const hasPreview = useApp((s) => s.images.preview !== null && s.images.job.status === 'loading')
  // Right after Swap the comparison is there a task before B's explorer is.
  const hasComparison = useApp((s) => s.images.compare.result !== null)
  const tags = useApp((s) => s.images.list?.find((i) => i.id === s.images.open?.id)?.repoTags)
  const { details } = useImageDetails(open?.id)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && escapeLeaves(e.target)) close()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [close])
  if (!open) return null
  const otherTags = (tags ?? []).filter((t) => t !== open.label)

  return (
    <>
      <header className="toolbar iv-toolbar">
        <Tooltip content="Back to the images (Esc)">
          <IconButton size="1" variant="ghost" color="gray" aria-label="Back to the images" onClick={close}>
            <ArrowLeft size={15} aria-hidden />
          </IconButton>
        </Tooltip>
        <nav aria-label="Breadcrumb" className="iv-crumbs">
          <button type="button" className="iv-crumb-link" onClick={close}>
            Images
          </button>
          <span className="iv-crumb-sep" aria-hidden="true">
            /
          </span>
          <Heading as="h1" size="3" weight="bold" className="iv-title" data-testid="image-title">
            {open.label}
          </Heading>
          <span className="iv-id" title={open.id}>
            {shortId(open.id)}
          </span>
          {otherTags.length > 0 && (
            <Tooltip content={otherTags.join(', ')}>
              <span className="iv-tags">
                +{otherTags.length} {otherTags.length === 1 ? 'tag' : 'tags'}
              </span>
            </Tooltip>
          )}
        </nav>
        <Flex align="center" gap="3" ml="auto" flexShrink="0">
          {!gone && <RunButton image={open.label} />}
          <SegmentedControl.Root size="1" value={mode} onValueChange={(v) => setMode(v as 'layers' | 'compare')} aria-label="View">
            <SegmentedControl.Item value="layers">Layers</SegmentedControl.Item>
            <SegmentedControl.Item value="compare">Compare</SegmentedControl.Item>
          </SegmentedControl.Root>
          <Tooltip content="Read the image again instead of using the saved index">
            <IconButton size="1" variant="ghost" color="gray" aria-label="Index again" onClick={reindex} disabled={job.status === 'running' || job.status === 'loading' || gone}>
              <RotateCw size={14} aria-hidden />
            </IconButton>
          </Tooltip>
        </Flex>
      </header>
      <div className="iv-body">
        {gone && (
          <Callout.Root size="1" color="amber" variant="surface" className="iv-callout">
            <Callout.Icon>
              <FileX2 size={14} />
            </Callout.Icon>
            <Callout.Text>
              This image is no longer in the engine (it was removed or untagged). {hasIndex ? 'What you see is the index read before.' : ''}
            </Callout.Text>
          </Callout.Root>
        )}
        {hasIndex && job.status === 'failed' && !job.cancelled && (
          <Callout.Root size="1" color="red" variant="surface" className="iv-callout" role="alert">
            <Callout.Icon>
              <CircleAlert size={14} />
            </Callout.Icon>
            <Callout.Text>
              Indexing again failed: {job.error.message} {job.error.detail ? <FixText text={job.error.detail} /> : null} The index read before is still shown.
            </Callout.Text>
          </Callout.Root>
        )}
        <SummaryBar details={details} />
        {(hasIndex || (mode === 'layers' && hasPreview) || (mode === 'compare' && hasComparison)) && job.status !== 'running' ? (
          mode === 'layers' && (hasIndex || hasPreview) ? (
            <Explorer />
          ) : mode === 'compare' ? (
            <ComparePanel />
          ) : null
        ) : (
          <JobState job={job} details={details} />
        )}
        {hasIndex && job.status === 'running' && <ReindexStrip job={job} />}
      </div>
    </>
  )
}

/**
 * Whether Esc, unclaimed, means "back to the images": not while typing in a field, nor inside a
 * menu, dialog or popover (Esc closes those first).
 */
function escapeLeaves(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null
  if (!t || typeof t.closest !== 'function') return true
  if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return false
  return !t.closest('[role="dialog"],[role="alertdialog"],[role="menu"],[role="listbox"][data-radix-select-viewport],[data-radix-popper-content-wrapper]')
}

function Metric({ label, children, tone, hint }: { label: string; children: ReactNode; tone?: 'warn'; hint?: string }) {
  const body = (
    <div className="iv-metric" data-tone={tone}>
      <dt>{label}</dt>
      <dd className="tabular">
        {tone === 'warn' && <CircleAlert size={12} aria-label="Above dive's CI limit" className="iv-metric-warn" />}
        {children}
      </dd>
    </div>
  )
  return hint ? <Tooltip content={hint}>{body}</Tooltip> : body
}

/** The image's numbers, in the order dive prints them; placeholders keep the bar still while indexing. */
function SummaryBar({ details }: { details: ImageDetails | null }) {
  const index = useApp((s) => s.images.index)
  const image = useApp((s) => s.images.list?.find((i) => i.id === s.images.open?.id))
  const s: LayerSummary | undefined = index?.summary
  // Before the content is read, the engine's own answer: layers, steps, size and platform at once.
  const layers = index?.layers.length ?? details?.layerCount
  const steps = index?.history.length ?? details?.history.length ?? 0
  const dash = <span className="iv-dash">—</span>
  return (
    <dl className="iv-summary" aria-label="Image summary">
      <Metric label="Size">{s ? formatBytes(s.sizeBytes) : details ? formatBytes(details.sizeBytes) : image ? formatBytes(image.sizeBytes) : dash}</Metric>
      <Metric label="Layers">
        {layers !== undefined ? (
          <>
            {layers}
            {steps > layers && <span className="iv-unit"> of {steps} steps</span>}
          </>
        ) : (
          dash
        )}
      </Metric>
      <Metric label="Files">{s ? formatInt(s.fileCount) : dash}</Metric>
      <Metric
        label="Efficiency"
        tone={s && s.efficiency < 0.9 ? 'warn' : undefined}
        hint="dive's score: the smallest size seen per path over every size seen per path. 100 % means no file is written twice."
      >
        {s ? formatPercent(s.efficiency) : dash}
      </Metric>
      <Metric label="Wasted" hint="Bytes of every path written by two or more layers (dive counts the kept copy too).">
        {s ? formatBytes(s.wastedBytes) : dash}
      </Metric>
      <Metric
        label="User wasted"
        tone={s && s.userWastedPercent > 0.1 ? 'warn' : undefined}
        hint="Wasted bytes as a share of the bytes above the base layer. dive's CI fails above 10 %."
      >
        {s ? formatPercent(s.userWastedPercent) : dash}
      </Metric>
      <Metric label="Hidden" hint="Bytes still shipped in lower layers but overwritten or deleted above: invisible in the final file system.">
        {s ? formatBytes(s.hiddenBytes) : dash}
      </Metric>
      <Metric label="Platform">{index ? platformOf(index) : details ? platformOf(details) : dash}</Metric>
    </dl>
  )
}

const platformOf = (d: { os: string; architecture: string; variant?: string }) => `${d.os}/${d.architecture}${d.variant ? `/${d.variant}` : ''}`

/** What to show instead of the explorer: progress, or why there is nothing. */
function JobState({ job, details }: { job: IndexJob; details: ImageDetails | null }) {
  const cancel = useApp((s) => s.cancelIndex)
  const reindex = useApp((s) => s.reindex)
  const open = useApp((s) => s.images.open)
  const openImage = useApp((s) => s.openImage)
  const close = useApp((s) => s.closeImage)
  const engine = useApp((s) => s.engine.state)
  const reconnect = useApp((s) => s.reconnect)

  if (job.status === 'running' || job.status === 'loading' || job.status === 'idle')
    return (
      <div className="iv-preview">
        <IndexProgress job={job} onCancel={() => cancel('main')} />
        {details && <HistoryPreview details={details} />}
      </div>
    )
  if (job.status !== 'failed') return null
  const { error, cancelled } = job
  if (cancelled)
    return (
      <div className="iv-state">
        <EmptyState
          title="Indexing cancelled"
          footer={
            <Button size="1" variant="soft" onClick={() => open && openImage(open)}>
              Index it
            </Button>
          }
        >
          Nothing was kept. Index the image again to see its layers.
        </EmptyState>
      </div>
    )
  const engineDown = error.name === ErrorName.EngineUnavailable || engine?.status === 'unavailable'
  const missing = error.name === ErrorName.ImageNotFound
  return (
    <div className="iv-state" role="alert">
      <EmptyState
        icon={engineDown ? <Unplug size={22} strokeWidth={1.5} /> : missing ? <FileX2 size={22} strokeWidth={1.5} /> : <CircleAlert size={22} strokeWidth={1.5} />}
        title={error.message}
        footer={
          <Flex gap="2" justify="center">
            {engineDown ? (
              <Button size="1" variant="soft" onClick={() => void reconnect().then(() => open && openImage(open))}>
                Reconnect and retry
              </Button>
            ) : missing ? (
              <Button size="1" variant="soft" onClick={close}>
                Back to the images
              </Button>
            ) : (
              <Button size="1" variant="soft" onClick={reindex}>
                Try again
              </Button>
            )}
          </Flex>
        }
      >
        {error.detail ? <FixText text={error.detail} /> : null}
        <span className="empty-state-meta">{error.name}</span>
      </EmptyState>
    </div>
  )
}

function progressFigures(job: IndexJob) {
  const p = job.status === 'running' ? job.progress : null
  const ratio = p && p.bytesExpected > 0 ? Math.min(1, p.bytesRead / p.bytesExpected) : 0
  return { p, ratio }
}

/** Reading the image: bytes of the save stream against the image's size, layers done, and Cancel. */
function IndexProgress({ job, onCancel }: { job: IndexJob; onCancel: () => void }) {
  const { p, ratio } = progressFigures(job)
  const cancelling = job.status === 'running' && job.cancelling
  // The engine writes the whole export before it sends a byte: until then, say so and count the seconds.
  const waiting = job.status !== 'loading' && (!p || p.bytesRead === 0) && p?.phase !== 'done'
  const [since] = useState(() => Date.now())
  const now = useNow(1000, waiting)
  const seconds = Math.max(0, Math.floor((now - since) / 1000))
  const phase =
    job.status === 'loading'
      ? 'Opening the index…'
      : !p || p.phase === 'inspecting'
        ? 'Asking Docker for the image…'
        : p.phase === 'done'
          ? 'Finishing…'
          : p.bytesRead === 0
            ? 'Docker is preparing the image'
            : 'Reading the image from Docker'
  return (
    <div className="iv-state">
      <div className="iv-progress" role="status" aria-live="polite" data-testid="index-progress" data-waiting={waiting || undefined}>
        <Flex align="baseline" justify="between" gap="3">
          <Text size="2" weight="medium">
            {phase}
          </Text>
          <Text size="1" color="gray" className="tabular">
            {job.status === 'loading' && job.cached ? 'from the saved index' : p && p.bytesExpected > 0 ? `${Math.round(ratio * 100)} %` : ''}
          </Text>
        </Flex>
        {/* No bytes yet: an indeterminate bar, not an empty one that looks stuck. */}
        <Progress size="1" value={job.status === 'loading' ? 100 : waiting ? undefined : ratio * 100} aria-label="Indexing progress" />
        <Flex align="center" justify="between" gap="3">
          <Text size="1" color="gray" className="tabular">
            {waiting ? (
              <>
                {p && p.bytesExpected > 0 ? `~${formatBytes(p.bytesExpected)} · ` : ''}
                {p && p.layersTotal > 0 ? `${formatCount(p.layersTotal, 'layer')} · ` : ''}
                the first bytes come once Docker has written the export · {seconds} s
              </>
            ) : p && p.phase !== 'inspecting' ? (
              <>
                {formatBytes(p.bytesRead)} of ~{formatBytes(p.bytesExpected)}
                <span className="status-sep" aria-hidden="true">
                  ·
                </span>
                {p.layersDone} of {formatCount(p.layersTotal, 'layer')}
              </>
            ) : (
              ' '
            )}
          </Text>
          <Button size="1" variant="soft" color="gray" onClick={onCancel} disabled={job.status !== 'running' || cancelling}>
            {cancelling ? <Spinner size="1" /> : null}
            Cancel
          </Button>
        </Flex>
      </div>
    </div>
  )
}

/** Indexing again while the old index stays on screen: a thin strip with the progress and Cancel. */
function ReindexStrip({ job }: { job: IndexJob }) {
  const cancel = useApp((s) => s.cancelIndex)
  const { p, ratio } = progressFigures(job)
  return (
    <div className="iv-reindex" role="status">
      <Spinner size="1" />
      <Text size="1" color="gray" className="tabular">
        Indexing again{p && p.phase === 'reading' ? ` · ${formatBytes(p.bytesRead)} of ~${formatBytes(p.bytesExpected)} · ${Math.round(ratio * 100)} %` : '…'}
      </Text>
      <Button size="1" variant="ghost" color="gray" onClick={() => cancel('main')}>
        Cancel
      </Button>
    </div>
  )
}

/** The image's history as Docker states it, shown while its content is read: each step, its size. */
function HistoryPreview({ details }: { details: ImageDetails }) {
  const steps = details.history
  return (
    <section className="panel iv-history" aria-labelledby="history-title" data-testid="history-preview">
      <div className="panel-header ex-header">
        <Text id="history-title" size="2" weight="medium">
          Layers
        </Text>
        <Text size="1" color="gray" className="tabular">
          {details.layerCount} · {formatCount(steps.length, 'step')} · the files come when the image is read
        </Text>
      </div>
      <ol className="iv-history-list">
        {steps.map((h, i) => (
          <li key={i} className="layer-row" data-empty={h.sizeBytes === 0 || undefined}>
            <span className="layer-cmd" title={h.createdBy}>
              {describeCreatedBy(h.createdBy) || h.comment || '(no command recorded)'}
            </span>
            <span className="layer-size tabular">{h.sizeBytes > 0 ? formatBytes(h.sizeBytes) : '—'}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
