import { Button, Callout, Text, Tooltip } from '@radix-ui/themes'
import { Ban, CircleExclamationPoint, Layers } from 'lucide-react'
import { useEffect, useState, type ReactNode } from 'react'
import { formatBytes, shortId } from '../../../../shared/format'
import type { BuildRecord, CompileError } from '../../../../shared/types/build'
import { CopyButton } from '../../components/CopyButton'
import { copyText } from '../../components/copy-text'
import { call } from '../../api/client'
import { toWireError } from '../../../../shared/errors'
import { useApp, type BuildJob } from '../../stores'
import { RunButton } from '../run/RunButton'
import { cachedShare, errorLocation, errorPlace, formatDuration } from './build-model'

/** Opens a built image in the Images page's layer explorer. */
export function useOpenInExplorer(): (record: Pick<BuildRecord, 'imageId' | 'tags'>) => void {
  const setPage = useApp((s) => s.setPage)
  const openImage = useApp((s) => s.openImage)
  return (r) => {
    if (!r.imageId) return
    openImage({ id: r.imageId, label: r.tags[0] ?? shortId(r.imageId) })
    setPage('images')
  }
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="result-fact" data-testid={testId}>
      <span className="result-label">{label}</span>
      <span className="result-value tabular">{children}</span>
    </div>
  )
}

/** What a finished build made: image id, size, cached share, duration and tags, with what to do next. */
export function BuildSucceeded({ record }: { record: BuildRecord }) {
  const openInExplorer = useOpenInExplorer()
  const share = cachedShare(record)
  return (
    <div className="build-result" data-testid="build-result">
      <div className="result-main">
        <div className="result-facts">
          <Fact label="Image">
            <span className="mono selectable" title={record.imageId ?? ''}>
              {record.imageId ? shortId(record.imageId) : '—'}
            </span>
            {record.imageId && <CopyButton text={record.imageId} label="Copy the image id" />}
          </Fact>
          <Fact label="Size" testId="result-size">
            {record.sizeBytes === null ? '—' : formatBytes(record.sizeBytes)}
          </Fact>
          <Fact label="Cached">{share ? `${share.text} steps` : '—'}</Fact>
          <Fact label="Took">{formatDuration(record.durationMs)}</Fact>
        </div>
        <div className="result-actions">
          <Button size="1" variant="soft" onClick={() => openInExplorer(record)} disabled={!record.imageId} data-testid="open-in-explorer">
            <Layers size={13} aria-hidden />
            Open in layer explorer
          </Button>
          {/* By its tag when it has one: the run dialog and the container list then name it the way the person does. */}
          {record.imageId && <RunButton image={record.tags[0] ?? record.imageId} dir={record.dir} />}
        </div>
      </div>
      <div className="result-tags" aria-label="Tags" title={record.tags.join('\n')}>
        <span className="result-label">Tags</span>
        {record.tags.map((t) => (
          <span key={t} className="mono result-tag selectable">
            {t}
          </span>
        ))}
      </div>
    </div>
  )
}

function CompileErrorButton({ dir, e }: { dir: string; e: CompileError }) {
  const [copied, setCopied] = useState(false)
  const [opening, setOpening] = useState<string | null>(null)
  // Desktop: the OS opens the file (it cannot be told the line, so the place is copied too); browser mode copies only.
  const desktop = useApp((s) => s.app.info?.transport === 'ipc')
  useEffect(() => {
    if (!copied) return
    const t = window.setTimeout(() => setCopied(false), 1500)
    return () => window.clearTimeout(t)
  }, [copied])
  const where = errorLocation(dir, e)
  const open = async () => {
    setOpening(null)
    const ok = await copyText(where)
    setCopied(ok)
    try {
      await call('app.openFile', dir, e.file, e.line)
    } catch (err) {
      setOpening(toWireError(err).message)
    }
  }
  return (
    <li className="compile-error-item">
      <Tooltip content={copied ? 'Copied' : `Copy ${where} for your editor`}>
        <button type="button" className="compile-error" onClick={() => void copyText(where).then(setCopied)} data-testid="compile-error">
          <span className="compile-place mono">{errorPlace(e)}</span>
          <span className="compile-message mono">{e.message}</span>
          <span className="compile-copied" aria-live="polite">
            {copied ? 'copied' : ''}
          </span>
        </button>
      </Tooltip>
      {desktop && (
        <Tooltip content={opening ?? `Open ${e.file} in your editor (line ${e.line} is copied)`}>
          <Button size="1" variant="ghost" color={opening ? 'gray' : 'red'} onClick={() => void open()} data-testid="compile-error-open" aria-label={`Open ${e.file} in your editor`}>
            Open
          </Button>
        </Tooltip>
      )}
    </li>
  )
}

/** Why a build failed: the error in plain words and the Go compile errors, each a button that copies its place. */
export function BuildFailed({ job }: { job: BuildJob }) {
  if (job.phase === 'cancelled')
    return (
      <Callout.Root color="gray" size="1" className="build-callout" data-testid="build-cancelled">
        <Callout.Icon>
          <Ban size={15} />
        </Callout.Icon>
        <Callout.Text>
          Cancelled{job.record ? ` after ${formatDuration(job.record.durationMs)}` : ''}. Nothing was tagged.
        </Callout.Text>
      </Callout.Root>
    )
  return (
    <Callout.Root color="red" size="1" className="build-callout" role="alert" data-testid="build-error">
      <Callout.Icon>
        <CircleExclamationPoint size={15} />
      </Callout.Icon>
      <div className="build-callout-body">
        <Text as="p" size="2" weight="medium" className="selectable">
          {job.compileErrors.length > 0 ? `Go could not compile the program (${job.compileErrors.length} ${job.compileErrors.length === 1 ? 'error' : 'errors'}).` : (job.error?.message ?? 'The build failed.')}
        </Text>
        {job.compileErrors.length === 0 && job.error?.detail && (
          <Text as="p" size="1" color="gray" className="selectable build-error-detail">
            {job.error.detail}
          </Text>
        )}
        {job.compileErrors.length > 0 && (
          <>
            <ul className="compile-errors" aria-label="Compile errors">
              {job.compileErrors.map((e) => (
                <CompileErrorButton key={`${e.file}:${e.line}:${e.column}:${e.message}`} dir={job.dir} e={e} />
              ))}
            </ul>
            <Text as="p" size="1" color="gray">
              Click an error to copy its path, line and column for your editor.
            </Text>
          </>
        )}
      </div>
    </Callout.Root>
  )
}
