/**
 * Behavioural suites every `EventLog` and `AssetState` implementation must pass. Written once, run against the in-memory
 * layers of `@baliza/core`, the DuckDB layers of `@baliza/duckdb`, and any store a user writes.
 *
 * @since 0.1.0
 */
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import type * as RunEvent from "@baliza/core/RunEvent"
import { assert, describe, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"

let counter = 0
/** Tests share one store per suite, so each one writes under its own names. */
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`

const started = (runId: string, timestamp: number): RunEvent.RunEvent => ({
  _tag: "RunStarted",
  runId,
  timestamp,
  selection: "*",
  partitions: "2024-01-01..2024-01-02",
  plannedSteps: 2,
  skippedSteps: 0,
  tags: { env: "test" }
})

const materialization = (runId: string, assetKey: string, partitionKey: string | null): RunEvent.RunEvent => ({
  _tag: "Materialization",
  runId,
  timestamp: 1_700_000_000_500,
  assetKey,
  partitionKey,
  dataVersion: "v1",
  codeVersion: null,
  rows: 42,
  bytes: 1024,
  durationMs: 12.5,
  metadata: { nested: { list: [1, "two", null, true] }, "acentuação": "órgão" }
})

const finished = (runId: string, timestamp: number): RunEvent.RunEvent => ({
  _tag: "RunFinished",
  runId,
  timestamp,
  status: "Failure",
  durationMs: timestamp - 1_700_000_000_000,
  succeeded: 1,
  failed: 1,
  skipped: 3
})

/**
 * Runs the `EventLog` conformance suite against a layer.
 *
 * @since 0.1.0
 * @category suites
 */
export const eventLogSuite = <E>(name: string, storeLayer: Layer.Layer<EventLog.EventLog, E>) =>
  describe(`EventLog conformance: ${name}`, () => {
    layer(storeLayer)((it) => {
      it.effect("appends in order, gives increasing ids, and round-trips every field", () =>
        Effect.gen(function*() {
          const log = yield* EventLog.EventLog
          const runId = unique("run")
          const events = [started(runId, 1_700_000_000_000), materialization(runId, "a/b", "2024-01-01")]
          yield* log.append(events)
          yield* log.flush
          const stored = yield* log.query({ runId })
          assert.deepStrictEqual(stored.map((s) => s.event), events)
          assert.isTrue(stored[0].id < stored[1].id)
        }))

      it.effect("filters by run, asset, partition, tag, position and limit", () =>
        Effect.gen(function*() {
          const log = yield* EventLog.EventLog
          const runId = unique("run")
          yield* log.append([
            started(runId, 1_700_000_000_000),
            materialization(runId, "x/one", "2024-01-01"),
            materialization(runId, "x/one", "2024-01-02"),
            materialization(runId, "x/two", null)
          ])
          yield* log.flush
          assert.strictEqual((yield* log.query({ runId, assetKey: "x/one" })).length, 2)
          const partition = yield* log.query({ runId, assetKey: "x/one", partitionKey: "2024-01-02" })
          assert.deepStrictEqual(partition.map((s) => s.event), [materialization(runId, "x/one", "2024-01-02")])
          assert.strictEqual((yield* log.query({ runId, tags: ["RunStarted"] })).length, 1)
          const all = yield* log.query({ runId })
          const after = yield* log.query({ runId, afterId: all[1].id })
          assert.deepStrictEqual(after.map((s) => s.id), [all[2].id, all[3].id])
          assert.strictEqual((yield* log.query({ runId, limit: 3 })).length, 3)
          assert.strictEqual((yield* log.query({ runId: unique("absent") })).length, 0)
          // out-of-range bounds read as the nearest valid ones, the same in every store
          assert.strictEqual((yield* log.query({ runId, limit: 0 })).length, 0)
          assert.strictEqual((yield* log.query({ runId, limit: -2 })).length, 0)
          assert.deepStrictEqual((yield* log.query({ runId, afterId: -1 })).map((s) => s.id), all.map((s) => s.id))
        }))

      it.effect("summarizes runs: running, then finished with counts; most recent first", () =>
        Effect.gen(function*() {
          const log = yield* EventLog.EventLog
          const older = unique("run")
          const newer = unique("run")
          const base = 4_000_000_000_000 + counter * 10_000
          yield* log.append([started(older, base), started(newer, base + 1000)])
          yield* log.flush
          const running = (yield* log.runs()).find((run) => run.runId === newer)
          assert.strictEqual(running?.status, "Running")
          assert.strictEqual(running?.finishedAt, null)
          yield* log.append([finished(newer, base + 5000)])
          yield* log.flush
          const runs = yield* log.runs()
          const done = runs.find((run) => run.runId === newer)!
          assert.deepStrictEqual(
            [done.status, done.finishedAt, done.succeeded, done.failed, done.skipped, done.plannedSteps],
            ["Failure", base + 5000, 1, 1, 3, 2]
          )
          assert.isTrue(runs.findIndex((r) => r.runId === newer) < runs.findIndex((r) => r.runId === older))
          assert.strictEqual((yield* log.runs({ limit: 1 })).length, 1)
          assert.strictEqual((yield* log.runs({ limit: 0 })).length, 0)
          assert.strictEqual((yield* log.runs({ limit: -1 })).length, 0)
        }))

      it.effect("of runs started in the same millisecond, the one started last comes first (a restart counts)", () =>
        Effect.gen(function*() {
          const log = yield* EventLog.EventLog
          const base = 5_000_000_000_000 + counter * 10_000
          // ids that sort against the order of the starts
          const first = `zz-${unique("run")}`
          const second = `aa-${unique("run")}`
          const order = Effect.map(
            log.runs(),
            (runs) => runs.filter((run) => run.runId === first || run.runId === second).map((run) => run.runId)
          )
          yield* log.append([started(first, base), started(second, base)])
          yield* log.flush
          assert.deepStrictEqual(yield* order, [second, first])
          // the first run started again under its id
          yield* log.append([started(first, base)])
          yield* log.flush
          assert.deepStrictEqual(yield* order, [first, second])
        }))

      it.scoped("streams events appended after subscribing", () =>
        Effect.gen(function*() {
          const log = yield* EventLog.EventLog
          const runId = unique("run")
          const subscription = yield* log.subscribe
          yield* log.append([started(runId, 1), materialization(runId, "s/t", null)])
          const received = yield* Queue.takeBetween(subscription, 2, 2)
          const mine = Chunk.toReadonlyArray(received).filter((s) => s.event.runId === runId)
          assert.deepStrictEqual(mine.map((s) => s.event._tag), ["RunStarted", "Materialization"])
        }))
    })
  })

const record = (assetKey: string, partitionKey: string | null, status: "Materialized" | "Failed", version: string) => ({
  assetKey,
  partitionKey,
  status,
  runId: "run-1",
  updatedAt: 1_700_000_000_000,
  dataVersion: version,
  codeVersion: status === "Failed" ? null : "3",
  materializedAt: 1_700_000_000_000,
  upstreamVersions: { "up/a[2024-01-01]": "u1", "up/b": "u2" },
  error: status === "Failed" ? "HTTP 500 from server" : null
})

/**
 * Runs the `AssetState` conformance suite against a layer.
 *
 * @since 0.1.0
 * @category suites
 */
export const assetStateSuite = <E>(name: string, storeLayer: Layer.Layer<AssetState.AssetState, E>) =>
  describe(`AssetState conformance: ${name}`, () => {
    layer(storeLayer)((it) => {
      it.effect("puts, gets and replaces records keyed by asset and partition", () =>
        Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const key = unique("asset")
          assert.isTrue(Option.isNone(yield* state.get(key, null)))
          yield* state.put([record(key, null, "Materialized", "v1"), record(key, "2024-01-01", "Failed", "v0")])
          assert.deepStrictEqual(yield* state.get(key, null), Option.some(record(key, null, "Materialized", "v1")))
          assert.deepStrictEqual(
            yield* state.get(key, "2024-01-01"),
            Option.some(record(key, "2024-01-01", "Failed", "v0"))
          )
          yield* state.put([record(key, null, "Materialized", "v2")])
          assert.strictEqual(Option.getOrThrow(yield* state.get(key, null)).dataVersion, "v2")
          assert.strictEqual((yield* state.list({ assetKeys: [key] })).length, 2)
        }))

      it.effect("lists by asset", () =>
        Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const a = unique("asset")
          const b = unique("asset")
          yield* state.put([record(a, "1", "Materialized", "v"), record(b, "1", "Materialized", "v")])
          const listed = yield* state.list({ assetKeys: [a] })
          assert.deepStrictEqual(listed.map((r) => r.assetKey), [a])
          const all = yield* state.list()
          assert.isTrue(all.some((r) => r.assetKey === a) && all.some((r) => r.assetKey === b))
        }))

      it.effect("keeps named checkpoints per step, overwrites, clears one or all", () =>
        Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const key = unique("asset")
          const set = (partitionKey: string | null, name: string, value: string) =>
            state.setCheckpoint({ assetKey: key, partitionKey, name, value, updatedAt: 1 })
          yield* set("2024-01-01", "page", "3")
          yield* set("2024-01-01", "page", "4")
          yield* set("2024-01-01", "lastId", "999")
          yield* set(null, "page", "7")
          assert.deepStrictEqual(yield* state.getCheckpoint(key, "2024-01-01", "page"), Option.some("4"))
          assert.deepStrictEqual(yield* state.getCheckpoint(key, null, "page"), Option.some("7"))
          assert.strictEqual((yield* state.listCheckpoints({ assetKeys: [key] })).length, 3)
          yield* state.clearCheckpoint(key, "2024-01-01", "page")
          assert.isTrue(Option.isNone(yield* state.getCheckpoint(key, "2024-01-01", "page")))
          assert.deepStrictEqual(yield* state.getCheckpoint(key, "2024-01-01", "lastId"), Option.some("999"))
          yield* state.clearCheckpoint(key, "2024-01-01")
          assert.isTrue(Option.isNone(yield* state.getCheckpoint(key, "2024-01-01", "lastId")))
          assert.deepStrictEqual(yield* state.getCheckpoint(key, null, "page"), Option.some("7"))
        }))

      it.effect("adds dynamic partition keys once, in order of first addition", () =>
        Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const name = unique("dyn")
          assert.deepStrictEqual(yield* state.dynamicPartitions(name), [])
          yield* state.addDynamicPartitions(name, ["b", "a"])
          yield* state.addDynamicPartitions(name, ["a", "c"])
          assert.deepStrictEqual(yield* state.dynamicPartitions(name), ["b", "a", "c"])
        }))

      it.effect("refuses keys that could never be selected or parsed, and adds none of the batch", () =>
        Effect.gen(function*() {
          const state = yield* AssetState.AssetState
          const name = unique("dyn")
          for (const bad of ["sales,2024.csv", "a|b", "2024..2025", " padded", ""]) {
            const error = yield* Effect.flip(state.addDynamicPartitions(name, ["ok.csv", bad]))
            assert.strictEqual(error._tag, "AssetStateError")
            assert.include(error.message, `dynamic partitions "${name}"`)
          }
          assert.deepStrictEqual(yield* state.dynamicPartitions(name), [])
        }))
    })
  })
