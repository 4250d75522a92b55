// A small, lossless highlighter for Dockerfiles and .dockerignore files: every line becomes a list
// of tokens whose texts join back to the line exactly, so the preview shows what will be written.

export type TokenKind = 'keyword' | 'comment' | 'flag' | 'string' | 'variable' | 'operator' | 'text'

export interface Token {
  kind: TokenKind
  text: string
}

const INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
])

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

function tokenizeInstructionLine(line: string, continued: boolean): Token[] {
  const out: Token[] = []
  const indent = /^\s*/.exec(line)?.[0] ?? ''
  push(out, 'text', indent)
  let i = indent.length
  let keyword = ''
  if (!continued) {
    const word = /^[A-Za-z]+/.exec(line.slice(i))?.[0] ?? ''
    if (INSTRUCTIONS.has(word.toUpperCase())) {
      keyword = word.toUpperCase()
      push(out, 'keyword', word)
      i += word.length
    }
  }
  // The line-continuation backslash: the last non-blank character.
  const trimmed = line.replace(/\s+$/, '')
  const continuation = trimmed.endsWith('\\') ? trimmed.length - 1 : -1
  let wordStart = true
  while (i < line.length) {
    const c = line[i] as string
    if (i === continuation) {
      push(out, 'operator', '\\')
      i++
      continue
    }
    if (/\s/.test(c)) {
      push(out, 'text', c)
      i++
      wordStart = true
      continue
    }
    if (wordStart && c === '-' && line[i + 1] === '-' && /[A-Za-z]/.test(line[i + 2] ?? '')) {
      let j = i
      while (j < line.length && !/\s/.test(line[j] as string) && j !== continuation) j++
      push(out, 'flag', line.slice(i, j))
      i = j
      wordStart = false
      continue
    }
    if (wordStart && keyword === 'FROM' && /^as(?=\s|$)/i.test(line.slice(i))) {
      push(out, 'keyword', line.slice(i, i + 2))
      i += 2
      wordStart = false
      continue
    }
    if (c === '"' || c === "'") {
      const end = Math.min(stringEnd(line, i), continuation >= 0 && continuation > i ? continuation : line.length)
      push(out, 'string', line.slice(i, end))
      i = end
      wordStart = false
      continue
    }
    if (c === '$') {
      const end = variableEnd(line, i)
      if (end > i) {
        push(out, 'variable', line.slice(i, end))
        i = end
        wordStart = false
        continue
      }
    }
    const two = line.slice(i, i + 2)
    if (two === '&&' || two === '||') {
      push(out, 'operator', two)
      i += 2
      wordStart = true
      continue
    }
    if (c === '|' || c === ';') {
      push(out, 'operator', c)
      i++
      wordStart = true
      continue
    }
    push(out, 'text', c)
    i++
    wordStart = false
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
 * quoted strings, `$VARIABLES`, shell operators and the continuation backslash. A line continuing
 * the previous instruction has no keyword; comment lines inside a continuation do not end it.
 */
export function tokenizeDockerfile(lines: readonly string[]): Token[][] {
  const out: Token[][] = []
  let continued = false
  for (const raw of lines) {
    if (/^\s*#/.test(raw)) {
      out.push(raw === '' ? [] : [{ kind: 'comment', text: raw }])
      continue
    }
    if (raw.trim() === '') {
      out.push(raw === '' ? [] : [{ kind: 'text', text: raw }])
      continue
    }
    out.push(tokenizeInstructionLine(raw, continued))
    continued = /\\\s*$/.test(raw)
  }
  return out
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
