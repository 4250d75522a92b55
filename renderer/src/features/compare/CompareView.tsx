import './compare.css'
import { Button, Checkbox, Kbd, Progress, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { Ban, ChartBarBig, CircleCheck, CircleX } from 'lucide-react'
import { useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import type { BaseImage } from '../../../../shared/dockerfile/bases'
import type { CompareResult } from '../../../../shared/types/build'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { useNow } from '../../hooks/use-now'
import { useApp, type CompareJob } from '../../stores'
import { PreflightNotice } from '../build/PreflightNotice'
import { baseMisfit } from '../projects/base-fit'
import { CompareChart } from './CompareChart'
import { CompareExport } from './CompareExport'
import { CompareHistory } from './CompareHistory'
import { compareProgress, compareSlots, compareStatus, DEFAULT_COMPARE_SELECTION, formatElapsed, type Slot } from './compare-model'
import { CompareTable } from './CompareTable'

const live = (j: CompareJob | undefined) => j !== undefined && (j.phase === 'starting' || j.phase === 'running')

/** The bases to tick: every base in the catalog (custom ones included), with why one cannot run this program. */
function BaseChecks({ bases, analysis, chosen, onChange, disabled }: { bases: BaseImage[]; analysis: ProjectAnalysis; chosen: string[]; onChange: (ids: string[]) => void; disabled: boolean }) {
  return (
    <fieldset className="cmp-bases" disabled={disabled} data-testid="compare-bases">
      <legend className="cmp-bases-legend">Bases</legend>
      {bases.map((b) => {
        const misfit = baseMisfit(analysis, b)
        const on = chosen.includes(b.id)
        const box = (
          <Text as="label" size="2" className="cmp-base-check" data-disabled={misfit || disabled ? '' : undefined}>
            <Checkbox
              size="1"
              checked={on}
              disabled={disabled || misfit !== null}
              onCheckedChange={(v) => onChange(v === true ? bases.filter((x) => x.id === b.id || chosen.includes(x.id)).map((x) => x.id) : chosen.filter((id) => id !== b.id))}
              data-testid={`compare-base-${b.id}`}
            />
            {b.label}
          </Text>
        )
        return misfit ? (
          <Tooltip key={b.id} content={misfit}>
            {box}
          </Tooltip>
        ) : (
          <span key={b.id}>{box}</span>
        )
      })}
    </fieldset>
  )
}

/** What the comparison is doing now ("1 of 3 measured · building Alpine" and the step it is at), or how it ended. */
function StatusLine({ job, slots, fromHistory, label }: { job: CompareJob | undefined; slots: Slot[]; fromHistory: CompareResult | null; label: (base: string) => string }) {
  const running = live(job)
  const now = useNow(200, running)
  if (!job) {
    return fromHistory ? (
      <div className="cmp-status" data-testid="compare-status" data-phase="history">
        <CircleCheck size={15} className="cmp-status-icon is-quiet" aria-hidden />
        <Text size="2" color="gray" truncate>
          Last compared {new Date(fromHistory.finishedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
        </Text>
      </div>
    ) : (
      <div className="cmp-status" data-testid="compare-status" data-phase="idle">
        <Text size="2" color="gray" truncate>
          Builds the project on each chosen base and measures every image from the engine.
        </Text>
      </div>
    )
  }
  // The first base still building names the step; the others show theirs in their rows.
  const stepSlot = running ? slots.find((s) => s.state === 'building' && s.step) : undefined
  const elapsed = (job.result?.finishedAt ?? (running ? now : job.startedAt)) - job.startedAt
  const built = job.rows.length
  return (
    <div className="cmp-status" role="status" aria-live="polite" data-testid="compare-status" data-phase={job.phase}>
      {job.phase === 'succeeded' ? (
        <CircleCheck size={15} className="cmp-status-icon is-ok" aria-hidden />
      ) : job.phase === 'failed' ? (
        <CircleX size={15} className="cmp-status-icon is-error" aria-hidden />
      ) : job.phase === 'cancelled' ? (
        <Ban size={15} className="cmp-status-icon is-quiet" aria-hidden />
      ) : (
        <Spinner size="2" />
      )}
      <Text size="2" weight="medium" className="cmp-status-title" data-testid="compare-status-title">
        {job.cancelling
          ? 'Cancelling…'
          : job.phase === 'succeeded'
            ? `Compared ${built} base${built === 1 ? '' : 's'} in ${formatElapsed(elapsed)}${job.failures.length ? `; ${job.failures.length} did not build` : ''}`
            : job.phase === 'failed'
              ? (job.error?.message ?? 'The comparison failed')
              : job.phase === 'cancelled'
                ? `Cancelled after ${built} of ${job.bases.length}`
                : compareStatus(slots, label)}
      </Text>
      <Text size="1" color="gray" className="cmp-status-step mono" truncate title={stepSlot?.step ?? undefined} data-testid="compare-status-step">
        {stepSlot ? `${label(stepSlot.base)}: ${stepSlot.step}` : ''}
      </Text>
      {running && (
        <Text size="1" color="gray" className="cmp-status-time tabular" title="Elapsed">
          {formatElapsed(elapsed)}
        </Text>
      )}
    </div>
  )
}

/**
 * The Compare tab: tick bases, press Compare, and the chart and the table fill in as each base is
 * built and measured; export it, and set it against an earlier comparison of the same project.
 */
export function CompareView({ analysis, bases }: { analysis: ProjectAnalysis; bases: BaseImage[] }) {
  const dir = analysis.root
  const job = useApp((s) => s.compare.jobs[dir])
  const picked = useApp((s) => s.compare.selection[dir])
  const historyState = useApp((s) => s.compare.history[dir])
  const baselineId = useApp((s) => s.compare.baseline[dir] ?? null)
  const setSelection = useApp((s) => s.setCompareSelection)
  const startCompare = useApp((s) => s.startCompare)
  const cancelCompare = useApp((s) => s.cancelCompare)
  const loadHistory = useApp((s) => s.loadCompareHistory)
  const setBaseline = useApp((s) => s.setCompareBaseline)
  const chartRef = useRef<SVGSVGElement>(null)
  const preflight = useApp((s) => s.compare.preflight[dir])
  const makeOffer = useApp((s) => s.makeCompareOffer)
  const cancelOffer = useApp((s) => s.cancelCompareOffer)
  const dismissPreflight = useApp((s) => s.dismissComparePreflight)
  const making = preflight !== undefined && preflight.making !== null && preflight.making.error === null

  useEffect(() => {
    void loadHistory(dir)
  }, [dir, loadHistory])

  const labels = useMemo(() => new Map(bases.map((b) => [b.id, b.label])), [bases])
  const label = useCallback((id: string) => labels.get(id) ?? id, [labels])
  const fits = useMemo(() => bases.filter((b) => baseMisfit(analysis, b) === null).map((b) => b.id), [bases, analysis])
  const chosen = (picked ?? DEFAULT_COMPARE_SELECTION).filter((id) => fits.includes(id))
  const running = live(job)

  // Without a comparison in this window, the newest one from the history is what the page shows.
  const results = historyState?.results ?? null
  const fromHistory = !job ? (results?.[0] ?? null) : null
  const shown: { jobId: string; slots: Slot[]; result: CompareResult | null } | null = job
    ? {
        jobId: job.jobId,
        slots: compareSlots(job.bases, job.rows, job.failures, job.active, !running),
        result: job.result ?? (job.rows.length > 0 && !running ? { jobId: job.jobId, dir, project: job.project, finishedAt: job.startedAt, rows: job.rows, failures: job.failures } : null),
      }
    : fromHistory
      ? { jobId: fromHistory.jobId, slots: compareSlots([...fromHistory.rows.map((r) => r.base), ...fromHistory.failures.map((f) => f.base)], fromHistory.rows, fromHistory.failures, {}, true), result: fromHistory }
      : null
  const baselineResult = baselineId && baselineId !== shown?.jobId ? (results?.find((r) => r.jobId === baselineId) ?? null) : null
  const baseline = baselineResult
    ? { rows: baselineResult.rows, when: `Earlier: ${new Date(baselineResult.finishedAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}` }
    : null

  const start = () => void startCompare({ dir, project: analysis.name, bases: bases.filter((b) => chosen.includes(b.id)).map((b) => b.id), main: analysis.selectedMain ?? undefined })
  const ratio = job && running && shown ? compareProgress(shown.slots, (base) => job.active[base]?.steps ?? []) : null

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || e.defaultPrevented || !running) return
    e.preventDefault()
    cancelCompare(dir)
  }

  const finishedAt = shown?.result && !running ? shown.result.finishedAt : null
  const note = finishedAt === null ? 'Measured from the built images' : `Measured by Slipway · ${new Date(finishedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`
  const title = `${analysis.name} on ${shown ? shown.slots.length : chosen.length} base${(shown ? shown.slots.length : chosen.length) === 1 ? '' : 's'}`

  return (
    <section className="cmp-view" aria-label="Compare bases" onKeyDown={onKeyDown} data-testid="compare-view">
      <div className="panel cmp-panel">
        <header className="cmp-head">
          <BaseChecks bases={bases} analysis={analysis} chosen={chosen} onChange={(ids) => setSelection(dir, ids)} disabled={running} />
        </header>
        <div className="cmp-statusbar">
          <StatusLine job={job} slots={shown?.slots ?? []} fromHistory={fromHistory} label={label} />
          <div className="cmp-head-actions">
            <CompareExport result={running ? null : (shown?.result ?? null)} chart={chartRef} />
            {running ? (
              <Button size="2" variant="soft" color="red" onClick={() => cancelCompare(dir)} disabled={job?.cancelling} className="cmp-go" data-testid="compare-cancel">
                Cancel
                <Kbd size="1">Esc</Kbd>
              </Button>
            ) : (
              <Button size="2" onClick={start} disabled={chosen.length === 0 || making} className="cmp-go" data-testid="compare-start">
                <ChartBarBig size={15} aria-hidden />
                Compare {chosen.length} base{chosen.length === 1 ? '' : 's'}
              </Button>
            )}
          </div>
          <div className="cmp-progress">
            {running && <Progress size="1" aria-label="Comparison progress" {...(ratio === null ? {} : { value: Math.round(ratio * 100) })} />}
          </div>
        </div>

        <div className="cmp-body">
          {preflight && (
            <div className="cmp-preflight" data-testid="compare-preflight">
              <PreflightNotice
                findings={preflight.findings}
                title="The comparison did not start"
                then="compare"
                onDismiss={() => dismissPreflight(dir)}
                making={preflight.making}
                onMake={() => void makeOffer(dir)}
                onCancelMake={() => cancelOffer(dir)}
              />
            </div>
          )}
          {shown ? (
            <>
              <div className="cmp-card">
                <CompareChart title={title} note={note} slots={shown.slots} label={label} baseline={baseline} svgRef={chartRef} />
              </div>
              <CompareTable dir={dir} slots={shown.slots} label={label} baseline={baseline} running={running} />
            </>
          ) : (
            <div className="cmp-empty" data-testid="compare-empty">
              <ChartBarBig size={22} aria-hidden className="cmp-empty-icon" />
              <Text as="p" size="3" weight="medium">
                The same app on every base, side by side
              </Text>
              <Text as="p" size="2" color="gray" className="cmp-empty-text">
                Tick the bases and press Compare. Each image is measured from the engine: its size, what a pull transfers, the Go binary and what the base
                adds, and whether it has a shell, CA certificates, time zone data or a package manager.
              </Text>
            </div>
          )}
          <CompareHistory results={results} loading={historyState?.loading ?? false} error={historyState?.error?.message ?? null} shownId={shown?.jobId ?? null} baselineId={baselineResult ? baselineId : null} label={label} onPick={(id) => setBaseline(dir, id)} />
        </div>
      </div>
    </section>
  )
}

