// The example guide's "built yet?": the newest succeeded build with an image, from this session's
// jobs or the history, of this folder only.
import { describe, expect, it } from 'vitest'
import type { BuildRecord } from '../../../shared/types/build'
import { newestBuilt } from '../../../renderer/src/features/projects/example-built'

const rec = (p: Partial<BuildRecord>): BuildRecord => ({
  jobId: 'j',
  dir: '/ex',
  project: 'hello-api',
  base: 'scratch',
  baseImage: 'scratch',
  builderImage: 'golang:1.23',
  buildkit: true,
  startedAt: 1,
  durationMs: 1,
  result: 'succeeded',
  imageId: 'sha256:aa',
  tags: ['slipway/hello-api:scratch'],
  sizeBytes: 1,
  cachedSteps: 0,
  totalSteps: 1,
  version: 'dev',
  commit: '',
  dockerfile: '',
  error: null,
  compileErrors: [],
  ...p,
})

describe('newestBuilt', () => {
  it('is null with no build, with only failed or cancelled ones, and for another folder', () => {
    expect(newestBuilt('/ex', [], null)).toBeNull()
    expect(newestBuilt('/ex', [{ dir: '/ex', record: null }], [])).toBeNull()
    expect(newestBuilt('/ex', [{ dir: '/ex', record: rec({ result: 'failed', imageId: null }) }], [rec({ result: 'cancelled', imageId: null })])).toBeNull()
    expect(newestBuilt('/ex', [{ dir: '/other', record: rec({ dir: '/other' }) }], [rec({ dir: '/other' })])).toBeNull()
  })

  it('finds a succeeded build in the history (a reopened example) or in this session, the newest first', () => {
    const old = rec({ startedAt: 10, tags: ['slipway/hello-api:alpine'] })
    expect(newestBuilt('/ex', [], [old])).toBe(old)
    const now = rec({ startedAt: 20, jobId: 'k' })
    expect(newestBuilt('/ex', [{ dir: '/ex', record: now }], [old])).toBe(now)
    expect(newestBuilt('/ex', [{ dir: '/ex', record: rec({ startedAt: 30, result: 'failed', imageId: null }) }], [old])).toBe(old)
  })
})
