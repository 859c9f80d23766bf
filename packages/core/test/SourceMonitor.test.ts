import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, Ref, TestClock } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetGraph from "../src/AssetGraph.js"
import * as AssetState from "../src/AssetState.js"
import * as EventLog from "../src/EventLog.js"
import * as Materializer from "../src/Materializer.js"
import type * as RunEvent from "../src/RunEvent.js"
import * as SourceMonitor from "../src/SourceMonitor.js"

const figures = (requests: number, breaker: string | null = "Closed"): RunEvent.SourceFigures => ({
  source: "api",
  requests,
  pages: requests,
  pagesExpected: 10,
  records: requests * 50,
  bytes: requests * 1000,
  retries: 0,
  errors: 0,
  failures: 0,
  p95LatencyMs: 12,
  recordsPerSecond: 0,
  breaker
})

/**
 * A monitor over one source whose requests a step bumps, recording watches opened and closed (and whether the run had
 * finished when its watch closed).
 */
const monitorOf = (requests: Ref.Ref<number>, breaker: Ref.Ref<string>, watches: Ref.Ref<ReadonlyArray<string>>) =>
  Layer.effect(
    SourceMonitor.SourceMonitor,
    Effect.map(EventLog.EventLog, (log) => ({
      interval: "1 second",
      watch: (runId: string) =>
        Effect.acquireRelease(
          Ref.update(watches, (all) => [...all, `open ${runId}`]),
          () =>
            Effect.flatMap(Effect.orDie(log.query({ runId, tags: ["RunFinished"] })), (finished) =>
              Ref.update(
                watches,
                (all) => [...all, `close ${runId}${finished.length > 0 ? " after RunFinished" : ""}`]
              ))
        ).pipe(Effect.as(Effect.zipWith(Ref.get(requests), Ref.get(breaker), (n, state) => [figures(n, state)])))
    }))
  )

const runLog = (runId: string) =>
  Effect.map(Effect.flatMap(EventLog.EventLog, (log) => log.query({ runId })), (all) => all.map((s) => s.event))

describe("SourceMonitor", () => {
  it.effect("a run reports its sources while they work and once more before RunFinished, where its watch ends", () =>
    Effect.gen(function*() {
      const requests = yield* Ref.make(0)
      const breaker = yield* Ref.make("Closed")
      const watches = yield* Ref.make<ReadonlyArray<string>>([])
      const extract = Asset.make({
        key: "extract",
        materialize: () =>
          Effect.gen(function*() {
            // Half a second off the samples (at 1 s, 2 s, …), so which comes first is never a tie.
            yield* Effect.sleep("500 millis")
            for (let second = 0; second < 5; second++) {
              if (second !== 2) yield* Ref.update(requests, (n) => n + 3) // second 2 does nothing: no new event
              if (second === 3) yield* Ref.set(breaker, "Open")
              yield* Effect.sleep("1 second")
            }
            yield* Ref.update(requests, (n) => n + 1)
            return { rows: 1 }
          })
      })
      const graph = Either.getOrThrow(AssetGraph.make([extract]))
      const fiber = yield* Effect.fork(
        Materializer.materialize(graph, { runId: "r1" }).pipe(Effect.provide(monitorOf(requests, breaker, watches)))
      )
      for (let step = 0; step < 40; step++) yield* TestClock.adjust("250 millis")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.status, "Success")

      const events = yield* runLog("r1")
      const tags = events.map((event) => event._tag)
      const progress = events.flatMap((event) => event._tag === "SourceProgress" ? [event.sources] : [])
      // Samples at 1, 2, 4 and 5 s saw new work (the one at 3 s did not, so no event), the last report the final request.
      assert.deepStrictEqual(progress.map((sources) => sources[0]?.requests), [3, 6, 9, 12, 13])
      assert.deepStrictEqual(progress.map((sources) => sources[0]?.breaker), [
        "Closed",
        "Closed",
        "Open",
        "Open",
        "Open"
      ])
      assert.strictEqual(tags.at(-1), "RunFinished")
      assert.strictEqual(tags.at(-2), "SourceProgress")
      assert.deepStrictEqual(yield* Ref.get(watches), ["open r1", "close r1"])
    }).pipe(Effect.provide(Layer.merge(EventLog.layerMemory, AssetState.layerMemory))))

  it.effect("a run whose sources did nothing has no SourceProgress; without a monitor there is none either", () =>
    Effect.gen(function*() {
      const requests = yield* Ref.make(0)
      const watches = yield* Ref.make<ReadonlyArray<string>>([])
      const idle = Asset.make({ key: "idle", materialize: () => Effect.as(Effect.sleep("3 seconds"), { rows: 0 }) })
      const graph = Either.getOrThrow(AssetGraph.make([idle]))
      const monitored = yield* Effect.fork(
        Materializer.materialize(graph, { runId: "quiet" }).pipe(
          Effect.provide(monitorOf(requests, yield* Ref.make("Closed"), watches))
        )
      )
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(monitored)
      yield* Ref.set(requests, 5)
      const plain = yield* Effect.fork(Materializer.materialize(graph, { runId: "plain", force: true }))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(plain)
      for (const runId of ["quiet", "plain"]) {
        const tags = (yield* runLog(runId)).map((event) => event._tag)
        assert.isFalse(tags.includes("SourceProgress"), runId)
        assert.strictEqual(tags.at(-1), "RunFinished")
      }
      assert.deepStrictEqual(yield* Ref.get(watches), ["open quiet", "close quiet"])
    }).pipe(Effect.provide(Layer.merge(EventLog.layerMemory, AssetState.layerMemory))))

  it.effect("a sample is written when any count moved; the last SourceProgress holds the final figures, rates too", () =>
    Effect.gen(function*() {
      const current = yield* Ref.make(figures(0))
      const monitor = SourceMonitor.SourceMonitor.of({
        interval: "1 second",
        watch: () => Effect.succeed(Effect.map(Ref.get(current), (f) => [f]))
      })
      const extract = Asset.make({
        key: "extract",
        materialize: () =>
          Effect.gen(function*() {
            yield* Effect.sleep("500 millis")
            yield* Ref.set(current, { ...figures(3), records: 100, errors: 1 })
            yield* Effect.sleep("1 second")
            // given up after retries: no new request, but a late page parsed
            yield* Ref.update(current, (f) => ({ ...f, retries: 2, failures: 1, records: 150 }))
            yield* Effect.sleep("1 second")
            // the latency alone drifts: no sample for it, but the final report carries it
            yield* Ref.update(current, (f) => ({ ...f, p95LatencyMs: 40 }))
            yield* Effect.sleep("700 millis")
          })
      })
      const graph = Either.getOrThrow(AssetGraph.make([extract]))
      const fiber = yield* Effect.fork(
        Materializer.materialize(graph, { runId: "final" }).pipe(
          Effect.provideService(SourceMonitor.SourceMonitor, monitor)
        )
      )
      yield* TestClock.adjust("4 seconds")
      yield* Fiber.join(fiber)
      const progress = (yield* runLog("final")).flatMap((e) =>
        e._tag === "SourceProgress" ? [e.sources.map((f) => [f.retries, f.failures, f.records, f.p95LatencyMs])] : []
      )
      assert.deepStrictEqual(progress, [[[0, 0, 100, 12]], [[2, 1, 150, 12]], [[2, 1, 150, 40]]])
    }).pipe(Effect.provide(Layer.merge(EventLog.layerMemory, AssetState.layerMemory))))
})
