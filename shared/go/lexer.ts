/**
 * A tolerant Go tokenizer: good enough to find declarations and calls, never throws, and runs in
 * time linear in its input whatever the bytes are (binary junk becomes skipped characters).
 * It follows the Go spec's automatic semicolon rule, so statements end where the compiler says.
 */

/** What a token is; `semi` covers both `;` and the semicolons Go inserts at line ends. */
export type TokenKind = 'ident' | 'string' | 'rune' | 'number' | 'op' | 'semi' | 'eof'

/** One token with the line it starts on. */
export interface Token {
  kind: TokenKind
  /** Identifier or operator text; the decoded value of a string or rune; the raw text of a number. */
  value: string
  /** 1-based line where the token starts. */
  line: number
  /** A `"…"` string that had escapes, or a raw string: `value` is decoded. */
  raw?: boolean
}

/** A `//go:…` or `// +build` line comment, kept because it changes how the file is built. */
export interface Directive {
  line: number
  text: string
}

/** The token returned past the end of the input (and for out-of-range indexes). */
export const EOF_TOKEN: Token = Object.freeze({ kind: 'eof', value: '', line: 0 }) as Token

const KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
])
const ENDS_STATEMENT = new Set(['break', 'continue', 'fallthrough', 'return'])
const OPS3 = new Set(['<<=', '>>=', '&^=', '...'])
const OPS2 = new Set(['&&', '||', '<-', '++', '--', '==', '!=', '<=', '>=', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '&^'])
const OPS1 = '+-*/%&|^<>=!()[]{},.:~'
// Operators by their first character code, longest first, so lexing one allocates nothing.
const OPS_BY_CHAR: (readonly string[] | undefined)[] = []
for (const op of [...OPS3, ...OPS2, ...OPS1]) (OPS_BY_CHAR[op.charCodeAt(0)] ??= []) as string[]
for (const op of [...OPS3, ...OPS2, ...OPS1]) (OPS_BY_CHAR[op.charCodeAt(0)] as string[]).push(op)

/** True for Go's keywords (which are never identifiers). */
export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word)
}

const isDigit = (c: number) => c >= 48 && c <= 57
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
// Non-ASCII counts as a letter (Go allows Unicode letters); U+FFFD (undecodable bytes) and the BOM do not.
const isIdentStart = (c: number) => isLetter(c) || (c >= 0x80 && c !== 0xfffd && c !== 0xfeff)
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c)

/** Pulls tokens one at a time, so a caller can stop early (e.g. after the import block). */
export class GoLexer {
  /** `//go:build`, `//go:embed`, `// +build` and other `//go:` comments, in order. */
  readonly directives: Directive[] = []
  /** Characters that are not Go at all (NUL, stray bytes): a sign of a binary or corrupt file. */
  illegal = 0
  private i = 0
  private line = 1
  private needSemi = false
  private readonly n: number

  constructor(private readonly src: string) {
    this.n = src.length
  }

  /** True once every character has been consumed. */
  get done(): boolean {
    return this.i >= this.n && !this.needSemi
  }

  /** The next token; `EOF_TOKEN`-like (kind 'eof') at the end. */
  next(): Token {
    const s = this.src
    for (;;) {
      if (this.i >= this.n) {
        if (this.needSemi) {
          this.needSemi = false
          return { kind: 'semi', value: '\n', line: this.line }
        }
        return { kind: 'eof', value: '', line: this.line }
      }
      const c = s.charCodeAt(this.i)
      if (c === 10) {
        const line = this.line
        this.i++
        this.line++
        if (this.needSemi) {
          this.needSemi = false
          return { kind: 'semi', value: '\n', line }
        }
        continue
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.i++
        continue
      }
      if (c === 47 /* / */ && s.charCodeAt(this.i + 1) === 47) {
        let end = s.indexOf('\n', this.i)
        if (end < 0) end = this.n
        if (s.startsWith('//go:', this.i) || s.startsWith('// +build', this.i)) this.directives.push({ line: this.line, text: s.slice(this.i, end).trimEnd() })
        this.i = end // the newline itself (and its semicolon) is handled above
        continue
      }
      if (c === 47 && s.charCodeAt(this.i + 1) === 42 /* * */) {
        let end = s.indexOf('*/', this.i + 2)
        end = end < 0 ? this.n : end + 2
        const newlines = countNewlines(s, this.i, end)
        const line = this.line
        this.i = end
        this.line += newlines
        if (newlines > 0 && this.needSemi) {
          this.needSemi = false
          return { kind: 'semi', value: '\n', line }
        }
        continue
      }
      const line = this.line
      if (isIdentStart(c)) {
        let j = this.i + 1
        while (j < this.n && isIdentPart(s.charCodeAt(j))) j++
        const value = s.slice(this.i, j)
        this.i = j
        this.needSemi = !KEYWORDS.has(value) || ENDS_STATEMENT.has(value)
        return { kind: 'ident', value, line }
      }
      if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(this.i + 1)))) {
        this.needSemi = true
        return { kind: 'number', value: this.number(), line }
      }
      if (c === 34 /* " */ || c === 39 /* ' */) {
        this.needSemi = true
        return this.quoted(c, line)
      }
      if (c === 96 /* ` */) {
        let end = s.indexOf('`', this.i + 1)
        const close = end >= 0
        if (!close) end = this.n
        const value = s.slice(this.i + 1, end)
        this.line += countNewlines(s, this.i, end)
        this.i = close ? end + 1 : end
        this.needSemi = true
        return { kind: 'string', value: value.includes('\r') ? value.replace(/\r/g, '') : value, line, raw: true }
      }
      if (c === 59 /* ; */) {
        this.i++
        this.needSemi = false
        return { kind: 'semi', value: ';', line }
      }
      const op = this.operator(c)
      if (op) {
        this.i += op.length
        this.needSemi = op === ')' || op === ']' || op === '}' || op === '++' || op === '--'
        return { kind: 'op', value: op, line }
      }
      // Not Go: skip it (binary junk, stray `#`, `$`, `?`, `\`, NUL, U+FFFD).
      this.illegal++
      this.i++
    }
  }

  /**
   * Skips, without making tokens, to just past the `}` that closes a block whose `{` was the last
   * token returned: strings, runes, raw strings and comments are stepped over, lines counted.
   */
  skipBlock(): void {
    const s = this.src
    const n = this.n
    let i = this.i
    let depth = 1
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c === 10) {
        this.line++
        i++
      } else if (c === 47 && s.charCodeAt(i + 1) === 47) {
        const end = s.indexOf('\n', i)
        i = end < 0 ? n : end
      } else if (c === 47 && s.charCodeAt(i + 1) === 42) {
        const end = s.indexOf('*/', i + 2)
        const stop = end < 0 ? n : end + 2
        this.line += countNewlines(s, i, stop)
        i = stop
      } else if (c === 96) {
        const end = s.indexOf('`', i + 1)
        const stop = end < 0 ? n : end + 1
        this.line += countNewlines(s, i, stop)
        i = stop
      } else if (c === 34 || c === 39) {
        let j = i + 1
        while (j < n) {
          const d = s.charCodeAt(j)
          if (d === c || d === 10) break
          j += d === 92 && s.charCodeAt(j + 1) !== 10 ? 2 : 1
        }
        i = j < n && s.charCodeAt(j) === c ? j + 1 : j
      } else {
        i++
        if (c === 123) depth++
        else if (c === 125 && --depth === 0) break
      }
    }
    this.i = Math.min(i, n)
    this.needSemi = true // as after the block's closing brace
  }

  private operator(c: number): string {
    const candidates = OPS_BY_CHAR[c]
    if (!candidates) return ''
    const s = this.src
    for (const op of candidates) {
      if (op.length === 1) return op
      if (s.charCodeAt(this.i + 1) !== op.charCodeAt(1)) continue
      if (op.length === 2 || s.charCodeAt(this.i + 2) === op.charCodeAt(2)) return op
    }
    return ''
  }

  private number(): string {
    const s = this.src
    const start = this.i
    const hex = s.charCodeAt(start) === 48 && (s.charCodeAt(start + 1) | 32) === 120
    let j = start
    while (j < this.n) {
      const c = s.charCodeAt(j)
      if (isLetter(c) || isDigit(c) || c === 46) {
        j++
        continue
      }
      const prev = s.charCodeAt(j - 1) | 32
      if ((c === 43 || c === 45) && (hex ? prev === 112 : prev === 101)) {
        j++
        continue
      }
      break
    }
    this.i = j
    return s.slice(start, j)
  }

  private quoted(quote: number, line: number): Token {
    const s = this.src
    let j = this.i + 1
    let escaped = false
    while (j < this.n) {
      const c = s.charCodeAt(j)
      if (c === quote || c === 10) break
      if (c === 92 /* \ */) {
        escaped = true
        if (s.charCodeAt(j + 1) === 10) {
          j++
          break
        }
        j += 2
        continue
      }
      j++
    }
    if (j > this.n) j = this.n
    const body = s.slice(this.i + 1, j)
    this.i = j < this.n && s.charCodeAt(j) === quote ? j + 1 : j
    const value = escaped ? unescapeGo(body) : body
    const t: Token = { kind: quote === 34 ? 'string' : 'rune', value, line }
    if (escaped) t.raw = true
    return t
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let count = 0
  for (let k = s.indexOf('\n', from); k >= 0 && k < to; k = s.indexOf('\n', k + 1)) count++
  return count
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' }

/** Decodes Go escapes (`\n`, `\x41`, `\u00e9`, `\101`); anything malformed is kept as written. */
export function unescapeGo(body: string): string {
  return body.replace(/\\(?:([abfnrtv\\'"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/g, (all, simple?: string, x?: string, u?: string, U?: string, o?: string) => {
    if (simple) return SIMPLE_ESCAPES[simple] ?? all
    const code = parseInt(x ?? u ?? U ?? o ?? '', x || u || U ? 16 : 8)
    return Number.isFinite(code) && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : all
  })
}

/** Every token of `src` (without the final EOF), plus the directives and how much was not Go. */
export function tokenize(src: string): { tokens: Token[]; directives: Directive[]; illegal: number } {
  const lexer = new GoLexer(src)
  const tokens: Token[] = []
  for (let t = lexer.next(); t.kind !== 'eof'; t = lexer.next()) tokens.push(t)
  return { tokens, directives: lexer.directives, illegal: lexer.illegal }
}
