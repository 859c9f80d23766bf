/**
 * The checks of the storage conformance suites, as effects that fail (by a thrown assertion) when a store breaks its
 * contract. `StorageSuites` registers each as a test; keeping them apart lets a test run them against a broken store.
 *
 * Values are compared unwrapped (an `Option` through `Option.getOrNull`): chai's deep equality sees every `Option` as
 * equal to every other, so a check comparing Options would pass a store that answers `None` for everything.
 *
 * @internal
 */
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import type * as RunEvent from "@baliza/core/RunEvent"
import { assert } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"

/** @internal One conformance check: its test name and the effect that fails when the store under test is wrong. */
export interface Check<E, R> {
  readonly name: string
  readonly run: Effect.Effect<void, E, R | Scope.Scope>
}

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

/** @internal The `EventLog` contract. */
export const eventLogChecks: ReadonlyArray<Check<EventLog.EventLogError, EventLog.EventLog>> = [
  {
    name: "appends in order, gives increasing ids, and round-trips every field",
    run: Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const runId = unique("run")
      const events = [started(runId, 1_700_000_000_000), materialization(runId, "a/b", "2024-01-01")]
      yield* log.append(events)
      yield* log.flush
      const stored = yield* log.query({ runId })
      assert.deepStrictEqual(stored.map((s) => s.event), events)
      assert.isTrue(stored[0].id < stored[1].id)
    })
  },
  {
    name: "gives a later append ids above an earlier one's, and afterId pages across appends",
    run: Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const runId = unique("run")
      const first = [started(runId, 1_700_000_000_000), materialization(runId, "p/q", "2024-01-01")]
      const second = [materialization(runId, "p/q", "2024-01-02"), finished(runId, 1_700_000_009_000)]
      yield* log.append(first)
      yield* log.append(second)
      yield* log.flush
      const stored = yield* log.query({ runId })
      assert.deepStrictEqual(stored.map((s) => s.event), [...first, ...second])
      const ids = stored.map((s) => s.id)
      assert.isTrue(Math.max(ids[0], ids[1]) < Math.min(ids[2], ids[3]), `ids ${ids.join(", ")}`)
      assert.isTrue(ids.every((id, i) => i === 0 || ids[i - 1] < id), `ids ${ids.join(", ")}`)
      // a page that starts in the first append and ends in the second
      assert.deepStrictEqual((yield* log.query({ runId, afterId: ids[0], limit: 2 })).map((s) => s.id), ids.slice(1, 3))
      // a reader paging one event at a time sees every event once
      const paged: Array<number> = []
      let afterId: number | undefined = undefined
      for (let page = 0; page < 10; page++) {
        const next: ReadonlyArray<RunEvent.StoredEvent> = yield* log.query({ runId, afterId, limit: 1 })
        if (next.length === 0) break
        paged.push(next[0].id)
        afterId = next[0].id
      }
      assert.deepStrictEqual(paged, ids)
    })
  },
  {
    name: "reads without a filter see what was appended since the last read",
    run: Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const runId = unique("run")
      const before = (yield* log.query()).length
      const runsBefore = (yield* log.runs()).length
      yield* log.append([started(runId, 1_700_000_000_000)])
      yield* log.flush
      const all = yield* log.query()
      assert.strictEqual(all.length, before + 1)
      assert.strictEqual(all[all.length - 1]?.event.runId, runId)
      assert.strictEqual((yield* log.runs()).length, runsBefore + 1)
      yield* log.append([finished(runId, 1_700_000_001_000)])
      yield* log.flush
      assert.strictEqual((yield* log.query()).length, before + 2)
      assert.strictEqual((yield* log.runs()).find((run) => run.runId === runId)?.status, "Failure")
    })
  },
  {
    name: "filters by run, asset, partition, tag, position and limit",
    run: Effect.gen(function*() {
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
    })
  },
  {
    name: "summarizes runs: running, then finished with counts; most recent first",
    run: Effect.gen(function*() {
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
      const done = runs.find((run) => run.runId === newer)
      assert.deepStrictEqual(
        [done?.status, done?.finishedAt, done?.succeeded, done?.failed, done?.skipped, done?.plannedSteps],
        ["Failure", base + 5000, 1, 1, 3, 2]
      )
      assert.isTrue(runs.findIndex((r) => r.runId === newer) < runs.findIndex((r) => r.runId === older))
      assert.strictEqual((yield* log.runs({ limit: 1 })).length, 1)
      assert.strictEqual((yield* log.runs({ limit: 0 })).length, 0)
      assert.strictEqual((yield* log.runs({ limit: -1 })).length, 0)
      // one run by its id: the same summary as in the list, and nothing for an id the log does not have
      assert.deepStrictEqual(yield* log.runs({ runId: older }), runs.filter((run) => run.runId === older))
      assert.deepStrictEqual(yield* log.runs({ runId: newer, limit: 5 }), runs.filter((run) => run.runId === newer))
      assert.deepStrictEqual(yield* log.runs({ runId: unique("absent") }), [])
    })
  },
  {
    name: "of runs started in the same millisecond, the one started last comes first (a restart counts)",
    run: Effect.gen(function*() {
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
    })
  },
  {
    name: "streams events appended after subscribing",
    run: Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const runId = unique("run")
      const subscription = yield* log.subscribe
      yield* log.append([started(runId, 1), materialization(runId, "s/t", null)])
      const received = yield* Queue.takeBetween(subscription, 2, 2)
      const mine = Chunk.toReadonlyArray(received).filter((s) => s.event.runId === runId)
      assert.deepStrictEqual(mine.map((s) => s.event._tag), ["RunStarted", "Materialization"])
    })
  }
]

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

/** @internal The `AssetState` contract. */
export const assetStateChecks: ReadonlyArray<Check<AssetState.AssetStateError, AssetState.AssetState>> = [
  {
    name: "puts, gets and replaces records keyed by asset and partition",
    run: Effect.gen(function*() {
      const state = yield* AssetState.AssetState
      const key = unique("asset")
      const get = (partitionKey: string | null) => Effect.map(state.get(key, partitionKey), Option.getOrNull)
      assert.isNull(yield* get(null))
      yield* state.put([record(key, null, "Materialized", "v1"), record(key, "2024-01-01", "Failed", "v0")])
      assert.deepStrictEqual(yield* get(null), record(key, null, "Materialized", "v1"))
      assert.deepStrictEqual(yield* get("2024-01-01"), record(key, "2024-01-01", "Failed", "v0"))
      yield* state.put([record(key, null, "Materialized", "v2")])
      assert.strictEqual((yield* get(null))?.dataVersion, "v2")
      assert.strictEqual((yield* state.list({ assetKeys: [key] })).length, 2)
    })
  },
  {
    name: "lists by asset",
    run: Effect.gen(function*() {
      const state = yield* AssetState.AssetState
      const a = unique("asset")
      const b = unique("asset")
      yield* state.put([record(a, "1", "Materialized", "v"), record(b, "1", "Materialized", "v")])
      const listed = yield* state.list({ assetKeys: [a] })
      assert.deepStrictEqual(listed.map((r) => r.assetKey), [a])
      const all = yield* state.list()
      assert.isTrue(all.some((r) => r.assetKey === a) && all.some((r) => r.assetKey === b))
    })
  },
  {
    name: "keeps named checkpoints per step, overwrites, clears one or all",
    run: Effect.gen(function*() {
      const state = yield* AssetState.AssetState
      const key = unique("asset")
      const set = (partitionKey: string | null, name: string, value: string) =>
        state.setCheckpoint({ assetKey: key, partitionKey, name, value, updatedAt: 1 })
      const get = (partitionKey: string | null, name: string) =>
        Effect.map(state.getCheckpoint(key, partitionKey, name), Option.getOrNull)
      yield* set("2024-01-01", "page", "3")
      yield* set("2024-01-01", "page", "4")
      yield* set("2024-01-01", "lastId", "999")
      yield* set(null, "page", "7")
      assert.strictEqual(yield* get("2024-01-01", "page"), "4")
      assert.strictEqual(yield* get(null, "page"), "7")
      assert.strictEqual((yield* state.listCheckpoints({ assetKeys: [key] })).length, 3)
      yield* state.clearCheckpoint(key, "2024-01-01", "page")
      assert.isNull(yield* get("2024-01-01", "page"))
      assert.strictEqual(yield* get("2024-01-01", "lastId"), "999")
      yield* state.clearCheckpoint(key, "2024-01-01")
      assert.isNull(yield* get("2024-01-01", "lastId"))
      assert.strictEqual(yield* get(null, "page"), "7")
    })
  },
  {
    name: "adds dynamic partition keys once, in order of first addition",
    run: Effect.gen(function*() {
      const state = yield* AssetState.AssetState
      const name = unique("dyn")
      assert.deepStrictEqual(yield* state.dynamicPartitions(name), [])
      yield* state.addDynamicPartitions(name, ["b", "a"])
      yield* state.addDynamicPartitions(name, ["a", "c"])
      assert.deepStrictEqual(yield* state.dynamicPartitions(name), ["b", "a", "c"])
    })
  },
  {
    name: "refuses keys that could never be selected or parsed, and adds none of the batch",
    run: Effect.gen(function*() {
      const state = yield* AssetState.AssetState
      const name = unique("dyn")
      for (const bad of ["sales,2024.csv", "a|b", "2024..2025", " padded", ""]) {
        const outcome = yield* Effect.either(state.addDynamicPartitions(name, ["ok.csv", bad]))
        if (Either.isRight(outcome)) assert.fail(`accepted the dynamic partition key ${JSON.stringify(bad)}`)
        assert.strictEqual(outcome.left._tag, "AssetStateError")
        assert.include(outcome.left.message, `dynamic partitions "${name}"`)
      }
      assert.deepStrictEqual(yield* state.dynamicPartitions(name), [])
    })
  }
]
