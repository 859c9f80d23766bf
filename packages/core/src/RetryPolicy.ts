/**
 * A declarative retry policy (attempts, exponential backoff, cap, jitter, which errors, `Retry-After`) that becomes a
 * `Schedule`.
 *
 * **Details**
 *
 * The numeric part ({@link Settings}) is a `Schema`, so a policy can be printed, stored in the event log and decoded
 * back; the two functions (`retryOn`, `delayFromError`) are not serialized.
 *
 * Delay of retry `k` (1-based), before jitter: `min(baseDelay · factor^(k-1), maxDelay)`. Without a `maxDelay` the
 * cap is 10 seconds, or `baseDelay` when that is longer (a policy asked to wait a minute waits a minute).
 *
 * Jitter `j` draws each delay uniformly from `[(1 - j) · d, d]`, where `d` is the capped delay: `j = 1` is "full
 * jitter", `j = 0.5` is "equal jitter", the default `0.2` keeps delays within 80–100% of nominal. Jitter never
 * lengthens a delay, so `maxDelay` stays a hard cap.
 *
 * When `delayFromError` returns `Some` (an HTTP `Retry-After`), that delay replaces the backoff delay: it is not
 * jittered and not capped by `maxDelay`, only by `maxRetryAfter` (default 5 minutes). The retry still counts as an
 * attempt.
 *
 * `retry` and `retryWith` retry failures (the error channel) only. A step's policy (`Asset.retryPolicy`) sees more: the
 * `Materializer` retries a step whose attempt dies with a defect (a throw inside `Effect.sync`, a rejected
 * `Effect.promise`) like a failure, as Dagster retries any exception, `retryOn` and `delayFromError` receiving the
 * defect as the error (so the default `retryOn`, always, retries it). An interruption is never retried.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual, identity } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@baliza/core/RetryPolicy")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/** Finite, non-negative milliseconds ⇄ `Duration` (finite so the settings survive JSON). */
const Millis = Schema.transform(
  Schema.NonNegative.pipe(Schema.finite()),
  Schema.DurationFromSelf,
  { strict: true, decode: (millis) => Duration.millis(millis), encode: (duration) => Duration.toMillis(duration) }
).annotations({ identifier: "Millis" })

/**
 * The serializable part of a policy. Encodes delays as milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const Settings = Schema.Struct({
  /** Total attempts, including the first one (1 = no retry). */
  maxAttempts: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  /** Delay before the first retry. */
  baseDelay: Millis,
  /** Growth of the delay between consecutive retries. */
  factor: Schema.Number.pipe(Schema.finite(), Schema.greaterThanOrEqualTo(1)),
  /** Cap on the backoff delay. */
  maxDelay: Millis,
  /** Fraction of each delay that may be randomly removed (0 = none, 1 = full jitter). */
  jitter: Schema.Number.pipe(Schema.between(0, 1)),
  /** Cap on a delay requested by the error itself (`Retry-After`). */
  maxRetryAfter: Millis
}).annotations({ identifier: "RetryPolicy.Settings" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Settings extends Schema.Schema.Type<typeof Settings> {}

/**
 * A retry policy: {@link Settings} plus which errors to retry and an optional delay read from the error.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy extends Settings, Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /**
   * Whether an error should be retried; errors for which it is `false` fail at once. Defaults to always. For a step, a
   * defect is passed here too (see the module's docs).
   */
  readonly retryOn: (error: unknown) => boolean
  /** A delay dictated by the error (e.g. `Retry-After`); overrides the backoff when `Some`. */
  readonly delayFromError: (error: unknown) => Option.Option<Duration.Duration>
}

/**
 * Options for {@link make}; missing numbers come from {@link default}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly maxAttempts?: number | undefined
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly factor?: number | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly jitter?: number | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  readonly retryOn?: ((error: unknown) => boolean) | undefined
  readonly delayFromError?: ((error: unknown) => Option.Option<Duration.DurationInput>) | undefined
}

/**
 * An invalid policy (a programmer mistake: negative delay, `factor < 1`, `jitter > 1`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class RetryPolicyError extends Schema.TaggedError<RetryPolicyError>("@baliza/core/RetryPolicyError")(
  "RetryPolicyError",
  {
    reason: Schema.Literal("InvalidSettings"),
    message: Schema.String
  }
) {}

const Proto = {
  [TypeId]: TypeId,
  toJSON(this: RetryPolicy) {
    return { _id: "RetryPolicy", ...Schema.encodeSync(Settings)(this) }
  },
  toString(this: RetryPolicy) {
    return Inspectable.format(this.toJSON())
  },
  [Inspectable.NodeInspectSymbol](this: RetryPolicy) {
    return this.toJSON()
  }
}

const defaults = {
  maxAttempts: 3,
  baseDelay: 200,
  factor: 2,
  maxDelay: 10_000,
  jitter: 0.2,
  maxRetryAfter: 300_000
} as const

// Numbers pass through unchanged so the schema can reject negatives and NaN (Duration.millis would clamp them to 0).
const toMillis = (input: Duration.DurationInput): number =>
  Predicate.isNumber(input) ? input : Duration.toMillis(Duration.decode(input))

/**
 * Builds a policy, returning a {@link RetryPolicyError} when a number is out of range.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (options: Options = {}): Either.Either<RetryPolicy, RetryPolicyError> =>
  Either.try({
    try: () => ({
      maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
      baseDelay: toMillis(options.baseDelay ?? defaults.baseDelay),
      factor: options.factor ?? defaults.factor,
      maxDelay: options.maxDelay === undefined
        ? Math.max(defaults.maxDelay, toMillis(options.baseDelay ?? defaults.baseDelay))
        : toMillis(options.maxDelay),
      jitter: options.jitter ?? defaults.jitter,
      maxRetryAfter: toMillis(options.maxRetryAfter ?? defaults.maxRetryAfter)
    }),
    catch: (cause) =>
      new RetryPolicyError({ reason: "InvalidSettings", message: `invalid retry policy: ${String(cause)}` })
  }).pipe(
    Either.flatMap((encoded) =>
      Either.mapLeft(
        Schema.decodeEither(Settings)(encoded),
        (error) =>
          new RetryPolicyError({
            reason: "InvalidSettings",
            message: `invalid retry policy: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          })
      )
    ),
    Either.map((settings) => {
      const delayFromError = options.delayFromError
      return Object.assign(Object.create(Proto), settings, {
        retryOn: options.retryOn ?? (() => true),
        delayFromError: delayFromError === undefined
          ? () => Option.none()
          : (error: unknown) => Option.map(delayFromError(error), Duration.decode)
      })
    })
  )

/**
 * Builds a policy. Policies are usually constants in code, so invalid numbers are a programmer mistake and throw the
 * {@link RetryPolicyError}; use {@link validate} for user-supplied values.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@baliza/core"
 *
 * const policy = RetryPolicy.make({ maxAttempts: 5, baseDelay: "1 second", maxDelay: "30 seconds" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): RetryPolicy => Either.getOrThrowWith(validate(options), identity)

/**
 * Exponential backoff from `baseDelay`; other options as in {@link make}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const exponential = (baseDelay: Duration.DurationInput, options: Omit<Options, "baseDelay"> = {}): RetryPolicy =>
  make({ ...options, baseDelay })

/**
 * A single attempt: never retries.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: RetryPolicy = make({ maxAttempts: 1 })

/**
 * 3 attempts, 200ms base delay, ×2, capped at 10s, jitter 0.2, `Retry-After` capped at 5 minutes.
 *
 * @since 0.1.0
 * @category constructors
 */
const defaultPolicy: RetryPolicy = make()

// `default` is a reserved word for a binding, so the const is renamed on export: `RetryPolicy.default`.
export { defaultPolicy as default }

/**
 * @since 0.1.0
 * @category guards
 */
export const isRetryPolicy = (u: unknown): u is RetryPolicy => Predicate.hasProperty(u, TypeId)

/**
 * Copies a policy with some options changed (validated as in {@link make}).
 *
 * @since 0.1.0
 * @category combinators
 */
export const modify: {
  (options: Options): (self: RetryPolicy) => RetryPolicy
  (self: RetryPolicy, options: Options): RetryPolicy
} = dual(2, (self: RetryPolicy, options: Options): RetryPolicy => make({ ...self, ...options }))

/**
 * The nominal (un-jittered, capped) delay before retry `retry` (1-based).
 *
 * @since 0.1.0
 * @category utils
 */
export const nominalDelay = (policy: Settings, retry: number): Duration.Duration =>
  Duration.min(Duration.times(policy.baseDelay, Math.pow(policy.factor, retry - 1)), policy.maxDelay)

/**
 * The first `n` nominal delays (no jitter, no `Retry-After`), never more than the policy would make
 * (`maxAttempts - 1`). For docs, `--dry-run` and tests.
 *
 * @since 0.1.0
 * @category utils
 */
export const delays = (policy: Settings, n: number): ReadonlyArray<Duration.Duration> =>
  Array.from({ length: Math.max(0, Math.min(n, policy.maxAttempts - 1)) }, (_, i) => nominalDelay(policy, i + 1))

/**
 * A one-line human summary, e.g. `3 attempts, 200ms ×2 up to 10s, jitter 20%`.
 *
 * @since 0.1.0
 * @category utils
 */
export const format = (policy: Settings): string =>
  policy.maxAttempts === 1
    ? "1 attempt (no retry)"
    : `${policy.maxAttempts} attempts, ${Duration.format(policy.baseDelay)} ×${policy.factor} up to ${
      Duration.format(policy.maxDelay)
    }, jitter ${Math.round(policy.jitter * 100)}%`

/**
 * What {@link retryWith} calls before each retry: `attempt` is the 1-based number of the attempt that just failed
 * (so the next attempt is `attempt + 1`), `delay` the actual wait before it (jittered or `Retry-After`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryWithOptions<E, R> {
  readonly onRetry: (attempt: number, error: E, delay: Duration.Duration) => Effect.Effect<void, never, R>
}

const makeSchedule = <E, R>(
  policy: RetryPolicy,
  onRetry: RetryWithOptions<E, R>["onRetry"] | undefined
): Schedule.Schedule<number, E, R> => {
  const backoff = Schedule.exponential(policy.baseDelay, policy.factor).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, policy.maxDelay)),
    // jitteredWith draws from the Random service and the delay is slept on the Clock, so TestClock drives it.
    policy.jitter > 0 ? Schedule.jitteredWith({ min: 1 - policy.jitter, max: 1 }) : identity
  )
  const retries = backoff.pipe(
    Schedule.intersect(Schedule.recurs(policy.maxAttempts - 1)),
    Schedule.map(([, recurrence]) => recurrence + 1),
    // identity passes the failed error through as output, so the delay can be derived from it below.
    Schedule.intersect(Schedule.identity<E>()),
    Schedule.whileInput((error: E) => policy.retryOn(error)),
    Schedule.modifyDelay(([, error], delay) =>
      Option.match(policy.delayFromError(error), {
        onNone: () => delay,
        onSome: (requested) => Duration.min(requested, policy.maxRetryAfter)
      })
    )
  )
  const hooked = onRetry === undefined
    ? retries
    : Schedule.modifyDelayEffect(retries, ([attempt, error], delay) => Effect.as(onRetry(attempt, error, delay), delay))
  return Schedule.map(hooked, ([attempt]) => attempt)
}

/**
 * The policy as a `Schedule` for `Effect.retry`; its input is the error, its output the retry number (1-based).
 *
 * @since 0.1.0
 * @category combinators
 */
export const schedule = (policy: RetryPolicy): Schedule.Schedule<number, unknown> => makeSchedule(policy, undefined)

/**
 * Retries an effect according to a policy; the last error is returned when attempts run out or an error is not
 * retryable.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry: {
  (policy: RetryPolicy): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: RetryPolicy): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: RetryPolicy): Effect.Effect<A, E, R> =>
    Effect.retry(self, makeSchedule<E, never>(policy, undefined))
)

/**
 * Like {@link retry}, calling `onRetry` before each retry (after deciding to retry, before waiting), e.g. to emit a
 * `StepRetrying` event or count retries.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retryWith: {
  <E, R2>(
    policy: RetryPolicy,
    options: RetryWithOptions<E, R2>
  ): <A, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | R2>
  <A, E, R, R2>(
    self: Effect.Effect<A, E, R>,
    policy: RetryPolicy,
    options: RetryWithOptions<NoInfer<E>, R2>
  ): Effect.Effect<A, E, R | R2>
} = dual(
  3,
  <A, E, R, R2>(
    self: Effect.Effect<A, E, R>,
    policy: RetryPolicy,
    options: RetryWithOptions<E, R2>
  ): Effect.Effect<A, E, R | R2> => Effect.retry(self, makeSchedule(policy, options.onRetry))
)
