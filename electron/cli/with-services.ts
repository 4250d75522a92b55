// The app's services for a CLI command that does long work: on the shared data folder, connected
// to the engine, with their events passed to `on` listeners and Ctrl-C handed to `cancel`. The
// services are imported here, inside the call, so a command module stays light at start-up.
import type { EventName, Events } from '../../shared/contract'
import type { Services } from '../services'
import type { Output } from './engine'

export type Listen = <E extends EventName>(event: E, cb: (p: Events[E]) => void) => void
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void

/** An `on` to subscribe to the services' events and the `emit` to hand the services. */
export function listeners(): { on: Listen; emit: Emit } {
  const map = new Map<string, ((p: unknown) => void)[]>()
  return {
    on: (event, cb) => map.set(event, [...(map.get(event) ?? []), cb as (p: unknown) => void]),
    emit: (event, payload) => map.get(event)?.forEach((cb) => cb(payload)),
  }
}

/** The services, connected to the engine; null (after saying why on stderr) when it is not there. Stop its engine when done. */
export async function connectServices(io: Output, emit?: Emit): Promise<Services | null> {
  const { cliServices } = await import('./cli-services')
  const services = cliServices(emit)
  const state = await services.engine.start()
  if (state.status === 'connected') return services
  io.err(state.status === 'unavailable' ? [state.error.message, state.error.detail].filter(Boolean).join('\n') : 'Docker did not answer.')
  services.engine.stop()
  return null
}

/**
 * Runs `fn` with the services; Ctrl-C calls `cancel` and `fn` sees `interrupted()` become true.
 * 1 when the engine is not there (said on stderr). The engine is stopped afterwards either way.
 */
export async function withServices(
  io: Output,
  cancel: (s: Services) => void,
  fn: (s: Services, on: Listen, interrupted: () => boolean) => Promise<number>,
): Promise<number> {
  const { on, emit } = listeners()
  const services = await connectServices(io, emit)
  if (!services) return 1
  try {
    let interrupted = false
    const onSigint = () => {
      interrupted = true
      cancel(services)
    }
    process.once('SIGINT', onSigint)
    try {
      return await fn(services, on, () => interrupted)
    } finally {
      process.off('SIGINT', onSigint)
    }
  } finally {
    services.engine.stop()
  }
}
