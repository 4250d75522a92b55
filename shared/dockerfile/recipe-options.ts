// From what a person chose (in the CLI's flags or on the project page) to the options of
// generateRecipe, so both front ends fall back to the same defaults.
import type { ProjectAnalysis } from '../types/project'
import { BASE_CATALOG, recommendBase, type BaseImage } from './bases'
import type { RecipeOptions } from './generate'

/** What a front end lets the person choose; anything left out or blank falls back to the project's own facts. */
export interface RecipeChoice {
  /** A base id from the catalog; unset, blank or unknown: the recommended base. */
  baseId?: string | null
  /** A builder image; unset or blank: chosen from go.mod; not a valid image reference: the same, with a notice. */
  builderImage?: string | null
  buildkit: boolean
  /** The main package to build; unset: the analysed one. */
  mainDir?: string | null
  /** Version and commit for the build args; unset or blank: the git tag and commit. */
  version?: string | null
  commit?: string | null
}

/** The recipe options for a choice, the base they use, and the base Slipway recommends for this project. */
export interface ResolvedRecipeChoice {
  options: RecipeOptions
  base: BaseImage
  recommended: BaseImage
  /** `choice.baseId` named a base that is not in `bases` (the recommended one is used instead). */
  unknownBase: boolean
}

/** The base with this id among `bases`, if any. */
export function findBase(bases: readonly BaseImage[], id: string | null | undefined): BaseImage | undefined {
  const want = id?.trim()
  return want ? bases.find((b) => b.id === want) : undefined
}

/**
 * Turns a choice into generateRecipe options: the chosen base (the recommended one when none or an
 * unknown one is chosen), and blank text fields read as "not set" so the defaults from go.mod and
 * git apply.
 */
export function resolveRecipeChoice(analysis: ProjectAnalysis, choice: RecipeChoice, bases: readonly BaseImage[] = BASE_CATALOG): ResolvedRecipeChoice {
  const recommended = recommendBase(analysis, bases)
  const chosen = findBase(bases, choice.baseId)
  const base = chosen ?? recommended
  return {
    options: {
      base,
      // Not trimmed here: chooseBuilder trims spaces and refuses a reference with a newline or tab
      // anywhere in it, with a notice, rather than quietly using what trimming leaves.
      builderImage: choice.builderImage?.trim() ? choice.builderImage : null,
      buildkit: choice.buildkit,
      mainDir: blankToNull(choice.mainDir),
      version: blankToNull(choice.version),
      commit: blankToNull(choice.commit),
    },
    base,
    recommended,
    unknownBase: !chosen && blankToNull(choice.baseId) !== null,
  }
}

function blankToNull(s: string | null | undefined): string | null {
  const t = s?.trim()
  return t ? t : null
}
