import type { ReactNode } from 'react'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { useApp } from '../../stores'
import { BuildView } from '../build/BuildView'
import { HistoryView } from '../build/HistoryView'
import { useBuildAction } from '../build/use-build-action'
import { CompareView } from '../compare/CompareView'
import { BasePicker } from './BasePicker'
import { DockerfilePanel } from './DockerfilePanel'
import { ExampleGuide } from './ExampleGuide'
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
