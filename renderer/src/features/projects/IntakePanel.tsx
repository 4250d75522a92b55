import { Button, IconButton, Text, TextField, Tooltip } from '@radix-ui/themes'
import { CircleExclamationPoint, CornerDownLeft, FolderGit2, FolderOpen, Info, X } from 'lucide-react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { formatRelativeTime } from '../../../../shared/format'
import { transportKind } from '../../api/client'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp, type ProjectError } from '../../stores'

/** The desktop app can show a folder picker; a browser tab cannot. */
export const canPickFolder = transportKind() === 'ipc'

function ErrorNote({ error }: { error: ProjectError }) {
  const clear = useApp((s) => s.clearProjectError)
  const forget = useApp((s) => s.forgetProject)
  const recent = useApp((s) => (error.dir ? (s.project.settings?.recentProjects.some((p) => p.path === error.dir) ?? false) : false))
  return (
    <div className="intake-note" data-tone="error" role="alert" data-testid="project-error" data-error={error.name}>
      <CircleExclamationPoint size={15} aria-hidden className="intake-note-icon" />
      <div className="intake-note-text">
        <Text as="p" size="2" weight="medium">
          {error.message}
        </Text>
        {error.detail && (
          <Text as="p" size="1" color="gray">
            <FixText text={error.detail} />
          </Text>
        )}
        {recent && (
          <Button size="1" variant="soft" color="gray" mt="2" onClick={() => void forget(error.dir)}>
            Remove from recent projects
          </Button>
        )}
      </div>
      <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss" onClick={clear}>
        <X size={14} aria-hidden />
      </IconButton>
    </div>
  )
}

function InfoNote({ text }: { text: string }) {
  return (
    <div className="intake-note" data-tone="info" role="status">
      <Info size={15} aria-hidden className="intake-note-icon" />
      <Text as="p" size="2" className="intake-note-text">
        {text}
      </Text>
    </div>
  )
}

/** The path field: Enter opens; the analysis' error (with its advice) shows right under it. */
export function PathField({ autoFocus = false }: { autoFocus?: boolean }) {
  const [value, setValue] = useState('')
  const error = useApp((s) => s.project.error)
  const note = useApp((s) => s.project.intakeNote)
  const opening = useApp((s) => s.project.pending?.kind === 'open')
  const focusSeq = useApp((s) => s.project.focusPathField)
  const openProject = useApp((s) => s.openProject)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (focusSeq > 0) input.current?.focus()
  }, [focusSeq])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void openProject(value)
  }

  return (
    <div className="path-field">
      <form className="path-form" onSubmit={submit}>
        <TextField.Root
          ref={input}
          size="2"
          className="path-input"
          placeholder="/path/to/your/go/project"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-label="Project folder path"
          spellCheck={false}
          autoComplete="off"
          autoFocus={autoFocus}
          data-testid="path-field"
        >
          <TextField.Slot>
            <FolderGit2 size={15} aria-hidden />
          </TextField.Slot>
          <TextField.Slot>
            <CornerDownLeft size={13} aria-hidden className="path-enter-hint" />
          </TextField.Slot>
        </TextField.Root>
        <Button type="submit" size="2" variant="soft" loading={opening}>
          Open
        </Button>
      </form>
      {error ? <ErrorNote error={error} /> : note ? <InfoNote text={note} /> : null}
    </div>
  )
}

/** The folder picker button, or in browser mode the reason there is none. */
export function PickFolderButton({ size = '2' }: { size?: '1' | '2' }) {
  const pick = useApp((s) => s.pickProject)
  if (!canPickFolder)
    return (
      <Tooltip content="A browser tab cannot show your folders. Type or paste the path instead.">
        <span className="pick-disabled" tabIndex={0}>
          <Button size={size} variant="outline" color="gray" disabled>
            <FolderOpen size={14} aria-hidden />
            Open folder…
          </Button>
        </span>
      </Tooltip>
    )
  return (
    <Button size={size} variant="outline" color="gray" onClick={() => void pick()}>
      <FolderOpen size={14} aria-hidden />
      Open folder…
    </Button>
  )
}

/** Recent projects, newest first: click to open, × to forget. */
export function RecentProjects() {
  const recents = useApp((s) => s.project.settings?.recentProjects)
  const current = useApp((s) => s.project.analysis?.root ?? null)
  const openProject = useApp((s) => s.openProject)
  const forget = useApp((s) => s.forgetProject)
  const now = useNow(60_000)
  if (!recents || recents.length === 0) return null
  return (
    <section className="recent" aria-labelledby="recent-title">
      <h3 className="recent-title" id="recent-title">
        Recent projects
      </h3>
      <ul className="recent-list">
        {recents.map((p) => (
          <li key={p.path} className="recent-item" data-current={p.path === current || undefined}>
            <button type="button" className="recent-open" onClick={() => void openProject(p.path)} title={p.path}>
              <FolderGit2 size={15} aria-hidden className="recent-icon" />
              <span className="recent-name">{p.name}</span>
              <span className="recent-path mono">
                <bdi>{p.path}</bdi>
              </span>
              <span className="recent-time tabular">{p.path === current ? 'open' : formatRelativeTime(p.openedAt, now)}</span>
            </button>
            <Tooltip content="Remove from recent projects">
              <IconButton size="1" variant="ghost" color="gray" aria-label={`Remove ${p.name} from recent projects`} onClick={() => void forget(p.path)}>
                <X size={13} aria-hidden />
              </IconButton>
            </Tooltip>
          </li>
        ))}
      </ul>
    </section>
  )
}
