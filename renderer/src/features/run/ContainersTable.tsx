import './run.css'
import { Link, Text } from '@radix-ui/themes'
import { Box } from 'lucide-react'
import { useEffect, useState } from 'react'
import { formatRelativeTime } from '../../../../shared/format'
import { EmptyState } from '../../components/EmptyState'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { RunPanelDialog, StateBadge } from './RunPanel'

/** The containers Slipway started, running ones first; a row opens its panel (logs, Stop, Remove). */
export function ContainersTable() {
  const list = useApp((s) => s.run.containers)
  const error = useApp((s) => s.run.listError)
  const load = useApp((s) => s.loadContainers)
  const connected = useApp((s) => s.engine.state?.status === 'connected')
  const [panel, setPanel] = useState<string | null>(null)
  const now = useNow(30_000)

  useEffect(() => {
    if (connected) void load()
  }, [connected, load])

  if (error && !list)
    return (
      <div className="page-center">
        <EmptyState title={error.message}>{error.detail && <FixText text={error.detail} />}</EmptyState>
      </div>
    )
  if (list && list.length === 0)
    return (
      <div className="page-center">
        <EmptyState icon={<Box size={22} strokeWidth={1.5} />} title="No containers yet">
          Open an image and press Run… to start one. Containers Slipway starts are listed here.
        </EmptyState>
      </div>
    )
  return (
    <>
      <div className="ctable" role="table" aria-label="Containers">
        <div className="ctable-head" role="row">
          <span role="columnheader">Name</span>
          <span role="columnheader">Image</span>
          <span role="columnheader">State</span>
          <span role="columnheader">Ports</span>
          <span role="columnheader" className="ctable-right">
            Started
          </span>
        </div>
        {(list ?? []).map((c) => (
          <div
            key={c.id}
            role="row"
            tabIndex={0}
            className="ctable-row"
            data-testid="container-row"
            onClick={() => setPanel(c.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault()
                setPanel(c.id)
              }
            }}
          >
            <span role="cell" className="ctable-cell run-mono">
              {c.name}
            </span>
            <span role="cell" className="ctable-cell run-mono" title={c.image}>
              <Text color="gray">{c.image}</Text>
            </span>
            <span role="cell" className="ctable-cell">
              <StateBadge c={c} />
            </span>
            <span role="cell" className="ctable-cell">
              {c.state === 'running'
                ? c.urls.map((u) => (
                    <Link key={u} href={u} target="_blank" rel="noopener noreferrer" mr="2" size="2" onClick={(e) => e.stopPropagation()}>
                      {u.replace('http://', '')}
                    </Link>
                  ))
                : c.ports.map((p) => `${p.host}→${p.container}`).join(', ') || <Text color="gray">—</Text>}
            </span>
            <span role="cell" className="ctable-cell ctable-right">
              <Text color="gray">{c.startedAt ? formatRelativeTime(c.startedAt, now) : '—'}</Text>
            </span>
          </div>
        ))}
      </div>
      <RunPanelDialog id={panel} onClose={() => setPanel(null)} />
    </>
  )
}
