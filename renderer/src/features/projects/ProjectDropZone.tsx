import { Code, Heading, IconButton, Text } from '@radix-ui/themes'
import { FolderInput, Info, X } from 'lucide-react'
import { useRef, useState, type DragEvent } from 'react'
import { describeDrop, type DropNote } from './drop-note'

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files')

/** Labels the project the app opens at start: the bundled example, or one given on the command line. */
function defaultProjectLabel(path: string): string {
  return /[\\/]examples[\\/]hello-api[\\/]?$/.test(path) ? 'Or start with the bundled example' : 'Project given at start'
}

function NoteText({ note }: { note: DropNote }) {
  if (note.kind === 'not-a-folder')
    return (
      <>
        “{note.name}” is a file. Drop the project’s folder — the one with <Code size="1">go.mod</Code> in it.
      </>
    )
  if (note.kind === 'intake-pending')
    return (
      <>
        Received “{note.name}”{note.count > 1 ? ` and ${note.count - 1} more` : ''}. Opening projects arrives with project intake — Slipway has not read
        or changed anything yet.
      </>
    )
  if (note.kind === 'picker') return <>Opening projects arrives with project intake; the folder picker is not wired up yet.</>
  return <>Nothing to open in that drop. Drag a folder from your file manager.</>
}

/**
 * The Projects page's invitation: a large target for a Go project folder. It takes the drag
 * visually; reading the folder is the job of project intake, so a drop only says so.
 */
export function ProjectDropZone({ defaultProject, note, onNote }: { defaultProject: string | null; note: DropNote | null; onNote: (n: DropNote | null) => void }) {
  const [over, setOver] = useState(false)
  // dragenter/dragleave fire for every child the pointer crosses; count them to know when it really left.
  const depth = useRef(0)

  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return
    e.preventDefault()
    depth.current++
    setOver(true)
  }
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'copy'
  }
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1)
    if (depth.current === 0) setOver(false)
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    depth.current = 0
    setOver(false)
    onNote(describeDrop(e.dataTransfer))
  }

  return (
    <div
      className="dropzone"
      data-over={over || undefined}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-testid="project-dropzone"
    >
      <div className="dropzone-icon" aria-hidden="true">
        <FolderInput size={28} strokeWidth={1.5} />
      </div>
      <Heading as="h2" size="4" weight="medium" mt="2">
        Drop a Go project folder here
      </Heading>
      <Text as="p" size="2" color="gray" className="dropzone-text">
        Slipway reads <Code size="1" variant="ghost">go.mod</Code> and your main packages, writes a multi-stage Dockerfile and builds a small image. Your
        folder is never changed without asking.
      </Text>
      {defaultProject && (
        <Text as="p" size="1" color="gray" className="dropzone-example">
          {defaultProjectLabel(defaultProject)}:{' '}
          <Code size="1" variant="soft" color="gray" className="selectable">
            {defaultProject}
          </Code>
        </Text>
      )}

      {/* Shown over the zone's bottom edge, so a note appearing never moves anything. */}
      <div className="drop-note-slot" aria-live="polite">
        {note && (
          <div className="drop-note" data-tone={note.kind === 'not-a-folder' || note.kind === 'nothing' ? 'warning' : 'info'}>
            <Info size={15} aria-hidden className="drop-note-icon" />
            <Text size="2" className="drop-note-text">
              <NoteText note={note} />
            </Text>
            <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss note" onClick={() => onNote(null)}>
              <X size={14} aria-hidden />
            </IconButton>
          </div>
        )}
      </div>
    </div>
  )
}
