import { Badge, Button, Callout, Dialog, Flex, Switch, Text } from '@radix-ui/themes'
import { CircleExclamationPoint, FilePlus, RefreshCw, TriangleExclamationPoint } from 'lucide-react'
import { useMemo, useState } from 'react'
import type { ProjectFileName } from '../../../../shared/contract'
import { ErrorName, type WireError } from '../../../../shared/errors'
import { formatCount } from '../../../../shared/format'
import { FixText } from '../../components/FixText'
import { useApp } from '../../stores'
import { DiffCounts, DiffView, useDiffTokens } from './DiffView'
import { droppedInstructions } from './dropped-instructions'
import { joinPath } from './join-path'
import { lineDiff } from './line-diff'

/** What the dialog shows and, on confirm, writes: frozen when the dialog opens, so what is written is what was shown. */
export interface SaveRequest {
  name: ProjectFileName
  dir: string
  content: string
  /** The file as Slipway last read it (null: absent): the write is refused if the disk no longer says this. */
  expected: string | null
}

/**
 * The one way Slipway writes into a project: shows exactly what will be written and the diff
 * against the file as last read, then writes only if the file on disk still matches. A file that
 * changed meanwhile is never overwritten: the person re-reads it and reviews again.
 */
export function SaveDialog({ request, onClose, onReread }: { request: SaveRequest | null; onClose: () => void; onReread: () => Promise<void> }) {
  return (
    <Dialog.Root open={request !== null} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="920px" className="save-dialog" data-testid="save-dialog">
        {/* Keyed by the request, so a re-read starts the review afresh. */}
        {request && <SaveBody key={`${request.name}\u0000${request.expected ?? '\u0001'}\u0000${request.content}`} request={request} onClose={onClose} onReread={onReread} />}
      </Dialog.Content>
    </Dialog.Root>
  )
}

function SaveBody({ request, onClose, onReread }: { request: SaveRequest; onClose: () => void; onReread: () => Promise<void> }) {
  const save = useApp((s) => s.saveProjectFile)
  const [busy, setBusy] = useState<'write' | 'reread' | null>(null)
  const [error, setError] = useState<WireError | null>(null)
  const [onlyChanges, setOnlyChanges] = useState(false)
  const diff = useMemo(() => lineDiff(request.expected, request.content, onlyChanges ? 3 : Infinity), [request, onlyChanges])
  const tokens = useDiffTokens(request.expected, request.content, request.name === 'Dockerfile' ? 'dockerfile' : 'dockerignore')
  const isNew = request.expected === null
  const changed = error?.name === ErrorName.FileChanged
  const path = joinPath(request.dir, request.name)
  const dropped = useMemo(() => (request.name === 'Dockerfile' ? droppedInstructions(request.expected, request.content) : []), [request])

  const confirm = async () => {
    setBusy('write')
    setError(null)
    const r = await save(request.name, request.content, request.expected)
    setBusy(null)
    if (r.ok) onClose()
    else setError(r.error)
  }
  const reread = async () => {
    setBusy('reread')
    await onReread()
    setBusy(null)
  }

  return (
    <>
      <Dialog.Title size="3" mb="1">
        Save {request.name}
      </Dialog.Title>
      <Dialog.Description size="2" color="gray" mb="3">
        Slipway writes this file into your project: <span className="mono selectable save-path">{path}</span>
      </Dialog.Description>

      <Flex align="center" gap="3" mb="2" className="save-summary">
        {isNew ? (
          <Badge color="green" variant="soft" size="1">
            <FilePlus size={12} aria-hidden />
            new file
          </Badge>
        ) : diff.identical ? (
          <Badge color="gray" variant="soft" size="1">
            no differences
          </Badge>
        ) : (
          <Text size="1" color="gray">
            Against the file on disk: <DiffCounts diff={diff} />
          </Text>
        )}
        <Text size="1" color="gray" className="tabular">
          {formatCount(request.content === '' ? 0 : request.content.replace(/\n$/, '').split('\n').length, 'line')} will be written
        </Text>
        {!isNew && !diff.identical && (
          <Text as="label" size="1" color="gray" className="save-only-changes">
            <Switch size="1" checked={onlyChanges} onCheckedChange={setOnlyChanges} />
            Only changes
          </Text>
        )}
      </Flex>
      {diff.notes.map((n) => (
        <Text as="p" size="1" color="amber" key={n} mb="1">
          {n}
        </Text>
      ))}
      {dropped.length > 0 && (
        <Callout.Root color="amber" size="1" mb="2" data-testid="save-dropped">
          <Callout.Icon>
            <TriangleExclamationPoint size={15} />
          </Callout.Icon>
          <Callout.Text>
            Slipway’s Dockerfile has no {[...new Set(dropped.map((d) => d.keyword))].join(', ')}: saving drops{' '}
            {dropped.map((d, i) => (
              <span key={d.line}>
                {i > 0 && (i === dropped.length - 1 ? ' and ' : ', ')}
                <code className="mono selectable">{d.text.length > 60 ? `${d.text.slice(0, 59)}…` : d.text}</code> (line {d.line})
              </span>
            ))}
            . Add {dropped.length === 1 ? 'it' : 'them'} again after saving if you need {dropped.length === 1 ? 'it' : 'them'}.
          </Callout.Text>
        </Callout.Root>
      )}

      <DiffView diff={diff} tokens={tokens} label={`${request.name}: what will be written`} testId="save-diff" />

      {error && (
        <Callout.Root color={changed ? 'amber' : 'red'} size="1" mt="3" role="alert" data-testid="save-error" data-error={error.name}>
          <Callout.Icon>
            <CircleExclamationPoint size={15} />
          </Callout.Icon>
          <Callout.Text>
            <strong>{error.message}</strong>
            {error.detail && (
              <>
                {' '}
                <FixText text={error.detail} />
              </>
            )}
            {changed && ' Re-read it from disk to see the new difference.'}
          </Callout.Text>
        </Callout.Root>
      )}

      <Flex gap="2" mt="4" justify="end" align="center">
        {changed && (
          <Button variant="soft" color="gray" onClick={() => void reread()} loading={busy === 'reread'} data-testid="save-reread">
            <RefreshCw size={14} aria-hidden />
            Re-read from disk
          </Button>
        )}
        <Dialog.Close>
          <Button variant="soft" color="gray">
            Cancel
          </Button>
        </Dialog.Close>
        <Button onClick={() => void confirm()} loading={busy === 'write'} disabled={diff.identical || changed || busy !== null} data-testid="save-confirm">
          {isNew ? `Create ${request.name}` : `Overwrite ${request.name}`}
        </Button>
      </Flex>
    </>
  )
}
