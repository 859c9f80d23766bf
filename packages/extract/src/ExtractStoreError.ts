/**
 * The one error of the storage half of `@baliza/extract` (raw archive, page checkpoints, response cache, bookmarks,
 * failed requests, persisted metrics): its `reason` says what went wrong in terms a caller can act on.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * Why a storage call failed.
 *
 * - `Storage`: DuckDB refused (the `cause` is the `DuckDBError`: locked file, disk full, constraint…).
 * - `NotFound`: what was asked for is not stored (e.g. a payload by sha256).
 * - `Corrupt`: what is stored does not match what it claims (a payload whose sha256 differs, an unreadable row).
 * - `InvalidInput`: a bad argument (a negative `checkpointEvery`, a bookmark value of the wrong type…).
 *
 * @since 0.1.0
 * @category models
 */
export const Reason = Schema.Literal("Storage", "NotFound", "Corrupt", "InvalidInput")

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * A failed storage call: a `reason`, a `message` a user understands and the foreign `cause`.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExtractStoreError
  extends Schema.TaggedError<ExtractStoreError>("@baliza/extract/ExtractStoreError")("ExtractStoreError", {
    reason: Reason,
    message: Schema.String,
    cause: Schema.optional(Schema.Defect)
  })
{}

/**
 * @since 0.1.0
 * @category guards
 */
export const isExtractStoreError = (u: unknown): u is ExtractStoreError => Predicate.isTagged(u, "ExtractStoreError")

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (reason: Reason, message: string, cause?: unknown): ExtractStoreError =>
  new ExtractStoreError(cause === undefined ? { reason, message } : { reason, message, cause })
