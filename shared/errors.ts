/** The shape every error takes when it crosses a process or network boundary. */
export interface WireError {
  name: string
  message: string
  /** What the person can do about it, or more context. */
  detail?: string
}

/** An error whose message a person can act on; `detail` says what to do next. */
export class SlipwayError extends Error {
  constructor(
    name: string,
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

export type EngineProblem = 'not-running' | 'permission-denied' | 'unreachable' | 'api-too-old' | 'unknown'

/** Turns anything thrown into a WireError without losing the message or the advice. */
export function toWireError(e: unknown): WireError {
  if (e instanceof SlipwayError) return dropUndefined({ name: e.name, message: e.message, detail: e.detail })
  if (e instanceof Error) return { name: e.name && e.name !== 'Error' ? e.name : 'InternalError', message: e.message || 'Unexpected error' }
  return { name: 'InternalError', message: typeof e === 'string' ? e : 'Unexpected error' }
}

/** An error that arrived over the wire, rebuilt as a real Error on this side. */
export class RemoteError extends Error {
  readonly detail?: string
  constructor(wire: WireError) {
    super(wire.message)
    this.name = wire.name
    if (wire.detail !== undefined) this.detail = wire.detail
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
