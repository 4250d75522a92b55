import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import type { EngineEndpoint } from '../../../shared/types/engine'
import { SlipwayError } from '../../../shared/errors'

export interface EndpointEnv {
  env: Record<string, string | undefined>
  homeDir: string
  platform: NodeJS.Platform
  /** Defaults to the real file system; tests pass a temp dir through `homeDir` instead of faking this. */
  exists?: (path: string) => boolean
}

export interface ResolvedEndpoint extends EngineEndpoint {
  /** Folder with ca.pem/cert.pem/key.pem, when TLS is on. */
  certDir?: string
  skipTlsVerify?: boolean
}

const DEFAULT_UNIX = 'unix:///var/run/docker.sock'
const DEFAULT_NPIPE = 'npipe:////./pipe/docker_engine'

/**
 * Finds the engine the way the docker CLI does: DOCKER_HOST, else DOCKER_CONTEXT or the config's
 * `currentContext` (→ `contexts/meta/<sha256(name)>/meta.json`), else the platform default socket.
 */
export function resolveEndpoint(e: EndpointEnv): ResolvedEndpoint {
  const exists = e.exists ?? existsSync
  const configDir = e.env.DOCKER_CONFIG || join(e.homeDir, '.docker')
  const host = e.env.DOCKER_HOST?.trim()
  if (host) {
    const tls = Boolean(e.env.DOCKER_TLS_VERIFY) || host.startsWith('https://')
    return {
      host,
      source: 'DOCKER_HOST',
      tls,
      ...(tls ? { certDir: e.env.DOCKER_CERT_PATH || configDir } : {}),
    }
  }

  const fromEnv = e.env.DOCKER_CONTEXT?.trim()
  const context = fromEnv || readCurrentContext(configDir)
  if (context && context !== 'default') {
    const hash = createHash('sha256').update(context).digest('hex')
    const metaPath = join(configDir, 'contexts', 'meta', hash, 'meta.json')
    const meta = readJson(metaPath) as { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } } | undefined
    const docker = meta?.Endpoints?.docker
    if (!docker?.Host)
      throw new SlipwayError(
        'EngineConfigError',
        `Docker context "${context}" was not found.`,
        `Slipway looked for ${metaPath}. Run \`docker context ls\` and \`docker context use default\`, or fix ${fromEnv ? 'DOCKER_CONTEXT' : `currentContext in ${join(configDir, 'config.json')}`}.`,
      )
    const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker')
    const tls = exists(join(tlsDir, 'ca.pem')) || exists(join(tlsDir, 'cert.pem'))
    return {
      host: docker.Host,
      source: fromEnv ? 'DOCKER_CONTEXT' : 'context',
      context,
      tls,
      ...(tls ? { certDir: tlsDir } : {}),
      ...(docker.SkipTLSVerify ? { skipTlsVerify: true } : {}),
    }
  }

  if (e.platform === 'win32') return { host: DEFAULT_NPIPE, source: 'default', tls: false }
  // Docker Desktop on macOS may not create the /var/run symlink; its own socket is the next best guess.
  const desktop = join(e.homeDir, '.docker', 'run', 'docker.sock')
  if (e.platform === 'darwin' && !exists('/var/run/docker.sock') && exists(desktop))
    return { host: `unix://${desktop}`, source: 'default', tls: false }
  return { host: DEFAULT_UNIX, source: 'default', tls: false }
}

/** Translates an endpoint into dockerode's connection options. */
export function dockerodeOptions(ep: ResolvedEndpoint): Dockerode.DockerOptions {
  const url = ep.host
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) }
  if (url.startsWith('npipe://')) return { socketPath: url.slice('npipe://'.length).replace(/\//g, '\\') }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new SlipwayError('EngineConfigError', `"${url}" is not a Docker host address.`, 'Use unix:///path, tcp://host:port or ssh://user@host.')
  }
  if (parsed.protocol === 'ssh:')
    return { protocol: 'ssh', host: parsed.hostname, port: Number(parsed.port || 22), username: decodeURIComponent(parsed.username) || undefined }
  if (parsed.protocol === 'tcp:' || parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    const port = Number(parsed.port || (ep.tls ? 2376 : 2375))
    if (!ep.tls) return { protocol: 'http', host: parsed.hostname, port }
    const pem = (f: string) => (ep.certDir && existsSync(join(ep.certDir, f)) ? readFileSync(join(ep.certDir, f)) : undefined)
    return { protocol: 'https', host: parsed.hostname, port, ca: pem('ca.pem'), cert: pem('cert.pem'), key: pem('key.pem') }
  }
  throw new SlipwayError('EngineConfigError', `Unsupported Docker host scheme "${parsed.protocol}".`, 'Use unix://, tcp://, ssh:// or npipe://.')
}

function readCurrentContext(configDir: string): string | undefined {
  const config = readJson(join(configDir, 'config.json')) as { currentContext?: string } | undefined
  return config?.currentContext || undefined
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}
