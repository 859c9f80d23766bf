import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Either, Exit, FastCheck, Fiber, Option, Ref, Schema, TestClock } from "effect"
import * as RetryPolicy from "../src/RetryPolicy.js"

class Boom extends Schema.TaggedError<Boom>()("Boom", { retryAfterMillis: Schema.optional(Schema.Number) }) {}

/** Runs an always-failing effect under the policy, returning the clock time of every attempt and the final exit. */
const attemptTimes = <E>(policy: RetryPolicy.RetryPolicy, error: (attempt: number) => E) =>
  Effect.gen(function*() {
    const times = yield* Ref.make<ReadonlyArray<number>>([])
    const attempt = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const attempts = yield* Ref.updateAndGet(times, (ts) => [...ts, now])
      return yield* Effect.fail(error(attempts.length))
    })
    const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, policy))
    yield* TestClock.adjust("1 day")
    const exit = yield* Fiber.await(fiber)
    return { times: yield* Ref.get(times), exit }
  })

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - times[i])

describe("RetryPolicy", () => {
  it("default and none have the documented settings", () => {
    assert.deepStrictEqual(Schema.encodeSync(RetryPolicy.Settings)(RetryPolicy.default), {
      maxAttempts: 3,
      baseDelay: 200,
      factor: 2,
      maxDelay: 10_000,
      jitter: 0.2,
      maxRetryAfter: 300_000
    })
    assert.strictEqual(RetryPolicy.none.maxAttempts, 1)
    assert.isTrue(RetryPolicy.isRetryPolicy(RetryPolicy.default))
    assert.isFalse(RetryPolicy.isRetryPolicy({ maxAttempts: 3 }))
  })

  it("settings round-trip through JSON and back into a policy", () => {
    const policy = RetryPolicy.exponential("1 second", { maxAttempts: 5, factor: 3, maxDelay: "1 minute", jitter: 0 })
    const json = JSON.stringify(policy)
    assert.deepStrictEqual(JSON.parse(json), {
      _id: "RetryPolicy",
      maxAttempts: 5,
      baseDelay: 1000,
      factor: 3,
      maxDelay: 60_000,
      jitter: 0,
      maxRetryAfter: 300_000
    })
    const settings = Schema.decodeUnknownSync(RetryPolicy.Settings)(JSON.parse(json))
    const back = RetryPolicy.make(settings)
    assert.deepStrictEqual(RetryPolicy.delays(back, 10), RetryPolicy.delays(policy, 10))
    assert.strictEqual(RetryPolicy.format(policy), "5 attempts, 1s ×3 up to 1m, jitter 0%")
    assert.strictEqual(RetryPolicy.format(RetryPolicy.none), "1 attempt (no retry)")
  })

  it("validate rejects out-of-range numbers with a RetryPolicyError; make throws it", () => {
    const bad: ReadonlyArray<RetryPolicy.Options> = [
      { maxAttempts: 0 },
      { maxAttempts: 2.5 },
      { baseDelay: -1 },
      { baseDelay: Number.NaN },
      { maxDelay: Infinity },
      { factor: 0.5 },
      { jitter: 1.5 },
      { jitter: -0.1 }
    ]
    for (const options of bad) {
      const result = RetryPolicy.validate(options)
      assert.isTrue(Either.isLeft(result), JSON.stringify(options))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "RetryPolicyError")
        assert.strictEqual(result.left.reason, "InvalidSettings")
        assert.match(result.left.message, /^invalid retry policy: /)
      }
    }
    assert.throws(() => RetryPolicy.make({ factor: 0 }), /invalid retry policy/)
    assert.isTrue(Either.isRight(RetryPolicy.validate({ baseDelay: "2 seconds", jitter: 1 })))
  })

  it("delays grow by factor and are capped, never more than maxAttempts - 1", () => {
    const policy = RetryPolicy.make({ maxAttempts: 6, baseDelay: 100, factor: 3, maxDelay: 1000 })
    assert.deepStrictEqual(RetryPolicy.delays(policy, 10).map(Duration.toMillis), [100, 300, 900, 1000, 1000])
    assert.deepStrictEqual(RetryPolicy.delays(policy, 2).map(Duration.toMillis), [100, 300])
    assert.deepStrictEqual(RetryPolicy.delays(RetryPolicy.none, 5), [])
    // without a maxDelay the cap is 10 s, or the base delay when that is longer: a minute asked is a minute waited
    const slow = RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 minute" })
    assert.deepStrictEqual(RetryPolicy.delays(slow, 10).map(Duration.toMillis), [60_000, 60_000])
    assert.deepStrictEqual(
      RetryPolicy.delays(RetryPolicy.make({ maxAttempts: 3 }), 10).map(Duration.toMillis),
      [200, 400]
    )
  })

  it.effect("makes exactly maxAttempts attempts, waiting the nominal delays when jitter is 0", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxAttempts: 6, baseDelay: 100, factor: 3, maxDelay: 1000, jitter: 0 })
      const { exit, times } = yield* attemptTimes(policy, (n) => `failure ${n}`)
      assert.strictEqual(times.length, 6)
      assert.deepStrictEqual(times, [0, 100, 400, 1300, 2300, 3300])
      assert.deepStrictEqual(gaps(times), RetryPolicy.delays(policy, 10).map(Duration.toMillis))
      assert.deepStrictEqual(exit, Exit.fail("failure 6"))
    }))

  it.effect("does not retry before the delay has elapsed", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const policy = RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 second", jitter: 0 })
      const fiber = yield* Effect.fork(
        RetryPolicy.retry(Effect.zipRight(Ref.update(calls, (n) => n + 1), Effect.fail("x")), policy)
      )
      yield* TestClock.adjust(999)
      assert.strictEqual(yield* Ref.get(calls), 1)
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* Ref.get(calls), 2)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* Ref.get(calls), 3)
      assert.isTrue(Exit.isFailure(yield* Fiber.await(fiber)))
    }))

  it.effect("succeeds as soon as an attempt succeeds", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const flaky = Ref.updateAndGet(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => n < 3 ? Effect.fail(`fail ${n}`) : Effect.succeed(`ok ${n}`))
      )
      const fiber = yield* Effect.fork(flaky.pipe(RetryPolicy.retry(RetryPolicy.make({ maxAttempts: 5 }))))
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* Fiber.join(fiber), "ok 3")
      assert.strictEqual(yield* Ref.get(calls), 3)
    }))

  it.effect.prop(
    "jittered delays stay within [(1 - jitter) · nominal, nominal]",
    {
      maxAttempts: FastCheck.integer({ min: 2, max: 6 }),
      baseDelay: FastCheck.integer({ min: 0, max: 5_000 }),
      factor: FastCheck.double({ min: 1, max: 4, noNaN: true }),
      maxDelay: FastCheck.integer({ min: 0, max: 20_000 }),
      jitter: FastCheck.double({ min: 0, max: 1, noNaN: true })
    },
    (options) =>
      Effect.gen(function*() {
        const policy = RetryPolicy.make(options)
        const { times } = yield* attemptTimes(policy, () => "fail")
        assert.strictEqual(times.length, options.maxAttempts)
        const nominal = RetryPolicy.delays(policy, options.maxAttempts).map(Duration.toMillis)
        gaps(times).forEach((gap, i) => {
          // 1ms slack: jittered delays are fractional and the clock rounds to whole millis.
          assert.isAtMost(gap, nominal[i] + 1, `retry ${i + 1}`)
          assert.isAtLeast(gap, (1 - options.jitter) * nominal[i] - 1, `retry ${i + 1}`)
        })
      }),
    { fastCheck: { numRuns: 50 } }
  )

  it.effect("jitter actually varies the delays (from the Random service)", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxAttempts: 10, baseDelay: 1000, factor: 1, jitter: 1 })
      const { times } = yield* attemptTimes(policy, () => "fail")
      const distinct = new Set(gaps(times))
      assert.isAbove(distinct.size, 1)
      assert.isTrue(gaps(times).every((gap) => gap <= 1000))
    }))

  it.effect("retryOn filters: a non-retryable error fails at once after one attempt", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxAttempts: 5, retryOn: (error) => error !== "fatal" })
      const calls = yield* Ref.make(0)
      const exit = yield* Ref.update(calls, (n) => n + 1).pipe(
        Effect.zipRight(Effect.fail("fatal")),
        RetryPolicy.retry(policy),
        Effect.exit
      )
      assert.deepStrictEqual(exit, Exit.fail("fatal"))
      assert.strictEqual(yield* Ref.get(calls), 1)
      // a retryable error first, then a fatal one: stops on the fatal one
      const { exit: mixed, times } = yield* attemptTimes(policy, (n) => (n < 2 ? "transient" : "fatal"))
      assert.strictEqual(times.length, 2)
      assert.deepStrictEqual(mixed, Exit.fail("fatal"))
    }))

  it.effect("Retry-After overrides the backoff, ignores maxDelay and jitter, and is capped by maxRetryAfter", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({
        maxAttempts: 4,
        baseDelay: 100,
        maxDelay: 1000,
        jitter: 0.5,
        maxRetryAfter: "1 minute",
        delayFromError: (error) =>
          error instanceof Boom && error.retryAfterMillis !== undefined
            ? Option.some(error.retryAfterMillis)
            : Option.none()
      })
      const retryAfter = [5_000, undefined, 3_600_000]
      const { times } = yield* attemptTimes(policy, (n) => new Boom({ retryAfterMillis: retryAfter[n - 1] }))
      const [first, second, third] = gaps(times)
      assert.strictEqual(first, 5_000)
      assert.isAtLeast(second, 100) // backoff (jittered) for the error without Retry-After: nominal 200
      assert.isAtMost(second, 200)
      assert.strictEqual(third, 60_000)
    }))

  it.effect("retryWith calls onRetry with attempt numbers, errors and delays before waiting", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<ReadonlyArray<readonly [number, string, number, number]>>([])
      const policy = RetryPolicy.make({ maxAttempts: 3, baseDelay: 100, jitter: 0 })
      const calls = yield* Ref.make(0)
      const fiber = yield* Ref.updateAndGet(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => Effect.fail({ _tag: "Oops" as const, n })),
        RetryPolicy.retryWith(policy, {
          onRetry: (attempt, error, delay) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) =>
                Ref.update(
                  seen,
                  (xs) => [...xs, [attempt, `${error._tag} ${error.n}`, Duration.toMillis(delay), now] as const]
                )
            )
        }),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      const exit = yield* Fiber.await(fiber)
      assert.deepStrictEqual(exit, Exit.fail({ _tag: "Oops" as const, n: 3 }))
      // [attempt that failed, its error, delay before the next attempt, time the hook ran]
      assert.deepStrictEqual(yield* Ref.get(seen), [[1, "Oops 1", 100, 0], [2, "Oops 2", 200, 100]])
    }))

  it.effect("none makes a single attempt; schedule plugs into Effect.retry", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const failing = Effect.zipRight(Ref.update(calls, (n) => n + 1), Effect.fail("x"))
      yield* Effect.exit(RetryPolicy.retry(failing, RetryPolicy.none))
      assert.strictEqual(yield* Ref.get(calls), 1)
      const fiber = yield* Effect.fork(
        Effect.retry(failing, RetryPolicy.schedule(RetryPolicy.make({ maxAttempts: 2 })))
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.await(fiber)
      assert.strictEqual(yield* Ref.get(calls), 3)
    }))

  it("modify copies a policy with changes", () => {
    const policy = RetryPolicy.modify(RetryPolicy.default, { maxAttempts: 7 })
    assert.strictEqual(policy.maxAttempts, 7)
    assert.strictEqual(Duration.toMillis(policy.baseDelay), 200)
    assert.strictEqual(RetryPolicy.default.maxAttempts, 3)
  })
})
