// The Dockerfile reader for our own lint rules and the shared-stage check: logical instructions with
// their line numbers, flags and stages, from dockerfile-ast (the parser the validator, dockerfile-utils,
// runs on; it is in the renderer's bundle either way). It does not validate (dockerfile-utils does).
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast'

type Range = ReturnType<AstInstruction['getRange']>

/** One logical instruction, joined across its continuation lines. */
export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, COPY, … */
  keyword: string
  /** Everything after the keyword, continuations joined, flags included. */
  args: string
  /** `--name=value` flags at the start of `args` (value '' for a bare `--name`). */
  flags: Record<string, string>
  /** `args` without the leading flags. */
  rest: string
  /** 1-based line of the keyword, and of the last physical line. */
  line: number
  endLine: number
  /** Index of the stage (0 = first FROM); -1 before the first FROM (global ARGs). */
  stage: number
}

/** A build stage: its FROM line, image, alias and instructions. */
export interface Stage {
  index: number
  line: number
  /** The image after expanding global ARG defaults; null when it could not be expanded. */
  image: string | null
  /** The image as written. */
  rawImage: string
  alias: string | null
  /** Index of the earlier stage this one starts from, when `image` names one. */
  fromStage: number | null
  instructions: Instruction[]
}

/** A parsed Dockerfile: parser directives, every instruction, and the stages. */
export interface ParsedDockerfile {
  directives: Record<string, { value: string; line: number }>
  instructions: Instruction[]
  stages: Stage[]
  /** Global ARG defaults (declared before the first FROM). */
  globalArgs: Record<string, string | null>
}

/** A flag as dockerfile-ast reads it (on the instructions that take flags: FROM, RUN, COPY, ADD, HEALTHCHECK). */
interface AstFlag {
  getName(): string
  getValue(): string | null
  getRange(): Range
}

/**
 * Reads a Dockerfile into instructions and stages with dockerfile-ast, the parser under the
 * validator (dockerfile-utils): Docker's rules for parser directives, continuations (comment and
 * empty lines inside one are dropped), the escape directive and heredocs come from it. Never throws.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const ast = DockerfileParser.parse(text)
  const directives: ParsedDockerfile['directives'] = {}
  for (const d of ast.getDirectives()) {
    const key = d.getName().toLowerCase()
    if (!(key in directives)) directives[key] = { value: d.getValue(), line: (d.getRange()?.start.line ?? 0) + 1 }
  }
  const lines = text.split(/\r\n|\r|\n/)
  const escape = ast.getEscapeCharacter()
  const textOf = (r: Range) => (r.start.line === r.end.line ? (lines[r.start.line] ?? '').slice(r.start.character, r.end.character) : null)
  const instructions: Instruction[] = []
  let stage = -1
  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase()
    const astFlags: AstFlag[] = 'getFlags' in ins && typeof ins.getFlags === 'function' ? (ins.getFlags() as AstFlag[]) : []
    const flags: Record<string, string> = {}
    for (const f of astFlags) {
      const name = f.getName()
      const value = (f.getValue() ?? '').replace(/^"(.*)"$/, '$1')
      flags[name] = name in flags ? `${flags[name]},${value}` : value
    }
    const rest = argumentText(ins.getArguments().map((a) => a.getRange()), lines, escape)
    const flagTexts = astFlags.map((f) => textOf(f.getRange()) ?? `--${f.getName()}${f.getValue() === null ? '' : `=${f.getValue()}`}`)
    const args = [...flagTexts, rest].filter((x) => x !== '').join(' ')
    if (keyword === 'FROM') stage++
    const range = ins.getRange()
    instructions.push({ keyword, args, flags, rest, line: range.start.line + 1, endLine: range.end.line + 1, stage })
  }
  const globalArgs: Record<string, string | null> = {}
  for (const ins of instructions.filter((x) => x.stage === -1 && x.keyword === 'ARG')) {
    for (const a of parseArgNames(ins.rest)) globalArgs[a.name] = a.value
  }
  const stages: Stage[] = []
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.rest.split(/\s+/).filter(Boolean)
      const rawImage = words[0] ?? ''
      const alias = words.length >= 3 && words[1]?.toUpperCase() === 'AS' ? (words[2] ?? '').toLowerCase() : null
      const image = expand(rawImage, globalArgs)
      const fromStage = image === null ? null : stages.findIndex((s) => s.alias !== null && s.alias === image.toLowerCase())
      stages.push({ index: stages.length, line: ins.line, image, rawImage, alias, fromStage: fromStage === null || fromStage < 0 ? null : fromStage, instructions: [] })
    } else if (ins.stage >= 0) stages[ins.stage]?.instructions.push(ins)
  }
  return { directives, instructions, stages, globalArgs }
}

/**
 * The text from the first argument to the last, continuations joined as Docker joins them: the
 * escape character at a line's end is dropped, and so are comment and empty lines inside (a
 * heredoc's lines keep their breaks).
 */
function argumentText(ranges: readonly Range[], lines: readonly string[], escape: string): string {
  const first = ranges[0]
  const last = ranges[ranges.length - 1]
  if (!first || !last) return ''
  let out = ''
  for (let l = first.start.line; l <= last.end.line; l++) {
    let part = (lines[l] ?? '').slice(l === first.start.line ? first.start.character : 0, l === last.end.line ? last.end.character : undefined)
    if (l !== first.start.line && /^\s*(#.*)?$/.test(part)) continue
    if (l !== last.end.line) {
      const t = part.replace(/[ \t]+$/, '')
      // A line that does not continue is a heredoc's: it keeps its line break.
      part = t.endsWith(escape) ? t.slice(0, -escape.length) : `${part}\n`
    }
    out += part
  }
  return out.trim()
}

/** `ARG A B=1 C="x y"` → names with their defaults (null when none). */
export function parseArgNames(rest: string): { name: string; value: string | null }[] {
  return tokenize(rest).map((tok) => {
    const eq = tok.indexOf('=')
    return eq < 0 ? { name: tok, value: null } : { name: tok.slice(0, eq), value: unquote(tok.slice(eq + 1)) }
  })
}

/** `ENV A=1 B="x y"` or the legacy `ENV A some value` → pairs. */
export function parseEnvPairs(rest: string): { name: string; value: string }[] {
  const toks = tokenize(rest)
  if (toks.length > 0 && !(toks[0] as string).includes('=')) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rest.trim())
    return m ? [{ name: m[1] as string, value: unquote((m[2] as string).trim()) }] : [{ name: rest.trim(), value: '' }]
  }
  return toks.map((tok) => {
    const eq = tok.indexOf('=')
    return { name: tok.slice(0, eq), value: unquote(tok.slice(eq + 1)) }
  })
}

/** Splits on whitespace outside quotes, keeping the quotes (they are removed per value). */
function tokenize(s: string): string[] {
  return s.match(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g) ?? []
}

function unquote(v: string): string {
  return v.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_, d: string | undefined, s: string | undefined) => (d !== undefined ? d.replace(/\\(.)/g, '$1') : (s ?? '')))
}

/** Expands `$X`, `${X}`, `${X:-d}` from ARG defaults; null when a variable has no known value. */
export function expand(s: string, vars: Record<string, string | null>): string | null {
  let unknown = false
  const out = s.replace(/\$\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string
    const v = vars[name]
    const set = v !== undefined && v !== null && v !== ''
    if (op === '-') return set ? (v as string) : (word ?? '')
    if (op === '+') return set ? (word ?? '') : ''
    if (!set) unknown = true
    return v ?? ''
  })
  return unknown ? null : out
}
