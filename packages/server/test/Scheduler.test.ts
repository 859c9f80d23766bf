/**
 * The scheduler on a real DuckDB file, with the live clock and per-second crons: every tick fires once (two schedulers
 * on one database, a restart), a missed tick is caught up once, failures are recorded.
 */
import { RunSchedule } from "@baliza/core"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Cron, Data, type Duration, Effect, Either, Layer, Logger, LogLevel, Option, TestClock } from "effect"
import * as Housekeeping from "../src/Housekeeping.js"
import * as Scheduler from "../src/Scheduler.js"
import { build, tempDatabase, waitFor } from "./helpers.js"

const everySecond = "* * * * * *"

/** A materialization schedule whose partition spec is its tick's time, so a launch says which tick it is for. */
const schedule = (name: string, cron = everySecond) =>
  RunSchedule.make({ name, cron, selection: "layer:raw+", partitions: (tick) => String(tick.getTime()) })

interface Launch {
  readonly schedule: string
  readonly tick: number
  readonly by: string
}

/** A `launch` that records its calls in `calls` and returns `run-<by>-<tick>`. */
const recordingLaunch = (calls: Array<Launch>, by: string) => (s: RunSchedule.RunSchedule, partitions?: string) =>
  Effect.sync(() => {
    calls.push({ schedule: s.name, tick: Number(partitions), by })
    return `run-${by}-${partitions}`
  })

/** A housekeeping task on a cron that counts its runs. */
const countingTask = (name: string, runs: { count: number }, cron = everySecond): Housekeeping.Task => ({
  name,
  cron,
  timeZone: "UTC",
  description: "counts",
  run: Effect.sync(() => `swept ${++runs.count}`)
})

interface TickRow {
  readonly schedule: string
  readonly tick: number
  readonly status: string
  readonly run_id: string | null
  readonly message: string | null
}

const tickRows = (scheduleName: string) =>
  Effect.map(
    DuckDB.query(
      `SELECT schedule, CAST(tick AS DOUBLE) AS tick, status, run_id, message FROM meta.schedule_ticks
       WHERE schedule = $1 ORDER BY tick`,
      [scheduleName]
    ),
    (rows) => rows as unknown as ReadonlyArray<TickRow>
  )

/** Waits (at most `timeout`) until `name` has at least `n` tick rows; returns them. */
const ticksAtLeast = (name: string, n: number, timeout: Duration.DurationInput = "6 seconds") =>
  waitFor(
    `${n} ticks of ${name}`,
    Effect.map(tickRows(name), (rows) =>
      rows.length >= n && rows.every((row) => row.status !== "started") ? rows : undefined),
    { timeout }
  )

const sortedTicks = (calls: ReadonlyArray<Launch>) => calls.map((call) => call.tick).sort((a, b) => a - b)

const assertConsecutiveSeconds = (ticks: ReadonlyArray<number>) => {
  for (const tick of ticks) assert.strictEqual(tick % 1000, 0, `a tick on the second: ${tick}`)
  for (let i = 1; i < ticks.length; i++) {
    assert.strictEqual(ticks[i]! - ticks[i - 1]!, 1000, `no tick skipped: ${ticks}`)
  }
}

class QueueFull extends Data.TaggedError("QueueFull")<{ readonly message: string }> {}

describe("Scheduler", () => {
  it.scopedLive(
    "fires each tick of the cron once and records it with its run; info shows next and last ticks",
    () =>
      Effect.gen(function*() {
        const path = yield* tempDatabase
        const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
        const calls: Array<Launch> = []
        const swept = { count: 0 }
        const started = Date.now()
        const { info, rows, hkRows } = yield* Effect.scoped(Effect.gen(function*() {
          const scheduler = yield* Scheduler.make({
            schedules: [schedule("every-second")],
            housekeeping: [countingTask("sweep", swept)],
            launch: recordingLaunch(calls, "a")
          })
          const rows = yield* ticksAtLeast("every-second", 3)
          const hkRows = yield* ticksAtLeast("sweep", 2)
          const info = yield* scheduler.info
          return { info, rows, hkRows }
        })).pipe(Effect.provideService(DuckDB.DuckDB, db))
        const stopped = Date.now()

        // Never ticked before: nothing to catch up, the first tick is after the start.
        assert.isAbove(rows[0]!.tick, started - 1)
        assertConsecutiveSeconds(rows.map((row) => row.tick))
        for (const row of rows) {
          assert.deepStrictEqual(row, {
            schedule: "every-second",
            tick: row.tick,
            status: "succeeded",
            run_id: `run-a-${row.tick}`,
            message: `queued layer:raw+ for ${row.tick}`
          })
        }

        // Each launch once, for a recorded tick; after the stop, no more ticks.
        yield* Effect.sleep("1200 millis")
        const final = yield* Effect.provideService(tickRows("every-second"), DuckDB.DuckDB, db)
        assert.deepStrictEqual(sortedTicks(calls), final.map((row) => row.tick))
        assert.isBelow(final.at(-1)!.tick, stopped + 1)
        assert.deepStrictEqual(final.slice(0, rows.length), rows)

        const hkFinal = yield* Effect.provideService(tickRows("sweep"), DuckDB.DuckDB, db)
        // Every tick settled; each succeeded one ran the task once. Only the last may have been cut by the stop.
        const hkSucceeded = hkFinal.filter((row) => row.status === "succeeded")
        assert.strictEqual(swept.count, hkSucceeded.length)
        assert.deepStrictEqual(
          hkFinal.slice(hkSucceeded.length).map((row) => [row.status, row.message]),
          hkFinal.length > hkSucceeded.length
            ? [["failed", "interrupted: the scheduler stopped during the task"]]
            : []
        )
        assertConsecutiveSeconds(hkFinal.map((row) => row.tick))
        assert.deepStrictEqual(
          hkRows.map((row) => [row.status, row.run_id, row.message]),
          hkRows.map((_, i) => ["succeeded", null, `swept ${i + 1}`])
        )

        // info: both schedules, next tick within the coming second, the last ticks newest first.
        assert.deepStrictEqual(info.map((each) => [each.name, each.kind, each.cron, each.timeZone, each.selection]), [
          ["every-second", "materialize", everySecond, "UTC", "layer:raw+"],
          ["sweep", "housekeeping", everySecond, "UTC", null]
        ])
        const [materialize, sweep] = info
        assert.include(materialize!.description, "layer:raw+")
        assert.strictEqual(sweep!.description, "counts")
        for (const each of info) {
          assert.strictEqual(each.nextTick! % 1000, 0)
          assert.isAtLeast(each.nextTick!, rows.at(-1)!.tick + 1000)
          assert.isAtMost(each.nextTick!, stopped + 1000)
        }
        const newestFirst = [...materialize!.lastTicks].map((tick) => tick.tick)
        assert.deepStrictEqual(newestFirst, [...newestFirst].sort((a, b) => b - a))
        assert.includeMembers(newestFirst, rows.map((row) => row.tick))
        assert.deepStrictEqual(materialize!.lastTicks.at(-1), {
          schedule: "every-second",
          tick: rows[0]!.tick,
          status: "succeeded",
          runId: `run-a-${rows[0]!.tick}`,
          message: `queued layer:raw+ for ${rows[0]!.tick}`,
          recordedAt: materialize!.lastTicks.at(-1)!.recordedAt
        })
        assert.isAtLeast(materialize!.lastTicks.at(-1)!.recordedAt, rows[0]!.tick)
      }),
    { timeout: 20_000 }
  )

  it.scopedLive("two schedulers on one database never fire a tick twice", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
      const calls: Array<Launch> = []
      const swept = { count: 0 }
      const start = (by: string) =>
        Scheduler.make({
          schedules: [schedule("shared")],
          housekeeping: [countingTask("sweep", swept)],
          launch: recordingLaunch(calls, by)
        })
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Effect.all([start("a"), start("b")], { concurrency: 2 })
        yield* ticksAtLeast("shared", 3)
        yield* ticksAtLeast("sweep", 3)
      })).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const rows = yield* Effect.provideService(tickRows("shared"), DuckDB.DuckDB, db)
      const ticks = sortedTicks(calls)
      assert.strictEqual(new Set(ticks).size, ticks.length, `a tick fired twice: ${JSON.stringify(calls)}`)
      assert.deepStrictEqual(ticks, rows.map((row) => row.tick))
      // Each tick's run is the one of the scheduler that fired it.
      for (const call of calls) {
        assert.strictEqual(rows.find((row) => row.tick === call.tick)?.run_id, `run-${call.by}-${call.tick}`)
      }
      assertConsecutiveSeconds(ticks)
      const hk = yield* Effect.provideService(tickRows("sweep"), DuckDB.DuckDB, db)
      assert.strictEqual(swept.count, hk.length, "the housekeeping task ran once per recorded tick")
    }), { timeout: 20_000 })

  it.scopedLive(
    "two schedulers on one file through two connections never commit a tick twice either",
    () =>
      Effect.gen(function*() {
        const path = yield* tempDatabase
        const dbs = [
          yield* build(DuckDB.DuckDB, DuckDB.layer({ path })),
          yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
        ]
        yield* dbs[0]!.execute("CREATE TABLE launches (schedule VARCHAR, tick BIGINT, launched_by VARCHAR)")
        // The launch writes in the tick's transaction (as the server's queueing does): the loser of a race on a tick
        // fails at commit and its launch is rolled back.
        const launch = (by: string) => (s: RunSchedule.RunSchedule, partitions?: string) =>
          Effect.as(
            DuckDB.execute("INSERT INTO launches VALUES ($1, $2, $3)", [s.name, Number(partitions), by]),
            `run-${by}-${partitions}`
          )
        yield* Effect.scoped(Effect.gen(function*() {
          for (const [i, db] of dbs.entries()) {
            yield* Scheduler.make({ schedules: [schedule("shared")], housekeeping: [], launch: launch(`${i}`) }).pipe(
              Effect.provideService(DuckDB.DuckDB, db),
              // The losing commits are logged as errors: quiet here.
              Logger.withMinimumLogLevel(LogLevel.None)
            )
          }
          yield* Effect.provideService(ticksAtLeast("shared", 3), DuckDB.DuckDB, dbs[0]!)
        }))
        const launches = (yield* dbs[0]!.query(
          "SELECT CAST(tick AS DOUBLE) AS tick, launched_by FROM launches ORDER BY tick"
        )).map((row) => ({ tick: Number(row.tick), by: String(row.launched_by) }))
        const ticks = launches.map((launch) => launch.tick)
        assert.strictEqual(new Set(ticks).size, ticks.length, `a tick launched twice: ${JSON.stringify(launches)}`)
        const rows = yield* Effect.provideService(tickRows("shared"), DuckDB.DuckDB, dbs[0]!)
        assert.deepStrictEqual(ticks, rows.map((row) => row.tick))
        for (const launch of launches) {
          assert.strictEqual(rows.find((row) => row.tick === launch.tick)?.run_id, `run-${launch.by}-${launch.tick}`)
        }
        assertConsecutiveSeconds(ticks)
      }),
    { timeout: 20_000 }
  )

  it.scoped("catches up a tick missed by less than a second (TestClock at 03:30:00.400, the tick at 03:30)", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
      yield* Migrations.run([Scheduler.migrations]).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const yesterday = Date.parse("2024-07-01T03:30:00Z")
      yield* db.execute(`INSERT INTO meta.schedule_ticks VALUES ('daily', $1, 'succeeded', 'old', 'earlier', $1)`, [
        yesterday
      ])
      yield* TestClock.setTime(Date.parse("2024-07-02T03:30:00.400Z"))
      const calls: Array<string | undefined> = []
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Scheduler.make({
          schedules: [
            RunSchedule.make({ name: "daily", cron: "30 3 * * *", selection: "*", partitions: RunSchedule.previousDay })
          ],
          housekeeping: [],
          launch: (_, partitions) => Effect.sync(() => calls.push(partitions)).pipe(Effect.as("caught-up"))
        })
        yield* waitFor(
          "the caught-up tick",
          Effect.map(tickRows("daily"), (rows) => rows.length === 2 ? rows : undefined)
        )
      })).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const rows = yield* Effect.provideService(tickRows("daily"), DuckDB.DuckDB, db)
      assert.deepStrictEqual(rows.map((row) => [new Date(row.tick).toISOString(), row.run_id]), [
        ["2024-07-01T03:30:00.000Z", "old"],
        ["2024-07-02T03:30:00.000Z", "caught-up"]
      ])
      assert.deepStrictEqual(calls, ["2024-07-01"])
    }))

  it.scoped("a monthly schedule sleeps at most a day at a time (the clock never wakes a sleep over 2^31 - 1 ms)", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
      // The day after the monthly tick: the next one is 30 days away, past what Effect's clock can time (~24.8 days:
      // a longer sleep sets no timer at all).
      const now = Date.parse("2024-07-02T12:00:00Z")
      yield* TestClock.setTime(now)
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Scheduler.make({
          schedules: [schedule("monthly", "0 7 1 * *")],
          housekeeping: [],
          launch: () => Effect.succeed("monthly-run")
        })
        const wakes = yield* waitFor(
          "the schedule's sleep",
          Effect.map(
            TestClock.sleeps(),
            (pending) => Chunk.isEmpty(pending) ? undefined : Chunk.toReadonlyArray(pending)
          )
        )
        assert.isTrue(
          wakes.every((wake) => wake - now <= 86_400_000),
          `sleeps until ${wakes.map((wake) => new Date(wake).toISOString())}`
        )
        // and the slices add up to the tick, which fires once
        yield* TestClock.adjust("31 days")
        yield* ticksAtLeast("monthly", 1)
      })).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const rows = yield* Effect.provideService(tickRows("monthly"), DuckDB.DuckDB, db)
      assert.deepStrictEqual(rows.map((row) => [new Date(row.tick).toISOString(), row.status, row.run_id]), [
        ["2024-08-01T07:00:00.000Z", "succeeded", "monthly-run"]
      ])
    }))

  it.scopedLive(
    "a restart fires no tick twice and catches up the latest missed tick once",
    () =>
      Effect.gen(function*() {
        const path = yield* tempDatabase
        const calls: Array<Launch> = []
        const session = <A, E>(by: string, use: Effect.Effect<A, E, DuckDB.DuckDB>) =>
          Effect.scoped(Effect.gen(function*() {
            yield* Scheduler.make({
              schedules: [schedule("every-second"), schedule("daily", "0 0 * * *")],
              housekeeping: [],
              launch: recordingLaunch(calls, by)
            })
            return yield* use
          })).pipe(Effect.provide(DuckDB.layer({ path })))
        const of = (by: string) => sortedTicks(calls.filter((call) => call.by === by))

        const first = yield* session("1", ticksAtLeast("every-second", 2))
        const closed = Date.now()
        assert.isAtLeast(of("1").length, first.length)
        assertConsecutiveSeconds(of("1"))
        const lastBefore = of("1").at(-1)!

        // Down for more than two ticks.
        yield* Effect.sleep("2300 millis")
        const reopened = Date.now()
        yield* session(
          "2",
          waitFor(
            "a tick after the restart",
            Effect.map(tickRows("every-second"), (rows) => rows.some((row) => row.tick > reopened) ? rows : undefined),
            { timeout: "4 seconds" }
          )
        )
        const second = of("2")
        const caughtUp = second[0]!
        // The latest missed tick, once; the older missed ones are skipped.
        assert.isAtLeast(caughtUp, lastBefore + 2000)
        assert.isAbove(caughtUp, closed + 1000, "not the first missed tick")
        assert.isAbove(caughtUp, reopened - 1000)
        assert.isBelow(caughtUp, reopened + 1000)
        assert.strictEqual(caughtUp % 1000, 0)
        assertConsecutiveSeconds(second)
        assert.isTrue(second.some((tick) => tick > reopened))
        const all = yield* Effect.provide(tickRows("every-second"), DuckDB.layer({ path }))
        assert.deepStrictEqual(all.map((row) => row.tick), [...of("1"), ...second])
        assert.isFalse(all.some((row) => row.tick > lastBefore && row.tick < caughtUp), "only the latest missed tick")

        // An immediate restart: nothing was missed, nothing fires twice.
        yield* session("3", Effect.sleep("300 millis"))
        const ticks = sortedTicks(calls)
        assert.strictEqual(new Set(ticks).size, ticks.length, `a tick fired twice: ${JSON.stringify(calls)}`)
        const final = yield* Effect.provide(tickRows("every-second"), DuckDB.layer({ path }))
        assert.deepStrictEqual(final.map((row) => row.tick), ticks)
        // A schedule that never ticked is not caught up.
        assert.deepStrictEqual(yield* Effect.provide(tickRows("daily"), DuckDB.layer({ path })), [])
        assert.isFalse(calls.some((call) => call.schedule === "daily"))
      }),
    { timeout: 30_000 }
  )

  it.scopedLive(
    "a daily schedule that ticked before catches up its missed tick at start; info lists the last ten",
    () =>
      Effect.gen(function*() {
        const path = yield* tempDatabase
        const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
        const daily = RunSchedule.make({
          name: "daily-raw",
          cron: "30 3 * * *",
          selection: "layer:raw+",
          partitions: RunSchedule.previousDay,
          priority: 2
        })
        const cron = Either.getOrThrow(RunSchedule.parse(daily))
        const missed = Cron.prev(cron, new Date()).getTime()
        // Twelve days of ticks recorded by an earlier server, the last one the day before the missed tick.
        yield* Migrations.run([Scheduler.migrations]).pipe(Effect.provideService(DuckDB.DuckDB, db))
        for (let day = 12; day >= 1; day--) {
          const tick = missed - day * 86_400_000
          yield* db.execute(
            `INSERT INTO meta.schedule_ticks VALUES ('daily-raw', $1, 'succeeded', $2, 'earlier', $1)`,
            [tick, `old-${day}`]
          )
        }
        const calls: Array<{ readonly partitions: string | undefined; readonly priority: number }> = []
        const info = yield* Effect.scoped(Effect.gen(function*() {
          const scheduler = yield* Scheduler.make({
            schedules: [daily],
            housekeeping: [],
            launch: (s, partitions) =>
              Effect.sync(() => {
                calls.push({ partitions, priority: s.priority })
                return "caught-up"
              })
          })
          yield* waitFor(
            "the caught-up tick",
            Effect.map(
              scheduler.info,
              (info) =>
                info[0]?.lastTicks[0]?.tick === missed && info[0].lastTicks[0].status === "succeeded" ? info : undefined
            )
          )
          return yield* scheduler.info
        })).pipe(Effect.provideService(DuckDB.DuckDB, db))

        const yesterdayOfMissed = RunSchedule.previousDay(new Date(missed), "UTC")
        assert.deepStrictEqual(calls, [{ partitions: yesterdayOfMissed, priority: 2 }])
        const [only] = info
        assert.strictEqual(info.length, 1)
        assert.strictEqual(only!.nextTick, Cron.next(cron, new Date()).getTime())
        assert.strictEqual(new Date(only!.nextTick!).toISOString().slice(11), "03:30:00.000Z")
        assert.deepStrictEqual(
          only!.lastTicks.map((tick) => [tick.tick, tick.runId]),
          [
            [missed, "caught-up"],
            ...Array.from({ length: 9 }, (_, i) => [missed - (i + 1) * 86_400_000, `old-${i + 1}`])
          ]
        )
        assert.strictEqual(only!.lastTicks[0]!.message, `queued layer:raw+ for ${yesterdayOfMissed}`)
      }),
    { timeout: 20_000 }
  )

  it.scopedLive(
    "overlap skip: a tick while the schedule's run is active is skipped, naming it; queue never skips",
    () =>
      Effect.gen(function*() {
        const path = yield* tempDatabase
        const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
        const calls: Array<Launch> = []
        // A run stays active until two ticks after it: the ticks in between are skipped.
        const active = (s: RunSchedule.RunSchedule) =>
          Effect.sync(() => {
            const last = calls.filter((call) => call.schedule === s.name).at(-1)
            return last !== undefined && Date.now() - last.tick < 2_500
              ? Option.some(`run-a-${last.tick}`)
              : Option.none()
          })
        const skipping = RunSchedule.make({ ...schedule("skipping"), overlap: "skip" })
        yield* Effect.scoped(Effect.gen(function*() {
          yield* Scheduler.make({
            schedules: [skipping, schedule("queueing")],
            housekeeping: [],
            launch: recordingLaunch(calls, "a"),
            active
          })
          yield* ticksAtLeast("skipping", 7, "12 seconds")
        })).pipe(Effect.provideService(DuckDB.DuckDB, db))
        const rows = yield* Effect.provideService(tickRows("skipping"), DuckDB.DuckDB, db)
        const statuses = rows.map((row) => row.status)
        assert.includeMembers(statuses, ["succeeded", "skipped"])
        for (const [i, row] of rows.entries()) {
          if (row.status === "skipped") {
            // Names the run of the latest tick that queued one, and queued nothing itself.
            const queued = rows.slice(0, i).filter((earlier) => earlier.status === "succeeded").at(-1)!
            assert.deepStrictEqual([row.run_id, row.message], [
              null,
              `run ${queued.run_id} of this schedule is still queued or running`
            ])
          }
        }
        assert.strictEqual(
          calls.filter((call) => call.schedule === "skipping").length,
          statuses.filter((s) => s === "succeeded").length
        )
        const queueing = yield* Effect.provideService(tickRows("queueing"), DuckDB.DuckDB, db)
        assert.isTrue(queueing.every((row) => row.status === "succeeded"))
      }),
    { timeout: 20_000 }
  )

  it.scopedLive("a failing launch or task marks its tick failed with the message", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const db = yield* build(DuckDB.DuckDB, DuckDB.layer({ path }))
      const attempts = { launch: 0 }
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Scheduler.make({
          schedules: [schedule("refused")],
          housekeeping: [
            {
              name: "unhealthy",
              cron: everySecond,
              timeZone: "UTC",
              description: "fails",
              run: new Housekeeping.HousekeepingError({ task: "unhealthy", message: "disk full" })
            },
            {
              name: "buggy",
              cron: everySecond,
              timeZone: "UTC",
              description: "dies",
              run: Effect.die(new Error("a bug"))
            }
          ],
          launch: () =>
            Effect.suspend(() => {
              attempts.launch++
              return Effect.fail(new QueueFull({ message: "the queue is full" }))
            })
        })
        yield* ticksAtLeast("refused", 2)
        yield* ticksAtLeast("unhealthy", 2)
        yield* ticksAtLeast("buggy", 2)
      })).pipe(Effect.provideService(DuckDB.DuckDB, db))
      const read = (name: string) => Effect.provideService(tickRows(name), DuckDB.DuckDB, db)
      const refused = yield* read("refused")
      assert.strictEqual(attempts.launch, refused.length)
      for (const row of refused) {
        assert.deepStrictEqual([row.status, row.run_id, row.message], ["failed", null, "the queue is full"])
      }
      for (const row of yield* read("unhealthy")) {
        assert.deepStrictEqual([row.status, row.run_id, row.message], ["failed", null, "disk full"])
      }
      for (const row of yield* read("buggy")) {
        assert.strictEqual(row.status, "failed")
        assert.include(row.message, "a bug")
      }
    }), { timeout: 20_000 })

  it.scoped("refuses two schedules of one name, and an invalid cron, time zone or priority", () =>
    Effect.gen(function*() {
      const start = (
        schedules: ReadonlyArray<RunSchedule.RunSchedule>,
        housekeeping: ReadonlyArray<Housekeeping.Task>
      ) => Effect.flip(Scheduler.make({ schedules, housekeeping, launch: () => Effect.succeed("x") }))
      const duplicate = yield* start([schedule("health-check")], [Housekeeping.healthCheck()])
      assert.strictEqual(duplicate._tag, "RunScheduleError")
      assert.include(duplicate.message, `"health-check"`)
      const badCron = yield* start([schedule("bad", "every day")], [])
      assert.include(badCron.message, "invalid cron")
      const badZone = yield* start([{ ...schedule("zone"), timeZone: "Mars/Olympus" }], [])
      assert.include(badZone.message, "Mars/Olympus")
      const badPriority = yield* start([{ ...schedule("p"), priority: 11 }], [])
      assert.include(badPriority.message, "priority")
    }).pipe(Effect.provide(Layer.fresh(DuckDB.layerMemory))))
})
