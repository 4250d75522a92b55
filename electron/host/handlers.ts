import type { AppInfo, Handlers } from '../../shared/contract'
import type { Services } from '../services'

/** The one handler table, served by both transports. A missing or mistyped method does not compile. */
export function createHandlers(s: Services, app: AppInfo): Handlers {
  return {
    'app.info': () => app,
    'engine.state': () => s.engine.state(),
    'engine.reconnect': () => s.engine.reconnect(),
    'project.analyze': (dir, opts) => s.projects.analyze(dir, opts),
  } satisfies Handlers
}
