import { describe, expect, it } from 'vitest'
import type { ImageDetails, ImageSummary } from '../../../shared/types/images'
import { metadataRows, pickerChoices } from '../../../renderer/src/features/images/compare-picker'

const img = (id: string, repoTags: string[], created: number): ImageSummary => ({ id, repoTags, created, sizeBytes: 1, labels: {}, containers: 0, dangling: repoTags.length === 0 })

describe('compare picker', () => {
  const list = [img('open', ['slipway/api:distroless'], 5), img('x', ['other:1'], 9), img('y', ['slipway/api:alpine', 'x:y'], 1), img('z', [], 10), img('w', ['slipway/api:old'], 3)]
  it('offers other tags of the same repository first, then tagged, then dangling; newest first within', () => {
    expect(pickerChoices(list, 'open', '').map((c) => `${c.image.id}${c.sameRepo ? '*' : ''}`)).toEqual(['w*', 'y*', 'x', 'z'])
  })
  it('searches tags and ids', () => {
    expect(pickerChoices(list, 'open', 'alp').map((c) => c.image.id)).toEqual(['y'])
    expect(pickerChoices(list, 'open', 'OTHER').map((c) => c.image.id)).toEqual(['x'])
  })
})

describe('metadata side by side', () => {
  const base: ImageDetails = {
    id: 'a',
    repoTags: [],
    created: 0,
    sizeBytes: 0,
    os: 'linux',
    architecture: 'amd64',
    layerCount: 2,
    history: [],
    config: { user: '', workingDir: '/app', env: ['PATH=/bin', 'MODE=a'], exposedPorts: ['8080/tcp'], entrypoint: ['/app/api'], cmd: [], labels: { v: '1' }, stopSignal: '', healthcheck: [] },
  }
  it('lines up fields, ENV and labels of both, saying which differ', () => {
    const b: ImageDetails = { ...base, id: 'b', config: { ...base.config, user: '65532', env: ['PATH=/bin', 'PORT=1'], labels: { v: '2', w: 'x' } } }
    const rows = metadataRows(base, b)
    const diff = rows.filter((r) => !r.same).map((r) => `${r.group}:${r.key}=${r.a}|${r.b}`)
    expect(diff).toEqual(['Run:User=root (not set)|65532', 'Environment:MODE=a|null', 'Environment:PORT=null|1', 'Labels:v=1|2', 'Labels:w=null|x'])
    expect(rows.find((r) => r.key === 'Entrypoint')).toMatchObject({ a: '["/app/api"]', same: true })
  })
})
