import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Either, Fiber, Layer, Logger, Option, TestClock } from "effect"
import * as Asset from "../src/Asset.js"
import * as AssetCheck from "../src/AssetCheck.js"
import * as AssetGraph from "../src/AssetGraph.js"
import * as AssetState from "../src/AssetState.js"
import * as EventLog from "../src/EventLog.js"
import * as ExecutionPlan from "../src/ExecutionPlan.js"
import * as Materializer from "../src/Materializer.js"
import * as Partitions from "../src/Partitions.js"
import * as Dynamic from "../src/Partitions/Dynamic.js"
import * as TimeWindow from "../src/Partitions/TimeWindow.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import type * as RunEvent from "../src/RunEvent.js"
import * as SourceMonitor from "../src/SourceMonitor.js"

class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}

const stores = Layer.merge(EventLog.layerMemory, AssetState.layerMemory)
const context = Partitions.context({ now: Date.parse("2024-01-31T12:00:00Z") })
const daily = TimeWindow.daily({ start: "2024-01-01" })

const graphOf = <const A extends ReadonlyArray<Asset.Any>>(assets: A) => Either.getOrThrow(AssetGraph.make(assets))

const eventsOf = (runId: string) =>
  Effect.flatMap(EventLog.EventLog, (log) => log.query({ runId })).pipe(
    Effect.map((stored) => stored.map((s) => s.event))
  )

const tagsOf = (events: ReadonlyArray<RunEvent.RunEvent>, tag: RunEvent.RunEventTag) =>
  events.filter((e) => e._tag === tag)

/** Stores in which a state write takes 100 ms after it is stored (a commit's round trip), and the signal it was stored. */
const slowPutStores = Effect.map(Deferred.make<void>(), (written) => ({
  written,
  layer: Layer.merge(
    EventLog.layerMemory,
    Layer.effect(
      AssetState.AssetState,
      Effect.map(AssetState.makeMemory, (memory) => ({
        ...memory,
        put: (records: ReadonlyArray<AssetState.StepRecord>) =>
          memory.put(records).pipe(
            Effect.zipRight(Deferred.succeed(written, undefined)),
            Effect.zipRight(Effect.sleep("100 millis"))
          )
      }))
    )
  )
}))

/** Runs a graph in a fiber and stops it while its first state write is on its way. */
const stopDuringPut = <E>(graph: AssetGraph.AssetGraph<E, never>, runId: string, written: Deferred.Deferred<void>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Materializer.materialize(graph, { context, runId }))
    yield* Deferred.await(written)
    const stopping = yield* Effect.fork(Fiber.interrupt(fiber))
    yield* TestClock.adjust("100 millis")
    yield* Fiber.join(stopping)
    const [run] = (yield* (yield* EventLog.EventLog).runs()).filter((r) => r.runId === runId)
    return { run, events: yield* eventsOf(runId) }
  })

describe("Materializer", () => {
  it.effect("materializes a partitioned graph in dependency order and records events and state", () =>
    Effect.gen(function*() {
      const order: Array<string> = []
      const raw = Asset.make({
        key: "raw",
        partitions: daily,
        materialize: (ctx) =>
          Effect.sync(() => {
            order.push(`raw ${ctx.partitionKey}`)
            // The partition value is typed by the definition: a window with Date bounds.
            return { rows: ctx.partition.start.getUTCDate() }
          })
      })
      const total = Asset.make({
        key: "total",
        deps: [raw],
        materialize: (ctx) =>
          Effect.sync(() => {
            order.push("total")
            // All-upstream: every day of the definition is an input; only the materialized ones have a data version.
            const present = ctx.upstream.filter((u) => u.dataVersion !== undefined)
            return { rows: ctx.upstream.length, metadata: { days: present.map((u) => u.partitionKey ?? "") } }
          })
      })
      const graph = graphOf([raw, total])
      const result = yield* Materializer.materialize(graph, { partitions: "2024-01-01..2024-01-03", context })
      assert.strictEqual(result.status, "Success")
      assert.strictEqual(result.succeeded, 4)
      assert.strictEqual(order[3], "total")
      const events = yield* eventsOf(result.runId)
      assert.strictEqual(events[0]._tag, "RunStarted")
      assert.strictEqual(events[events.length - 1]._tag, "RunFinished")
      const materializations = tagsOf(events, "Materialization")
      assert.strictEqual(materializations.length, 4)
      const totalEvent = materializations.find((e) => e._tag === "Materialization" && e.assetKey === "total")
      assert.deepStrictEqual(totalEvent?._tag === "Materialization" ? totalEvent.metadata : {}, {
        days: ["2024-01-01", "2024-01-02", "2024-01-03"]
      })
      const state = yield* AssetState.AssetState
      const record = Option.getOrThrow(yield* state.get("total", null))
      assert.strictEqual(record.status, "Materialized")
      assert.deepStrictEqual(Object.keys(record.upstreamVersions).sort(), [
        "raw[2024-01-01]",
        "raw[2024-01-02]",
        "raw[2024-01-03]"
      ])
    }).pipe(Effect.provide(stores)))

  it.effect("a second run with nothing changed runs zero steps; a code change re-runs that asset only", () =>
    Effect.gen(function*() {
      let runs = 0
      const make = (codeVersion: string) => {
        const a = Asset.make({
          key: "a",
          codeVersion,
          materialize: () => Effect.sync(() => void runs++).pipe(Effect.as({ dataVersion: "same-data" }))
        })
        const b = Asset.make({
          key: "b",
          deps: [a],
          codeVersion: "1",
          materialize: () => Effect.sync(() => void runs++)
        })
        return graphOf([a, b])
      }
      yield* Materializer.materialize(make("1"), { context })
      assert.strictEqual(runs, 2)
      const second = yield* Materializer.materialize(make("1"), { context })
      assert.strictEqual(runs, 2)
      assert.deepStrictEqual([second.succeeded, second.skipped], [0, 2])
      // New code for `a` that yields the same data: `a` runs, `b` is skipped as unchanged.
      const third = yield* Materializer.materialize(make("2"), { context })
      assert.strictEqual(runs, 3)
      const skipped = tagsOf(yield* eventsOf(third.runId), "StepSkipped")
      assert.deepStrictEqual(skipped.map((e) => (e._tag === "StepSkipped" ? [e.assetKey, e.reason] : [])), [[
        "b",
        "UpstreamUnchanged"
      ]])
    }).pipe(Effect.provide(stores)))

  it.effect("an empty-string data version is a version: a re-run downstream step sees and records it", () =>
    Effect.gen(function*() {
      const seen: Array<string | undefined> = []
      const make = (bCode: string) => {
        const a = Asset.make({ key: "a", codeVersion: "1", materialize: () => Effect.succeed({ dataVersion: "" }) })
        const b = Asset.make({
          key: "b",
          deps: [a],
          codeVersion: bCode,
          materialize: (ctx) => Effect.sync(() => void seen.push(ctx.upstream[0]?.dataVersion))
        })
        return graphOf([a, b])
      }
      yield* Materializer.materialize(make("1"), { context })
      // b's code changes: a is up to date (not run), b runs and reads a's stored version
      yield* Materializer.materialize(make("2"), { context })
      const third = yield* Materializer.materialize(make("2"), { context })
      assert.deepStrictEqual(seen, ["", ""])
      assert.deepStrictEqual([third.succeeded, third.skipped], [0, 2], "b is not re-run as UpstreamChanged forever")
    }).pipe(Effect.provide(stores)))

  it.effect("a step knows why it runs (missing, upstream changed, code version changed, forced) and if forced", () =>
    Effect.gen(function*() {
      const reasons: Array<string> = []
      let version = "1"
      let failB = false
      const make = (code: string) => {
        const a = Asset.make({
          key: "a",
          codeVersion: "1",
          materialize: () => Effect.succeed({ dataVersion: version })
        })
        const b = Asset.make({
          key: "b",
          deps: [a],
          codeVersion: code,
          materialize: (ctx) =>
            Effect.sync(() => void reasons.push(`${ctx.reason}${ctx.forced ? " (forced)" : ""}`)).pipe(
              Effect.zipRight(failB ? Effect.fail("b failed") : Effect.void)
            )
        })
        return graphOf([a, b])
      }
      yield* Materializer.materialize(make("1"), { context })
      version = "2"
      yield* Materializer.materialize(make("1"), { context, force: true, selection: "a" })
      yield* Materializer.materialize(make("1"), { context })
      yield* Materializer.materialize(make("2"), { context })
      yield* Materializer.materialize(make("2"), { context, force: true })
      // a forced run says it is forced, also to a step that runs for another reason (it failed last)
      failB = true
      yield* Materializer.materialize(make("2"), { context, force: true })
      failB = false
      yield* Materializer.materialize(make("2"), { context, force: true })
      assert.deepStrictEqual(reasons, [
        "Missing",
        "UpstreamChanged",
        "CodeVersionChanged",
        "Forced (forced)",
        "Forced (forced)",
        "Failed (forced)"
      ])
    }).pipe(Effect.provide(stores)))

  it.effect("a step an interrupted forced run left to do is forced when it runs again (retry-failed, --only failed)", () =>
    Effect.gen(function*() {
      let stop: { readonly day: string; readonly reached: Deferred.Deferred<void> } | undefined
      const seen: Array<string> = []
      const raw = Asset.make({
        key: "raw",
        partitions: daily,
        codeVersion: "1",
        materialize: (ctx) =>
          stop !== undefined && ctx.partitionKey === stop.day
            ? Effect.zipRight(Deferred.succeed(stop.reached, undefined), Effect.never)
            : Effect.sync(() => {
              seen.push(`${ctx.partitionKey} ${ctx.reason} forced=${ctx.forced}`)
              return { dataVersion: "same" }
            })
      })
      const graph = Either.getOrThrow(AssetGraph.make([raw]))
      const week = "2024-01-01..2024-01-07"
      yield* Materializer.materialize(graph, { partitions: week, context })
      yield* TestClock.adjust("1 second")
      // `materialize --force` over the week, cut at its 3rd day (a kill, Ctrl-C, --max-duration)
      const reached = yield* Deferred.make<void>()
      stop = { day: "2024-01-03", reached }
      const fiber = yield* Effect.fork(
        Materializer.materialize(graph, { partitions: week, context, concurrency: 1, force: true, runId: "forced" })
      )
      yield* Deferred.await(reached)
      yield* Fiber.interrupt(fiber)
      stop = undefined
      yield* TestClock.adjust("1 second")
      seen.length = 0
      // `baliza retry-failed` / `materialize --only failed`: the forced run's leftovers
      yield* Materializer.materialize(graph, { partitions: week, context, only: "Failed" })
      assert.isAbove(seen.length, 0)
      for (const line of seen) {
        if (line.includes(" Forced ")) assert.include(line, "forced=true", line)
      }
    }).pipe(Effect.provide(stores)))

  it.effect("a step without a code version has new data in every start of a run id, a reused one too", () =>
    Effect.gen(function*() {
      let failA = false
      let bRuns = 0
      const a = Asset.make({
        key: "a",
        materialize: () => (failA ? Effect.fail({ _tag: "Down", message: "source down" }) : Effect.void)
      })
      const b = Asset.make({ key: "b", deps: [a], materialize: () => Effect.sync(() => void bRuns++) })
      const graph = graphOf([a, b])
      yield* Materializer.materialize(graph, { context, runId: "nightly" })
      failA = true
      yield* Materializer.materialize(graph, { context, runId: "other", selection: "a", force: true })
      failA = false
      // a failed, so it runs again, under the first run's id (the TestClock has not moved): its data is new, b runs
      const third = yield* Materializer.materialize(graph, { context, runId: "nightly" })
      assert.deepStrictEqual([third.succeeded, bRuns], [2, 2])
    }).pipe(Effect.provide(stores)))

  it.effect("a failure without a message, a die and a throw are recorded by their messages, with no stack trace", () =>
    Effect.gen(function*() {
      const plain = Asset.make({ key: "plain", materialize: () => Effect.fail({ code: 42 }) })
      const died = Asset.make({ key: "died", materialize: () => Effect.die(new RangeError("died inside")) })
      const threw = Asset.make({
        key: "threw",
        materialize: () =>
          Effect.sync(() => {
            throw new Error("thrown inside")
          })
      })
      // a materialize function that throws before it returns an Effect: its attempt started all the same
      const threwEarly = Asset.make({
        key: "threw_early",
        materialize: (): Effect.Effect<void> => {
          throw new Error("bad config")
        }
      })
      const result = yield* Materializer.materialize(graphOf([plain, died, threw, threwEarly]), { context })
      assert.deepStrictEqual(
        [...result.failures].sort((a, b) => a.stepId.localeCompare(b.stepId)).map((
          f
        ) => [f.stepId, f.errorTag, f.message]),
        [
          ["died", "Defect", "RangeError: died inside"],
          ["plain", "Error", `{"code":42}`],
          ["threw", "Defect", "Error: thrown inside"],
          ["threw_early", "Defect", "Error: bad config"]
        ]
      )
      const early = (yield* eventsOf(result.runId)).filter((e) => "assetKey" in e && e.assetKey === "threw_early")
      assert.deepStrictEqual(early.map((e) => e._tag), ["StepStarted", "StepFailed"])
    }).pipe(Effect.provide(stores)))

  it.effect("a step reporting rows or bytes that are no count fails with InvalidResult, its downstream skipped", () =>
    Effect.gen(function*() {
      const nan = Asset.make({ key: "nan", materialize: () => Effect.succeed({ rows: Number.NaN }) })
      const negative = Asset.make({
        key: "negative",
        materialize: (context) => Effect.as(context.report({ bytes: -3 }), { rows: 2 })
      })
      const fraction = Asset.make({ key: "fraction", materialize: () => Effect.succeed({ rows: 1.5, bytes: 10 }) })
      const fine = Asset.make({ key: "fine", materialize: () => Effect.succeed({ rows: 0, bytes: 2 ** 40 }) })
      const child = Asset.make({ key: "child", deps: [nan], materialize: () => Effect.void })
      const result = yield* Materializer.materialize(graphOf([nan, negative, fraction, fine, child]), { context })
      assert.deepStrictEqual([result.succeeded, result.failed, result.skipped], [1, 3, 1])
      assert.deepStrictEqual(
        [...result.failures].sort((a, b) => a.stepId.localeCompare(b.stepId)).map((f) => [
          f.stepId,
          f.errorTag,
          f.message
        ]),
        [
          ["fraction", "InvalidResult", "the step reported rows = 1.5: rows is a count, a whole number of 0 or more"],
          ["nan", "InvalidResult", "the step reported rows = NaN: rows is a count, a whole number of 0 or more"],
          ["negative", "InvalidResult", "the step reported bytes = -3: bytes is a count, a whole number of 0 or more"]
        ]
      )
      // nothing of the refused results is logged as a materialization
      const events = yield* eventsOf(result.runId)
      assert.deepStrictEqual(
        tagsOf(events, "Materialization").map((e) => "assetKey" in e ? e.assetKey : ""),
        ["fine"]
      )
    }).pipe(Effect.provide(stores)))

  it.effect("skips the downstream of a failure and keeps independent branches going", () =>
    Effect.gen(function*() {
      const bad = Asset.make({ key: "bad", materialize: () => Effect.fail({ _tag: "HttpError", message: "HTTP 500" }) })
      const child = Asset.make({ key: "child", deps: [bad], materialize: () => Effect.void })
      const grandchild = Asset.make({ key: "grandchild", deps: [child], materialize: () => Effect.void })
      const other = Asset.make({ key: "other", materialize: () => Effect.void })
      const result = yield* Materializer.materialize(graphOf([bad, child, grandchild, other]), { context })
      assert.strictEqual(result.status, "Failure")
      assert.deepStrictEqual([result.succeeded, result.failed, result.skipped], [1, 1, 2])
      assert.deepStrictEqual(result.failures, [{ stepId: "bad", errorTag: "HttpError", message: "HTTP 500" }])
      const skipped = tagsOf(yield* eventsOf(result.runId), "StepSkipped")
      assert.deepStrictEqual(
        skipped.map((e) => (e._tag === "StepSkipped" ? `${e.assetKey}:${e.reason}:${e.message}` : "")),
        ["child:UpstreamFailed:upstream step bad failed", "grandchild:UpstreamFailed:upstream step bad failed"]
      )
      const state = yield* AssetState.AssetState
      const record = Option.getOrThrow(yield* state.get("bad", null))
      assert.deepStrictEqual([record.status, record.error], ["Failed", "HTTP 500"])
      // The next run plans only the failed step and what it blocked.
      const plan = yield* Materializer.plan(graphOf([bad, child, grandchild, other]), { context })
      assert.strictEqual(plan.toRun, 3)
    }).pipe(Effect.provide(stores)))

  it.effect("never runs more steps at once than the global bound or a pool's limit", () =>
    Effect.gen(function*() {
      let inFlight = 0
      let maxInFlight = 0
      let poolInFlight = 0
      let maxPool = 0
      const assets = Array.from({ length: 24 }, (_, i) =>
        Asset.make({
          key: `s${i}`,
          ...(i % 2 === 0 ? { pool: "api" } : {}),
          materialize: () =>
            Effect.gen(function*() {
              inFlight++
              if (i % 2 === 0) poolInFlight++
              maxInFlight = Math.max(maxInFlight, inFlight)
              maxPool = Math.max(maxPool, poolInFlight)
              yield* Effect.sleep("10 millis")
              inFlight--
              if (i % 2 === 0) poolInFlight--
            })
        }))
      const fiber = yield* Effect.fork(
        Materializer.materialize(graphOf(assets), { context, concurrency: 5, pools: { api: 2 } })
      )
      for (let i = 0; i < 30; i++) yield* TestClock.adjust("10 millis")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.succeeded, 24)
      assert.strictEqual(maxInFlight, 5)
      assert.strictEqual(maxPool, 2)
    }).pipe(Effect.provide(stores)))

  it.live("a step waiting for its pool holds no worker: a step outside the pool runs meanwhile", () =>
    Effect.gen(function*() {
      const outsideStarted = yield* Deferred.make<void>()
      const started: Array<string> = []
      // The first pooled step holds the pool until the step outside it has started: with a worker waiting on the pool
      // for every other pooled step, the step outside would never start and the run would hang.
      const pooled = Array.from({ length: 4 }, (_, i) =>
        Asset.make({
          key: `p${i}`,
          pool: "db",
          materialize: () =>
            Effect.sync(() => started.push(`p${i}`)).pipe(Effect.zipRight(Deferred.await(outsideStarted)))
        }))
      const outside = Asset.make({
        key: "z_outside",
        materialize: () =>
          Effect.sync(() => started.push("z_outside")).pipe(
            Effect.zipRight(Deferred.succeed(outsideStarted, undefined)),
            Effect.asVoid
          )
      })
      const result = yield* Materializer.materialize(graphOf([...pooled, outside]), {
        context,
        concurrency: 2,
        pools: { db: 1 }
      }).pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "the run hung" as const }))
      assert.strictEqual(result.succeeded, 5)
      assert.deepStrictEqual(started.slice(0, 2), ["p0", "z_outside"])
      assert.sameMembers(started, ["p0", "p1", "p2", "p3", "z_outside"])
    }).pipe(Effect.provide(stores)))

  it.effect("retries with the asset's policy, emitting StepRetrying, under the TestClock", () =>
    Effect.gen(function*() {
      let attempts = 0
      const flaky = Asset.make({
        key: "flaky",
        retryPolicy: RetryPolicy.make({ maxAttempts: 4, baseDelay: "1 second", factor: 2, jitter: 0 }),
        materialize: (ctx) =>
          Effect.suspend(() => {
            attempts++
            // each attempt does (and reports) the work again: the step's rows are the last attempt's
            return Effect.zipRight(
              ctx.report({ rows: 100, metadata: { [`attempt${ctx.attempt}`]: true } }),
              ctx.attempt < 3 ? Effect.fail({ _tag: "Flaky", message: `attempt ${ctx.attempt}` }) : Effect.void
            )
          })
      })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([flaky]), { context }))
      yield* TestClock.adjust("1 second")
      yield* TestClock.adjust("2 seconds")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.status, "Success")
      assert.strictEqual(attempts, 3)
      const retrying = tagsOf(yield* eventsOf(result.runId), "StepRetrying")
      assert.deepStrictEqual(
        retrying.map((e) => (e._tag === "StepRetrying" ? [e.attempt, e.delayMs, e.error] : [])),
        [[1, 1000, "attempt 1"], [2, 2000, "attempt 2"]]
      )
      const [materialization] = tagsOf(yield* eventsOf(result.runId), "Materialization")
      assert.deepStrictEqual(
        materialization?._tag === "Materialization" ? [materialization.rows, materialization.metadata] : [],
        [100, { attempt3: true }]
      )
    }).pipe(Effect.provide(stores)))

  it.effect("stamps each attempt's StepStarted with that attempt's start, after the backoff", () =>
    Effect.gen(function*() {
      const flaky = Asset.make({
        key: "flaky",
        retryPolicy: RetryPolicy.make({ maxAttempts: 2, baseDelay: "10 seconds", jitter: 0 }),
        materialize: (ctx) =>
          ctx.attempt === 1
            ? Effect.zipRight(Effect.sleep("5 seconds"), Effect.fail({ _tag: "Flaky", message: "first" }))
            : Effect.void
      })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([flaky]), { context, runId: "run-starts" }))
      yield* TestClock.adjust("15 seconds")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Success")
      const events = yield* eventsOf("run-starts")
      // attempt 1 started at 0 s and failed at 5 s; after a 10 s wait attempt 2 started at 15 s
      assert.deepStrictEqual(
        events.flatMap((e) => e._tag === "StepStarted" || e._tag === "StepRetrying" ? [[e._tag, e.timestamp]] : []),
        [["StepStarted", 0], ["StepRetrying", 5_000], ["StepStarted", 15_000]]
      )
    }).pipe(Effect.provide(stores)))

  it.effect("retries a step that dies (a throw, a rejected promise) like a failure, never one interrupted", () =>
    Effect.gen(function*() {
      const calls: Record<string, number> = { threw: 0, rejected: 0, interrupted: 0 }
      const policy = RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 second", jitter: 0 })
      const threw = Asset.make({
        key: "threw",
        retryPolicy: policy,
        materialize: () =>
          Effect.sync(() => {
            if (++calls.threw === 1) throw new Error("socket hang up")
          })
      })
      const rejected = Asset.make({
        key: "rejected",
        retryPolicy: policy,
        materialize: () =>
          Effect.promise(() => ++calls.rejected === 1 ? Promise.reject(new Error("reset")) : Promise.resolve())
      })
      const interrupted = Asset.make({
        key: "interrupted",
        retryPolicy: policy,
        materialize: () => Effect.zipRight(Effect.sync(() => void calls.interrupted++), Effect.interrupt)
      })
      const fiber = yield* Effect.fork(
        Materializer.materialize(graphOf([threw, rejected, interrupted]), { context, runId: "run-died" })
      )
      yield* TestClock.adjust("5 seconds")
      const result = yield* Fiber.join(fiber)
      assert.deepStrictEqual(calls, { threw: 2, rejected: 2, interrupted: 1 })
      assert.deepStrictEqual([result.succeeded, result.failed], [2, 1])
      const retrying = tagsOf(yield* eventsOf("run-died"), "StepRetrying")
      assert.deepStrictEqual(
        retrying.map((e) => e._tag === "StepRetrying" ? [e.assetKey, e.error] : []).sort(),
        [["rejected", "Error: reset"], ["threw", "Error: socket hang up"]]
      )
    }).pipe(Effect.provide(stores)))

  it.effect("an interruption during a retry's backoff records nothing in the state and finishes the run Interrupted", () =>
    Effect.gen(function*() {
      const flaky = Asset.make({
        key: "flaky",
        retryPolicy: RetryPolicy.make({ maxAttempts: 3, baseDelay: "1 minute", maxDelay: "10 minutes", jitter: 0 }),
        materialize: () => Effect.fail({ _tag: "Flaky", message: "nope" })
      })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([flaky]), { context, runId: "run-backoff" }))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.interrupt(fiber)
      const events = yield* eventsOf("run-backoff")
      assert.deepStrictEqual(events.map((e) => e._tag), ["RunStarted", "StepStarted", "StepRetrying", "RunFinished"])
      const [run] = (yield* (yield* EventLog.EventLog).runs()).filter((r) => r.runId === "run-backoff")
      assert.strictEqual(run.status, "Interrupted")
      assert.isTrue(Option.isNone(yield* (yield* AssetState.AssetState).get("flaky", null)))
    }).pipe(Effect.provide(stores)))

  it.effect("does not retry errors the policy excludes", () =>
    Effect.gen(function*() {
      let attempts = 0
      const strict = Asset.make({
        key: "strict",
        retryPolicy: RetryPolicy.make({
          maxAttempts: 5,
          retryOn: (error) =>
            typeof error === "object" && error !== null && "_tag" in error && error._tag === "Transient"
        }),
        materialize: () => Effect.suspend(() => (attempts++, Effect.fail({ _tag: "BadRequest", message: "HTTP 400" })))
      })
      const result = yield* Materializer.materialize(graphOf([strict]), { context })
      assert.strictEqual(attempts, 1)
      assert.strictEqual(result.failures[0].errorTag, "BadRequest")
    }).pipe(Effect.provide(stores)))

  it.effect("fails a step that exceeds its timeout", () =>
    Effect.gen(function*() {
      const slow = Asset.make({ key: "slow", timeout: "5 seconds", materialize: () => Effect.sleep("1 minute") })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([slow]), { context }))
      yield* TestClock.adjust("5 seconds")
      const result = yield* Fiber.join(fiber)
      assert.deepStrictEqual(result.failures, [{
        stepId: "slow",
        errorTag: "StepTimeout",
        message: "timed out after 5s"
      }])
    }).pipe(Effect.provide(stores)))

  it.effect("runs checks: a failed Error check fails the step and skips downstream; a Warn is recorded", () =>
    Effect.gen(function*() {
      const checked = Asset.make({
        key: "checked",
        checks: [
          AssetCheck.make({
            name: "has_rows",
            evaluate: (c) => Effect.succeed(c.rows === 0 ? AssetCheck.fail("no rows") : AssetCheck.pass())
          }),
          AssetCheck.make({
            name: "soft",
            severity: "Warn",
            evaluate: () => Effect.succeed(AssetCheck.fail("just saying"))
          })
        ],
        materialize: () => Effect.succeed({ rows: 0 })
      })
      const after = Asset.make({ key: "after", deps: [checked], materialize: () => Effect.void })
      const result = yield* Materializer.materialize(graphOf([checked, after]), { context })
      assert.deepStrictEqual(result.failures.map((f) => f.message), [`check "has_rows" failed: no rows`])
      assert.strictEqual(result.skipped, 1)
      const checks = tagsOf(yield* eventsOf(result.runId), "CheckEvaluated")
      assert.deepStrictEqual(checks.map((e) => (e._tag === "CheckEvaluated" ? [e.checkName, e.passed] : [])), [[
        "has_rows",
        false
      ]])
    }).pipe(Effect.provide(stores)))

  it.effect("records a Warn check without failing", () =>
    Effect.gen(function*() {
      const warned = Asset.make({
        key: "warned",
        checks: [
          AssetCheck.make({ name: "soft", severity: "Warn", evaluate: () => Effect.succeed(AssetCheck.fail("hmm")) })
        ],
        materialize: () => Effect.void
      })
      const result = yield* Materializer.materialize(graphOf([warned]), { context })
      assert.strictEqual(result.status, "Success")
      const checks = tagsOf(yield* eventsOf(result.runId), "CheckEvaluated")
      assert.deepStrictEqual(checks.map((e) => (e._tag === "CheckEvaluated" ? [e.severity, e.passed] : [])), [[
        "Warn",
        false
      ]])
    }).pipe(Effect.provide(stores)))

  it.effect("a step's closing event follows its checks: stamped after them, its duration includes them", () =>
    Effect.gen(function*() {
      const slowCheck = (passed: boolean) =>
        AssetCheck.make({
          name: "slow",
          evaluate: () => Effect.as(Effect.sleep("5 seconds"), passed ? AssetCheck.pass() : AssetCheck.fail("no"))
        })
      const ok = Asset.make({ key: "ok", checks: [slowCheck(true)], materialize: () => Effect.void })
      const bad = Asset.make({ key: "bad", checks: [slowCheck(false)], materialize: () => Effect.void })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([ok, bad]), { context, runId: "run-checks" }))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      const closing = (yield* eventsOf("run-checks")).flatMap((e) =>
        e._tag === "Materialization" || e._tag === "CheckEvaluated" || e._tag === "StepSucceeded" ||
          e._tag === "StepFailed"
          ? [[e.assetKey, e._tag, e.timestamp, "durationMs" in e ? e.durationMs : null]]
          : []
      )
      assert.deepStrictEqual(closing.filter(([key]) => key === "ok"), [
        ["ok", "Materialization", 0, 0],
        ["ok", "CheckEvaluated", 5_000, null],
        ["ok", "StepSucceeded", 5_000, 5_000]
      ])
      assert.deepStrictEqual(closing.filter(([key]) => key === "bad"), [
        ["bad", "Materialization", 0, 0],
        ["bad", "CheckEvaluated", 5_000, null],
        ["bad", "StepFailed", 5_000, 5_000]
      ])
    }).pipe(Effect.provide(stores)))

  it.effect("stops promptly on interruption, runs finalizers, records the run as interrupted", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      let finalized = false
      const long = Asset.make({
        key: "long",
        materialize: () =>
          Effect.acquireUseRelease(
            Deferred.succeed(started, undefined),
            () => Effect.never,
            () => Effect.sync(() => void (finalized = true))
          )
      })
      const after = Asset.make({ key: "after", deps: [long], materialize: () => Effect.void })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([long, after]), { context, runId: "run-int" }))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(finalized)
      const log = yield* EventLog.EventLog
      const [run] = (yield* log.runs()).filter((r) => r.runId === "run-int")
      assert.strictEqual(run.status, "Interrupted")
      assert.strictEqual(run.skipped, 2)
      // Nothing was recorded as materialized or failed: the next run plans both steps again.
      const state = yield* AssetState.AssetState
      assert.isTrue(Option.isNone(yield* state.get("long", null)))
    }).pipe(Effect.provide(stores)))

  it.effect("an interrupted run counts its up-to-date steps as skipped, as a finished run does", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      let block = false
      const a = Asset.make({ key: "a", codeVersion: "1", materialize: () => Effect.void })
      const graphWith = (bCode: string) =>
        graphOf([
          a,
          Asset.make({
            key: "b",
            codeVersion: bCode,
            materialize: () => block ? Effect.zipRight(Deferred.succeed(started, undefined), Effect.never) : Effect.void
          })
        ])
      yield* Materializer.materialize(graphWith("1"), { context })
      block = true
      // b's code changes: the plan runs b, a is up to date
      const graph = graphWith("2")
      const fiber = yield* Effect.fork(Materializer.materialize(graph, { context, runId: "run-int-uptodate" }))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      const [run] = (yield* (yield* EventLog.EventLog).runs()).filter((r) => r.runId === "run-int-uptodate")
      assert.deepStrictEqual([run.status, run.plannedSteps, run.succeeded, run.failed, run.skipped], [
        "Interrupted",
        1,
        0,
        0,
        2
      ])
    }).pipe(Effect.provide(stores)))

  it.effect("a stop while a step's state is written waits for it: the run's figures and its log record the step", () =>
    Effect.gen(function*() {
      const { layer, written } = yield* slowPutStores
      yield* Effect.gen(function*() {
        const only = Asset.make({ key: "only", materialize: () => Effect.void })
        const after = Asset.make({ key: "after", deps: [only], materialize: () => Effect.void })
        const { events, run } = yield* stopDuringPut(graphOf([only, after]), "run-put", written)
        const state = Option.getOrThrow(yield* (yield* AssetState.AssetState).get("only", null))
        assert.deepStrictEqual([run.status, state.status], ["Interrupted", "Materialized"])
        assert.deepStrictEqual([run.succeeded, run.failed, run.skipped], [1, 0, 1])
        assert.deepStrictEqual(events.map((e) => e._tag), [
          "RunStarted",
          "StepStarted",
          "Materialization",
          "StepSucceeded",
          "RunFinished"
        ])
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a stop while a failed step's state is written waits for it: the run's figures and its log record the failure", () =>
    Effect.gen(function*() {
      const { layer, written } = yield* slowPutStores
      yield* Effect.gen(function*() {
        const bad = Asset.make({ key: "bad", materialize: () => Effect.fail({ _tag: "Http", message: "HTTP 500" }) })
        const { events, run } = yield* stopDuringPut(graphOf([bad]), "run-put-failed", written)
        const state = Option.getOrThrow(yield* (yield* AssetState.AssetState).get("bad", null))
        assert.deepStrictEqual([run.status, state.status], ["Interrupted", "Failed"])
        assert.deepStrictEqual([run.succeeded, run.failed, run.skipped], [0, 1, 0])
        assert.deepStrictEqual(events.map((e) => e._tag), ["RunStarted", "StepStarted", "StepFailed", "RunFinished"])
      }).pipe(Effect.provide(layer))
    }))

  it.effect("records a run interrupted after it started and before its steps ran as interrupted", () =>
    Effect.gen(function*() {
      const watching = yield* Deferred.make<void>()
      // A monitor whose watch never starts: the run is stopped between its RunStarted and its first step.
      const monitor = SourceMonitor.SourceMonitor.of({
        watch: () => Effect.zipRight(Deferred.succeed(watching, undefined), Effect.never),
        interval: "1 second"
      })
      let ran = false
      const only = Asset.make({ key: "only", materialize: () => Effect.sync(() => void (ran = true)) })
      const fiber = yield* Effect.fork(
        Materializer.materialize(graphOf([only]), { context, runId: "run-early" }).pipe(
          Effect.provideService(SourceMonitor.SourceMonitor, monitor)
        )
      )
      yield* Deferred.await(watching)
      yield* Fiber.interrupt(fiber)
      assert.isFalse(ran)
      const log = yield* EventLog.EventLog
      const [run] = (yield* log.runs()).filter((r) => r.runId === "run-early")
      assert.strictEqual(run.status, "Interrupted")
      assert.strictEqual(run.skipped, 1)
    }).pipe(Effect.provide(stores)))

  it.effect("re-execution from failure also runs what the last interrupted run left to do, looking past retries", () =>
    Effect.gen(function*() {
      // The step of `stop.day` waits until its run is interrupted.
      let stop: { readonly day: string; readonly reached: Deferred.Deferred<void> } | undefined
      const ran: Array<string> = []
      const raw = Asset.make({
        key: "raw",
        partitions: daily,
        materialize: (ctx) =>
          stop !== undefined && ctx.partitionKey === stop.day
            ? Effect.zipRight(Deferred.succeed(stop.reached, undefined), Effect.never)
            : Effect.sync(() => void ran.push(ctx.partitionKey ?? ""))
      })
      const total = Asset.make({ key: "total", deps: [raw], materialize: () => Effect.void })
      const graph = graphOf([raw, total])
      const month = "2024-01-01..2024-01-31"
      const interruptAt = (day: string, options: Materializer.MaterializeOptions) =>
        Effect.gen(function*() {
          const reached = yield* Deferred.make<void>()
          stop = { day, reached }
          const fiber = yield* Effect.fork(Materializer.materialize(graph, { context, concurrency: 1, ...options }))
          yield* Deferred.await(reached)
          yield* Fiber.interrupt(fiber)
          stop = undefined
          // runs are ordered by their start
          yield* TestClock.adjust("1 second")
        })

      // A week's run stops at its 3rd day.
      yield* interruptAt("2024-01-03", { partitions: "2024-01-01..2024-01-07", runId: "cut" })
      assert.deepStrictEqual(ran, ["2024-01-01", "2024-01-02"])
      const leftovers = yield* Materializer.interruptedRun(graph)
      assert.strictEqual(leftovers?.runId, "cut")
      // A retry over the whole month plans the week's leftovers, never the days no run asked for.
      const planned = yield* Materializer.plan(graph, {
        partitions: month,
        only: "Failed",
        interrupted: leftovers,
        context
      })
      assert.deepStrictEqual(ExecutionPlan.runnable(planned).map((step) => step.id), [
        "raw[2024-01-03]",
        "raw[2024-01-04]",
        "raw[2024-01-05]",
        "raw[2024-01-06]",
        "raw[2024-01-07]",
        "total"
      ])
      assert.include(
        planned.steps.find((step) => step.id === "raw[2024-01-04]")?.detail,
        "left to do by interrupted run cut"
      )
      // Without the interrupted run, re-execution from failure has nothing to do: nothing failed.
      assert.strictEqual((yield* Materializer.plan(graph, { partitions: month, only: "Failed", context })).toRun, 0)

      // The retry is interrupted too; the next retry looks past it to the week's run and finishes the week.
      yield* interruptAt("2024-01-05", { partitions: month, only: "Failed", runId: "retry" })
      assert.deepStrictEqual(ran.slice(2), ["2024-01-03", "2024-01-04"])
      assert.strictEqual((yield* Materializer.interruptedRun(graph))?.runId, "cut")
      const finished = yield* Materializer.materialize(graph, { partitions: month, only: "Failed", context })
      assert.deepStrictEqual([finished.status, finished.succeeded], ["Success", 4])
      assert.deepStrictEqual(ran.slice(4), ["2024-01-05", "2024-01-06", "2024-01-07"])
      assert.strictEqual((yield* Materializer.interruptedRun(graph))?.steps.size, 0)

      // Days and code that came since are not the week's leftovers: a later retry over more days has nothing to do.
      const later = Partitions.context({ now: Date.parse("2024-02-15T12:00:00Z") })
      const interrupted = yield* Materializer.interruptedRun(graph)
      assert.strictEqual(
        (yield* Materializer.plan(graph, {
          partitions: "2024-01-01..2024-02-14",
          only: "Failed",
          interrupted,
          context: later
        }))
          .toRun,
        0
      )
      const changed = graphOf([
        raw,
        Asset.make({ key: "total", deps: [raw], codeVersion: "2", materialize: () => Effect.void })
      ])
      assert.strictEqual((yield* Materializer.interruptedRun(changed))?.steps.size, 0)

      // A forced run's leftovers are forced again, though up to date.
      yield* TestClock.adjust("1 second")
      yield* interruptAt("2024-01-06", { partitions: "2024-01-01..2024-01-07", force: true, runId: "forced" })
      const forced = yield* Materializer.plan(graph, {
        partitions: month,
        only: "Failed",
        interrupted: yield* Materializer.interruptedRun(graph),
        context
      })
      assert.deepStrictEqual(ExecutionPlan.runnable(forced).map((step) => [step.id, step.reason]), [
        ["raw[2024-01-06]", "Forced"],
        ["raw[2024-01-07]", "Forced"],
        // its days 1–5 came out new
        ["total", "UpstreamChanged"]
      ])

      // A run that is not a retry and ends leaves nothing to do.
      yield* TestClock.adjust("1 second")
      yield* Materializer.materialize(graph, { partitions: "2024-01-10", context })
      assert.isUndefined(yield* Materializer.interruptedRun(graph))
    }).pipe(Effect.provide(stores)))

  it.effect("a step that interrupts itself fails alone: its siblings and their downstream run, the run is a Failure", () =>
    Effect.gen(function*() {
      const quits = Asset.make({ key: "quits", materialize: () => Effect.interrupt })
      const slow = Asset.make({ key: "slow", materialize: () => Effect.sleep("20 millis") })
      const after = Asset.make({ key: "after", deps: [slow], materialize: () => Effect.void })
      const fiber = yield* Effect.fork(Materializer.materialize(graphOf([quits, slow, after]), { context }))
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.status, "Failure")
      assert.deepStrictEqual([result.succeeded, result.failed], [2, 1])
      assert.deepStrictEqual(result.failures.map((f) => [f.stepId, f.errorTag]), [["quits", "Interrupted"]])
    }).pipe(Effect.provide(stores)))

  it.effect("a store that fails mid-run leaves the run finished as a Failure, and the caller gets the store's error", () =>
    Effect.gen(function*() {
      const a = Asset.make({ key: "a", materialize: () => Effect.void })
      const b = Asset.make({ key: "b", deps: [a], materialize: () => Effect.void })
      const state = yield* AssetState.AssetState
      const failing = AssetState.AssetState.of({
        ...state,
        put: (records) =>
          records.some((r) => r.assetKey === "b")
            ? Effect.fail(new AssetState.AssetStateError({ message: "disk full" }))
            : state.put(records)
      })
      const error = yield* Effect.flip(
        Materializer.materialize(graphOf([a, b]), { context, runId: "run-store" }).pipe(
          Effect.provideService(AssetState.AssetState, failing)
        )
      )
      assert.strictEqual(error.message, "disk full")
      const [run] = (yield* (yield* EventLog.EventLog).runs()).filter((r) => r.runId === "run-store")
      assert.strictEqual(run.status, "Failure")
    }).pipe(Effect.provide(stores)))

  it.effect("refuses a concurrency or pool limit that is not a positive integer or Infinity; Infinity runs all", () =>
    Effect.gen(function*() {
      const graph = graphOf([
        Asset.make({ key: "one", materialize: () => Effect.void }),
        Asset.make({ key: "two", materialize: () => Effect.void })
      ])
      for (const options of [{ concurrency: Number.NaN }, { concurrency: 0 }, { pools: { api: 1.5 } }]) {
        const error = yield* Effect.flip(Materializer.materialize(graph, { context, ...options }))
        assert.deepStrictEqual([error._tag, error._tag === "MaterializeError" && error.reason], [
          "MaterializeError",
          "Options"
        ])
      }
      const result = yield* Materializer.materialize(graph, { context, concurrency: Infinity })
      assert.deepStrictEqual([result.status, result.succeeded], ["Success", 2])
    }).pipe(Effect.provide(stores)))

  it.effect("a step cannot register a dynamic partition key that could never be selected", () =>
    Effect.gen(function*() {
      const scan = Asset.make({
        key: "scan",
        materialize: (ctx) => ctx.addDynamicPartitions("files", ["ok.csv", "sales,2024.csv"])
      })
      const result = yield* Materializer.materialize(graphOf([scan]), { context })
      assert.strictEqual(result.status, "Failure")
      assert.strictEqual(result.failures[0]?.errorTag, "AssetStateError")
      assert.include(result.failures[0]?.message, "sales,2024.csv")
      assert.deepStrictEqual(yield* (yield* AssetState.AssetState).dynamicPartitions("files"), [])
    }).pipe(Effect.provide(stores)))

  it.effect("a pinned clock (context) keeps the dynamic keys the state holds", () =>
    Effect.gen(function*() {
      const files = Dynamic.make("files")
      const load = Asset.make({ key: "load", partitions: files, materialize: () => Effect.void })
      yield* (yield* AssetState.AssetState).addDynamicPartitions("files", ["a.csv", "b.csv"])
      const plan = yield* Materializer.plan(graphOf([load]), { context })
      assert.strictEqual(plan.toRun, 2)
    }).pipe(Effect.provide(stores)))

  it.effect("finishAbandonedRuns records a run its killed process left running as Interrupted, once", () =>
    Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const base = { runId: "run-killed", partitionKey: null }
      yield* log.append([
        {
          _tag: "RunStarted",
          runId: "run-killed",
          timestamp: 1_000,
          selection: "*",
          partitions: null,
          plannedSteps: 4,
          skippedSteps: 2,
          tags: {}
        },
        {
          _tag: "StepSucceeded",
          ...base,
          assetKey: "a",
          timestamp: 1_500,
          durationMs: 5,
          dataVersion: "v",
          attempts: 1
        },
        {
          _tag: "StepFailed",
          ...base,
          assetKey: "b",
          timestamp: 2_000,
          durationMs: 5,
          attempts: 1,
          errorTag: "E",
          error: "boom"
        }
      ])
      // The state of those two steps, and of a third whose events died with the process.
      const recorded = (assetKey: string, status: AssetState.StepStatus) => ({
        assetKey,
        partitionKey: null,
        status,
        runId: "run-killed",
        updatedAt: 1_800,
        dataVersion: "v",
        codeVersion: null,
        materializedAt: 1_800,
        upstreamVersions: {},
        error: status === "Failed" ? "boom" : null
      })
      yield* (yield* AssetState.AssetState).put([
        recorded("a", "Materialized"),
        recorded("b", "Failed"),
        recorded("d", "Materialized")
      ])
      const finished = yield* Materializer.materialize(
        graphOf([Asset.make({ key: "c", materialize: () => Effect.void })]),
        {
          context
        }
      )
      assert.deepStrictEqual(yield* Materializer.finishAbandonedRuns, ["run-killed"])
      const runs = yield* log.runs()
      const killed = runs.find((run) => run.runId === "run-killed")
      assert.deepStrictEqual(
        [killed?.status, killed?.finishedAt, killed?.succeeded, killed?.failed, killed?.skipped],
        ["Interrupted", 2_000, 2, 1, 3]
      )
      assert.strictEqual(runs.find((run) => run.runId === finished.runId)?.status, "Success")
      assert.deepStrictEqual(yield* Materializer.finishAbandonedRuns, [])
    }).pipe(Effect.provide(stores)))

  it.effect("finishAbandonedRuns counts a run id started again from its latest start only", () =>
    Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      const graph = graphOf([
        Asset.make({ key: "a", materialize: () => Effect.void }),
        Asset.make({ key: "b", materialize: () => Effect.void })
      ])
      // a first start of "dup" runs both steps; its next start is killed right after its RunStarted
      assert.strictEqual((yield* Materializer.materialize(graph, { context, runId: "dup" })).succeeded, 2)
      yield* log.append([{
        _tag: "RunStarted",
        runId: "dup",
        timestamp: 10_000,
        selection: "*",
        partitions: null,
        plannedSteps: 2,
        skippedSteps: 0,
        tags: {}
      }])
      assert.deepStrictEqual(yield* Materializer.finishAbandonedRuns, ["dup"])
      const [run] = (yield* log.runs()).filter((r) => r.runId === "dup")
      assert.deepStrictEqual([run.status, run.succeeded, run.failed, run.skipped], ["Interrupted", 0, 0, 2])
    }).pipe(Effect.provide(stores)))

  it.effect("keeps checkpoints across runs and exposes them to the step", () =>
    Effect.gen(function*() {
      const pages: Array<string> = []
      const paged = Asset.make({
        key: "paged",
        materialize: (ctx) =>
          Effect.gen(function*() {
            const last = Option.getOrElse(yield* ctx.checkpoint.get("page"), () => "0")
            pages.push(last)
            yield* ctx.checkpoint.set(String(Number(last) + 1), "page")
            yield* ctx.progress(Number(last) + 1, 10, "pages")
            if (last === "0") return yield* Effect.fail({ _tag: "Killed", message: "died after page 1" })
          })
      })
      const graph = graphOf([paged])
      yield* Materializer.materialize(graph, { context })
      const second = yield* Materializer.materialize(graph, { context })
      assert.deepStrictEqual(pages, ["0", "1"])
      assert.strictEqual(second.status, "Success")
      const progress = tagsOf(yield* eventsOf(second.runId), "Progress")
      assert.deepStrictEqual(progress.map((e) => (e._tag === "Progress" ? [e.done, e.total, e.unit] : [])), [[
        2,
        10,
        "pages"
      ]])
    }).pipe(Effect.provide(stores)))

  it.effect("reports an unknown selection as a MaterializeError", () =>
    Effect.gen(function*() {
      const graph = graphOf([Asset.make({ key: "pncp/raw/contratos", materialize: () => Effect.void })])
      const error = yield* Effect.flip(Materializer.materialize(graph, { selection: "pncp/raw/contrato", context }))
      assert.strictEqual(error._tag, "MaterializeError")
      assert.include(error.message, "pncp/raw/contratos")
    }).pipe(Effect.provide(stores)))

  it.effect("requires the Layers the assets need (type-level) and uses them", () =>
    Effect.gen(function*() {
      const greeted = Asset.make({
        key: "greeted",
        materialize: () => Effect.map(Greeting, (g) => ({ metadata: { g } }))
      })
      const graph = graphOf([greeted])
      // @ts-expect-error the graph needs `Greeting`, which is not provided
      const missing: Effect.Effect<unknown, unknown, EventLog.EventLog | AssetState.AssetState> = Materializer
        .materialize(graph)
      void missing
      const result = yield* Materializer.materialize(graph, { context }).pipe(Effect.provideService(Greeting, "olá"))
      assert.strictEqual(result.status, "Success")
    }).pipe(Effect.provide(stores)))

  it.effect("annotates a step's logs with the run, asset and partition", () =>
    Effect.gen(function*() {
      const lines: Array<{ readonly message: unknown; readonly annotations: Record<string, unknown> }> = []
      const capture = Logger.make(({ annotations, message }) => {
        lines.push({ message, annotations: Object.fromEntries(annotations) })
      })
      const talkative = Asset.make({
        key: "talkative",
        partitions: daily,
        materialize: () => Effect.log("fetched 3 pages")
      })
      const result = yield* Materializer.materialize(graphOf([talkative]), { partitions: "2024-01-02", context }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, capture))
      )
      const line = lines.find((l) => Array.isArray(l.message) && l.message[0] === "fetched 3 pages")
      assert.deepStrictEqual(line?.annotations, { runId: result.runId, asset: "talkative", partition: "2024-01-02" })
    }).pipe(Effect.provide(stores)))

  it.effect("materializes dynamic partitions that an upstream step registered at run time", () =>
    Effect.gen(function*() {
      const orgaos = Dynamic.make("orgaos")
      const seen: Array<string> = []
      const discover = Asset.make({
        key: "discover",
        materialize: (ctx) => ctx.addDynamicPartitions("orgaos", ["00394460000141", "00059311000126"])
      })
      const perOrgao = Asset.make({
        key: "per_orgao",
        partitions: orgaos,
        materialize: (ctx) => Effect.sync(() => void seen.push(ctx.partition))
      })
      const graph = graphOf([discover, perOrgao])
      // Before discovery the dynamic definition has no keys: only `discover` is planned.
      const first = yield* Materializer.materialize(graph, { context: undefined })
      assert.strictEqual(first.succeeded, 1)
      const second = yield* Materializer.materialize(graph)
      assert.strictEqual(second.succeeded, 2)
      assert.deepStrictEqual(seen, ["00394460000141", "00059311000126"])
    }).pipe(Effect.provide(stores)))
})
