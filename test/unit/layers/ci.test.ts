import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ciSettings } from '../../../electron/cli/layers'
import { DIVE_CI_DEFAULTS, evaluateCi, parseByteSize } from '../../../shared/layers/ci'
import { describeCreatedBy } from '../../../shared/layers/describe'
import type { LayerSummary } from '../../../shared/layers/types'

const summary = (s: Partial<LayerSummary>): LayerSummary => ({
  sizeBytes: 100,
  userSizeBytes: 50,
  efficiency: 1,
  wastedBytes: 0,
  userWastedPercent: 0,
  hiddenBytes: 0,
  finalBytes: 100,
  fileCount: 1,
  directoryCount: 0,
  ...s,
})

describe('dive CI rules', () => {
  it('parses byte sizes like go-humanize', () => {
    expect(parseByteSize('20MB')).toBe(20_000_000)
    expect(parseByteSize('20 mb')).toBe(20_000_000)
    expect(parseByteSize('20M')).toBe(20_000_000)
    expect(parseByteSize('20MiB')).toBe(20 * 1024 * 1024)
    expect(parseByteSize('1.5 KiB')).toBe(1536)
    expect(parseByteSize('1,000')).toBe(1000)
    expect(parseByteSize('42')).toBe(42)
    expect(parseByteSize('lots')).toBeNaN()
  })

  it("uses dive's defaults: efficiency ≥ 0.9, wasted bytes off, user waste ≤ 10 %", () => {
    const r = evaluateCi(summary({ efficiency: 0.95, wastedBytes: 4, userSizeBytes: 50 }), DIVE_CI_DEFAULTS)
    expect(r.results.map((x) => [x.rule, x.status])).toEqual([
      ['lowestEfficiency', 'pass'],
      ['highestWastedBytes', 'skip'],
      ['highestUserWastedPercent', 'pass'],
    ])
    expect(r.pass).toBe(true)
  })

  it('fails each rule on the same comparison dive makes, and says which', () => {
    const s = summary({ efficiency: 0.8, wastedBytes: 30_000_000, userSizeBytes: 100_000_000 })
    const r = evaluateCi(s, { lowestEfficiency: '0.95', highestWastedBytes: '20MB', highestUserWastedPercent: '0.1' })
    expect(r.pass).toBe(false)
    expect(r.results.map((x) => x.status)).toEqual(['fail', 'fail', 'fail'])
    expect(r.results[0]?.message).toMatch(/efficiency is too low \(80\.00 % < threshold 95\.00 %\)/)
    expect(r.results[1]?.message).toMatch(/30 MB = 30000000 bytes > threshold 20 MB/)
    // Equal to the threshold passes: dive fails only when strictly over (or under, for efficiency).
    const edge = evaluateCi(summary({ efficiency: 0.9, wastedBytes: 20_000_000, userSizeBytes: 200_000_000 }), {
      lowestEfficiency: '0.9',
      highestWastedBytes: '20MB',
      highestUserWastedPercent: '0.1',
    })
    expect(edge.pass).toBe(true)
  })

  it('treats "disabled", "off", "false" and empty as off; out-of-range values as misconfigured', () => {
    const off = evaluateCi(summary({ efficiency: 0 }), { lowestEfficiency: 'off', highestWastedBytes: 'false', highestUserWastedPercent: '' })
    expect(off.results.every((x) => x.status === 'skip')).toBe(true)
    const bad = evaluateCi(summary({}), { lowestEfficiency: '1.5', highestWastedBytes: 'lots', highestUserWastedPercent: '0.1' })
    expect(bad.misconfigured).toBe(true)
    expect(bad.pass).toBe(false)
  })

  it('user waste with no user bytes: some waste fails, none passes (dive divides by zero)', () => {
    expect(evaluateCi(summary({ userSizeBytes: 0, wastedBytes: 1 }), DIVE_CI_DEFAULTS).pass).toBe(false)
    expect(evaluateCi(summary({ userSizeBytes: 0, wastedBytes: 0 }), DIVE_CI_DEFAULTS).pass).toBe(true)
  })
})

describe('slipway layers --ci settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-dive-ci-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads .dive-ci from the folder, and flags win over it', async () => {
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highest-user-wasted-percent: disabled\n')
    expect(await ciSettings({}, dir)).toEqual({ lowestEfficiency: '0.95', highestWastedBytes: '20MB', highestUserWastedPercent: 'disabled' })
    expect((await ciSettings({ lowestEfficiency: '0.5' }, dir)).lowestEfficiency).toBe('0.5')
    expect(await ciSettings({}, join(dir, 'nowhere'))).toEqual(DIVE_CI_DEFAULTS)
  })
})

describe('created-by', () => {
  it('reads like a Dockerfile line', () => {
    expect(describeCreatedBy('/bin/sh -c #(nop)  ENV FOO=bar')).toBe('ENV FOO=bar')
    expect(describeCreatedBy('/bin/sh -c apt-get update &&   apt-get install -y x')).toBe('RUN apt-get update && apt-get install -y x')
    expect(describeCreatedBy('RUN /bin/sh -c go build ./... # buildkit')).toBe('RUN go build ./...')
    expect(describeCreatedBy('|2 A=1 B=2 /bin/sh -c make')).toBe('RUN make')
    expect(describeCreatedBy('COPY /out/app /app # buildkit')).toBe('COPY /out/app /app')
  })
})
