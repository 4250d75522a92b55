import type { Command } from 'commander'
import type { EventName, Events } from '../../shared/contract'
import { toWireError } from '../../shared/errors'
import { parseEnvAssignment, parsePortMapping } from '../../shared/run/env'
import type { PortMapping, RunningContainer } from '../../shared/types/build'
import type { Output } from './engine'

export interface RunCliOptions {
  publish?: string[]
  env?: string[]
  dir?: string
  keep?: boolean
}

/** Where the container's own output goes: its stdout to ours, its stderr to ours. */
export interface RunStreams {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

/** Exit code when the container could not be started at all (as `docker run` uses). */
export const RUN_FAILED = 125
/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
export const INTERRUPTED = 130

const collect = (value: string, previous: string[]) => [...previous, value]

/** Adds `slipway run IMAGE [-p HOST:CTR]... [-e K=V]... [-- ARGS]` to the program. */
export function registerRunCommand(program: Command, io: Output): void {
  program
    .command('run')
    .description(
      'Run an image: ports published on 127.0.0.1, logs streamed until Ctrl-C, then the container is stopped and removed. ' +
        "Exits with the container's exit code when it ends by itself (125 when it cannot start).",
    )
    .argument('<image>', 'image name, tag or id')
    .argument('[args...]', 'arguments for the program, after -- (they replace the image CMD)')
    .option('-p, --publish <host:container>', 'publish a container port on 127.0.0.1 (repeatable; default: the ports Slipway proposes)', collect, [])
    .option('-e, --env <name=value>', 'set a variable (repeatable; NAME alone takes its value from this shell)', collect, [])
    .option('--dir <project>', "the project folder to read the port from (default: the image's org.slipway.project label)")
    .option('--keep', 'keep the container when it ends instead of removing it')
    .action(async (image: string, args: string[], opts: RunCliOptions) => {
      process.exitCode = await runCommand(image, args, opts, io, {
        stdout: (l) => process.stdout.write(`${l}\n`),
        stderr: (l) => process.stderr.write(`${l}\n`),
      })
    })
}

/**
 * `slipway run`: starts the container through the same Runs service as the app (same data folder,
 * same labels), streams its logs, and stops and removes it on Ctrl-C (or SIGTERM).
 */
export async function runCommand(image: string, args: string[], opts: RunCliOptions, io: Output, streams: RunStreams, signals: NodeJS.EventEmitter = process): Promise<number> {
  const ports: PortMapping[] = []
  for (const p of opts.publish ?? []) {
    const m = parsePortMapping(p)
    if (!m) {
      io.err(`"${p}" is not a port mapping. Use HOST:CONTAINER, e.g. -p 8081:8080.`)
      return 2
    }
    ports.push(m)
  }
  const env: Record<string, string> = {}
  for (const e of opts.env ?? []) {
    const a = parseEnvAssignment(e)
    if (!a) {
      io.err(`"${e.split('=')[0]}" is not a variable name. Use NAME=VALUE with letters, digits and _.`)
      return 2
    }
    env[a.name] = e.includes('=') ? a.value : (process.env[a.name] ?? '')
  }

  // Lines can arrive before start() answers with the id: hold them until it is known.
  let id: string | null = null
  const early: Events['run.log'][] = []
  const print = (e: Events['run.log']) => {
    for (const l of e.lines) (e.stream === 'stderr' ? streams.stderr : streams.stdout)(l)
  }
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'run.log') return
    const log = payload as Events['run.log']
    if (id === null) early.push(log)
    else if (log.containerId === id) print(log)
  }
  const { cliServices } = await import('./cli-services')
  const services = cliServices(emit)
  const { engine, runs } = services
  const state = await engine.start()
  const fail = (e: unknown) => {
    const w = toWireError(e)
    io.err([w.message, w.detail].filter(Boolean).join('\n'))
  }
  try {
    if (state.status !== 'connected') {
      io.err(state.status === 'unavailable' ? [state.error.message, state.error.detail].filter(Boolean).join('\n') : 'Still connecting to Docker.')
      return RUN_FAILED
    }
    let publish = ports
    if (!opts.publish?.length) {
      const proposal = await runs.propose(image, opts.dir ? { dir: opts.dir } : {})
      publish = proposal.ports.map(({ host, container }) => ({ host, container }))
      for (const n of proposal.notices) io.err(`note: ${n}`)
    }

    let interrupted = false
    let started: RunningContainer
    try {
      started = await runs.start({ image, ports: publish, env, args })
    } catch (e) {
      fail(e)
      return RUN_FAILED
    }
    id = started.id
    for (const e of early.splice(0)) if (e.containerId === id) print(e)
    if (started.state === 'running') io.err(describeStart(started))

    const onSignal = () => {
      // A second Ctrl-C does not wait for the program's graceful shutdown.
      if (interrupted) return void runs.remove(started.id).catch(fail)
      interrupted = true
      io.err(`Stopping ${started.name}… (Ctrl-C again to kill it)`)
      void runs.stop(started.id).catch(fail)
    }
    signals.on('SIGINT', onSignal)
    signals.on('SIGTERM', onSignal)
    try {
      const ended = (await runs.exited(started.id)) ?? started
      if (!opts.keep) await runs.remove(started.id).catch(fail)
      if (interrupted) return INTERRUPTED
      if (ended.error) io.err(ended.error)
      io.err(`${ended.name} exited with ${ended.exitCode ?? 'an unknown code'}${opts.keep ? ' (kept)' : ''}.`)
      return ended.exitCode ?? 1
    } finally {
      signals.off('SIGINT', onSignal)
      signals.off('SIGTERM', onSignal)
    }
  } catch (e) {
    fail(e)
    return RUN_FAILED
  } finally {
    runs.dispose()
    engine.stop()
  }
}

function describeStart(c: RunningContainer): string {
  const ports = c.ports.map((p) => `  http://localhost:${p.host}  →  container port ${p.container}`)
  return [`Started ${c.name} (${c.id.slice(0, 12)}) from ${c.image}.`, ...ports, 'Ctrl-C stops and removes it.'].join('\n')
}
