/**
 * Batched writes: inputs that fibers submit at the same time are written by one call, in one transaction.
 *
 * Where `DuckDB.withGroupCommit` shares a transaction between arbitrary work, a `BatchWriter` also shares the
 * statements: `write` receives every input of the batch and can insert them with one statement per table. On the one
 * writer connection each statement costs a round trip while every other writer waits, so many small concurrent
 * writes (one per page series, say) go several times faster batched. Batches go through the service's group commit,
 * so the batches of different writers (and other group-committed work) ready at the same moment share one
 * transaction: one `BEGIN … COMMIT` instead of one per writer.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"
import * as internal from "./internal/batchWriter.js"

/**
 * - `submit(input)` writes `input`, usually in a batch with the inputs other fibers submitted meanwhile, and
 *   succeeds with its output once the batch has committed. When a batch fails it is rolled back and each of its
 *   inputs is written again alone, so a failure reaches only the submitter whose input failed: `write` must be safe
 *   to run again after a rollback. A batch runs to its end once started; a submitter interrupted before then
 *   withdraws its input. Inside `withTransaction` the input is written at once, in that transaction.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchWriter<I, O, E> {
  readonly submit: (input: I) => Effect.Effect<O, E | DuckDBError.DuckDBError>
}

/**
 * - `write(inputs, again)` writes a batch and returns one output per input, in order. It runs inside the batch's
 *   transaction. `again` is true when the inputs are written again after their batch's transaction failed: a COMMIT
 *   can report a failure after its rows are durable (DuckDB's automatic checkpoint after the commit, out of memory),
 *   so a write that adds rows (rather than upserting them) must then skip those already stored.
 * - `maxBatch`: at most this many inputs per batch (default 64), to bound what one transaction holds.
 * - `connection`: a write connection of its own (`DuckDB.Service.writeConnection`) for the batches, instead of the
 *   writer's group commit. Each batch is its own transaction there, run again (up to 8 times, after a short jittered
 *   pause) when it fails with reason `Conflict` (a concurrent transaction of another connection wrote first; `write`
 *   must let that `DuckDBError` through). A batch runs to its end once started, its pauses too (at most ~1.3 s).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <I, O, E>(
  write: (inputs: ReadonlyArray<I>, again: boolean) => Effect.Effect<ReadonlyArray<O>, E>,
  options: {
    readonly maxBatch?: number | undefined
    readonly connection?: DuckDB.WriteConnection | undefined
  } = {}
): Effect.Effect<BatchWriter<I, O, E>, never, DuckDB.DuckDB> =>
  Effect.flatMap(DuckDB.DuckDB, (db) => {
    const maxBatch = Math.floor(options.maxBatch ?? 64)
    const connection = options.connection
    const made = connection === undefined
      ? internal.make(db, write, maxBatch, db.withGroupCommit)
      : internal.make(connection, write, maxBatch, (batch) =>
        Effect.retry(connection.withTransaction(batch), {
          schedule: conflictRetry,
          while: (error) => DuckDBError.isDuckDBError(error) && error.reason === "Conflict"
        }))
    return Effect.map(made, (submit): BatchWriter<I, O, E> => ({ submit }))
  })

// Conflicts between connections last as long as the other transaction: a few milliseconds.
const conflictRetry = Schedule.exponential("5 millis").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(8)))
