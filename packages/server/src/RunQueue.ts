/**
 * The run queue, kept in DuckDB (`meta.run_queue`) so that queued runs survive a restart of the server.
 *
 * **Details**
 *
 * A launched run waits `queued` until its `notBefore` has passed and no run of higher priority (1 first, then the
 * oldest) is due; `claimNext` takes it to `running`, `finish` to `done` (with the run's outcome) or `cancelled`. A server
 * that stops mid-run leaves the row `running`: {@link RunQueueService.recover} queues it again at start, and the run
 * resumes from its checkpoints.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { QueuedRun } from "./ServerApi.js"

/**
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("run_queue", [{
  id: 1,
  name: "the run queue",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.run_queue (
      run_id VARCHAR PRIMARY KEY,
      selection VARCHAR NOT NULL,
      partitions VARCHAR,
      force BOOLEAN NOT NULL,
      priority INTEGER NOT NULL,
      not_before BIGINT NOT NULL,
      status VARCHAR NOT NULL,
      outcome VARCHAR,
      source VARCHAR NOT NULL,
      enqueued_at BIGINT NOT NULL,
      started_at BIGINT,
      finished_at BIGINT,
      attempts INTEGER NOT NULL
    )`
}])

/**
 * What a new queue entry says.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly runId: string
  readonly selection: string
  readonly partitions: string | undefined
  readonly force: boolean
  readonly priority: number
  readonly notBefore: number
  readonly source: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RunQueueService {
  readonly enqueue: (entry: Entry) => Effect.Effect<QueuedRun, DuckDBError.DuckDBError>
  /** The next due run (`notBefore` ≤ `now`), now `running`; none when nothing is due. */
  readonly claimNext: (now: number) => Effect.Effect<Option.Option<QueuedRun>, DuckDBError.DuckDBError>
  /** When the earliest queued run becomes due (to sleep until then). */
  readonly nextDue: Effect.Effect<Option.Option<number>, DuckDBError.DuckDBError>
  readonly finish: (
    runId: string,
    status: "done" | "cancelled" | "queued",
    outcome: string | null,
    now: number
  ) => Effect.Effect<void, DuckDBError.DuckDBError>
  /** Cancels a queued run; `false` when it was not queued (running, finished or unknown). */
  readonly cancelQueued: (runId: string, now: number) => Effect.Effect<boolean, DuckDBError.DuckDBError>
  readonly get: (runId: string) => Effect.Effect<Option.Option<QueuedRun>, DuckDBError.DuckDBError>
  /** The oldest run from `source` (`api`, `schedule:<name>`) still queued or running. */
  readonly activeFrom: (source: string) => Effect.Effect<Option.Option<QueuedRun>, DuckDBError.DuckDBError>
  /** Queued and running first (in the order they will run), then the latest finished ones. */
  readonly list: (limit: number) => Effect.Effect<ReadonlyArray<QueuedRun>, DuckDBError.DuckDBError>
  /** Queues again the runs a stopped server left `running`; returns their ids. */
  readonly recover: Effect.Effect<ReadonlyArray<string>, DuckDBError.DuckDBError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class RunQueue extends Context.Tag("@baliza/server/RunQueue")<RunQueue, RunQueueService>() {}

const Row = Schema.Struct({
  run_id: Schema.String,
  selection: Schema.String,
  partitions: Schema.NullOr(Schema.String),
  force: Schema.Boolean,
  priority: Schema.Number,
  not_before: Schema.Number,
  status: QueuedRun.fields.status,
  outcome: Schema.NullOr(Schema.String),
  source: Schema.String,
  enqueued_at: Schema.Number,
  started_at: Schema.NullOr(Schema.Number),
  finished_at: Schema.NullOr(Schema.Number),
  attempts: Schema.Number
})

const toQueuedRun = (row: typeof Row.Type): QueuedRun => ({
  runId: row.run_id,
  selection: row.selection,
  partitions: row.partitions,
  force: row.force,
  priority: row.priority,
  notBefore: row.not_before,
  status: row.status,
  outcome: row.outcome,
  source: row.source,
  enqueuedAt: row.enqueued_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  attempts: row.attempts
})

const columns = `run_id, selection, partitions, force, priority, CAST(not_before AS DOUBLE) AS not_before, status,
  outcome, source, CAST(enqueued_at AS DOUBLE) AS enqueued_at, CAST(started_at AS DOUBLE) AS started_at,
  CAST(finished_at AS DOUBLE) AS finished_at, attempts`

const order = "priority, enqueued_at, run_id"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<RunQueueService, DuckDBError.DuckDBError, DuckDB.DuckDB> = Effect.gen(function*() {
  const db = yield* DuckDB.DuckDB
  yield* Migrations.run([migrations])
  const rows = (sql: string, params: DuckDB.Params = []) =>
    Effect.map(db.queryAs(Row)(sql, params), (found) => found.map(toQueuedRun))
  const get = (runId: string) =>
    Effect.map(
      rows(`SELECT ${columns} FROM meta.run_queue WHERE run_id = $1`, [runId]),
      (found) => Option.fromNullable(found[0])
    )
  const activeFrom = (source: string) =>
    Effect.map(
      rows(
        `SELECT ${columns} FROM meta.run_queue WHERE source = $1 AND status IN ('queued', 'running')
         ORDER BY enqueued_at LIMIT 1`,
        [source]
      ),
      (found) => Option.fromNullable(found[0])
    )
  // One statement claims the run, so two claimers can never take the same one.
  const claimNext = (now: number) =>
    Effect.map(
      rows(
        `UPDATE meta.run_queue SET status = 'running', started_at = $1, attempts = attempts + 1
         WHERE run_id = (
           SELECT run_id FROM meta.run_queue WHERE status = 'queued' AND not_before <= $1 ORDER BY ${order} LIMIT 1
         )
         RETURNING ${columns}`,
        [now]
      ),
      (found) => Option.fromNullable(found[0])
    )
  return RunQueue.of({
    enqueue: (entry) =>
      Effect.gen(function*() {
        const queued: QueuedRun = {
          runId: entry.runId,
          selection: entry.selection,
          partitions: entry.partitions ?? null,
          force: entry.force,
          priority: entry.priority,
          notBefore: Math.round(entry.notBefore),
          status: "queued",
          outcome: null,
          source: entry.source,
          enqueuedAt: Date.now(),
          startedAt: null,
          finishedAt: null,
          attempts: 0
        }
        yield* db.execute(
          `INSERT INTO meta.run_queue VALUES ($1, $2, $3, $4, $5, $6, 'queued', NULL, $7, $8, NULL, NULL, 0)`,
          [
            queued.runId,
            queued.selection,
            queued.partitions,
            queued.force,
            queued.priority,
            queued.notBefore,
            queued.source,
            queued.enqueuedAt
          ]
        )
        return queued
      }),
    claimNext,
    nextDue: Effect.map(
      db.query(`SELECT CAST(min(not_before) AS DOUBLE) AS due FROM meta.run_queue WHERE status = 'queued'`),
      (found) => Option.fromNullable(typeof found[0]?.due === "number" ? found[0].due : null)
    ),
    finish: (runId, status, outcome, now) =>
      Effect.asVoid(db.execute(
        status === "queued"
          ? `UPDATE meta.run_queue SET status = 'queued', started_at = NULL WHERE run_id = $1`
          : `UPDATE meta.run_queue SET status = $2, outcome = $3, finished_at = $4 WHERE run_id = $1`,
        status === "queued" ? [runId] : [runId, status, outcome, now]
      )),
    cancelQueued: (runId, now) =>
      Effect.map(
        db.execute(
          `UPDATE meta.run_queue SET status = 'cancelled', finished_at = $2 WHERE run_id = $1 AND status = 'queued'`,
          [runId, now]
        ),
        (changed) => changed > 0
      ),
    get,
    activeFrom,
    list: (limit) =>
      Effect.zipWith(
        rows(`SELECT ${columns} FROM meta.run_queue WHERE status IN ('queued', 'running')
              ORDER BY status = 'running' DESC, ${order}`),
        rows(
          `SELECT ${columns} FROM meta.run_queue WHERE status NOT IN ('queued', 'running')
           ORDER BY finished_at DESC LIMIT $1`,
          [limit]
        ),
        (active, finished) => [...active, ...finished]
      ),
    recover: Effect.map(
      db.query(
        `UPDATE meta.run_queue SET status = 'queued', started_at = NULL WHERE status = 'running' RETURNING run_id`
      ),
      (found) => found.map((row) => String(row.run_id))
    )
  })
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RunQueue, DuckDBError.DuckDBError, DuckDB.DuckDB> = Layer.effect(RunQueue, make)
