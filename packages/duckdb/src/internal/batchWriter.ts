import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { Service } from "../DuckDB.js"
import type * as DuckDBError from "../DuckDBError.js"

/** @internal Writes one input, usually together with those other fibers submitted at the same time. */
export type Submit<I, O, E> = (input: I) => Effect.Effect<O, E | DuckDBError.DuckDBError>

/**
 * @internal
 * Inputs submitted concurrently are written by one call of `write`, in one transaction on the writer.
 *
 * Whichever submitter holds the turn takes every input queued by the time its batch runs in the transaction (its own
 * among them, unless an earlier batch took it) and hands each submitter its output. When the batch fails it is rolled
 * back and each input is written again alone, so a failure reaches only the submitter whose input failed. A batch
 * runs to its end once started (it carries other fibers' inputs); a submitter interrupted before then withdraws its
 * input. Inside `withTransaction` an input is written at once, in that transaction.
 *
 * `write` is told `again` when it writes inputs whose earlier write failed in its transaction: that failure may have
 * come from a COMMIT after the rows were durable (an automatic checkpoint that ran out of memory), so `again` asks a
 * write that adds rows to skip those already stored.
 *
 * `transact` runs a batch in a transaction: `withTransaction`, or a group commit that may share the transaction with
 * other work and, when that fails, runs the batch again alone (so taking the batch happens once).
 */
export const make = <I, O, E>(
  db: Pick<Service, "withTransaction" | "inTransaction">,
  write: (inputs: ReadonlyArray<I>, again: boolean) => Effect.Effect<ReadonlyArray<O>, E>,
  maxBatch: number,
  transact: <A, E1>(effect: Effect.Effect<A, E1>) => Effect.Effect<A, E1 | DuckDBError.DuckDBError> = db.withTransaction
): Effect.Effect<Submit<I, O, E>> =>
  Effect.gen(function*() {
    interface Pending {
      readonly input: I
      readonly done: Deferred.Deferred<O, E | DuckDBError.DuckDBError>
    }
    const turn = yield* Effect.makeSemaphore(1)
    let queue: Array<Pending> = []

    const writeOne = (input: I, again: boolean) => Effect.map(write([input], again), (outputs) => outputs[0]!)
    const alone = (pending: Pending) =>
      Effect.flatMap(Effect.exit(transact(writeOne(pending.input, true))), (exit) => Deferred.done(pending.done, exit))

    const drain = Effect.suspend(() => {
      if (queue.length === 0) {
        return Effect.void
      }
      // Taken once, when the transaction first runs it: a group commit may run it again alone.
      let taken: ReadonlyArray<Pending> | undefined
      let runs = 0
      const together = Effect.suspend(() => {
        if (taken === undefined) {
          taken = queue.slice(0, Math.max(1, maxBatch))
          queue = queue.slice(taken.length)
        }
        return write(taken.map((pending) => pending.input), runs++ > 0)
      })
      return Effect.exit(transact(together)).pipe(
        Effect.flatMap((exit) => {
          const batch = taken ?? []
          if (Exit.isSuccess(exit)) {
            return Effect.forEach(batch, (pending, i) => Deferred.succeed(pending.done, exit.value[i]!), {
              discard: true
            })
          }
          // A batch of one has its answer; a larger one is written again input by input.
          if (batch.length === 1) return Deferred.failCause(batch[0]!.done, exit.cause)
          return Effect.forEach(batch, alone, { discard: true })
        }),
        Effect.uninterruptible
      )
    })

    const submit = (input: I) =>
      Effect.gen(function*() {
        const pending: Pending = { input, done: yield* Deferred.make<O, E | DuckDBError.DuckDBError>() }
        queue.push(pending)
        // Until this input's batch has run: a batch takes at most `maxBatch` inputs, so the turn may come round again.
        const waitForBatch = Effect.gen(function*() {
          while (!(yield* Deferred.isDone(pending.done))) yield* turn.withPermits(1)(drain)
        })
        yield* waitForBatch.pipe(Effect.onInterrupt(() =>
          Effect.sync(() => {
            queue = queue.filter((queued) => queued !== pending)
          })
        ))
        return yield* Deferred.await(pending.done)
      })

    return (input: I) => Effect.flatMap(db.inTransaction, (inside) => inside ? writeOne(input, false) : submit(input))
  })
