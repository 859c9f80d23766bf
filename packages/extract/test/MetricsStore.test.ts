import { DuckDB } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import * as ExtractMetrics from "../src/ExtractMetrics.js"
import * as MetricsStore from "../src/MetricsStore.js"

const Store = MetricsStore.layer.pipe(Layer.provideMerge(DuckDB.layerMemory))

/** A snapshot from real metrics: two endpoints, requests with latencies, pages, an error and a retry. */
const snapshotAfter = (requests: number) =>
  Effect.gen(function*() {
    const metrics = yield* ExtractMetrics.make
    for (let i = 1; i <= requests; i++) {
      yield* metrics.recordRequest("contratos", { latencyMs: 10 * i, bytes: 1_000 })
    }
    yield* metrics.recordRequest("atas", { latencyMs: 99, error: "Timeout" })
    yield* metrics.recordRetry("atas")
    yield* metrics.recordFailure("atas")
    yield* TestClock.adjust("10 seconds")
    return yield* metrics.snapshot
  })

layer(Store)("MetricsStore", (it) => {
  it.effect("persists a run's snapshot per endpoint and total, and loads the same snapshot back", () =>
    Effect.gen(function*() {
      const metrics = yield* MetricsStore.MetricsStore
      const snapshot = yield* snapshotAfter(4)
      assert.strictEqual(yield* metrics.persist("run-1", snapshot), 3)
      const loaded = Option.getOrThrow(yield* metrics.load("run-1"))
      assert.deepStrictEqual(loaded, snapshot)
      const [row] = yield* DuckDB.query(
        "SELECT requests, bytes, errors, p95_latency_ms FROM meta.metrics WHERE run_id = 'run-1' AND endpoint = '*'"
      )
      assert.deepStrictEqual(row, { requests: 5, bytes: 4_000, errors: "{\"Timeout\":1}", p95_latency_ms: 99 })
      assert.deepStrictEqual(yield* metrics.load("nope"), Option.none())
    }))

  it.effect("a later snapshot of the same run replaces the earlier one; runs lists the totals, newest first", () =>
    Effect.gen(function*() {
      const metrics = yield* MetricsStore.MetricsStore
      yield* metrics.persist("run-a", yield* snapshotAfter(1))
      yield* metrics.persist("run-a", yield* snapshotAfter(2))
      yield* metrics.persist("run-b", yield* snapshotAfter(3))
      const runs = (yield* metrics.runs).filter((run) => run.runId.startsWith("run-"))
      assert.deepStrictEqual(runs.map((run) => [run.runId, run.requests, run.failures]), [
        ["run-b", 4, 1],
        ["run-a", 3, 1],
        ["run-1", 5, 1]
      ])
      const [{ n }] = yield* DuckDB.query("SELECT count(*) AS n FROM meta.metrics WHERE run_id = 'run-a'")
      assert.strictEqual(n, 3)
    }))
})
