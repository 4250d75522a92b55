import type { EngineInfo, EngineState } from '../../shared/types/engine'
import { formatBytes } from '../../shared/format'
import { Engine } from '../services/engine/engine'

export interface Output {
  out: (text: string) => void
  err: (text: string) => void
}

/** `slipway engine [--json]`: prints the engine status; exit code 0 when connected, 1 otherwise. */
export async function engineCommand(opts: { json?: boolean }, io: Output): Promise<number> {
  const engine = Engine.fromEnvironment(() => undefined)
  const state = await engine.start()
  engine.stop()
  if (opts.json) io.out(JSON.stringify(state, null, 2))
  else if (state.status === 'connected') io.out(describeEngine(state.info))
  else io.err(describeProblem(state))
  return state.status === 'connected' ? 0 : 1
}

/** The engine as a two-column table, like `docker info` but short. */
export function describeEngine(i: EngineInfo): string {
  const source = i.endpoint.source === 'default' ? 'default socket' : i.endpoint.context ? `context "${i.endpoint.context}"` : i.endpoint.source
  const rows: [string, string][] = [
    ['Docker Engine', `${i.version} (API ${i.apiVersion}, min ${i.minApiVersion})`],
    ['Endpoint', `${i.endpoint.host} (${source}${i.endpoint.tls ? ', TLS' : ''})`],
    ['Platform', `${i.os}/${i.arch} · ${i.operatingSystem} · kernel ${i.kernel}`],
    ['Storage driver', i.storageDriver],
    ['BuildKit', i.buildkit ? `available (daemon default: ${i.defaultBuilder})` : 'not available (classic builder only)'],
    ['Resources', `${i.cpus} CPUs · ${formatBytes(i.memoryBytes, { binary: true })} memory`],
    ['Images', String(i.images)],
    ['Containers', `${i.containers} (${i.containersRunning} running)`],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')
}

function describeProblem(s: EngineState): string {
  if (s.status !== 'unavailable') return 'Still connecting to Docker.'
  return [s.error.message, s.error.detail].filter(Boolean).join('\n')
}
