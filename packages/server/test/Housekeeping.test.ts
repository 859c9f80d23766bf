/**
 * The housekeeping tasks against real DuckDB databases: event-log retention over the real event log, response-cache
 * cleanup, the health check, the defaults.
 */
import { EventLog, type RunEvent, RunSchedule } from "@baliza/core"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as DuckDBEventLog from "@baliza/duckdb/DuckDBEventLog"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as Housekeeping from "../src/Housekeeping.js"
import { tempDatabase } from "./helpers.js"

const DAY = 86_400_000

const started = (runId: string, timestamp: number): RunEvent.RunEvent => ({
  _tag: "RunStarted",
  runId,
  timestamp,
  selection: "*",
  partitions: null,
  plannedSteps: 1,
  skippedSteps: 0,
  tags: {}
})

const step = (runId: string, timestamp: number): RunEvent.RunEvent => ({
  _tag: "StepStarted",
  runId,
  timestamp,
  assetKey: "a",
  partitionKey: null,
  attempt: 1
})

const finished = (runId: string, timestamp: number): RunEvent.RunEvent => ({
  _tag: "RunFinished",
  runId,
  timestamp,
  status: "Success",
  durationMs: 1_000,
  succeeded: 1,
  failed: 0,
  skipped: 0
})

const eventsPerRun = Effect.map(
  DuckDB.query("SELECT run_id, count(*) AS n FROM meta.events GROUP BY run_id ORDER BY run_id"),
  (rows) => Object.fromEntries(rows.map((row) => [String(row.run_id), Number(row.n)]))
)

/** A response cache table as `@baliza/extract` makes it (the columns the cleanup reads). */
const responseCache = (entries: ReadonlyArray<readonly [string, Date | null, string | null]>) =>
  Effect.gen(function*() {
    yield* DuckDB.execute(`CREATE SCHEMA IF NOT EXISTS meta;
      CREATE TABLE meta.response_cache (key VARCHAR PRIMARY KEY, etag VARCHAR, expires_at TIMESTAMP)`)
    for (const [key, expiresAt, etag] of entries) {
      yield* DuckDB.execute("INSERT INTO meta.response_cache VALUES ($1, $2, $3)", [key, etag, expiresAt])
    }
  })

const cacheKeys = Effect.map(
  DuckDB.query("SELECT key FROM meta.response_cache ORDER BY key"),
  (rows) => rows.map((row) => String(row.key))
)

describe("Housekeeping", () => {
  it.scoped("eventLogRetention deletes only the events of runs finished before the cutoff", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const now = Date.now()
      yield* Effect.gen(function*() {
        const log = yield* EventLog.EventLog
        yield* log.append([
          started("old", now - 100 * DAY),
          step("old", now - 100 * DAY),
          finished("old", now - 95 * DAY),
          started("older", now - 400 * DAY),
          finished("older", now - 399 * DAY),
          started("recent", now - 100 * DAY),
          step("recent", now - 100 * DAY),
          finished("recent", now - 89 * DAY),
          // Started long ago and never finished (a crashed run): kept.
          started("unfinished", now - 200 * DAY),
          step("unfinished", now - 200 * DAY),
          started("today", now - 1_000),
          finished("today", now)
        ])
        yield* log.flush
        assert.deepStrictEqual(yield* eventsPerRun, { old: 3, older: 2, recent: 3, unfinished: 2, today: 2 })

        const task = Housekeeping.eventLogRetention({ keepDays: 90 })
        assert.strictEqual(task.name, "event-log-retention")
        assert.include(task.description, "90 days")
        const report = yield* task.run
        assert.match(report, /^deleted 5 events of 2 runs finished before \d{4}-\d\d-\d\dT/)
        const cutoff = Date.parse(report.split("finished before ")[1]!)
        assert.approximately(cutoff, now - 90 * DAY, 60_000)
        assert.deepStrictEqual(yield* eventsPerRun, { recent: 3, unfinished: 2, today: 2 })
        assert.deepStrictEqual((yield* log.runs()).map((run) => run.runId).sort(), ["recent", "today", "unfinished"])

        // Again: nothing left to delete.
        assert.strictEqual(yield* task.run, "nothing older than 90 days")
        // A shorter retention reaches the recent run, and only it.
        assert.match(yield* Housekeeping.eventLogRetention({ keepDays: 30 }).run, /^deleted 3 events of 1 runs/)
        assert.deepStrictEqual(yield* eventsPerRun, { unfinished: 2, today: 2 })
      }).pipe(Effect.provide(DuckDBEventLog.layer().pipe(Layer.provideMerge(DuckDB.layer({ path })))))
    }))

  it.effect("responseCacheCleanup deletes the expired entries only", () =>
    Effect.gen(function*() {
      const now = Date.now()
      yield* responseCache([
        ["expired", new Date(now - 3_600_000), null],
        ["expired-a-minute-ago", new Date(now - 60_000), null],
        ["fresh", new Date(now + 3_600_000), null],
        ["forever", null, null]
      ])
      assert.strictEqual(yield* Housekeeping.responseCacheCleanup().run, "deleted 2 expired entries")
      assert.deepStrictEqual(yield* cacheKeys, ["forever", "fresh"])
      assert.strictEqual(yield* Housekeeping.responseCacheCleanup().run, "deleted 0 expired entries")
    }).pipe(Effect.provide(Layer.fresh(DuckDB.layerMemory))))

  it.effect("responseCacheCleanup compares instants, whatever the session's time zone", () =>
    Effect.gen(function*() {
      const now = Date.now()
      yield* responseCache([
        ["expired-an-hour-ago", new Date(now - 3_600_000), null],
        ["expires-in-an-hour", new Date(now + 3_600_000), null]
      ])
      // Fourteen hours ahead of UTC: a wall-clock comparison would think the fresh entry expired.
      yield* DuckDB.execute("SET TimeZone = 'Pacific/Kiritimati'")
      assert.strictEqual(yield* Housekeeping.responseCacheCleanup().run, "deleted 1 expired entries")
      assert.deepStrictEqual(yield* cacheKeys, ["expires-in-an-hour"])
      // Three hours behind: a wall-clock comparison would keep an entry expired an hour ago.
      yield* DuckDB.execute("INSERT INTO meta.response_cache VALUES ('expired-again', NULL, $1)", [
        new Date(now - 3_600_000)
      ])
      yield* DuckDB.execute("SET TimeZone = 'America/Sao_Paulo'")
      assert.strictEqual(yield* Housekeeping.responseCacheCleanup().run, "deleted 1 expired entries")
      assert.deepStrictEqual(yield* cacheKeys, ["expires-in-an-hour"])
    }).pipe(Effect.provide(Layer.fresh(DuckDB.layerMemory))))

  it.scoped("healthCheck reports the free space of a file's disk, and fails below the threshold", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      yield* Effect.gen(function*() {
        const ok = Housekeeping.healthCheck({ minFreeBytes: 1 })
        assert.strictEqual(ok.name, "health-check")
        assert.match(yield* ok.run, /^database answers in \d+ ms; \d+\.\d GiB free$/)

        const impossible = Housekeeping.healthCheck({ minFreeBytes: Number.MAX_SAFE_INTEGER })
        const error = yield* Effect.flip(impossible.run)
        assert.instanceOf(error, Housekeeping.HousekeepingError)
        assert.strictEqual(error._tag, "HousekeepingError")
        assert.strictEqual((error as Housekeeping.HousekeepingError).task, "health-check")
        assert.match(error.message, /^database answers in \d+ ms; \d+\.\d GiB free, below \d+\.\d GiB$/)
      }).pipe(Effect.provide(DuckDB.layer({ path })))
    }))

  layer(DuckDB.layerMemory)("on a fresh database in memory", (it) => {
    it.effect("the tasks have nothing to do and say so", () =>
      Effect.gen(function*() {
        assert.strictEqual(yield* Housekeeping.eventLogRetention().run, "no event log yet")
        assert.strictEqual(yield* Housekeeping.responseCacheCleanup().run, "no response cache")
        assert.match(yield* Housekeeping.healthCheck().run, /^database answers in \d+ ms \(in memory\)$/)
        // In memory there is no disk to check: even an impossible threshold passes.
        assert.match(
          yield* Housekeeping.healthCheck({ minFreeBytes: Number.MAX_SAFE_INTEGER }).run,
          /\(in memory\)$/
        )
      }))

    it.effect("the defaults: the three tasks, on valid crons, every one runnable", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(
          Housekeeping.defaults.map((task) => [task.name, task.cron, task.timeZone]),
          [
            ["event-log-retention", "30 3 * * *", "UTC"],
            ["response-cache-cleanup", "0 4 * * *", "UTC"],
            ["health-check", "*/5 * * * *", "UTC"]
          ]
        )
        for (const task of Housekeeping.defaults) {
          assert.isTrue(Either.isRight(RunSchedule.parse(task)), task.name)
          assert.isString(yield* task.run)
        }
        assert.include(Housekeeping.eventLogRetention().description, "90 days")
        assert.include(Housekeeping.healthCheck().description, "1.0 GiB")
        const custom = Housekeeping.eventLogRetention({ cron: "0 1 * * *", timeZone: "America/Sao_Paulo" })
        assert.deepStrictEqual([custom.cron, custom.timeZone], ["0 1 * * *", "America/Sao_Paulo"])
      }))
  })
})
