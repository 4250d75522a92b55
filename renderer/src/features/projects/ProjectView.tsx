import { Button, Callout, Flex, IconButton } from '@radix-ui/themes'
import { Lightbulb, X } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { useApp } from '../../stores'
import { BuildView } from '../build/BuildView'
import { HistoryView } from '../build/HistoryView'
import { useBuildAction } from '../build/use-build-action'
import { CompareView } from '../compare/CompareView'
import { BasePicker } from './BasePicker'
import { DockerfilePanel } from './DockerfilePanel'
import { FindingsPanel } from './FindingsPanel'
import { ProjectToolbar } from './ProjectToolbar'
import type { RecipeView } from './recipe-view'
import { useRecipeView } from './use-recipe-view'

/**
 * One project: the toolbar, then the recipe (findings and base picker on the left, the Dockerfile on
 * the right), the build, or the build history. The recipe stays mounted while another view shows, so
 * its selection and tabs are where the person left them.
 */
export function ProjectView({ notice }: { notice: ReactNode }) {
  const analysis = useApp((s) => s.project.analysis)
  const view = useRecipeView()
  if (!analysis || !view) return null
  return <ProjectViewBody notice={notice} analysis={analysis} view={view} />
}

function ProjectViewBody({ notice, analysis, view }: { notice: ReactNode; analysis: ProjectAnalysis; view: RecipeView }) {
  const tab = useApp((s) => s.build.view)
  const { build, busy } = useBuildAction(analysis, view)
  return (
    <>
      <ProjectToolbar analysis={analysis} onBuild={build} building={busy} />
      {notice}
      <ExampleGuide analysis={analysis} onBuild={build} />
      <div className="project-body" data-testid="project-view" hidden={tab !== 'recipe'}>
        <div className="project-side">
          <FindingsPanel analysis={analysis} />
          <BasePicker analysis={analysis} view={view} />
        </div>
        <DockerfilePanel analysis={analysis} view={view} />
      </div>
      {tab === 'build' && <BuildView analysis={analysis} view={view} onBuild={build} />}
      {tab === 'history' && <HistoryView analysis={analysis} />}
      {tab === 'compare' && <CompareView analysis={analysis} bases={view.bases} />}
    </>
  )
}

/**
 * On the bundled example (what a first start shows): says what it is and the two ways on — open
 * your own project, or build this one. Dismissed for the session.
 */
function ExampleGuide({ analysis, onBuild }: { analysis: ProjectAnalysis; onBuild: () => void }) {
  const example = useApp((s) => s.app.info?.defaultProject ?? null)
  const askForPath = useApp((s) => s.askForPath)
  const [dismissed, setDismissed] = useState(false)
  if (dismissed || example === null || analysis.root !== example) return null
  return (
    <Callout.Root color="indigo" size="1" variant="surface" className="example-guide" data-testid="example-guide">
      <Callout.Icon>
        <Lightbulb size={15} />
      </Callout.Icon>
      <Callout.Text>
        This is <strong>{analysis.name}</strong>, the example that comes with Slipway. Open your own Go project to containerize it, or build this one to
        see how it works.
      </Callout.Text>
      <Flex gap="2" align="center" className="example-guide-actions">
        <Button size="1" onClick={() => askForPath(null)} data-testid="example-open">
          Open your project…
        </Button>
        <Button size="1" variant="soft" onClick={onBuild}>
          Build the example
        </Button>
        <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss" onClick={() => setDismissed(true)}>
          <X size={14} aria-hidden />
        </IconButton>
      </Flex>
    </Callout.Root>
  )
}
