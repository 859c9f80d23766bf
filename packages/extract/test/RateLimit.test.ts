import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Ref, TestClock } from "effect"
import * as RateLimit from "../src/RateLimit.js"

/** Runs `n` requests to `endpoint` concurrently and returns the (test) times they started. */
const burst = (limit: RateLimit.RateLimit, endpoint: string, n: number, times: Ref.Ref<ReadonlyArray<number>>) =>
  Effect.forEach(
    Array.from({ length: n }),
    () =>
      limit.withPermit(endpoint)(
        Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(times, (all) => [...all, now]))
      ),
    { concurrency: "unbounded", discard: true }
  )

describe("RateLimit", () => {
  it.scoped("600 rpm spaces requests 100 ms apart", () =>
    Effect.gen(function*() {
      const limit = yield* RateLimit.make({ requestsPerMinute: 600 })
      const times = yield* Ref.make<ReadonlyArray<number>>([])
      const fiber = yield* Effect.fork(burst(limit, "a", 10, times))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* Ref.get(times), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900])
    }))

  it.scoped("a burst lets that many go at once, keeping the long-run rate", () =>
    Effect.gen(function*() {
      const limit = yield* RateLimit.make({ requestsPerMinute: 60, burst: 3 })
      const times = yield* Ref.make<ReadonlyArray<number>>([])
      const fiber = yield* Effect.fork(burst(limit, "a", 6, times))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* Ref.get(times), [0, 0, 0, 1_000, 2_000, 3_000])
    }))

  it.scoped("per-endpoint limits are independent; the global one spans them", () =>
    Effect.gen(function*() {
      const limit = yield* RateLimit.make({ perEndpoint: (endpoint) => endpoint === "slow" ? 60 : undefined })
      const slow = yield* Ref.make<ReadonlyArray<number>>([])
      const fast = yield* Ref.make<ReadonlyArray<number>>([])
      const fiber = yield* Effect.fork(
        Effect.all([burst(limit, "slow", 3, slow), burst(limit, "fast", 3, fast)], { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* Ref.get(slow), [0, 1_000, 2_000])
      assert.deepStrictEqual(yield* Ref.get(fast), [0, 0, 0])

      const both = yield* RateLimit.make({ requestsPerMinute: 120, perEndpoint: 6_000 })
      const all = yield* Ref.make<ReadonlyArray<number>>([])
      const start = yield* Clock.currentTimeMillis
      const second = yield* Effect.fork(
        Effect.all([burst(both, "x", 2, all), burst(both, "y", 2, all)], { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(second)
      assert.deepStrictEqual((yield* Ref.get(all)).map((t) => t - start), [0, 500, 1_000, 1_500])
    }))

  it.scoped("rejects a non-positive rate as a defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(RateLimit.make({ requestsPerMinute: 0 }))
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.effect("unlimited runs at once", () =>
    Effect.gen(function*() {
      const value = yield* RateLimit.unlimited.withPermit("a")(Effect.succeed(1))
      assert.strictEqual(value, 1)
    }))
})
