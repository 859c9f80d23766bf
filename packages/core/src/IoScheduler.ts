/**
 * The scheduler materializations run on: fibers run in batches, each queued with `setImmediate`, so Node's event loop
 * takes in I/O (sockets, database answers) between batches.
 *
 * **Details**
 *
 * Effect's default scheduler drains its queue in up to 2,048 microtask rounds before it yields to a timer, and a
 * promise's callback or a socket's data waits for all of them: with dozens of busy fibers, every answer from the
 * database waited while the fibers ran. Extracting a month of PNCP at the real volume, whose database writes are a
 * chain of statements one after another, took 67.9 s with this scheduler against 81.0 s with the default, in one
 * run each way (docs/benchmarks.md). Where `setImmediate` does not exist (a browser) it is Effect's default scheduler.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Scheduler from "effect/Scheduler"

/**
 * @since 0.1.0
 * @category schedulers
 */
export const scheduler: Scheduler.Scheduler = typeof setImmediate === "function"
  ? Scheduler.makeBatched((runBatch) => setImmediate(runBatch))
  : Scheduler.defaultScheduler

/**
 * Runs `self`, and the fibers it forks, on {@link scheduler}.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withIoScheduler = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withScheduler(self, scheduler)
