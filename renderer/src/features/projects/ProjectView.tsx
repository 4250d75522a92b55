import type { ReactNode } from 'react'
import { useApp } from '../../stores'
import { BasePicker } from './BasePicker'
import { DockerfilePanel } from './DockerfilePanel'
import { FindingsPanel } from './FindingsPanel'
import { ProjectToolbar } from './ProjectToolbar'
import { useRecipeView } from './use-recipe-view'

/** One project: the toolbar, the findings and base picker on the left, the Dockerfile on the right. */
export function ProjectView({ notice }: { notice: ReactNode }) {
  const analysis = useApp((s) => s.project.analysis)
  const view = useRecipeView()
  if (!analysis || !view) return null
  return (
    <>
      <ProjectToolbar analysis={analysis} />
      {notice}
      <div className="project-body" data-testid="project-view">
        <div className="project-side">
          <FindingsPanel analysis={analysis} />
          <BasePicker analysis={analysis} view={view} />
        </div>
        <DockerfilePanel analysis={analysis} view={view} />
      </div>
    </>
  )
}
