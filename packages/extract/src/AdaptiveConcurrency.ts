/**
 * A bound on requests in flight, fixed or adaptive (AIMD: additive increase, multiplicative decrease).
 *
 * **Details**
 *
 * Every request runs under a permit. In adaptive mode each completion is classified by the caller:
 * - **overload** (a server fault — timeout, 5xx, reset —, or a success slower than `latencyThreshold`): the limit is
 *   halved (`decreaseFactor`), rounded down, never below `min`. Only requests admitted since the last decrease can
 *   trigger the next one, so a burst of concurrent failures halves the limit once;
 * - **healthy**: after `limit` healthy completions in a row (about one round of requests at the current limit) the
 *   limit grows by 1, up to `max`;
 * - **ignore** (e.g. a 400, the caller's fault).
 *
 * Shrinking never interrupts requests in flight: new ones wait until enough have finished. Changes of the limit are
 * published through a `SubscriptionRef` (`changes`).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as internal from "./internal/aimd.js"

/**
 * The limit and how it got there: `reason` of the last change (e.g. `"Timeout: 32 → 16"`).
 *
 * @since 0.1.0
 * @category models
 */
export const State = Schema.Struct({
  limit: Schema.Number,
  min: Schema.Number,
  max: Schema.Number,
  adaptive: Schema.Boolean,
  decreases: Schema.Number,
  increases: Schema.Number,
  reason: Schema.String
}).annotations({ identifier: "AdaptiveConcurrency.State" })

/**
 * @since 0.1.0
 * @category models
 */
export interface State extends Schema.Schema.Type<typeof State> {}

/**
 * How a completed request should move the limit.
 *
 * @since 0.1.0
 * @category models
 */
export type Signal =
  | { readonly _tag: "Success"; readonly latencyMs: number }
  | { readonly _tag: "Overload"; readonly reason: string }
  | { readonly _tag: "Ignore" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const success = (latency: Duration.DurationInput): Signal => ({
  _tag: "Success",
  latencyMs: Duration.toMillis(Duration.decode(latency))
})

/**
 * @since 0.1.0
 * @category constructors
 */
export const overload = (reason: string): Signal => ({ _tag: "Overload", reason })

/**
 * @since 0.1.0
 * @category constructors
 */
export const ignore: Signal = { _tag: "Ignore" }

/**
 * Options of the adaptive mode. Defaults: `min` 1, `initial` `max`, `decreaseFactor` 0.5, no latency threshold.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly max: number
  readonly min?: number | undefined
  readonly initial?: number | undefined
  readonly decreaseFactor?: number | undefined
  /** A success slower than this counts as overload. */
  readonly latencyThreshold?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AdaptiveConcurrency {
  /** The highest the limit can go (the fixed limit, when not adaptive). */
  readonly max: number
  /** The current limit and counters. */
  readonly state: Effect.Effect<State>
  /** Requests holding a permit right now. */
  readonly inFlight: Effect.Effect<number>
  /** The current state, then every change of the limit. */
  readonly changes: Stream.Stream<State>
  /** Runs the effect under a permit; `classify` turns its outcome into a {@link Signal} (ignored when fixed). */
  readonly withPermit: <A, E, R>(
    self: Effect.Effect<A, E, R>,
    classify: (exit: Exit.Exit<A, E>) => Signal
  ) => Effect.Effect<A, E, R>
}

const make_ = (config: internal.Config, adaptive: boolean): Effect.Effect<AdaptiveConcurrency> =>
  Effect.gen(function*() {
    const core = yield* Ref.make(internal.initial(config))
    // a plain counter: only read for reporting, and fibers never run in parallel
    let inFlight = 0
    const semaphore = yield* Effect.makeSemaphore(config.initial)
    const toState = (current: internal.Core): State => ({
      limit: current.limit,
      min: config.min,
      max: config.max,
      adaptive,
      decreases: current.decreases,
      increases: current.increases,
      reason: current.reason
    })
    const published = yield* SubscriptionRef.make(toState(internal.initial(config)))

    // Steps race; whoever publishes reads the latest core under the lock, so the semaphore and subscribers end on it.
    const publish = SubscriptionRef.updateEffect(
      published,
      (previous) =>
        Effect.flatMap(Ref.get(core), (latest) =>
          latest.limit === previous.limit && latest.reason === previous.reason
            ? Effect.succeed(previous)
            : Effect.as(semaphore.resize(latest.limit), toState(latest)))
    )

    const record = (epoch: number, signal: Signal): Effect.Effect<void> =>
      Effect.flatMap(
        Ref.modify(core, (current) => {
          const next = internal.step(config, current, epoch, signal)
          return [next.limit !== current.limit, next] as const
        }),
        (changed) => changed ? publish : Effect.void
      )

    const withPermit = <A, E, R>(
      self: Effect.Effect<A, E, R>,
      classify: (exit: Exit.Exit<A, E>) => Signal
    ): Effect.Effect<A, E, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(
          restore(semaphore.take(1)),
          Effect.suspend(() => {
            inFlight++
            const release = Effect.suspend(() => {
              inFlight--
              return semaphore.release(1)
            })
            if (!adaptive) return Effect.ensuring(restore(self), release)
            return Effect.flatMap(Ref.get(core), (admitted) =>
              Effect.onExit(restore(self), (exit) =>
                Effect.zipRight(
                  release,
                  Exit.isInterrupted(exit) ? Effect.void : record(admitted.epoch, classify(exit))
                )))
          })
        )
      )

    return {
      max: config.max,
      state: Effect.map(Ref.get(core), toState),
      inFlight: Effect.sync(() => inFlight),
      changes: published.changes,
      withPermit
    }
  })

/**
 * An adaptive (AIMD) limit. Invalid options (e.g. `min > max`) are a programmer mistake and a defect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<AdaptiveConcurrency> =>
  // a thrown validation error becomes a defect
  Effect.flatMap(
    Effect.sync(() =>
      internal.makeConfig({
        ...options,
        latencyThresholdMs: options.latencyThreshold === undefined
          ? undefined
          : Duration.toMillis(Duration.decode(options.latencyThreshold))
      })
    ),
    (config) => make_(config, true)
  )

/**
 * A fixed limit of `n` requests in flight.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fixed = (n: number): Effect.Effect<AdaptiveConcurrency> =>
  Effect.flatMap(Effect.sync(() => internal.makeConfig({ min: n, max: n })), (config) => make_(config, false))
