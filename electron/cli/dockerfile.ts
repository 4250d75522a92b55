import type { Notice, ProjectAnalysis } from '../../shared/types/project'
import { BASE_CATALOG, recommendBase, type BaseImage } from '../../shared/dockerfile/bases'
import { generateRecipe, type Recipe, type RecipeLine } from '../../shared/dockerfile/generate'
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
  let base: BaseImage | undefined
  if (opts.base) {
    base = bases.find((b) => b.id === opts.base)
    if (!base) {
      io.err(`Unknown base "${opts.base}". Choose one of: ${bases.map((b) => b.id).join(', ')}.`)
      return 2
    }
  }
  let analysis: ProjectAnalysis
  try {
    analysis = await deps.analyze(dir, opts.main ? { main: opts.main } : {})
  } catch (e) {
    const err = e as Error & { detail?: string }
    io.err([err.message, err.detail].filter(Boolean).join('\n'))
    return 1
  }
  const recipe = generateRecipe(analysis, {
    base: base ?? recommendBase(analysis, bases),
    builderImage: opts.builder ?? null,
    buildkit: !opts.classic,
    mainDir: opts.main ?? null,
  })
  if (opts.dockerignore) io.out(recipe.dockerignore.replace(/\n$/, ''))
  else io.out((opts.explain ? explainRecipe(recipe.lines) : recipe.dockerfile).replace(/\n$/, ''))
  const notices = [...analysis.notices, ...recipe.notices]
  if (notices.length > 0) io.err(formatNotices(notices))
  if (!opts.dockerignore && !opts.explain) io.err(buildHint(recipe, dir, !opts.classic))
  return notices.some((n) => n.severity === 'error') ? 1 : 0
}

/**
 * The Dockerfile with each instruction preceded by `# why` comments (and the evidence as
 * file:line), so the output is still a valid Dockerfile.
 */
export function explainRecipe(lines: RecipeLine[]): string {
  const out: string[] = []
  let previous: RecipeLine | null = null
  for (const l of lines) {
    // Continuation lines and grouped lines (ARG VERSION / ARG COMMIT) share one explanation: say it once.
    const sameInstruction = previous !== null && previous.text !== '' && previous.why === l.why
    if (l.text !== '' && l.why !== '' && !sameInstruction) {
      const where = l.evidence?.map((e) => `${e.file}:${e.line}`).join(', ')
      out.push(...wrap(l.why + (where ? ` [${where}]` : ''), 96).map((w) => `# ${w}`))
    }
    out.push(l.text)
    previous = l
  }
  return `${out.join('\n')}\n`
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let cur = ''
  for (const word of text.split(/\s+/)) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur)
      cur = word
    } else cur = cur ? `${cur} ${word}` : word
  }
  if (cur) lines.push(cur)
  return lines
}

/** Notices as `error: message (file:line)` plus an indented detail line. */
export function formatNotices(notices: Notice[]): string {
  const order = { error: 0, warning: 1, info: 2 } as const
  return [...notices]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((n) => {
      const where = n.evidence?.length ? ` (${n.evidence.map((e) => `${e.file}:${e.line}`).join(', ')})` : ''
      return `${n.severity}: ${n.message}${where}${n.detail ? `\n    ${n.detail}` : ''}`
    })
    .join('\n')
}

function buildHint(r: Recipe, dir: string, buildkit: boolean): string {
  const args = Object.entries(r.buildArgs)
    .map(([k, v]) => `--build-arg ${k}=${v}`)
    .join(' ')
  const quoted = /^[\w./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`
  return `Save it as ${quoted}/Dockerfile (and --dockerignore as .dockerignore), then: ${buildkit ? 'DOCKER_BUILDKIT=1 ' : ''}docker build ${args} ${quoted}`
}
