import type * as Materializer from "@baliza/core/Materializer"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

/**
 * @internal The error tags of failures a restart cannot change: running the same steps again on the same data, with
 * the same code and settings, fails them the same way. Everything else (HTTP errors, timeouts, open circuit breakers,
 * DuckDB errors, defects, a user's own `Error`) may be transient, and is restarted.
 *
 * - `AssetCheckFailed`: an Error check of the asset failed on what it materialized (the materializer's own tag).
 * - `InvalidResult`: the asset returned rows or bytes that are not a count (the materializer's own tag).
 * - `InvalidSettings` (PncpClient), `InvalidEndpoint` (Endpoints), `RetryPolicyError` (its only reason is
 *   `InvalidSettings`): a setting or definition that is invalid as written.
 * - `AssetKeyError`, `AssetSelectionError`, `PartitionError`: a key, a selection or a partition that cannot be parsed
 *   or is out of the definition's range.
 */
export const deterministic: ReadonlySet<string> = new Set([
  "AssetCheckFailed",
  "InvalidResult",
  "InvalidSettings",
  "InvalidEndpoint",
  "RetryPolicyError",
  "AssetKeyError",
  "AssetSelectionError",
  "PartitionError"
])

/** @internal Whether every failure of the run is one a restart cannot change (and there is at least one). */
export const allDeterministic = (failures: ReadonlyArray<Materializer.StepFailure>): boolean =>
  failures.length > 0 && failures.every((failure) => deterministic.has(failure.errorTag))

/**
 * @internal A command that runs steps, stopped by Ctrl-C, says how to go on: what committed stays, and the same command
 * resumes. (Only these commands say it: a server stopped has nothing to resume.)
 */
export const resumable = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.onInterrupt(
    self,
    () => Console.error("\nbaliza: interrupted. Committed pages are kept; run the same command again to resume.")
  )
