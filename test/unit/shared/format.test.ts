import { describe, it, expect } from 'vitest'
import { formatBytes, formatCount, formatDurationShort, formatInt, formatRelativeTime, secondsUntil, shortId } from '../../../shared/format'

describe('formatBytes', () => {
  it('prints whole bytes below one kilobyte', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(999)).toBe('999 B')
  })

  it('uses powers of 1000 by default, with one decimal below 100', () => {
    expect(formatBytes(1000)).toBe('1 kB')
    expect(formatBytes(1_234_567)).toBe('1.2 MB')
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB')
    expect(formatBytes(12_345_678)).toBe('12.3 MB')
    expect(formatBytes(99_960_000)).toBe('100 MB')
    expect(formatBytes(340_000_000)).toBe('340 MB')
  })

  it('moves to the next unit instead of printing 1000 of one', () => {
    expect(formatBytes(999_600)).toBe('1 MB')
    expect(formatBytes(999.6)).toBe('1 kB')
    expect(formatBytes(9_960_000)).toBe('10 MB')
  })

  it('uses powers of 1024 with IEC units when asked', () => {
    expect(formatBytes(1024, { binary: true })).toBe('1 KiB')
    expect(formatBytes(16_663_289_856, { binary: true })).toBe('15.5 GiB')
    expect(formatBytes(1_048_575, { binary: true })).toBe('1 MiB')
  })

  it('stops at the largest unit', () => {
    expect(formatBytes(5e18)).toBe('5000 PB')
  })

  it('refuses nonsense', () => {
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('—')
  })
})

describe('formatDurationShort', () => {
  it('picks the largest unit that fits and rounds down', () => {
    expect(formatDurationShort(0)).toBe('0s')
    expect(formatDurationShort(999)).toBe('0s')
    expect(formatDurationShort(4_200)).toBe('4s')
    expect(formatDurationShort(59_999)).toBe('59s')
    expect(formatDurationShort(60_000)).toBe('1 min')
    expect(formatDurationShort(150_000)).toBe('2 min')
    expect(formatDurationShort(7_200_000)).toBe('2 h')
    expect(formatDurationShort(86_400_000)).toBe('1 day')
    expect(formatDurationShort(3 * 86_400_000)).toBe('3 days')
  })

  it('treats negative durations as zero', () => {
    expect(formatDurationShort(-5_000)).toBe('0s')
  })
})

describe('formatRelativeTime', () => {
  const now = 1_700_000_000_000

  it('says "just now" for the last few seconds', () => {
    expect(formatRelativeTime(now, now)).toBe('just now')
    expect(formatRelativeTime(now - 4_999, now)).toBe('just now')
  })

  it('describes the past', () => {
    expect(formatRelativeTime(now - 12_000, now)).toBe('12s ago')
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago')
    expect(formatRelativeTime(now - 2 * 86_400_000, now)).toBe('2 days ago')
  })

  it('describes the future', () => {
    expect(formatRelativeTime(now + 4_000, now)).toBe('in 4s')
    expect(formatRelativeTime(now + 3 * 60_000, now)).toBe('in 3 min')
  })
})

describe('secondsUntil', () => {
  it('rounds up so a countdown never reads 0 early', () => {
    expect(secondsUntil(1_000, 0)).toBe(1)
    expect(secondsUntil(1_001, 0)).toBe(2)
    expect(secondsUntil(250, 0)).toBe(1)
  })

  it('is zero at and after the deadline', () => {
    expect(secondsUntil(1_000, 1_000)).toBe(0)
    expect(secondsUntil(1_000, 5_000)).toBe(0)
  })
})

describe('formatCount', () => {
  it('chooses singular or plural', () => {
    expect(formatCount(0, 'image')).toBe('0 images')
    expect(formatCount(1, 'image')).toBe('1 image')
    expect(formatCount(2, 'container')).toBe('2 containers')
  })

  it('groups thousands and accepts an irregular plural', () => {
    expect(formatCount(1200, 'image')).toBe('1,200 images')
    expect(formatCount(3, 'CPU', 'CPUs')).toBe('3 CPUs')
  })

  it('formats any number as toLocaleString(en-US) does, with one formatter', () => {
    for (const n of [0, 7, 999, 1000, 106779, 1234567890, -4200, 2 ** 53 - 1]) expect(formatInt(n)).toBe(n.toLocaleString('en-US'))
  })
})

describe('shortId', () => {
  const full = '4f9bd52e1c3a0d7b8e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988'

  it('keeps the first 12 hex digits and drops sha256:', () => {
    expect(shortId(full)).toBe('4f9bd52e1c3a')
    expect(shortId(`sha256:${full}`)).toBe('4f9bd52e1c3a')
  })

  it('leaves names and references alone', () => {
    expect(shortId('golang:1.23-alpine')).toBe('golang:1.23-alpine')
    expect(shortId('hello-api')).toBe('hello-api')
    expect(shortId('abc123')).toBe('abc123')
  })
})
