import { EventLog } from "@baliza/core"
import * as StorageSuites from "@baliza/testing/StorageSuites"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer } from "effect"
import * as NodeFs from "node:fs"
import * as Path from "node:path"
import * as NodeZlib from "node:zlib"
import * as DuckDB from "../src/DuckDB.js"
import * as DuckDBError from "../src/DuckDBError.js"
import * as DuckDBEventLog from "../src/DuckDBEventLog.js"
import { fixture, tempDir } from "./helpers.js"

StorageSuites.eventLogSuite("DuckDB in memory", DuckDBEventLog.layer().pipe(Layer.provide(DuckDB.layerMemory)))

const runStarted = (runId: string, timestamp: number) => ({
  _tag: "RunStarted" as const,
  runId,
  timestamp,
  selection: "*",
  partitions: null,
  plannedSteps: 1,
  skippedSteps: 0,
  tags: {}
})

describe("DuckDBEventLog", () => {
  it.scoped("a file whose id key holds ids of events an out-of-memory commit lost: new events take ids past them", () =>
    Effect.gen(function*() {
      // Made by the chaos suite's pressure case (a run squeezed to 24 MB, DuckDB 1.5.6), every table but meta.events
      // dropped: its key refuses id 308 while no row has it, and every run's first flush on it was refused.
      const path = Path.join(yield* tempDir, "phantom.duckdb")
      NodeFs.writeFileSync(path, NodeZlib.gunzipSync(NodeFs.readFileSync(fixture("phantom-event-ids.duckdb.gz"))))
      yield* Effect.gen(function*() {
        const [row] = yield* DuckDB.query("SELECT max(id)::INTEGER AS last FROM meta.events")
        const last = Number(row?.last)
        const refused = yield* Effect.exit(DuckDB.execute(
          `INSERT INTO meta.events SELECT ${last + 1}, run_id, tag, asset_key, partition_key, ts, payload
           FROM meta.events WHERE id = ${last}`
        ))
        assert.isTrue(Exit.isFailure(refused), "the key holds the next id")
        const log = yield* EventLog.EventLog
        yield* log.append([runStarted("after", 5_000)])
        const stored = yield* log.query({ runId: "after" })
        assert.strictEqual(stored.length, 1)
        assert.isAbove(stored[0]!.id, last + 1)
        // and the ids go on from there, in order
        yield* log.append([runStarted("later", 6_000)])
        const [later] = yield* log.query({ runId: "later" })
        assert.strictEqual(later?.id, stored[0]!.id + 1)
      }).pipe(Effect.provide(DuckDBEventLog.layer().pipe(Layer.provideMerge(DuckDB.layer({ path })))))
    }))

  it.scoped("keeps the run history across closing and reopening the file, and continues the ids", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "events.duckdb")
      const open = <A, E>(use: Effect.Effect<A, E, EventLog.EventLog>) =>
        Effect.scoped(Effect.provide(use, DuckDBEventLog.layer().pipe(Layer.provide(DuckDB.layer({ path })))))
      yield* open(Effect.flatMap(EventLog.EventLog, (log) =>
        log.append([
          runStarted("r1", 1_000),
          {
            _tag: "RunFinished",
            runId: "r1",
            timestamp: 3_000,
            status: "Success",
            durationMs: 2_000,
            succeeded: 1,
            failed: 0,
            skipped: 0
          }
        ])))
      const [runs, events] = yield* open(Effect.gen(function*() {
        const log = yield* EventLog.EventLog
        yield* log.append([{
          _tag: "RunStarted",
          runId: "r2",
          timestamp: 5_000,
          selection: "x",
          partitions: "2024-01",
          plannedSteps: 2,
          skippedSteps: 0,
          tags: {}
        }])
        return [yield* log.runs(), yield* log.query()] as const
      }))
      assert.deepStrictEqual(runs.map((r) => [r.runId, r.status, r.startedAt, r.finishedAt]), [
        ["r2", "Running", 5_000, null],
        ["r1", "Success", 1_000, 3_000]
      ])
      assert.deepStrictEqual(events.map((e) => e.id), [1, 2, 3])
    }))

  it.scopedLive("a flush interrupted while it waits for the writer loses no event", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      const log = yield* DuckDBEventLog.make({ flushInterval: "1 hour", batchSize: 1_000_000 })
      yield* Effect.sleep("50 millis") // the periodic flush's first (empty) round
      yield* log.append([runStarted("r1", 1_000)])
      // the writer is busy, and another write is queued for its group commit first
      const busy = yield* Effect.fork(db.withTransaction(Effect.sleep("300 millis")))
      yield* Effect.sleep("20 millis")
      const queued = yield* Effect.fork(db.withGroupCommit(db.execute("SELECT 1")))
      yield* Effect.sleep("20 millis")
      // a reader gives up on the log's query (which flushes first) after 50 ms: the flush is interrupted, or finishes
      yield* Effect.exit(Effect.timeout(log.query({}), "50 millis"))
      yield* Fiber.join(busy)
      yield* Fiber.join(queued)
      assert.deepStrictEqual((yield* log.query({})).map(({ event }) => event.runId), ["r1"])
      const [row] = yield* db.query("SELECT count(*) AS n FROM meta.events")
      assert.strictEqual(Number(row.n), 1)
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("a flush whose commit reports a failure after storing its rows writes none of them twice", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      // the first group commit stores the rows, then fails (as an automatic checkpoint that ran out of memory does)
      let failures = 1
      const reporting: DuckDB.Service = {
        ...db,
        withGroupCommit: (effect) =>
          failures-- > 0
            ? Effect.zipRight(db.withGroupCommit(effect), Effect.fail(DuckDBError.make("OutOfMemory", "checkpoint")))
            : db.withGroupCommit(effect)
      }
      const log = yield* DuckDBEventLog.make({ flushInterval: "1 hour", batchSize: 1_000_000 }).pipe(
        Effect.provideService(DuckDB.DuckDB, reporting)
      )
      yield* log.append([runStarted("r1", 1_000), runStarted("r2", 2_000)])
      assert.isTrue(Exit.isFailure(yield* Effect.exit(log.flush)))
      yield* log.append([runStarted("r3", 3_000)])
      yield* log.flush
      const rows = yield* db.query("SELECT id, run_id FROM meta.events ORDER BY id")
      assert.deepStrictEqual(rows.map((row) => [Number(row.id), row.run_id]), [[1, "r1"], [2, "r2"], [3, "r3"]])
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("buffers appends and writes them in batches (visible to queries at once)", () =>
    Effect.gen(function*() {
      const log = yield* DuckDBEventLog.make({ flushInterval: "1 hour", batchSize: 1_000_000 })
      const db = yield* DuckDB.DuckDB
      const events = Array.from({ length: 5_000 }, (_, i) => ({
        _tag: "Progress" as const,
        runId: "bulk",
        timestamp: i,
        assetKey: "a",
        partitionKey: null,
        done: i,
        total: 5_000,
        unit: "pages",
        message: null
      }))
      for (let i = 0; i < events.length; i += 500) yield* log.append(events.slice(i, i + 500))
      const [before] = yield* db.query("SELECT count(*) AS n FROM meta.events")
      assert.strictEqual(Number(before.n), 0)
      assert.strictEqual((yield* log.query({ runId: "bulk" })).length, 5_000)
      const [after] = yield* db.query("SELECT count(*) AS n FROM meta.events")
      assert.strictEqual(Number(after.n), 5_000)
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})
