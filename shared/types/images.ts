import type { WireError } from '../errors'
/** An image in the engine, as the Images page lists it. */
export interface ImageSummary {
  id: string
  repoTags: string[]
  created: number
  sizeBytes: number
  /** Labels Slipway sets on what it builds (org.opencontainers.image.*). */
  labels: Record<string, string>
  /** Containers made from it, running or stopped ("in use": it cannot be removed while there are any). */
  containers: number
  /** No tag and no digest (`docker images -f dangling=true`): usually an older build's leftover. */
  dangling: boolean
}

/** One step of an image's history, oldest first (`docker history`), before its content is read. */
export interface ImageStep {
  createdBy: string
  created: number
  /** Bytes the step's layer adds (0 for a metadata-only step). */
  sizeBytes: number
  comment: string
}

/** What the engine says about an image at once, without reading its content (`images.inspect`). */
export interface ImageDetails {
  id: string
  repoTags: string[]
  created: number
  sizeBytes: number
  os: string
  architecture: string
  variant?: string
  /** Layers in the root file system (`RootFS.Layers`). */
  layerCount: number
  history: ImageStep[]
  config: {
    user: string
    workingDir: string
    env: string[]
    /** `8080/tcp`, sorted. */
    exposedPorts: string[]
    entrypoint: string[]
    cmd: string[]
    labels: Record<string, string>
    stopSignal: string
    healthcheck: string[]
  }
}

/** Whether an image is here, or else whether its registry would give it (`images.check`). */
export interface ImageAvailability {
  ref: string
  /** The engine has it. */
  local: boolean
  /** Not here: the registry answered with its manifest (true), or refused / failed (false); null when here. */
  pullable: boolean | null
  /** The manifest digest the registry gave. */
  digest?: string
  /** Why it cannot be pulled, said as a pull of it would fail. */
  problem?: WireError
}

/** Whether a Slipway image is what a build would make now (see `images.slipway`). */
export type SlipwayImageStatus = 'current' | 'stale' | 'project-gone' | 'unknown'

/** One image Slipway built, with its labels read and its recipe compared with today's. */
export interface SlipwayImage {
  id: string
  repoTags: string[]
  created: number
  sizeBytes: number
  base: string
  /** The main package folder it was built from ("." or "cmd/api"). */
  main: string
  /** The Slipway version that built it. */
  version: string
  status: SlipwayImageStatus
  /** Why the status is what it is, in a sentence (the analysis error for "unknown"). */
  statusDetail: string
  /** Containers (running or not) made from this image: it cannot be deleted while there are any. */
  containers: number
}

/** One base of a project: its images, newest first (older builds of the same base are usually stale). */
export interface SlipwayBase {
  base: string
  images: SlipwayImage[]
}

/** A project folder and the images Slipway built from it, per base. */
export interface SlipwayProject {
  /** The absolute path in the image's org.slipway.project label. */
  dir: string
  /** The folder's name. */
  name: string
  /** The folder no longer exists. */
  gone: boolean
  bases: SlipwayBase[]
}
