/**
 * The figures of extraction runs kept in DuckDB (`meta.metrics`): at the end of a run (or at any point, the last call
 * wins) `persist(runId, snapshot)` stores an {@link ExtractMetrics.Snapshot} as one row per endpoint plus the total
 * (`endpoint = '*'`), with the main figures as columns for SQL and the whole endpoint snapshot as JSON, so `load`
 * gives the snapshot back even as its shape grows.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as ExtractMetrics from "./ExtractMetrics.js"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import * as store from "./internal/store.js"

/**
 * The `meta.metrics` table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("extract/metrics", [{
  id: 1,
  name: "extraction metrics per run and endpoint",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.metrics (
      run_id VARCHAR NOT NULL,
      endpoint VARCHAR NOT NULL,
      taken_at TIMESTAMP NOT NULL,
      elapsed_ms DOUBLE NOT NULL,
      requests BIGINT NOT NULL,
      pages BIGINT NOT NULL,
      records BIGINT NOT NULL,
      bytes BIGINT NOT NULL,
      retries BIGINT NOT NULL,
      failures BIGINT NOT NULL,
      errors VARCHAR NOT NULL,
      p50_latency_ms DOUBLE NOT NULL,
      p95_latency_ms DOUBLE NOT NULL,
      records_per_second DOUBLE NOT NULL,
      requests_per_second DOUBLE NOT NULL,
      rss BIGINT NOT NULL,
      heap_used BIGINT NOT NULL,
      snapshot VARCHAR NOT NULL,
      PRIMARY KEY (run_id, endpoint)
    )`
}])

/**
 * One persisted run: its id, when its snapshot was taken and its totals.
 *
 * @since 0.1.0
 * @category models
 */
export const RunSummary = Schema.Struct({
  runId: Schema.String,
  atMillis: Schema.Number,
  elapsedMillis: Schema.Number,
  requests: Schema.Number,
  pages: Schema.Number,
  records: Schema.Number,
  bytes: Schema.Number,
  failures: Schema.Number
}).annotations({ identifier: "MetricsStore.RunSummary" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RunSummary extends Schema.Schema.Type<typeof RunSummary> {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Stores a run's snapshot (replacing an earlier one of the same run); returns the rows written. */
  readonly persist: (
    runId: string,
    snapshot: ExtractMetrics.Snapshot
  ) => Effect.Effect<number, ExtractStoreError.ExtractStoreError>
  /** The snapshot stored for a run. */
  readonly load: (
    runId: string
  ) => Effect.Effect<Option.Option<ExtractMetrics.Snapshot>, ExtractStoreError.ExtractStoreError>
  /** Every persisted run, newest first. */
  readonly runs: Effect.Effect<ReadonlyArray<RunSummary>, ExtractStoreError.ExtractStoreError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class MetricsStore extends Context.Tag("@baliza/extract/MetricsStore")<MetricsStore, Service>() {}

const EndpointJson = Schema.parseJson(ExtractMetrics.EndpointSnapshot)
const encodeEndpoint = Schema.encodeSync(EndpointJson)
const encodeErrors = Schema.encodeSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Number })))

const Stored = Schema.Struct({
  endpoint: Schema.String,
  atMillis: Schema.Number,
  elapsedMillis: Schema.Number,
  rss: Schema.Number,
  heapUsed: Schema.Number,
  snapshot: EndpointJson
})

/**
 * Metrics persisted in the database of the `DuckDB` service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = Effect.gen(function*() {
  const db = yield* DuckDB.DuckDB
  yield* Migrations.run([migrations]).pipe(store.storage("Creating the metrics table"))

  const persist = (runId: string, snapshot: ExtractMetrics.Snapshot) => {
    const rows = [...snapshot.endpoints, snapshot.total].map((e): DuckDB.RowInput => [
      runId,
      e.endpoint,
      new Date(snapshot.atMillis),
      snapshot.elapsedMillis,
      e.requests,
      e.pages,
      e.records,
      e.bytes,
      e.retries,
      e.failures,
      encodeErrors(e.errors),
      e.p50LatencyMs,
      e.p95LatencyMs,
      e.recordsPerSecond,
      e.requestsPerSecond,
      snapshot.memory.rss,
      snapshot.memory.heapUsed,
      encodeEndpoint(e)
    ])
    return db.withTransaction(Effect.gen(function*() {
      yield* db.execute("DELETE FROM meta.metrics WHERE run_id = $1", [runId])
      return yield* db.appendRows("meta.metrics", [
        "run_id",
        "endpoint",
        "taken_at",
        "elapsed_ms",
        "requests",
        "pages",
        "records",
        "bytes",
        "retries",
        "failures",
        "errors",
        "p50_latency_ms",
        "p95_latency_ms",
        "records_per_second",
        "requests_per_second",
        "rss",
        "heap_used",
        "snapshot"
      ], rows)
    })).pipe(store.storage(`Persisting the metrics of run ${runId}`))
  }

  const load = (runId: string) =>
    db.queryAs(Stored)(
      `SELECT endpoint, epoch_ms(taken_at) AS "atMillis", elapsed_ms AS "elapsedMillis", rss, heap_used AS "heapUsed",
       snapshot FROM meta.metrics WHERE run_id = $1 ORDER BY endpoint`,
      [runId]
    ).pipe(
      Effect.map((rows): Option.Option<ExtractMetrics.Snapshot> => {
        const total = rows.find((row) => row.endpoint === "*")
        if (total === undefined) return Option.none()
        return Option.some({
          atMillis: total.atMillis,
          elapsedMillis: total.elapsedMillis,
          endpoints: rows.filter((row) => row.endpoint !== "*").map((row) => row.snapshot),
          total: total.snapshot,
          memory: { rss: total.rss, heapUsed: total.heapUsed }
        })
      }),
      store.storage(`Loading the metrics of run ${runId}`)
    )

  const runs = db.queryAs(RunSummary)(
    `SELECT run_id AS "runId", epoch_ms(taken_at) AS "atMillis", elapsed_ms AS "elapsedMillis", requests, pages, records,
     bytes, failures FROM meta.metrics WHERE endpoint = '*' ORDER BY taken_at DESC, run_id`
  ).pipe(store.storage("Listing persisted runs"))

  return { persist, load, runs }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MetricsStore, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = Layer.effect(
  MetricsStore,
  make
)
