import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { defaultSettings, settingsSchema, withRecent, type Settings, type SettingsPatch } from '../../shared/settings'

/** What loading found: the settings, and a message when the file had to be set aside. */
export interface LoadedSettings {
  settings: Settings
  notice?: string
}

/**
 * Settings in one JSON file, written atomically (temp file, fsync, rename). A file that cannot be
 * read as settings is renamed aside — never silently overwritten — and the user is told where it is.
 */
export class SettingsStore {
  private cached: Promise<LoadedSettings> | undefined
  private writing: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads once per process; later calls return the same result. */
  load(): Promise<LoadedSettings> {
    this.cached ??= this.read()
    return this.cached
  }

  /** Changes the given fields and saves. */
  async update(patch: SettingsPatch): Promise<Settings> {
    return this.change((s) => ({ ...s, ...patch }))
  }

  /** Records a project as the most recently opened. */
  async addRecent(path: string, name: string): Promise<Settings> {
    return this.change((s) => ({ ...s, recentProjects: withRecent(s.recentProjects, { path, name, openedAt: this.now() }) }))
  }

  /** Forgets one recent project (e.g. its folder was deleted). */
  async removeRecent(path: string): Promise<Settings> {
    return this.change((s) => ({ ...s, recentProjects: s.recentProjects.filter((p) => p.path !== path) }))
  }

  private async change(fn: (s: Settings) => Settings): Promise<Settings> {
    // Serialise writers so two quick changes cannot interleave and lose one.
    const next = this.writing.then(async () => {
      const { settings, notice } = await this.load()
      const updated = settingsSchema.parse(fn(settings))
      await writeAtomically(this.file, `${JSON.stringify(updated, null, 2)}\n`)
      this.cached = Promise.resolve(notice === undefined ? { settings: updated } : { settings: updated, notice })
      return updated
    })
    this.writing = next.catch(() => undefined)
    return next
  }

  private async read(): Promise<LoadedSettings> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings() }
      throw e
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
    await rename(this.file, aside)
    return {
      settings: defaultSettings(),
      notice: `Your settings file could not be read (${problem}). It was kept as ${aside}; Slipway started with defaults.`,
    }
  }
}

/** Writes a whole file or nothing: a crash mid-write leaves the old file in place. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(tmp, file)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}
