/**
 * Per-attempt timeouts (connect, read, total) enforced by one scoped fiber per source instead of `Effect.timeout`
 * races around every attempt.
 *
 * **Why**: two `Effect.timeoutFail` per attempt (each a race of two fibers and a timer) were the largest cost of the
 * request path, about 0.4 ms of CPU per page on our 2-core machines. Here an attempt runs in one forked fiber and
 * registers its deadlines; a reaper wakes every `tick` (a tenth of the shortest timeout, between 10 ms and 1 s),
 * interrupts the attempts past a deadline, and the waiting caller turns that interruption into a `Timeout` error. A
 * timeout therefore fires up to one tick late. Time comes from the `Clock`, so `TestClock` drives it.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"

/** @internal */
export type Expired = "connect" | "read" | "total"

/** What an attempt tells the reaper: when the response headers arrived (-1 until then). */
/** @internal */
export interface Progress {
  headersAt: number
}

interface Entry {
  readonly startedAt: number
  readonly progress: Progress
  readonly fiber: Fiber.RuntimeFiber<unknown, unknown>
  expired: Expired | undefined
}

/** @internal */
export interface Deadlines {
  /** Runs `attempt` under the deadlines; `onTimeout` builds the error for the deadline that passed. */
  readonly run: <A, E>(
    attempt: (progress: Progress) => Effect.Effect<A, E>,
    onTimeout: (expired: Expired) => E
  ) => Effect.Effect<A, E>
}

/** @internal */
export const make = (options: {
  readonly connectMs: number
  readonly readMs: number
  readonly totalMs: number
}): Effect.Effect<Deadlines, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { connectMs, readMs, totalMs } = options
    const tick = Math.min(1_000, Math.max(10, Math.min(connectMs, readMs, totalMs) / 10))
    // Mutated only by synchronous steps of fibers, which never run in parallel.
    const entries = new Set<Entry>()

    const overdue = (entry: Entry, now: number): Expired | undefined => {
      const totalAt = entry.startedAt + totalMs
      const headersAt = entry.progress.headersAt
      if (headersAt < 0) {
        const connectAt = entry.startedAt + connectMs
        return now >= Math.min(connectAt, totalAt) ? (connectAt <= totalAt ? "connect" : "total") : undefined
      }
      const readAt = headersAt + readMs
      return now >= Math.min(readAt, totalAt) ? (readAt < totalAt ? "read" : "total") : undefined
    }

    const reap = Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const late: Array<Entry> = []
      for (const entry of entries) {
        const expired = overdue(entry, now)
        if (expired !== undefined) {
          entry.expired = expired
          entries.delete(entry)
          late.push(entry)
        }
      }
      return Effect.forEach(late, (entry) => Fiber.interruptFork(entry.fiber), { discard: true })
    })
    yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(tick), reap)))

    const run = <A, E>(
      attempt: (progress: Progress) => Effect.Effect<A, E>,
      onTimeout: (expired: Expired) => E
    ): Effect.Effect<A, E> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const startedAt = yield* Clock.currentTimeMillis
          const progress: Progress = { headersAt: -1 }
          const fiber = yield* Effect.fork(restore(attempt(progress)))
          const entry: Entry = { startedAt, progress, fiber, expired: undefined }
          entries.add(entry)
          const exit = yield* restore(Fiber.await(fiber)).pipe(
            Effect.onInterrupt(() => Fiber.interrupt(fiber)),
            Effect.ensuring(Effect.sync(() => entries.delete(entry)))
          )
          if (Exit.isFailure(exit) && Exit.isInterrupted(exit) && entry.expired !== undefined) {
            return yield* Effect.fail(onTimeout(entry.expired))
          }
          return yield* exit
        })
      )

    return { run }
  })
