/**
 * Additive-increase / multiplicative-decrease of a concurrency limit as a pure state machine, so the rules can be
 * tested without fibers. `AdaptiveConcurrency` runs it atomically around each request.
 */
import type * as Public from "../AdaptiveConcurrency.js"

/** @internal */
export interface Config {
  readonly min: number
  readonly max: number
  readonly initial: number
  readonly decreaseFactor: number
  readonly latencyThresholdMs: number | undefined
}

/** @internal */
export interface Core {
  readonly limit: number
  /** Bumped on every decrease: a request admitted before it says nothing about the new limit. */
  readonly epoch: number
  /** Healthy completions since the last change of the limit. */
  readonly healthy: number
  readonly decreases: number
  readonly increases: number
  readonly reason: string
}

/** @internal Declared by the public module: `AdaptiveConcurrency.Signal`. */
export type Signal = Public.Signal

/** @internal */
export const makeConfig = (options: {
  readonly min?: number | undefined
  readonly max: number
  readonly initial?: number | undefined
  readonly decreaseFactor?: number | undefined
  readonly latencyThresholdMs?: number | undefined
}): Config => {
  const min = options.min ?? 1
  const max = options.max
  const initial = options.initial ?? max
  const decreaseFactor = options.decreaseFactor ?? 0.5
  const isCount = (n: number) => Number.isInteger(n) && n >= 1
  if (!isCount(min) || !isCount(max) || min > max) {
    throw new Error(`AdaptiveConcurrency: need integers 1 <= min <= max, got min ${min}, max ${max}`)
  }
  if (!isCount(initial) || initial < min || initial > max) {
    throw new Error(`AdaptiveConcurrency: initial must be an integer in [${min}, ${max}], got ${initial}`)
  }
  if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
    throw new Error(`AdaptiveConcurrency: decreaseFactor must be in (0, 1), got ${decreaseFactor}`)
  }
  return { min, max, initial, decreaseFactor, latencyThresholdMs: options.latencyThresholdMs }
}

/** @internal */
export const initial = (config: Config): Core => ({
  limit: config.initial,
  epoch: 0,
  healthy: 0,
  decreases: 0,
  increases: 0,
  reason: "initial"
})

/**
 * One completed request admitted at `epoch`:
 * - overloaded (a server fault, or slower than the latency threshold): the limit is multiplied by `decreaseFactor`
 *   (rounded down, not below `min`), once per epoch, so a burst of concurrent failures halves it once, not to `min`;
 * - healthy: after `limit` healthy completions in a row (about one round of requests) the limit grows by 1, up to `max`.
 *
 * @internal
 */
export const step = (config: Config, core: Core, epoch: number, signal: Signal): Core => {
  if (signal._tag === "Ignore") return core
  const overload = signal._tag === "Overload"
    ? signal.reason
    : config.latencyThresholdMs !== undefined && signal.latencyMs > config.latencyThresholdMs
    ? `latency ${Math.round(signal.latencyMs)}ms above ${config.latencyThresholdMs}ms`
    : undefined
  if (overload !== undefined) {
    if (epoch !== core.epoch) return core
    const limit = Math.max(config.min, Math.floor(core.limit * config.decreaseFactor))
    if (limit === core.limit) return { ...core, healthy: 0 }
    return {
      ...core,
      limit,
      epoch: core.epoch + 1,
      healthy: 0,
      decreases: core.decreases + 1,
      reason: `${overload}: ${core.limit} → ${limit}`
    }
  }
  const healthy = core.healthy + 1
  if (healthy < core.limit || core.limit >= config.max) return { ...core, healthy }
  return {
    ...core,
    limit: core.limit + 1,
    healthy: 0,
    increases: core.increases + 1,
    reason: `${core.limit} healthy responses: ${core.limit} → ${core.limit + 1}`
  }
}
