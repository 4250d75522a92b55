// A lossless highlighter for Dockerfiles and .dockerignore files: every line becomes a list of
// tokens whose texts join back to the line exactly, so the preview shows what will be written.
// Where instructions start and end, their keywords, flags, comments, the escape character and
// heredoc bodies come from dockerfile-ast — the one Dockerfile parser (shared/dockerfile/parse.ts,
// and the validator's), already in this chunk for the checks; only the colouring of argument text
// (strings, variables, shell operators) is done here, as no parser reports it.
import { DockerfileParser, Keyword } from 'dockerfile-ast'
import './buffer-shim'

/** The instructions Docker knows (dockerfile-ast's list): any other first word is plain text. */
const INSTRUCTIONS = new Set<string>(Object.values(Keyword))

export type TokenKind = 'keyword' | 'comment' | 'flag' | 'string' | 'variable' | 'operator' | 'text'

export interface Token {
  kind: TokenKind
  text: string
}

function push(out: Token[], kind: TokenKind, text: string): void {
  if (text === '') return
  const last = out[out.length - 1]
  if (last && last.kind === kind) last.text += text
  else out.push({ kind, text })
}

/** The end (exclusive) of a quoted string starting at `i`, honouring backslash escapes; the line's end when unclosed. */
function stringEnd(line: string, i: number): number {
  const quote = line[i]
  let j = i + 1
  while (j < line.length) {
    if (line[j] === '\\' && quote === '"') j += 2
    else if (line[j] === quote) return j + 1
    else j++
  }
  return line.length
}

/** The end (exclusive) of a `$NAME` or `${…}` reference at `i`, or `i` when there is none. */
function variableEnd(line: string, i: number): number {
  if (line[i + 1] === '{') {
    const close = line.indexOf('}', i + 2)
    return close < 0 ? i : close + 1
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1))
  return m ? i + 1 + m[0].length : i
}

/** What the parser says about one line: spans (start, end, kind) of its keywords and flags. */
interface LineMarks {
  spans: [number, number, TokenKind][]
}

function tokenizeInstructionLine(line: string, marks: LineMarks, escape: string): Token[] {
  const out: Token[] = []
  let i = 0
  const spans = [...marks.spans].sort((a, b) => a[0] - b[0])
  // The line-continuation character (the escape directive's, `\\` by default): the last non-blank one.
  const trimmed = line.replace(/\s+$/, '')
  const continuation = trimmed.endsWith(escape) ? trimmed.length - 1 : -1
  while (i < line.length) {
    const c = line[i] as string
    const span = spans.find((x) => x[0] === i && x[1] > i)
    if (span) {
      push(out, span[2], line.slice(i, span[1]))
      i = span[1]
      continue
    }
    if (i === continuation) {
      push(out, 'operator', c)
      i++
      continue
    }
    if (/\s/.test(c)) {
      push(out, 'text', c)
      i++
      continue
    }
    if (c === '"' || c === "'") {
      const end = Math.min(stringEnd(line, i), continuation >= 0 && continuation > i ? continuation : line.length)
      push(out, 'string', line.slice(i, end))
      i = end
      continue
    }
    if (c === '$') {
      const end = variableEnd(line, i)
      if (end > i) {
        push(out, 'variable', line.slice(i, end))
        i = end
          continue
      }
    }
    const two = line.slice(i, i + 2)
    if (two === '&&' || two === '||') {
      push(out, 'operator', two)
      i += 2
      continue
    }
    if (c === '|' || c === ';') {
      push(out, 'operator', c)
      i++
      continue
    }
    push(out, 'text', c)
    i++
  }
  return out
}

/** A file's text as lines, without the empty "line" after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n')
}

/**
 * Tokens for each line of a Dockerfile: instruction keywords (and `AS` in FROM), comments, `--flags`,
 * quoted strings, `$VARIABLES`, shell operators and the continuation character. A line continuing
 * the previous instruction has no keyword; comment lines inside a continuation do not end it.
 */
export function tokenizeDockerfile(lines: readonly string[]): Token[][] {
  const ast = DockerfileParser.parse(lines.join('\n'))
  const escape = ast.getEscapeCharacter()
  const marks = new Map<number, LineMarks>()
  const at = (line: number) => {
    let m = marks.get(line)
    if (!m) marks.set(line, (m = { spans: [] }))
    return m
  }
  const mark = (r: { start: { line: number; character: number }; end: { line: number; character: number } }, kind: TokenKind) => {
    if (r.start.line === r.end.line && r.end.character > r.start.character) at(r.start.line).spans.push([r.start.character, r.end.character, kind])
  }
  const comments = new Set<number>()
  for (const c of ast.getComments()) comments.add(c.getRange().start.line)
  for (const d of ast.getDirectives()) comments.add(d.getRange().start.line)
  for (const ins of ast.getInstructions()) {
    if (INSTRUCTIONS.has(ins.getKeyword())) mark(ins.getInstructionRange(), 'keyword')
    if ('getFlags' in ins && typeof ins.getFlags === 'function') for (const f of ins.getFlags() as { getRange(): Parameters<typeof mark>[0] }[]) mark(f.getRange(), 'flag')
    const args = ins.getArguments()
    if (ins.getKeyword() === 'FROM' && args[1]?.getValue().toUpperCase() === 'AS') mark(args[1].getRange(), 'keyword')
  }
  return lines.map((raw, n) => {
    if (raw === '') return []
    if (comments.has(n) && /^\s*#/.test(raw)) return [{ kind: 'comment', text: raw }]
    if (raw.trim() === '') return [{ kind: 'text', text: raw }]
    return tokenizeInstructionLine(raw, marks.get(n) ?? { spans: [] }, escape)
  })
}

/** Tokens for each line of a .dockerignore: comments, the `!` of an exception, and the patterns. */
export function tokenizeDockerignore(lines: readonly string[]): Token[][] {
  return lines.map((raw) => {
    if (raw === '') return []
    if (/^\s*#/.test(raw)) return [{ kind: 'comment', text: raw }]
    const m = /^(\s*)(!?)(.*)$/.exec(raw) as RegExpExecArray
    const out: Token[] = []
    push(out, 'text', m[1] ?? '')
    push(out, 'operator', m[2] ?? '')
    push(out, 'text', m[3] ?? '')
    return out
  })
}
