import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Migrations from "@baliza/duckdb/Migrations"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as ExtractStoreError from "../ExtractStoreError.js"
import type * as FailedRequests from "../FailedRequests.js"
import * as store from "./store.js"

/** @internal */
export const migrations = Migrations.make("extract/failed_requests", [{
  id: 1,
  name: "failed requests",
  up: `
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE meta.failed_requests (
      request_key VARCHAR PRIMARY KEY,
      endpoint VARCHAR NOT NULL,
      params VARCHAR NOT NULL,
      partition_key VARCHAR,
      reason VARCHAR NOT NULL,
      attempts INTEGER NOT NULL,
      last_error VARCHAR NOT NULL,
      first_failed_at TIMESTAMP NOT NULL,
      last_failed_at TIMESTAMP NOT NULL,
      resolved BOOLEAN NOT NULL,
      resolved_at TIMESTAMP
    )`
}, {
  id: 2,
  name: "failed requests' HTTP status",
  // Failures recorded before kept their status only in the message (`GET <url>: HTTP <status>…`, HttpError.make).
  up: `
    ALTER TABLE meta.failed_requests ADD COLUMN http_status SMALLINT;
    UPDATE meta.failed_requests
      SET http_status = TRY_CAST(regexp_extract(last_error, '^GET \\S+: HTTP (\\d{3})\\b', 1) AS SMALLINT)
      WHERE reason = 'Status'`
}])

/** @internal */
export const FailedRequest = Schema.Struct({
  id: Schema.String,
  endpoint: Schema.String,
  params: Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String })),
  partitionKey: Schema.NullOr(Schema.String),
  reason: Schema.String,
  attempts: Schema.Number,
  lastError: Schema.String,
  /** The HTTP status of the last failure's answer, when the server answered (`null` for a timeout, say). */
  httpStatus: Schema.NullOr(Schema.Number),
  firstFailedAtMillis: Schema.Number,
  lastFailedAtMillis: Schema.Number,
  resolved: Schema.Boolean,
  resolvedAtMillis: Schema.NullOr(Schema.Number)
}).annotations({ identifier: "FailedRequests.FailedRequest" })

const select = `SELECT request_key AS id, endpoint, params, partition_key AS "partitionKey", reason, attempts,
  last_error AS "lastError", http_status AS "httpStatus", epoch_ms(first_failed_at) AS "firstFailedAtMillis",
  epoch_ms(last_failed_at) AS "lastFailedAtMillis", resolved, epoch_ms(resolved_at) AS "resolvedAtMillis"
  FROM meta.failed_requests`

/** @internal The id of a request: its normalized key, with its partition when it has one. */
export const idOf = (request: FailedRequests.Request): string => {
  const key = store.requestKey(request.endpoint, request.params)
  return request.partitionKey === undefined || request.partitionKey === null ? key : `${key}#${request.partitionKey}`
}

const attemptsOf = (error: unknown): number => {
  const attempts = typeof error === "object" && error !== null ? Reflect.get(error, "attempts") : undefined
  return typeof attempts === "number" && Number.isInteger(attempts) && attempts > 0 ? attempts : 1
}

/** @internal */
export const make = Effect.gen(function*() {
  const db = yield* DuckDB.DuckDB
  yield* Migrations.run([migrations]).pipe(store.storage("Creating the failed requests"))

  const get = (id: string) =>
    db.queryAs(FailedRequest)(`${select} WHERE request_key = $1`, [id]).pipe(
      Effect.map((rows) => Option.fromNullable(rows[0])),
      store.storage("Reading a failed request")
    )

  const record = (request: FailedRequests.Request, error: unknown) =>
    Effect.gen(function*() {
      const now = new Date(yield* Clock.currentTimeMillis)
      const id = idOf(request)
      yield* db.execute(
        `INSERT INTO meta.failed_requests (request_key, endpoint, params, partition_key, reason, attempts, last_error,
           first_failed_at, last_failed_at, resolved, http_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, false, $9)
         ON CONFLICT (request_key) DO UPDATE SET
           reason = excluded.reason, attempts = attempts + excluded.attempts, last_error = excluded.last_error,
           http_status = excluded.http_status, last_failed_at = excluded.last_failed_at, resolved = false, resolved_at = NULL`,
        [
          id,
          request.endpoint,
          store.paramsJson(request.params),
          request.partitionKey ?? null,
          store.reasonOf(error),
          attemptsOf(error),
          store.messageOf(error),
          now,
          store.httpStatusOf(error)
        ]
      ).pipe(store.storage(`Recording a failed request of ${request.endpoint}`))
      ;(yield* openIds).add(id)
      return Option.getOrThrow(yield* get(id))
    })

  const list = (filter: FailedRequests.ListFilter = {}) => {
    const conditions: Array<string> = []
    const params: Array<DuckDB.Value> = []
    const add = (column: string, value: DuckDB.Value | undefined) => {
      if (value === undefined) return
      params.push(value)
      conditions.push(`${column} = $${params.length}`)
    }
    add("endpoint", filter.endpoint)
    add("partition_key", filter.partitionKey)
    if (filter.unresolved !== undefined) add("resolved", !filter.unresolved)
    const where = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`
    return db.queryAs(FailedRequest)(`${select}${where} ORDER BY first_failed_at, request_key`, params).pipe(
      store.storage("Listing failed requests")
    )
  }

  const resolve = (request: FailedRequests.Request | string) =>
    Effect.gen(function*() {
      const now = new Date(yield* Clock.currentTimeMillis)
      const id = typeof request === "string" ? request : idOf(request)
      const changed = yield* db.execute(
        "UPDATE meta.failed_requests SET resolved = true, resolved_at = $2 WHERE request_key = $1 AND NOT resolved",
        [id, now]
      ).pipe(store.storage("Resolving a failed request"))
      ;(yield* openIds).delete(id)
      return changed > 0
    })

  // The ids of open failures, read once: `track` then resolves on success only what is open, without a write per
  // request. One process writes a database, so the set stays true as long as every change goes through this service.
  // Only a read that succeeded is kept: a failed one (the database busy, say) is tried again by the next caller.
  let open: Set<string> | undefined
  const loading = yield* Effect.makeSemaphore(1)
  const load = Effect.suspend(() =>
    open !== undefined ? Effect.succeed(open) : Effect.map(
      db.query("SELECT request_key FROM meta.failed_requests WHERE NOT resolved").pipe(
        store.storage("Listing open failed requests")
      ),
      (rows) => (open = new Set(rows.map((row) => String(row.request_key))))
    )
  )
  const openIds = Effect.suspend(() => open !== undefined ? Effect.succeed(open) : loading.withPermits(1)(load))

  // Bookkeeping that fails must not turn the request's outcome into a storage error: said, and left as it was.
  const warnIfFails = (effect: Effect.Effect<unknown, ExtractStoreError.ExtractStoreError>) =>
    Effect.catchAll(effect, (error) => Effect.logWarning(`Failed requests not updated: ${error.message}`))

  const track = <A, E, R>(request: FailedRequests.Request, work: Effect.Effect<A, E, R>) =>
    Effect.matchCauseEffect(work, {
      onFailure: (cause) =>
        Option.match(Cause.failureOption(cause), {
          // Interruption and defects are not failed requests: nothing to retry later.
          onNone: () => Effect.failCause(cause),
          // The request's own error is what the caller must see, even when recording it fails.
          onSome: (error) => Effect.zipRight(warnIfFails(record(request, error)), Effect.failCause(cause))
        }),
      onSuccess: (value) =>
        Effect.as(
          warnIfFails(
            Effect.flatMap(openIds, (open) => open.has(idOf(request)) ? resolve(request) : Effect.void)
          ),
          value
        )
    })

  const retry = <A, E, R>(
    f: (failed: FailedRequests.FailedRequest) => Effect.Effect<A, E, R>,
    options: FailedRequests.RetryOptions = {}
  ) =>
    Effect.gen(function*() {
      const concurrency = yield* store.positiveInt("concurrency", options.concurrency, 1)
      const pending = (yield* list({ unresolved: true, endpoint: options.endpoint })).filter((failed) =>
        options.maxAttempts === undefined || failed.attempts < options.maxAttempts
      )
      const outcomes = yield* Effect.forEach(pending, (failed) =>
        Effect.flatMap(Effect.either(f(failed)), (outcome) =>
          Either.isRight(outcome)
            ? Effect.as(resolve(failed.id), true)
            : Effect.as(
              record(
                { endpoint: failed.endpoint, params: failed.params, partitionKey: failed.partitionKey },
                outcome.left
              ),
              false
            )), { concurrency })
      const resolved = outcomes.filter((ok) =>
        ok
      ).length
      return { retried: outcomes.length, resolved, failed: outcomes.length - resolved }
    })

  const service: FailedRequests.Service = { record, get, list, resolve, track, retry }
  return service
})
