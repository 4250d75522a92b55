import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitLines, tokenizeDockerfile, tokenizeDockerignore, type Token } from '../../../renderer/src/features/projects/dockerfile-tokens'

const kinds = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'text').map((t) => `${t.kind}:${t.text}`)

describe('tokenizeDockerfile', () => {
  it('marks keywords, flags, AS, variables, strings and the continuation', () => {
    const [from, run, cont, entry] = tokenizeDockerfile([
      'FROM --platform=$BUILDPLATFORM golang:1.23-bookworm AS build',
      'RUN --mount=type=cache,target=/go/pkg/mod \\',
      '    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} go build -ldflags="-s -w" && echo ok',
      'ENTRYPOINT ["/app/hello"]',
    ])
    expect(kinds(from as Token[])).toEqual(['keyword:FROM', 'flag:--platform=$BUILDPLATFORM', 'keyword:AS'])
    expect(kinds(run as Token[])).toEqual(['keyword:RUN', 'flag:--mount=type=cache,target=/go/pkg/mod', 'operator:\\'])
    // A continued line has no keyword, even when it starts with an instruction's name.
    expect(kinds(cont as Token[])).toEqual(['variable:${TARGETOS:-linux}', 'string:"-s -w"', 'operator:&&'])
    expect(kinds(entry as Token[])).toEqual(['keyword:ENTRYPOINT', 'string:"/app/hello"'])
  })

  it('reads comments, and keeps a continuation going across a comment line', () => {
    const [c, run, comment, cont] = tokenizeDockerfile(['# syntax note', 'RUN a \\', '  # inside', '  USER b'])
    expect(c).toEqual([{ kind: 'comment', text: '# syntax note' }])
    expect(kinds(run as Token[])[0]).toBe('keyword:RUN')
    expect(comment).toEqual([{ kind: 'comment', text: '  # inside' }])
    expect(kinds(cont as Token[])).toEqual([])
  })

  it('treats only real instructions as keywords, in any case', () => {
    expect(kinds(tokenizeDockerfile(['from alpine:3.20'])[0] as Token[])).toEqual(['keyword:from'])
    expect(kinds(tokenizeDockerfile(['FROMAGE x'])[0] as Token[])).toEqual([])
    expect(kinds(tokenizeDockerfile(['COPY --from=build /out/x /app/x'])[0] as Token[])).toEqual(['keyword:COPY', 'flag:--from=build'])
    // A flag only starts a word: `a--b` is text.
    expect(kinds(tokenizeDockerfile(['RUN a--b'])[0] as Token[])).toEqual(['keyword:RUN'])
  })

  it('follows the parser: the escape directive’s character, heredoc bodies, an instruction’s own keyword only', () => {
    const [directive, run, cont, here, body, end, user] = tokenizeDockerfile(['# escape=`', 'RUN echo `', '  FROM x', 'RUN <<EOF', 'FROM not-an-instruction', 'EOF', 'USER 1'])
    expect(directive).toEqual([{ kind: 'comment', text: '# escape=`' }])
    expect(kinds(run as Token[])).toEqual(['keyword:RUN', 'operator:`'])
    expect(kinds(cont as Token[])).toEqual([])
    expect(kinds(here as Token[])).toEqual(['keyword:RUN'])
    expect([kinds(body as Token[]), kinds(end as Token[])]).toEqual([[], []])
    expect(kinds(user as Token[])).toEqual(['keyword:USER'])
  })

  it('stops an unclosed string before the continuation backslash', () => {
    expect(kinds(tokenizeDockerfile(['RUN echo "open \\'])[0] as Token[])).toEqual(['keyword:RUN', 'string:"open ', 'operator:\\'])
  })

  it('is lossless: the tokens of every line join back to the line', () => {
    const line = fc.string({ unit: fc.constantFrom('R', 'U', 'N', ' ', '-', '$', '{', '}', '"', "'", '\\', '#', '&', '|', ';', 'a', '=', '\t') })
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const tokens = tokenizeDockerfile(lines)
        expect(tokens.map((t) => t.map((x) => x.text).join(''))).toEqual(lines)
        for (const t of tokens) for (const x of t) expect(x.text).not.toBe('')
      }),
    )
  })
})

describe('tokenizeDockerignore', () => {
  it('marks comments and exceptions', () => {
    expect(tokenizeDockerignore(['# secrets', '**/.env', '!keep.env', ''])).toEqual([
      [{ kind: 'comment', text: '# secrets' }],
      [{ kind: 'text', text: '**/.env' }],
      [
        { kind: 'operator', text: '!' },
        { kind: 'text', text: 'keep.env' },
      ],
      [],
    ])
  })
})

describe('splitLines', () => {
  it('drops only the empty line after a final newline', () => {
    expect(splitLines('')).toEqual([])
    expect(splitLines('a\nb\n')).toEqual(['a', 'b'])
    expect(splitLines('a\n\n')).toEqual(['a', ''])
    expect(splitLines('a')).toEqual(['a'])
  })
})
