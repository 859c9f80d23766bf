/**
 * The circuit breaker as a pure state machine: every function takes the current state and the clock time and returns
 * the next state plus the transitions it made. `CircuitBreaker.make` runs these atomically and publishes the
 * transitions.
 */
import * as Duration from "effect/Duration"
import type * as CircuitBreaker from "../CircuitBreaker.js"

type State = CircuitBreaker.CircuitState

/** @internal */
export interface Config {
  readonly name: string
  readonly consecutiveFailures: number
  readonly errorRate:
    | { readonly threshold: number; readonly windowMs: number; readonly minRequests: number }
    | undefined
  readonly latency:
    | {
      readonly thresholdMs: number
      readonly percentile: number
      readonly windowMs: number
      readonly minRequests: number
    }
    | undefined
  readonly resetTimeoutMs: number
  readonly halfOpenMaxCalls: number
  readonly isFailure: (error: unknown) => boolean
  /** Samples older than this are dropped: the longest configured window. */
  readonly sampleWindowMs: number
  /** Hard cap on kept samples, so a busy circuit's memory and percentile cost stay bounded. */
  readonly maxSamples: number
}

/** @internal */
export interface Sample {
  readonly at: number
  readonly failure: boolean
  readonly latencyMs: number
}

/** @internal */
export interface Core {
  readonly state: State
  /** Bumped on every transition; outcomes of calls admitted under an older generation are ignored. */
  readonly generation: number
  readonly consecutiveFailures: number
  readonly samples: ReadonlyArray<Sample>
  readonly openedAt: number
  readonly openReason: string
  readonly probesInFlight: number
  readonly opened: number
  readonly rejected: number
}

/** @internal */
export interface Change {
  readonly from: State
  readonly to: State
  readonly atMillis: number
  readonly reason: string
}

/** @internal */
export interface Ticket {
  readonly generation: number
  readonly probe: boolean
  readonly startedAt: number
}

/** @internal */
export type Admission =
  | { readonly _tag: "Admitted"; readonly ticket: Ticket }
  | {
    readonly _tag: "Rejected"
    readonly reason: "Open" | "HalfOpen"
    readonly retryAfterMillis: number
    readonly message: string
  }

/** @internal */
export type Outcome = "success" | "failure" | "interrupted"

/** @internal */
export interface Step<B> {
  readonly result: B
  readonly core: Core
  readonly changes: ReadonlyArray<Change>
}

const DEFAULT_WINDOW_MS = 60_000
const DEFAULT_MAX_SAMPLES = 1_000

const fail = (message: string): never => {
  throw new globalThis.Error(`CircuitBreaker: ${message}`)
}
const check = (ok: boolean, message: string) => ok || fail(message)
const isFraction = (n: number) => n >= 0 && n <= 1
const isCount = (n: number) => (Number.isInteger(n) && n >= 1) || n === Infinity

/**
 * Normalizes and validates options; throws on a programmer mistake (the caller turns it into a defect).
 *
 * @internal
 */
export const makeConfig = (options: CircuitBreaker.Options): Config => {
  const errorRate = options.errorRate === undefined ? undefined : {
    threshold: options.errorRate.threshold,
    windowMs: Duration.toMillis(options.errorRate.window),
    minRequests: options.errorRate.minRequests ?? 10
  }
  const latency = options.latency === undefined ? undefined : {
    thresholdMs: Duration.toMillis(options.latency.threshold),
    percentile: options.latency.percentile ?? 0.95,
    windowMs: Duration.toMillis(options.latency.window),
    minRequests: options.latency.minRequests ?? 10
  }
  const config: Config = {
    name: options.name,
    consecutiveFailures: options.consecutiveFailures ?? 5,
    errorRate,
    latency,
    resetTimeoutMs: Duration.toMillis(options.resetTimeout ?? "30 seconds"),
    halfOpenMaxCalls: options.halfOpenMaxCalls ?? 1,
    isFailure: options.isFailure ?? (() => true),
    sampleWindowMs: Math.max(errorRate?.windowMs ?? 0, latency?.windowMs ?? 0) || DEFAULT_WINDOW_MS,
    maxSamples: Math.max(DEFAULT_MAX_SAMPLES, errorRate?.minRequests ?? 0, latency?.minRequests ?? 0)
  }
  check(isCount(config.consecutiveFailures), "consecutiveFailures must be an integer ≥ 1 (or Infinity)")
  check(Number.isInteger(config.halfOpenMaxCalls) && config.halfOpenMaxCalls >= 1, "halfOpenMaxCalls must be ≥ 1")
  check(Number.isFinite(config.resetTimeoutMs), "resetTimeout must be finite")
  if (errorRate !== undefined) {
    check(isFraction(errorRate.threshold), "errorRate.threshold must be within 0..1")
    check(errorRate.windowMs > 0 && Number.isFinite(errorRate.windowMs), "errorRate.window must be finite and > 0")
    check(isCount(errorRate.minRequests), "errorRate.minRequests must be ≥ 1")
  }
  if (latency !== undefined) {
    check(latency.percentile > 0 && latency.percentile <= 1, "latency.percentile must be within (0, 1]")
    check(latency.windowMs > 0 && Number.isFinite(latency.windowMs), "latency.window must be finite and > 0")
    check(isCount(latency.minRequests), "latency.minRequests must be ≥ 1")
  }
  return config
}

/** @internal */
export const initial: Core = {
  state: "Closed",
  generation: 0,
  consecutiveFailures: 0,
  samples: [],
  openedAt: 0,
  openReason: "",
  probesInFlight: 0,
  opened: 0,
  rejected: 0
}

/** Nearest-rank percentile (`p` in (0, 1]) of the values; 0 when empty. */
const percentile = (values: ReadonlyArray<number>, p: number): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
}

const within = (samples: ReadonlyArray<Sample>, now: number, windowMs: number) =>
  samples.filter((sample) => sample.at > now - windowMs)

const formatMillis = (millis: number) => Duration.format(Duration.millis(Math.max(0, Math.round(millis))))

const transition = (core: Core, to: State, now: number, reason: string, patch: Partial<Core>): Step<void> => ({
  result: undefined,
  core: { ...core, ...patch, state: to, generation: core.generation + 1 },
  changes: [{ from: core.state, to, atMillis: now, reason }]
})

const open = (core: Core, now: number, reason: string): Step<void> =>
  transition(core, "Open", now, reason, {
    openedAt: now,
    openReason: reason,
    opened: core.opened + 1,
    probesInFlight: 0
  })

/** Moves an open circuit whose cool-down has elapsed to half-open. */
const refresh = (config: Config, core: Core, now: number): Step<void> =>
  core.state === "Open" && now >= core.openedAt + config.resetTimeoutMs
    ? transition(core, "HalfOpen", now, `reset timeout of ${formatMillis(config.resetTimeoutMs)} elapsed`, {
      probesInFlight: 0
    })
    : { result: undefined, core, changes: [] }

const andThen = <B>(first: Step<void>, next: (core: Core) => Step<B>): Step<B> => {
  const second = next(first.core)
  return { ...second, changes: [...first.changes, ...second.changes] }
}

/**
 * Applies any due time-based transition.
 *
 * @internal
 */
export const tick = (config: Config) => (core: Core, now: number): Step<void> => refresh(config, core, now)

/**
 * Decides whether a call may run now.
 *
 * @internal
 */
export const admit = (config: Config) => (core: Core, now: number): Step<Admission> =>
  andThen(refresh(config, core, now), (core) => {
    const admitted = (probe: boolean, next: Core): Step<Admission> => ({
      result: { _tag: "Admitted", ticket: { generation: next.generation, probe, startedAt: now } },
      core: next,
      changes: []
    })
    const rejected = (reason: "Open" | "HalfOpen", retryAfterMillis: number): Step<Admission> => ({
      result: {
        _tag: "Rejected",
        reason,
        retryAfterMillis: Math.max(0, retryAfterMillis),
        message: reason === "Open"
          ? `circuit "${config.name}" is open after ${core.openReason}; next probe in ${formatMillis(retryAfterMillis)}`
          : `circuit "${config.name}" is half-open and already running its ${config.halfOpenMaxCalls} probe call(s)`
      },
      core: { ...core, rejected: core.rejected + 1 },
      changes: []
    })
    switch (core.state) {
      case "Closed":
        return admitted(false, core)
      case "HalfOpen":
        return core.probesInFlight < config.halfOpenMaxCalls
          ? admitted(true, { ...core, probesInFlight: core.probesInFlight + 1 })
          // a probe's outcome is unknown; the cool-down is a conservative guess of when to come back
          : rejected("HalfOpen", config.resetTimeoutMs)
      case "Open":
        return rejected("Open", core.openedAt + config.resetTimeoutMs - now)
    }
  })

/** The trip condition met by the closed circuit's recent outcomes, if any. */
const tripReason = (config: Config, core: Core, now: number): string | undefined => {
  if (core.consecutiveFailures >= config.consecutiveFailures) {
    return `${core.consecutiveFailures} consecutive failures`
  }
  if (config.errorRate !== undefined) {
    const { minRequests, threshold, windowMs } = config.errorRate
    const recent = within(core.samples, now, windowMs)
    const rate = recent.filter((sample) => sample.failure).length / recent.length
    if (recent.length >= minRequests && rate >= threshold) {
      return `an error rate of ${Math.round(rate * 100)}% (threshold ${
        Math.round(threshold * 100)
      }%) over the last ${recent.length} calls in ${formatMillis(windowMs)}`
    }
  }
  if (config.latency !== undefined) {
    const { minRequests, percentile: p, thresholdMs, windowMs } = config.latency
    const recent = within(core.samples, now, windowMs)
    // the nearest-rank percentile exceeds the threshold iff fewer than ceil(p·n) samples are within it: no sort needed
    const fast = recent.filter((sample) => sample.latencyMs <= thresholdMs).length
    if (recent.length >= minRequests && fast < Math.ceil(p * recent.length)) {
      const observed = percentile(recent.map((sample) => sample.latencyMs), p)
      return `a p${Math.round(p * 100)} latency of ${formatMillis(observed)} (threshold ${
        formatMillis(thresholdMs)
      }) over the last ${recent.length} calls in ${formatMillis(windowMs)}`
    }
  }
  return undefined
}

/**
 * Records the outcome of an admitted call.
 *
 * @internal
 */
export const complete = (config: Config, ticket: Ticket, outcome: Outcome) => (core: Core, now: number): Step<void> =>
  andThen(refresh(config, core, now), (core): Step<void> => {
    const unchanged: Step<void> = { result: undefined, core, changes: [] }
    // the circuit moved on since this call was admitted: its outcome says nothing about the current state
    if (ticket.generation !== core.generation) return unchanged
    const latencyMs = now - ticket.startedAt
    if (core.state === "HalfOpen") {
      const released = { ...core, probesInFlight: Math.max(0, core.probesInFlight - 1) }
      if (outcome === "interrupted") return { ...unchanged, core: released }
      if (outcome === "failure") return open(released, now, "a failed half-open probe")
      if (config.latency !== undefined && latencyMs > config.latency.thresholdMs) {
        return open(
          released,
          now,
          `a slow half-open probe (${formatMillis(latencyMs)} > ${formatMillis(config.latency.thresholdMs)})`
        )
      }
      return transition(released, "Closed", now, "a successful half-open probe", {
        consecutiveFailures: 0,
        samples: []
      })
    }
    if (core.state !== "Closed" || outcome === "interrupted") return unchanged
    const failure = outcome === "failure"
    const kept = within(core.samples, now, config.sampleWindowMs)
    const next: Core = {
      ...core,
      consecutiveFailures: failure ? core.consecutiveFailures + 1 : 0,
      samples: [...kept.slice(Math.max(0, kept.length + 1 - config.maxSamples)), { at: now, failure, latencyMs }]
    }
    const reason = tripReason(config, next, now)
    return reason === undefined ? { ...unchanged, core: next } : open(next, now, reason)
  })

/**
 * Health figures over the configured windows (the default window when none is configured).
 *
 * @internal
 */
export const stats = (config: Config, core: Core, now: number) => {
  const errorWindow = within(core.samples, now, config.errorRate?.windowMs ?? config.sampleWindowMs)
  const latencyWindow = within(core.samples, now, config.latency?.windowMs ?? config.sampleWindowMs)
  return {
    state: core.state,
    consecutiveFailures: core.consecutiveFailures,
    errorRate: errorWindow.length === 0
      ? 0
      : errorWindow.filter((sample) => sample.failure).length / errorWindow.length,
    p95LatencyMs: percentile(latencyWindow.map((sample) => sample.latencyMs), 0.95),
    calls: errorWindow.length,
    opened: core.opened,
    rejected: core.rejected
  }
}
