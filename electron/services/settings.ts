import { randomBytes } from 'node:crypto'
import { access, constants, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SlipwayError } from '../../shared/errors'
import { defaultSettings, settingsSchema, withChoices, withRecent, type ProjectChoices, type Settings, type SettingsPatch } from '../../shared/settings'
import { writeFileAtomically } from './atomic-write'

/** What loading found: the settings, and a message when something about the file needs the user. */
export interface LoadedSettings {
  settings: Settings
  notice?: string
}

/** How long a writer waits for another one, and when a lock file counts as left behind by a crash. */
export interface SettingsLockOptions {
  /** Give up waiting for the lock after this long (default 3 s). */
  lockTimeoutMs?: number
  /** A lock older than this is stale even if its process seems alive (default 10 s; a write takes milliseconds). */
  staleLockMs?: number
}

/**
 * Settings in one JSON file (0600, in a 0700 folder), shared by every Slipway on the machine (the
 * app, browser mode, the CLI). Each change is a read-modify-write of the file as it is on disk,
 * under a lock file (`settings.json.lock`, created with O_EXCL), so two instances never overwrite
 * each other's changes with a stale copy. A file that cannot be read as settings is renamed aside —
 * never silently overwritten — and the user is told where it is. A read-only settings file is
 * respected: nothing is written over it. Reading never fails: problems become the notice.
 */
export class SettingsStore {
  private writing: Promise<unknown> = Promise.resolve()
  /** Set aside a corrupt file: said once per process, until settings are saved again. */
  private asideNotice: string | undefined
  /** The last save failed: said until one succeeds. */
  private saveProblem: string | undefined
  private readonly lockTimeoutMs: number
  private readonly staleLockMs: number

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
    opts: SettingsLockOptions = {},
  ) {
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 3000
    this.staleLockMs = opts.staleLockMs ?? 10_000
  }

  /** The settings as on disk now (defaults when there is no file), with a notice when the file needs the user. Never throws. */
  async load(): Promise<LoadedSettings> {
    let loaded: LoadedSettings
    try {
      loaded = await this.read()
    } catch (e) {
      loaded = { settings: defaultSettings(), notice: noticeOf(e) }
    }
    const notice = this.saveProblem ?? loaded.notice ?? this.asideNotice
    return notice === undefined ? { settings: loaded.settings } : { settings: loaded.settings, notice }
  }

  /** Changes the given fields and saves. */
  async update(patch: SettingsPatch): Promise<Settings> {
    return this.change((s) => ({ ...s, ...patch }))
  }

  /** Records a project as the most recently opened. */
  async addRecent(path: string, name: string): Promise<Settings> {
    return this.change((s) => ({ ...s, recentProjects: withRecent(s.recentProjects, { path, name, openedAt: this.now() }) }))
  }

  /** Remembers what was chosen for a project (main package, base, builder, cache mounts, build args). */
  async rememberChoices(root: string, choices: ProjectChoices): Promise<Settings> {
    return this.change((s) => ({ ...s, projectChoices: withChoices(s.projectChoices, root, choices, this.now()) }))
  }

  /** Forgets one recent project (e.g. its folder was deleted). */
  async removeRecent(path: string): Promise<Settings> {
    return this.change((s) => ({ ...s, recentProjects: s.recentProjects.filter((p) => p.path !== path) }))
  }

  /** Applies `fn` to the settings on disk and saves, under the lock. Throws a SlipwayError naming the file and the fix. */
  private change(fn: (s: Settings) => Settings): Promise<Settings> {
    // Writers in this process queue here; writers in other processes meet at the lock file.
    const next = this.writing.then(async () => {
      try {
        const updated = await this.locked(async () => {
          const { settings } = await this.read()
          const updated = settingsSchema.parse(fn(settings))
          await this.checkWritable()
          await writeFileAtomically(this.file, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 })
          return updated
        })
        this.saveProblem = undefined
        return updated
      } catch (e) {
        const err = asSettingsError(e, this.file)
        this.saveProblem = noticeOf(err)
        throw err
      }
    })
    this.writing = next.catch(() => undefined)
    return next
  }

  private async read(): Promise<LoadedSettings> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { settings: defaultSettings() }
      throw unusable(this.file, e as NodeJS.ErrnoException)
    }
    let problem: string
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(text))
      if (parsed.success) return { settings: parsed.data }
      problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')
    } catch (e) {
      problem = `not valid JSON (${(e as Error).message})`
    }
    const aside = `${this.file}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`
    try {
      await rename(this.file, aside)
    } catch (e) {
      throw new SlipwayError(
        'SettingsUnusable',
        `Your settings file ${this.file} could not be read (${problem}), and could not be set aside (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
        `Fix or remove ${this.file}. Slipway uses its defaults and saves nothing until then.`,
      )
    }
    this.asideNotice = `Your settings file could not be read (${problem}). It was kept as ${aside}; Slipway started with defaults.`
    return { settings: defaultSettings(), notice: this.asideNotice }
  }

  /** A read-only settings file is the user's decision (or another user's file): never replace it. */
  private async checkWritable() {
    const info = await stat(this.file).catch(() => null)
    if (info === null) return
    // The mode bit, not only access(): root may write anything, yet a file made read-only stays so.
    const writable = (info.mode & 0o200) !== 0 && (await access(this.file, constants.W_OK).then(() => true, () => false))
    if (!writable)
      throw new SlipwayError(
        'SettingsReadOnly',
        `Your settings file ${this.file} is read-only, so Slipway did not change it.`,
        `To let Slipway save settings and recent projects, make it writable (chmod u+w ${JSON.stringify(this.file)}). Everything else works as usual.`,
      )
  }

  /** Runs `fn` holding `settings.json.lock`; breaks a lock left by a process that died, waits for a live one. */
  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const folder = dirname(this.file)
    await mkdir(folder, { recursive: true, mode: 0o700 })
    const lock = `${this.file}.lock`
    const token = JSON.stringify({ pid: process.pid, host: hostname(), id: randomBytes(8).toString('hex') })
    const deadline = performance.now() + this.lockTimeoutMs
    for (;;) {
      try {
        const handle = await open(lock, 'wx', 0o600)
        try {
          await handle.writeFile(token)
        } finally {
          await handle.close()
        }
        break
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      if (await this.breakIfStale(lock)) continue
      if (performance.now() > deadline)
        throw new SlipwayError(
          'SettingsLocked',
          `Another Slipway has been saving settings for over ${Math.round(this.lockTimeoutMs / 1000)} s (lock file ${lock}); this change was not saved.`,
          `If no other Slipway is running, delete ${lock} and try again.`,
        )
      await sleep(10 + Math.random() * 40)
    }
    try {
      return await fn()
    } finally {
      // Remove the lock only if it is still ours (it is, unless we took long enough to be judged stale).
      if ((await readFile(lock, 'utf8').catch(() => null)) === token) await rm(lock, { force: true })
    }
  }

  /** True when the lock was gone or has been broken (try again at once); false while a live writer holds it. */
  private async breakIfStale(lock: string): Promise<boolean> {
    const [text, info] = await Promise.all([readFile(lock, 'utf8').catch(() => null), stat(lock).catch(() => null)])
    if (text === null || info === null) return true
    if (!isStale(text, Date.now() - info.mtimeMs, this.staleLockMs)) return false
    // Rename, not delete: of two processes breaking the same stale lock, only one wins the rename.
    const aside = `${lock}.${randomBytes(4).toString('hex')}.stale`
    try {
      await rename(lock, aside)
    } catch {
      return true
    }
    // If what we moved is not the lock we judged stale (a new writer took it in between), put it back.
    if ((await readFile(aside, 'utf8').catch(() => null)) !== text) await link(aside, lock).catch(() => undefined)
    await rm(aside, { force: true })
    return true
  }
}

/** Whether a lock's holder is gone: a process on this machine that no longer runs, or a lock older than `staleMs`. */
function isStale(text: string, ageMs: number, staleMs: number): boolean {
  if (ageMs > staleMs) return true
  try {
    const holder = JSON.parse(text) as { pid?: unknown; host?: unknown }
    if (holder.host !== hostname() || typeof holder.pid !== 'number') return false
    process.kill(holder.pid, 0)
    return false
  } catch (e) {
    // ESRCH: no such process. Unparsable text is a lock being written right now: not stale.
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function unusable(file: string, e: NodeJS.ErrnoException): SlipwayError {
  const code = e.code ?? 'error'
  const what =
    code === 'EISDIR'
      ? 'it is a folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'you may not read it'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? `${dirname(file)} is not a folder`
          : `${code}: ${e.message}`
  return new SlipwayError(
    'SettingsUnusable',
    `Slipway cannot use its settings file ${file}: ${what}.`,
    `Move it out of the way or fix its permissions (or set SLIPWAY_DATA_DIR to another folder). Until then Slipway uses its defaults and saves no settings or recent projects; everything else works.`,
  )
}

/** Any failure of a save as an error that names the file and the fix. */
function asSettingsError(e: unknown, file: string): SlipwayError {
  if (e instanceof SlipwayError) return e
  const err = e as NodeJS.ErrnoException
  const folder = dirname(file)
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS')
    return new SlipwayError(
      'SettingsNotSaved',
      `Slipway cannot save its settings: ${folder} is not writable for you.`,
      `Make ${folder} writable (or set SLIPWAY_DATA_DIR to a folder that is). Until then settings and recent projects are not saved; everything else works.`,
    )
  if (err.code === 'ENOTDIR' || err.code === 'EISDIR' || err.code === 'EEXIST') return unusable(file, err)
  return new SlipwayError('SettingsNotSaved', `Slipway could not save its settings in ${file} (${err.code ?? err.message}).`, 'Settings and recent projects are not saved until this is fixed; everything else works.')
}

function noticeOf(e: unknown): string {
  if (e instanceof SlipwayError) return e.detail ? `${e.message} ${e.detail}` : e.message
  return e instanceof Error ? e.message : String(e)
}

/** Writes a private file (0600) whole or not at all, creating its folder (0700): for files in the data folder. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  await writeFileAtomically(file, text, { mode: 0o600 })
}
