import './build.css'
import { Button, Callout, Kbd, Progress, Spinner, Text } from '@radix-ui/themes'
import { Ban, CircleCheck, CircleExclamationPoint, CircleX, Hammer, Info } from 'lucide-react'
import { useCallback, useState, type KeyboardEvent } from 'react'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { EmptyState } from '../../components/EmptyState'
import { modKey } from '../../hooks/platform'
import { useNow } from '../../hooks/use-now'
import { useApp, type BuildJob } from '../../stores'
import { BaseSelect } from '../projects/BaseSelect'
import type { RecipeView } from '../projects/recipe-view'
import { buildProgress, formatDuration } from './build-model'
import { BuildLog } from './BuildLog'
import { BuildFailed, BuildSucceeded } from './BuildResult'
import { PreflightNotice } from './PreflightNotice'
import { StepList } from './StepList'

const live = (j: BuildJob | undefined) => j !== undefined && (j.phase === 'starting' || j.phase === 'running')

/** The chosen base, as the next build will use it; shows the base being built while a build runs. */
function BaseChoice({ view, analysis, building }: { view: RecipeView; analysis: ProjectAnalysis; building: string | null }) {
  return (
    <Text as="div" size="1" className="build-base">
      <span className="build-base-label" id="build-base-label">
        Base
      </span>
      <BaseSelect analysis={analysis} view={view} labelledBy="build-base-label" className="build-base-trigger" value={building ?? undefined} disabled={building !== null} testId="build-base" />
    </Text>
  )
}

function StatusLine({ job, baseLabel }: { job: BuildJob; baseLabel: string }) {
  const running = live(job)
  const now = useNow(200, running)
  const { done, seen } = buildProgress(job.steps)
  const elapsed = job.record ? job.record.durationMs : Math.max(0, now - job.startedAt)
  const icon =
    job.phase === 'succeeded' ? (
      <CircleCheck size={16} className="build-status-icon is-ok" aria-hidden />
    ) : job.phase === 'failed' ? (
      <CircleX size={16} className="build-status-icon is-error" aria-hidden />
    ) : job.phase === 'cancelled' ? (
      <Ban size={16} className="build-status-icon is-cancelled" aria-hidden />
    ) : (
      <Spinner size="2" />
    )
  const title =
    job.phase === 'succeeded'
      ? `Built on ${baseLabel}`
      : job.phase === 'failed'
        ? `Build failed on ${baseLabel}`
        : job.phase === 'cancelled'
          ? `Cancelled on ${baseLabel}`
          : job.cancelling
            ? 'Cancelling…'
            : job.phase === 'starting'
              ? `Starting on ${baseLabel}…`
              : `Building on ${baseLabel}`
  return (
    <div className="build-status" role="status" aria-live="polite" data-testid="build-status" data-phase={job.phase}>
      {icon}
      <Text size="2" weight="medium" className="build-status-title" truncate>
        {title}
      </Text>
      <Text size="1" color="gray" className="build-status-steps tabular" data-testid="build-step-count">
        {seen === 0 ? '' : `${done} of ${seen} steps`}
      </Text>
      <Text size="1" color="gray" className="build-status-time tabular" data-testid="build-elapsed" title="Elapsed">
        {formatDuration(elapsed)}
      </Text>
    </div>
  )
}

/** The steps and the log of one build, side by side; a step selected in the list filters the log. */
function JobBody({ job }: { job: BuildJob }) {
  const [filter, setFilter] = useState<string | null>(null)
  const running = live(job)
  const now = useNow(200, running)
  const onSelect = useCallback((id: string) => setFilter((f) => (f === id ? null : id)), [])
  return (
    <div className="build-body">
      <StepList steps={job.steps} now={now} selected={filter} onSelect={onSelect} />
      <BuildLog log={job.log} revision={job.logRevision} steps={job.steps} filter={filter} onFilter={setFilter} joinedLate={job.joinedLate} live={running} />
    </div>
  )
}

/** The Build tab: the chosen base, preflight, live steps and log, and what the build made or why it failed. */
export function BuildView({ analysis, view, onBuild }: { analysis: ProjectAnalysis; view: RecipeView; onBuild: () => void }) {
  const dir = analysis.root
  const job = useApp((s) => {
    const id = s.build.shown[dir]
    return id ? s.build.jobs[id] : undefined
  })
  const preflight = useApp((s) => s.build.preflight[dir])
  const dismissPreflight = useApp((s) => s.dismissPreflight)
  const makeOfferedBases = useApp((s) => s.makeOfferedBases)
  const cancelOfferedBases = useApp((s) => s.cancelOfferedBases)
  const cancelBuild = useApp((s) => s.cancelBuild)
  const overrides = useApp((s) => s.project.recipe.builderImage.trim() !== '' || s.project.recipe.version.trim() !== '' || s.project.recipe.commit.trim() !== '')
  const running = live(job)
  const baseLabel = (id: string) => view.bases.find((b) => b.id === id)?.label ?? id
  const { ratio } = buildProgress(job?.steps ?? [])
  const checking = preflight?.status === 'checking'
  const making = preflight?.status === 'blocked' && preflight.making !== null && preflight.making.error === null

  // Esc anywhere in the build view (not in an open menu, which closes itself) cancels a running build.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || e.defaultPrevented || !running || !job) return
    if (!e.currentTarget.contains(e.target as Node)) return
    e.preventDefault()
    cancelBuild(job.jobId)
  }

  return (
    <section className="build-view" aria-label="Build" onKeyDown={onKeyDown} data-testid="build-view">
      <div className="panel build-panel">
        <header className="panel-header build-head">
          <BaseChoice view={view} analysis={analysis} building={running && job ? job.base || null : null} />
          <div className="build-head-status">
            {checking ? (
              <div className="build-status" role="status" data-testid="build-status" data-phase="checking">
                <Spinner size="2" />
                <Text size="2" weight="medium" className="build-status-title">
                  Checking the builder, the base and the context…
                </Text>
              </div>
            ) : job ? (
              <StatusLine job={job} baseLabel={baseLabel(job.base)} />
            ) : null}
          </div>
          {running && job ? (
            <Button size="1" variant="soft" color="red" onClick={() => cancelBuild(job.jobId)} disabled={job.cancelling} data-testid="build-cancel">
              Cancel
              <Kbd size="1">Esc</Kbd>
            </Button>
          ) : (
            <Button size="1" onClick={onBuild} disabled={checking || making} data-testid="build-again">
              <Hammer size={13} aria-hidden />
              {job ? 'Build again' : 'Build'}
            </Button>
          )}
        </header>
        <div className="build-progress" aria-hidden={!job && !checking}>
          {(job || checking) && (
            <Progress
              size="1"
              color={job?.phase === 'failed' ? 'red' : job?.phase === 'cancelled' ? 'gray' : job?.phase === 'succeeded' ? 'green' : undefined}
              aria-label="Build progress"
              {...(checking || !job || (ratio === null && running) ? {} : { value: job.phase === 'succeeded' ? 100 : Math.round((ratio ?? 0) * 100) })}
            />
          )}
        </div>

        {(preflight?.status === 'blocked' || preflight?.status === 'failed' || (job && (job.warnings.length > 0 || job.phase === 'failed' || job.phase === 'cancelled' || job.phase === 'succeeded')) || overrides) && (
          <div className="build-notices">
            {preflight?.status === 'blocked' && (
              <PreflightNotice
                findings={preflight.findings}
                onDismiss={() => dismissPreflight(dir)}
                making={preflight.making}
                onMake={() => void makeOfferedBases(dir)}
                onCancelMake={() => cancelOfferedBases(dir)}
              />
            )}
            {preflight?.status === 'failed' && (
              <Callout.Root color="red" size="1" className="build-callout" role="alert" data-testid="preflight-failed">
                <Callout.Icon>
                  <CircleExclamationPoint size={15} />
                </Callout.Icon>
                <div className="build-callout-body">
                  <Text as="p" size="2" weight="medium" className="selectable">
                    {preflight.error.message}
                  </Text>
                  {preflight.error.detail && (
                    <Text as="p" size="1" color="gray" className="selectable">
                      {preflight.error.detail}
                    </Text>
                  )}
                </div>
              </Callout.Root>
            )}
            {!preflight && job && job.warnings.length > 0 && <PreflightNotice findings={job.warnings} />}
            {job?.phase === 'succeeded' && job.record && <BuildSucceeded record={job.record} />}
            {job && (job.phase === 'failed' || job.phase === 'cancelled') && <BuildFailed job={job} />}
            {overrides && (
              <Text as="p" size="1" color="gray" className="build-override-note">
                <Info size={12} aria-hidden /> This build uses the Builder, Version and Commit set on the Recipe tab instead of Settings and git.
              </Text>
            )}
          </div>
        )}

        {job ? (
          <JobBody key={job.jobId} job={job} />
        ) : (
          !checking && (
            <div className="build-empty">
              <EmptyState
                icon={<Hammer size={20} aria-hidden />}
                title={`Build ${analysis.name} on ${view.base.label}`}
                footer={
                  <Button size="2" onClick={onBuild} data-testid="build-empty-start">
                    <Hammer size={14} aria-hidden />
                    Build
                    <Kbd size="1">{modKey === '⌘' ? '⌘B' : 'Ctrl+B'}</Kbd>
                  </Button>
                }
              >
                Slipway checks the builder image, the base and the size of the context first, then builds on your Docker Engine. The Dockerfile travels
                with the build: nothing is written into the project.
              </EmptyState>
            </div>
          )
        )}
      </div>
    </section>
  )
}
