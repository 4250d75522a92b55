import { describe, expect, it } from 'vitest'
import { imageAge, isReproducibleTime, REPRODUCIBLE } from '../../../renderer/src/features/images/image-labels'

const DAY = 86_400_000
const now = Date.parse('2026-11-30T12:00:00Z')
const absolute = (t: number) => new Date(t).toISOString()

describe('image ages', () => {
  it('says "reproducible", not "20787 days ago", for an image created at 1970-01-01', () => {
    expect(imageAge(0, now, absolute)).toEqual({ text: REPRODUCIBLE, title: expect.stringContaining('1970-01-01') as string })
    expect(imageAge(0, now, absolute).text).not.toMatch(/ago/)
  })
  it('gives a real creation time its age, with the date on hover', () => {
    expect(imageAge(now - 3 * DAY, now, absolute)).toEqual({ text: '3 days ago', title: new Date(now - 3 * DAY).toISOString() })
    expect(imageAge(DAY, now, absolute).text).toMatch(/days ago$/)
  })
  it('reads a layer\'s ISO time the same way', () => {
    expect(isReproducibleTime('1970-01-01T00:00:00Z')).toBe(true)
    expect(isReproducibleTime('2024-05-01T10:00:00Z')).toBe(false)
    expect(isReproducibleTime(undefined)).toBe(true)
  })
})
