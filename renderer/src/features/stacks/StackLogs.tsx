import { SegmentedControl, Text } from '@radix-ui/themes'
import { useMemo, useState } from 'react'
import { CopyButton } from '../../components/CopyButton'
import { useApp } from '../../stores'
import { LogView, type LogViewLine } from '../run/LogView'
import { serviceColour } from './stack-model'

/** The stack's output: every service merged, each line tagged in its service's colour, or one service alone. */
export function StackLogs({ dir, services }: { dir: string; services: string[] }) {
  const logs = useApp((s) => (s.stacks.logs?.dir === dir ? s.stacks.logs : null))
  const [only, setOnly] = useState('all')
  const width = Math.max(3, ...services.map((s) => s.length))
  const lines = useMemo<LogViewLine[]>(() => {
    const all = logs?.lines ?? []
    if (only !== 'all') return all.filter((l) => l.service === only).map((l) => ({ stream: l.stream, line: l.line }))
    return all.map((l) => ({ stream: l.stream, line: l.line, tag: l.service.padEnd(width), tagColour: serviceColour(l.service) }))
  }, [logs?.lines, only, width])

  const empty =
    logs?.status === 'failed'
      ? `The output could not be followed: ${logs.error?.message ?? ''}`
      : logs?.status === 'loading'
        ? 'Reading the output…'
        : only === 'all'
          ? 'No output yet. It appears here as the services write it.'
          : `${only} has written nothing yet.`

  return (
    <section className="stack-logs" aria-label="Logs">
      <div className="stack-logs-head">
        <Text size="2" weight="medium">
          Logs
        </Text>
        <SegmentedControl.Root size="1" value={only} onValueChange={setOnly} aria-label="Show the output of">
          <SegmentedControl.Item value="all">All</SegmentedControl.Item>
          {services.map((s) => (
            <SegmentedControl.Item key={s} value={s}>
              {s}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl.Root>
        {(logs?.dropped ?? 0) > 0 && (
          <Text size="1" color="gray">
            last {logs?.lines.length.toLocaleString('en-US')} lines
          </Text>
        )}
        <span className="stack-logs-copy">
          <CopyButton text={() => lines.map((l) => (l.tag ? `${l.tag}  ${l.line}` : l.line)).join('\n')} label="Copy the lines shown" />
        </span>
      </div>
      <LogView lines={lines} dropped={logs?.dropped ?? 0} empty={empty} label="Stack output" testId="stack-log" />
    </section>
  )
}
