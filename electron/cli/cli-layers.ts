// The engine and the layer index for `slipway layers`, wired like createServices() wires them (same
// data folder, cache and stall timeout) without loading the other services: the command is run in
// scripts and CI, where its start time is most of its time.
import { defaultDataDir, layersCacheDir, prepareDataDir } from '../services/data-dir'
import { Engine } from '../services/engine/engine'
import { engineIdleMs } from '../services/engine/idle-timeout'
import { Layers } from '../services/layers/layers'

/** The engine and layers services on the shared data folder; no idle worker is started. */
export function cliLayers(env: Record<string, string | undefined> = process.env): { engine: Engine; layers: Layers } {
  const dataDir = defaultDataDir(env)
  prepareDataDir(dataDir)
  const engine = Engine.fromEnvironment(() => undefined, env)
  const layers = new Layers({
    docker: () => engine.client(),
    cacheDir: layersCacheDir(dataDir),
    emit: () => undefined,
    idleMs: engineIdleMs(env),
    prewarm: false,
  })
  return { engine, layers }
}
