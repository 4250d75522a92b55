import { Badge, Flex, Text } from '@radix-ui/themes'
import { Box, ChevronRight, Database, HardDrive, Layers, Network, Package, Zap, type LucideIcon } from 'lucide-react'
import { memo, useId, useState } from 'react'
import { shortId } from '../../../../shared/format'
import { MAX_ENGINE_EVENTS, useApp, type StoredEngineEvent } from '../../stores'

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

const typeIcons: Record<string, LucideIcon> = {
  container: Box,
  image: Layers,
  network: Network,
  volume: HardDrive,
  builder: Package,
  plugin: Database,
}

const Row = memo(function Row({ e }: { e: StoredEngineEvent }) {
  const Icon = typeIcons[e.type] ?? Zap
  const subject = shortId(e.name ?? e.id)
  return (
    <li className="activity-row">
      <time className="activity-time" dateTime={new Date(e.time).toISOString()}>
        {clock.format(e.time)}
      </time>
      <span className="activity-type">
        <Icon size={13} aria-hidden />
        {e.type}
      </span>
      <span className="activity-action">{e.action}</span>
      <span className="activity-subject" title={e.id}>
        {subject || '—'}
      </span>
    </li>
  )
})

/**
 * The latest engine events (pulls, builds, containers starting and stopping), newest first, in a
 * panel of fixed height so the page never jumps while events stream in.
 */
export function EngineActivity() {
  const events = useApp((s) => s.engine.events)
  const [open, setOpen] = useState(true)
  const bodyId = useId()
  return (
    <section className="panel" aria-labelledby={`${bodyId}-title`}>
      <button type="button" className="panel-header panel-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
        <ChevronRight size={14} className="panel-chevron" aria-hidden />
        <Text id={`${bodyId}-title`} size="2" weight="medium">
          Engine activity
        </Text>
        <Badge size="1" variant="soft" color="gray" className="tabular">
          {events.length >= MAX_ENGINE_EVENTS ? `last ${MAX_ENGINE_EVENTS}` : events.length}
        </Badge>
        <Text size="1" color="gray" ml="auto">
          Live from the engine’s event stream
        </Text>
      </button>
      <div id={bodyId} hidden={!open} className="activity-body">
        {events.length === 0 ? (
          <Flex className="activity-empty" direction="column" align="center" justify="center" gap="1">
            <Text size="2" color="gray">
              No engine activity yet
            </Text>
            <Text size="1" color="gray">
              Pulls, builds and containers starting or stopping appear here as they happen.
            </Text>
          </Flex>
        ) : (
          <ol className="activity-list" aria-label="Engine events, newest first">
            {events.map((e) => (
              <Row key={e.seq} e={e} />
            ))}
          </ol>
        )}
      </div>
    </section>
  )
}
