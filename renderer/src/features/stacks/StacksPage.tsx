import '../run/run.css'
import './stacks.css'
import { IconButton, Spinner, Tooltip } from '@radix-ui/themes'
import { Boxes, RefreshCw } from 'lucide-react'
import { useEffect } from 'react'
import { formatCount } from '../../../../shared/format'
import { EmptyState } from '../../components/EmptyState'
import { FixSteps } from '../../components/FixText'
import { useApp } from '../../stores'
import { PageToolbar } from '../shell/PageToolbar'
import { StackDetail } from './StackDetail'
import { StackList } from './StackList'

/**
 * Stacks: the open project's dev stack (the app next to Postgres) with its proposal, Up/Down,
 * per-service progress, connection details and merged logs; and every other Slipway stack on the
 * engine in a list beside it. The page stays live through the engine's events, whoever runs compose.
 */
export function StacksPage() {
  const connected = useApp((s) => s.engine.state?.status === 'connected')
  const loadStacks = useApp((s) => s.loadStacks)
  const listLoading = useApp((s) => s.stacks.listLoading)
  const list = useApp((s) => s.stacks.list)
  const projectDir = useApp((s) => s.project.analysis?.root ?? null)
  const selected = useApp((s) => s.stacks.selected)
  const engineError = useApp((s) => (s.engine.state?.status === 'unavailable' ? s.engine.state.error : null))

  useEffect(() => {
    if (connected) void loadStacks()
  }, [connected, loadStacks])

  const dir = selected ?? projectDir
  const running = list?.filter((s) => s.services.some((x) => x.phase === 'running' || x.phase === 'healthy')).length ?? 0

  return (
    <>
      <PageToolbar
        title="Stacks"
        subtitle={list === null ? 'Your app with its database, for development' : `${formatCount(list.length, 'stack')} on the engine${running ? `, ${running} running` : ''}`}
        actions={
          <Tooltip content="Read the stacks again">
            <IconButton size="1" variant="ghost" color="gray" aria-label="Refresh the stacks" onClick={() => void loadStacks()} disabled={listLoading || !connected}>
              <Spinner loading={listLoading} size="1">
                <RefreshCw size={14} aria-hidden />
              </Spinner>
            </IconButton>
          </Tooltip>
        }
      />
      <div className="stacks-layout">
        <StackList current={projectDir} shown={dir} />
        <div className="stacks-main" data-testid="stacks-main">
          {engineError ? (
            <div className="page-center">
              <EmptyState icon={<Boxes size={22} strokeWidth={1.5} />} title={engineError.message}>
                {engineError.detail && (
                  <div className="engine-fix">
                    <FixSteps text={engineError.detail} />
                  </div>
                )}
              </EmptyState>
            </div>
          ) : dir ? (
            <StackDetail key={dir} dir={dir} isProject={dir === projectDir} />
          ) : (
            <div className="page-center">
              <EmptyState icon={<Boxes size={22} strokeWidth={1.5} />} title="No project open">
                Open a Go project on the Projects page: its stack is the app Slipway builds next to a Postgres database, one click away.
              </EmptyState>
            </div>
          )}
        </div>
      </div>
    </>
  )
}
