import { AlertDialog, Badge, Button, Callout, DropdownMenu, Flex, Spinner, Text } from '@radix-ui/themes'
import { ChevronDown, CircleAlert, CircleCheck, Info, Play, Square, X } from 'lucide-react'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { ErrorName, type WireError } from '../../../../shared/errors'
import { formatDurationShort } from '../../../../shared/format'
import type { StackService } from '../../../../shared/stack/types'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp, type StackJob } from '../../stores'
import { ConnectionPanel } from './ConnectionPanel'
import { ExportDialog } from './ExportDialog'
import { cardOf, ServiceCards, ServiceGrid, type ServiceCardModel } from './ServiceCards'
import { StackConfig } from './StackConfig'
import { StackLogs } from './StackLogs'
import { StackMakeOffer } from './StackMakeOffer'
import { buildStepsWords, draftOf, draftProblems, folderName, offeredPort, phaseView, STACK_STATE_VIEW, stackState, takenPort, troubles, type StackDraft } from './stack-model'

const MISSING = (service: string): StackService => ({ service, containerId: null, image: null, phase: 'missing', health: null, exitCode: null, ports: [] })

/** Where an Up job is, in words. */
function progressWords(p: StackJob['progress'], steps: StackJob['buildSteps']): string {
  switch (p?.phase) {
    case 'building': {
      const at = buildStepsWords(steps)
      return at ? `Building the app image: ${at}` : 'Building the app image'
    }
    case 'pulling':
      return `Pulling ${p.detail ?? p.service ?? 'an image'}`
    case 'starting':
      return 'Starting the services'
    case 'waiting':
      return 'Waiting until healthy'
    default:
      return 'Preparing'
  }
}

/** An error from the host: its message, and its detail as log lines (a service's last output) or as advice with commands. */
function ErrorCallout({ error, action, testId }: { error: WireError; action?: ReactNode | undefined; testId?: string }) {
  const lines = error.name === ErrorName.StackFailed && !!error.detail
  return (
    <Callout.Root size="1" color="red" role="alert" data-testid={testId}>
      <Callout.Icon>
        <CircleAlert size={14} />
      </Callout.Icon>
      <Text as="div" size="1" className="stack-callout-text">
          <Text weight="medium">{error.message}</Text> {!lines && error.detail && <FixText text={error.detail} />} {action}
          {lines && <pre className="stack-excerpt selectable">{error.detail}</pre>}
      </Text>
    </Callout.Root>
  )
}

/**
 * One stack: its state and Up / Cancel / Down / Down and delete data; the services as a diagram with
 * their progress; the connection panel while it runs; what Up will start (editable); what went
 * wrong, with the service's exit code and last lines; and the merged logs.
 */
export function StackDetail({ dir, isProject }: { dir: string; isProject: boolean }) {
  const status = useApp((s) => s.stacks.status[dir] ?? null)
  const statusError = useApp((s) => s.stacks.statusError[dir] ?? null)
  const proposal = useApp((s) => s.stacks.proposals[dir] ?? null)
  const job = useApp((s) => s.stacks.jobs[dir] ?? null)
  const busy = useApp((s) => s.stacks.busy[dir] ?? null)
  const actionError = useApp((s) => s.stacks.actionError[dir] ?? null)
  const lines = useApp((s) => (s.stacks.logs?.dir === dir ? s.stacks.logs.lines : null))
  const connected = useApp((s) => s.engine.state?.status === 'connected')
  const { loadStack, proposeStack, upStack, cancelStack, stackAction, followStack, unfollowStack, clearStackError } = useApp.getState()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [configOpen, setConfigOpen] = useState<boolean | null>(null)
  const [exporting, setExporting] = useState(false)

  const starting = job?.phase === 'starting'
  const now = useNow(1000, starting)
  const upRef = useRef<HTMLButtonElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  // Up turns into Cancel and back: keep the keyboard focus on the button that took the place of the pressed one.
  useEffect(() => {
    const lost = !document.activeElement || document.activeElement === document.body
    if (lost) (starting ? cancelRef : upRef).current?.focus()
  }, [starting])

  useEffect(() => {
    if (!connected) return
    void loadStack(dir)
    void proposeStack(dir)
    void followStack(dir)
  }, [connected, dir, loadStack, proposeStack, followStack])
  useEffect(() => () => unfollowStack(), [unfollowStack])

  // A fresh proposal fills the form until the person edits it.
  const [edited, setEdited] = useState(false)
  const p = proposal?.value ?? null
  const [draft, setDraft] = useState<StackDraft | null>(() => (p ? draftOf(p) : null))
  const [seen, setSeen] = useState(p)
  if (p !== seen) {
    setSeen(p)
    if (p && (!edited || !draft)) setDraft(draftOf(p))
  }

  // While an Up runs, its events are newer than the last status read.
  const services = useMemo(() => {
    const base = status?.services ?? [MISSING('app'), MISSING('db')]
    if (!starting || !job) return base
    const names = [...new Set([...base.map((s) => s.service), ...Object.keys(job.services)])].sort()
    return names.map((n) => job.services[n] ?? base.find((s) => s.service === n) ?? MISSING(n))
  }, [status, starting, job])

  const state = stackState(status && { ...status, services }, starting)
  const view = STACK_STATE_VIEW[state]
  const hasContainers = services.some((s) => s.containerId !== null)
  const volumes = status?.volumes.length ? status.volumes : p?.volumeExists ? [p.volume] : []
  const noTool = p && 'error' in p.composeTool ? p.composeTool : null
  const problems = [...(draft ? draftProblems(draft) : []), ...(noTool ? [noTool.error] : [])]
  const trouble = troubles(status && !starting ? { services } : null, lines ?? [])
  const progress = starting ? (job?.progress ?? null) : null
  const building = progress?.phase === 'building'

  const card = (name: string): ServiceCardModel => {
    const s = services.find((x) => x.service === name) ?? MISSING(name)
    const ours = (name === 'app' || name === 'db') && !draft?.useProjectCompose
    const own = p?.projectCompose?.services.find((x) => x.name === name)
    const fallback = !ours
      ? (own?.image ?? (own?.build ? `built from ${own.build}` : null))
      : name === 'db'
        ? (p?.postgresImage ?? null)
        : (p?.app.image ?? (p ? `built from ${folderName(dir)} at Up` : null))
    const c = cardOf(s, starting, fallback)
    if (building && name === 'app') return { ...c, phase: { label: p?.app.action === 'rebuild' ? 'Rebuilding the image' : 'Building the image', tone: 'blue', dot: 'pending', busy: true } }
    if (building) return { ...c, phase: { ...phaseView(s, false), label: 'Waits for the build' } }
    if (progress?.phase === 'pulling' && progress.service === name && s.containerId === null) return { ...c, phase: { label: 'Pulling the image', tone: 'blue', dot: 'pending', busy: true } }
    if (c.ports.length === 0 && s.containerId === null && p && ours) {
      const port = name === 'db' ? p.ports.db : p.ports.app
      return { ...c, ports: [{ host: Number(name === 'db' ? (draft?.dbPort ?? port.host) : (draft?.appPort ?? port.host)) || port.host, container: port.container }] }
    }
    return c
  }

  const up = () => {
    if (!draft || problems.length) return
    const env = Object.fromEntries(draft.env.filter((e) => e.value !== '').map((e) => [e.name, e.value]))
    // Ports the person left as proposed are not pinned: the service then keeps the stack's own or
    // finds a free one at Up, so a port taken since the proposal does not fail it.
    const pin = (value: string, proposed: number | undefined) => (Number(value) !== proposed ? Number(value) : undefined)
    if (draft.useProjectCompose) return void upStack(dir, { useProjectCompose: true, projectComposeDigest: p?.projectCompose?.digest ?? undefined })
    void upStack(dir, {
      postgresImage: draft.postgresImage.trim(),
      hostPort: pin(draft.appPort, p?.ports.app.host),
      dbHostPort: pin(draft.dbPort, p?.ports.db.host),
      env,
      initdb: draft.initdb,
    })
  }

  // A port taken at Up: offer the free one the host named with one click.
  const jobError = job?.phase === 'failed' ? job.error : null
  const shownError = actionError ?? jobError
  const taken = shownError?.name === ErrorName.PortInUse ? takenPort(shownError.message) : null
  const free = shownError?.name === ErrorName.PortInUse ? offeredPort(shownError.detail) : null
  const useFree =
    taken !== null && free !== null && draft ? (
      <Button
        size="1"
        variant="soft"
        onClick={() => {
          setEdited(true)
          setDraft({ ...draft, ...(draft.dbPort === String(taken) ? { dbPort: String(free) } : { appPort: String(free) }) })
          clearStackError(dir)
        }}
      >
        Use {free}
      </Button>
    ) : undefined

  const link = p?.databaseVars.join(', ') || 'DATABASE_URL'
  const restart = hasContainers ? (service: string) => void stackAction(dir, { kind: 'restart', service }) : null
  const restarting = busy?.kind === 'restart' ? busy.service : null
  const serviceNames = services.map((s) => s.service)

  return (
    <div className="stack-detail" data-testid="stack-detail">
      <header className="stack-head">
        <div className="stack-title">
          <Flex align="center" gap="2" minWidth="0">
            <h2 className="stack-name">{folderName(dir)}</h2>
            <Badge color={view.tone} size="1" data-testid="stack-state">
              {starting && <Spinner size="1" />}
              {view.label}
            </Badge>
            {!isProject && (
              <Badge color="gray" variant="outline" size="1">
                another folder
              </Badge>
            )}
          </Flex>
          <Text as="div" size="1" color="gray" className="stack-path selectable" title={dir}>
            {dir}
          </Text>
        </div>
        <Flex gap="2" align="center" className="stack-actions">
          {starting ? (
            <>
              <Text size="1" color="gray" className="tabular stack-progress" data-testid="stack-progress" title={progress?.detail}>
                {progressWords(progress, job?.buildSteps ?? {})} · {formatDurationShort(Math.max(0, now - (job?.startedAt ?? now)))}
              </Text>
              <Button ref={cancelRef} size="2" variant="soft" color="gray" onClick={() => cancelStack(dir)} disabled={job?.cancelling}>
                <Spinner loading={job?.cancelling ?? false}>
                  <X size={14} aria-hidden />
                </Spinner>
                Cancel
              </Button>
            </>
          ) : (
            <Button ref={upRef} size="2" onClick={up} disabled={!draft || problems.length > 0 || busy !== null || !connected} data-testid="stack-up" title={problems[0]}>
              <Play size={14} aria-hidden /> Up
            </Button>
          )}
          <Flex className="stack-split">
            <Button
              size="2"
              variant="soft"
              color="gray"
              onClick={() => void stackAction(dir, { kind: 'down' })}
              disabled={starting || busy !== null || (!hasContainers && !status?.defined)}
              data-testid="stack-down"
            >
              <Spinner loading={busy?.kind === 'down'}>
                <Square size={13} aria-hidden />
              </Spinner>
              Down
            </Button>
            <DropdownMenu.Root>
              <DropdownMenu.Trigger disabled={starting || busy !== null}>
                <Button size="2" variant="soft" color="gray" aria-label="More ways to take the stack down" data-testid="stack-down-more">
                  <ChevronDown size={14} aria-hidden />
                </Button>
              </DropdownMenu.Trigger>
              <DropdownMenu.Content size="1" align="end">
                <DropdownMenu.Item color="red" disabled={volumes.length === 0} onSelect={() => setConfirmDelete(true)}>
                  Down and delete data…
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Root>
          </Flex>
        </Flex>
      </header>

      <AlertDialog.Root open={confirmDelete} onOpenChange={setConfirmDelete}>
        <AlertDialog.Content maxWidth="480px">
          <AlertDialog.Title>Delete the database of {folderName(dir)}?</AlertDialog.Title>
          <AlertDialog.Description size="2">
            The stack is taken down and {volumes.length === 1 ? 'the volume ' : 'the volumes '}
            {volumes.map((v, i) => (
              <span key={v}>
                {i > 0 && ', '}
                <code className="stack-mono" data-testid="stack-delete-volume">
                  {v}
                </code>
              </span>
            ))}{' '}
            {volumes.length === 1 ? 'is' : 'are'} deleted with every row in it. The next Up starts an empty database. This cannot be undone.
          </AlertDialog.Description>
          <Flex gap="3" mt="4" justify="end">
            <AlertDialog.Cancel>
              <Button variant="soft" color="gray">
                Keep the data
              </Button>
            </AlertDialog.Cancel>
            <AlertDialog.Action>
              <Button color="red" onClick={() => void stackAction(dir, { kind: 'delete' })} data-testid="stack-delete-confirm">
                Delete data
              </Button>
            </AlertDialog.Action>
          </Flex>
        </AlertDialog.Content>
      </AlertDialog.Root>

      {noTool && !shownError && <ErrorCallout error={{ name: ErrorName.ComposeNotFound, message: noTool.error, detail: noTool.detail }} testId="stack-no-compose" />}
      {statusError && !status && <ErrorCallout error={statusError} />}
      {p?.app.refused && p.app.refused.length > 0 && !starting && <StackMakeOffer key={p.app.base} dir={dir} refused={p.app.refused} />}
      {shownError && <ErrorCallout error={shownError} action={useFree} testId="stack-error" />}
      {job?.phase === 'failed' && job.cancelled && (
        <Callout.Root size="1" color="gray" role="status">
          <Callout.Icon>
            <Info size={14} />
          </Callout.Icon>
          <Callout.Text>Cancelled: what had started was taken down again. The data is kept.</Callout.Text>
        </Callout.Root>
      )}
      {job?.phase === 'done' && state === 'up' && job.endedAt !== null && (
        <Callout.Root size="1" color="green" role="status" data-testid="stack-done">
          <Callout.Icon>
            <CircleCheck size={14} />
          </Callout.Icon>
          <Callout.Text>
            Up in {formatDurationShort(job.endedAt - job.startedAt)}: {services.map((s) => `${s.service} ${phaseView(s, false).label.toLowerCase()}`).join(', ')}.
            {job.notices.map((n) => ` ${n}`)}
          </Callout.Text>
        </Callout.Root>
      )}
      {trouble.map((t) => (
        <Callout.Root key={t.service} size="1" color="red" role="alert" data-testid="stack-trouble">
          <Callout.Icon>
            <CircleAlert size={14} />
          </Callout.Icon>
          <Text as="div" size="1" className="stack-callout-text">
              <Text weight="medium">
                {t.service} {t.what}.
              </Text>{' '}
              {t.lastLines.length ? 'Its last lines:' : 'It wrote nothing.'}
              {t.lastLines.length > 0 && <pre className="stack-excerpt selectable">{t.lastLines.join('\n')}</pre>}
          </Text>
        </Callout.Root>
      ))}

      {serviceNames.length === 2 && serviceNames.includes('app') && serviceNames.includes('db') ? (
        <ServiceCards app={card('app')} db={card('db')} link={link} onRestart={restart} restarting={restarting} />
      ) : (
        <ServiceGrid cards={serviceNames.map(card)} onRestart={restart} restarting={restarting} />
      )}

      <div className="stack-columns">
        {status?.connection && hasContainers && <ConnectionPanel connection={status.connection} />}
        {p && draft ? (
          <StackConfig
            proposal={p}
            draft={draft}
            onDraft={(d) => {
              setEdited(true)
              setDraft(d)
            }}
            onPostgresImage={(image) => void proposeStack(dir, { postgresImage: image })}
            onExport={isProject ? () => setExporting(true) : null}
            disabled={starting}
            open={configOpen ?? !(state === 'up' || starting)}
            onOpen={setConfigOpen}
          />
        ) : proposal?.error ? (
          <ErrorCallout error={proposal.error} />
        ) : (
          <Flex align="center" gap="2" className="stack-panel" p="3">
            <Spinner /> <Text color="gray">Reading the project…</Text>
          </Flex>
        )}
      </div>

      <StackLogs dir={dir} services={serviceNames} />
      {isProject && <ExportDialog dir={dir} open={exporting} onOpenChange={setExporting} />}
    </div>
  )
}
