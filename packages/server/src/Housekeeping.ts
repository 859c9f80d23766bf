/**
 * Recurring housekeeping the server runs on a cron, next to the materialization schedules: event-log retention (the
 * events of runs finished long ago are deleted; the asset ledger, which says what is materialized, is kept),
 * response-cache cleanup (expired entries), and a health check (the database answers, the disk has room).
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"

/**
 * A task found something wrong (the health check: too little disk).
 *
 * @since 0.1.0
 * @category errors
 */
export class HousekeepingError extends Schema.TaggedError<HousekeepingError>()("HousekeepingError", {
  task: Schema.String,
  message: Schema.String
}) {}

/**
 * A housekeeping task: what it does on each tick, returning a sentence for the tick's record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Task {
  readonly name: string
  readonly cron: string
  readonly timeZone: string
  readonly description: string
  readonly run: Effect.Effect<string, DuckDBError.DuckDBError | HousekeepingError, DuckDB.DuckDB>
}

const tableExists = (name: string) =>
  Effect.map(
    DuckDB.query(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'meta' AND table_name = $1`,
      [name]
    ),
    (rows) => Number(rows[0]?.n ?? 0) > 0
  )

/**
 * Deletes the events of runs that finished more than `keepDays` ago (default 90), daily at 03:30 UTC by default.
 *
 * @since 0.1.0
 * @category tasks
 */
export const eventLogRetention = (options: {
  readonly keepDays?: number | undefined
  readonly cron?: string | undefined
  readonly timeZone?: string | undefined
} = {}): Task => {
  const keepDays = options.keepDays ?? 90
  return {
    name: "event-log-retention",
    cron: options.cron ?? "30 3 * * *",
    timeZone: options.timeZone ?? "UTC",
    description: `delete the events of runs finished more than ${keepDays} days ago`,
    run: Effect.gen(function*() {
      if (!(yield* tableExists("events"))) return "no event log yet"
      const cutoff = Date.now() - keepDays * 86_400_000
      const runs = yield* DuckDB.query(
        `SELECT run_id FROM meta.runs WHERE finished_ms IS NOT NULL AND finished_ms < $1`,
        [cutoff]
      )
      if (runs.length === 0) return `nothing older than ${keepDays} days`
      const deleted = yield* DuckDB.execute(
        `DELETE FROM meta.events WHERE run_id IN (
           SELECT run_id FROM meta.runs WHERE finished_ms IS NOT NULL AND finished_ms < $1
         )`,
        [cutoff]
      )
      return `deleted ${deleted} events of ${runs.length} runs finished before ${new Date(cutoff).toISOString()}`
    })
  }
}

/**
 * Deletes expired response-cache entries (`meta.response_cache`), daily at 04:00 UTC by default.
 *
 * @since 0.1.0
 * @category tasks
 */
export const responseCacheCleanup = (options: {
  readonly cron?: string | undefined
  readonly timeZone?: string | undefined
} = {}): Task => ({
  name: "response-cache-cleanup",
  cron: options.cron ?? "0 4 * * *",
  timeZone: options.timeZone ?? "UTC",
  description: "delete expired response-cache entries",
  run: Effect.gen(function*() {
    if (!(yield* tableExists("response_cache"))) return "no response cache"
    // `expires_at` is a UTC TIMESTAMP: compare it with now bound as one (`current_timestamp::TIMESTAMP` is the wall
    // clock of the session's time zone).
    const deleted = yield* DuckDB.execute(
      `DELETE FROM meta.response_cache WHERE expires_at IS NOT NULL AND expires_at < $1`,
      [new Date()]
    )
    return `deleted ${deleted} expired entries`
  })
})

/**
 * Checks that the database answers and that its disk has at least `minFreeBytes` (default 1 GiB) free; a tick fails
 * otherwise. Every 5 minutes by default.
 *
 * @since 0.1.0
 * @category tasks
 */
export const healthCheck = (options: {
  readonly cron?: string | undefined
  readonly minFreeBytes?: number | undefined
} = {}): Task => {
  const minFree = options.minFreeBytes ?? 2 ** 30
  return {
    name: "health-check",
    cron: options.cron ?? "*/5 * * * *",
    timeZone: "UTC",
    description: `the database answers and its disk has ${(minFree / 2 ** 30).toFixed(1)} GiB free`,
    run: Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      const started = Date.now()
      yield* db.query("SELECT 1")
      const answeredMs = Date.now() - started
      if (db.path === ":memory:") return `database answers in ${answeredMs} ms (in memory)`
      const stats = NodeFs.statfsSync(NodePath.dirname(db.path))
      const free = stats.bavail * stats.bsize
      const report = `database answers in ${answeredMs} ms; ${(free / 2 ** 30).toFixed(1)} GiB free`
      return free < minFree
        ? yield* new HousekeepingError({
          task: "health-check",
          message: `${report}, below ${(minFree / 2 ** 30).toFixed(1)} GiB`
        })
        : report
    })
  }
}

/**
 * The tasks a server runs unless told otherwise.
 *
 * @since 0.1.0
 * @category tasks
 */
export const defaults: ReadonlyArray<Task> = [eventLogRetention(), responseCacheCleanup(), healthCheck()]
