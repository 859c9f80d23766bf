/**
 * The queue's worker on a real DuckDB in memory (the run queue, the event log and the ledger), with a queue whose
 * `finish` fails for one run, as a database failing that update would.
 */
import { Asset, AssetGraph } from "@baliza/core"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as DuckDBAssetState from "@baliza/duckdb/DuckDBAssetState"
import * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as DuckDBEventLog from "@baliza/duckdb/DuckDBEventLog"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Either, FiberMap, Layer, Logger, LogLevel, Option, PubSub, Queue, TestClock } from "effect"
import * as worker from "../src/internal/worker.js"
import * as RunQueue from "../src/RunQueue.js"
import { entry, waitFor } from "./helpers.js"

const graph = Either.getOrThrow(AssetGraph.make([Asset.make({ key: "a", materialize: () => Effect.void })]))

const storage = Layer.mergeAll(DuckDBEventLog.layer(), DuckDBAssetState.layer).pipe(
  Layer.provideMerge(DuckDB.layerMemory)
)

/** The lines logged at `level` or above (each message with its cause), and the logger that keeps them. */
const captured = (level: LogLevel.LogLevel) => {
  const lines: Array<string> = []
  const logger = Logger.make(({ cause, logLevel, message }) => {
    if (LogLevel.greaterThanEqual(logLevel, level)) lines.push(`${String(message)} ${Cause.pretty(cause)}`)
  })
  return { lines, logger }
}

describe("Server: the queue's worker", () => {
  it.scopedLive("a run whose outcome the queue cannot record gives its slot back: the next run still runs", () =>
    Effect.gen(function*() {
      const { lines: errors, logger: capture } = captured(LogLevel.Error)
      yield* Effect.gen(function*() {
        const real = yield* RunQueue.make
        const first = "20240701-000000-aaaaaa"
        const second = "20240701-000001-bbbbbb"
        const queue: RunQueue.RunQueueService = {
          ...real,
          finish: (runId, status, outcome, now) =>
            runId === first
              ? Effect.fail(new DuckDBError.DuckDBError({ reason: "Io", message: "No space left on device" }))
              : real.finish(runId, status, outcome, now)
        }
        // Queued before the worker starts: the first one (older) is claimed first, the second once a slot is free.
        yield* queue.enqueue(entry(first))
        yield* queue.enqueue(entry(second))
        const running = yield* FiberMap.make<string>()
        const doorbell = yield* Queue.sliding<void>(1)
        const over = yield* PubSub.unbounded<string>()
        yield* Effect.forkScoped(
          worker.worker({ graph, maxConcurrentRuns: 1 }, queue, running, doorbell, new Set(), over)
        )

        const ran = yield* waitFor(
          "the second run to be done",
          Effect.map(
            real.get(second),
            (found) => Option.getOrUndefined(Option.filter(found, (run) => run.status === "done"))
          ),
          // A slot not given back never is: the second run never starts, and this times out.
          { timeout: "15 seconds", interval: "50 millis" }
        )
        assert.include(ran, { status: "done", outcome: "Success", attempts: 1 })
        // The first one's outcome is lost (its row stays `running`, for the next server to queue again), and said so.
        assert.include(Option.getOrThrow(yield* real.get(first)), { status: "running", attempts: 1 })
        assert.isTrue(
          errors.some((line) => line.includes(first) && line.includes("No space left on device")),
          errors.join("\n")
        )
      }).pipe(
        // The worker stops before the database closes.
        Effect.scoped,
        Effect.provide(storage),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture))
      )
    }))

  it.scoped("a queue that cannot claim is tried again after 1, 2, 4… s up to 30 s, its cause logged once", () =>
    Effect.gen(function*() {
      const { lines, logger } = captured(LogLevel.Info)
      yield* Effect.gen(function*() {
        const real = yield* RunQueue.make
        let claims = 0
        const failing = 8
        // Nothing queued: once it claims again, the worker waits for the doorbell.
        const queue: RunQueue.RunQueueService = {
          ...real,
          claimNext: () =>
            ++claims <= failing
              ? Effect.fail(new DuckDBError.DuckDBError({ reason: "OutOfMemory", message: "DuckDB ran out of memory" }))
              : Effect.succeed(Option.none()),
          nextDue: Effect.succeed(Option.none())
        }
        const running = yield* FiberMap.make<string>()
        const doorbell = yield* Queue.sliding<void>(1)
        const over = yield* PubSub.unbounded<string>()
        yield* Effect.forkScoped(worker.worker({ graph }, queue, running, doorbell, new Set(), over))
        yield* Effect.yieldNow()
        assert.strictEqual(claims, 1)
        const waits = [1, 2, 4, 8, 16, 30, 30, 30]
        for (const [i, seconds] of waits.entries()) {
          yield* TestClock.adjust(seconds * 1000 - 1)
          assert.strictEqual(claims, i + 1, `still waiting ${seconds} s after failure ${i + 1}`)
          yield* TestClock.adjust(1)
          assert.strictEqual(claims, i + 2)
        }
        const said = lines.filter((line) => line.includes("could not claim"))
        assert.deepStrictEqual(said.map((line) => /again in (\d+) s/.exec(line)?.[1]), waits.map(String))
        // the cause (its stack among it) once; then the message alone
        assert.include(said[0], "DuckDB ran out of memory")
        assert.include(said[7], "(8 tries in a row): DuckDB ran out of memory; trying again in 30 s")
        assert.isTrue(said.slice(1).every((line) => !line.includes("    at ")), said.join("\n"))
        assert.isTrue(lines.some((line) => line.includes("claims runs again, after 8 failed tries")), lines.join("\n"))
      }).pipe(Effect.scoped, Effect.provide(storage), Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    }))
})
