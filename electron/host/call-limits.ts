import type { Method } from '../../shared/contract'
import { ErrorName, SlipwayError } from '../../shared/errors'

/**
 * Calls that can keep the host busy for long (walking a whole folder tree, reading an image,
 * starting builds). A page, or many pages, firing them in a loop must not starve everyone else:
 * the host runs only a few at once and answers the rest with Busy at once, rather than queueing
 * them (a queue would hold the work, and the memory, the caller has long given up on).
 */
export const EXPENSIVE_METHODS: ReadonlySet<string> = new Set<Method>([
  'project.analyze',
  'build.preflight',
  'build.start',
  'compare.start',
  'layers.index',
  'run.start',
  'stack.up',
  'stack.propose',
  'stack.export',
  'images.slipway',
  'images.check',
])

export interface CallLimitOptions {
  /** Expensive calls one connection may have running at once (default 4). */
  perConnection?: number
  /** Expensive calls all connections together may have running at once (default 8). */
  overall?: number
}

/** One connection's share of the limits; made by `CallLimits.connection()`. */
export interface ConnectionSlots {
  /**
   * Runs `work` when `method` is cheap or there is room for it; otherwise throws Busy (a
   * SlipwayError whose message says how many are running and whose detail says what to do).
   */
  run<T>(method: string, work: () => Promise<T>): Promise<T>
  /** Expensive calls of this connection running now. */
  readonly active: number
}

/** A small counting semaphore per connection and for the whole host, for EXPENSIVE_METHODS only. */
export class CallLimits {
  private running = 0
  readonly perConnection: number
  readonly overall: number

  constructor(opts: CallLimitOptions = {}) {
    this.perConnection = opts.perConnection ?? 4
    this.overall = opts.overall ?? 8
  }

  /** Expensive calls running now, over all connections. */
  get active(): number {
    return this.running
  }

  /** A fresh share for one new connection. */
  connection(): ConnectionSlots {
    let mine = 0
    const total = { get: () => this.running, add: (n: number) => (this.running += n) }
    const { perConnection, overall } = this
    return {
      get active() {
        return mine
      },
      async run<T>(method: string, work: () => Promise<T>): Promise<T> {
        if (!EXPENSIVE_METHODS.has(method)) return work()
        if (mine >= perConnection)
          throw new SlipwayError(
            ErrorName.Busy,
            `This page already has ${mine} long requests running, so "${method}" was not started.`,
            'Wait for one to finish (an analysis, a build or an image being read), then try again.',
          )
        if (total.get() >= overall)
          throw new SlipwayError(
            ErrorName.Busy,
            `Slipway is busy: ${total.get()} long requests are running, so "${method}" was not started.`,
            'Wait for one to finish, or close other Slipway tabs, then try again.',
          )
        mine++
        total.add(1)
        try {
          return await work()
        } finally {
          mine--
          total.add(-1)
        }
      },
    }
  }
}
