/**
 * go.mod parsing, following cmd/go's modfile grammar: directives one per line or in `verb ( … )`
 * blocks, `//` comments, quoted or back-quoted paths, `// indirect` on requires. Malformed lines
 * become problems (line + what is wrong) and parsing goes on; nothing here throws.
 */
import type { Evidence, GoModule, GoReplace, GoRequire, Notice } from '../types/project'

/** A go.mod line that could not be read, and what is wrong with it. */
export interface GoModProblem {
  line: number
  message: string
  text: string
}

/** What parseGoMod read: the module (as far as it could), and every problem. */
export interface GoModParse {
  /** null when there is no usable `module` line. */
  module: GoModule | null
  /** The line of each entry of `module.requires`, in the same order. */
  requireLines: number[]
  problems: GoModProblem[]
}

const BLOCK_VERBS = new Set(['require', 'replace', 'exclude', 'retract', 'godebug', 'tool', 'ignore', 'module'])
const IGNORED_VERBS = new Set(['exclude', 'retract', 'godebug', 'tool', 'ignore'])
const GO_VERSION = /^[1-9]\d*(?:\.(?:0|[1-9]\d*)){0,2}(?:(?:rc|beta)[1-9]\d*)?$/
const TOOLCHAIN = /^(?:default|go[1-9]\d*(?:\.(?:0|[1-9]\d*)){0,2}(?:(?:rc|beta)[1-9]\d*)?(?:-[A-Za-z0-9_.+-]+)?)$/
const MODULE_VERSION = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

interface Line {
  tokens: string[]
  comment: string
  error?: string
}

/** Parses the text of a go.mod file (`file` names it in evidence). */
export function parseGoMod(text: string, file = 'go.mod'): GoModParse {
  const problems: GoModProblem[] = []
  const requires: GoRequire[] = []
  const requireLines: number[] = []
  const replaces: GoReplace[] = []
  let modulePath: string | null = null
  let moduleEvidence: Evidence | null = null
  let goVersion: string | null = null
  let toolchain: string | null = null

  const lines = text.split(/\r?\n/)
  const problem = (line: number, message: string) => problems.push({ line, message, text: (lines[line - 1] ?? '').trim().slice(0, 200) })
  const evidence = (line: number): Evidence => ({ file, line, text: (lines[line - 1] ?? '').trim().slice(0, 200) })

  const directive = (verb: string, args: string[], comment: string, line: number) => {
    switch (verb) {
      case 'module':
        if (args.length !== 1) return problem(line, 'usage: module module/path')
        if (modulePath !== null) return problem(line, 'repeated module directive')
        modulePath = args[0] ?? ''
        moduleEvidence = evidence(line)
        return
      case 'go':
        if (args.length !== 1) return problem(line, 'usage: go 1.23')
        if (!GO_VERSION.test(args[0] ?? '')) return problem(line, `invalid go version "${args[0] ?? ''}": must look like 1.23 or 1.23.4`)
        if (goVersion !== null) return problem(line, 'repeated go directive')
        goVersion = args[0] ?? null
        return
      case 'toolchain':
        if (args.length !== 1) return problem(line, 'usage: toolchain go1.23.4')
        if (!TOOLCHAIN.test(args[0] ?? '')) return problem(line, `invalid toolchain "${args[0] ?? ''}": must look like go1.23.4`)
        if (toolchain !== null) return problem(line, 'repeated toolchain directive')
        toolchain = args[0] ?? null
        return
      case 'require': {
        if (args.length !== 2) return problem(line, 'usage: require module/path v1.2.3')
        const [path = '', version = ''] = args
        if (!MODULE_VERSION.test(version)) return problem(line, `invalid version "${version}" for ${path}: must look like v1.2.3`)
        requires.push({ path, version, indirect: /^\/\/\s*indirect\b/.test(comment) })
        requireLines.push(line)
        return
      }
      case 'replace':
        return replaceDirective(args, line)
      default:
        if (IGNORED_VERBS.has(verb)) return
        return problem(line, `unknown directive: ${verb}`)
    }
  }

  const replaceDirective = (args: string[], line: number) => {
    const arrow = args.indexOf('=>')
    if (arrow !== 1 && arrow !== 2) return problem(line, 'usage: replace module/path [v1.2.3] => other/module v1.4.5 (or => ./local/dir)')
    const from = args[0] ?? ''
    const fromVersion = arrow === 2 ? args[1] : undefined
    const rest = args.slice(arrow + 1)
    if (rest.length < 1 || rest.length > 2) return problem(line, 'usage: replace module/path [v1.2.3] => other/module v1.4.5 (or => ./local/dir)')
    const to = rest[0] ?? ''
    const toVersion = rest[1]
    const local = isLocalPath(to)
    if (local && toVersion !== undefined) return problem(line, `a local replacement (${to}) takes no version`)
    if (!local && toVersion === undefined) return problem(line, `replacement module ${to} needs a version (or use a directory path starting with ./ or ../)`)
    if (fromVersion !== undefined && !MODULE_VERSION.test(fromVersion)) return problem(line, `invalid version "${fromVersion}" for ${from}`)
    const r: GoReplace = { from, to, local, outsideContext: local && pointsOutside(to), evidence: evidence(line) }
    if (fromVersion !== undefined) r.fromVersion = fromVersion
    if (toVersion !== undefined) r.toVersion = toVersion
    replaces.push(r)
  }

  let block: { verb: string; line: number } | null = null
  lines.forEach((raw, idx) => {
    const line = idx + 1
    const lexed = lexLine(raw)
    if (lexed.error) return problem(line, lexed.error)
    const { tokens, comment } = lexed
    if (tokens.length === 0) return
    if (block) {
      if (tokens.length === 1 && tokens[0] === ')') {
        block = null
        return
      }
      if (tokens.includes('(') || tokens.includes(')')) return problem(line, 'unexpected parenthesis inside a block')
      return directive(block.verb, tokens, comment, line)
    }
    const [verb = '', ...args] = tokens
    if (args.length === 1 && args[0] === '(') {
      if (!BLOCK_VERBS.has(verb)) return problem(line, `unknown block type: ${verb}`)
      block = { verb, line }
      return
    }
    if (verb === ')') return problem(line, 'unexpected ) with no open block')
    if (args.includes('(') || args.includes(')')) return problem(line, 'unexpected parenthesis')
    directive(verb, args, comment, line)
  })
  const open = block as { verb: string; line: number } | null
  if (open) problem(open.line, `the ${open.verb} ( … ) block is never closed`)
  if (modulePath === null && problems.length === 0) problem(1, 'no module directive (the first line should be `module your/module/path`)')
  else if (modulePath === null) problem(1, 'no usable module directive')

  const module: GoModule | null =
    modulePath === null || moduleEvidence === null
      ? null
      : { path: modulePath, goVersion, toolchain, requires, replaces, evidence: moduleEvidence }
  return { module, requireLines, problems }
}

/** Splits one go.mod line into tokens (quoted strings unquoted) and its `//` comment. */
function lexLine(raw: string): Line {
  const tokens: string[] = []
  let i = 0
  const n = raw.length
  while (i < n) {
    const c = raw[i] ?? ''
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++
      continue
    }
    if (raw.startsWith('//', i)) return { tokens, comment: raw.slice(i) }
    if (c === '(' || c === ')') {
      tokens.push(c)
      i++
      continue
    }
    if (raw.startsWith('=>', i)) {
      tokens.push('=>')
      i += 2
      continue
    }
    if (c === '"') {
      let j = i + 1
      let value = ''
      for (; j < n && raw[j] !== '"'; j++) {
        if (raw[j] === '\\' && j + 1 < n) j++
        value += raw[j] ?? ''
      }
      if (j >= n) return { tokens, comment: '', error: 'unterminated quoted string' }
      tokens.push(value)
      i = j + 1
      continue
    }
    if (c === '`') {
      const j = raw.indexOf('`', i + 1)
      if (j < 0) return { tokens, comment: '', error: 'unterminated raw string' }
      tokens.push(raw.slice(i + 1, j))
      i = j + 1
      continue
    }
    let j = i
    while (j < n && !' \t\r"`()'.includes(raw[j] ?? ' ') && !raw.startsWith('//', j) && !raw.startsWith('=>', j)) j++
    tokens.push(raw.slice(i, j))
    i = j
  }
  return { tokens, comment: '' }
}

/** A replacement target that is a directory: `./x`, `../x`, `/abs`, `.`, `..`, or a Windows path. */
export function isLocalPath(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('.\\') || p.startsWith('..\\')
}

/** Whether a local replacement (relative to the module root) leaves the folder: absolute, or climbing above it. */
export function pointsOutside(p: string): boolean {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return true
  let depth = 0
  for (const part of p.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue
    depth += part === '..' ? -1 : 1
    if (depth < 0) return true
  }
  return false
}

/** go.mod problems as notices a person can act on. */
export function goModNotices(parse: GoModParse, file = 'go.mod'): Notice[] {
  if (parse.problems.length === 0) return []
  const first = parse.problems[0]
  const list = parse.problems.slice(0, 10).map((p) => `${file}:${p.line}: ${p.message}`)
  return [
    {
      code: 'go-mod-invalid',
      severity: 'error',
      message: first ? `${file} line ${first.line}: ${first.message}.` : `${file} could not be read.`,
      detail: `${list.join('\n')}${parse.problems.length > 10 ? `\n… and ${parse.problems.length - 10} more` : ''}\nThe build runs \`go\` commands that refuse a broken go.mod; fix it (\`go mod tidy\` reports the same lines).`,
      evidence: parse.problems.slice(0, 10).map((p) => ({ file, line: p.line, text: p.text })),
    },
  ]
}
