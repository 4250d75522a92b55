import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tokenize, unescapeGo } from '../../../shared/go/lexer'

const kinds = (src: string) => tokenize(src).tokens.map((t) => `${t.kind}:${t.value === '\n' ? '\\n' : t.value}`)

describe('tokenize', () => {
  it('inserts semicolons where the Go spec does', () => {
    expect(kinds('x := f(a)\nreturn\n}')).toEqual(['ident:x', 'op::=', 'ident:f', 'op:(', 'ident:a', 'op:)', 'semi:\\n', 'ident:return', 'semi:\\n', 'op:}', 'semi:\\n'])
    // No semicolon after an operator or an opening brace, nor after keywords other than break/continue/fallthrough/return.
    expect(kinds('a +\nb {\n}')).toEqual(['ident:a', 'op:+', 'ident:b', 'op:{', 'op:}', 'semi:\\n'])
    expect(kinds('if\nx')).toEqual(['ident:if', 'ident:x', 'semi:\\n'])
  })

  it('skips comments, keeps //go: directives, and counts lines through block comments and raw strings', () => {
    const src = '//go:build linux\n\npackage p // trailing\n/* a\nb */ var s = `x\ny`\n// +build old\n//go:embed a.txt\nvar z = 1'
    const { tokens, directives } = tokenize(src)
    expect(directives).toEqual([
      { line: 1, text: '//go:build linux' },
      { line: 7, text: '// +build old' },
      { line: 8, text: '//go:embed a.txt' },
    ])
    expect(tokens.find((t) => t.value === 'var')?.line).toBe(5)
    expect(tokens.find((t) => t.kind === 'string')).toMatchObject({ value: 'x\ny', line: 5, raw: true })
    expect(tokens.find((t) => t.value === 'z')?.line).toBe(9)
  })

  it('a block comment spanning lines ends a statement', () => {
    expect(kinds('x /*\n*/ y')).toEqual(['ident:x', 'semi:\\n', 'ident:y', 'semi:\\n'])
  })

  it('decodes strings and runes, including escapes and quotes inside', () => {
    const { tokens } = tokenize(`a := "q\\"uote\\t\\x41\\u00e9" + 'x' + '\\'' + "/* not a comment */" + "// nor this"`)
    expect(tokens.filter((t) => t.kind === 'string' || t.kind === 'rune').map((t) => t.value)).toEqual(['q"uote\tAé', 'x', "'", '/* not a comment */', '// nor this'])
  })

  it('reads numbers of every form as one token', () => {
    expect(kinds('0x1F 1_000 3.14e-2 .5 0b101 1i 0x1p-2').filter((k) => k.startsWith('number'))).toEqual([
      'number:0x1F', 'number:1_000', 'number:3.14e-2', 'number:.5', 'number:0b101', 'number:1i', 'number:0x1p-2',
    ])
  })

  it('survives unterminated strings, comments and raw strings', () => {
    expect(kinds('"abc\nx')).toEqual(['string:abc', 'semi:\\n', 'ident:x', 'semi:\\n'])
    expect(kinds('x /* never closed')).toEqual(['ident:x', 'semi:\\n'])
    expect(tokenize('s := `open').tokens.at(-2)).toMatchObject({ kind: 'string', value: 'open' })
  })

  it('skips bytes that are not Go and counts them', () => {
    const r = tokenize('a\u0000#$?\\\uFFFDb')
    expect(r.tokens.map((t) => t.value)).toEqual(['a', 'b', '\n'])
    expect(r.illegal).toBe(6)
  })

  it('keeps malformed escapes as written', () => {
    expect(unescapeGo('\\q\\x4\\uD800x')).toBe('\\q\\x4\\uD800x')
  })

  it('never throws, and every token has a line within the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const { tokens } = tokenize(s)
        const lines = s.split('\n').length
        return tokens.every((t) => t.line >= 1 && t.line <= lines)
      }),
      { numRuns: 500 },
    )
  }, 60_000)
})
