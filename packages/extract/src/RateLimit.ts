/**
 * Requests-per-minute limits, global and per endpoint, over Effect's `RateLimiter` (token bucket).
 *
 * **Details**
 *
 * A limit of `r` requests per minute with `burst` `b` is a token bucket of `b` tokens refilled one every `60 / r`
 * seconds: with the default `burst` of 1 requests are spaced evenly (600 rpm → one every 100 ms), a larger burst lets
 * `b` requests go at once after a quiet period while keeping the long-run rate. A request takes a token from the global
 * bucket and from its endpoint's bucket. Every attempt counts, retries included.
 *
 * Time comes from the `Clock`, so `TestClock` drives the limiter. Effect's token bucket refills in whole
 * milliseconds per token, rounded up: a limit whose `60,000 / requestsPerMinute` (times `burst`) is not a whole number
 * of milliseconds runs a little slower than asked (7,000 rpm, one token every 9 ms, is 6,667; with `burst` 7, 7,000).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as RateLimiter from "effect/RateLimiter"
import * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Requests per minute over all endpoints. */
  readonly requestsPerMinute?: number | undefined
  /** Requests per minute for each endpoint: one number for all, or a function of the endpoint (`undefined` = none). */
  readonly perEndpoint?: number | ((endpoint: string) => number | undefined) | undefined
  /** Tokens a bucket holds (requests that may go at once after a quiet period); default 1. */
  readonly burst?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RateLimit {
  /** Waits for a token of the global bucket and of the endpoint's bucket, then runs the effect. */
  readonly withPermit: (endpoint: string) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * Whether a value is a {@link RateLimit} (rather than its {@link Options}).
 *
 * @since 0.1.0
 * @category guards
 */
export const isRateLimit = (u: Options | RateLimit): u is RateLimit => "withPermit" in u

/**
 * No limit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unlimited: RateLimit = { withPermit: () => (self) => self }

const bucket = (requestsPerMinute: number, burst: number): Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope> =>
  RateLimiter.make({
    limit: burst,
    interval: `${(burst * 60_000) / requestsPerMinute} millis`,
    algorithm: "token-bucket"
  })

const validate = (what: string, value: number | undefined): Effect.Effect<void> =>
  value === undefined || (Number.isFinite(value) && value > 0)
    ? Effect.void
    : Effect.dieMessage(`RateLimit: ${what} must be a positive number, got ${value}`)

/**
 * Creates the buckets; their refill fibers live in the `Scope`. Endpoint buckets are created on first use.
 * Non-positive limits are a programmer mistake and a defect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<RateLimit, never, Scope.Scope> =>
  Effect.gen(function*() {
    const burst = options.burst ?? 1
    yield* validate("burst", burst)
    yield* validate("requestsPerMinute", options.requestsPerMinute)
    if (typeof options.perEndpoint === "number") yield* validate("perEndpoint", options.perEndpoint)
    const scope = yield* Effect.scope
    const global = options.requestsPerMinute === undefined
      ? undefined
      : yield* bucket(options.requestsPerMinute, burst)
    const perEndpoint = options.perEndpoint
    const limitOf = (endpoint: string): number | undefined =>
      typeof perEndpoint === "function" ? perEndpoint(endpoint) : perEndpoint
    const endpoints = yield* SynchronizedRef.make(new Map<string, RateLimiter.RateLimiter | undefined>())

    const endpointBucket = (endpoint: string): Effect.Effect<RateLimiter.RateLimiter | undefined> =>
      SynchronizedRef.modifyEffect(endpoints, (map) => {
        if (map.has(endpoint)) return Effect.succeed([map.get(endpoint), map] as const)
        const rpm = limitOf(endpoint)
        const created = rpm === undefined
          ? Effect.succeed(undefined)
          : validate(`perEndpoint("${endpoint}")`, rpm).pipe(Effect.zipRight(Scope.extend(bucket(rpm, burst), scope)))
        return Effect.map(created, (limiter) => [limiter, new Map(map).set(endpoint, limiter)] as const)
      })

    const withPermit = (endpoint: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      perEndpoint === undefined
        ? global === undefined ? self : global(self)
        : Effect.flatMap(endpointBucket(endpoint), (limiter) => {
          // the endpoint's token first: a request waiting for its endpoint must not sit on a global token
          const withGlobal = global === undefined ? self : global(self)
          return limiter === undefined ? withGlobal : limiter(withGlobal)
        })

    return { withPermit }
  })
