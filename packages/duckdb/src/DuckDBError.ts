/**
 * The one error of `@baliza/duckdb`: every call into DuckDB is wrapped once into a `DuckDBError` whose `reason` says
 * what went wrong in terms a caller can act on.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as internal from "./internal/errors.js"

/**
 * Why a DuckDB call failed.
 *
 * - `Locked`: another process holds the database file's lock.
 * - `ReadOnly`: a write on a database opened read-only.
 * - `Syntax`: the SQL does not parse.
 * - `Catalog`: a table, column or function that does not exist (DuckDB's catalog and binder errors).
 * - `Constraint`: a primary key, unique, NOT NULL or check constraint failed.
 * - `Conversion`: a value that does not fit its column or cast.
 * - `OutOfMemory`: the memory limit was reached.
 * - `Io`: the file system refused (missing directory, permissions, disk full).
 * - `Interrupted`: the query was interrupted.
 * - `Conflict`: a concurrent transaction wrote the same row, key or catalog entry first; running it again may succeed.
 * - `Transaction`: another transaction error (e.g. a statement after a failed one in the same transaction).
 * - `Decode`: a row did not match the `Schema` it was decoded with.
 * - `InvalidInput`: a bad argument (configuration, backup id, DuckDB's "Invalid Input" errors).
 * - `Invalidated`: an earlier COMMIT on this database failed (out of memory, an I/O error), and the database takes no
 *   more statements until it is opened again (see `DuckDB.make`).
 * - `Unknown`: anything else; the `cause` carries DuckDB's text.
 *
 * @since 0.1.0
 * @category models
 */
export const Reason = Schema.Literal(
  "Locked",
  "ReadOnly",
  "Syntax",
  "Catalog",
  "Constraint",
  "Conversion",
  "OutOfMemory",
  "Io",
  "Interrupted",
  "Conflict",
  "Transaction",
  "Decode",
  "InvalidInput",
  "Invalidated",
  "Unknown"
)

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * A failed DuckDB call: a `reason`, a `message` a user understands, the foreign `cause` and the SQL (truncated to
 * 500 characters) when there was one.
 *
 * @since 0.1.0
 * @category errors
 */
export class DuckDBError extends Schema.TaggedError<DuckDBError>("@baliza/duckdb/DuckDBError")("DuckDBError", {
  reason: Reason,
  message: Schema.String,
  sql: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * Builds a `DuckDBError` from anything DuckDB threw, classifying its text into a `reason` and rewriting the message
 * for a user (e.g. "Could not set lock on file" becomes `Locked`, naming the file).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromCause = (cause: unknown, sql?: string): DuckDBError => {
  const text = Predicate.isError(cause) ? cause.message : String(cause)
  const classified = internal.classify(text)
  return new DuckDBError({
    reason: classified.reason,
    message: sql !== undefined && internal.isPhantomKey(classified, sql)
      ? `${classified.message} If no row of the table has this key (the statement handles conflicts), its key ` +
        `index holds the key without its row, as DuckDB 1.5.6 can leave after a failed commit: rebuild the table ` +
        `(Repair.table, or \`baliza repair\`).`
      : classified.message,
    cause,
    ...(sql === undefined ? {} : { sql: internal.truncateSql(sql) })
  })
}

/**
 * Builds a `DuckDBError` with a known reason and message (no foreign cause needed).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (reason: Reason, message: string, options?: {
  readonly sql?: string | undefined
  readonly cause?: unknown
}): DuckDBError =>
  new DuckDBError({
    reason,
    message,
    ...(options?.sql === undefined ? {} : { sql: internal.truncateSql(options.sql) }),
    ...(options?.cause === undefined ? {} : { cause: options.cause })
  })

/**
 * @since 0.1.0
 * @category guards
 */
export const isDuckDBError = (u: unknown): u is DuckDBError => Predicate.isTagged(u, "DuckDBError")
