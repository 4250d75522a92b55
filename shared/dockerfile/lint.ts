// Slipway's own Dockerfile rules, for generated recipes and for the user's existing Dockerfile.
// They catch what a syntax validator does not: choices that build fine but age badly or leak.
import type { Severity } from '../types/project'
import { isPinnedRef, parseImageRef } from './image-ref'
import { parseArgNames, parseDockerfile, parseEnvPairs, type Instruction, type ParsedDockerfile, type Stage } from './parse'

/** Ids of Slipway's own rules. */
export type LintRule =
  | 'from-latest'
  | 'from-unpinned'
  | 'sources-before-deps'
  | 'user-missing'
  | 'user-root'
  | 'secret-in-env'
  | 'secret-in-arg'
  | 'package-manager-in-final'
  | 'shell-form-entrypoint'
  | 'shell-form-cmd'
  | 'add-instead-of-copy'
  | 'syntax-directive'

/** One problem in a Dockerfile, at a line, with what to do about it. */
export interface LintFinding {
  /** A rule id: one of ours, or `dockerfile-utils/<CODE>` from the validator. */
  rule: string
  severity: Severity
  /** 1-based line of the instruction. */
  line: number
  message: string
  fix?: string
}

/** Runs Slipway's rules over Dockerfile text; findings sorted by line. */
export function lintDockerfile(text: string): LintFinding[] {
  const df = parseDockerfile(text)
  const out: LintFinding[] = []
  checkDirectives(df, out)
  for (const stage of df.stages) checkFrom(stage, out)
  for (const stage of df.stages) checkDependencyOrder(stage, out)
  for (const ins of df.instructions) {
    checkSecrets(ins, out)
    checkExecForm(ins, out)
    checkAdd(ins, out)
  }
  const final = df.stages[df.stages.length - 1]
  if (final) {
    checkFinalUser(df, final, out)
    checkPackageManager(final, out)
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule))
}

function checkDirectives(df: ParsedDockerfile, out: LintFinding[]): void {
  const syntax = df.directives.syntax
  if (syntax) {
    out.push({
      rule: 'syntax-directive',
      severity: 'info',
      line: syntax.line,
      message: `"# syntax=${syntax.value}" makes BuildKit download a frontend image before building: the build fails offline and in air-gapped networks.`,
      fix: 'Remove the line unless you need a Dockerfile feature newer than the engine’s built-in frontend.',
    })
  }
}

function checkFrom(stage: Stage, out: LintFinding[]): void {
  if (stage.fromStage !== null) return
  const image = stage.image
  if (image === null || image.toLowerCase() === 'scratch') return
  const ref = parseImageRef(image)
  if (!ref) return // Not ours to judge: the validator reports malformed references.
  if (ref.tag === 'latest' && !ref.digest) {
    out.push({
      rule: 'from-latest',
      severity: 'warning',
      line: stage.line,
      message: `${image} uses the "latest" tag: the image changes under you, and builds are not reproducible.`,
      fix: `Name a version, e.g. ${ref.name}:<version>, or pin a digest (${ref.name}@sha256:…).`,
    })
  } else if (!isPinnedRef(image)) {
    out.push({
      rule: 'from-unpinned',
      severity: 'warning',
      line: stage.line,
      message: `${image} has no tag, which means "latest": the image changes under you, and builds are not reproducible.`,
      fix: `Name a version, e.g. ${ref.name}:<version>, or pin a digest.`,
    })
  }
}

const DEP_STEP = /\bgo\s+mod\s+download\b|\bnpm\s+(ci|install)\b|\byarn\s+install\b|\bpip\s+install\s+-r\b|\bbundle\s+install\b/

function isWholeContextCopy(ins: Instruction): boolean {
  if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || 'from' in ins.flags) return false
  const parts = jsonOrWords(ins.rest)
  const sources = parts.slice(0, -1)
  return sources.some((s) => s === '.' || s === './' || s === '*')
}

function checkDependencyOrder(stage: Stage, out: LintFinding[]): void {
  const dep = stage.instructions.findIndex((x) => x.keyword === 'RUN' && DEP_STEP.test(x.rest))
  if (dep < 0) return
  const copy = stage.instructions.slice(0, dep).find(isWholeContextCopy)
  if (!copy) return
  const depLine = stage.instructions[dep]?.line
  out.push({
    rule: 'sources-before-deps',
    severity: 'warning',
    line: copy.line,
    message: `All sources are copied before the dependency step (line ${depLine}): any source edit re-downloads every dependency.`,
    fix: 'Copy only the dependency files first (COPY go.mod go.sum* ./), run the download, then COPY . .',
  })
}

const SECRET_WORDS = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY/i

/** A variable name that looks like it holds a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `SIGNING_KEY`). */
export function isSecretName(name: string): boolean {
  if (SECRET_WORDS.test(name)) return true
  const words = name.toUpperCase().split(/[_\-.]+/)
  return words.includes('KEY') && !words.includes('PUBLIC')
}

function checkSecrets(ins: Instruction, out: LintFinding[]): void {
  if (ins.keyword === 'ENV') {
    for (const { name, value } of parseEnvPairs(ins.rest)) {
      if (!isSecretName(name) || value === '') continue
      out.push({
        rule: 'secret-in-env',
        severity: 'error',
        line: ins.line,
        message: `ENV ${name} puts a secret into the image: anyone who can pull it can read the value (docker inspect, docker history).`,
        fix: `Pass it when the container starts (docker run -e ${name}=… or --env-file), or read it from a mounted secret file.`,
      })
    }
  } else if (ins.keyword === 'ARG') {
    for (const { name, value } of parseArgNames(ins.rest)) {
      if (!isSecretName(name)) continue
      const withValue = value !== null && value !== ''
      out.push({
        rule: 'secret-in-arg',
        severity: withValue ? 'error' : 'warning',
        line: ins.line,
        message: withValue
          ? `ARG ${name} has a secret default written into the Dockerfile.`
          : `ARG ${name} looks like a secret: build-arg values are recorded in the image history.`,
        fix: `Use a BuildKit secret instead: RUN --mount=type=secret,id=${name.toLowerCase()} … and docker build --secret id=${name.toLowerCase()},env=${name}.`,
      })
    }
  }
}

function checkExecForm(ins: Instruction, out: LintFinding[]): void {
  if (ins.keyword !== 'ENTRYPOINT' && ins.keyword !== 'CMD') return
  if (ins.rest === '' || isJsonArray(ins.rest)) return
  const entry = ins.keyword === 'ENTRYPOINT'
  out.push({
    rule: entry ? 'shell-form-entrypoint' : 'shell-form-cmd',
    severity: 'warning',
    line: ins.line,
    message: entry
      ? 'Shell-form ENTRYPOINT runs the program under /bin/sh -c: it is not PID 1, does not receive SIGTERM from docker stop (killed after the timeout), ignores CMD, and fails on bases without a shell.'
      : 'Shell-form CMD runs under /bin/sh -c: signals do not reach the program, it fails on bases without a shell, and after an ENTRYPOINT it becomes "/bin/sh -c …" arguments.',
    fix: `Use the exec form: ${ins.keyword} ${JSON.stringify(ins.rest.split(/\s+/))}`,
  })
}

const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst))$/i

function checkAdd(ins: Instruction, out: LintFinding[]): void {
  if (ins.keyword !== 'ADD') return
  const sources = jsonOrWords(ins.rest).slice(0, -1)
  if (sources.length === 0) return
  const special = sources.some((s) => /^(https?|git):\/\/|^git@|\.git(#.*)?$/.test(s) || ARCHIVE.test(s))
  if (special) return
  out.push({
    rule: 'add-instead-of-copy',
    severity: 'warning',
    line: ins.line,
    message: 'ADD copies local files like COPY but also unpacks archives and fetches URLs: COPY says exactly what happens.',
    fix: `COPY ${ins.args}`,
  })
}

const ROOT_USER = /^(root|0)(:(root|0))?$/

function checkFinalUser(df: ParsedDockerfile, final: Stage, out: LintFinding[]): void {
  // The user a stage ends with, following `FROM <earlier stage>` chains.
  const userOf = (s: Stage, seen = new Set<number>()): { user: string; line: number } | null => {
    const own = [...s.instructions].reverse().find((x) => x.keyword === 'USER')
    if (own) return { user: own.rest.trim(), line: own.line }
    if (s.fromStage !== null && !seen.has(s.index)) {
      seen.add(s.index)
      const parent = df.stages[s.fromStage]
      return parent ? userOf(parent, seen) : null
    }
    return null
  }
  const u = userOf(final)
  if (u === null) {
    const root = rootStage(df, final)
    // Images that already default to a non-root user (distroless :nonroot and mirrors of it).
    const tag = root.image ? parseImageRef(root.image)?.tag : null
    if (tag && /(^|-)nonroot$/.test(tag)) return
    out.push({
      rule: 'user-missing',
      severity: 'warning',
      line: final.line,
      message: 'The final stage sets no USER, so the program runs as root (unless the base says otherwise).',
      fix: 'Add USER 65532:65532 (numeric ids work on every base, even scratch) before ENTRYPOINT.',
    })
  } else if (ROOT_USER.test(u.user)) {
    out.push({
      rule: 'user-root',
      severity: 'warning',
      line: u.line,
      message: `USER ${u.user}: the program runs as root inside the container.`,
      fix: 'Use a non-root user, e.g. USER 65532:65532.',
    })
  }
}

function rootStage(df: ParsedDockerfile, s: Stage): Stage {
  let cur = s
  const seen = new Set<number>()
  while (cur.fromStage !== null && !seen.has(cur.index)) {
    seen.add(cur.index)
    cur = df.stages[cur.fromStage] ?? cur
  }
  return cur
}

const PACKAGE_MANAGER = /\b(apt-get|apt|apk|yum|dnf|microdnf|tdnf|zypper)\s+(-\S+\s+)*(install|add|update|upgrade)\b/

function checkPackageManager(final: Stage, out: LintFinding[]): void {
  for (const ins of final.instructions) {
    if (ins.keyword !== 'RUN' || !PACKAGE_MANAGER.test(ins.rest)) continue
    out.push({
      rule: 'package-manager-in-final',
      severity: 'warning',
      line: ins.line,
      message: 'The final stage runs a package manager: the image depends on a mirror at build time (fails offline), changes from build to build, and carries the package index.',
      fix: 'Install or build what you need in an earlier stage and COPY --from it; for CA certificates or time zones, copy them from the builder or build with -tags timetzdata.',
    })
  }
}

function isJsonArray(s: string): boolean {
  if (!s.trim().startsWith('[')) return false
  try {
    const v: unknown = JSON.parse(s)
    return Array.isArray(v) && v.every((x) => typeof x === 'string')
  } catch {
    return false
  }
}

function jsonOrWords(s: string): string[] {
  if (isJsonArray(s)) return JSON.parse(s) as string[]
  return s.split(/\s+/).filter(Boolean)
}
