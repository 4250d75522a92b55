import { IconButton, Spinner, Tooltip } from '@radix-ui/themes'
import { Layers, RefreshCw } from 'lucide-react'
import { formatCount } from '../../../../shared/format'
import { EmptyState } from '../../components/EmptyState'
import { useApp } from '../../stores'
import { EngineActivity } from '../engine/EngineActivity'
import { EnginePanel } from '../engine/EnginePanel'
import { PageToolbar } from '../shell/PageToolbar'

/** Images: the images Slipway builds (none yet), the engine they live on, and its recent activity. */
export function ImagesPage() {
  const images = useApp((s) => (s.engine.state?.status === 'connected' ? s.engine.state.info.images : null))
  const reconnect = useApp((s) => s.reconnect)
  const busy = useApp((s) => s.engine.reconnecting)

  return (
    <>
      <PageToolbar
        title="Images"
        subtitle="Built by Slipway from your projects"
        actions={
          <Tooltip content="Reconnect to Docker">
            <IconButton size="1" variant="ghost" color="gray" aria-label="Reconnect to Docker" onClick={() => void reconnect()} disabled={busy}>
              <Spinner loading={busy} size="1">
                <RefreshCw size={14} aria-hidden />
              </Spinner>
            </IconButton>
          </Tooltip>
        }
      />
      <div className="page-body">
        <div className="images-layout">
          <div className="images-empty">
            <EmptyState icon={<Layers size={22} strokeWidth={1.5} />} title="No images built yet">
              Images you build from a project are listed here with their base, size and layers, ready to compare and inspect.
              <span className="empty-state-meta tabular">
                {images === null ? 'Connect to Docker to see what the engine already holds.' : `The engine holds ${formatCount(images, 'image')} in all, from every tool that uses it.`}
              </span>
            </EmptyState>
          </div>
          <EnginePanel />
          <EngineActivity />
        </div>
      </div>
    </>
  )
}
