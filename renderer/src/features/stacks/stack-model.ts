// What the Stacks page says about a stack and its services, kept out of the components so it can be
// tested without a browser: the words and colour of each phase, the stack's overall state, the
// service colours of the merged log, and which service needs attention (exited, crash-looping,
// unhealthy) with its last lines.
import { ENV_NAME } from '../../../../shared/run/env'
import type { StackProposal, StackService, StackStatus } from '../../../../shared/stack/types'

/** The tone of a StatusDot (components/StatusDot). */
export type DotTone = 'ok' | 'error' | 'warning' | 'pending' | 'unknown'

/** A Radix colour name; the badge and the log tag use the same one for a service. */
export type Tone = 'green' | 'red' | 'amber' | 'gray' | 'blue'

export interface PhaseView {
  /** What the badge says: "Waiting for healthy", "Exited (1)". */
  label: string
  tone: Tone
  dot: DotTone
  /** Still on its way (a spinner is honest). */
  busy: boolean
}

/**
 * One service's phase in the words the page shows. `starting` is true while an Up job waits for it:
 * a service without a container then is being pulled or created, not simply absent.
 */
export function phaseView(s: Pick<StackService, 'phase' | 'exitCode' | 'health'>, starting: boolean): PhaseView {
  switch (s.phase) {
    case 'missing':
      return starting ? { label: 'Pulling / creating', tone: 'gray', dot: 'pending', busy: true } : { label: 'Not created', tone: 'gray', dot: 'unknown', busy: false }
    case 'created':
      return starting ? { label: 'Starting', tone: 'gray', dot: 'pending', busy: true } : { label: 'Created', tone: 'gray', dot: 'unknown', busy: false }
    case 'starting':
      return { label: 'Waiting for healthy', tone: 'amber', dot: 'pending', busy: true }
    case 'healthy':
      return { label: 'Healthy', tone: 'green', dot: 'ok', busy: false }
    case 'running':
      return { label: 'Running', tone: 'green', dot: 'ok', busy: false }
    case 'unhealthy':
      return { label: 'Unhealthy', tone: 'red', dot: 'error', busy: false }
    case 'restarting':
      return { label: s.exitCode !== null ? `Restarting (exit ${s.exitCode})` : 'Restarting', tone: 'red', dot: 'error', busy: true }
    case 'exited':
      return { label: `Exited (${s.exitCode ?? '?'})`, tone: s.exitCode === 0 ? 'gray' : 'red', dot: s.exitCode === 0 ? 'unknown' : 'error', busy: false }
  }
}

/** The stack as one word: nothing on the engine, on its way, all up, part of it up, or a service failed. */
export type StackState = 'down' | 'starting' | 'up' | 'partial' | 'failed'

/** The overall state of a stack from its services (and whether an Up job is running for it). */
export function stackState(status: Pick<StackStatus, 'services' | 'up'> | null, starting: boolean): StackState {
  if (starting) return 'starting'
  if (!status) return 'down'
  if (status.up) return 'up'
  if (status.services.some((s) => s.phase === 'exited' ? s.exitCode !== 0 : s.phase === 'unhealthy' || s.phase === 'restarting')) return 'failed'
  if (status.services.every((s) => s.phase === 'missing')) return 'down'
  return 'partial'
}

export const STACK_STATE_VIEW: Record<StackState, { label: string; tone: Tone; dot: DotTone }> = {
  down: { label: 'Down', tone: 'gray', dot: 'unknown' },
  starting: { label: 'Starting', tone: 'blue', dot: 'pending' },
  up: { label: 'Up', tone: 'green', dot: 'ok' },
  partial: { label: 'Partly up', tone: 'amber', dot: 'warning' },
  failed: { label: 'Failed', tone: 'red', dot: 'error' },
}

/** The palette of service tags in the merged log; the app and the database always get the first two. */
const SERVICE_COLOURS = ['blue', 'teal', 'orange', 'plum', 'cyan', 'crimson', 'grass', 'brown'] as const
export type ServiceColour = (typeof SERVICE_COLOURS)[number]

/** A stable colour for a service name: `app` and `db` fixed, others by a hash of the name. */
export function serviceColour(service: string): ServiceColour {
  if (service === 'app') return 'blue'
  if (service === 'db') return 'teal'
  let h = 0
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return SERVICE_COLOURS[2 + (h % (SERVICE_COLOURS.length - 2))] as ServiceColour
}

/** One line of the merged log. */
export interface StackLogLine {
  service: string
  stream: 'stdout' | 'stderr'
  line: string
}

/** A service that stopped or keeps restarting, with the lines that say why, so the person does not have to look for them. */
export interface ServiceTrouble {
  service: string
  /** "exited with code 1", "keeps restarting (last exit code 2)", "is unhealthy". */
  what: string
  exitCode: number | null
  lastLines: string[]
}

/**
 * The services that need attention: exited with a non-zero code (or any code while others run),
 * restarting in a loop, or unhealthy; each with its last `n` log lines.
 */
export function troubles(status: Pick<StackStatus, 'services'> | null, lines: readonly StackLogLine[], n = 8): ServiceTrouble[] {
  if (!status) return []
  const out: ServiceTrouble[] = []
  const othersUp = (name: string) => status.services.some((s) => s.service !== name && (s.phase === 'running' || s.phase === 'healthy'))
  for (const s of status.services) {
    let what: string | null = null
    if (s.phase === 'restarting') what = s.exitCode !== null ? `keeps restarting (last exit code ${s.exitCode})` : 'keeps restarting'
    else if (s.phase === 'exited' && (s.exitCode !== 0 || othersUp(s.service))) what = `exited with code ${s.exitCode ?? '?'}`
    else if (s.phase === 'unhealthy') what = 'is unhealthy (its healthcheck fails)'
    if (!what) continue
    out.push({ service: s.service, what, exitCode: s.exitCode, lastLines: lastLinesOf(lines, s.service, n) })
  }
  return out
}

/** The last `n` lines one service wrote, from the merged log. */
export function lastLinesOf(lines: readonly StackLogLine[], service: string, n: number): string[] {
  const out: string[] = []
  for (let i = lines.length - 1; i >= 0 && out.length < n; i--) if (lines[i]?.service === service) out.push((lines[i] as StackLogLine).line)
  return out.reverse()
}

/** The free port a PortInUse error offers ("Port 8081 is free."), or null. */
export function offeredPort(detail: string | undefined): number | null {
  const m = /Port (\d{1,5}) is free|Use port (\d{1,5})/.exec(detail ?? '')
  const n = Number(m?.[1] ?? m?.[2])
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null
}

/** The port number a PortInUse message names ("Port 8080 on 127.0.0.1 is in use."), or null. */
export function takenPort(message: string): number | null {
  const n = Number(/Port (\d{1,5})/.exec(message)?.[1])
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null
}

/** The folder's last segment, for a stack's name in a list. */
export function folderName(dir: string): string {
  return dir.replace(/[\\/]+$/, '').split(/[\\/]/).at(-1) || dir
}

/** The password in a URL or command replaced by dots, for showing; copying takes the whole thing. */
export function maskPassword(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)([^@\s]+)@/g, '$1••••••@')
}

/** The proposal as the person edits it before Up. */
export interface StackDraft {
  postgresImage: string
  appPort: string
  dbPort: string
  env: { name: string; value: string; secret: boolean; reveal: boolean; evidence?: string; required?: boolean }[]
  /** The project's SQL files to run in a new database. */
  initdb: string[]
  /** Run the project's own compose file as it is instead. */
  useProjectCompose: boolean
}

/** The draft a fresh proposal gives. */
export function draftOf(p: StackProposal): StackDraft {
  return {
    postgresImage: p.postgresImage,
    appPort: String(p.ports.app.host),
    dbPort: String(p.ports.db.host),
    env: p.env.map((e) => ({ name: e.name, value: e.value, secret: e.secret, reveal: false, ...(e.evidence ? { evidence: e.evidence } : {}), ...(e.required ? { required: true } : {}) })),
    initdb: p.initdb.files,
    useProjectCompose: false,
  }
}

const portOk = (s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535

/** What keeps Up from starting with this draft, in words; empty when nothing does. */
export function draftProblems(d: StackDraft): string[] {
  const p: string[] = []
  if (d.useProjectCompose) return p
  if (!portOk(d.appPort) || !portOk(d.dbPort)) p.push('Ports are numbers from 1 to 65535.')
  else if (d.appPort === d.dbPort) p.push('The app and the database need different host ports.')
  if (!d.postgresImage.trim()) p.push('Name a Postgres image.')
  for (const e of d.env) if (!ENV_NAME.test(e.name)) p.push(`"${e.name}" is not a variable name.`)
  const empty = requiredEmpty(d)
  if (empty.length) p.push(`The app stops without ${empty.map((e) => e.name).join(', ')}: give ${empty.length === 1 ? 'it a value' : 'each a value'} before Up.`)
  return p
}

/** The variables the program stops without that the draft leaves empty (Up is refused for them). */
export function requiredEmpty(d: StackDraft): StackDraft['env'] {
  return d.env.filter((e) => e.required && e.value === '')
}

/** How far the app image's build is, from its steps: "3 of 9 steps · RUN go build …", or null before the first step. */
export function buildStepsWords(steps: Record<string, { name: string; status: string; internal: boolean }>): string | null {
  const visible = Object.values(steps).filter((x) => !x.internal)
  if (!visible.length) return null
  const done = visible.filter((x) => x.status === 'done' || x.status === 'cached').length
  const running = visible.find((x) => x.status === 'running')
  return `${done} of ${visible.length} steps${running ? ` · ${running.name}` : ''}`
}
