import { Button, Code, Flex, Heading, Separator, Spinner, Text } from '@radix-ui/themes'
import { CircleExclamationPoint, RefreshCw } from 'lucide-react'
import type { ReactNode } from 'react'
import { formatDurationShort } from '../../../../shared/format'
import type { EngineState } from '../../../../shared/types/engine'
import { FixSteps } from '../../components/FixText'
import { PropertyList } from '../../components/PropertyList'
import { StatusDot } from '../../components/StatusDot'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { EngineDetails } from '../engine/EngineDetails'
import { endpointSource } from '../engine/engine-labels'
import { RetryCountdown } from './RetryCountdown'

/** The button that asks the host to reconnect now; shows a spinner while it waits. */
function RetryButton({ label }: { label: string }) {
  const reconnect = useApp((s) => s.reconnect)
  const busy = useApp((s) => s.engine.reconnecting)
  return (
    <Button size="1" variant="soft" onClick={() => void reconnect()} disabled={busy}>
      <Spinner loading={busy} size="1">
        <RefreshCw size={13} aria-hidden />
      </Spinner>
      {label}
    </Button>
  )
}

function ReconnectError() {
  const error = useApp((s) => s.engine.reconnectError)
  if (!error) return null
  return (
    <Text as="p" size="1" color="red" mt="2" role="alert">
      {error}
    </Text>
  )
}

function Footer({ children }: { children: ReactNode }) {
  return (
    <>
      <Separator size="4" my="3" />
      <Flex align="center" justify="between" gap="3">
        {children}
      </Flex>
      <ReconnectError />
    </>
  )
}

/** What the status bar's engine item opens: the details when connected, the problem and its fix when not. */
export function EnginePopover({ state, unreachable }: { state: EngineState | null; unreachable: boolean }) {
  const now = useNow(1000, state?.status === 'unavailable')

  if (state?.status === 'connected')
    return (
      <>
        <Flex align="center" gap="2" mb="3">
          <StatusDot tone="ok" />
          <Heading as="h2" size="2">
            Connected to Docker {state.info.version}
          </Heading>
        </Flex>
        <EngineDetails info={state.info} since={state.since} />
        <Footer>
          <Text size="1" color="gray">
            Slipway watches the engine and reconnects by itself.
          </Text>
          <RetryButton label="Reconnect" />
        </Footer>
      </>
    )

  if (state?.status === 'unavailable')
    return (
      <>
        <Flex gap="2" align="start">
          <CircleExclamationPoint size={16} className="popover-error-icon" aria-hidden />
          <Flex direction="column" gap="1" minWidth="0">
            <Heading as="h2" size="2">
              {state.error.message}
            </Heading>
            {state.error.detail && (
              <Text as="div" size="2" color="gray" className="selectable engine-fix" data-testid="engine-fix">
                <FixSteps text={state.error.detail} testId="engine-fix-steps" />
              </Text>
            )}
          </Flex>
        </Flex>
        <Separator size="4" my="3" />
        <PropertyList
          label="Engine endpoint"
          items={[
            { label: 'Endpoint', value: state.endpoint.host || '—', mono: true },
            { label: 'Found by', value: endpointSource(state.endpoint) + (state.endpoint.tls ? ' · TLS' : '') },
            { label: 'Unavailable for', value: formatDurationShort(now - state.since) },
          ]}
        />
        <Footer>
          <Text size="1" color="gray">
            <RetryCountdown at={state.nextRetryAt} />
          </Text>
          <RetryButton label="Retry now" />
        </Footer>
      </>
    )

  if (!state && unreachable)
    return (
      <>
        <Flex align="center" gap="2" mb="2">
          <StatusDot tone="unknown" />
          <Heading as="h2" size="2">
            Slipway is not reachable
          </Heading>
        </Flex>
        <Text as="p" size="2" color="gray">
          This tab talks to Slipway over a local connection, and Slipway talks to Docker. Is <Code size="1">npm run web</Code> still running? The page
          reconnects by itself.
        </Text>
      </>
    )

  return (
    <>
      <Flex align="center" gap="2" mb="3">
        <StatusDot tone="pending" />
        <Heading as="h2" size="2">
          Connecting to Docker…
        </Heading>
      </Flex>
      {state?.endpoint.host ? (
        <PropertyList
          label="Engine endpoint"
          items={[
            { label: 'Endpoint', value: state.endpoint.host, mono: true },
            { label: 'Found by', value: endpointSource(state.endpoint) },
          ]}
        />
      ) : (
        <Text as="p" size="2" color="gray">
          Looking for the engine the way the docker CLI does: DOCKER_HOST, then the current docker context, then the default socket.
        </Text>
      )}
    </>
  )
}
