import { assert, describe, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Exit, FastCheck, Fiber, Ref, Stream, TestClock } from "effect"
import * as AdaptiveConcurrency from "../src/AdaptiveConcurrency.js"
import * as internal from "../src/internal/aimd.js"

const config = internal.makeConfig({ min: 1, max: 32 })

describe("AdaptiveConcurrency", () => {
  describe("AIMD rules", () => {
    it("an overload halves the limit once per epoch", () => {
      const start = internal.initial(config)
      const once = internal.step(config, start, 0, { _tag: "Overload", reason: "Timeout" })
      assert.strictEqual(once.limit, 16)
      assert.strictEqual(once.epoch, 1)
      assert.include(once.reason, "Timeout: 32 → 16")
      // another request admitted before the decrease fails too: no second halving
      const stale = internal.step(config, once, 0, { _tag: "Overload", reason: "Timeout" })
      assert.strictEqual(stale.limit, 16)
      const fresh = internal.step(config, once, 1, { _tag: "Overload", reason: "Timeout" })
      assert.strictEqual(fresh.limit, 8)
    })

    it("grows by one after `limit` healthy completions, up to max", () => {
      let core = { ...internal.initial(config), limit: 4 }
      for (let i = 0; i < 3; i++) core = internal.step(config, core, 0, { _tag: "Success", latencyMs: 1 })
      assert.strictEqual(core.limit, 4)
      core = internal.step(config, core, 0, { _tag: "Success", latencyMs: 1 })
      assert.strictEqual(core.limit, 5)
      assert.strictEqual(core.increases, 1)
      let top = internal.initial(config)
      for (let i = 0; i < 100; i++) top = internal.step(config, top, 0, { _tag: "Success", latencyMs: 1 })
      assert.strictEqual(top.limit, 32)
    })

    it("a success slower than the latency threshold counts as overload", () => {
      const slow = internal.makeConfig({ max: 8, latencyThresholdMs: 500 })
      const next = internal.step(slow, internal.initial(slow), 0, { _tag: "Success", latencyMs: 900 })
      assert.strictEqual(next.limit, 4)
      assert.include(next.reason, "latency 900ms above 500ms")
      assert.strictEqual(internal.step(slow, internal.initial(slow), 0, { _tag: "Success", latencyMs: 100 }).limit, 8)
    })

    it("rejects invalid bounds", () => {
      assert.throws(() => internal.makeConfig({ min: 4, max: 2 }))
      assert.throws(() => internal.makeConfig({ max: 0 }))
      assert.throws(() => internal.makeConfig({ max: 4, initial: 9 }))
      assert.throws(() => internal.makeConfig({ max: 4, decreaseFactor: 1 }))
    })

    it.prop(
      "the limit stays within [min, max] whatever the signals",
      [
        FastCheck.integer({ min: 1, max: 8 }),
        FastCheck.integer({ min: 0, max: 56 }),
        FastCheck.array(FastCheck.tuple(FastCheck.boolean(), FastCheck.integer({ min: 0, max: 3 })), { maxLength: 300 })
      ],
      ([min, extra, signals]) => {
        const c = internal.makeConfig({ min, max: min + extra })
        let core = internal.initial(c)
        for (const [ok, lag] of signals) {
          const signal: internal.Signal = ok ? { _tag: "Success", latencyMs: 1 } : { _tag: "Overload", reason: "x" }
          core = internal.step(c, core, Math.max(0, core.epoch - lag), signal)
          assert.isAtLeast(core.limit, min)
          assert.isAtMost(core.limit, min + extra)
        }
      }
    )
  })

  describe("the limiter", () => {
    it.effect("never runs more than the limit at once", () =>
      Effect.gen(function*() {
        const limiter = yield* AdaptiveConcurrency.fixed(3)
        const running = yield* Ref.make(0)
        const peak = yield* Ref.make(0)
        const task = Ref.updateAndGet(running, (n) => n + 1).pipe(
          Effect.flatMap((n) => Ref.update(peak, (p) => Math.max(p, n))),
          Effect.zipRight(Effect.sleep("10 millis")),
          Effect.zipRight(Ref.update(running, (n) => n - 1))
        )
        const fiber = yield* Effect.fork(
          Effect.forEach(Array.from({ length: 20 }), () => limiter.withPermit(task, () => AdaptiveConcurrency.ignore), {
            concurrency: "unbounded"
          })
        )
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)
        assert.strictEqual(yield* Ref.get(peak), 3)
        assert.strictEqual(yield* limiter.inFlight, 0)
      }))

    it.effect("halves on failures, grows back when healthy, and publishes the changes", () =>
      Effect.gen(function*() {
        const limiter = yield* AdaptiveConcurrency.make({ min: 1, max: 8 })
        const subscribed = yield* Deferred.make<void>()
        const seen = yield* Effect.fork(
          Stream.runCollect(Stream.take(Stream.tap(limiter.changes, () => Deferred.succeed(subscribed, undefined)), 3))
        )
        yield* Deferred.await(subscribed)
        const classify = (exit: Exit.Exit<unknown, string>) =>
          Exit.isSuccess(exit) ? AdaptiveConcurrency.success(5) : AdaptiveConcurrency.overload("Status 503")
        yield* Effect.exit(limiter.withPermit(Effect.fail("503"), classify))
        assert.strictEqual((yield* limiter.state).limit, 4)
        // 4 healthy completions at limit 4 grow it to 5
        for (let i = 0; i < 4; i++) yield* limiter.withPermit(Effect.void, classify)
        const state = yield* limiter.state
        assert.strictEqual(state.limit, 5)
        assert.strictEqual(state.decreases, 1)
        assert.strictEqual(state.increases, 1)
        const changes = Chunk.toReadonlyArray(yield* Fiber.join(seen)).map((s) => s.limit)
        assert.deepStrictEqual(changes, [8, 4, 5])
      }))

    it.effect("a burst of concurrent failures halves the limit once", () =>
      Effect.gen(function*() {
        const limiter = yield* AdaptiveConcurrency.make({ max: 16 })
        const gate = yield* Deferred.make<void>()
        const failing = Effect.zipRight(Deferred.await(gate), Effect.fail("boom"))
        const fibers = yield* Effect.forEach(
          Array.from({ length: 16 }),
          () => Effect.fork(Effect.exit(limiter.withPermit(failing, () => AdaptiveConcurrency.overload("Timeout")))),
          { concurrency: "unbounded" }
        )
        yield* Effect.yieldNow()
        assert.strictEqual(yield* limiter.inFlight, 16)
        yield* Deferred.succeed(gate, undefined)
        yield* Fiber.joinAll(fibers)
        assert.strictEqual((yield* limiter.state).limit, 8)
      }))

    it.effect("a fixed limiter ignores signals", () =>
      Effect.gen(function*() {
        const limiter = yield* AdaptiveConcurrency.fixed(4)
        yield* Effect.exit(limiter.withPermit(Effect.fail("x"), () => AdaptiveConcurrency.overload("x")))
        const state = yield* limiter.state
        assert.strictEqual(state.limit, 4)
        assert.isFalse(state.adaptive)
      }))
  })
})
