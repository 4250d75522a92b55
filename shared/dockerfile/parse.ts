// A small Dockerfile reader for our own lint rules: logical instructions with their line numbers,
// flags and stages. Follows Docker's rules for continuations, comments, the escape directive and
// heredocs; it does not validate (dockerfile-utils does that).

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

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/

/** Reads a Dockerfile into instructions and stages. Never throws: unreadable bits are skipped. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const physical = text.replace(/\r\n?/g, '\n').split('\n')
  const directives: ParsedDockerfile['directives'] = {}
  let i = 0
  for (; i < physical.length; i++) {
    const m = DIRECTIVE.exec(physical[i] ?? '')
    if (!m) break
    const key = (m[1] as string).toLowerCase()
    if (key in directives) break
    directives[key] = { value: m[2] as string, line: i + 1 }
  }
  const escape = directives.escape?.value === '`' ? '`' : '\\'

  const instructions: Instruction[] = []
  let stage = -1
  while (i < physical.length) {
    const first = physical[i] ?? ''
    const trimmed = first.trim()
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++
      continue
    }
    const startLine = i + 1
    let joined = ''
    let line = first
    for (;;) {
      const t = line.replace(/[ \t]+$/, '')
      if (t.endsWith(escape)) {
        joined += t.slice(0, -1)
        i++
        // Comment and empty lines inside a continuation are dropped, as Docker does.
        while (i < physical.length && /^\s*(#.*)?$/.test(physical[i] ?? '')) i++
        if (i >= physical.length) break
        line = physical[i] ?? ''
      } else {
        joined += line
        break
      }
    }
    let endLine = Math.min(i + 1, physical.length)
    i++
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined)
    if (!m) continue
    const keyword = (m[1] as string).toUpperCase()
    const args = (m[2] as string).trim()
    // Heredocs (`RUN <<EOF … EOF`): skip their bodies so they are not read as instructions.
    const heredocs = [...args.matchAll(/<<-?\s*(["']?)([A-Za-z_][\w]*)\1/g)].map((h) => h[2] as string)
    for (const tag of heredocs) {
      while (i < physical.length && (physical[i] ?? '').trim() !== tag) i++
      if (i < physical.length) i++
      endLine = i
    }
    const { flags, rest } = splitFlags(args)
    if (keyword === 'FROM') stage++
    instructions.push({ keyword, args, flags, rest, line: startLine, endLine, stage })
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

function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {}
  let rest = args
  for (;;) {
    const m = /^--([A-Za-z][\w-]*)(?:=("[^"]*"|\S*))?\s*/.exec(rest)
    if (!m) break
    const name = m[1] as string
    const value = (m[2] ?? '').replace(/^"(.*)"$/, '$1')
    flags[name] = name in flags ? `${flags[name]},${value}` : value
    rest = rest.slice(m[0].length)
  }
  return { flags, rest: rest.trim() }
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
