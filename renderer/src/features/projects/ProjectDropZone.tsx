import { Button, Code, Heading, Text } from '@radix-ui/themes'
import { FolderInput } from 'lucide-react'
import { useApp } from '../../stores'
import { PickFolderButton, canPickFolder } from './IntakePanel'

/** Labels the project the app opens at start: the bundled example, or one given on the command line. */
function defaultProjectLabel(path: string): string {
  return /[\\/]examples[\\/]hello-api[\\/]?$/.test(path) ? 'The bundled example' : 'Project given at start'
}

/**
 * The Projects page's invitation: a large target for a Go project folder. The drop itself is taken
 * anywhere on the window (useFolderDrop); this zone lights up while something is dragged over it.
 */
export function ProjectDropZone({ over, defaultProject }: { over: boolean; defaultProject: string | null }) {
  const openProject = useApp((s) => s.openProject)
  return (
    <div className="dropzone" data-over={over || undefined} data-testid="project-dropzone">
      <div className="dropzone-icon" aria-hidden="true">
        <FolderInput size={28} strokeWidth={1.5} />
      </div>
      <Heading as="h2" size="4" weight="medium" mt="2">
        Drop a Go project folder here
      </Heading>
      <Text as="p" size="2" color="gray" className="dropzone-text">
        Slipway reads <Code size="1" variant="ghost">go.mod</Code> and your main packages and writes a multi-stage Dockerfile that explains itself. Your
        folder is never changed without asking.
      </Text>
      <div className="dropzone-actions">
        <PickFolderButton />
        {!canPickFolder && (
          <Text size="1" color="gray">
            Browser mode: type the folder’s path below.
          </Text>
        )}
      </div>
      {defaultProject && (
        <Text as="p" size="1" color="gray" className="dropzone-example">
          {defaultProjectLabel(defaultProject)}:{' '}
          <Code size="1" variant="soft" color="gray" className="selectable">
            {defaultProject}
          </Code>{' '}
          <Button size="1" variant="ghost" onClick={() => void openProject(defaultProject)} className="dropzone-example-open">
            Open it
          </Button>
        </Text>
      )}
    </div>
  )
}
