import { Badge, Button, Flex, Spinner, Text } from '@radix-ui/themes'
import { RefreshCw } from 'lucide-react'
import { useApp } from '../../stores'
import { FixSteps } from '../../components/FixText'
import { PropertyList } from '../../components/PropertyList'
import { EngineDetails } from './EngineDetails'
import { endpointSource } from './engine-labels'

/** A panel describing the engine: every fact when connected, the endpoint and the fix when not. */
export function EnginePanel() {
  const state = useApp((s) => s.engine.state)
  const reconnect = useApp((s) => s.reconnect)
  const busy = useApp((s) => s.engine.reconnecting)

  const badge =
    state?.status === 'connected' ? (
      <Badge size="1" color="green" variant="soft">
        Connected
      </Badge>
    ) : state?.status === 'unavailable' ? (
      <Badge size="1" color="red" variant="soft">
        Unavailable
      </Badge>
    ) : (
      <Badge size="1" color="gray" variant="soft">
        Connecting
      </Badge>
    )

  return (
    <section className="panel" aria-labelledby="engine-panel-title">
      <div className="panel-header">
        <Text id="engine-panel-title" size="2" weight="medium">
          Docker Engine
        </Text>
        {badge}
      </div>
      <div className="panel-body">
        {state?.status === 'connected' ? (
          <EngineDetails info={state.info} since={state.since} />
        ) : (
          <Flex direction="column" gap="3">
            {state?.status === 'unavailable' && (
              <div>
                <Text as="p" size="2" weight="medium">
                  {state.error.message}
                </Text>
                {state.error.detail && (
                  <Text as="div" size="2" color="gray" mt="1" className="selectable engine-fix">
                    <FixSteps text={state.error.detail} />
                  </Text>
                )}
              </div>
            )}
            <PropertyList
              label="Engine endpoint"
              items={[
                { label: 'Endpoint', value: state?.endpoint.host || '—', mono: true },
                { label: 'Found by', value: state?.endpoint.host ? endpointSource(state.endpoint) : '—' },
              ]}
            />
            {state?.status === 'unavailable' && (
              <Flex justify="end">
                <Button size="1" variant="soft" onClick={() => void reconnect()} disabled={busy}>
                  <Spinner loading={busy} size="1">
                    <RefreshCw size={13} aria-hidden />
                  </Spinner>
                  Retry now
                </Button>
              </Flex>
            )}
          </Flex>
        )}
      </div>
    </section>
  )
}
