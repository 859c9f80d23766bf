import type * as AssetGraph from "@baliza/core/AssetGraph"
import * as Materializer from "@baliza/core/Materializer"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberMap from "effect/FiberMap"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as RunQueue from "../RunQueue.js"
import type { QueuedRun } from "../ServerApi.js"

/** @internal What the worker needs of the server's options. */
export interface Options<E, R> {
  readonly graph: AssetGraph.AssetGraph<E, R>
  readonly runDefaults?:
    | Omit<Materializer.MaterializeOptions, "selection" | "partitions" | "force" | "runId">
    | undefined
  readonly maxConcurrentRuns?: number | undefined
}

/** @internal The longest wait between two failed turns of the worker. */
export const maxRetryDelayMs = 30_000

// The first failure of a streak is logged with its cause; the next ones by their message alone.
const messageOf = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  return error instanceof Error ? error.message : String(error)
}

/**
 * @internal
 * Runs the queue: claims due runs (up to `maxConcurrentRuns` at once) and materializes each in a fiber of `running`.
 * It wakes when a run is queued or cancelled (the doorbell), or when the earliest delayed run becomes due. A run's id
 * goes to `over` once the queue has its outcome.
 */
export const worker = <E, R>(
  options: Options<E, R>,
  queue: RunQueue.RunQueueService,
  running: FiberMap.FiberMap<string>,
  doorbell: Queue.Queue<void>,
  cancelled: Set<string>,
  over: PubSub.PubSub<string>
) =>
  Effect.gen(function*() {
    const slots = yield* Effect.makeSemaphore(Math.max(1, options.maxConcurrentRuns ?? 1))
    const runOne = (queued: QueuedRun) =>
      Materializer.materialize(options.graph, {
        ...options.runDefaults,
        selection: queued.selection,
        partitions: queued.partitions ?? undefined,
        force: queued.force,
        runId: queued.runId
      }).pipe(
        Effect.onExit((exit) => {
          const now = Date.now()
          // Cancelled by a user: done with. Interrupted by the server stopping: queued again, to resume.
          const stopped = Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) && !cancelled.delete(queued.runId)
          const settled = stopped
            ? queue.finish(queued.runId, "queued", null, now)
            : Exit.match(exit, {
              onSuccess: (result) => queue.finish(queued.runId, "done", result.status, now),
              onFailure: (cause) =>
                Cause.isInterruptedOnly(cause)
                  ? queue.finish(queued.runId, "cancelled", "Interrupted", now)
                  : queue.finish(queued.runId, "done", `Failed: ${Cause.squash(cause)}`, now)
            })
          // Its streams end now (a stopped run is not over: the next server resumes it under the same id).
          const ended = stopped ? Effect.void : PubSub.publish(over, queued.runId)
          return settled.pipe(
            Effect.ensuring(ended),
            // The row stays `running` (the next server queues it again); the queue goes on with the next run.
            Effect.catchAllCause((cause) =>
              Effect.logError(`The run queue could not record the outcome of run ${queued.runId}`, cause)
            ),
            // Whatever happened above: a slot never given back would stop the queue until the server restarts.
            Effect.ensuring(slots.release(1))
          )
        })
      )
    // Failed claims in a row: the wait before the next one doubles, up to `maxRetryDelayMs`.
    let failed = 0
    // One turn: claim a due run and start it (true), or wait for the doorbell or the next due run (false).
    const turn = Effect.gen(function*() {
      const now = Date.now()
      const claimed = yield* queue.claimNext(now).pipe(Effect.tapErrorCause(() => slots.release(1)))
      if (failed > 0) {
        yield* Effect.logInfo(`The run queue claims runs again, after ${failed} failed tries`)
        failed = 0
      }
      if (Option.isSome(claimed)) {
        yield* FiberMap.run(running, claimed.value.runId, runOne(claimed.value))
        return true
      }
      yield* slots.release(1)
      const due = yield* queue.nextDue
      const wait = Option.match(due, { onNone: () => 60_000, onSome: (at) => Math.max(10, at - now) })
      yield* Effect.timeoutOption(Queue.take(doorbell), Math.min(wait, 60_000))
      return false
    })
    while (true) {
      yield* slots.take(1)
      const started = yield* turn.pipe(Effect.exit)
      if (Exit.isSuccess(started)) continue
      // A failed turn (the database busy or failing) has given its slot back; it tries again later: one error must
      // not stop the queue until the server restarts, and a database that keeps failing must not fill the log.
      const delay = Math.min(maxRetryDelayMs, 1000 * 2 ** failed++)
      yield* failed === 1
        ? Effect.logError(`The run queue could not claim a run; trying again in ${delay / 1000} s`, started.cause)
        : Effect.logError(
          `The run queue could not claim a run (${failed} tries in a row): ${messageOf(started.cause)}; ` +
            `trying again in ${delay / 1000} s`
        )
      yield* Effect.sleep(delay)
    }
  })
