// The project slice's plain data types, apart from the slice so pure modules (and their tests)
// can use them without pulling in the transport.
import type { ProjectFileName } from '../../../shared/contract'
import type { WireError } from '../../../shared/errors'

/** Why a folder could not be opened, with the folder it was about (so the page can offer to forget it). */
export interface ProjectError extends WireError {
  dir: string
}

/** The recipe choices besides the base; blank text means "the default" (from settings, go.mod or git). */
export interface RecipeSettings {
  /** null: follow the engine (BuildKit cache mounts when it has BuildKit). */
  buildkit: boolean | null
  builderImage: string
  version: string
  commit: string
}

/** The last file Slipway wrote into the shown project: the save toast says where, and can undo it. */
export interface LastSave {
  dir: string
  name: ProjectFileName
  path: string
  /** The file before the save; null: the save created it (nothing to restore). */
  previous: string | null
  written: string
  at: number
}

/** What a save came to; the save dialog shows it. */
export type SaveOutcome = { ok: true } | { ok: false; error: WireError }
