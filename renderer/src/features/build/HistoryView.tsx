import './build.css'
import { Badge, Button, Callout, Dialog, Flex, IconButton, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { Ban, CircleCheck, CircleX, FileCode, History, Layers, RefreshCw, X } from 'lucide-react'
import { useEffect, useState } from 'react'
import { formatBytes, formatRelativeTime, shortId } from '../../../../shared/format'
import type { BuildRecord } from '../../../../shared/types/build'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { CopyButton } from '../../components/CopyButton'
import { EmptyState } from '../../components/EmptyState'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { cachedShare, formatDuration } from './build-model'
import { useOpenInExplorer } from './BuildResult'

const RESULT = {
  succeeded: { icon: CircleCheck, color: 'green', label: 'Built' },
  failed: { icon: CircleX, color: 'red', label: 'Failed' },
  cancelled: { icon: Ban, color: 'gray', label: 'Cancelled' },
} as const

function DockerfileDialog({ record, onClose }: { record: BuildRecord | null; onClose: () => void }) {
  return (
    <Dialog.Root open={record !== null} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content
        maxWidth="760px"
        className="history-dialog"
        aria-describedby={undefined}
        // Focus the Dockerfile (scrollable with the keyboard), not the copy button: its tooltip would take the first Esc.
        onOpenAutoFocus={(e) => {
          e.preventDefault()
          ;(e.currentTarget as HTMLElement).querySelector<HTMLElement>('.history-dockerfile')?.focus()
        }}
      >
        {record && (
          <>
            <Flex align="center" justify="between" gap="3" mb="2">
              <Dialog.Title size="3" mb="0">
                The Dockerfile of the {record.base} build, {new Date(record.startedAt).toLocaleString()}
              </Dialog.Title>
              <Flex gap="2" align="center">
                <CopyButton text={record.dockerfile} label="Copy the Dockerfile" />
                <Dialog.Close>
                  <IconButton size="1" variant="ghost" color="gray" aria-label="Close">
                    <X size={14} aria-hidden />
                  </IconButton>
                </Dialog.Close>
              </Flex>
            </Flex>
            <pre className="history-dockerfile selectable" tabIndex={0} aria-label="Dockerfile" data-testid="history-dockerfile">
              {record.dockerfile}
            </pre>
          </>
        )}
      </Dialog.Content>
    </Dialog.Root>
  )
}

/** The project's past builds, newest first: base, when, duration, result, size, cached share, image; each with its Dockerfile. */
export function HistoryView({ analysis }: { analysis: ProjectAnalysis }) {
  const dir = analysis.root
  const history = useApp((s) => s.build.history[dir])
  const load = useApp((s) => s.loadBuildHistory)
  const openInExplorer = useOpenInExplorer()
  const [shown, setShown] = useState<BuildRecord | null>(null)
  const now = useNow(30_000)

  useEffect(() => {
    void load(dir)
  }, [dir, load])

  const records = history?.records ?? null
  return (
    <section className="build-view" aria-label="Build history" data-testid="history-view">
      <div className="panel build-panel">
        <header className="panel-header">
          <History size={14} aria-hidden className="history-icon" />
          <Text size="2" weight="medium">
            Builds of {analysis.name}
          </Text>
          {records && (
            <Text size="1" color="gray" className="tabular">
              {records.length}
            </Text>
          )}
          <Tooltip content="Read the history again">
            <IconButton size="1" variant="ghost" color="gray" ml="auto" aria-label="Reload the history" onClick={() => void load(dir)} disabled={history?.loading}>
              <Spinner loading={history?.loading ?? false} size="1">
                <RefreshCw size={13} aria-hidden />
              </Spinner>
            </IconButton>
          </Tooltip>
        </header>
        {history?.error && (
          <Callout.Root color="red" size="1" className="build-callout" m="3">
            <Callout.Text>
              {history.error.message} {history.error.detail}
            </Callout.Text>
          </Callout.Root>
        )}
        {records && records.length === 0 ? (
          <div className="build-empty">
            <EmptyState icon={<History size={20} aria-hidden />} title="No builds yet">
              Every build of this project — succeeded, failed or cancelled — is listed here with the Dockerfile it used.
            </EmptyState>
          </div>
        ) : records ? (
          <div className="history-scroll">
            <table className="history-table" data-testid="history-table">
              <thead>
                <tr>
                  <th>Result</th>
                  <th>Base</th>
                  <th>When</th>
                  <th className="num">Duration</th>
                  <th className="num">Size</th>
                  <th className="num">Cached</th>
                  <th>Image</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {records.map((r) => {
                  const res = RESULT[r.result]
                  const Icon = res.icon
                  const share = cachedShare(r)
                  return (
                    <tr key={r.jobId} data-testid="history-row" data-result={r.result}>
                      <td>
                        <span className="history-result" title={r.error ? `${r.error.message}${r.error.detail ? ` ${r.error.detail}` : ''}` : undefined}>
                          <Icon size={14} aria-hidden className={`history-result-icon is-${r.result}`} />
                          {res.label}
                          {r.compileErrors.length > 0 && (
                            <Badge size="1" variant="soft" color="red">
                              {r.compileErrors.length} compile {r.compileErrors.length === 1 ? 'error' : 'errors'}
                            </Badge>
                          )}
                        </span>
                      </td>
                      <td>
                        <span className="history-base">{r.base}</span>
                      </td>
                      <td title={new Date(r.startedAt).toLocaleString()} className="nowrap">
                        {formatRelativeTime(r.startedAt, now)}
                      </td>
                      <td className="num tabular">{formatDuration(r.durationMs)}</td>
                      <td className="num tabular">{r.sizeBytes === null ? '—' : formatBytes(r.sizeBytes)}</td>
                      <td className="num tabular" title={share ? `${share.text} steps came from the cache` : undefined}>
                        {share ? `${Math.round(share.ratio * 100)}%` : '—'}
                      </td>
                      <td className="mono">{r.imageId ? shortId(r.imageId) : '—'}</td>
                      <td className="history-actions">
                        <Button size="1" variant="ghost" color="gray" onClick={() => setShown(r)} data-testid="history-dockerfile-button">
                          <FileCode size={13} aria-hidden />
                          Dockerfile
                        </Button>
                        {r.imageId && (
                          <Tooltip content="Open in the layer explorer">
                            <IconButton size="1" variant="ghost" color="gray" aria-label={`Open ${shortId(r.imageId)} in the layer explorer`} onClick={() => openInExplorer(r)}>
                              <Layers size={13} aria-hidden />
                            </IconButton>
                          </Tooltip>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="build-empty">{history?.loading && <Spinner size="2" />}</div>
        )}
      </div>
      <DockerfileDialog record={shown} onClose={() => setShown(null)} />
    </section>
  )
}
