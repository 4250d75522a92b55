import { describe, expect, it } from 'vitest'
import { isSecretName, lintDockerfile } from '../../../shared/dockerfile/lint'
import { parseDockerfile } from '../../../shared/dockerfile/parse'
import { checkDockerfile, validateDockerfile } from '../../../shared/dockerfile/validate'

const rules = (text: string) => lintDockerfile(text).map((f) => `${f.line}:${f.rule}`)

// The usual hand-written template, with most of what our rules look for.
const TEMPLATE = `FROM golang:latest
WORKDIR /app
COPY . .
RUN go mod download
ENV DB_PASSWORD=hunter2 LOG_LEVEL=info
ARG GITHUB_TOKEN
RUN CGO_ENABLED=0 go build -o /app/server .

FROM alpine
RUN apk add --no-cache ca-certificates tzdata
ADD config.yaml /config.yaml
COPY --from=0 /app/server /server
ENTRYPOINT /server --addr :8080
`

describe('our rules', () => {
  it('find every problem of the usual template, at its line', () => {
    expect(rules(TEMPLATE)).toEqual([
      '1:from-latest',
      '3:sources-before-deps',
      '5:secret-in-env',
      '6:secret-in-arg',
      '9:from-unpinned',
      '9:user-missing',
      '10:package-manager-in-final',
      '11:add-instead-of-copy',
      '13:shell-form-entrypoint',
    ])
    const f = lintDockerfile(TEMPLATE)
    expect(f.find((x) => x.rule === 'secret-in-env')?.severity).toBe('error')
    expect(f.find((x) => x.rule === 'secret-in-arg')?.severity).toBe('warning')
    for (const x of f) {
      expect(x.message.length).toBeGreaterThan(20)
      expect(x.fix).toBeTruthy()
    }
    expect(f.find((x) => x.rule === 'shell-form-entrypoint')?.fix).toBe('Use the exec form: ENTRYPOINT ["/server","--addr",":8080"]')
  })

  it('resolve FROM through global ARG defaults and stage names', () => {
    expect(rules('ARG GO=1.23\nFROM golang:${GO}-bookworm AS build\nFROM build\nUSER 1000\n')).toEqual([])
    expect(rules('ARG TAG=latest\nFROM alpine:$TAG\nUSER 1\n')).toEqual(['2:from-latest'])
    // An ARG without a default cannot be judged: no finding rather than a wrong one.
    expect(rules('ARG IMAGE\nFROM $IMAGE\nUSER 1\n')).toEqual([])
    expect(rules('FROM alpine@sha256:' + 'a'.repeat(64) + '\nUSER 1\n')).toEqual([])
  })

  it('follow the user through stages, and accept distroless :nonroot without USER', () => {
    expect(rules('FROM alpine:3.20 AS base\nUSER 65532\nFROM base\n')).toEqual([])
    expect(rules('FROM gcr.io/distroless/static-debian12:nonroot\n')).toEqual([])
    expect(rules('FROM registry.corp/distroless/static:debug-nonroot\n')).toEqual([])
    expect(rules('FROM alpine:3.20\nUSER root\n')).toEqual(['2:user-root'])
    expect(rules('FROM alpine:3.20\nUSER 0:0\n')).toEqual(['2:user-root'])
    expect(rules('FROM alpine:3.20\nUSER app\nUSER 0\n')).toEqual(['3:user-root'])
    // Only the final stage matters.
    expect(rules('FROM golang:1.23 AS build\nUSER root\nFROM scratch\nUSER 65532:65532\n')).toEqual([])
  })

  it('only flag package managers in the final stage', () => {
    expect(rules('FROM debian:bookworm AS b\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nUSER 1\n')).toEqual([])
    expect(rules('FROM debian:bookworm\nRUN apt-get -q update\nUSER 1\n')).toEqual(['2:package-manager-in-final'])
  })

  it('accept the dependency-first order and whole-context copies without a download', () => {
    expect(rules('FROM golang:1.23\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build .\nUSER 1\n')).toEqual([])
    expect(rules('FROM golang:1.23\nCOPY . .\nRUN go build .\nUSER 1\n')).toEqual([])
    expect(rules('FROM golang:1.23\nCOPY ["./", "/src"]\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nUSER 1\n')).toEqual(['2:sources-before-deps'])
  })

  it('allow ADD for archives and URLs, and exec-form commands', () => {
    expect(rules('FROM alpine:3.20\nADD rootfs.tar.gz /\nADD https://example.com/x /x\nUSER 1\nCMD ["serve"]\n')).toEqual([])
    expect(rules('FROM alpine:3.20\nUSER 1\nCMD serve --port 80\n')).toEqual(['3:shell-form-cmd'])
  })

  it('recognise secret-looking names without crying wolf', () => {
    for (const n of ['DB_PASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'API_KEY', 'apikey', 'SIGNING_KEY', 'NPM_AUTH_TOKEN', 'PRIVATE_KEY']) expect(isSecretName(n), n).toBe(true)
    for (const n of ['LOG_LEVEL', 'KEYBOARD', 'PUBLIC_KEY', 'PATH', 'MONKEY', 'PWD']) expect(isSecretName(n), n).toBe(false)
    expect(rules('FROM alpine:3.20\nENV API_KEY=""\nUSER 1\n')).toEqual([])
    expect(rules('FROM alpine:3.20\nENV API_KEY abc def\nUSER 1\n')).toEqual(['2:secret-in-env'])
    expect(rules('FROM alpine:3.20\nARG A=1 NPM_TOKEN=xyz\nUSER 1\n')).toEqual(['2:secret-in-arg'])
  })

  it('warn about a # syntax line (offline builds)', () => {
    expect(lintDockerfile('# syntax=docker/dockerfile:1\nFROM alpine:3.20\nUSER 1\n')).toMatchObject([{ rule: 'syntax-directive', severity: 'info', line: 1 }])
  })
})

describe('the reader', () => {
  it('joins continuations, skips comments inside them, and keeps line numbers', () => {
    const df = parseDockerfile('FROM a:1 AS x\n\n# c\nRUN echo 1 \\\n  # inner comment\n\n  && echo 2\nCOPY --from=x --chmod=0755 /a /b\n')
    expect(df.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 4, 7],
      ['COPY', 8, 8],
    ])
    expect(df.instructions[1]?.args).toBe('echo 1   && echo 2')
    expect(df.instructions[2]?.flags).toEqual({ from: 'x', chmod: '0755' })
    expect(df.stages[0]?.alias).toBe('x')
  })

  it('honours the escape directive and skips heredoc bodies', () => {
    const df = parseDockerfile('# escape=`\nFROM a:1\nRUN echo `\n  hi\nRUN <<EOF\nFROM not-a-stage\nEOF\nUSER 1\n')
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN', 'USER'])
    expect(df.instructions.map((i) => [i.line, i.endLine])).toEqual([[2, 2], [3, 4], [5, 7], [8, 8]])
    expect(df.instructions[1]?.rest).toBe('echo   hi')
    expect(df.stages).toHaveLength(1)
  })

  it('reads flags (quoted values too), keeps their text in args, and leaves them out of rest', () => {
    const df = parseDockerfile('FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nRUN --mount=type=cache,target=/go \\\n    --mount=type=secret,id=k go build .\nCOPY --chown="app:app" x y\n')
    expect(df.instructions.map((i) => [i.flags, i.rest])).toEqual([
      [{ platform: '$BUILDPLATFORM' }, 'golang:1.23 AS b'],
      [{ mount: 'type=cache,target=/go,type=secret,id=k' }, 'go build .'],
      [{ chown: 'app:app' }, 'x y'],
    ])
    expect(df.instructions[1]?.args).toBe('--mount=type=cache,target=/go --mount=type=secret,id=k go build .')
    expect(df.stages[0]?.alias).toBe('b')
  })
})

describe('the validator (dockerfile-utils)', () => {
  it('reports real syntax errors with their lines', () => {
    const f = validateDockerfile('FROM alpine:3.20\nCOPY\nEXPOSE abc\nFROOM x\n')
    expect(f.filter((x) => x.severity === 'error').map((x) => x.line)).toEqual(expect.arrayContaining([2, 3, 4]))
    expect(f.every((x) => x.rule.startsWith('dockerfile-utils/'))).toBe(true)
  })

  it('accepts BuildKit flags: cache mounts and --platform', () => {
    expect(validateDockerfile('FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nRUN --mount=type=cache,target=/go/pkg/mod go build .\nFROM scratch\nCOPY --from=b /x /x\n')).toEqual([])
  })

  it('is combined with our rules by checkDockerfile', () => {
    const f = checkDockerfile(TEMPLATE + 'MAINTAINER me\n')
    expect(f.some((x) => x.rule.startsWith('dockerfile-utils/'))).toBe(true)
    expect(f.some((x) => x.rule === 'from-latest')).toBe(true)
    expect(f.map((x) => x.line)).toEqual([...f.map((x) => x.line)].sort((a, b) => a - b))
  })
})
