/**
 * The core `EventLog` stored in DuckDB (`meta.events`, with `meta.runs` as a view over it), so the run history survives the
 * process.
 *
 * **Details**
 *
 * Appends are buffered and written with `appendRows` in batches (every `flushInterval`, every `batchSize` events, on
 * `flush`, on a run's `RunFinished` and when the scope closes): one commit per event would cap a run near 500 events/s (see
 * FACTS.md). Ids are given at append time, so live subscribers and later queries agree on them; a query flushes first, so
 * it reads what was appended before it.
 *
 * @since 0.1.0
 */
import * as EventLog from "@baliza/core/EventLog"
import * as RunEvent from "@baliza/core/RunEvent"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as DuckDB from "./DuckDB.js"
import type * as DuckDBError from "./DuckDBError.js"
import * as Migrations from "./Migrations.js"

/** A run's row in `meta.runs`, from its RunStarted `s` and its RunFinished `f`. */
const runColumns = `s.run_id,
        coalesce(f.payload ->> '$.status', 'Running') AS status,
        s.ts AS started_at,
        f.ts AS finished_at,
        s.payload ->> '$.selection' AS selection,
        s.payload ->> '$.partitions' AS partitions,
        CAST(s.payload ->> '$.plannedSteps' AS INTEGER) AS planned_steps,
        coalesce(CAST(f.payload ->> '$.succeeded' AS INTEGER), 0) AS succeeded,
        coalesce(CAST(f.payload ->> '$.failed' AS INTEGER), 0) AS failed,
        coalesce(CAST(f.payload ->> '$.skipped' AS INTEGER), 0) AS skipped,
        CAST(s.payload ->> '$.timestamp' AS DOUBLE) AS started_ms,
        CAST(f.payload ->> '$.timestamp' AS DOUBLE) AS finished_ms`

/** `meta.runs` with `columns`: one row per run, from its latest RunStarted `s` and the RunFinished `f` after it. */
const runsViewSql = (columns: string) => `
      CREATE OR REPLACE VIEW meta.runs AS
      WITH starts AS (
        SELECT * FROM meta.events WHERE tag = 'RunStarted'
        QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY id DESC) = 1
      )
      SELECT
        ${columns}
      FROM starts s
      LEFT JOIN meta.events f ON f.run_id = s.run_id AND f.tag = 'RunFinished' AND f.id > s.id`

/**
 * The tables of the event log.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("event_log", [
  {
    id: 1,
    name: "events and the runs view",
    up: `
      CREATE SCHEMA IF NOT EXISTS meta;
      CREATE TABLE meta.events (
        id BIGINT PRIMARY KEY,
        run_id VARCHAR NOT NULL,
        tag VARCHAR NOT NULL,
        asset_key VARCHAR,
        partition_key VARCHAR,
        ts TIMESTAMP NOT NULL,
        payload VARCHAR NOT NULL
      );
      CREATE VIEW meta.runs AS
      SELECT
        ${runColumns}
      FROM meta.events s
      LEFT JOIN meta.events f ON f.run_id = s.run_id AND f.tag = 'RunFinished'
      WHERE s.tag = 'RunStarted'`
  },
  {
    id: 2,
    name: "one row per run: its latest start and the finish after it",
    // A run started again under the same id (a server that stopped mid-run queues it again) has several
    // RunStarted/RunFinished pairs; the first view crossed them into several rows.
    up: runsViewSql(runColumns)
  },
  {
    id: 3,
    name: "the runs view keeps the id of each run's latest start",
    // Runs that started in the same millisecond are ordered by which started last, not by their ids' random suffix.
    up: runsViewSql(`${runColumns},
        s.id AS start_id`)
  }
])

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Buffered events are written at least this often. Default 200 ms. */
  readonly flushInterval?: Duration.DurationInput | undefined
  /** …and whenever this many are waiting. Default 2,000. */
  readonly batchSize?: number | undefined
}

const encode = Schema.encodeSync(Schema.parseJson(RunEvent.RunEvent))
const decode = Schema.decodeUnknownSync(Schema.parseJson(RunEvent.RunEvent))
const columns = ["id", "run_id", "tag", "asset_key", "partition_key", "ts", "payload"] as const

const toError = (error: DuckDBError.DuckDBError) =>
  new EventLog.EventLogError({ message: `Event log: ${error.message}`, cause: error })

const whereOf = (filter: EventLog.EventFilter): { readonly sql: string; readonly params: Array<string | number> } => {
  const clauses: Array<string> = []
  const params: Array<string | number> = []
  const add = (clause: string, value: string | number) => {
    params.push(value)
    clauses.push(clause.replace("?", `$${params.length}`))
  }
  if (filter.afterId !== undefined) add("id > ?", filter.afterId)
  if (filter.runId !== undefined) add("run_id = ?", filter.runId)
  if (filter.assetKey !== undefined) add("asset_key = ?", filter.assetKey)
  if (filter.partitionKey !== undefined) add("partition_key = ?", filter.partitionKey)
  if (filter.tags !== undefined) {
    const placeholders = filter.tags.map((tag) => {
      params.push(tag)
      return `$${params.length}`
    })
    clauses.push(placeholders.length === 0 ? "false" : `tag IN (${placeholders.join(", ")})`)
  }
  return { sql: clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`, params }
}

/**
 * An event log in the database of the `DuckDB` service (its migrations run first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<EventLog.EventLogService, DuckDBError.DuckDBError, DuckDB.DuckDB | Scope.Scope> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    yield* Migrations.run([migrations])
    const batchSize = options.batchSize ?? 2_000
    const [{ last }] = yield* db.query("SELECT coalesce(max(id), 0) AS last FROM meta.events")
    let nextId = Number(last) + 1
    let buffer: Array<RunEvent.StoredEvent> = []
    const lock = yield* Effect.makeSemaphore(1)
    const pubsub = yield* PubSub.unbounded<RunEvent.StoredEvent>()

    // Uninterruptible once the batch is taken from the buffer: a flush interrupted while it waits for the writer (a
    // query under a timeout) would otherwise drop the batch, and one interrupted after its commit could not tell
    // whether to put it back. A caller interrupted meanwhile waits for the write to end.
    const writeOnce = Effect.suspend(() => {
      if (buffer.length === 0) return Effect.void
      const batch = buffer
      buffer = []
      const rows = batch.map(({ event, id }) => [
        id,
        event.runId,
        event._tag,
        "assetKey" in event ? event.assetKey : null,
        "partitionKey" in event ? event.partitionKey : null,
        new Date(event.timestamp),
        encode(event)
      ])
      // On failure the batch goes back to the front of the buffer, so the next flush retries it in order: the events
      // not stored, since a commit can report a failure after its rows are durable (an automatic checkpoint that ran out
      // of memory), and writing those again would break the ids' key. The group commit lets a flush share the
      // transaction of other writes committing at the same moment (page checkpoints).
      return Effect.tapError(
        db.withGroupCommit(db.appendRows("meta.events", columns, rows)),
        (error) =>
          db.query("SELECT id FROM meta.events WHERE id BETWEEN $1 AND $2", [batch[0]!.id, batch[batch.length - 1]!.id])
            .pipe(
              Effect.map((stored) => new Set(stored.map((row) => Number(row.id)))),
              Effect.orElseSucceed(() => new Set<number>()),
              Effect.map((stored) => {
                buffer = [...batch.filter(({ id }) => !stored.has(id)), ...buffer]
                // An id the key refuses that no row holds: DuckDB 1.5.6 can keep in the key's index the ids of rows
                // an out-of-memory commit lost (a database squeezed to 24 MB, then opened with room: every run's
                // first flush refused). The events waiting take new ids past the batch's range, in order (live
                // subscribers saw the ids they were published with).
                if (stored.size === 0 && error.reason === "Constraint") {
                  nextId += Math.max(batch.length, batchSize)
                  buffer = buffer.map((entry) => ({ ...entry, id: nextId++ }))
                }
              })
            )
      )
    })
    // A batch given new ids (above) is written again at once: a handful of times, each a batch size further.
    const write = lock.withPermits(1)(Effect.uninterruptible(
      writeOnce.pipe(Effect.retry({
        times: 4,
        while: (error) => error.reason === "Constraint"
      }))
    ))
    const flush = Effect.mapError(write, toError)

    yield* Effect.addFinalizer(() => Effect.ignoreLogged(write))
    yield* write.pipe(
      Effect.ignoreLogged,
      Effect.repeat(Schedule.spaced(options.flushInterval ?? "200 millis")),
      Effect.forkScoped
    )

    const service: EventLog.EventLogService = {
      append: (events) =>
        Effect.suspend(() => {
          const stored = events.map((event) => ({ id: nextId++, event }))
          for (const entry of stored) buffer.push(entry)
          const finishesRun = events.some((event) => event._tag === "RunFinished")
          return Effect.zipRight(
            PubSub.publishAll(pubsub, stored),
            finishesRun || buffer.length >= batchSize ? flush : Effect.void
          )
        }),
      query: (filter = {}) =>
        Effect.gen(function*() {
          yield* flush
          const where = whereOf(filter)
          const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`
          const rows = yield* Effect.mapError(
            db.query(`SELECT id, payload FROM meta.events ${where.sql} ORDER BY id${limit}`, where.params),
            toError
          )
          return rows.map((row) => ({ id: Number(row.id), event: decode(row.payload) }))
        }),
      runs: (options) =>
        Effect.gen(function*() {
          yield* flush
          const limit = options?.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`
          const where = options?.runId === undefined ? "" : " WHERE run_id = $1"
          const rows = yield* Effect.mapError(
            db.query(
              `SELECT * FROM meta.runs${where} ORDER BY started_ms DESC, start_id DESC${limit}`,
              options?.runId === undefined ? [] : [options.runId]
            ),
            toError
          )
          return rows.map((row): EventLog.RunSummary => ({
            runId: String(row.run_id),
            status: Schema.decodeUnknownSync(EventLog.RunSummary.fields.status)(row.status),
            startedAt: Number(row.started_ms),
            finishedAt: row.finished_ms === null ? null : Number(row.finished_ms),
            selection: String(row.selection),
            partitions: row.partitions === null ? null : String(row.partitions),
            plannedSteps: Number(row.planned_steps),
            succeeded: Number(row.succeeded),
            failed: Number(row.failed),
            skipped: Number(row.skipped)
          }))
        }),
      subscribe: PubSub.subscribe(pubsub),
      flush
    }
    return service
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<EventLog.EventLog, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Layer.scoped(EventLog.EventLog, make(options))
