// What crosses the contract about made bases (bases.list, bases.make and their events).
import type { MadeBaseId } from './recipes'

/** A base Slipway can make, and whether the engine has it now. */
export interface MadeBase {
  id: MadeBaseId
  label: string
  summary: string
  /** The image reference it is made as (repository:suite). */
  image: string
  /** The catalog base it stands in for (distroless-static, …), or "builder". */
  standsFor: string
  /** The engine has an image under `image` made by Slipway. */
  present: boolean
  /** The made image is from the recipe this version of Slipway would use. */
  current: boolean
  /** The hash of that recipe, as a current image carries it in its label org.slipway.made.recipe. */
  recipe: string
  imageId: string | null
  sizeBytes: number | null
  suite: string
  /** Exact packages and versions inside (from the image's labels), or the recipe's roots when not made. */
  packages: { name: string; version: string }[]
}

/** What a make job is doing now. */
export type MakePhase = 'indexes' | 'resolving' | 'downloading' | 'unpacking' | 'loading'

export interface BasesProgress {
  jobId: string
  base: MadeBaseId
  phase: MakePhase
  /** Units done and total for the phase (bytes when downloading, packages when unpacking); total 0: unknown. */
  done: number
  total: number
  message: string
}

/** One base made by a job. */
export interface MadeResult {
  id: MadeBaseId
  image: string
  imageId: string
  sizeBytes: number
  packages: { name: string; version: string }[]
  seconds: number
}
