import { CircleExclamationPoint, Info, TriangleExclamationPoint, type LucideIcon } from 'lucide-react'
import type { Notice, Severity } from '../../../../shared/types/project'
import { FixText } from '../../components/FixText'
import { EvidenceChips } from './EvidenceChips'

const ORDER: readonly Severity[] = ['error', 'warning', 'info']
const HEADINGS: Record<Severity, [string, string]> = { error: ['Error', 'Errors'], warning: ['Warning', 'Warnings'], info: ['Note', 'Notes'] }
const ICONS: Record<Severity, LucideIcon> = { error: CircleExclamationPoint, warning: TriangleExclamationPoint, info: Info }

/** Notices grouped by severity, errors first, each with its detail and evidence; `compact` leaves out the group titles (the icons tell). */
export function NoticeList({ notices, title, empty, compact = false }: { notices: readonly Notice[]; title: string; empty?: string; compact?: boolean }) {
  const groups = ORDER.map((severity) => ({ severity, items: notices.filter((n) => n.severity === severity) })).filter((g) => g.items.length > 0)
  return (
    <section className="notice-list" aria-label={title} data-testid="notices">
      <h3 className="finding-group-title">
        <span>{title}</span>
        {notices.length > 0 && <span className="finding-group-aside tabular">{notices.length}</span>}
      </h3>
      {groups.length === 0 && empty && <p className="notice-empty">{empty}</p>}
      {groups.map(({ severity, items }) => {
        const Icon = ICONS[severity]
        return (
          <div key={severity} className="notice-group" data-severity={severity}>
            {!compact && (
              <div className="notice-group-title">
                {HEADINGS[severity][items.length === 1 ? 0 : 1]}
                <span className="tabular"> · {items.length}</span>
              </div>
            )}
            <ul>
              {items.map((n, i) => (
                <li key={`${n.code}-${i}`} className="notice" data-code={n.code}>
                  <Icon size={14} className="notice-icon" aria-hidden />
                  <div className="notice-text">
                    <p className="notice-message">{n.message}</p>
                    {n.detail && (
                      <p className="notice-detail">
                        <FixText text={n.detail} />
                      </p>
                    )}
                    {n.evidence && n.evidence.length > 0 && <EvidenceChips evidence={n.evidence} />}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        )
      })}
    </section>
  )
}
