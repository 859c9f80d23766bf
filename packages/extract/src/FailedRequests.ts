/**
 * Requests given up after their retries, kept in `meta.failed_requests` so they can be listed, retried alone and
 * marked resolved (the CLI's `retry-failed`).
 *
 * **Details**
 *
 * A request is identified by its endpoint, sorted parameters and partition ({@link idOf}); recording it again adds
 * to its `attempts`, replaces its `reason` and `lastError`, and reopens it if it was resolved. `record` takes any
 * error: an `HttpError` gives its `reason`, `message`, `attempts` and HTTP `status` (`httpStatus`); anything else its
 * `_tag` and message.
 * `retry(f)` runs `f` for each unresolved request (bounded by `concurrency`, default 1): a success marks it resolved,
 * a failure records it again.
 *
 * @since 0.1.0
 */
import type * as DuckDB from "@baliza/duckdb/DuckDB"
import type * as Migrations from "@baliza/duckdb/Migrations"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as ExtractStoreError from "./ExtractStoreError.js"
import * as internal from "./internal/failedRequests.js"

/**
 * The `meta.failed_requests` table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = internal.migrations

/**
 * The request that failed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly endpoint: string
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>> | undefined
  readonly partitionKey?: string | null | undefined
}

/**
 * A stored failure: its `id`, the request, the last `reason`, error message and HTTP status, attempts so far, when it
 * first and last failed, and whether (and when) it was resolved.
 *
 * @since 0.1.0
 * @category models
 */
export const FailedRequest = internal.FailedRequest

/**
 * @since 0.1.0
 * @category models
 */
export interface FailedRequest extends Schema.Schema.Type<typeof FailedRequest> {}

/**
 * Which failures to list; every field narrows.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListFilter {
  readonly unresolved?: boolean | undefined
  readonly endpoint?: string | undefined
  readonly partitionKey?: string | undefined
}

/**
 * Options of {@link Service.retry}: requests at once (default 1), only one endpoint, only requests with fewer than
 * `maxAttempts` attempts.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  readonly concurrency?: number | undefined
  readonly endpoint?: string | undefined
  readonly maxAttempts?: number | undefined
}

/**
 * What a retry did.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetrySummary {
  readonly retried: number
  readonly resolved: number
  readonly failed: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly record: (
    request: Request,
    error: unknown
  ) => Effect.Effect<FailedRequest, ExtractStoreError.ExtractStoreError>
  readonly get: (id: string) => Effect.Effect<Option.Option<FailedRequest>, ExtractStoreError.ExtractStoreError>
  readonly list: (
    filter?: ListFilter
  ) => Effect.Effect<ReadonlyArray<FailedRequest>, ExtractStoreError.ExtractStoreError>
  /** Marks a request (or an id) resolved; false when it was not an open failure. */
  readonly resolve: (request: Request | string) => Effect.Effect<boolean, ExtractStoreError.ExtractStoreError>
  /**
   * Runs the work of a request: when it fails, the failure is recorded (with its reason: `CircuitOpen` when the
   * breaker refused it) and the error goes on to the caller; when it succeeds, an open failure of the same request is
   * resolved. This is how a partition whose extraction is cut short by an open breaker stays on record, to be retried.
   * Bookkeeping that cannot be stored is logged as a warning: the caller gets the work's own outcome.
   */
  readonly track: <A, E, R>(
    request: Request,
    work: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E, R>
  readonly retry: <A, E, R>(
    f: (failed: FailedRequest) => Effect.Effect<A, E, R>,
    options?: RetryOptions
  ) => Effect.Effect<RetrySummary, ExtractStoreError.ExtractStoreError, R>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class FailedRequests extends Context.Tag("@baliza/extract/FailedRequests")<FailedRequests, Service>() {}

/**
 * Failed requests in the database of the `DuckDB` service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<FailedRequests, ExtractStoreError.ExtractStoreError, DuckDB.DuckDB> = Layer.effect(
  FailedRequests,
  make
)

/**
 * The id of a request: `endpoint?k=v&…` with sorted parameters, then `#partition` when it has one.
 *
 * @since 0.1.0
 * @category utils
 */
export const idOf: (request: Request) => string = internal.idOf
