import type { Emit } from '../../shared/contract'
import { Engine } from './engine/engine'
import { GoProjects } from './go-project'

/** Every service the app runs, built once per process and handed to a transport. */
export interface Services {
  engine: Engine
  projects: GoProjects
}

export interface ServiceDeps {
  emit: Emit
  env?: Record<string, string | undefined>
  engine?: Engine
  projects?: GoProjects
}

/** Wires the services together; pass `engine` to point the app at a specific daemon (tests do). */
export function createServices(deps: ServiceDeps): Services {
  return { engine: deps.engine ?? Engine.fromEnvironment(deps.emit, deps.env), projects: deps.projects ?? new GoProjects() }
}
