import { useCallback, useEffect } from 'react'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { isMac } from '../../hooks/platform'
import { useApp } from '../../stores'
import type { RecipeView } from '../projects/recipe-view'

/**
 * The project's Build action: the chosen base and main package, preflight first. `busy` while
 * preflight checks or the shown build runs. Ctrl/⌘+B triggers it while the hook is mounted.
 */
export function useBuildAction(analysis: ProjectAnalysis, view: RecipeView): { build: () => void; busy: boolean } {
  const startBuild = useApp((s) => s.startBuild)
  const dir = analysis.root
  const busy = useApp((s) => {
    const pf = s.build.preflight[dir]
    if (pf?.status === 'checking' || (pf?.status === 'blocked' && pf.making && !pf.making.error)) return true
    const id = s.build.shown[dir]
    const phase = id ? s.build.jobs[id]?.phase : undefined
    return phase === 'starting' || phase === 'running'
  })
  const base = view.base.id
  const main = analysis.selectedMain ?? undefined
  // The Cache mounts switch, when the person set it, picks the builder too, so the build runs the Dockerfile the preview shows.
  const buildkit = useApp((s) => s.project.recipe.buildkit)
  // So are the Builder, Version and Commit fields: the build is the Dockerfile the preview shows.
  const builderImage = useApp((s) => s.project.recipe.builderImage)
  const version = useApp((s) => s.project.recipe.version)
  const commit = useApp((s) => s.project.recipe.commit)
  const build = useCallback(
    () => void startBuild({ dir, base, main, builderImage, version, commit, ...(buildkit === null ? {} : { buildkit }) }),
    [startBuild, dir, base, main, buildkit, builderImage, version, commit],
  )

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey
      if (!mod || e.altKey || e.shiftKey || e.repeat || e.key.toLowerCase() !== 'b') return
      e.preventDefault()
      if (busy) useApp.getState().setProjectView('build')
      else build()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [build, busy])

  return { build, busy }
}
