// A compose file the project already has, read as untrusted input: Slipway lists its services and
// says, before anything starts, what running it would do to this computer beyond a dev stack —
// bind mounts of folders outside the project (the home folder, /), the Docker socket (control of
// the engine, so of the machine), privileged containers, added capabilities and devices, the
// host's network, processes or IPC — and never rewrites it. Pure: the text in, a summary out.
import { parseDocument } from 'yaml'
import { displayText, hasControlChars, showText } from '../dockerfile/safe-text'
import type { ProjectComposeService } from './types'

/** The names compose looks for in a folder, in its order of preference. */
export const PROJECT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const

/** What Slipway read from a project's compose file. */
export interface ProjectComposeSummary {
  services: ProjectComposeService[]
  warnings: string[]
  /** Why it cannot be run as it is; null when it can. */
  problem: string | null
}

const MAX_SERVICES = 100
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

/** Whether the posix path `p` (normalised, absolute) is `root` or inside it. */
function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`)
}

/** `p` resolved against `base` with `.` and `..` folded (posix; no file system involved). */
function resolvePosix(base: string, p: string): string {
  const parts: string[] = []
  for (const seg of (p.startsWith('/') ? p : `${base}/${p}`).split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  return `/${parts.join('/')}`
}

/**
 * Reads `text` (the project's compose file) for a project folder `dir` (absolute, posix). Never
 * throws: a file that is not a compose file Slipway can run gets a `problem`.
 */
export function readProjectCompose(text: string, dir: string): ProjectComposeSummary {
  const none = (problem: string): ProjectComposeSummary => ({ services: [], warnings: [], problem })
  // merge: compose honours `<<: *anchor`, so a privileged flag can hide in an x- block.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, merge: true })
  if (doc.errors.length) return none(`It is not valid YAML: ${showText(doc.errors[0]?.message ?? '', 200)}`)
  let data: unknown
  try {
    // A few aliases are normal (x- anchors); thousands are a "billion laughs" document.
    data = doc.toJS({ maxAliasCount: 1000 })
  } catch (e) {
    return none(`It cannot be read: ${showText((e as Error).message, 200)}`)
  }
  if (!isObj(data)) return none('It is not a compose file (no mapping at the top).')
  if (!isObj(data.services) || Object.keys(data.services).length === 0) return none('It has no services.')
  const entries = Object.entries(data.services)
  if (entries.length > MAX_SERVICES) return none(`It has ${entries.length} services; Slipway runs at most ${MAX_SERVICES}.`)

  const warnings: string[] = []
  const services: ProjectComposeService[] = []
  const root = resolvePosix('/', dir)
  const topVolumes = isObj(data.volumes) ? data.volumes : {}

  /** A bind mount's host path: said when it is the Docker socket, outside the project, or hidden behind a variable. */
  const checkBind = (svc: string, source: string) => {
    const shown = showText(source, 160)
    if (source.includes('docker.sock')) {
      warnings.push(`${svc} mounts the Docker socket (${shown}): it can control the engine, so this whole computer.`)
      return
    }
    if (/\$/.test(source) || source.startsWith('~')) {
      warnings.push(`${svc} mounts ${shown} from this computer, a path that depends on a variable or the home folder: check where it points.`)
      return
    }
    const abs = resolvePosix(root, source)
    if (!within(root, abs)) warnings.push(`${svc} mounts ${abs === '/' ? 'the whole file system (/)' : showText(abs, 160)} from this computer, outside the project folder.`)
  }

  for (const [name, raw] of entries) {
    if (!SERVICE_NAME.test(name) || hasControlChars(name)) return none(`It has a service named ${showText(name, 80)}, which is not a plain compose service name.`)
    const s = isObj(raw) ? raw : {}
    const image = str(s.image)
    const buildContext = typeof s.build === 'string' ? s.build : isObj(s.build) ? (str(s.build.context) ?? '.') : null
    const ports = Array.isArray(s.ports)
      ? s.ports.map((p) => (isObj(p) ? `${str(p.host_ip) ? `${str(p.host_ip)}:` : ''}${str(p.published) ?? ''}:${str(p.target) ?? ''}` : (str(p) ?? ''))).filter(Boolean)
      : []
    services.push({ name, image: image === null ? null : displayText(image), build: buildContext === null ? null : displayText(buildContext), ports: ports.map((p) => displayText(p, 80)) })
    if (image === null && buildContext === null) warnings.push(`${name} names neither an image nor a build.`)

    if (s.privileged === true || s.privileged === 'true') warnings.push(`${name} runs privileged: it has every capability and every device of this computer.`)
    for (const key of ['network_mode', 'pid', 'ipc', 'userns_mode', 'uts', 'cgroup'] as const)
      if (str(s[key]) === 'host') warnings.push(`${name} uses the host's ${key === 'network_mode' ? 'network' : key === 'pid' ? 'processes (pid)' : key} namespace.`)
    if (Array.isArray(s.cap_add) && s.cap_add.length) warnings.push(`${name} adds capabilities: ${s.cap_add.map((c) => showText(String(c), 40)).join(', ')}.`)
    if (Array.isArray(s.devices) && s.devices.length) warnings.push(`${name} gets devices of this computer: ${s.devices.map((d) => showText(isObj(d) ? String(d.source ?? '') : String(d), 80)).join(', ')}.`)
    if (Array.isArray(s.security_opt) && s.security_opt.some((o) => /unconfined|no-new-privileges[:=]false/i.test(String(o))))
      warnings.push(`${name} turns off a security profile (security_opt).`)
    if (buildContext !== null && !/^[a-z]+:\/\//i.test(buildContext) && !buildContext.startsWith('git@') && !within(root, resolvePosix(root, buildContext)))
      warnings.push(`${name} is built from ${showText(buildContext, 160)}, outside the project folder.`)
    for (const f of Array.isArray(s.env_file) ? s.env_file : s.env_file === undefined ? [] : [s.env_file]) {
      const path = isObj(f) ? str(f.path) : str(f)
      if (path && !within(root, resolvePosix(root, path))) warnings.push(`${name} reads variables from ${showText(path, 160)}, outside the project folder.`)
    }
    for (const p of ports) {
      // "8080:80" and "0.0.0.0:8080:80" publish on every interface: reachable from the network.
      const parts = p.split(':')
      if (parts.length === 2 || (parts.length >= 3 && (parts[0] === '0.0.0.0' || parts[0] === '' || parts[0] === '::')))
        warnings.push(`${name} publishes ${showText(p, 60)} on every network interface: other computers can reach it.`)
    }
    for (const v of Array.isArray(s.volumes) ? s.volumes : []) {
      if (isObj(v)) {
        const source = str(v.source)
        if (source && (v.type === 'bind' || /^[./~$]/.test(source))) checkBind(name, source)
        continue
      }
      const spec = str(v)
      if (spec === null) continue
      const parts = spec.split(':')
      if (parts.length < 2) continue
      const source = parts[0] as string
      if (/^[./~$]/.test(source)) checkBind(name, source)
      else if (source.includes('docker.sock')) checkBind(name, source)
      else {
        // A named volume can itself be a bind mount in disguise (driver_opts o: bind, device: /…).
        const def = topVolumes[source]
        const device = isObj(def) && isObj(def.driver_opts) ? str(def.driver_opts.device) : null
        if (device) checkBind(name, device)
      }
    }
  }
  for (const key of ['include', 'extends'])
    if (key in data || entries.some(([, s]) => isObj(s) && key in s)) warnings.push(`It uses "${key}": other files it names are run too and were not checked.`)
  return { services, warnings: [...new Set(warnings)], problem: null }
}
