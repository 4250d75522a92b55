import type { Notice, ProjectAnalysis } from '../../shared/types/project'
import { BASE_CATALOG, type BaseImage } from '../../shared/dockerfile/bases'
import { generateRecipe, type Recipe } from '../../shared/dockerfile/generate'
import { buildCommand, shellQuote } from '../../shared/dockerfile/build-command'
import { explainRecipe } from '../../shared/dockerfile/explain'
import { findBase, resolveRecipeChoice } from '../../shared/dockerfile/recipe-options'
import { cliDetail } from './analyze'
import type { Output } from './engine'

/** Options of `slipway dockerfile`, as commander parses them. */
export interface DockerfileCommandOptions {
  base?: string
  builder?: string
  classic?: boolean
  main?: string
  dockerignore?: boolean
  explain?: boolean
}

/** What the command needs from the services: the project analyzer, and the base catalog (with the user's bases). */
export interface DockerfileCommandDeps {
  analyze: (dir: string, opts: { main?: string }) => Promise<ProjectAnalysis>
  bases?: readonly BaseImage[]
}

/**
 * `slipway dockerfile DIR [--base ID] [--builder IMAGE] [--classic] [--main DIR] [--dockerignore] [--explain]`:
 * prints the recipe's Dockerfile (or its .dockerignore) on stdout and the notices on stderr.
 * Exit code 0; 1 when the project cannot be analysed or a notice is an error (the image would not
 * build or not work); 2 for an unknown base id.
 */
export async function dockerfileCommand(dir: string, opts: DockerfileCommandOptions, io: Output, deps: DockerfileCommandDeps): Promise<number> {
  const bases = deps.bases ?? BASE_CATALOG
  if (opts.base && !findBase(bases, opts.base)) {
    io.err(`Unknown base "${opts.base}". Choose one of: ${bases.map((b) => b.id).join(', ')}.`)
    return 2
  }
  let analysis: ProjectAnalysis
  try {
    analysis = await deps.analyze(dir, opts.main ? { main: opts.main } : {})
  } catch (e) {
    const err = e as Error & { detail?: string }
    io.err([err.message, err.detail].filter(Boolean).join('\n'))
    return 1
  }
  const { options } = resolveRecipeChoice(analysis, { baseId: opts.base, builderImage: opts.builder, buildkit: !opts.classic, mainDir: opts.main }, bases)
  const recipe = generateRecipe(analysis, options)
  if (opts.dockerignore) io.out(recipe.dockerignore.replace(/\n$/, ''))
  else io.out((opts.explain ? explainRecipe(recipe.lines) : recipe.dockerfile).replace(/\n$/, ''))
  const notices = [...analysis.notices, ...recipe.notices]
  if (notices.length > 0) io.err(formatNotices(notices))
  if (!opts.dockerignore && !opts.explain) io.err(buildHint(recipe, dir, !opts.classic))
  return notices.some((n) => n.severity === 'error') ? 1 : 0
}

/** Kept here for callers of the CLI module; the grouping lives in shared/dockerfile/explain. */
export { explainRecipe }

/** Notices as `error: message (file:line)` plus an indented detail line. */
export function formatNotices(notices: Notice[]): string {
  const order = { error: 0, warning: 1, info: 2 } as const
  return [...notices]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((n) => {
      const where = n.evidence?.length ? ` (${n.evidence.map((e) => `${e.file}:${e.line}`).join(', ')})` : ''
      const detail = cliDetail(n)
      return `${n.severity}: ${n.message}${where}${detail ? `\n    ${detail}` : ''}`
    })
    .join('\n')
}

function buildHint(r: Recipe, dir: string, buildkit: boolean): string {
  return `Save it as ${shellQuote(dir)}/Dockerfile (and --dockerignore as .dockerignore), then: ${buildCommand(r.buildArgs, dir, { buildkit })}`
}
