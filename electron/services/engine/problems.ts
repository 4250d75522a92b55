import { notRunningSteps, permissionSteps, type HostFacts } from '../../../shared/engine-fix'
import { EngineUnavailable, ErrorName, SlipwayError } from '../../../shared/errors'
import type { EngineEndpoint } from '../../../shared/types/engine'

/** Oldest Engine API Slipway supports: Docker 20.10 (BuildKit through the API, `platform` on create). */
export const MIN_API_VERSION = '1.41'

/** Compares dotted API versions numerically ("1.9" < "1.41"). */
export function apiAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number)
  const b = min.split('.').map(Number)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d > 0
  }
  return true
}

/**
 * Explains why the engine cannot be reached, with the fix a person would try next. The advice holds
 * in every front end: what only the app does ("reconnects by itself", a Retry button) is for the
 * app to add, not for this text (the CLI prints it as is and then exits).
 */
export function explainConnectionError(err: unknown, ep: EngineEndpoint, platform: NodeJS.Platform, facts: HostFacts = {}): EngineUnavailable {
  if (err instanceof EngineUnavailable) return err
  // The endpoint could not even be worked out (a context that does not exist, a bad DOCKER_HOST):
  // that message already says what is wrong; there was no host to "answer" anything.
  if (err instanceof SlipwayError && err.name === ErrorName.EngineConfigError) return new EngineUnavailable('misconfigured', err.message, err.detail)
  const code = (err as { code?: string } | null)?.code ?? ''
  const message = err instanceof Error ? err.message : String(err)
  const local = ep.host.startsWith('unix://') || ep.host.startsWith('npipe://')
  const where = ep.source === 'default' ? ep.host : `${ep.host} (from ${ep.source === 'context' || ep.source === 'DOCKER_CONTEXT' ? `context "${ep.context}"` : 'DOCKER_HOST'})`

  // The fix is one step a line (commands in backticks): the CLI prints them, the status bar lists them.
  if (code === 'EACCES' || code === 'EPERM')
    return new EngineUnavailable('permission-denied', `Permission denied on the Docker socket ${where}.`, permissionSteps(where, platform, facts).join('\n'))
  if (local && (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE'))
    return new EngineUnavailable('not-running', 'Docker is not running.', notRunningSteps(where, code === 'ENOENT', platform, ep.source, facts).join('\n'))
  if (['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED', 'ECONNRESET'].includes(code) || /timeout/i.test(message))
    return new EngineUnavailable(
      'unreachable',
      `The Docker host ${where} cannot be reached (${code || 'timeout'}).`,
      'Check the address, the network or VPN, and that the remote daemon listens there. `docker context ls` shows what the CLI uses.',
    )
  if (!ep.host) return new EngineUnavailable('unknown', `Slipway could not connect to Docker: ${message}`, 'Check `docker version` and `docker context ls` in a terminal.')
  return new EngineUnavailable('unknown', `Docker did not answer as expected on ${where}: ${message}`, 'Check `docker version` in a terminal.')
}

/** The engine answered but speaks an API older than Slipway needs. */
export function apiTooOld(apiVersion: string, engineVersion: string): EngineUnavailable {
  return new EngineUnavailable(
    'api-too-old',
    `Docker ${engineVersion} (API ${apiVersion}) is too old.`,
    `Slipway needs Engine API ${MIN_API_VERSION} (Docker 20.10) or newer. Update Docker Engine or Docker Desktop.`,
  )
}
