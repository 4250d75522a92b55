// Small, pure formatting helpers shared by the renderer and the CLI. No DOM, no Node.

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

export interface ByteFormatOptions {
  /** Powers of 1024 with KiB/MiB/GiB, as `docker info` reports memory. Default: powers of 1000, as `docker images` reports sizes. */
  binary?: boolean
}

/**
 * A byte count for people: `1234567` → `"1.2 MB"`, `512` → `"512 B"`; `{binary: true}` gives `"1.2 MiB"`.
 * One decimal below 100 of a unit, none from 100 on ("12.3 MB", "340 MB"); negative or non-finite input gives "—".
 */
export function formatBytes(bytes: number, opts: ByteFormatOptions = {}): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  const base = opts.binary ? 1024 : 1000
  const units = opts.binary ? BINARY_UNITS : DECIMAL_UNITS
  let value = bytes
  let unit = 0
  while (value >= base && unit < units.length - 1) {
    value /= base
    unit++
  }
  let digits = unit === 0 || value >= 100 ? 0 : 1
  // Rounding can reach the next unit (999.6 kB → "1000 kB"); print "1 MB" instead.
  if (Number(value.toFixed(digits)) >= base && unit < units.length - 1) {
    value /= base
    unit++
    digits = 1
  }
  const text = value.toFixed(digits).replace(/\.0$/, '')
  return `${text} ${units[unit]}`
}

/**
 * How long ago (or how soon) `time` is from `now`, both epoch ms: "just now", "12s ago", "5 min ago",
 * "3 h ago", "2 days ago"; future times read "in 4s", "in 3 min".
 */
export function formatRelativeTime(time: number, now: number): string {
  const diff = now - time
  const future = diff < 0
  const abs = Math.abs(diff)
  if (!future && abs < 5_000) return 'just now'
  const span = formatDurationShort(abs)
  return future ? `in ${span}` : `${span} ago`
}

/**
 * A duration in the largest unit that fits, rounded down: `4200` → `"4s"`, `150_000` → `"2 min"`,
 * `7_200_000` → `"2 h"`, `3 * 86_400_000` → `"3 days"`. Under one second reads "0s".
 */
export function formatDurationShort(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h} h`
  const d = Math.floor(h / 24)
  return d === 1 ? '1 day' : `${d} days`
}

/**
 * Whole seconds left until `deadline` (epoch ms), rounded up so a countdown never shows 0 while
 * time remains; never negative.
 */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000))
}

// One formatter for every count: `n.toLocaleString('en-US')` makes a formatter per call (~30 µs each;
// a screenful of rows with a count each was milliseconds of a frame).
const INT = new Intl.NumberFormat('en-US')

/** A number with thousands separators: `1200` → "1,200". */
export function formatInt(n: number): string {
  return INT.format(n)
}

/** A count with its noun, singular or plural: `(1, 'image')` → "1 image", `(1200, 'image')` → "1,200 images". */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${INT.format(n)} ${n === 1 ? singular : plural}`
}

/**
 * The short form of a Docker object id, as the docker CLI prints it: the first 12 hex digits,
 * without a `sha256:` prefix. Anything that is not a hex id (an image reference, a name) is returned as is.
 */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id
  return /^[0-9a-f]{13,}$/i.test(hex) ? hex.slice(0, 12) : id
}

/** A precise short duration: `312` → `"312 ms"`, `4210` → `"4.2 s"`, `95_000` → `"95 s"`. */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.round(ms / 1000)} s`
}
