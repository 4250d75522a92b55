/**
 * Every error name that crosses a boundary, as constants: front ends compare
 * `error.name === ErrorName.FileChanged`, so a misspelt or retired name does not compile.
 * A new kind of failure gets its name here first.
 */
export const ErrorName = {
  // Requests and the transports
  BadRequest: 'BadRequest',
  Busy: 'Busy',
  Forbidden: 'Forbidden',
  NotAvailable: 'NotAvailable',
  TransportClosed: 'TransportClosed',
  Cancelled: 'Cancelled',
  InternalError: 'InternalError',
  // The Docker Engine
  EngineUnavailable: 'EngineUnavailable',
  EngineConfigError: 'EngineConfigError',
  EngineError: 'EngineError',
  /** A save, build or pull stopped moving: the engine sent nothing for too long (see idle-timeout.ts). */
  EngineStalled: 'EngineStalled',
  // Project folders and their files
  NotFound: 'NotFound',
  NotADirectory: 'NotADirectory',
  NotAFile: 'NotAFile',
  PermissionDenied: 'PermissionDenied',
  FolderTooBroad: 'FolderTooBroad',
  SymlinkLoop: 'SymlinkLoop',
  PathNotUtf8: 'PathNotUtf8',
  NotAGoProject: 'NotAGoProject',
  NotAProject: 'NotAProject',
  NoProject: 'NoProject',
  ProjectTooLarge: 'ProjectTooLarge',
  MainNotFound: 'MainNotFound',
  FileChanged: 'FileChanged',
  ReadFailed: 'ReadFailed',
  WriteFailed: 'WriteFailed',
  SymlinkNotWritten: 'SymlinkNotWritten',
  // Settings (never block the main job; see settings.ts)
  SettingsUnusable: 'SettingsUnusable',
  SettingsReadOnly: 'SettingsReadOnly',
  SettingsLocked: 'SettingsLocked',
  SettingsNotSaved: 'SettingsNotSaved',
  // Images and their layers
  ImageNotFound: 'ImageNotFound',
  ImagePullFailed: 'ImagePullFailed',
  ImageStreamTruncated: 'ImageStreamTruncated',
  ImageArchiveCorrupt: 'ImageArchiveCorrupt',
  LayerNotTar: 'LayerNotTar',
  LayerCompressionUnsupported: 'LayerCompressionUnsupported',
  IndexerFailed: 'IndexerFailed',
  IndexMissing: 'IndexMissing',
  /** Slipway deletes only images it built (labelled org.slipway.project). */
  NotSlipwayImage: 'NotSlipwayImage',
  /** A container (running or stopped) was made from the image. */
  ImageInUse: 'ImageInUse',
  // Builds
  BuildRunning: 'BuildRunning',
  BuildFailed: 'BuildFailed',
  PreflightFailed: 'PreflightFailed',
  UnknownBase: 'UnknownBase',
  CompareFailed: 'CompareFailed',
  // Running containers
  PortInUse: 'PortInUse',
  ContainerNotFound: 'ContainerNotFound',
  // Dev stacks (compose)
  /** Neither `docker compose` (v2) nor `docker-compose` (v1) could be run. */
  ComposeNotFound: 'ComposeNotFound',
  StackFailed: 'StackFailed',
  /** An up or down of the same project's stack is already running. */
  StackBusy: 'StackBusy',
  StackNotFound: 'StackNotFound',
  /** The app stops without a variable the stack would leave empty (said before anything is built or started). */
  RequiredVariableEmpty: 'RequiredVariableEmpty',
  // Bases made from Debian packages (electron/services/bases)
  /** No Debian mirror for the suite in the apt sources or the settings. */
  NoDebianMirror: 'NoDebianMirror',
  /** The mirror did not answer, answered an error, or stopped mid-download. */
  MirrorUnreachable: 'MirrorUnreachable',
  /** An index or package did not match its SHA256 (or the Release its signature): refused, nothing loaded. */
  MirrorVerificationFailed: 'MirrorVerificationFailed',
  /** A package or dependency of a base is in none of the mirror's indexes. */
  BaseUnresolvable: 'BaseUnresolvable',
  BaseMakeFailed: 'BaseMakeFailed',
  /** Another make of bases is running. */
  BaseMakeRunning: 'BaseMakeRunning',
} as const

/** One of the names in `ErrorName`. */
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName]

/** Whether `name` is one of Slipway's error names (anything else crosses as InternalError). */
export function isErrorName(name: unknown): name is ErrorName {
  return typeof name === 'string' && Object.hasOwn(ErrorName, name)
}

/** The shape every error takes when it crosses a process or network boundary. */
export interface WireError {
  name: ErrorName
  message: string
  /** What the person can do about it, or more context. */
  detail?: string
}

/** An error whose message a person can act on; `detail` says what to do next. */
export class SlipwayError extends Error {
  constructor(
    name: ErrorName,
    message: string,
    readonly detail?: string,
  ) {
    super(message)
    this.name = name
  }
}

/** Arguments that failed validation at the boundary. */
export class BadRequest extends SlipwayError {
  constructor(message: string, detail?: string) {
    super('BadRequest', message, detail)
  }
}

/** The Docker Engine cannot be used; `reason` tells the UI which fix to offer. */
export class EngineUnavailable extends SlipwayError {
  constructor(
    readonly reason: EngineProblem,
    message: string,
    detail?: string,
  ) {
    super('EngineUnavailable', message, detail)
  }
}

/** Why the engine cannot be used; `misconfigured`: the settings that name it (DOCKER_HOST, the context) are wrong. */
export type EngineProblem = 'not-running' | 'permission-denied' | 'unreachable' | 'misconfigured' | 'api-too-old' | 'unknown'

/**
 * Turns anything thrown into a WireError without losing the message or the advice: `detail` is
 * kept for every error that has one (a SlipwayError, a RemoteError passed along, an
 * EngineUnavailable), not only for SlipwayErrors. Names outside `ErrorName` (TypeError, a
 * library's own) cross as InternalError, so front ends only ever see names they can switch on.
 */
export function toWireError(e: unknown): WireError {
  if (e instanceof Error) {
    const detail = (e as { detail?: unknown }).detail
    return {
      name: isErrorName(e.name) ? e.name : ErrorName.InternalError,
      message: e.message || 'Unexpected error',
      ...(typeof detail === 'string' ? { detail } : {}),
    }
  }
  return { name: ErrorName.InternalError, message: typeof e === 'string' ? e : 'Unexpected error' }
}

/** An error that arrived over the wire, rebuilt as a real Error on this side. */
export class RemoteError extends Error {
  declare name: ErrorName
  readonly detail?: string
  constructor(wire: WireError) {
    super(wire.message)
    this.name = wire.name
    if (wire.detail !== undefined) this.detail = wire.detail
  }
}
