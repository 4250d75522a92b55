// The size comparison's pure parts: facts read from an image's final file tree, the one-line
// verdict per base, and the Markdown / CSV exports. The numbers themselves are measured by
// electron/services/build/measure.ts from the built images.
import { formatBytes, formatMillis } from '../format'
import type { CompareResult, CompareRow } from '../types/build'

/** What the final file tree says about a runtime image. */
export interface TreeFacts {
  hasShell: boolean
  hasCaBundle: boolean
  hasTzData: boolean
  packageManager: string | null
}

const SHELLS = ['bin/sh', 'bin/bash', 'bin/ash', 'bin/busybox', 'usr/bin/sh', 'usr/bin/bash']
const CA_BUNDLES = ['etc/ssl/certs/ca-certificates.crt', 'etc/ssl/cert.pem', 'etc/pki/tls/certs/ca-bundle.crt']
const PACKAGE_MANAGERS: [string, string][] = [
  ['sbin/apk', 'apk'],
  ['usr/bin/apt-get', 'apt'],
  ['usr/bin/dpkg', 'dpkg'],
  ['usr/bin/dnf', 'dnf'],
  ['usr/bin/yum', 'yum'],
  ['usr/bin/microdnf', 'microdnf'],
]

/** Reads shell, CA bundle, tz data and package manager from the paths present in the final tree (no leading slash). */
export function treeFacts(has: (path: string) => boolean, hasUnder: (dir: string) => boolean): TreeFacts {
  return {
    hasShell: SHELLS.some(has),
    hasCaBundle: CA_BUNDLES.some(has),
    hasTzData: hasUnder('usr/share/zoneinfo'),
    packageManager: PACKAGE_MANAGERS.find(([p]) => has(p))?.[1] ?? null,
  }
}

/**
 * One line per base that says what its size buys, against the smallest row:
 * "distroless-static: +1.5 MB over scratch for a CA bundle, tz data and a non-root user".
 */
export function verdict(row: Omit<CompareRow, 'verdict'>, smallest: Omit<CompareRow, 'verdict'> | null): string {
  const extras: string[] = []
  if (row.hasCaBundle) extras.push('a CA bundle')
  if (row.hasTzData) extras.push('tz data')
  if (row.hasShell) extras.push('a shell')
  if (row.packageManager) extras.push(`a package manager (${row.packageManager})`)
  const nonRoot = row.user !== 'root' && row.user !== '0' && row.user !== '' && !row.user.startsWith('0:')
  if (nonRoot) extras.push('a non-root user')
  const list = extras.length === 0 ? 'nothing but the binary' : extras.length === 1 ? extras[0] : `${extras.slice(0, -1).join(', ')} and ${extras.at(-1)}`
  if (!smallest || smallest.base === row.base) return `${row.base}: the smallest, ${formatBytes(row.sizeBytes)} with ${list}.`
  const delta = row.sizeBytes - smallest.sizeBytes
  return `${row.base}: +${formatBytes(Math.max(0, delta))} over ${smallest.base} for ${list}.`
}

/** Rows with their verdicts, the smallest image as the reference. */
export function withVerdicts(rows: Omit<CompareRow, 'verdict'>[]): CompareRow[] {
  const smallest = rows.reduce<Omit<CompareRow, 'verdict'> | null>((a, r) => (a === null || r.sizeBytes < a.sizeBytes ? r : a), null)
  return rows.map((r) => ({ ...r, verdict: verdict(r, smallest) }))
}

const yes = (b: boolean) => (b ? 'yes' : 'no')

/** The comparison as a Markdown table plus the verdicts, for a pull request or a chat. */
export function compareMarkdown(result: Pick<CompareResult, 'project' | 'rows' | 'failures'>): string {
  const head = '| Base | Image | Compressed | Go binary | Overhead | Layers | Shell | CA bundle | tz data | Package manager | User | Cold start |'
  const rule = '|---|---:|---:|---:|---:|---:|:-:|:-:|:-:|:-:|---|---:|'
  const lines = result.rows.map(
    (r) =>
      `| ${r.base} | ${formatBytes(r.sizeBytes)} | ${formatBytes(r.compressedBytes)} | ${formatBytes(r.binaryBytes)} | ${formatBytes(r.overheadBytes)} | ${r.layers} | ${yes(r.hasShell)} | ${yes(r.hasCaBundle)} | ${yes(r.hasTzData)} | ${r.packageManager ?? 'no'} | ${r.user} | ${r.coldStartMs === null ? '—' : formatMillis(r.coldStartMs)} |`,
  )
  const failed = result.failures.map((f) => `- ${f.base}: did not build (${f.error.message})`)
  return [`### ${result.project} on ${result.rows.length} base${result.rows.length === 1 ? '' : 's'}`, '', head, rule, ...lines, '', ...result.rows.map((r) => `- ${r.verdict}`), ...failed, ''].join('\n')
}

const csvCell = (v: string | number | boolean | null) => {
  const s = v === null ? '' : String(v)
  // Quote what needs it, and neutralise a leading =,+,-,@ so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The comparison as CSV with exact byte counts (one header line, one line per base). */
export function compareCsv(rows: readonly CompareRow[]): string {
  const cols = ['base', 'baseImage', 'imageId', 'sizeBytes', 'compressedBytes', 'binaryBytes', 'overheadBytes', 'layers', 'hasShell', 'hasCaBundle', 'hasTzData', 'packageManager', 'user', 'coldStartMs', 'verdict'] as const
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n'
}

/** What a cold-start figure measures, said wherever one is shown (the CLI's text, the cell's hover). */
export const COLD_START_MEANS = 'Cold start: container start until the port answers (or until exit for a CLI); network setup excluded — it is the same for every base.'

/** How a cold start's note begins when it was measured with a bridge of its own: network setup included. */
export const INCLUDES_NETWORK = 'includes network setup'

/** Whether a row's cold start was measured with a bridge of its own (its note says so, see INCLUDES_NETWORK). */
export const coldStartIncludesNetwork = (r: Pick<CompareRow, 'coldStartNote'>): boolean => (r.coldStartNote ?? '').includes(INCLUDES_NETWORK)

const minuteUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`

/**
 * The comparison as an aligned plain-text table for a terminal, the verdicts, and what the cold start
 * measures. A cold start kept from an earlier measurement of the same image (measured before `since`,
 * when this comparison began) is marked `*` and says when it was timed; a cold start's note follows.
 */
export function compareText(r: Pick<CompareResult, 'rows'>, since: number): string {
  const kept = (x: CompareRow) => x.coldStartMs !== null && typeof x.coldStartMeasuredAt === 'number' && x.coldStartMeasuredAt < since
  const head = ['BASE', 'SIZE', 'COMPRESSED', 'BINARY', 'OVERHEAD', 'LAYERS', 'SHELL', 'CA', 'TZ', 'USER', 'COLD START']
  const rows = r.rows.map((x) => [
    x.base,
    formatBytes(x.sizeBytes),
    formatBytes(x.compressedBytes),
    formatBytes(x.binaryBytes),
    formatBytes(x.overheadBytes),
    String(x.layers),
    yes(x.hasShell),
    yes(x.hasCaBundle),
    yes(x.hasTzData),
    x.user,
    x.coldStartMs === null ? '—' : `${formatMillis(x.coldStartMs)}${kept(x) ? '*' : ''}`,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd()
  const notes = [
    ...r.rows.filter(kept).map((x) => `* ${x.base}: kept from an earlier measurement of the same image, timed ${minuteUtc(x.coldStartMeasuredAt as number)}.`),
    ...r.rows.filter((x) => x.coldStartNote).map((x) => `${x.base}: cold start ${x.coldStartNote}.`),
  ]
  return [line(head), ...rows.map(line), '', ...r.rows.map((x) => x.verdict), '', COLD_START_MEANS, ...notes].join('\n')
}
