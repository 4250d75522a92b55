import { Tooltip } from '@radix-ui/themes'
import type { Evidence } from '../../../../shared/types/project'

const where = (e: Evidence) => `${e.file}:${e.line}`

/** One `file:line` chip; its tooltip shows the source line. Focusable, so the tooltip works from the keyboard. */
export function EvidenceChip({ evidence }: { evidence: Evidence }) {
  return (
    <Tooltip
      content={
        <span className="evidence-tip">
          <span className="evidence-tip-where">{where(evidence)}</span>
          {evidence.text ? <code className="evidence-tip-code">{evidence.text}</code> : null}
        </span>
      }
    >
      <span className="evidence-chip" tabIndex={0} data-testid="evidence" aria-label={`${where(evidence)}${evidence.text ? `: ${evidence.text}` : ''}`}>
        {where(evidence)}
      </span>
    </Tooltip>
  )
}

/** Up to `max` chips, then a "+N" chip whose tooltip lists the rest. */
export function EvidenceChips({ evidence, max = 3 }: { evidence: readonly Evidence[]; max?: number }) {
  if (evidence.length === 0) return null
  const shown = evidence.slice(0, max)
  const rest = evidence.slice(max)
  return (
    <span className="evidence-list">
      {shown.map((e) => (
        <EvidenceChip key={`${e.file}:${e.line}`} evidence={e} />
      ))}
      {rest.length > 0 && (
        <Tooltip content={rest.map(where).join(', ')}>
          <span className="evidence-chip is-more" tabIndex={0} aria-label={`${rest.length} more: ${rest.map(where).join(', ')}`}>
            +{rest.length}
          </span>
        </Tooltip>
      )}
    </span>
  )
}
