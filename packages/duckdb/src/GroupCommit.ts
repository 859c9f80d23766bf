/**
 * Group commit: small transactions submitted concurrently share one `BEGIN … COMMIT`.
 *
 * On a file every commit writes and syncs the WAL, and on the one writer connection each transaction also pays its
 * `BEGIN`/`COMMIT` round trips while every other writer waits. When many fibers each commit a little (a page
 * series' checkpoint, a few pages), the writer spends most of its time committing. A `GroupCommit` queues the
 * submitted work; whichever submitter holds the turn runs everything queued so far in one transaction, then hands
 * each submitter its own result.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as DuckDB from "./DuckDB.js"
import type * as DuckDBError from "./DuckDBError.js"

/**
 * - `run(work)` runs `work` in a transaction, usually shared with the work other fibers submitted at the same time,
 *   and succeeds once that transaction has committed. The work of a group runs one after the other, in the order
 *   submitted. When one of them fails the group is rolled back and each is run again in a transaction of its own,
 *   so a failure reaches only the submitter whose work failed. Work must therefore be safe to run again after a
 *   rollback: database statements are; a side effect outside the database is not. Inside `withTransaction`, `run`
 *   joins that transaction instead (like a nested `withTransaction`).
 *
 *   A group runs to its end once started (uninterruptibly): it carries other fibers' work. An interrupted submitter
 *   withdraws its work unless a group has taken it already, in which case it commits with that group.
 *
 * @since 0.1.0
 * @category models
 */
export interface GroupCommit {
  readonly run: <A, E, R>(work: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DuckDBError.DuckDBError, R>
}

/**
 * - `maxGroup`: at most this many submissions per transaction (default 64), to bound what one commit holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly maxGroup?: number | undefined
}

interface Job {
  /** The work, inside the group's transaction; its value is kept for `committed`. */
  readonly inGroup: Effect.Effect<void, unknown>
  /** After the group committed: the submitter gets the value kept by `inGroup`. */
  readonly committed: Effect.Effect<void>
  /** The work in a transaction of its own, its outcome handed to the submitter. */
  readonly alone: Effect.Effect<void>
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<GroupCommit, never, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const maxGroup = Math.max(1, Math.floor(options.maxGroup ?? 64))
    const turn = yield* Effect.makeSemaphore(1)
    let queue: Array<Job> = []

    // The submitter holding the turn runs every job queued by the time the writer is its own (its own job among
    // them, unless an earlier group took it): jobs submitted while it waited for the writer join the group.
    const drain = Effect.suspend(() => {
      if (queue.length === 0) return Effect.void
      let group: ReadonlyArray<Job> = []
      const together = Effect.suspend(() => {
        group = queue.slice(0, maxGroup)
        queue = queue.slice(group.length)
        return Effect.forEach(group, (job) => job.inGroup, { discard: true })
      })
      return Effect.exit(db.withTransaction(together)).pipe(
        Effect.flatMap((exit) =>
          Effect.forEach(group, (job) => Exit.isSuccess(exit) ? job.committed : job.alone, { discard: true })
        ),
        Effect.uninterruptible
      )
    })

    const run = <A, E, R>(submitted: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError.DuckDBError, R> =>
      Effect.gen(function*() {
        // Another submitter's fiber may run the work: it runs with this one's services.
        const work = Effect.provide(submitted, yield* Effect.context<R>())
        const done = yield* Deferred.make<A, E | DuckDBError.DuckDBError>()
        let value: Option.Option<A> = Option.none()
        const job: Job = {
          inGroup: Effect.map(work, (a) => {
            value = Option.some(a)
          }),
          committed: Effect.suspend(() =>
            Option.match(value, {
              onNone: () => Effect.void,
              onSome: (a) => Deferred.succeed(done, a)
            })
          ),
          alone: Effect.flatMap(Effect.exit(db.withTransaction(work)), (exit) => Deferred.done(done, exit))
        }
        queue.push(job)
        // Until this job's group has run: a group takes at most `maxGroup` jobs, so the turn may come round again.
        const waitForGroup = Effect.gen(function*() {
          while (!(yield* Deferred.isDone(done))) yield* turn.withPermits(1)(drain)
        })
        yield* waitForGroup.pipe(Effect.onInterrupt(() =>
          Effect.sync(() => {
            queue = queue.filter((queued) => queued !== job)
          })
        ))
        return yield* Deferred.await(done)
      })

    const runOrJoin = <A, E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError.DuckDBError, R> =>
      Effect.flatMap(db.inTransaction, (inside) => inside ? work : run(work))

    return { run: runOrJoin }
  })
