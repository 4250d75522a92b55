// The Bases service: makes base images from the machine's Debian mirror with no root, no
// debootstrap and no apt on the host — fetch and verify the indexes, resolve the packages, unpack
// their data.tar into one layer, write what maintainer scripts would have, and load the image into
// the engine. One make job at a time; progress as bases.progress, exactly one bases.done or
// bases.failed per job; cancel at any phase leaves nothing behind (no image, no temp file).
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { extract as tarExtract, type Extract } from 'tar-stream'
import type { Emit } from '../../../shared/contract'
import { SlipwayError, toWireError } from '../../../shared/errors'
import { indexCompact, packageSetSize, type CompactPackages, type PackageEntry, type PackageIndex, type PackageSetSize } from '../../../shared/debian/packages'
import {
  BASE_RECIPES,
  USR_MERGE_LINKS,
  baseLabels,
  busyboxRoot,
  caBundle,
  distrolessAccounts,
  file,
  keeps,
  madeBaseOf,
  memberPath,
  mergedUsrPath,
  osRelease,
  packagesFromLabel,
  recipeFor,
  type BaseRecipe,
  type GeneratedFile,
  type MadeBaseId,
  type SuiteRole,
} from '../../../shared/debian/recipes'
import { resolve, Unresolvable } from '../../../shared/debian/resolve'
import type { MadeBase, MadeResult, MakePhase } from '../../../shared/debian/types'
import { busyboxApplets } from '../../../shared/debian/busybox'
import { ARCHIVE_KEYRING, GENERATED_VERSION, aptSources, baseFilesRoot, pamCommon, shadowFiles, type ImageAptSource } from '../../../shared/debian/maintainer'
import { mirrorHost, type MakeOffer, type StandInTarget } from '../../../shared/debian/stand-ins'
import { readAptSources, suiteMirrors, type SuiteMirrors } from './apt-config'
import { dataTar } from './deb'
import { imageIdOf, loadImage, type ImageSpec } from './image'
import { LayerWriter } from './layer'
import { LayerCache, layerKey, type CachedLayer } from './layer-cache'
import { Mirror, type FetchedRelease } from './mirror'

export interface BasesDeps {
  engine: { client(): Dockerode }
  emit: Emit
  /** The data folder: verified indexes and .debs are cached under cache/debian, temp layers under tmp. */
  dataDir: string
  /** The mirror and suite from the settings (null: the apt sources; suite default bookworm). */
  settings: () => Promise<{ debianMirror?: string | null; debianSuite?: string | null }>
  /** apt's configuration folder (default /etc/apt). */
  aptEtc?: string
  /** Keyrings to check InRelease with when a source names none (default: Debian's archive keyring). */
  keyrings?: readonly string[]
  /** A mirror request that receives nothing for this long fails with MirrorUnreachable (default 60 s). */
  mirrorIdleMs?: number
}

const DEFAULT_SUITE = 'bookworm'
const DOWNLOADS_AT_ONCE = 4
/** How long an offer waits for the mirror's indexes to say a base's size (then it says none). */
const SIZE_WAIT_MS = 60_000


/** A short hash of a recipe: a made image whose label differs is from another recipe. */
export function recipeHash(r: BaseRecipe): string {
  return createHash('sha256').update(JSON.stringify(r)).update(`\0generated ${GENERATED_VERSION}`).digest('hex').slice(0, 16)
}

/** The engine's architecture in Debian's words. */
function debianArch(goArch: string): string {
  return ({ amd64: 'amd64', arm64: 'arm64', arm: 'armhf', '386': 'i386', ppc64le: 'ppc64el', s390x: 's390x' } as Record<string, string>)[goArch] ?? goArch
}

interface Job {
  id: string
  controller: AbortController
}

export class Bases {
  private job: Job | null = null

  constructor(private readonly deps: BasesDeps) {}

  private async suite(): Promise<{ suite: string; mirror: string | null }> {
    const s = await this.deps.settings()
    return { suite: s.debianSuite || DEFAULT_SUITE, mirror: s.debianMirror ?? null }
  }

  /** The image reference a recipe is made as, for the configured suite. */
  async imageOf(id: MadeBaseId): Promise<string> {
    return `${recipeFor(id).repository}:${(await this.suite()).suite}`
  }

  /** Every base Slipway can make, with whether the engine has it (and what is inside it). */
  async list(): Promise<MadeBase[]> {
    const { suite } = await this.suite()
    const docker = this.deps.engine.client()
    return Promise.all(
      BASE_RECIPES.map(async (r): Promise<MadeBase> => {
        const image = `${r.repository}:${suite}`
        let info: Dockerode.ImageInspectInfo | null = null
        try {
          info = await docker.getImage(image).inspect()
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode !== 404) throw e
        }
        const labels = info?.Config?.Labels ?? {}
        // Made by Slipway, not an image built FROM a made base (which carries the same labels).
        const made = info !== null && madeBaseOf(info) === r.id
        return {
          id: r.id,
          label: r.label,
          summary: r.summary,
          image,
          standsFor: r.standsFor,
          present: made,
          current: made && labels['org.slipway.made.recipe'] === recipeHash(r),
          recipe: recipeHash(r),
          imageId: made ? (info?.Id ?? null) : null,
          sizeBytes: made ? (info?.Size ?? null) : null,
          suite,
          packages: made ? packagesFromLabel(labels['org.slipway.made.packages']) : r.packages.map((name) => ({ name, version: '' })),
        }
      }),
    )
  }

  /**
   * What making `id` for `target` would take: whether it is made here already (current recipe), its
   * size, and the mirror it would come from (null with the reason when none is configured).
   */
  async offer(id: MadeBaseId, target: StandInTarget): Promise<MakeOffer> {
    const r = recipeFor(id)
    const { suite, mirror: override } = await this.suite()
    const image = `${r.repository}:${suite}`
    let mirror: string | null = null
    let mirrorProblem: string | undefined
    let mirrors: SuiteMirrors | null = null
    try {
      mirrors = suiteMirrors(await readAptSources(this.deps.aptEtc ?? '/etc/apt'), suite, override)
      mirror = mirrorHost(mirrors.release.uri)
    } catch (e) {
      const err = e as SlipwayError
      mirrorProblem = [err.message, err.detail].filter(Boolean).join(' ')
    }
    const info = await this.deps.engine
      .client()
      .getImage(image)
      .inspect()
      .catch(() => null)
    const present = info !== null && madeBaseOf(info) === r.id && info.Config?.Labels?.['org.slipway.made.recipe'] === recipeHash(r)
    // What it would take, from the mirror's index (only worth reading when it is to be made).
    const size = !present && mirrors ? await this.sizeOf(r, suite, mirrors) : null
    return { base: id, label: r.label, image, present, downloadBytes: size?.downloadBytes ?? null, imageBytes: size?.imageBytes ?? null, mirror, ...(mirrorProblem ? { mirrorProblem } : {}), suite, target }
  }

  /** Starts making `ids` (one job at a time); events carry `jobId`. */
  make(jobId: string, ids: readonly MadeBaseId[]): { jobId: string } {
    if (this.job) throw new SlipwayError('BaseMakeRunning', 'Slipway is already making bases.', `Wait for it, or cancel job ${this.job.id}.`)
    const controller = new AbortController()
    this.job = { id: jobId, controller }
    void this.run(jobId, [...new Set(ids)], controller.signal).finally(() => {
      if (this.job?.id === jobId) this.job = null
    })
    return { jobId }
  }

  /** Cancels a make job; false when it is not running. */
  cancel(jobId: string): boolean {
    if (this.job?.id !== jobId) return false
    this.job.controller.abort(new SlipwayError('Cancelled', 'Making the bases was cancelled.'))
    return true
  }

  /** Cancels whatever make job runs (Ctrl-C in the CLI). */
  cancelAll(): void {
    if (this.job) this.cancel(this.job.id)
  }

  /** Makes the bases and waits (the CLI and the benchmark); rejects with what bases.failed carries. */
  async makeAndWait(jobId: string, ids: readonly MadeBaseId[]): Promise<MadeResult[]> {
    return new Promise((done, fail) => {
      this.waiters.set(jobId, { done, fail })
      try {
        this.make(jobId, ids)
      } catch (e) {
        this.waiters.delete(jobId)
        fail(e)
      }
    })
  }

  private readonly waiters = new Map<string, { done: (m: MadeResult[]) => void; fail: (e: unknown) => void }>()

  private async run(jobId: string, ids: MadeBaseId[], signal: AbortSignal): Promise<void> {
    const waiter = this.waiters.get(jobId)
    this.waiters.delete(jobId)
    try {
      const notices: string[] = []
      const made = await this.makeAll(jobId, ids, signal, notices)
      this.deps.emit('bases.done', { jobId, made, notices })
      waiter?.done(made)
    } catch (e) {
      const cancelled = signal.aborted
      const err = cancelled ? new SlipwayError('Cancelled', 'Making the bases was cancelled.') : e
      this.deps.emit('bases.failed', { jobId, error: toWireError(err), cancelled })
      waiter?.fail(err)
    }
  }

  private progress(jobId: string, base: MadeBaseId, phase: MakePhase, done: number, total: number, message: string): void {
    this.deps.emit('bases.progress', { jobId, base, phase, done, total, message })
  }

  private async makeAll(jobId: string, ids: MadeBaseId[], signal: AbortSignal, notices: string[]): Promise<MadeResult[]> {
    const recipes = ids.map(recipeFor)
    const first = recipes[0]!.id
    const { suite, mirror: override } = await this.suite()
    const mirrors = suiteMirrors(await readAptSources(this.deps.aptEtc ?? '/etc/apt'), suite, override)
    const docker = this.deps.engine.client()
    const arch = debianArch((await docker.version()).Arch)
    const mirror = new Mirror({ cacheDir: join(this.deps.dataDir, 'cache', 'debian'), ...(this.deps.keyrings ? { keyrings: this.deps.keyrings } : {}), ...(this.deps.mirrorIdleMs ? { idleMs: this.deps.mirrorIdleMs } : {}) })

    // 1. Indexes of every suite some recipe needs.
    const roles = [...new Set(recipes.flatMap((r) => r.suites))]
    const { sources, uriOf, indexes } = await this.readIndexes(mirror, mirrors, roles, arch, signal, notices, (step, msg) => this.progress(jobId, first, 'indexes', step, roles.length, msg))
    signal.throwIfAborted()
    this.progress(jobId, first, 'resolving', 0, recipes.length, 'Resolving packages')
    const index = indexCompact(sources)
    // What every base these indexes can make would take, for the offers' "≈ N MB".
    await this.keepSizes(index, indexes, arch, suite, mirrors, new Set(roles))

    // 2. Packages of each recipe, and its layer when the same packages made it before (the data
    //    folder's layer cache, keyed by everything that decides the layer's bytes).
    const versionId = /^\d+/.exec(index.byName.get('base-files')?.[0]?.version ?? '')?.[0] ?? ''
    const layers = new LayerCache(join(this.deps.dataDir, 'cache', 'debian', 'layers'))
    const plan: { recipe: BaseRecipe; packages: PackageEntry[]; os: LayerOs; key: string; cached: CachedLayer | null; loaded: string | null }[] = []
    for (const recipe of recipes) {
      const packages = this.packagesOf(recipe, index, arch)
      // The image's apt reads from the mirrors the make used (one entry per mirror, its suites in order).
      const apt: ImageAptSource[] = []
      for (const role of recipe.suites) {
        const m = mirrors[role]
        if (!m || !uriOf.has(m.suite)) continue
        const same = apt.find((a) => a.uri === m.uri)
        if (same) same.suites = [...same.suites, m.suite]
        else apt.push({ uri: m.uri, suites: [m.suite] })
      }
      const os = { versionId, codename: suite, apt }
      const key = layerKey({ recipe: recipeHash(recipe), arch, packages: packages.map((p) => p.sha256), os })
      // The engine has the very image these packages give (its id is the hash of a config naming the
      // layer's diff id and every package): nothing to verify or load, only the tag to set.
      const peeked = await layers.peek(recipe.id, key)
      const want = peeked && imageIdOf(this.spec(recipe, packages, peeked, suite, arch))
      const loaded = want && (await docker.getImage(want).inspect().then((i) => i.Id === want, () => false)) ? want : null
      plan.push({ recipe, packages, os, key, cached: loaded ? peeked : await layers.get(recipe.id, key, signal), loaded })
    }

    // 3. Download every .deb a layer still has to be made from, once (verified, cached).
    const needed = new Map<string, PackageEntry>()
    for (const p of plan) if (!p.cached) for (const e of p.packages) needed.set(e.sha256, e)
    const total = [...needed.values()].reduce((n, e) => n + e.size, 0)
    let got = 0
    let lastReport = 0
    const debFiles = new Map<string, string>()
    const queue = [...needed.values()]
    this.progress(jobId, first, 'downloading', 0, total, `Downloading ${needed.size} packages`)
    const worker = async (signal: AbortSignal) => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const f = await mirror.deb(uriOf.get(e.suite)!, e, signal, (n) => {
          got += n
          const now = Date.now()
          if (now - lastReport > 200 || got === total) {
            lastReport = now
            this.progress(jobId, first, 'downloading', got, total, `Downloading ${needed.size} packages`)
          }
        })
        debFiles.set(e.sha256, f)
      }
    }
    // The first failure stops the other downloads, and the job ends only once they have all
    // stopped (and removed their partial files).
    const stop = new AbortController()
    const both = AbortSignal.any([signal, stop.signal])
    const results = await Promise.allSettled(
      Array.from({ length: DOWNLOADS_AT_ONCE }, () =>
        worker(both).catch((e: unknown) => {
          stop.abort(e)
          throw e
        }),
      ),
    )
    signal.throwIfAborted()
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failure) throw failure.reason

    // 4. One image per recipe.
    const made: MadeResult[] = []
    for (const { recipe, packages, os, key, cached, loaded } of plan) {
      const t0 = performance.now()
      const tmpDir = join(this.deps.dataDir, 'tmp')
      await mkdir(tmpDir, { recursive: true, mode: 0o700 })
      const layerFile = join(tmpDir, `layer-${recipe.id}-${randomBytes(6).toString('hex')}.tar`)
      try {
        let layer = cached
        if (layer) {
          this.progress(jobId, recipe.id, 'unpacking', packages.length, packages.length, `Unpacked earlier: the same ${packages.length} packages`)
        } else {
          const fresh = await this.assemble(jobId, recipe, packages, debFiles, layerFile, signal, os, mirror)
          signal.throwIfAborted()
          layer = { ...fresh, file: await layers.put(recipe.id, key, layerFile, fresh) }
        }
        signal.throwIfAborted()
        const image = `${recipe.repository}:${suite}`
        const list = packages.map((p) => ({ name: p.name, version: p.version }))
        const spec = this.spec(recipe, packages, layer, suite, arch)
        // The same packages made the same image before (the id is the hash of the config): only tag it.
        const want = imageIdOf(spec)
        const inEngine = loaded ?? (await docker.getImage(want).inspect().then((i) => (i.Id === want ? want : null), () => null))
        this.progress(jobId, recipe.id, 'loading', 0, 1, inEngine ? `The engine has this image already: tagging it ${image}` : `Loading ${image} into the engine`)
        const previous = await docker.getImage(image).inspect().then((i) => i.Id, () => null)
        let imageId: string
        try {
          if (inEngine) {
            const [repo, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)]
            if (previous !== inEngine) await docker.getImage(inEngine).tag({ repo, tag })
            imageId = inEngine
          } else {
            imageId = await loadImage(docker, spec, signal)
          }
          signal.throwIfAborted()
        } catch (e) {
          // Cancelled while the engine may have finished loading: put the tag back as it was.
          if (signal.aborted) await this.restoreTag(docker, image, previous, want)
          throw e
        }
        const info = await docker.getImage(imageId).inspect()
        made.push({ id: recipe.id, image, imageId, sizeBytes: info.Size, packages: list, seconds: (performance.now() - t0) / 1000 })
        this.progress(jobId, recipe.id, 'loading', 1, 1, `Made ${image}`)
      } finally {
        await rm(layerFile, { force: true })
      }
    }
    return made
  }

  /** The image a recipe's layer gives: its config (fixed creation time, the labels naming every package). */
  private spec(recipe: BaseRecipe, packages: readonly PackageEntry[], layer: CachedLayer, suite: string, arch: string): ImageSpec {
    const list = packages.map((p) => ({ name: p.name, version: p.version }))
    return {
      tag: `${recipe.repository}:${suite}`,
      arch,
      diffId: layer.diffId,
      layerFile: layer.file,
      layerSize: layer.size,
      env: recipe.config.env,
      ...(recipe.config.user ? { user: recipe.config.user } : {}),
      ...(recipe.config.workingDir ? { workingDir: recipe.config.workingDir } : {}),
      ...(recipe.config.cmd ? { cmd: recipe.config.cmd } : {}),
      labels: baseLabels(recipe, suite, list, recipeHash(recipe)),
      createdBy: `slipway bases make ${recipe.id} (${suite}, ${list.length} packages)`,
    }
  }

  /** After a cancel: `image` names `previous` again (or nothing), never the half-made `made`. */
  private async restoreTag(docker: Dockerode, image: string, previous: string | null, made: string): Promise<void> {
    const now = await docker.getImage(image).inspect().then((i) => i.Id, () => null)
    if (now !== made || now === previous) return
    const [repo, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)]
    if (previous) await docker.getImage(previous).tag({ repo, tag }).catch(() => undefined)
    else await docker.getImage(image).remove({ force: true }).catch(() => undefined)
  }

  /**
   * Reads the verified Packages indexes of the suites `roles` name (a missing -updates, -security or
   * -backports suite is a notice; a missing release suite an error). `report`: progress per suite.
   */
  private async readIndexes(
    mirror: Mirror,
    mirrors: SuiteMirrors,
    roles: readonly SuiteRole[],
    arch: string,
    signal: AbortSignal,
    notices: string[],
    report?: (step: number, message: string) => void,
  ): Promise<{ sources: CompactPackages[]; uriOf: Map<string, string>; indexes: Map<SuiteRole, string> }> {
    const rankOf = (role: SuiteRole) => (role === 'backports' ? 1 : 0)
    const uriOf = new Map<string, string>()
    const sources: CompactPackages[] = []
    const indexes = new Map<SuiteRole, string>()
    let step = 0
    for (const role of roles) {
      const m = mirrors[role]
      if (!m) continue
      report?.(step++, `Reading ${m.suite} from ${m.uri}`)
      let rel: FetchedRelease
      try {
        rel = await mirror.release(m, signal)
      } catch (e) {
        // A mirror without -updates or -backports is fine; without the release suite it is not.
        if (role !== 'release' && (e as { status?: number }).status === 404) {
          notices.push(`${m.uri} has no ${m.suite}: its packages were not considered.`)
          continue
        }
        throw e
      }
      if (!rel.signer) notices.push(`${m.suite}: no keyring to check the InRelease signature with; the SHA256 chain from it was checked.`)
      report?.(step, rel.signer ? `${m.suite}: InRelease signed by ${rel.signer}` : `${m.suite}: InRelease signature not checked (no keyring)`)
      uriOf.set(m.suite, m.uri)
      const list = await mirror.packages(rel, 'main', arch, rankOf(role), signal)
      if (!list && role === 'release') throw new SlipwayError('BaseMakeFailed', `The mirror has no main/binary-${arch} index for ${m.suite}.`, 'The engine runs a different architecture than the mirror carries.')
      if (list) {
        sources.push(list)
        indexes.set(role, list.index)
      }
    }
    return { sources, uriOf, indexes }
  }

  private sizesFile(): string {
    return join(this.deps.dataDir, 'cache', 'debian', 'sizes.json')
  }

  /** The key of a recipe's sizes: they hold for this recipe, architecture, suite and mirror. */
  private sizesKey(r: BaseRecipe, arch: string, suite: string, mirrors: SuiteMirrors): string {
    return [recipeHash(r), arch, suite, mirrors.release.uri].join(' ')
  }

  /** Sizes kept in the data folder, by sizesKey. */
  private async readSizes(): Promise<Record<string, KeptSize>> {
    try {
      const data = JSON.parse(await readFile(this.sizesFile(), 'utf8')) as unknown
      return typeof data === 'object' && data !== null ? (data as Record<string, KeptSize>) : {}
    } catch {
      return {}
    }
  }

  /**
   * Works out, from the index just read, what each base whose suites it covers would download and
   * take (the resolved packages' Size and Installed-Size), and keeps it in the data folder beside
   * the indexes: an offer then says "≈ N MB" without reading the mirror.
   */
  private async keepSizes(index: PackageIndex, indexes: ReadonlyMap<SuiteRole, string>, arch: string, suite: string, mirrors: SuiteMirrors, read: ReadonlySet<SuiteRole>): Promise<Record<string, KeptSize>> {
    const sizes = await this.readSizes()
    let changed = false
    for (const r of BASE_RECIPES) {
      if (!r.suites.every((role) => read.has(role))) continue
      const key = this.sizesKey(r, arch, suite, mirrors)
      // The indexes of the recipe's own suites.
      const from = r.suites.map((role) => indexes.get(role) ?? '-').join(' ')
      // Worked out from these very indexes before: nothing to resolve again.
      if (sizes[key]?.from === from) continue
      try {
        sizes[key] = { ...packageSetSize(this.packagesOf(r, index, arch)), from }
        changed = true
      } catch {
        // A base this mirror cannot make: its offer says no size, and the make says why.
      }
    }
    if (!changed) return sizes
    const file = this.sizesFile()
    const tmp = `${file}.${randomBytes(4).toString('hex')}.part`
    try {
      await mkdir(join(this.deps.dataDir, 'cache', 'debian'), { recursive: true, mode: 0o700 })
      await writeFile(tmp, JSON.stringify(sizes), { mode: 0o600 })
      await rename(tmp, file)
    } catch {
      await rm(tmp, { force: true })
    }
    return sizes
  }

  /**
   * What making `r` would take, from the mirror's index: kept from the last make or offer, else read
   * now (the indexes, verified; at most SIZE_WAIT_MS) and kept. Null when the mirror cannot say.
   */
  private async sizeOf(r: BaseRecipe, suite: string, mirrors: SuiteMirrors): Promise<PackageSetSize | null> {
    const arch = debianArch((await this.deps.engine.client().version()).Arch)
    const key = this.sizesKey(r, arch, suite, mirrors)
    const kept = (await this.readSizes())[key]
    if (kept && typeof kept.downloadBytes === 'number' && typeof kept.imageBytes === 'number') return kept
    try {
      const mirror = new Mirror({ cacheDir: join(this.deps.dataDir, 'cache', 'debian'), ...(this.deps.keyrings ? { keyrings: this.deps.keyrings } : {}), ...(this.deps.mirrorIdleMs ? { idleMs: this.deps.mirrorIdleMs } : {}) })
      const signal = AbortSignal.timeout(SIZE_WAIT_MS)
      const { sources, indexes } = await this.readIndexes(mirror, mirrors, r.suites, arch, signal, [])
      return (await this.keepSizes(indexCompact(sources), indexes, arch, suite, mirrors, new Set(r.suites)))[key] ?? null
    } catch {
      return null
    }
  }

  /** The packages a recipe installs, by name. */
  private packagesOf(r: BaseRecipe, index: PackageIndex, arch: string): PackageEntry[] {
    const roots = [...r.packages]
    if (r.required) {
      roots.push(...index.required)
    }
    try {
      if (r.resolve) return resolve(index, roots, { arch, ...(r.skip ? { skip: new Set(r.skip) } : {}) })
      return direct(index, roots, arch)
    } catch (e) {
      if (e instanceof Unresolvable) {
        throw new SlipwayError('BaseUnresolvable', `Cannot make ${r.label}: ${e.message}.`, 'The mirror or suite in use does not carry every package this base needs (a backports suite for Go, for example). Check the mirror in the apt sources or Settings → Bases.')
      }
      throw e
    }
  }

  /** Unpacks the packages into a layer and adds the generated files. */
  private async assemble(
    jobId: string,
    r: BaseRecipe,
    packages: PackageEntry[],
    debFiles: Map<string, string>,
    layerFile: string,
    signal: AbortSignal,
    os: LayerOs,
    mirror: Mirror,
  ): Promise<{ diffId: string; size: number }> {
    const layer = new LayerWriter(layerFile, signal)
    const captured: Captured = { certs: [], busybox: null, masters: {}, shipped: {} }
    const owned = new Map<string, string[]>()
    try {
      if (r.usrMerge) {
        for (const d of ['usr', 'usr/bin', 'usr/lib', 'usr/lib64', 'usr/sbin']) await layer.add({ path: d, type: 'directory', mode: 0o755 })
        for (const [link, target] of USR_MERGE_LINKS) await layer.add({ path: link, type: 'symlink', mode: 0o777, linkname: target })
      }
      let i = 0
      for (const p of packages) {
        signal.throwIfAborted()
        this.progress(jobId, r.id, 'unpacking', i++, packages.length, `Unpacking ${p.name} ${p.version}`)
        const files: string[] = []
        owned.set(p.name, files)
        const extract = tarExtract()
        const source = await dataTar(debFiles.get(p.sha256)!)
        source.on('error', (e) => extract.destroy(e))
        source.pipe(extract)
        // Always ended, even on a cancel or a failure mid-package: xz-decompress decodes one stream
        // per process at a time, so an abandoned stream would stall every later one.
        try {
          await unpackInto(r, extract, layer, files, captured)
        } finally {
          source.destroy()
          extract.destroy()
        }
      }
      const stanzas = r.generate.includes('dpkg-status') ? await mirror.stanzas(packages, signal) : new Map<PackageEntry, string>()
      for (const g of this.generated(r, packages, { ...captured, owned, os, layer, stanzas })) await layer.addGenerated(g)
      return await layer.done()
    } catch (e) {
      layer.abort(e as Error)
      throw e
    }
  }

  private generated(
    r: BaseRecipe,
    packages: PackageEntry[],
    c: Captured & { owned: Map<string, string[]>; os: LayerOs; layer: LayerWriter; stanzas: Map<PackageEntry, string> },
  ): GeneratedFile[] {
    const out: GeneratedFile[] = []
    for (const g of r.generate) {
      switch (g) {
        case 'ca-bundle':
          if (!c.certs.length) throw new SlipwayError('BaseMakeFailed', 'The ca-certificates package had no certificates.')
          out.push(file('etc/ssl/certs/ca-certificates.crt', caBundle(c.certs)))
          break
        case 'passwd-nonroot':
          out.push(...distrolessAccounts())
          break
        case 'passwd-busybox':
          break
        case 'busybox-links':
          if (!c.busybox) throw new SlipwayError('BaseMakeFailed', 'The busybox-static package had no /bin/busybox.')
          out.push(...busyboxRoot(busyboxApplets(c.busybox)))
          break
        case 'passwd-debian':
          for (const [from, to] of [
            ['usr/share/base-passwd/passwd.master', 'etc/passwd'],
            ['usr/share/base-passwd/group.master', 'etc/group'],
          ] as const) {
            const text = c.masters[from]
            if (!text) throw new SlipwayError('BaseMakeFailed', `The base-passwd package had no /${from}.`)
            out.push(file(to, text))
          }
          out.push({ path: 'tmp', type: 'dir', mode: 0o1777 })
          break
        case 'shadow': {
          const passwd = c.masters['usr/share/base-passwd/passwd.master']
          const group = c.masters['usr/share/base-passwd/group.master']
          if (!passwd || !group) throw new SlipwayError('BaseMakeFailed', 'The base-passwd package had no passwd.master or group.master.')
          out.push(...shadowFiles(passwd, group))
          break
        }
        case 'pam': {
          const under = (dir: string) => Object.fromEntries(Object.entries(c.shipped).filter(([p]) => p.startsWith(dir)).map(([p, t]) => [p.slice(dir.length), t]))
          const templates = under('usr/share/pam/')
          if (!Object.keys(templates).length) throw new SlipwayError('BaseMakeFailed', 'The libpam-runtime package had no /usr/share/pam templates.')
          out.push(...pamCommon(templates, under('usr/share/pam-configs/')))
          break
        }
        case 'base-files':
          out.push(...baseFilesRoot(c.shipped))
          // tzdata's postinst: the local time is UTC.
          if (c.layer.has('usr/share/zoneinfo/Etc/UTC')) {
            out.push({ path: 'etc/localtime', type: 'symlink', mode: 0o777, target: '/usr/share/zoneinfo/Etc/UTC' }, file('etc/timezone', 'Etc/UTC\n'))
          }
          break
        case 'apt-sources':
          out.push(...aptSources(c.os.apt, c.layer.has(ARCHIVE_KEYRING)))
          break
        case 'sh-link':
          // What dash's and the alternatives' maintainer scripts would link.
          for (const [link, target] of [
            ['usr/bin/sh', 'dash'],
            ['usr/bin/awk', 'mawk'],
            ['usr/bin/which', 'which.debianutils'],
          ] as const) {
            if (c.layer.has(`usr/bin/${target}`)) out.push({ path: link, type: 'symlink', mode: 0o777, target })
          }
          break
        case 'os-release-distroless':
          out.push(osRelease('distroless', c.os.versionId, c.os.codename))
          break
        case 'os-release-busybox':
          out.push(osRelease('busybox', c.os.versionId, c.os.codename))
          break
        case 'go-path':
          for (const d of ['go', 'go/src', 'go/bin', 'src']) out.push({ path: d, type: 'dir', mode: d === 'src' ? 0o755 : 0o1777 })
          break
        case 'dpkg-status':
          out.push(file('var/lib/dpkg/status', dpkgStatus(packages, c.stanzas)))
          for (const p of packages) {
            const multi = (p.stanza.get('multi-arch') ?? '') === 'same'
            const files = c.owned.get(p.name) ?? []
            out.push(file(`var/lib/dpkg/info/${p.name}${multi ? `:${p.architecture}` : ''}.list`, ['/.', ...files].join('\n') + '\n'))
          }
          break
      }
    }
    return out
  }
}

/** A base's sizes as kept in the data folder, with the indexes (their SHA256s) they were worked out from. */
interface KeptSize extends PackageSetSize {
  from?: string
}

/** What a layer's generated files say of the system: os-release's version and codename, the apt sources. */
interface LayerOs {
  versionId: string
  codename: string
  apt: ImageAptSource[]
}

/** Package files a generated one is made from. */
interface Captured {
  certs: { path: string; text: string }[]
  busybox: Buffer | null
  masters: Record<string, string>
  /** Files maintainer scripts copy or read (SHIPPED), by path: PAM templates and profiles, base-files' /etc copies, shells. */
  shipped: Record<string, string>
}

/** Package files a maintainer-script output is made from (see shared/debian/maintainer.ts). */
const SHIPPED = /^usr\/share\/(pam\/common-[a-z-]+|pam-configs\/[^/]+|base-files\/[^/]+|debianutils\/shells(\.d\/[^/]+)?|libc-bin\/nsswitch\.conf)$/

/** Adds one package's data.tar entries that the recipe keeps to the layer (paths recorded in `files`). */
async function unpackInto(r: BaseRecipe, extract: Extract, layer: LayerWriter, files: string[], captured: Captured): Promise<void> {
  for await (const entry of extract) {
    const h = entry.header
    const path = memberPath(h.name)
    const isDir = h.type === 'directory'
    const want = path !== null && keeps(r, path, isDir) && ['file', 'directory', 'symlink', 'link'].includes(h.type)
    // Files a generated one is made from are read whole (they are small), then kept or not.
    let content: Buffer | undefined
    if (path && h.type === 'file') {
      if (path.startsWith('usr/share/ca-certificates/') && path.endsWith('.crt')) {
        content = await readAll(entry)
        captured.certs.push({ path, text: content.toString('utf8') })
      } else if (path === 'usr/share/base-passwd/passwd.master' || path === 'usr/share/base-passwd/group.master') {
        content = await readAll(entry)
        captured.masters[path] = content.toString('utf8')
      } else if (SHIPPED.test(path)) {
        content = await readAll(entry)
        captured.shipped[path] = content.toString('utf8')
      } else if (path === 'bin/busybox') {
        captured.busybox = content = await readAll(entry)
      }
    }
    if (!want || !path) {
      if (!content) await drain(entry)
      continue
    }
    const target = r.usrMerge ? mergedUsrPath(path) : path
    files.push(`/${path}`)
    const base = { path: target, mode: h.mode, uid: h.uid, gid: h.gid }
    if (h.type === 'file') {
      if (content) await layer.add({ ...base, type: 'file' }, content)
      else if (layer.has(target)) await drain(entry)
      else await layer.add({ ...base, type: 'file', size: h.size }, entry)
      continue
    }
    if (h.type === 'link') {
      const to = memberPath(h.linkname)
      const mapped = to && (r.usrMerge ? mergedUsrPath(to) : to)
      if (mapped && layer.has(mapped)) await layer.add({ ...base, type: 'link', linkname: mapped })
    } else {
      await layer.add({ ...base, type: h.type as 'directory' | 'symlink', ...(h.type === 'symlink' ? { linkname: h.linkname } : {}) })
    }
    await drain(entry)
  }
}

/** The packages asked for, without dependencies: the best candidate of each name. */
function direct(index: PackageIndex, names: readonly string[], arch: string): PackageEntry[] {
  return names
    .map((n) => {
      const e = index.byName.get(n)?.find((x) => x.architecture === arch || x.architecture === 'all')
      if (!e) throw new Unresolvable(n, [])
      return e
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** /var/lib/dpkg/status as dpkg would have it after installing these packages. */
function dpkgStatus(packages: PackageEntry[], stanzas: Map<PackageEntry, string>): string {
  const drop = /^(Filename|Size|MD5sum|SHA256|SHA1|Description-md5|Tag):/i
  return packages
    .map((p) => {
      const lines: string[] = []
      let skipping = false
      const raw = stanzas.get(p)
      if (raw === undefined) throw new SlipwayError('BaseMakeFailed', `The index entry of ${p.name} could not be read again for the dpkg status.`)
      for (const line of raw.split('\n')) {
        if (/^\s/.test(line)) {
          if (!skipping) lines.push(line)
          continue
        }
        skipping = drop.test(line)
        if (!skipping) lines.push(line)
        if (/^Package:/i.test(line)) lines.push('Status: install ok installed')
      }
      return lines.join('\n')
    })
    .join('\n\n')
    .concat('\n')
}

async function drain(s: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of s) void _
}

async function readAll(s: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}
