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
import { Cause, Effect, Either, FiberMap, Layer, Logger, LogLevel, Option, PubSub, Queue } from "effect"
import * as worker from "../src/internal/worker.js"
import * as RunQueue from "../src/RunQueue.js"
import { entry, waitFor } from "./helpers.js"

const graph = Either.getOrThrow(AssetGraph.make([Asset.make({ key: "a", materialize: () => Effect.void })]))

const storage = Layer.mergeAll(DuckDBEventLog.layer(), DuckDBAssetState.layer).pipe(
  Layer.provideMerge(DuckDB.layerMemory)
)

describe("Server: the queue's worker", () => {
  it.scopedLive("a run whose outcome the queue cannot record gives its slot back: the next run still runs", () =>
    Effect.gen(function*() {
      const errors: Array<string> = []
      const capture = Logger.make(({ cause, logLevel, message }) => {
        if (LogLevel.greaterThanEqual(logLevel, LogLevel.Error)) {
          errors.push(`${String(message)} ${Cause.pretty(cause)}`)
        }
      })
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
})
