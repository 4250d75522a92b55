// dive's CI mode (`dive --ci`), rule for rule, so a team can switch by renaming the command:
// same three rules, same defaults, same "disabled" spellings, same byte units, same comparisons.
import { formatBytes } from '../format'
import type { LayerSummary } from './types'

export const CI_RULE_KEYS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const
export type CiRuleKey = (typeof CI_RULE_KEYS)[number]
/** Rule settings as written on the command line or in `.dive-ci` (strings, as dive reads them). */
export type CiRuleSettings = Record<CiRuleKey, string>

/** dive's defaults: efficiency at least 0.9, wasted bytes not checked, at most 10 % of the user bytes wasted. */
export const DIVE_CI_DEFAULTS: CiRuleSettings = {
  lowestEfficiency: '0.9',
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: '0.1',
}

export interface CiRuleResult {
  rule: CiRuleKey
  status: 'pass' | 'fail' | 'skip' | 'misconfigured'
  /** Why it failed, or what is wrong with the setting. */
  message: string
}

export interface CiReport {
  pass: boolean
  misconfigured: boolean
  results: CiRuleResult[]
}

/** dive turns a rule off with an empty value, "disabled", "off" or "false". */
export function isRuleDisabled(value: string): boolean {
  const v = value.trim().toLowerCase()
  return v === '' || v === 'disabled' || v === 'off' || v === 'false'
}

const UNIT_POWER: Record<string, number> = { '': 0, k: 1, m: 2, g: 3, t: 4, p: 5, e: 6, z: 7, y: 8 }

/**
 * Parses a byte size the way dive does (go-humanize ParseBytes): "20MB" and "20M" are 20,000,000,
 * "20MiB" and "20Mi" are 20,971,520, a bare number is bytes; case and spaces do not matter, commas are
 * digit separators. Returns NaN for anything else.
 */
export function parseByteSize(text: string): number {
  const m = /^\s*([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*([a-z]*)\s*$/i.exec(text)
  if (!m) return NaN
  const value = Number((m[1] ?? '').replace(/,/g, ''))
  const unit = (m[2] ?? '').toLowerCase()
  if (unit === '' || unit === 'b') return Math.trunc(value)
  const u = /^([kmgtpezy])(i?)(b?)$/.exec(unit)
  if (!u) return NaN
  const power = UNIT_POWER[u[1] ?? ''] ?? NaN
  return Math.trunc(value * (u[2] ? 1024 : 1000) ** power)
}

/** Checks the settings and evaluates every rule against an image's summary, as `dive --ci` does. */
export function evaluateCi(summary: LayerSummary, settings: CiRuleSettings): CiReport {
  const results: CiRuleResult[] = []
  for (const rule of CI_RULE_KEYS) {
    const value = settings[rule]
    if (isRuleDisabled(value)) {
      results.push({ rule, status: 'skip', message: 'rule disabled' })
      continue
    }
    results.push(evaluateRule(rule, value, summary))
  }
  const misconfigured = results.some((r) => r.status === 'misconfigured')
  return { pass: !misconfigured && results.every((r) => r.status !== 'fail'), misconfigured, results }
}

function evaluateRule(rule: CiRuleKey, value: string, s: LayerSummary): CiRuleResult {
  if (rule === 'highestWastedBytes') {
    const threshold = parseByteSize(value)
    if (!Number.isFinite(threshold)) return { rule, status: 'misconfigured', message: `invalid highestWastedBytes value "${value}" (use bytes, e.g. 20MB or 15MiB)` }
    return s.wastedBytes > threshold
      ? { rule, status: 'fail', message: `too many bytes wasted (${formatBytes(s.wastedBytes)} = ${s.wastedBytes} bytes > threshold ${formatBytes(threshold)})` }
      : { rule, status: 'pass', message: '' }
  }
  const threshold = Number(value.trim())
  if (value.trim() === '' || !Number.isFinite(threshold)) return { rule, status: 'misconfigured', message: `invalid ${rule} value "${value}" (use a ratio between 0 and 1)` }
  if (threshold < 0 || threshold > 1) return { rule, status: 'misconfigured', message: `${rule} is outside the allowed range 0-1: ${value}` }
  if (rule === 'lowestEfficiency') {
    return threshold > s.efficiency
      ? { rule, status: 'fail', message: `image efficiency is too low (${percent(s.efficiency)} < threshold ${percent(threshold)})` }
      : { rule, status: 'pass', message: '' }
  }
  // dive divides without a guard: no user bytes and some waste is +Inf (fails), none at all is NaN (passes).
  const ratio = s.wastedBytes / s.userSizeBytes
  return ratio > threshold
    ? {
        rule,
        status: 'fail',
        message: `too many bytes wasted, relative to the user bytes added (${Number.isFinite(ratio) ? percent(ratio) : 'all'} > threshold ${percent(threshold)})`,
      }
    : { rule, status: 'pass', message: '' }
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`
}
