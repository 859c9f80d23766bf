import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import { FailedRequest, Metric, SchemaVersion } from "../ServerApi.js"

/** Reads a `meta` table that the extraction creates on first use: no table yet reads as no rows. */
const read = <A, I>(table: string, schema: Schema.Schema<A, I>, sql: string, params: DuckDB.Params = []) =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const exists = yield* db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'meta' AND table_name = $1`,
      [table]
    )
    return exists.length === 0 ? [] : yield* db.queryAs(schema)(sql, params)
  })

const epochMs = (column: string) => `CAST(epoch_ms(${column}) AS DOUBLE)`

/** @internal */
export const failedRequests = read(
  "failed_requests",
  FailedRequest,
  `SELECT request_key AS requestKey, endpoint, params, partition_key AS partitionKey, reason, attempts,
     last_error AS lastError, ${epochMs("last_failed_at")} AS lastFailedAt, resolved
   FROM meta.failed_requests ORDER BY resolved, last_failed_at DESC LIMIT 1000`
)

/** @internal */
export const schemaVersions = read(
  "schema_versions",
  SchemaVersion,
  `SELECT endpoint, fingerprint, unknown_fields AS unknownFields, missing_fields AS missingFields, flagged,
     first_run_id AS firstRunId, first_partition AS firstPartition, ${epochMs("first_seen_at")} AS firstSeenAt
   FROM meta.schema_versions ORDER BY endpoint, first_seen_at`
)

/**
 * @internal The latest snapshot per run and endpoint: of the run asked for, however old, or else of the last 50 runs.
 */
export const metrics = (runId: string | undefined) =>
  read(
    "metrics",
    Metric,
    `SELECT run_id AS runId, endpoint, ${epochMs("taken_at")} AS takenAt, CAST(requests AS DOUBLE) AS requests,
       CAST(pages AS DOUBLE) AS pages, CAST(records AS DOUBLE) AS records, CAST(bytes AS DOUBLE) AS bytes,
       CAST(retries AS DOUBLE) AS retries, CAST(failures AS DOUBLE) AS failures, p95_latency_ms AS p95LatencyMs,
       records_per_second AS recordsPerSecond
     FROM meta.metrics
     WHERE CASE WHEN $1::VARCHAR IS NULL
       THEN run_id IN (SELECT DISTINCT run_id FROM meta.metrics ORDER BY run_id DESC LIMIT 50)
       ELSE run_id = $1 END
     QUALIFY row_number() OVER (PARTITION BY run_id, endpoint ORDER BY taken_at DESC) = 1
     ORDER BY run_id DESC, endpoint`,
    [runId ?? null]
  )
