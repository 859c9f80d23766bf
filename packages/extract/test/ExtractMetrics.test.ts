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

  it.effect("since: one run's figures out of counters shared with earlier work; combine sums sources", () =>
    Effect.gen(function*() {
      const metrics = yield* ExtractMetrics.make
      const other = yield* ExtractMetrics.make
      yield* metrics.recordPage("a", { records: 50, latencyMs: 10, bytes: 100 })
      yield* metrics.recordRequest("a", { latencyMs: 10, error: "Timeout" })
      yield* metrics.recordPage("idle", { records: 5, latencyMs: 10, bytes: 10 })
      yield* TestClock.adjust("10 seconds")
      const from = 10_000
      const baseline = ExtractMetrics.combine([yield* metrics.state.get, yield* other.state.get])
      yield* metrics.recordExpected("a", 4)
      for (let i = 0; i < 4; i++) yield* metrics.recordPage("a", { records: 25, latencyMs: 20, bytes: 100 })
      yield* metrics.recordRequest("a", { latencyMs: 10, error: "Timeout" })
      yield* metrics.recordRequest("a", { latencyMs: 10, error: "HttpStatus" })
      yield* other.recordPage("b", { records: 7, latencyMs: 5, bytes: 1 })
      yield* other.recordPage("a", { records: 1, latencyMs: 5, bytes: 1 })
      yield* TestClock.adjust("4 seconds")
      const current = ExtractMetrics.combine([yield* metrics.state.get, yield* other.state.get])
      const run = ExtractMetrics.since(baseline, from, current, 14_000)
      assert.deepStrictEqual(run.endpoints.map((e) => e.endpoint), ["a", "b"]) // "idle" did nothing since
      const a = run.endpoints[0]!
      assert.strictEqual(a.pages, 5)
      assert.strictEqual(a.pagesExpected, 4)
      assert.strictEqual(a.records, 101)
      assert.strictEqual(a.requests, 7)
      assert.deepStrictEqual(a.errors, { Timeout: 1, HttpStatus: 1 })
      assert.strictEqual(a.recordsPerSecond, 101 / 4) // over the run's 4 s, not since the endpoint's first request
      assert.strictEqual(run.total.records, 108)
      assert.strictEqual(run.elapsedMillis, 4_000)
      // A snapshot stored before `pagesExpected` existed still decodes, as 0.
      const { pagesExpected: _, ...old } = a
      assert.strictEqual(Schema.decodeUnknownSync(ExtractMetrics.EndpointSnapshot)(old).pagesExpected, 0)
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
