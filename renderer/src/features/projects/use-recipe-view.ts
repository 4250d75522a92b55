import { useMemo } from 'react'
import { useApp, type AppState } from '../../stores'
import { recipeView, type RecipeInput, type RecipeView } from './recipe-view'

const engineBuildkit = (s: AppState): boolean | null => (s.engine.state?.status === 'connected' ? s.engine.state.info.buildkit : null)

/** The recipe input as the store holds it now (for handlers that need a fresh recipe after an await). */
export function recipeInputFrom(s: AppState): RecipeInput | null {
  const p = s.project
  return p.analysis ? { analysis: p.analysis, settings: p.settings, baseId: p.baseId, recipe: p.recipe, engineBuildkit: engineBuildkit(s) } : null
}

/** The shown project's recipe and everything around it, recomputed only when one of its inputs changes. */
export function useRecipeView(): RecipeView | null {
  const analysis = useApp((s) => s.project.analysis)
  const settings = useApp((s) => s.project.settings)
  const baseId = useApp((s) => s.project.baseId)
  const recipe = useApp((s) => s.project.recipe)
  const buildkit = useApp(engineBuildkit)
  return useMemo(
    () => (analysis ? recipeView({ analysis, settings, baseId, recipe, engineBuildkit: buildkit }) : null),
    [analysis, settings, baseId, recipe, buildkit],
  )
}
