// The step model of a build, fed by either builder: BuildKit's vertexes (decoded in
// electron/services/build) or the classic builder's "Step N/M : …" stream. Pure, so the CLI, the
// app and the tests read one model.
import type { BuildStep, CompileError, StepStatus } from '../types/build'

/** One change to a BuildKit vertex as the status stream reports it (times in epoch ms). */
export interface VertexUpdate {
  digest: string
  name?: string
  startedAt?: number | null
  completedAt?: number | null
  cached?: boolean
  error?: string
}

/** A transfer's progress inside a vertex (context upload, layer export, pull). */
export interface ProgressUpdate {
  vertex: string
  current: number
  total: number | null
}

/** `[build 4/7] RUN go build …` → `build`; `[internal] …` and unnamed steps → null. */
export function stageOf(name: string): string | null {
  const m = /^\[([^\]\s]+)(?:\s+\d+\/\d+)?\]/.exec(name)
  if (!m || m[1] === 'internal') return null
  return m[1] as string
}

/** BuildKit's bookkeeping steps, shown dimmed: loading the definition, metadata, the context, exporting. */
export function isInternalStep(name: string): boolean {
  return /^\[internal\]/.test(name) || /^copy \/context \//.test(name) || /^exporting to image/.test(name) || /^naming to /.test(name) || /^resolve image config/.test(name)
}

/** Keeps the steps of one build and applies updates from either builder; each change returns the step it touched. */
export class StepModel {
  private readonly byId = new Map<string, BuildStep>()

  /** Every step in first-seen order. */
  steps(): BuildStep[] {
    return [...this.byId.values()]
  }

  get(id: string): BuildStep | undefined {
    return this.byId.get(id)
  }

  /** Applies a BuildKit vertex update. */
  vertex(u: VertexUpdate): BuildStep {
    const s = this.ensure(u.digest, u.name ?? u.digest)
    if (u.name) {
      s.name = u.name
      s.stage = stageOf(u.name)
      s.internal = isInternalStep(u.name)
    }
    if (u.startedAt != null && s.startedAt === null) s.startedAt = u.startedAt
    if (u.cached) s.cached = true
    if (u.error) {
      s.error = u.error
      s.status = u.error.includes('context canceled') ? 'cancelled' : 'error'
      s.completedAt ??= u.completedAt ?? null
    } else if (u.completedAt != null) {
      s.completedAt = u.completedAt
      s.status = s.cached ? 'cached' : 'done'
    } else if (s.startedAt !== null && s.status === 'waiting') {
      s.status = 'running'
    }
    return s
  }

  /** Applies transfer progress to its vertex. */
  progress(p: ProgressUpdate): BuildStep | undefined {
    const s = this.byId.get(p.vertex)
    if (!s) return undefined
    s.current = p.current
    s.total = p.total
    return s
  }

  /** Counts log lines against a step. */
  logged(id: string, lines: number): BuildStep | undefined {
    const s = this.byId.get(id)
    if (s) s.logLines += lines
    return s
  }

  /** Starts a classic-builder step (`Step 3/12 : RUN …`); the previous running one is done. */
  classicStep(n: number, total: number, instruction: string, at: number, stage: string | null): BuildStep[] {
    const touched = this.finishRunning(at)
    const s = this.ensure(`step-${n}`, `[${stage ?? 'stage'} ${n}/${total}] ${instruction}`)
    s.stage = stage
    s.startedAt = at
    s.status = 'running'
    return [...touched, s]
  }

  /** Marks the running classic step as taken from the cache. */
  classicCached(): BuildStep | undefined {
    const s = this.running()
    if (s) s.cached = true
    return s
  }

  /** Ends every running step: done at the end of a build, or with `status` on failure or cancel. */
  finishRunning(at: number, status: StepStatus = 'done', error: string | null = null): BuildStep[] {
    const out: BuildStep[] = []
    for (const s of this.byId.values()) {
      if (s.status !== 'running' && !(status !== 'done' && s.status === 'waiting' && s.startedAt !== null)) continue
      s.completedAt = at
      s.status = status === 'done' && s.cached ? 'cached' : status
      if (error && status === 'error') s.error ??= error
      out.push(s)
    }
    return out
  }

  /** The running step, if one is (the classic builder runs one at a time). */
  running(): BuildStep | undefined {
    return [...this.byId.values()].reverse().find((s) => s.status === 'running')
  }

  private ensure(id: string, name: string): BuildStep {
    let s = this.byId.get(id)
    if (!s) {
      s = {
        id,
        index: this.byId.size + 1,
        name,
        stage: stageOf(name),
        internal: isInternalStep(name),
        status: 'waiting',
        cached: false,
        startedAt: null,
        completedAt: null,
        current: 0,
        total: null,
        error: null,
        logLines: 0,
      }
      this.byId.set(id, s)
    }
    return s
  }
}

/**
 * How many of a build's finished steps came from the cache. Internal steps and FROM (a base being
 * resolved, which BuildKit never reports as cached) are left out, so a full cache hit reads n of n.
 */
export function cacheShare(steps: readonly BuildStep[]): { cached: number; total: number } {
  const real = steps.filter((s) => !s.internal && !/^\[[^\]]+\] FROM /.test(s.name) && (s.status === 'done' || s.status === 'cached'))
  return { cached: real.filter((s) => s.cached).length, total: real.length }
}

const GO_ERROR = /^(?:#\d+\s+[\d.]+\s+)?(?:\/src\/|\.\/)?((?:[^\s:]+\/)*[^\s:/]+\.go):(\d+)(?::(\d+))?:\s+(.+)$/

/**
 * Go compiler errors (`./main.go:12:5: undefined: foo`) in build log lines, with paths made
 * relative to the project (the builder works in /src). At most `limit`, duplicates dropped.
 */
export function compileErrors(lines: readonly string[], limit = 50): CompileError[] {
  const out: CompileError[] = []
  const seen = new Set<string>()
  for (const raw of lines) {
    const m = GO_ERROR.exec(raw.trim())
    if (!m) continue
    const file = (m[1] as string).replace(/^\.\//, '')
    if (file.startsWith('/') || file.includes('..') || file.startsWith('go/pkg/mod') || file.startsWith('usr/')) continue
    const key = `${file}:${m[2]}:${m[3] ?? ''}:${m[4]}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ file, line: Number(m[2]), column: m[3] ? Number(m[3]) : null, message: m[4] as string })
    if (out.length >= limit) break
  }
  return out
}
