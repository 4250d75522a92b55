// The Images service's own view on the real engine: one build of a copy of the example through the
// Builds service is listed under its project and base as current; a change to go.mod's module name
// (a new binary name, so a new Dockerfile) makes it stale; a labelled image whose folder is gone says
// so. Delete refuses an image Slipway did not build and one a container was made from, then
// removes the image with all its tags.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ALPINE } from '../support/build-image'
import { buildImage } from '../support/docker-build'
import { testServices, type TestServices } from '../support/services'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'examples', 'hello-api')
const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `it-images-${RUN}`
const EXTRA = `slipway-it-images/extra:${RUN}`
const GONE = `slipway-it-images/gone:${RUN}`
const docker = new Dockerode()

describe('Images service: Slipway’s own images', () => {
  let t: TestServices
  let dir: string
  let imageId: string
  const containers: string[] = []

  beforeAll(async () => {
    t = await testServices()
    dir = join(mkdtempSync(join(tmpdir(), 'slipway-images-')), NAME)
    cpSync(EXAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${NAME}`))
    const { done } = await t.services.builds.launch({ jobId: crypto.randomUUID(), dir, base: 'scratch', tag: EXTRA })
    const record = await done
    imageId = record.imageId as string
    // An image labelled as Slipway's whose project folder does not exist (no build needed for it).
    const ctx = mkdtempSync(join(tmpdir(), 'slipway-images-ctx-'))
    await buildImage(docker, {
      contextDir: ctx,
      dockerfile: `FROM ${TEST_ALPINE}\nLABEL org.slipway.project=/nonexistent/slipway-${RUN} org.slipway.base=alpine org.slipway.recipe=0000000000000000\n`,
      tag: GONE,
      buildkit: true,
    })
    rmSync(ctx, { recursive: true, force: true })
  }, 300_000)

  afterAll(async () => {
    for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined)
    t?.close()
    await run('docker', ['image', 'rm', '-f', `slipway/${NAME}:scratch`, EXTRA, GONE]).catch(() => undefined)
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true })
  })

  const find = async (d: string) => (await t.services.images.slipway()).find((p) => p.dir === d)

  it('lists the build under its project and base as current, with its tags and size', async () => {
    const project = await find(dir)
    expect(project).toMatchObject({ dir, name: NAME, gone: false })
    expect(project?.bases.map((b) => b.base)).toEqual(['scratch'])
    const [image] = project?.bases[0]?.images ?? []
    const inspect = await docker.getImage(imageId).inspect()
    expect(image).toMatchObject({ id: imageId, base: 'scratch', main: '.', version: '0.0.0-test', status: 'current', containers: 0, sizeBytes: inspect.Size })
    expect(image?.repoTags.sort()).toEqual([EXTRA, `slipway/${NAME}:scratch`].sort())
    // Images Slipway did not build are not in its view.
    const all = await t.services.images.slipway()
    expect(all.flatMap((p) => p.bases.flatMap((b) => b.images)).some((i) => i.repoTags.includes(TEST_ALPINE))).toBe(false)
  })

  it('says project gone for a labelled image whose folder no longer exists', async () => {
    const project = await find(`/nonexistent/slipway-${RUN}`)
    expect(project).toMatchObject({ gone: true, bases: [{ base: 'alpine', images: [{ status: 'project-gone' }] }] })
  })

  it('says stale once the project changes so that its recipe would change', async () => {
    const gomod = join(dir, 'go.mod')
    writeFileSync(gomod, readFileSync(gomod, 'utf8').replace(/^module .*$/m, `module example.com/${NAME}-renamed`))
    const image = (await find(dir))?.bases[0]?.images[0]
    expect(image).toMatchObject({ id: imageId, status: 'stale' })
    expect(image?.statusDetail).toMatch(/different Dockerfile/)
  })

  it('says unknown, with the reason, when the project cannot be analysed', async () => {
    const main = join(dir, 'main.go')
    const source = readFileSync(main, 'utf8')
    rmSync(main)
    try {
      const image = (await find(dir))?.bases[0]?.images[0]
      expect(image?.status).toBe('unknown')
      expect(image?.statusDetail).toMatch(/could not be analysed/)
    } finally {
      writeFileSync(main, source)
    }
  })

  it('refuses to delete an image Slipway did not build', async () => {
    const alpine = await docker.getImage(TEST_ALPINE).inspect()
    // The message names the image by one of its tags (the stand-in is also slipway-made/busybox).
    const named = new RegExp((alpine.RepoTags ?? [TEST_ALPINE]).map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'))
    await expect(t.services.images.remove(alpine.Id)).rejects.toMatchObject({ name: 'NotSlipwayImage', message: expect.stringMatching(named) })
    await expect(docker.getImage(TEST_ALPINE).inspect()).resolves.toMatchObject({ Id: alpine.Id })
  })

  it('refuses to delete an image a container was made from, then deletes it with all its tags', async () => {
    const c = await docker.createContainer({ Image: imageId, name: `slipway-it-images-${RUN}` })
    containers.push(c.id)
    expect((await find(dir))?.bases[0]?.images[0]?.containers).toBe(1)
    await expect(t.services.images.remove(imageId)).rejects.toMatchObject({ name: 'ImageInUse', message: expect.stringContaining(`slipway-it-images-${RUN}`) })
    await c.remove()
    await t.services.images.remove(imageId)
    await expect(docker.getImage(imageId).inspect()).rejects.toMatchObject({ statusCode: 404 })
    expect(await find(dir)).toBeUndefined()
    await expect(t.services.images.remove(imageId)).rejects.toMatchObject({ name: 'ImageNotFound' })
  })
})
