// Pure helpers the build view, its history and its tests share: progress, durations, step names,
// compile-error locations. No React, no store.
import type { BuildRecord, BuildStep, CompileError } from '../../../../shared/types/build'

/** Overall progress: real (not internal) steps finished of those seen; `ratio` is null until the first real step. */
export function buildProgress(steps: readonly BuildStep[]): { done: number; seen: number; ratio: number | null } {
  let done = 0
  let seen = 0
  for (const s of steps) {
    if (s.internal) continue
    seen++
    if (s.status !== 'waiting' && s.status !== 'running') done++
  }
  return { done, seen, ratio: seen === 0 ? null : done / seen }
}

/** How long a step ran (so far, for a running one); null when it has not started. */
export function stepDuration(step: Pick<BuildStep, 'startedAt' | 'completedAt' | 'status'>, now: number): number | null {
  if (step.startedAt === null) return null
  const end = step.completedAt ?? (step.status === 'running' || step.status === 'waiting' ? now : step.startedAt)
  return Math.max(0, end - step.startedAt)
}

/**
 * A build or step duration with the precision that matters at its size: "0.4s", "12.3s", "48s",
 * "2m 05s", "1h 02m". Tabular digits keep it steady while it counts.
 */
export function formatDuration(ms: number): string {
  const t = Math.max(0, ms)
  if (t < 10_000) return `${(Math.floor(t / 100) / 10).toFixed(1)}s`
  const s = Math.floor(t / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** `[build 4/7] RUN go build …` → `{ tag: 'build 4/7', text: 'RUN go build …' }`; names without a bracket keep all their text. */
export function splitStepName(name: string): { tag: string | null; text: string } {
  const m = /^\[([^\]]+)\]\s*(.*)$/s.exec(name)
  return m ? { tag: m[1] as string, text: m[2] as string } : { tag: null, text: name }
}

/** The share of steps that came from the cache, as "5 of 9 (56%)"; null when no step counted. */
export function cachedShare(r: Pick<BuildRecord, 'cachedSteps' | 'totalSteps'>): { text: string; ratio: number } | null {
  if (r.totalSteps <= 0) return null
  const ratio = r.cachedSteps / r.totalSteps
  return { text: `${r.cachedSteps} of ${r.totalSteps}`, ratio }
}

/** A compile error's place as an editor opens it: the absolute path, line and column (`/p/main.go:12:5`). */
export function errorLocation(dir: string, e: CompileError): string {
  // Windows project roots use backslashes; the compiler's path is relative with forward slashes.
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/'
  const file = sep === '\\' ? e.file.replaceAll('/', '\\') : e.file
  const path = dir.endsWith(sep) ? `${dir}${file}` : `${dir}${sep}${file}`
  return `${path}:${e.line}${e.column === null ? '' : `:${e.column}`}`
}

/** A compile error as the compiler prints it, relative to the project: `main.go:12:5`. */
export function errorPlace(e: CompileError): string {
  return `${e.file}:${e.line}${e.column === null ? '' : `:${e.column}`}`
}

/** A v4 UUID for a new job; `crypto.randomUUID` where the page is a secure context, random bytes otherwise. */
export function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] as number) & 0x0f) | 0x40
  b[8] = ((b[8] as number) & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
