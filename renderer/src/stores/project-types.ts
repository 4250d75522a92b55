// The project slice's plain data types, apart from the slice so pure modules (and their tests)
// can use them without pulling in the transport.
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

/** What a save came to; the save dialog shows it. */
export type SaveOutcome = { ok: true } | { ok: false; error: WireError }
