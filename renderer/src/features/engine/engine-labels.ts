import type { EngineEndpoint, EngineInfo } from '../../../../shared/types/engine'

/** The one-line description the status bar shows: Docker 20.10.24 · API 1.41 · linux/amd64 · overlay2 · BuildKit. */
export function engineSummary(info: EngineInfo): string[] {
  return [`API ${info.apiVersion}`, `${info.os}/${info.arch}`, info.storageDriver, builderLabel(info)].filter(Boolean)
}

/** Which builder a build will use: BuildKit when the API offers it, else the classic builder. */
export function builderLabel(info: EngineInfo): string {
  return info.buildkit ? 'BuildKit' : 'Classic builder'
}

/** Where the endpoint came from, as a person would say it. */
export function endpointSource(ep: EngineEndpoint): string {
  switch (ep.source) {
    case 'DOCKER_HOST':
      return 'DOCKER_HOST variable'
    case 'DOCKER_CONTEXT':
      return `DOCKER_CONTEXT “${ep.context ?? ''}”`
    case 'context':
      return `Docker context “${ep.context ?? ''}”`
    default:
      return 'Default socket'
  }
}

/** A message for a one-line bar: no trailing full stop. */
export function shortMessage(message: string): string {
  return message.replace(/\.\s*$/, '')
}
