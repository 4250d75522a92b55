import { describe, expect, it } from 'vitest'
import { coldStartIncludesNetwork, compareCsv, compareMarkdown, compareText, treeFacts, verdict, withVerdicts } from '../../../shared/build/compare'
import type { CompareRow } from '../../../shared/types/build'

const row = (base: string, size: number, over: Partial<CompareRow> = {}): Omit<CompareRow, 'verdict'> => ({
  base,
  baseImage: base,
  imageId: `sha256:${base}`,
  tag: `slipway/app:${base}`,
  sizeBytes: size,
  compressedBytes: Math.round(size / 2),
  binaryBytes: 5_000_000,
  overheadBytes: size - 5_000_000,
  layers: 2,
  hasShell: false,
  hasCaBundle: false,
  hasTzData: false,
  packageManager: null,
  user: '65532:65532',
  coldStartMs: 120,
  coldStartNote: null,
  coldStartPending: false,
  ...over,
})

describe('treeFacts', () => {
  it('reads the facts from the paths in the final tree', () => {
    const paths = new Set(['bin/busybox', 'etc/ssl/certs/ca-certificates.crt', 'sbin/apk'])
    expect(treeFacts((p) => paths.has(p), () => false)).toEqual({ hasShell: true, hasCaBundle: true, hasTzData: false, packageManager: 'apk' })
    expect(treeFacts(() => false, (d) => d === 'usr/share/zoneinfo')).toEqual({ hasShell: false, hasCaBundle: false, hasTzData: true, packageManager: null })
  })
})

describe('verdicts', () => {
  it('says what a base adds over the smallest', () => {
    const rows = withVerdicts([row('scratch', 5_800_000), row('distroless-static', 7_300_000, { hasCaBundle: true, hasTzData: true })])
    expect(rows[0]?.verdict).toBe('scratch: the smallest, 5.8 MB with a non-root user.')
    expect(rows[1]?.verdict).toBe('distroless-static: +1.5 MB over scratch for a CA bundle, tz data and a non-root user.')
    expect(verdict(row('alpine', 9e6, { user: 'root', hasShell: true, packageManager: 'apk' }), row('scratch', 5.8e6))).toBe(
      'alpine: +3.2 MB over scratch for a shell and a package manager (apk).',
    )
  })
})

describe('exports', () => {
  it('writes a Markdown table with a line per base and the failures', () => {
    const md = compareMarkdown({ project: 'app', rows: withVerdicts([row('scratch', 5.8e6)]), failures: [{ base: 'alpine', error: { name: 'BuildFailed', message: 'boom' } }] })
    expect(md).toContain('| scratch | 5.8 MB | 2.9 MB | 5 MB | 800 kB | 2 | no | no | no | no | 65532:65532 | 120 ms |')
    expect(md).toContain('- alpine: did not build (boom)')
  })
  it('writes CSV with exact numbers, quoting and formula-safe cells', () => {
    const csv = compareCsv(withVerdicts([row('scratch', 5_800_000, { user: '=cmd|x' })])).split('\n')
    expect(csv[0]).toMatch(/^base,baseImage,imageId,sizeBytes,/)
    expect(csv[1]).toContain(',5800000,2900000,5000000,800000,2,false,false,false,,')
    expect(csv[1]).toContain(",'=cmd|x,")
    expect(csv[1]).toContain('"scratch: the smallest, 5.8 MB with a non-root user."')
  })
})

describe('compareText', () => {
  const began = Date.UTC(2026, 10, 30, 23, 0)
  const rows = withVerdicts([
    row('scratch', 5_800_000, { coldStartMs: 280, coldStartMeasuredAt: began + 5_000 }),
    row('alpine', 8_000_000, { coldStartMs: 301, coldStartMeasuredAt: Date.UTC(2026, 10, 29, 8, 15, 30) }),
    row('distroless-static', 7_300_000, { coldStartMs: 690, coldStartMeasuredAt: began + 6_000, coldStartNote: 'includes network setup: no shared probe network from golang:1.23 (no sleep)' }),
    row('debian-slim', 9_000_000, { coldStartMs: null, coldStartMeasuredAt: null, coldStartNote: 'exited before port 8080 answered' }),
  ])

  it('marks a cold start kept from an earlier measurement with when it was timed, and only that one', () => {
    const lines = compareText({ rows }, began).split('\n')
    expect(lines.find((l) => l.startsWith('scratch '))).toMatch(/ 280 ms$/)
    expect(lines.find((l) => l.startsWith('alpine '))).toMatch(/ 301 ms\*$/)
    expect(lines.find((l) => l.startsWith('debian-slim '))).toMatch(/ —$/)
    expect(lines.filter((l) => l.startsWith('*'))).toEqual(['* alpine: kept from an earlier measurement of the same image, timed 2026-11-29 08:15 UTC.'])
  })

  it('says what the cold start measures, and each note', () => {
    const text = compareText({ rows }, began)
    expect(text).toContain('Cold start: container start until the port answers (or until exit for a CLI); network setup excluded — it is the same for every base.')
    expect(text).toContain('distroless-static: cold start includes network setup: no shared probe network from golang:1.23 (no sleep).')
    expect(text).toContain('debian-slim: cold start exited before port 8080 answered.')
    expect(coldStartIncludesNetwork(rows[2] as CompareRow)).toBe(true)
    expect(coldStartIncludesNetwork(rows[0] as CompareRow)).toBe(false)
  })
})
