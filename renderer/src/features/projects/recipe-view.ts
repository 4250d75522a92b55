// Everything the project page derives from one analysis and the person's choices: the base list,
// the recipe, its explanation, lint and the build command. Pure, so it is computed once per change.
import './buffer-shim'
import { chooseBuilder, resolveBases, type BaseImage, type BuilderChoice } from '../../../../shared/dockerfile/bases'
import { buildCommand } from '../../../../shared/dockerfile/build-command'
import { groupRecipeLines, type GroupedRecipe } from '../../../../shared/dockerfile/explain'
import { generateRecipe, type Recipe } from '../../../../shared/dockerfile/generate'
import type { LintFinding } from '../../../../shared/dockerfile/lint'
import { resolveRecipeChoice } from '../../../../shared/dockerfile/recipe-options'
import { checkDockerfile } from '../../../../shared/dockerfile/validate'
import type { Settings } from '../../../../shared/settings'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import type { RecipeSettings } from '../../stores/project-types'

export interface RecipeInput {
  analysis: ProjectAnalysis
  settings: Pick<Settings, 'customBases' | 'builderImage'> | null
  baseId: string | null
  recipe: RecipeSettings
  /** Whether the connected engine has BuildKit; null when no engine is connected. */
  engineBuildkit: boolean | null
}

export interface RecipeView {
  bases: BaseImage[]
  /** Custom bases from settings that were skipped, and why. */
  baseProblems: string[]
  base: BaseImage
  recommended: BaseImage
  buildkit: boolean
  /** The builder the recipe uses when the person does not name one (settings, else go.mod). */
  defaultBuilder: BuilderChoice
  recipe: Recipe
  dockerfileLines: string[]
  dockerignoreLines: string[]
  grouped: GroupedRecipe
  lint: LintFinding[]
  /** Lint findings by 1-based line. */
  lintByLine: Map<number, LintFinding[]>
  /** The tag the build command uses, e.g. `hello-api:v1.2.3`. */
  tag: string
  /** Builds the project's Dockerfile as saved on disk. */
  buildCommand: string
  /** Builds the preview as shown (`-f -` with the Dockerfile in a here-document), saved or not. */
  buildCommandPreview: string
}

/** BuildKit cache mounts unless the person turned them off, or the connected engine has no BuildKit. */
export function effectiveBuildkit(choice: boolean | null, engine: boolean | null): boolean {
  return choice ?? engine ?? true
}

/** A valid image tag from a project name and version: `Hello API`, `v1.2.3+dirty` → `hello-api:v1.2.3-dirty`. */
export function imageTag(name: string, version: string): string {
  const repo = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '') || 'app'
  const tag = version.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 128) || 'latest'
  return `${repo}:${tag}`
}

/** Computes the project page's recipe and everything shown around it. */
export function recipeView(input: RecipeInput): RecipeView {
  const { analysis, settings } = input
  const { bases, problems } = resolveBases(settings?.customBases ?? [])
  const buildkit = effectiveBuildkit(input.recipe.buildkit, input.engineBuildkit)
  const builderImage = input.recipe.builderImage.trim() || settings?.builderImage || null
  const resolved = resolveRecipeChoice(
    analysis,
    { baseId: input.baseId, builderImage, buildkit, version: input.recipe.version, commit: input.recipe.commit },
    bases,
  )
  const recipe = generateRecipe(analysis, resolved.options)
  const lint = checkDockerfile(recipe.dockerfile)
  const lintByLine = new Map<number, LintFinding[]>()
  for (const f of lint) lintByLine.set(f.line, [...(lintByLine.get(f.line) ?? []), f])
  const tag = imageTag(analysis.mains.find((m) => m.dir === analysis.selectedMain)?.binary ?? analysis.name, recipe.buildArgs.VERSION ?? 'dev')
  return {
    bases,
    baseProblems: problems,
    base: resolved.base,
    recommended: resolved.recommended,
    buildkit,
    defaultBuilder: chooseBuilder(analysis.module, settings?.builderImage ?? null),
    recipe,
    dockerfileLines: recipe.lines.map((l) => l.text),
    dockerignoreLines: recipe.dockerignore.replace(/\n$/, '').split('\n'),
    grouped: groupRecipeLines(recipe.lines),
    lint,
    lintByLine,
    tag,
    buildCommand: buildCommand(recipe.buildArgs, analysis.root, { buildkit, tag }),
    buildCommandPreview: buildCommand(recipe.buildArgs, analysis.root, { buildkit, tag, dockerfile: recipe.dockerfile }),
  }
}
