// What "an image" is, on the real engine: the Images page's list, its header and the status bar
// count the same top-level images (tagged or dangling, one per id; `docker images`), never `docker
// info`'s count, which also holds a classic build's intermediate images. Each listed image says
// whether it is dangling (as `docker images -f dangling=true`) and how many containers use it.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ALPINE } from '../support/build-image'
import { buildImage, removeStageImages } from '../support/docker-build'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const RUN = `${Date.now().toString(36)}${process.pid}`
const TAG = `slipway-it-list/app:${RUN}`
const docker = new Dockerode()

const idsOf = async (args: string[]) => new Set((await run('docker', ['images', '--no-trunc', '-q', ...args])).stdout.split('\n').filter(Boolean))

describe('Images: one meaning of "images"', () => {
  let t: TestServices
  let ctx: string
  const made: string[] = []
  const stages: string[] = []
  let container = ''

  beforeAll(async () => {
    t = await testServices()
    ctx = mkdtempSync(join(tmpdir(), 'slipway-list-'))
    // Classic builds: each step commits an intermediate image that `docker info` counts and no list shows.
    // The second build of the same tag leaves the first one dangling.
    for (const n of [1, 2]) {
      const r = await buildImage(docker, {
        contextDir: ctx,
        dockerfile: `FROM ${TEST_ALPINE}\nRUN echo ${RUN}-${n} > /one\nRUN echo ${n} > /two\nENV MODE=m${n}\nUSER 65532\nEXPOSE 8080 9090/udp\nENTRYPOINT ["/bin/sh", "-c"]\nLABEL org.slipway.it.list=${RUN}\n`,
        tag: TAG,
        buildkit: false,
      })
      made.push(r.imageId)
      stages.push(...r.stageImages)
    }
    container = (await docker.createContainer({ Image: TAG, Cmd: ['true'], Labels: { 'org.slipway.it.list': RUN } })).id
  }, 180_000)

  afterAll(async () => {
    if (container) await docker.getContainer(container).remove({ force: true }).catch(() => undefined)
    for (const id of made.reverse()) await docker.getImage(id).remove({ force: true }).catch(() => undefined)
    await removeStageImages(docker, stages).catch(() => undefined)
    t?.close()
    if (ctx) rmSync(ctx, { recursive: true, force: true })
  })

  it('the status bar counts what the Images page lists, and docker info would not', async () => {
    // Other work on this engine adds and removes images meanwhile: ask until one moment agrees.
    let last = ''
    for (let attempt = 0; attempt < 20; attempt++) {
      const list = await t.services.images.list()
      const state = t.services.engine.state()
      const cli = await idsOf([])
      if (state.status !== 'connected') throw new Error('not connected')
      last = `list ${list.length}, status bar ${state.info.images}, docker images ${cli.size}`
      if (list.length === state.info.images && list.length === cli.size && new Set(list.map((i) => i.id)).size === list.length) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(last).toMatch(/^list (\d+), status bar \1, docker images \1$/)
    const { stdout } = await run('docker', ['info', '--format', '{{.Images}}'])
    // The intermediate images are there, so docker info's count is not the list's.
    expect(Number(stdout.trim())).toBeGreaterThan((await t.services.images.list()).length)
  })

  it('says which images are dangling, as docker does, and which are in use', async () => {
    const [list, dangling] = await Promise.all([t.services.images.list(), idsOf(['-f', 'dangling=true'])])
    const ours = list.filter((i) => i.labels['org.slipway.it.list'] === RUN)
    expect(ours.map((i) => i.id).sort()).toEqual([...made].sort())
    const [first, second] = made
    expect(ours.find((i) => i.id === first)).toMatchObject({ dangling: true, repoTags: [], containers: 0 })
    expect(ours.find((i) => i.id === second)).toMatchObject({ dangling: false, repoTags: [TAG], containers: 1 })
    for (const i of list) if (dangling.has(i.id) !== i.dangling) throw new Error(`${i.id}: dangling ${i.dangling}, docker says ${dangling.has(i.id)}`)
  })

  it('inspects an image without reading it: platform, size, layers, history and configuration', async () => {
    const d = await t.services.images.inspect(made[1] as string)
    const info = await docker.getImage(TAG).inspect()
    expect(d).toMatchObject({ id: info.Id, repoTags: [TAG], sizeBytes: info.Size, os: info.Os, architecture: info.Architecture, layerCount: info.RootFS?.Layers?.length })
    expect(d.config).toMatchObject({ user: '65532', exposedPorts: ['8080/tcp', '9090/udp'], entrypoint: ['/bin/sh', '-c'], labels: { 'org.slipway.it.list': RUN } })
    expect(d.config.env).toContain('MODE=m2')
    // Oldest first, ending with this Dockerfile's steps; the RUN that wrote /two has bytes.
    expect(d.history.at(-1)?.createdBy).toMatch(/LABEL org\.slipway\.it\.list/)
    expect(d.history.find((h) => /echo 2 > \/two/.test(h.createdBy))?.sizeBytes).toBeGreaterThan(0)
    await expect(t.services.images.inspect(`sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({ name: 'ImageNotFound' })
  })
})
