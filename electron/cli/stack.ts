// `slipway up|down|ps|logs DIR`: the dev stack from a terminal, over the same Stacks service and
// data folder as the app, so a stack started here shows in the app and the reverse. `up` behaves
// like `docker compose up`: without --detach it stays attached, printing every service's log
// lines (`service | line`) until Ctrl-C, which takes the stack down again (the database volume is
// kept); with --detach it returns once every service is up and leaves the stack running.
import type { Command } from 'commander'
import type { EventName, Events } from '../../shared/contract'
import { toWireError } from '../../shared/errors'
import type { StackProposal, StackStatus } from '../../shared/stack/types'
import { offerOrMake } from './bases'
import type { Output } from './engine'
import { connectServices, listeners } from './with-services'

/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
const INTERRUPTED = 130

export interface UpCliOptions {
  detach?: boolean
  base?: string
  postgres?: string
  env?: string[]
  initdb?: string[]
  /** Run the project's own compose file as it is. */
  ownCompose?: boolean
  /** Start the project's compose file despite its warnings without asking. */
  yes?: boolean
  /** When the app's base or builder cannot be pulled, make it from Debian packages and point Settings at it first. */
  makeBases?: boolean
}

/** How a command asks a yes/no question; null when there is no terminal to ask on. */
export type Confirm = ((question: string) => Promise<boolean>) | null

const collect = (value: string, previous: string[]) => [...previous, value]

/** Adds `slipway up|down|ps|logs` to the program. */
export function registerStackCommands(program: Command, io: Output): void {
  const print = { out: (l: string) => process.stdout.write(`${l}\n`) }
  program
    .command('up')
    .description(
      'Start the dev stack (the app + Postgres, healthy) for a project: builds the app image first when it is missing or stale. ' +
        'Like `docker compose up`: stays attached printing the logs until Ctrl-C, which takes the stack down (the database is kept); --detach leaves it running.',
    )
    .argument('<dir>', 'the project folder')
    .option('-d, --detach', 'return once every service is up and leave the stack running')
    .option('--base <id>', 'the base to build the app on when it has to be built')
    .option('--postgres <image>', 'the Postgres image (default: the setting, else postgres:16-alpine)')
    .option('-e, --env <name=value>', "set one of the app's variables (repeatable)", collect, [])
    .option('--initdb <file>', 'an SQL file of the project (schema/, migrations/, initdb/, db/init) for Postgres to run in a new database (repeatable)', collect, [])
    .option('--own-compose', "run the project's own compose file as it is instead of Slipway's stack (its risks are listed first)")
    .option('-y, --yes', "with --own-compose: start even when the file does risky things, without asking")
    .option('--make-bases', "when the app's base or the builder cannot be pulled, make it from Debian packages and point Settings at it first")
    .action(async (dir: string, opts: UpCliOptions) => {
      process.exitCode = await upCommand(dir, opts, io, print, process, process.stdin.isTTY && process.stderr.isTTY ? ttyConfirm : null)
    })
  program
    .command('down')
    .description('Stop and remove the stack\'s containers and network. The database volume is kept unless --volumes (asked first on a terminal).')
    .argument('<dir>', 'the project folder')
    .option('-v, --volumes', 'also delete the database volume (its data is lost)')
    .action(async (dir: string, opts: { volumes?: boolean }) => {
      process.exitCode = await downCommand(dir, opts, io, process.stdin.isTTY && process.stderr.isTTY ? ttyConfirm : null)
    })
  program
    .command('ps')
    .description('Show the stack\'s services (state, health, ports), its volume and how to connect.')
    .argument('<dir>', 'the project folder')
    .option('--json', 'print the status as JSON (includes the database URL with its password)')
    .action(async (dir: string, opts: { json?: boolean }) => {
      process.exitCode = await psCommand(dir, opts, io)
    })
  program
    .command('logs')
    .description('Print the stack\'s logs (`service | line`, every service merged, or one); -f follows them until Ctrl-C.')
    .argument('<dir>', 'the project folder')
    .argument('[service]', 'only this service (app, db)')
    .option('-f, --follow', 'keep printing new lines, across restarts, until Ctrl-C')
    .option('-n, --tail <lines>', 'lines of each container to start with', '200')
    .action(async (dir: string, service: string | undefined, opts: { follow?: boolean; tail?: string }) => {
      process.exitCode = await logsCommand(dir, service, opts, io, print)
    })
}

function fail(io: Output, e: unknown): number {
  const w = toWireError(e)
  io.err([w.message, w.detail].filter(Boolean).join('\n'))
  return 1
}

/** `slipway up`: see the file's comment. */
export async function upCommand(
  dir: string,
  opts: UpCliOptions,
  io: Output,
  print: { out(line: string): void },
  signals: NodeJS.EventEmitter = process,
  confirm: Confirm = null,
): Promise<number> {
  const env: Record<string, string> = {}
  for (const e of opts.env ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(e)
    if (!m) {
      io.err(`"${e.split('=')[0]}" is not NAME=VALUE. Use letters, digits and _ for the name.`)
      return 2
    }
    env[m[1] as string] = m[2] as string
  }
  const jobId = crypto.randomUUID()
  let streamId: string | null = null
  const seen = new Map<string, string>()
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    if (event === 'stack.progress') {
      const p = payload as Events['stack.progress']
      if (p.jobId !== jobId) return
      if (p.phase === 'building') io.err('Building the app image (it is missing or stale)…')
      else if (p.phase === 'pulling') io.err(`Pulling ${p.detail ?? 'an image'} for ${p.service ?? 'a service'}…`)
      else if (p.phase === 'starting') io.err('Starting the services…')
    } else if (event === 'stack.service') {
      const s = payload as Events['stack.service']
      if (s.jobId !== jobId) return
      if (seen.get(s.service.service) === s.service.phase) return
      seen.set(s.service.service, s.service.phase)
      io.err(`  ${s.service.service.padEnd(4)} ${s.service.phase}`)
    } else if (event === 'build.step') {
      const b = payload as Events['build.step']
      if (b.step.status === 'running' && b.step.name) io.err(`  build: ${b.step.name}`)
    } else if (event === 'stack.log') {
      const l = payload as Events['stack.log']
      if (l.streamId === streamId) for (const line of l.lines) print.out(`${l.service.padEnd(4)} | ${line}`)
    }
  }
  const { on, emit: emitTo } = listeners()
  const services = await connectServices(io, (event, payload) => {
    emit(event, payload)
    emitTo(event, payload)
  })
  if (!services) return 1
  const { stacks } = services
  try {
    if (!opts.ownCompose) {
      // The app build Up needs would be refused (a base or the builder cannot be pulled): said now,
      // in the build command's words, and with --make-bases made (or the one made here used) first.
      let app: StackProposal['app']
      try {
        ;({ app } = await stacks.propose(dir, { ...(opts.base ? { base: opts.base } : {}), ...(opts.postgres ? { postgresImage: opts.postgres } : {}) }))
      } catch (e) {
        return fail(io, e)
      }
      if (app.refused?.length) {
        let interrupted = false
        const onMakeSignal = () => {
          interrupted = true
          services.bases.cancelAll()
        }
        signals.once('SIGINT', onMakeSignal)
        try {
          const code = await offerOrMake(services, on, app.refused, { makeBases: opts.makeBases, again: 'Up again' }, io, () => interrupted)
          if (code !== null && code !== 0) return code
        } finally {
          signals.off('SIGINT', onMakeSignal)
        }
      }
    }
    let ownDigest: string | null = null
    if (opts.ownCompose) {
      // The project's file is untrusted: what it would do to this computer is said before it starts.
      const own = await stacks.ownCompose(dir)
      ownDigest = own?.digest ?? null
      if (!own) return fail(io, new Error('The project has no compose file of its own (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml).'))
      if (own.problem) return fail(io, new Error(`${own.file} cannot be run: ${own.problem}`))
      io.err(`Running ${own.file} as it is (services: ${own.services.map((s) => s.name).join(', ')}) as ${own.project}.`)
      if (own.warnings.length) {
        io.err(`It would:\n${own.warnings.map((w) => `  ! ${w}`).join('\n')}`)
        const go = opts.yes === true || (confirm ? await confirm('Start it anyway? [y/N] ') : false)
        if (!go) {
          io.err(confirm ? 'Nothing was started.' : 'Nothing was started: add --yes to start it anyway.')
          return 1
        }
      }
    }
    let status: StackStatus
    let cancelled = false
    const onStartSignal = () => {
      cancelled = true
      io.err('Cancelling…')
      stacks.cancel(jobId)
    }
    signals.once('SIGINT', onStartSignal)
    try {
      status = await stacks.launch(dir, {
        jobId,
        ...(opts.base ? { base: opts.base } : {}),
        ...(opts.postgres ? { postgresImage: opts.postgres } : {}),
        ...(Object.keys(env).length ? { env } : {}),
        ...(opts.initdb?.length ? { initdb: opts.initdb } : {}),
        ...(opts.ownCompose ? { useProjectCompose: true, ...(ownDigest ? { projectComposeDigest: ownDigest } : {}) } : {}),
      }).done
    } catch (e) {
      if (cancelled) return INTERRUPTED
      return fail(io, e)
    } finally {
      signals.off('SIGINT', onStartSignal)
    }
    io.err(describeUp(status))
    if (opts.detach) {
      io.err(`Running in the background. Stop it with: slipway down ${dir}`)
      return 0
    }
    // Attached: the logs until Ctrl-C (or SIGTERM), then down with the data kept.
    io.err('Attached to the logs. Ctrl-C takes the stack down (the database is kept).')
    streamId = (await stacks.follow(dir, { tail: 50 })).streamId
    await new Promise<void>((resolve) => {
      signals.once('SIGINT', resolve)
      signals.once('SIGTERM', resolve)
    })
    signals.removeAllListeners('SIGTERM')
    stacks.unfollow(streamId)
    io.err('Taking the stack down (the database is kept)…')
    await stacks.down(dir).catch((e: unknown) => fail(io, e))
    return INTERRUPTED
  } finally {
    stacks.dispose()
    services.engine.stop()
  }
}

/** `slipway down`: the volume only with --volumes, and on a terminal only after a yes that names it. */
export async function downCommand(dir: string, opts: { volumes?: boolean }, io: Output, confirm: Confirm): Promise<number> {
  const services = await connectServices(io)
  if (!services) return 1
  try {
    const { stacks } = services
    let removeVolumes = opts.volumes === true
    if (removeVolumes) {
      const volumes = (await stacks.status(dir)).volumes
      if (volumes.length && confirm) {
        removeVolumes = await confirm(`Delete the volume ${volumes.join(', ')} with the stack's database? Its data cannot be recovered. [y/N] `)
        if (!removeVolumes) io.err('The volume is kept.')
      }
    }
    const status = await stacks.down(dir, { removeVolumes })
    io.err(status.volumes.length ? `The stack is down. Its data is kept in ${status.volumes.join(', ')}.` : 'The stack is down. No volume is left.')
    return 0
  } catch (e) {
    return fail(io, e)
  } finally {
    services.engine.stop()
  }
}

/** `slipway ps`. */
export async function psCommand(dir: string, opts: { json?: boolean }, io: Output): Promise<number> {
  const services = await connectServices(io)
  if (!services) return 1
  try {
    const status = await services.stacks.status(dir)
    if (opts.json) {
      io.out(JSON.stringify(status, null, 2))
      return 0
    }
    const rows = status.services.map((s) => [
      s.service,
      s.phase + (s.phase === 'exited' && s.exitCode !== null ? ` (${s.exitCode})` : ''),
      s.ports.map((p) => `127.0.0.1:${p.host}->${p.container}`).join(', ') || '-',
      s.image ?? '-',
    ])
    const head = ['SERVICE', 'STATE', 'PORTS', 'IMAGE']
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
    for (const r of [head, ...rows]) io.out(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] as number) : c)).join('  '))
    io.out('')
    io.out(`Project  ${status.project}${status.defined ? '' : ' (not defined by Slipway)'}`)
    io.out(`Volume   ${status.volumes.join(', ') || '(none)'}`)
    if (status.connection) {
      if (status.connection.appUrl) io.out(`App      ${status.connection.appUrl}`)
      io.out(`psql     ${status.connection.psql}`)
    }
    return 0
  } catch (e) {
    return fail(io, e)
  } finally {
    services.engine.stop()
  }
}

/** `slipway logs`: the last lines of each service (or one), merged in time order; -f follows until Ctrl-C. */
export async function logsCommand(
  dir: string,
  service: string | undefined,
  opts: { follow?: boolean; tail?: string },
  io: Output,
  print: { out(line: string): void },
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const tail = Number(opts.tail ?? 200)
  if (!Number.isInteger(tail) || tail < 0 || tail > 10_000) {
    io.err(`--tail takes a number of lines from 0 to 10000, not "${opts.tail}".`)
    return 2
  }
  let streamId: string | null = null
  let received = 0
  const early: Events['stack.log'][] = []
  const show = (l: Events['stack.log']) => {
    received += l.lines.length
    if (service && l.service !== service) return
    for (const line of l.lines) print.out(service ? line : `${l.service.padEnd(4)} | ${line}`)
  }
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'stack.log') return
    const l = payload as Events['stack.log']
    if (streamId === null) early.push(l)
    else if (l.streamId === streamId) show(l)
  }
  const services = await connectServices(io, emit)
  if (!services) return 1
  const { stacks } = services
  try {
    const status = await stacks.status(dir)
    if (service && !status.services.some((s) => s.service === service && s.containerId)) {
      io.err(`The stack has no container for the service "${service.slice(0, 40)}". It has: ${status.services.filter((s) => s.containerId).map((s) => s.service).join(', ') || 'none (start it with slipway up)'}.`)
      return 1
    }
    if (!status.services.some((s) => s.containerId)) {
      io.err(`The stack has no containers. Start it with: slipway up ${dir}`)
      return 1
    }
    // The follow stream serves both: merged in time order; without -f it stops once every log is read.
    const id = (await stacks.follow(dir, { tail })).streamId
    streamId = id
    for (const l of early.splice(0)) if (l.streamId === id) show(l)
    if (opts.follow) {
      io.err(`Following ${service ? `the ${service.slice(0, 40)} service's log` : 'the logs'}; Ctrl-C stops.`)
      await new Promise<void>((resolve) => {
        signals.once('SIGINT', resolve)
        signals.once('SIGTERM', resolve)
      })
      stacks.unfollow(id)
      return 0
    }
    await stacks.followSettled(id)
    // The backlog arrives within moments of opening; wait for a quiet spell, then stop.
    let last = -1
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100))
      if (received === last) break
      last = received
    }
    stacks.unfollow(id)
    return 0
  } catch (e) {
    return fail(io, e)
  } finally {
    stacks.dispose()
    services.engine.stop()
  }
}

function describeUp(status: StackStatus): string {
  const lines = ['The stack is up:']
  for (const s of status.services) lines.push(`  ${s.service.padEnd(4)} ${s.phase}${s.ports.length ? `  127.0.0.1:${s.ports.map((p) => `${p.host}->${p.container}`).join(', ')}` : ''}`)
  if (status.connection?.appUrl) lines.push(`  open   ${status.connection.appUrl}`)
  if (status.connection) lines.push(`  psql   ${status.connection.psql}`)
  return lines.join('\n')
}

async function ttyConfirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}
