import { Button, Text } from '@radix-ui/themes'
import { FolderOpen } from 'lucide-react'
import { useState } from 'react'
import { useApp } from '../../stores'
import { PageToolbar } from '../shell/PageToolbar'
import type { DropNote } from './drop-note'
import { ProjectDropZone } from './ProjectDropZone'

const steps = [
  { n: '1', title: 'Analyse', text: 'Finds the module, its main packages, cgo and the Go version.' },
  { n: '2', title: 'Build', text: 'Pick a base — scratch, distroless, alpine — and build on your engine.' },
  { n: '3', title: 'Inspect', text: 'Walk the image layer by layer and compare the size of every base.' },
]

/** Projects: where a Go project comes in. Until project intake lands it is an invitation, not a list. */
export function ProjectsPage() {
  const defaultProject = useApp((s) => s.app.info?.defaultProject ?? null)
  const [note, setNote] = useState<DropNote | null>(null)

  return (
    <>
      <PageToolbar
        title="Projects"
        subtitle="Go services you turn into images"
        actions={
          <Button size="1" variant="soft" onClick={() => setNote({ kind: 'picker' })}>
            <FolderOpen size={14} aria-hidden />
            Open folder…
          </Button>
        }
      />
      <div className="page-body">
        <div className="page-narrow page-center">
          <ProjectDropZone defaultProject={defaultProject} note={note} onNote={setNote} />
          <ol className="steps" aria-label="What happens next">
            {steps.map((s) => (
              <li key={s.n} className="step">
                <span className="step-number" aria-hidden="true">
                  {s.n}
                </span>
                <div>
                  <Text as="div" size="2" weight="medium">
                    {s.title}
                  </Text>
                  <Text as="div" size="1" color="gray">
                    {s.text}
                  </Text>
                </div>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </>
  )
}
