// Cold starts measured before, by image id, in the data folder (cache/cold-starts.json) beside the
// layer measures: an image id names exactly the same files and config, so comparing an unchanged
// project again — in the app or in a later CLI run — shows the figure it measured then, with when,
// and starts no container. Only measured figures are kept (a start that failed is tried again).
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileAtomically } from '../atomic-write'

/** One measured cold start. */
export interface ColdStartFigure {
  ms: number
  note: string | null
  /** When it was measured (epoch ms). */
  measuredAt: number
}

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/
/** Kept figures; the oldest go first. */
const MAX = 200
// 2: the cold start leaves out network setup (a shared probe network); version 1's figures included it.
const VERSION = 2

/** Measured cold starts by image id, in memory and (when given a file) on disk. */
export class ColdStarts {
  private entries: Map<string, ColdStartFigure> | null = null
  private loading: Promise<Map<string, ColdStartFigure>> | null = null
  private writing: Promise<unknown> = Promise.resolve()

  constructor(private readonly file: string | null = null) {}

  /** The image's figure, or null when it was never measured (or the file is damaged). */
  async get(imageId: string): Promise<ColdStartFigure | null> {
    return (await this.load()).get(imageId) ?? null
  }

  /** Keeps a measured figure; a file that cannot be written only costs the next measurement. */
  async put(imageId: string, figure: ColdStartFigure): Promise<void> {
    if (!IMAGE_ID.test(imageId) || !Number.isFinite(figure.ms)) return
    const all = await this.load()
    all.delete(imageId)
    all.set(imageId, figure)
    while (all.size > MAX) all.delete(all.keys().next().value as string)
    const file = this.file
    if (!file) return
    const data = JSON.stringify({ v: VERSION, entries: [...all].map(([imageId, f]) => ({ imageId, ...f })) })
    const next = this.writing.then(() => mkdir(dirname(file), { recursive: true, mode: 0o700 }).then(() => writeFileAtomically(file, data, { mode: 0o600 })))
    this.writing = next.catch(() => undefined)
    await next.catch(() => undefined)
  }

  private load(): Promise<Map<string, ColdStartFigure>> {
    if (this.entries) return Promise.resolve(this.entries)
    this.loading ??= this.read().then((m) => (this.entries = m))
    return this.loading
  }

  private async read(): Promise<Map<string, ColdStartFigure>> {
    const all = new Map<string, ColdStartFigure>()
    if (!this.file) return all
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { v?: number; entries?: unknown }
      if (parsed.v !== VERSION || !Array.isArray(parsed.entries)) return all
      for (const e of parsed.entries as Record<string, unknown>[]) {
        if (!e || typeof e.imageId !== 'string' || !IMAGE_ID.test(e.imageId)) continue
        if (typeof e.ms !== 'number' || !Number.isFinite(e.ms) || e.ms < 0 || typeof e.measuredAt !== 'number') continue
        if (e.note !== null && typeof e.note !== 'string') continue
        all.set(e.imageId, { ms: e.ms, note: e.note as string | null, measuredAt: e.measuredAt })
      }
    } catch {
      // Missing or damaged: measured again.
    }
    return all
  }
}
