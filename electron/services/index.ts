import { join } from 'node:path'
import type { Emit } from '../../shared/contract'
import { defaultDataDir, layersCacheDir, prepareDataDir } from './data-dir'
import { Bases } from './bases/bases'
import { Builds, recipeHash, type BuildsDeps } from './build/builds'
import { Comparisons } from './build/comparisons'
import { ColdStarts } from './build/cold-starts'
import { BuildHistory } from './build/history'
import { LayerMeasures } from './build/layer-measures'
import { Engine } from './engine/engine'
import { engineIdleMs } from './engine/idle-timeout'
import { GoProjects } from './go-project'
import { AnalysisMemo } from './go-project/analysis-memo'
import { Images, type RecipeHashOf } from './images'
import { Layers } from './layers/layers'
import { ProjectFiles } from './project-files'
import { Runs } from './run/runs'
import { SettingsStore } from './settings'
import { Stacks } from './stacks/stacks'
import { Workspace } from './workspace'
import type { ProjectAnalysis } from '../../shared/types/project'

/** Every service the app runs, built once per process and handed to a transport. */
export interface Services {
  engine: Engine
  projects: GoProjects
  settings: SettingsStore
  layers: Layers
  images: Images
  builds: Builds
  comparisons: Comparisons
  /** Writes Dockerfile and .dockerignore, only into project roots `projects` analysed. */
  files: ProjectFiles
  /** Opening a project: analysis plus the recent-projects list. */
  workspace: Workspace
  /** Containers Slipway starts from its images. */
  runs: Runs
  /** Dev stacks: the app with Postgres, through the compose tool. */
  stacks: Stacks
  /** Base images made from the machine's Debian mirror (no registry needed). */
  bases: Bases
}

export interface ServiceDeps {
  emit: Emit
  env?: Record<string, string | undefined>
  /** Settings and caches live here (default: the platform's app-data folder, see data-dir.ts). */
  dataDir?: string
  engine?: Engine
  projects?: GoProjects
  /** The layer-index worker script in a bundled build. */
  layersWorkerUrl?: URL
  /** Slipway's version, written into the labels of the images it builds. */
  appVersion?: string
  /**
   * Silence allowed on an engine stream (save, build, pull) before the job fails with EngineStalled;
   * default SLIPWAY_ENGINE_IDLE_TIMEOUT_MS from `env`, else 60 s (see engine/idle-timeout.ts).
   */
  engineIdleMs?: number
}

/** Wires the services together; pass `engine` or `dataDir` to point the app elsewhere (tests do). */
export function createServices(deps: ServiceDeps): Services {
  const dataDir = deps.dataDir ?? defaultDataDir(deps.env)
  // Private in every front end (desktop, browser mode, CLI); a problem here surfaces as a settings notice.
  prepareDataDir(dataDir)
  const engine = deps.engine ?? Engine.fromEnvironment(deps.emit, deps.env)
  const projects = deps.projects ?? new GoProjects()
  // Builds, comparisons and stacks ask for the same folder's analysis several times in one action
  // (a preflight, then the build): answered once while the folder is unchanged (analysis-memo.ts).
  const analyses = new AnalysisMemo(projects)
  const idleMs = deps.engineIdleMs ?? engineIdleMs(deps.env ?? process.env)
  const settings = new SettingsStore(join(dataDir, 'settings.json'))
  const history = new BuildHistory(join(dataDir, 'history'))
  const bases = new Bases({ engine, emit: deps.emit, dataDir, settings: async () => (await settings.load()).settings })
  const buildsDeps: BuildsDeps = {
    engine,
    projects: analyses,
    settings: async () => (await settings.load()).settings,
    history,
    emit: deps.emit,
    appVersion: deps.appVersion ?? 'dev',
    idleMs,
    bases,
    cacheDir: join(dataDir, 'cache'),
  }
  const builds = new Builds(buildsDeps)
  // The recipe a build would write now, for telling stale images: one analysis per project and
  // listing, by an analyser of its own, so a label naming a folder never makes it an opened project.
  const recipes = (): RecipeHashOf => {
    const analyser = new GoProjects()
    const analyses = new Map<string, Promise<ProjectAnalysis>>()
    const analyze = (dir: string, opts: { main?: string } = {}) => {
      const key = `${dir}\0${opts.main ?? ''}`
      let a = analyses.get(key)
      if (!a) analyses.set(key, (a = analyser.analyze(dir, opts)))
      return a
    }
    const prepare = new Builds({ ...buildsDeps, projects: { analyze } })
    return async (dir, base, main) => recipeHash((await prepare.prepare(dir, { base, main })).recipe.dockerfile)
  }
  const layers = new Layers({
    docker: () => engine.client(),
    cacheDir: layersCacheDir(dataDir),
    emit: deps.emit,
    idleMs,
    ...(deps.layersWorkerUrl ? { workerUrl: deps.layersWorkerUrl } : {}),
  })
  const stacks = new Stacks({
    engine,
    dataDir,
    emit: deps.emit,
    projects: analyses,
    builds,
    settings: async () => (await settings.load()).settings,
    ...(deps.env ? { env: deps.env } : {}),
  })
  return {
    engine,
    stacks,
    bases,
    projects,
    settings,
    files: new ProjectFiles((dir) => projects.isAnalysedRoot(dir)),
    workspace: new Workspace(projects, settings),
    builds,
    comparisons: new Comparisons({
      builds,
      engine,
      history,
      emit: deps.emit,
      idleMs,
      layerMeasures: new LayerMeasures(join(dataDir, 'cache', 'layer-measures')),
      coldStarts: new ColdStarts(join(dataDir, 'cache', 'cold-starts.json')),
    }),
    runs: new Runs({ engine, emit: deps.emit, projects }),
    layers,
    images: new Images({ docker: () => engine.client(), prewarm: () => layers.prewarm(), recipes }),
  }
}
