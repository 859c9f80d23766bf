/**
 * A circuit breaker usable around any `Effect`: closed → open → half-open → closed.
 *
 * **Details**
 *
 * - **Closed**: calls run; their outcomes are recorded. The circuit opens after `consecutiveFailures` failures in a
 *   row, or when the `errorRate` over its rolling window reaches its threshold, or when the `latency` percentile over
 *   its window exceeds its threshold (slow calls count against health even when they succeed). The rate and latency
 *   triggers wait for `minRequests` calls in their window.
 * - **Open**: calls fail fast with a {@link CircuitBreakerError} (reason `"Open"`, with `retryAfterMillis`) without
 *   running. After `resetTimeout` the circuit becomes half-open.
 * - **HalfOpen**: up to `halfOpenMaxCalls` probe calls run at once; others are rejected (reason `"HalfOpen"`). The first
 *   probe to succeed closes the circuit (with fresh counters); a probe that fails (or, with `latency`, is slower than
 *   its threshold) opens it again.
 *
 * What counts: a typed error for which `isFailure` returns `false` (e.g. an HTTP 400, the caller's fault) counts as a
 * success — the server answered. Defects count as failures; interruptions count as nothing. Outcomes of calls admitted
 * before the last transition are ignored (they describe the old state).
 *
 * Time comes from the `Clock`, so `TestClock` drives the windows and the cool-down. The half-open transition happens
 * on the next call or read after the cool-down, and also from a timer fiber held in the `Scope` of {@link make}, so
 * `changes` reports it even when no call arrives. State changes are published through a `SubscriptionRef`.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberHandle from "effect/FiberHandle"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as internal from "./internal/circuitBreaker.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@baliza/core/CircuitBreaker")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * @since 0.1.0
 * @category models
 */
export const CircuitState = Schema.Literal("Closed", "Open", "HalfOpen")

/**
 * @since 0.1.0
 * @category models
 */
export type CircuitState = typeof CircuitState.Type

/**
 * One transition of a circuit, with why it happened (e.g. `"5 consecutive failures"`).
 *
 * @since 0.1.0
 * @category models
 */
export const CircuitStateChange = Schema.Struct({
  circuit: Schema.String,
  from: CircuitState,
  to: CircuitState,
  atMillis: Schema.Number,
  reason: Schema.String
}).annotations({ identifier: "CircuitStateChange" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CircuitStateChange extends Schema.Schema.Type<typeof CircuitStateChange> {}

/**
 * Health figures: `errorRate` (0..1) over the error-rate window and `p95LatencyMs` over the latency window (each the
 * default 1-minute window when not configured; 0 when there were no calls), `calls` in the error-rate window, how
 * many times the circuit `opened` and how many calls were `rejected` since creation.
 *
 * @since 0.1.0
 * @category models
 */
export const Stats = Schema.Struct({
  state: CircuitState,
  consecutiveFailures: Schema.Number,
  errorRate: Schema.Number,
  p95LatencyMs: Schema.Number,
  calls: Schema.Number,
  opened: Schema.Number,
  rejected: Schema.Number
}).annotations({ identifier: "CircuitBreakerStats" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Stats extends Schema.Schema.Type<typeof Stats> {}

/**
 * A call rejected by an open (or busy half-open) circuit.
 *
 * @since 0.1.0
 * @category errors
 */
export class CircuitBreakerError extends Schema.TaggedError<CircuitBreakerError>("@baliza/core/CircuitBreakerError")(
  "CircuitBreakerError",
  {
    reason: Schema.Literal("Open", "HalfOpen"),
    circuit: Schema.String,
    /** When a call may be admitted again (a hint: the end of the cool-down). */
    retryAfterMillis: Schema.Number,
    message: Schema.String
  }
) {}

/**
 * Options for {@link make}. Defaults: `consecutiveFailures` 5, `resetTimeout` 30 seconds, `halfOpenMaxCalls` 1,
 * `minRequests` 10, `latency.percentile` 0.95, every typed error is a failure.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Shown in errors and transitions, e.g. the host: `"pncp.gov.br"`. */
  readonly name: string
  /** Open after this many failures in a row (`Infinity` disables the trigger). */
  readonly consecutiveFailures?: number | undefined
  /** Open when the failure fraction of calls in the rolling `window` reaches `threshold` (0..1). */
  readonly errorRate?: {
    readonly threshold: number
    readonly window: Duration.DurationInput
    readonly minRequests?: number | undefined
  } | undefined
  /** Open when the `percentile` latency of calls in the rolling `window` exceeds `threshold`. */
  readonly latency?: {
    readonly threshold: Duration.DurationInput
    readonly percentile?: number | undefined
    readonly window: Duration.DurationInput
    readonly minRequests?: number | undefined
  } | undefined
  /** Cool-down in the open state before probing. */
  readonly resetTimeout?: Duration.DurationInput | undefined
  /** Probe calls allowed at once while half-open. */
  readonly halfOpenMaxCalls?: number | undefined
  /** Whether a typed error counts against the circuit's health; `false` counts it as a success. */
  readonly isFailure?: ((error: unknown) => boolean) | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CircuitBreaker {
  readonly [TypeId]: TypeId
  readonly name: string
  /** The current state (applying a due open → half-open transition first). */
  readonly state: Effect.Effect<CircuitState>
  /**
   * The latest transition (at creation a `Closed → Closed` change with reason `"created"`), then every later
   * transition, in order. The first element arrives at once, so a subscriber knows it is listening.
   */
  readonly changes: Stream.Stream<CircuitStateChange>
  readonly stats: Effect.Effect<Stats>
  /** Runs the effect if the circuit admits it and records its outcome; fails fast otherwise. */
  readonly protect: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CircuitBreakerError, R>
}

/**
 * @since 0.1.0
 * @category guards
 */
export const isCircuitBreaker = (u: unknown): u is CircuitBreaker => Predicate.hasProperty(u, TypeId)

interface Cell {
  readonly core: internal.Core
  /** Transitions made but not yet published. */
  readonly pending: ReadonlyArray<internal.Change>
  /** The latest time a step saw. */
  readonly now: number
}

/**
 * Creates a circuit breaker (closed). The `Scope` holds the timer that half-opens the circuit after its cool-down.
 * Invalid options (e.g. `halfOpenMaxCalls: 0`) are a programmer mistake and a defect.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@baliza/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const breaker = yield* CircuitBreaker.make({ name: "api.example", consecutiveFailures: 5, resetTimeout: "30 seconds" })
 *   return yield* breaker.protect(Effect.succeed("response"))
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<CircuitBreaker, never, Scope.Scope> =>
  Effect.gen(function*() {
    // a thrown validation error becomes a defect
    const config = yield* Effect.sync(() => internal.makeConfig(options))
    const created = yield* Clock.currentTimeMillis
    const cell = yield* Ref.make<Cell>({ core: internal.initial, pending: [], now: created })
    const transitions = yield* SubscriptionRef.make<CircuitStateChange>({
      circuit: config.name,
      from: "Closed",
      to: "Closed",
      atMillis: created,
      reason: "created"
    })
    const publishing = yield* Effect.makeSemaphore(1)
    const timer = yield* FiberHandle.make<void, never>()

    // Transitions queue up in the cell in the order the steps ran; whoever drains takes all of them under the lock, so
    // subscribers see them in that order.
    const publishPending = publishing.withPermits(1)(
      Effect.flatMap(
        Ref.modify(cell, (current) => [current.pending, { ...current, pending: [] }]),
        (changes) =>
          Effect.forEach(changes, (change) => SubscriptionRef.set(transitions, { circuit: config.name, ...change }), {
            discard: true
          })
      )
    )

    // The hot path is one atomic `Ref.modify` of a pure step (a semaphore per call would cost far more); the lock is
    // only taken when a step made a transition.
    const run = <B>(step: (core: internal.Core, now: number) => internal.Step<B>): Effect.Effect<B> =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((clock) =>
          Ref.modify(cell, (current): readonly [readonly [B, boolean, boolean], Cell] => {
            // fibers read the clock before the modify: keep time monotonic across them
            const now = Math.max(clock, current.now)
            const { changes, core, result } = step(current.core, now)
            if (changes.length === 0) return [[result, false, false] as const, { ...current, core, now }]
            const pending = [...current.pending, ...changes]
            return [[result, true, core.state === "Open"] as const, { core, pending, now }]
          })
        ),
        Effect.flatMap(([result, changed, opened]) =>
          changed
            ? publishPending.pipe(
              // forked from an uninterruptible region: say explicitly that the timer may be interrupted (scope close, re-open)
              Effect.zipRight(opened ? FiberHandle.run(timer, Effect.interruptible(halfOpenTimer)) : Effect.void),
              Effect.as(result)
            )
            : Effect.succeed(result)
        ),
        Effect.uninterruptible
      )

    // Half-opens the circuit when its cool-down ends, so `changes` reports it without waiting for a call. It loops
    // because the circuit may re-open (with a later deadline) while it sleeps.
    const halfOpenTimer: Effect.Effect<void> = Effect.gen(function*() {
      while (true) {
        const { core } = yield* Ref.get(cell)
        if (core.state !== "Open") return
        const now = yield* Clock.currentTimeMillis
        yield* Effect.sleep(core.openedAt + config.resetTimeoutMs - now)
        yield* run(internal.tick(config))
      }
    })

    const read = <B>(f: (core: internal.Core, now: number) => B): Effect.Effect<B> =>
      run((current, now) => {
        const step = internal.tick(config)(current, now)
        return { ...step, result: f(step.core, now) }
      })

    const classify = (exit: Exit.Exit<unknown, unknown>): internal.Outcome => {
      if (Exit.isSuccess(exit)) return "success"
      const failure = Cause.failureOption(exit.cause)
      if (Option.isSome(failure)) return config.isFailure(failure.value) ? "failure" : "success"
      return Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "failure"
    }

    const protect = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitBreakerError, R> =>
      // uninterruptible between admission and registering the outcome, so a probe slot is never leaked
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(run(internal.admit(config)), (admission): Effect.Effect<A, E | CircuitBreakerError, R> =>
          admission._tag === "Rejected"
            ? Effect.fail(
              new CircuitBreakerError({
                reason: admission.reason,
                circuit: config.name,
                retryAfterMillis: admission.retryAfterMillis,
                message: admission.message
              })
            )
            : Effect.onExit(
              restore(self),
              (exit) => run(internal.complete(config, admission.ticket, classify(exit)))
            ))
      )

    const breaker: CircuitBreaker = {
      [TypeId]: TypeId,
      name: config.name,
      state: read((current) => current.state),
      changes: transitions.changes,
      stats: read((current, now) => internal.stats(config, current, now)),
      protect
    }
    return breaker
  })

/**
 * Runs an effect through a circuit breaker (`breaker.protect`, pipeable).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCircuitBreaker: {
  (breaker: CircuitBreaker): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CircuitBreakerError, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, breaker: CircuitBreaker): Effect.Effect<A, E | CircuitBreakerError, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, breaker: CircuitBreaker): Effect.Effect<A, E | CircuitBreakerError, R> =>
    breaker.protect(self)
)
