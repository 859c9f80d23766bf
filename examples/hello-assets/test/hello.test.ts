import { AssetSelection, EventLog, Materializer, type RunEvent } from "@baliza/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Fiber, Option, TestClock } from "effect"
import { assets, graph, januaryOptions, layerMemory, Warehouse } from "../src/assets.js"

const validGraph = Either.getOrThrow(graph)

/** Runs January; the gateway's dropped requests are retried after a backoff, so the TestClock moves until it is done. */
const runJanuary = Effect.gen(function*() {
  const fiber = yield* Effect.fork(Materializer.materialize(validGraph, januaryOptions))
  while (Option.isNone(yield* Fiber.poll(fiber))) yield* TestClock.adjust("100 millis")
  return yield* Fiber.join(fiber)
})

const eventsOf = (runId: string) =>
  Effect.flatMap(EventLog.EventLog, (log) => log.query({ runId })).pipe(
    Effect.map((stored) => stored.map((s) => s.event))
  )

const tagged = <T extends RunEvent.RunEventTag>(events: ReadonlyArray<RunEvent.RunEvent>, tag: T) =>
  events.filter((event): event is Extract<RunEvent.RunEvent, { readonly _tag: T }> => event._tag === tag)

describe("hello-assets", () => {
  it("the graph validates, in dependency order, and its tags, groups and layers are selectable", () => {
    assert.isTrue(Either.isRight(graph))
    assert.deepStrictEqual(validGraph.keys.map(String), [
      "weather/raw/readings",
      "weather/staging/daily_summary",
      "weather/marts/monthly_stats",
      "weather/marts/report"
    ])
    assert.strictEqual(validGraph.assets.length, assets.length)
    const marts = Either.getOrThrow(AssetSelection.select("layer:mart and tag:tier=gold", validGraph))
    assert.deepStrictEqual([...marts].sort(), ["weather/marts/monthly_stats", "weather/marts/report"])
    const upstreamOfReport = Either.getOrThrow(AssetSelection.select("1+weather/marts/report", validGraph))
    assert.deepStrictEqual([...upstreamOfReport].sort(), ["weather/marts/monthly_stats", "weather/marts/report"])
    assert.strictEqual(Either.getOrThrow(AssetSelection.select("group:weather", validGraph)).size, 4)
  })

  it.effect("a month materializes: 31 raw days, 31 summaries, 1 month and the report", () =>
    Effect.gen(function*() {
      const plan = yield* Materializer.plan(validGraph, januaryOptions)
      assert.strictEqual(plan.toRun, 64)
      assert.deepStrictEqual(
        plan.steps.filter((step) => step.assetKey === "weather/marts/monthly_stats").map((step) => step.partitionKey),
        ["2024-01"]
      )
      const result = yield* runJanuary
      assert.deepStrictEqual([result.status, result.succeeded, result.failed, result.skipped], ["Success", 64, 0, 0])
      const events = yield* eventsOf(result.runId)
      assert.strictEqual(tagged(events, "Materialization").length, 64)
      // Days 10, 20 and 30 lose their first request to the gateway and succeed on the second attempt.
      assert.deepStrictEqual(
        tagged(events, "StepRetrying").map((e) => e.partitionKey).sort(),
        ["2024-01-10", "2024-01-20", "2024-01-30"]
      )
      const warehouse = yield* Warehouse
      assert.strictEqual(yield* warehouse.readings.size, 31)
      const report = Option.getOrThrow(yield* warehouse.reports.get("latest"))
      assert.match(report, /^2024-01: mean [\d.]+ °C over 31 days, hottest 2024-01-\d\d \([\d.]+ °C\)$/)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("the second run finds everything up to date and runs zero steps", () =>
    Effect.gen(function*() {
      yield* runJanuary
      const plan = yield* Materializer.plan(validGraph, januaryOptions)
      assert.strictEqual(plan.toRun, 0)
      assert.isTrue(plan.steps.every((step) => step.reason === "UpToDate"))
      const second = yield* Materializer.materialize(validGraph, januaryOptions)
      assert.deepStrictEqual([second.status, second.succeeded, second.skipped], ["Success", 0, 64])
      const events = yield* eventsOf(second.runId)
      assert.deepStrictEqual(events.map((e) => e._tag), ["RunStarted", "RunFinished"])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("the checks' results are in the event log", () =>
    Effect.gen(function*() {
      const result = yield* runJanuary
      const checks = tagged(yield* eventsOf(result.runId), "CheckEvaluated")
      const plausible = checks.filter((e) => e.checkName === "plausible_temperature")
      assert.strictEqual(plausible.length, 31)
      assert.isTrue(plausible.every((e) => e.passed && e.severity === "Error"))
      assert.strictEqual(plausible[0].assetKey, "weather/staging/daily_summary")
      assert.strictEqual(typeof plausible[0].metadata.maxC, "number")
      const fullDay = checks.filter((e) => e.checkName === "full_day")
      assert.strictEqual(fullDay.length, 31)
      assert.isTrue(fullDay.every((e) => e.passed && e.severity === "Warn"))
    }).pipe(Effect.provide(layerMemory)))
})
