import { Popover, VisuallyHidden } from '@radix-ui/themes'
import { Unplug } from 'lucide-react'
import { formatCount } from '../../../../shared/format'
import type { EngineState } from '../../../../shared/types/engine'
import { StatusDot } from '../../components/StatusDot'
import { useApp } from '../../stores'
import { engineSummary, shortMessage } from '../engine/engine-labels'
import { EnginePopover } from './EnginePopover'
import { RetryCountdown } from './RetryCountdown'

function EngineSummary({ state, unreachable }: { state: EngineState | null; unreachable: boolean }) {
  if (state?.status === 'connected')
    return (
      <>
        <StatusDot tone="ok" />
        <span className="status-text">
          Docker <span data-testid="engine-version">{state.info.version}</span>
          {engineSummary(state.info).map((part) => (
            <span key={part}>
              <span className="status-sep" aria-hidden="true">
                ·
              </span>
              {part}
            </span>
          ))}
        </span>
      </>
    )
  if (state?.status === 'unavailable')
    return (
      <>
        <StatusDot tone="error" />
        <span className="status-text">
          {shortMessage(state.error.message)}
          <span className="status-sep" aria-hidden="true">
            ·
          </span>
          <RetryCountdown at={state.nextRetryAt} />
        </span>
      </>
    )
  return (
    <>
      <StatusDot tone={unreachable ? 'unknown' : 'pending'} />
      <span className="status-text">{unreachable ? 'Docker state unknown' : 'Connecting to Docker…'}</span>
    </>
  )
}

/** What a screen reader hears when the engine state changes; the countdown is left out on purpose. */
function announcement(state: EngineState | null): string {
  if (state?.status === 'connected') return `Connected to Docker ${state.info.version}.`
  if (state?.status === 'unavailable') return `Docker unavailable: ${state.error.message}`
  return 'Connecting to Docker.'
}

/**
 * The bar along the bottom: the live engine state (click for details or the fix), what the engine
 * holds, and whether this browser tab still reaches Slipway.
 */
export function StatusBar() {
  const state = useApp((s) => s.engine.state)
  const socket = useApp((s) => s.transport.socket)
  const everOpened = useApp((s) => s.transport.everOpened)
  // The transport reports "closed" on the first failed attempt too, so a page that never reached Slipway says so.
  const lost = socket === 'closed'
  const status = state?.status ?? 'connecting'

  return (
    <footer className="statusbar" data-testid="engine-status" data-engine={status} data-transport={socket}>
      {lost && (
        <div className="status-item is-warning">
          <Unplug size={13} aria-hidden />
          <span className="status-text">{everOpened ? 'Lost connection to Slipway — reconnecting' : 'Cannot reach Slipway — retrying'}</span>
        </div>
      )}

      <Popover.Root>
        <Popover.Trigger>
          <button
            type="button"
            className="status-item status-engine"
            data-tone={status === 'unavailable' ? 'error' : undefined}
            data-stale={lost || undefined}
          >
            <EngineSummary state={state} unreachable={lost} />
          </button>
        </Popover.Trigger>
        <Popover.Content size="2" side="top" align="start" sideOffset={6} className="engine-popover" aria-label="Docker Engine">
          <EnginePopover state={state} unreachable={lost} />
        </Popover.Content>
      </Popover.Root>

      <div className="status-spacer" />

      {state?.status === 'connected' && (
        <div className="status-item status-counts" data-stale={lost || undefined}>
          <span className="status-text tabular">
            {formatCount(state.info.images, 'image')}
            <span className="status-sep" aria-hidden="true">
              ·
            </span>
            {formatCount(state.info.containers, 'container')} ({state.info.containersRunning.toLocaleString('en-US')} running)
          </span>
        </div>
      )}

      <VisuallyHidden role="status">{lost ? (everOpened ? 'Lost connection to Slipway.' : 'Cannot reach Slipway.') : announcement(state)}</VisuallyHidden>
    </footer>
  )
}
