import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { Service } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import * as BatchWriter from "./batchWriter.js"

/**
 * @internal
 * Group commit: small transactions submitted concurrently share one `BEGIN … COMMIT` (see `withGroupCommit` on
 * the DuckDB service for what callers get): a batch of work, written by running each in turn.
 */
export type GroupCommit = <A, E, R>(work: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DuckDBError.DuckDBError, R>

// At most this many submissions per transaction, to bound what one commit holds.
const MAX_GROUP = 64

/** A failure of the shared transaction that was not the work's own: its BEGIN or COMMIT. */
const transactionFailure = (cause: Cause.Cause<unknown>): Effect.Effect<never, DuckDBError.DuckDBError> => {
  const failure = Cause.failureOption(cause)
  return Option.isSome(failure) && DuckDBError.isDuckDBError(failure.value)
    ? Effect.fail(failure.value)
    : Effect.die(Cause.squash(cause))
}

/** @internal */
export const make = (db: Pick<Service, "withTransaction" | "inTransaction">): Effect.Effect<GroupCommit> =>
  Effect.gen(function*() {
    const submit = yield* BatchWriter.make(
      db,
      (jobs: ReadonlyArray<Effect.Effect<void, unknown>>) =>
        Effect.as(Effect.forEach(jobs, (job) => job, { discard: true }), jobs.map(() => undefined)),
      MAX_GROUP
    )
    return <A, E, R>(submitted: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError.DuckDBError, R> =>
      Effect.gen(function*() {
        // Another submitter's fiber may run the work: it runs with this one's services. Its last run says what it
        // did (a shared transaction that failed runs it again alone).
        const work = Effect.provide(submitted, yield* Effect.context<R>())
        let outcome: Option.Option<Exit.Exit<A, E>> = Option.none()
        const job = Effect.asVoid(Effect.onExit(work, (exit) =>
          Effect.sync(() => {
            outcome = Option.some(exit)
          })))
        const exit = yield* Effect.exit(submit(job))
        if (Option.isSome(outcome) && (Exit.isFailure(outcome.value) || Exit.isSuccess(exit))) {
          return yield* outcome.value
        }
        return yield* Exit.isFailure(exit) ? transactionFailure(exit.cause) : Effect.dieMessage("group commit lost")
      })
  })
