import type { AppInfo, Handlers } from '../../shared/contract'
import { SlipwayError } from '../../shared/errors'
import type { Services } from '../services'

/** What only a desktop shell can do; browser mode has none of it. */
export interface ShellActions {
  pickFolder?: () => Promise<string | null>
  /** Opens a checked project file (see ProjectFiles.openable) with the OS handler for its type. */
  openFile?: (file: string, line: number) => Promise<void>
}

/** The one handler table, served by both transports. A missing or mistyped method does not compile. */
export function createHandlers(s: Services, app: AppInfo, shell: ShellActions = {}): Handlers {
  return {
    'app.info': () => app,
    'app.openFile': async (dir, file, line) => {
      if (!shell.openFile)
        throw new SlipwayError('NotAvailable', 'Opening files in your editor needs the desktop app.', 'In browser mode, copy the path:line and open it in your editor.')
      return shell.openFile(await s.files.openable(dir, file), line)
    },
    'engine.state': () => s.engine.state(),
    'engine.reconnect': () => s.engine.reconnect(),
    'project.analyze': (dir, opts) => s.workspace.open(dir, opts),
    'project.pick': () => {
      if (!shell.pickFolder)
        throw new SlipwayError('NotAvailable', 'The folder picker needs the desktop app.', 'In browser mode, type or paste the folder path.')
      return shell.pickFolder()
    },
    'project.forget': (dir) => s.workspace.forget(dir),
    'project.remember': (dir, choices) => s.workspace.remember(dir, choices),
    'project.writeFile': (dir, name, content, expected) => s.files.write(dir, name, content, expected),
    'settings.get': () => s.settings.load(),
    'settings.update': (patch) => s.settings.update(patch),
    'images.list': () => s.images.list(),
    'images.slipway': () => s.images.slipway(),
    'images.remove': (imageId) => s.images.remove(imageId),
    'images.inspect': (imageId) => s.images.inspect(imageId),
    'images.check': (ref) => s.images.check(ref),
    'layers.index': (image, opts) => s.layers.start(image, opts),
    'layers.cancel': (jobId) => s.layers.cancel(jobId),
    'layers.get': async (imageId) => (await s.layers.packed(imageId)) ?? null,
    'build.preflight': (dir, opts) => s.builds.preflight(dir, opts),
    'build.start': (req) => s.builds.start(req),
    'build.cancel': (jobId) => s.builds.cancel(jobId),
    'build.get': (jobId) => s.builds.get(jobId),
    'build.running': () => s.builds.active(),
    'build.history': (dir) => s.builds.history(dir),
    'compare.start': (req) => s.comparisons.start(req),
    'compare.cancel': (jobId) => s.comparisons.cancel(jobId),
    'compare.history': (dir) => s.comparisons.history(dir),
    'run.propose': (image, opts) => s.runs.propose(image, opts),
    'run.start': (req) => s.runs.start(req),
    'run.stop': (id) => s.runs.stop(id),
    'run.remove': (id) => s.runs.remove(id),
    'run.list': () => s.runs.list(),
    'run.logs': (id) => s.runs.logs(id),
    'stack.up': ({ dir, ...req }) => s.stacks.up(dir, req),
    'stack.cancel': (jobId) => s.stacks.cancel(jobId),
    'stack.down': (dir, opts) => s.stacks.down(dir, opts),
    'stack.status': (dir) => s.stacks.status(dir),
    'stack.logs': (dir, service, opts) => s.stacks.logs(dir, service, opts),
    'stack.propose': (dir, opts) => s.stacks.propose(dir, opts),
    'stack.export': (dir) => s.stacks.export(dir),
    'stack.list': () => s.stacks.list(),
    'stack.restart': (dir, service) => s.stacks.restart(dir, service),
    'stack.follow': (dir, opts) => s.stacks.follow(dir, opts),
    'stack.unfollow': (streamId) => s.stacks.unfollow(streamId),
    'bases.list': () => s.bases.list(),
    'bases.make': (jobId, ids) => s.bases.make(jobId, ids),
    'bases.cancel': (jobId) => s.bases.cancel(jobId),
  } satisfies Handlers
}
