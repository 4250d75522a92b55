import { AlertDialog, Badge, Button, Callout, Dialog, Flex, Link, Spinner, Text } from '@radix-ui/themes'
import { CircleAlert, ExternalLink, Square, Trash2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import { toWireError, type WireError } from '../../../../shared/errors'
import { formatDurationShort, formatRelativeTime, shortId } from '../../../../shared/format'
import type { RunningContainer } from '../../../../shared/types/build'
import { ErrorCallout } from '../../components/ErrorCallout'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { LogView } from './LogView'

/** The state as a badge: colour plus words, never colour alone. */
export function StateBadge({ c }: { c: RunningContainer }) {
  if (c.state === 'running')
    return (
      <Badge color="green" size="1" data-testid="run-state">
        Running
      </Badge>
    )
  if (c.state === 'exited')
    return (
      <Badge color={c.exitCode === 0 ? 'gray' : 'red'} size="1" data-testid="run-state">
        Exited ({c.exitCode ?? '?'})
      </Badge>
    )
  return (
    <Badge color="gray" size="1" data-testid="run-state">
      {c.state === 'created' ? 'Created' : c.state === 'removed' ? 'Removed' : 'Other'}
    </Badge>
  )
}

/**
 * One container Slipway started: its state, exit code, published ports with "Open in browser"
 * links, its live output, Stop and Remove (asked first).
 */
export function RunPanel({ id, onRemoved }: { id: string; onRemoved: () => void }) {
  const c = useApp((s) => s.run.containers?.find((x) => x.id === id))
  const logs = useApp((s) => s.run.logs[id])
  const followLogs = useApp((s) => s.followLogs)
  const unfollowLogs = useApp((s) => s.unfollowLogs)
  const stopRun = useApp((s) => s.stopRun)
  const removeRun = useApp((s) => s.removeRun)
  const [busy, setBusy] = useState<'stop' | 'remove' | null>(null)
  const [error, setError] = useState<WireError | null>(null)
  const now = useNow(c?.state === 'running' ? 1000 : 30_000)

  useEffect(() => {
    void followLogs(id)
    return () => unfollowLogs(id)
  }, [id, followLogs, unfollowLogs])

  if (!c)
    return (
      <Text color="gray" size="2">
        This container is gone (removed outside this window).
      </Text>
    )

  const act = async (what: 'stop' | 'remove') => {
    setBusy(what)
    setError(null)
    try {
      if (what === 'stop') await stopRun(c.id)
      else {
        await removeRun(c.id)
        onRemoved()
      }
    } catch (e) {
      setError(toWireError(e))
    } finally {
      setBusy(null)
    }
  }

  const running = c.state === 'running'
  // "Exited at once": it ran for less than a few seconds, so its last lines say why.
  const quick = c.state === 'exited' && c.startedAt !== null && c.finishedAt !== null && c.finishedAt - c.startedAt < 5000
  const lastLine = logs?.lines.at(-1)?.line

  return (
    <div className="run-panel" data-testid="run-panel">
      <div className="run-panel-head">
        <span className="run-panel-name" title={c.id}>
          {c.name}
        </span>
        <StateBadge c={c} />
        <Flex gap="2" ml="auto" flexShrink="0">
          <Button size="1" variant="soft" color="gray" disabled={!running || busy !== null} onClick={() => void act('stop')}>
            <Spinner loading={busy === 'stop'}>
              <Square size={12} />
            </Spinner>
            Stop
          </Button>
          <AlertDialog.Root>
            <AlertDialog.Trigger>
              <Button size="1" variant="soft" color="red" disabled={busy !== null}>
                <Trash2 size={12} /> Remove
              </Button>
            </AlertDialog.Trigger>
            <AlertDialog.Content maxWidth="440px">
              <AlertDialog.Title>Remove {c.name}?</AlertDialog.Title>
              <AlertDialog.Description size="2">
                {running ? 'It is running: it will be killed, and ' : 'Its '}output and file-system changes are deleted. The image stays.
              </AlertDialog.Description>
              <Flex gap="3" mt="4" justify="end">
                <AlertDialog.Cancel>
                  <Button variant="soft" color="gray">
                    Cancel
                  </Button>
                </AlertDialog.Cancel>
                <AlertDialog.Action>
                  <Button color="red" onClick={() => void act('remove')}>
                    Remove
                  </Button>
                </AlertDialog.Action>
              </Flex>
            </AlertDialog.Content>
          </AlertDialog.Root>
        </Flex>
      </div>

      <dl className="run-facts">
        <div>
          <dt>Image</dt>
          <dd className="run-mono">{c.image}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd className="run-mono">{shortId(c.id)}</dd>
        </div>
        {running && c.startedAt !== null && (
          <div>
            <dt>Up</dt>
            <dd className="tabular">{formatDurationShort(Math.max(0, now - c.startedAt))}</dd>
          </div>
        )}
        {c.state === 'exited' && c.finishedAt !== null && (
          <div>
            <dt>Exited</dt>
            <dd>{formatRelativeTime(c.finishedAt, now)}</dd>
          </div>
        )}
      </dl>

      {c.ports.length > 0 && (
        <div className="run-urls" aria-label="Published ports">
          {c.ports.map((p, i) => {
            const url = c.urls[i] ?? `http://localhost:${p.host}`
            return running ? (
              // A plain link: the browser opens a tab; the desktop app hands it to the system browser.
              <Link key={p.host} href={url} target="_blank" rel="noopener noreferrer" className="run-url" data-testid="run-open-url">
                <ExternalLink size={13} aria-hidden /> {url.replace('http://', '')}
                <Text size="1" color="gray">
                  → {p.container}
                </Text>
              </Link>
            ) : (
              <Text key={p.host} size="2" color="gray" className="run-url">
                localhost:{p.host} → {p.container}
              </Text>
            )
          })}
          {running && (
            <Text size="1" color="gray">
              Open in browser
            </Text>
          )}
        </div>
      )}

      {(quick || c.error) && c.state === 'exited' && (
        <Callout.Root size="1" color={c.exitCode === 0 ? 'gray' : 'red'} variant="surface" role="alert" data-testid="run-exit">
          <Callout.Icon>
            <CircleAlert size={14} />
          </Callout.Icon>
          <Callout.Text>
            It exited with code {c.exitCode} right after it started.
            {c.error ? ` ${c.error}` : lastLine ? (
              <>
                {' '}
                Its last line: <span className="run-mono">{lastLine}</span>
              </>
            ) : logs?.status === 'ready' ? (
              ' It wrote nothing.'
            ) : null}
          </Callout.Text>
        </Callout.Root>
      )}
      {error && (
        <ErrorCallout error={error} />
      )}

      <LogView
        lines={logs?.lines ?? []}
        dropped={logs?.dropped ?? 0}
        empty={logs?.status === 'failed' ? `The output could not be read: ${logs.error?.message ?? ''}` : logs?.status === 'loading' ? 'Reading the output…' : 'No output yet.'}
      />
    </div>
  )
}

/** The panel in a dialog, for wherever a container is opened from (the Run dialog, the Containers tab, the build view). */
export function RunPanelDialog({ id, onClose }: { id: string | null; onClose: () => void }) {
  return (
    <Dialog.Root open={id !== null} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="1100px" aria-describedby={undefined}>
        <Dialog.Title size="2" mb="2" color="gray" weight="regular">
          Container
        </Dialog.Title>
        {id && <RunPanel id={id} onRemoved={onClose} />}
      </Dialog.Content>
    </Dialog.Root>
  )
}
