// A project's build and comparison history, one JSON file per project in the data folder
// (history/<hash of the project path>.json), written atomically. A damaged file is started afresh:
// history is a convenience, never a reason for a build to fail.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { BuildRecord, CompareResult } from '../../../shared/types/build'
import { writeAtomically } from '../settings'

const MAX_BUILDS = 100
const MAX_COMPARES = 30

interface HistoryFile {
  version: 1
  dir: string
  builds: BuildRecord[]
  compares: CompareResult[]
}

/** Per-project history of builds and comparisons, newest first. */
export class BuildHistory {
  private writing: Promise<unknown> = Promise.resolve()
  constructor(private readonly folder: string) {}

  /** The builds of the project in `dir`, newest first. */
  async builds(dir: string): Promise<BuildRecord[]> {
    return (await this.read(dir)).builds
  }

  /** The comparisons of the project in `dir`, newest first. */
  async compares(dir: string): Promise<CompareResult[]> {
    return (await this.read(dir)).compares
  }

  /** Adds a finished build. */
  addBuild(record: BuildRecord): Promise<void> {
    return this.change(record.dir, (h) => ({ ...h, builds: [record, ...h.builds].slice(0, MAX_BUILDS) }))
  }

  /** Adds a finished comparison. */
  addCompare(result: CompareResult): Promise<void> {
    return this.change(result.dir, (h) => ({ ...h, compares: [result, ...h.compares].slice(0, MAX_COMPARES) }))
  }

  private file(dir: string): string {
    return join(this.folder, `${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32)}.json`)
  }

  private async read(dir: string): Promise<HistoryFile> {
    const empty: HistoryFile = { version: 1, dir: resolve(dir), builds: [], compares: [] }
    try {
      const parsed = JSON.parse(await readFile(this.file(dir), 'utf8')) as Partial<HistoryFile>
      if (parsed.version !== 1 || !Array.isArray(parsed.builds) || !Array.isArray(parsed.compares)) return empty
      return { ...empty, builds: parsed.builds, compares: parsed.compares }
    } catch {
      return empty
    }
  }

  private change(dir: string, fn: (h: HistoryFile) => HistoryFile): Promise<void> {
    const next = this.writing.then(async () => {
      const updated = fn(await this.read(dir))
      await writeAtomically(this.file(dir), `${JSON.stringify(updated)}\n`)
    })
    this.writing = next.catch(() => undefined)
    return next
  }
}
