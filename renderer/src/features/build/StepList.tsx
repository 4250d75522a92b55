import { Badge, Spinner, Text } from '@radix-ui/themes'
import { Ban, CircleCheck, CircleDashed, CircleX } from 'lucide-react'
import { memo } from 'react'
import { formatBytes } from '../../../../shared/format'
import type { BuildStep } from '../../../../shared/types/build'
import { formatDuration, splitStepName, stepDuration } from './build-model'

function StatusIcon({ step }: { step: BuildStep }) {
  switch (step.status) {
    case 'running':
      return <Spinner size="1" className="step-icon" aria-label="running" />
    case 'done':
    case 'cached':
      return <CircleCheck size={14} className="step-icon is-done" aria-label={step.cached ? 'cached' : 'done'} />
    case 'error':
      return <CircleX size={14} className="step-icon is-error" aria-label="failed" />
    case 'cancelled':
      return <Ban size={14} className="step-icon is-cancelled" aria-label="cancelled" />
    default:
      return <CircleDashed size={14} className="step-icon is-waiting" aria-label="waiting" />
  }
}

/** Bytes moved by a transfer step: "1.2 MB" or "1.2 / 4.8 MB" when the total is known. */
function transferred(step: BuildStep): string | null {
  if (step.current <= 0) return null
  if (step.total && step.total > step.current) return `${formatBytes(step.current)} / ${formatBytes(step.total)}`
  return formatBytes(step.current)
}

const StepRow = memo(function StepRow({ step, now, selected, onSelect }: { step: BuildStep; now: number; selected: boolean; onSelect: (id: string) => void }) {
  const { tag, text } = splitStepName(step.name)
  const ms = stepDuration(step, now)
  const bytes = transferred(step)
  return (
    <li>
      <button
        type="button"
        className="step-row"
        data-status={step.status}
        data-internal={step.internal ? '' : undefined}
        aria-pressed={selected}
        onClick={() => onSelect(step.id)}
        title={`${step.name}${step.error ? `\n${step.error}` : ''}\nShow only this step’s log`}
        data-testid="build-step"
      >
        <StatusIcon step={step} />
        <span className="step-index tabular">{step.index}</span>
        <span className="step-name">
          <span className="step-line mono">
            {tag && <span className="step-tag">{tag}</span>}
            {tag && ' '}
            {text}
          </span>
          {step.error && step.status === 'error' && <span className="step-error">{step.error}</span>}
        </span>
        <span className="step-meta">
          {step.cached ? (
            <Badge size="1" variant="soft" color="gray" className="step-cached">
              CACHED
            </Badge>
          ) : (
            <span className="step-time tabular">{ms === null ? '' : formatDuration(ms)}</span>
          )}
          {bytes && <span className="step-bytes tabular">{bytes}</span>}
        </span>
      </button>
    </li>
  )
})

/** The steps of a build in first-seen order: status, index, stage and name, CACHED, bytes moved, duration. Selecting one filters the log. */
export function StepList({ steps, now, selected, onSelect }: { steps: readonly BuildStep[]; now: number; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <section className="step-list" aria-label="Build steps">
      {steps.length === 0 ? (
        <Text as="p" size="1" color="gray" className="step-empty">
          Waiting for the first step…
        </Text>
      ) : (
        <ol className="step-items" data-testid="build-steps">
          {steps.map((s) => (
            // Only running rows change with the clock: finished ones get a fixed `now` so memo keeps them.
            <StepRow key={s.id} step={s} now={s.status === 'running' || s.status === 'waiting' ? now : 0} selected={selected === s.id} onSelect={onSelect} />
          ))}
        </ol>
      )}
    </section>
  )
}
