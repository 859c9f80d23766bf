/**
 * Runs schedules: a fiber per schedule sleeps until its cron's next tick, then fires it — a materialization schedule
 * queues a run, a housekeeping task runs in place. Every tick is recorded in `meta.schedule_ticks`, keyed by (schedule,
 * tick), and a tick fires only if its row could be inserted: a tick is never run twice, even across restarts. A server
 * that was down at a tick fires the latest missed one when it starts (for schedules that ticked before).
 *
 * For a materialization, claiming the tick and queueing its run are one transaction: either both happen or neither.
 *
 * @since 0.1.0
 */
import * as RunEvent from "@baliza/core/RunEvent"
import * as RunSchedule from "@baliza/core/RunSchedule"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Cron from "effect/Cron"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Housekeeping from "./Housekeeping.js"
import { type ScheduleInfo, Tick } from "./ServerApi.js"

/**
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("schedule_ticks", [{
  id: 1,
  name: "schedule ticks",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.schedule_ticks (
      schedule VARCHAR NOT NULL,
      tick BIGINT NOT NULL,
      status VARCHAR NOT NULL,
      run_id VARCHAR,
      message VARCHAR,
      recorded_at BIGINT NOT NULL,
      PRIMARY KEY (schedule, tick)
    )`
}])

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<E, R> {
  readonly schedules: ReadonlyArray<RunSchedule.RunSchedule>
  readonly housekeeping: ReadonlyArray<Housekeeping.Task>
  /**
   * Queues a schedule's run for a tick (inside the tick's transaction); returns the run id. A failure marks the tick
   * failed with its message.
   */
  readonly launch: (
    schedule: RunSchedule.RunSchedule,
    partitions: string | undefined
  ) => Effect.Effect<string, E, R>
  /**
   * The schedule's run still queued or running, if any: asked in the tick's transaction for schedules with
   * `overlap: "skip"` (which never skip without it).
   */
  readonly active?: ((schedule: RunSchedule.RunSchedule) => Effect.Effect<Option.Option<string>, E, R>) | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Scheduler {
  /** Every schedule with its next tick and its last ones (newest first). */
  readonly info: Effect.Effect<ReadonlyArray<ScheduleInfo>, DuckDBError.DuckDBError>
}

type Definition =
  | { readonly _tag: "Materialize"; readonly schedule: RunSchedule.RunSchedule; readonly cron: Cron.Cron }
  | { readonly _tag: "Housekeeping"; readonly task: Housekeeping.Task; readonly cron: Cron.Cron }

const nameOf = (definition: Definition) =>
  definition._tag === "Materialize" ? definition.schedule.name : definition.task.name

const TickRow = Schema.Struct({
  schedule: Schema.String,
  tick: Schema.Number,
  status: Tick.fields.status,
  run_id: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  recorded_at: Schema.Number
})

const toTick = (row: typeof TickRow.Type): Tick => ({
  schedule: row.schedule,
  tick: row.tick,
  status: row.status,
  runId: row.run_id,
  message: row.message,
  recordedAt: row.recorded_at
})

/**
 * The latest tick at or before `at`. `Cron.prev` drops the milliseconds and looks strictly before that second (at
 * 05.400 it answers 04, not 05), so it is asked from the next second on; a tick it gives after `at` (a `prev` that
 * would be inclusive) is refused.
 */
const latestTickAtOrBefore = (cron: Cron.Cron, at: number): number => {
  const candidate = Cron.prev(cron, new Date(at - (at % 1000) + 1000)).getTime()
  return candidate <= at ? candidate : Cron.prev(cron, new Date(at)).getTime()
}

/**
 * The longest sleep until a tick: Effect's clock never wakes a sleep over 2^31 - 1 ms (~24.8 days; it sets no timer),
 * and a monthly tick can be further away. A schedule sleeps a day at most, then looks at the clock again.
 */
const maxSleepMillis = 86_400_000

/**
 * Starts the schedules' fibers in the scope. Fails with `RunScheduleError` when a cron, time zone or priority is
 * invalid, or two schedules share a name.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(
  options: Options<E, R>
): Effect.Effect<Scheduler, RunSchedule.RunScheduleError | DuckDBError.DuckDBError, DuckDB.DuckDB | R | Scope.Scope> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    yield* Migrations.run([migrations])
    const definitions: Array<Definition> = []
    for (const schedule of options.schedules) {
      const cron = yield* RunSchedule.parse(schedule)
      definitions.push({ _tag: "Materialize", schedule, cron })
    }
    for (const task of options.housekeeping) {
      const cron = yield* RunSchedule.parse(task)
      definitions.push({ _tag: "Housekeeping", task, cron })
    }
    const names = definitions.map(nameOf)
    const duplicate = names.find((name, index) => names.indexOf(name) !== index)
    if (duplicate !== undefined) {
      return yield* new RunSchedule.RunScheduleError({
        schedule: duplicate,
        message: `Two schedules are named "${duplicate}"; names identify their ticks.`
      })
    }

    const lastTicks = (schedule: string, limit: number) =>
      Effect.map(
        db.queryAs(TickRow)(
          `SELECT schedule, CAST(tick AS DOUBLE) AS tick, status, run_id, message,
             CAST(recorded_at AS DOUBLE) AS recorded_at
           FROM meta.schedule_ticks WHERE schedule = $1 ORDER BY tick DESC LIMIT $2`,
          [schedule, limit]
        ),
        (rows) => rows.map(toTick)
      )
    const claim = (schedule: string, tick: number) =>
      Effect.map(
        db.execute(
          `INSERT INTO meta.schedule_ticks VALUES ($1, $2, 'started', NULL, NULL, $3) ON CONFLICT DO NOTHING`,
          [schedule, tick, Date.now()]
        ),
        (inserted) => inserted > 0
      )
    const settle = (schedule: string, tick: number, status: Tick["status"], runId: string | null, message: string) =>
      db.execute(
        `UPDATE meta.schedule_ticks SET status = $3, run_id = $4, message = $5, recorded_at = $6
         WHERE schedule = $1 AND tick = $2`,
        [schedule, tick, status, runId, message, Date.now()]
      )

    const fire = (definition: Definition, tick: number): Effect.Effect<void, never, R> => {
      const name = nameOf(definition)
      const attempt = definition._tag === "Materialize"
        ? Effect.gen(function*() {
          const schedule = definition.schedule
          const partitions = schedule.partitions(new Date(tick), schedule.timeZone)
          // The tick's claim and its run's place in the queue commit together.
          return yield* db.withTransaction(Effect.gen(function*() {
            if (!(yield* claim(name, tick))) return
            const outcome = yield* Effect.either(Effect.gen(function*() {
              const running = schedule.overlap === "skip" && options.active !== undefined
                ? yield* options.active(schedule)
                : Option.none()
              return Option.isSome(running)
                ? { _tag: "Skipped" as const, runId: running.value }
                : { _tag: "Queued" as const, runId: yield* options.launch(schedule, partitions) }
            }))
            yield* Either.match(outcome, {
              onLeft: (error) => settle(name, tick, "failed", null, RunEvent.describeCause(Cause.fail(error)).message),
              onRight: (launched) =>
                launched._tag === "Skipped"
                  ? settle(
                    name,
                    tick,
                    "skipped",
                    null,
                    `run ${launched.runId} of this schedule is still queued or running`
                  )
                  : settle(
                    name,
                    tick,
                    "succeeded",
                    launched.runId,
                    `queued ${schedule.selection} for ${partitions ?? "all partitions"}`
                  )
            })
          }))
        })
        : Effect.uninterruptibleMask((restore) =>
          Effect.gen(function*() {
            // A claimed tick is always settled: the claim (one short statement) is not cut between its commit and
            // the task, and a stop in the middle of the task records the tick as failed (claimed, it will not run
            // again).
            if (!(yield* claim(name, tick))) return
            const outcome = yield* Effect.exit(
              restore(definition.task.run.pipe(Effect.provideService(DuckDB.DuckDB, db)))
            )
            yield* outcome._tag === "Success"
              ? settle(name, tick, "succeeded", null, outcome.value)
              : settle(
                name,
                tick,
                "failed",
                null,
                Cause.isInterruptedOnly(outcome.cause)
                  ? "interrupted: the scheduler stopped during the task"
                  : RunEvent.describeCause(outcome.cause).message
              )
          })
        )
      return attempt.pipe(
        Effect.catchAllCause((cause) =>
          Effect.logError(`Schedule ${name}: the tick ${new Date(tick).toISOString()} failed`, cause)
        ),
        Effect.asVoid
      )
    }

    const loop = (definition: Definition) =>
      Effect.gen(function*() {
        const name = nameOf(definition)
        let after = yield* Clock.currentTimeMillis
        // The latest tick missed while no server ran (only for schedules that have ticked before).
        const latest = yield* lastTicks(name, 1)
        const missed = latestTickAtOrBefore(definition.cron, after)
        if (latest[0] !== undefined && missed > latest[0].tick) yield* fire(definition, missed)
        while (true) {
          const next = Cron.next(definition.cron, new Date(after)).getTime()
          let now = yield* Clock.currentTimeMillis
          while (next > now) {
            yield* Effect.sleep(Math.min(next - now, maxSleepMillis))
            now = yield* Clock.currentTimeMillis
          }
          yield* fire(definition, next)
          after = next
        }
      }).pipe(
        Effect.catchAllCause((cause) => Effect.logError(`Schedule ${nameOf(definition)} stopped`, cause))
      )

    yield* Effect.forEach(definitions, (definition) => Effect.forkScoped(loop(definition)), { discard: true })

    return {
      info: Effect.forEach(
        definitions,
        (definition) =>
          Effect.map(lastTicks(nameOf(definition), 10), (ticks): ScheduleInfo => {
            const common = {
              name: nameOf(definition),
              nextTick: Cron.next(definition.cron, new Date()).getTime(),
              lastTicks: ticks
            }
            return definition._tag === "Materialize"
              ? {
                ...common,
                kind: "materialize",
                cron: definition.schedule.cron,
                timeZone: definition.schedule.timeZone,
                description: definition.schedule.description,
                selection: definition.schedule.selection
              }
              : {
                ...common,
                kind: "housekeeping",
                cron: definition.task.cron,
                timeZone: definition.task.timeZone,
                description: definition.task.description,
                selection: null
              }
          })
      )
    }
  })
