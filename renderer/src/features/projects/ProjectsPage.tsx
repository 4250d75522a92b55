import './projects.css'
import { Callout, IconButton, Spinner, Text } from '@radix-ui/themes'
import { FolderInput, TriangleExclamationPoint, X } from 'lucide-react'
import { Suspense, useCallback, useEffect, useState } from 'react'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { lazyPart, retryFailedParts } from '../../components/lazy-part'
import { isMac } from '../../hooks/platform'
import { useApp } from '../../stores'
import { PageToolbar } from '../shell/PageToolbar'
import type { DropIntake } from './drop-intake'
import { PathField, PickFolderButton, RecentProjects, canPickFolder } from './IntakePanel'
import { ProjectDropZone } from './ProjectDropZone'
import { SaveToast } from './SaveToast'
import { useFolderDrop } from './use-folder-drop'

// The project view carries the recipe engine (base catalog with its schema, validator, diff): its own
// chunk, requested as soon as the app starts so it is there by the time the first analysis is.
const ProjectView = lazyPart(() => import('./ProjectView'), (m) => m.ProjectView, { preload: true })

/** The settings file could not be read and was set aside: a dismissible callout. */
function SettingsNotice() {
  const notice = useApp((s) => s.project.settingsNotice)
  const dismiss = useApp((s) => s.dismissSettingsNotice)
  if (!notice) return null
  return (
    <Callout.Root color="amber" size="1" className="settings-notice" role="status" data-testid="settings-notice">
      <Callout.Icon>
        <TriangleExclamationPoint size={15} />
      </Callout.Icon>
      <Callout.Text className="selectable">{notice}</Callout.Text>
      <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss" onClick={dismiss} className="settings-notice-close">
        <X size={14} aria-hidden />
      </IconButton>
    </Callout.Root>
  )
}

/** A spinner that waits a moment before it shows, so a fast start never flashes one. */
function QuietSpinner() {
  const [show, setShow] = useState(false)
  useEffect(() => {
    const t = window.setTimeout(() => setShow(true), 400)
    return () => window.clearTimeout(t)
  }, [])
  return <div className="quiet-spinner">{show && <Spinner size="3" />}</div>
}

function Intake({ over }: { over: boolean }) {
  const defaultProject = useApp((s) => s.app.info?.defaultProject ?? null)
  return (
    <div className="page-narrow intake">
      <ProjectDropZone over={over} defaultProject={defaultProject} />
      <div className="intake-path">
        <Text as="p" size="2" weight="medium" mb="2">
          Or type the folder’s path
        </Text>
        <PathField autoFocus />
      </div>
      <RecentProjects />
    </div>
  )
}

function dropNote(d: DropIntake): string | null {
  if (d.kind === 'no-path')
    return `“${d.name}” was dropped, but a browser tab is not told where dropped folders are. Type or paste its path here.`
  if (d.kind === 'not-a-folder') return `“${d.name}” is a file. Drop the project’s folder — the one with go.mod in it — or type its path.`
  return null
}

/** Projects: where a Go project comes in (drop, picker, path, recent) and the page that shows it. */
export function ProjectsPage() {
  const status = useApp((s) => s.project.status)
  const hasProject = useApp((s) => s.project.analysis !== null)
  const openProject = useApp((s) => s.openProject)
  const askForPath = useApp((s) => s.askForPath)

  const onDrop = useCallback(
    (d: DropIntake) => {
      if (d.kind === 'path') void openProject(d.path)
      else if (d.kind !== 'nothing') askForPath(dropNote(d))
    },
    [openProject, askForPath],
  )
  const over = useFolderDrop(onDrop)

  // Ctrl/⌘+O: the path field (in the Open popover when a project is shown).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey
      if (!mod || e.altKey || e.shiftKey || e.key.toLowerCase() !== 'o') return
      e.preventDefault()
      askForPath(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [askForPath])

  return (
    <div className="projects-page">
      {hasProject ? (
        <ErrorBoundary what="Showing this project failed" onRetry={retryFailedParts}>
          <Suspense fallback={<QuietSpinner />}>
            <ProjectView notice={<SettingsNotice />} />
          </Suspense>
        </ErrorBoundary>
      ) : (
        <>
          <PageToolbar title="Projects" subtitle="Go services you turn into images" actions={canPickFolder ? <PickFolderButton size="1" /> : undefined} />
          <div className="page-body">
            <SettingsNotice />
            {status === 'ready' ? <Intake over={over} /> : <QuietSpinner />}
          </div>
        </>
      )}
      <SaveToast />
      {over && hasProject && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <FolderInput size={28} strokeWidth={1.5} />
            <Text size="3" weight="medium">
              Drop to open this folder
            </Text>
          </div>
        </div>
      )}
    </div>
  )
}
