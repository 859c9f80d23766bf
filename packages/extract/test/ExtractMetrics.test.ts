import { assert, describe, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, Schema, Stream, TestClock } from "effect"
import * as ExtractMetrics from "../src/ExtractMetrics.js"

describe("ExtractMetrics", () => {
  it("percentiles by nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    assert.strictEqual(ExtractMetrics.percentile(samples, 0.5), 50)
    assert.strictEqual(ExtractMetrics.percentile(samples, 0.95), 95)
    assert.strictEqual(ExtractMetrics.percentile([], 0.5), 0)
    assert.strictEqual(ExtractMetrics.percentile([7], 0.95), 7)
  })

  it.effect("counts per endpoint and in total, with rates over the test clock", () =>
    Effect.gen(function*() {
      const metrics = yield* ExtractMetrics.make
      for (let i = 1; i <= 10; i++) yield* metrics.recordRequest("a", { latencyMs: i * 10, bytes: 100 })
      yield* metrics.recordRequest("a", { latencyMs: 500, error: "Timeout" })
      yield* metrics.recordRetry("a")
      yield* metrics.recordPage("a", { records: 50, latencyMs: 10, bytes: 500 })
      yield* metrics.recordPage("b", { records: 20, latencyMs: 5, bytes: 0 })
      yield* metrics.recordRejected("b", "CircuitOpen")
      yield* metrics.recordFailure("b")
      yield* TestClock.adjust("10 seconds")
      const snapshot = yield* metrics.snapshot
      const a = snapshot.endpoints.find((e) => e.endpoint === "a")!
      assert.strictEqual(a.requests, 12)
      assert.strictEqual(a.pages, 1)
      assert.strictEqual(a.bytes, 1_500)
      assert.strictEqual(a.retries, 1)
      assert.deepStrictEqual(a.errors, { Timeout: 1 })
      assert.strictEqual(a.p50LatencyMs, 50)
      assert.strictEqual(a.p95LatencyMs, 500)
      assert.strictEqual(a.recordsPerSecond, 5)
      assert.strictEqual(snapshot.total.records, 70)
      assert.strictEqual(snapshot.total.pages, 2)
      assert.strictEqual(snapshot.total.failures, 1)
      assert.deepStrictEqual(snapshot.total.errors, { Timeout: 1, CircuitOpen: 1 })
      assert.strictEqual(snapshot.elapsedMillis, 10_000)
      assert.isAbove(snapshot.memory.rss, 0)
      // a snapshot is data: it survives JSON
      const decoded = Schema.decodeUnknownSync(ExtractMetrics.Snapshot)(JSON.parse(JSON.stringify(snapshot)))
      assert.deepStrictEqual(decoded.total, snapshot.total)
    }))

  it.effect("keeps a bounded window of latencies", () =>
    Effect.gen(function*() {
      const metrics = yield* ExtractMetrics.make
      for (let i = 0; i < 2_000; i++) yield* metrics.recordRequest("a", { latencyMs: i < 1_500 ? 1_000 : 1 })
      const state = yield* metrics.state.get
      assert.strictEqual(state.endpoints["a"]!.latencies.length, 512)
      assert.strictEqual((yield* metrics.snapshot).total.p50LatencyMs, 1)
    }))

  it.effect("changes streams a snapshot per update", () =>
    Effect.gen(function*() {
      const metrics = yield* ExtractMetrics.make
      const subscribed = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        Stream.runCollect(Stream.take(Stream.tap(metrics.changes, () => Deferred.succeed(subscribed, undefined)), 3))
      )
      yield* Deferred.await(subscribed)
      yield* metrics.recordPage("a", { records: 1, latencyMs: 1, bytes: 1 })
      yield* metrics.recordPage("a", { records: 2, latencyMs: 1, bytes: 1 })
      const records = Chunk.toReadonlyArray(yield* Fiber.join(fiber)).map((s) => s.total.records)
      assert.deepStrictEqual(records, [0, 1, 3])
    }))
})
