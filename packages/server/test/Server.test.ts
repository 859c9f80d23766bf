/**
 * The server over real HTTP on 127.0.0.1, with the PNCP pipeline against its fake and a real DuckDB file.
 */
import { Asset, AssetGraph, AssetState, EventLog, Partitions, RunEvent } from "@baliza/core"
import * as DuckDB from "@baliza/duckdb/DuckDB"
import { Pipeline, PncpFake, Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Context, Deferred, Effect, Either, Fiber, Layer, Schema, Stream } from "effect"
import * as NodeFs from "node:fs"
import * as NodeHttp from "node:http"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as events from "../src/internal/events.js"
import * as records from "../src/internal/records.js"
import * as status from "../src/internal/status.js"
import * as Server from "../src/Server.js"
import { QueuedRun } from "../src/ServerApi.js"
import { openEvents, readEvents, readOpen } from "./helpers.js"

const json = (url: string, init?: RequestInit) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: await response.json() as unknown }
  })

/** A request with its target exactly as given (fetch would normalize it), with a 10 s timeout. */
const raw = (base: string, method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
  Effect.async<{ readonly status: number; readonly body: string }, Error>((resume) => {
    const { hostname, port } = new URL(base)
    const request = NodeHttp.request({ hostname, port, path: target, method, headers }, (response) => {
      let body = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => (body += chunk))
      response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body })))
    })
    request.setTimeout(10_000, () => request.destroy(new Error(`${method} ${target}: no answer in 10 s`)))
    request.on("error", (error) => resume(Effect.fail(error)))
    request.end(body)
    return Effect.sync(() => request.destroy())
  })

const serverOn = (options: { readonly token?: string; readonly defaultSelection?: string } = {}) =>
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-server-"))),
      (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
    )
    const fake = yield* PncpFake.make({ scale: 0.02 })
    const graph = yield* Pipeline.graph
    const server = Server.layer({
      graph,
      port: 0,
      token: options.token,
      defaultSelection: options.defaultSelection,
      runDefaults: { context: Partitions.context({ now: Date.parse("2024-08-15T12:00:00Z") }), concurrency: 8 }
    }).pipe(
      Layer.provide(Warehouse.layer({
        path: NodePath.join(dir, "w.duckdb"),
        client: { consultaUrl: fake.consultaUrl, detailsUrl: fake.detailsUrl }
      }))
    )
    const context = yield* Layer.build(server)
    return yield* Effect.provide(Server.url, context)
  })

describe("Server", () => {
  it.scopedLive(
    "the API: OpenAPI, assets, lineage, a launched run streamed over SSE, resumed after Last-Event-ID",
    () =>
      Effect.gen(function*() {
        const base = yield* serverOn({ defaultSelection: "pncp/raw/atas" })
        assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/)

        const openapi = yield* json(`${base}/api/openapi.json`)
        assert.strictEqual(openapi.status, 200)
        const paths = Object.keys((openapi.body as { readonly paths: Record<string, unknown> }).paths)
        assert.includeMembers(paths, [
          "/api/assets",
          "/api/lineage",
          "/api/runs",
          "/api/runs/{runId}/events",
          "/api/events"
        ])

        const assets = (yield* json(`${base}/api/assets`)).body as ReadonlyArray<{ readonly key: string }>
        assert.include(assets.map((asset) => asset.key), "pncp/raw/contratos")
        const lineage = (yield* json(`${base}/api/lineage`)).body as {
          readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string }>
        }
        assert.deepInclude(lineage.edges, { from: "pncp/raw/contratos", to: "pncp/staging/contratos" })
        // A staging table shows its Schema's columns; an unknown asset is a 404 that names it.
        const detail = (yield* json(`${base}/api/asset?key=pncp/staging/contratos`)).body as {
          readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>
        }
        assert.deepInclude(detail.columns.map((column) => column.name), "numeroControlePNCP")
        const unknown = yield* json(`${base}/api/asset?key=pncp/raw/nope`)
        assert.strictEqual(unknown.status, 404)
        assert.include(JSON.stringify(unknown.body), "pncp/raw/nope")

        const bad = yield* json(`${base}/api/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ selection: "pncp/raw/nope" })
        })
        assert.strictEqual(bad.status, 400)
        assert.include(JSON.stringify(bad.body), "pncp/raw/nope")
        const post = (body: unknown) =>
          json(`${base}/api/runs`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body)
          })
        // a selection that names no asset, and a date past JavaScript's, are refused; no selection is the default
        const nothing = yield* post({ selection: "tag:nobody=here" })
        assert.deepStrictEqual([nothing.status, JSON.stringify(nothing.body).includes("selects no asset")], [400, true])
        // and /api/select refuses it the same way (InvalidSelection), not with an empty list
        const selectsNothing = yield* json(`${base}/api/select?q=${encodeURIComponent("tag:nobody=here")}`)
        assert.deepStrictEqual(selectsNothing, {
          status: 400,
          body: { _tag: "InvalidSelection", message: `The selection "tag:nobody=here" selects no asset.` }
        })
        const selected = yield* json(`${base}/api/select?q=${encodeURIComponent("pncp/raw/contratos")}`)
        assert.deepStrictEqual(selected, { status: 200, body: { keys: ["pncp/raw/contratos"] } })
        assert.strictEqual((yield* post({ selection: "pncp/raw/atas", notBefore: 1e300 })).status, 400)
        const later = yield* post({ partitions: "2024-07-01", notBefore: Date.now() + 3_600_000 })
        assert.strictEqual(later.status, 202, JSON.stringify(later.body))
        const queued = later.body as { readonly runId: string; readonly selection: string }
        assert.strictEqual(queued.selection, "pncp/raw/atas")
        assert.strictEqual((yield* json(`${base}/api/runs/${queued.runId}/cancel`, { method: "POST" })).status, 200)

        const launched = yield* json(`${base}/api/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ selection: "pncp/raw/contratos+", partitions: "2024-07-01..2024-07-02" })
        })
        assert.strictEqual(launched.status, 202, JSON.stringify(launched.body))
        const { runId } = launched.body as { readonly runId: string }

        // Live: from the start to RunFinished, ids increasing, every event of this run.
        const live = yield* readEvents(`${base}/api/runs/${runId}/events`)
        assert.strictEqual(live.contentType, "text/event-stream")
        const tags = live.events.map((event) => event.event)
        assert.strictEqual(tags[0], "RunStarted")
        assert.strictEqual(tags.at(-1), "RunFinished")
        assert.strictEqual(live.events.at(-1)?.data.status, "Success")
        assert.include(tags, "StepSucceeded")
        assert.isTrue(live.events.every((event, i) => i === 0 || event.id > live.events[i - 1]!.id))
        assert.isTrue(live.events.every((event) => event.data.runId === runId))

        // A reconnect after the third event: exactly the rest, no gap, no duplicate.
        const third = live.events[2]!
        const resumed = yield* readEvents(`${base}/api/runs/${runId}/events`, { "last-event-id": String(third.id) })
        assert.deepStrictEqual(resumed.events.map((event) => event.id), live.events.slice(3).map((event) => event.id))
        // A client that already has RunFinished is told to stop (204), not kept waiting.
        const finished = yield* Effect.promise(() =>
          fetch(`${base}/api/runs/${runId}/events`, { headers: { "last-event-id": String(live.events.at(-1)?.id) } })
        )
        assert.strictEqual(finished.status, 204)

        const run = yield* json(`${base}/api/runs/${runId}`)
        assert.strictEqual(run.status, 200)
        assert.strictEqual((run.body as { readonly status: string }).status, "Success")
        const log = (yield* json(`${base}/api/runs/${runId}/log`)).body as ReadonlyArray<{ readonly id: number }>
        assert.deepStrictEqual(log.map((event) => event.id), live.events.map((event) => event.id))
        // What the endpoints did comes right before RunFinished, and meta.metrics has it once the run is finished.
        assert.strictEqual(tags.at(-2), "SourceProgress")
        const progress = Schema.decodeUnknownSync(RunEvent.SourceProgress)(live.events.at(-2)!.data)
        const figures = progress.sources
        const contratos = figures.find((f) => f.source === "contratos")
        assert.isAbove(contratos?.pages ?? 0, 0)
        assert.strictEqual(contratos?.pages, contratos?.pagesExpected)
        const metrics = (yield* json(`${base}/api/metrics?runId=${runId}`)).body as ReadonlyArray<
          { readonly endpoint: string; readonly pages: number }
        >
        assert.deepStrictEqual(
          metrics.filter((m) => m.endpoint !== "*").map((m) => [m.endpoint, m.pages]),
          figures.map((f) => [f.source, f.pages])
        )
        const missing = yield* json(`${base}/api/runs/19990101-000000-000000`)
        assert.strictEqual(missing.status, 404)
        // an unknown run's log and events are a 404 too, not an empty list or a stream that never ends
        for (const path of ["log", "events"]) {
          const response = yield* Effect.promise(() =>
            fetch(`${base}/api/runs/19990101-000000-000000/${path}`, { signal: AbortSignal.timeout(10_000) })
          )
          assert.strictEqual(response.status, 404, path)
        }
        // every event from now on: a client without Last-Event-ID is not sent the finished run's past
        const now = yield* readEvents(`${base}/api/events`, {}, 100_000, 1_000)
        assert.deepStrictEqual(now.events, [])
      }),
    { timeout: 120_000 }
  )

  it.scopedLive("a bearer token protects the API; a cancelled run ends Interrupted", () =>
    Effect.gen(function*() {
      const base = yield* serverOn({ token: "s3cret" })
      assert.strictEqual((yield* json(`${base}/api/assets`)).status, 401)
      assert.strictEqual(
        (yield* json(`${base}/api/assets`, { headers: { authorization: "Bearer wrong" } })).status,
        401
      )
      const auth = { authorization: "Bearer s3cret", "content-type": "application/json" }
      assert.strictEqual((yield* json(`${base}/api/assets`, { headers: auth })).status, 200)
      // the scheme's case does not matter; the token's does
      assert.strictEqual(
        (yield* json(`${base}/api/assets`, { headers: { authorization: "bearer s3cret" } })).status,
        200
      )
      assert.strictEqual(
        (yield* json(`${base}/api/assets`, { headers: { authorization: "Bearer S3CRET" } })).status,
        401
      )
      // The router ignores case, merges slashes and decodes escapes: every path it takes to the API asks for the token.
      for (
        const target of [
          "/API/assets",
          "/Api/runs",
          "//api/assets",
          "/%61pi/queue",
          "/api//schedules",
          "/API/openapi.json"
        ]
      ) {
        const without = yield* raw(base, "GET", target)
        assert.strictEqual(without.status, 401, `${target} without the token: ${without.body.slice(0, 80)}`)
        assert.include(without.body, "A bearer token is required.")
        assert.strictEqual((yield* raw(base, "GET", target, { authorization: "Bearer s3cret" })).status, 200, target)
      }
      // the event streams too (with the token they would not end: only asked without it)
      for (const target of ["/API/events", "/api//runs/19990101-000000-000000/events"]) {
        assert.strictEqual((yield* raw(base, "GET", target)).status, 401, target)
      }
      const later = JSON.stringify({
        selection: "layer:raw",
        partitions: "2024-07-01",
        notBefore: Date.now() + 3_600_000
      })
      const sneaked = yield* raw(base, "POST", "/API/runs", { "content-type": "application/json" }, later)
      assert.strictEqual(sneaked.status, 401, sneaked.body)

      const launched = yield* json(`${base}/api/runs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ selection: "layer:raw", partitions: "2024-07-01..2024-07-10" })
      })
      const { runId } = launched.body as { readonly runId: string }
      // Cancel once the run has started a step.
      const started = yield* readEvents(`${base}/api/runs/${runId}/events`, auth, 3)
      assert.strictEqual(started.events[0]?.event, "RunStarted")
      const cancelled = yield* json(`${base}/api/runs/${runId}/cancel`, { method: "POST", headers: auth })
      assert.deepStrictEqual(cancelled.body, { cancelled: true })
      const rest = yield* readEvents(`${base}/api/runs/${runId}/events`, { authorization: "Bearer s3cret" })
      assert.strictEqual(rest.events.at(-1)?.event, "RunFinished")
      assert.strictEqual(rest.events.at(-1)?.data.status, "Interrupted")
    }), { timeout: 120_000 })
})

describe("Server: event streams", () => {
  /** Queues a run due in an hour: it stays queued through the test. */
  const queueLater = (base: string) =>
    Effect.map(
      json(`${base}/api/runs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          selection: "pncp/raw/contratos",
          partitions: "2024-07-01",
          notBefore: Date.now() + 3_600_000
        })
      }),
      (response) => Schema.decodeUnknownSync(QueuedRun)(response.body)
    )

  it.scopedLive(
    "a queued run's stream ends when the run is cancelled; then it is a 204 (it never has a RunFinished)",
    () =>
      Effect.gen(function*() {
        const base = yield* serverOn()
        const { runId } = yield* queueLater(base)
        const following = yield* openEvents(`${base}/api/runs/${runId}/events`)
        assert.strictEqual(following.status, 200)
        assert.deepStrictEqual((yield* json(`${base}/api/runs/${runId}/cancel`, { method: "POST" })).body, {
          cancelled: true
        })
        const seen = yield* readOpen(following, 100, 10_000)
        assert.deepStrictEqual({ ended: seen.ended, events: seen.events }, { ended: true, events: [] })
        // an EventSource reconnecting is told to stop, not kept waiting
        const again = yield* openEvents(`${base}/api/runs/${runId}/events`)
        assert.strictEqual(again.status, 204)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a stopping server ends the streams clients follow (Node's server waits for their connections)",
    () =>
      Effect.gen(function*() {
        const followed = yield* Effect.scoped(Effect.gen(function*() {
          const base = yield* serverOn()
          const { runId } = yield* queueLater(base)
          return [yield* openEvents(`${base}/api/events`), yield* openEvents(`${base}/api/runs/${runId}/events`)]
        })).pipe(
          // a scope's closing cannot be interrupted: disconnected, a server that does not stop fails the test in time
          Effect.disconnect,
          Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("the server did not stop in 20 s") })
        )
        for (const response of followed) {
          assert.strictEqual(response.status, 200)
          assert.isTrue((yield* readOpen(response, 100, 10_000)).ended, response.url)
        }
      }),
    { timeout: 60_000 }
  )
})

describe("Server: a run's event stream", () => {
  const started = (runId: string): RunEvent.RunEvent => ({
    _tag: "RunStarted",
    runId,
    timestamp: 1,
    selection: "*",
    partitions: null,
    plannedSteps: 1,
    skippedSteps: 0,
    tags: {}
  })
  const stepStarted = (runId: string): RunEvent.RunEvent => ({
    _tag: "StepStarted",
    runId,
    timestamp: 2,
    assetKey: "a",
    partitionKey: null,
    attempt: 1
  })
  const finished = (runId: string, runStatus: "Success" | "Interrupted"): RunEvent.RunEvent => ({
    _tag: "RunFinished",
    runId,
    timestamp: 3,
    status: runStatus,
    durationMs: 1_000,
    succeeded: runStatus === "Success" ? 1 : 0,
    failed: 0,
    skipped: 0
  })

  /** The run's end as the server tells it, by hand: `finish` makes it over. */
  const runEnd = Effect.map(Deferred.make<void>(), (done) => ({
    end: { over: Deferred.isDone(done), watch: Effect.succeed(Deferred.await(done)) } satisfies events.RunEnd,
    finish: Deferred.succeed(done, undefined)
  }))

  /** Collects the run's stream (after `afterId`) in a fiber, failing if it has not ended within 10 s. */
  const follow = (log: EventLog.EventLogService, end: events.RunEnd, afterId?: number) =>
    Stream.runCollect(events.stream(log, { runId: "r1" }, afterId, end)).pipe(
      Effect.map((chunk) => Chunk.toReadonlyArray(chunk).map((stored) => stored.id)),
      Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => new Error("the stream did not end in 10 s") }),
      Effect.fork
    )

  // A server stopped mid-run queues it again; the next one runs it under the same id: RunStarted … RunFinished
  // (Interrupted), RunStarted … RunFinished (Success).
  it.scopedLive("a run started twice: its stream goes past the first attempt's RunFinished, to the run's end", () =>
    Effect.gen(function*() {
      const log = yield* EventLog.makeMemory
      const { end, finish } = yield* runEnd
      yield* log.append([started("r1"), stepStarted("r1"), finished("r1", "Interrupted"), started("r1")])
      const following = yield* follow(log, end)
      yield* log.append([stepStarted("r1"), finished("r1", "Success")])
      yield* finish
      assert.deepStrictEqual(yield* Fiber.join(following), [1, 2, 3, 4, 5, 6])
    }))

  it.scopedLive("a client resuming in the first attempt is not cut off at its RunFinished", () =>
    Effect.gen(function*() {
      const log = yield* EventLog.makeMemory
      const { end, finish } = yield* runEnd
      yield* log.append([started("r1"), stepStarted("r1"), finished("r1", "Interrupted")])
      // the run is queued again; the client had its second event when the first server stopped
      const following = yield* follow(log, end, 2)
      yield* log.append([started("r1"), finished("r1", "Success")])
      yield* finish
      assert.deepStrictEqual(yield* Fiber.join(following), [3, 4, 5])
    }))

  it.scopedLive("a run over before the stream starts: its past, and the stream ends (nothing at all if it never ran)", () =>
    Effect.gen(function*() {
      const log = yield* EventLog.makeMemory
      const cancelled = yield* runEnd
      yield* cancelled.finish
      assert.deepStrictEqual(yield* Fiber.join(yield* follow(log, cancelled.end)), [])
      yield* log.append([started("r1"), finished("r1", "Success")])
      assert.deepStrictEqual(yield* Fiber.join(yield* follow(log, cancelled.end, 1)), [2])
    }))
})

describe("Server: asset status", () => {
  it("an asset shows the worst of its partitions' statuses: a failed one and a running one make it failed", () => {
    const graph = Either.getOrThrow(AssetGraph.make([Asset.make({ key: "a", materialize: () => Effect.void })]))
    const record = (partitionKey: string, stepStatus: "Materialized" | "Failed"): AssetState.StepRecord => ({
      assetKey: "a",
      partitionKey,
      status: stepStatus,
      runId: "r0",
      updatedAt: 1,
      dataVersion: stepStatus === "Materialized" ? "v1" : null,
      codeVersion: null,
      materializedAt: stepStatus === "Materialized" ? 1 : null,
      upstreamVersions: {},
      error: stepStatus === "Failed" ? "boom" : null
    })
    const running = new Map([[AssetState.stepKey("a", "2024-07-02"), "a"]])
    const byAsset = status.partitions(
      graph,
      [record("2024-07-01", "Failed"), record("2024-07-02", "Materialized")],
      running
    )
    assert.deepStrictEqual(byAsset.get("a")?.map((partition) => partition.status), ["failed", "running"])
    assert.deepStrictEqual(status.assets(graph, byAsset, running, new Map()).map((asset) => asset.status), ["failed"])
    // a step running for a partition the ledger has no row for yet still shows
    const first = new Map([[AssetState.stepKey("a", "2024-07-03"), "a"]])
    assert.deepStrictEqual(status.assets(graph, new Map(), first, new Map()).map((asset) => asset.status), ["running"])
  })
})

describe("Server: records", () => {
  /** A metrics table as `@baliza/extract` makes it (the columns the query reads), one snapshot per run. */
  const metricsOf = (runIds: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE SCHEMA IF NOT EXISTS meta;
        CREATE TABLE meta.metrics (run_id VARCHAR, endpoint VARCHAR, taken_at TIMESTAMP, requests BIGINT, pages BIGINT,
          records BIGINT, bytes BIGINT, retries BIGINT, failures BIGINT, p95_latency_ms DOUBLE,
          records_per_second DOUBLE)`)
      for (const runId of runIds) {
        yield* DuckDB.execute(
          `INSERT INTO meta.metrics VALUES ($1, 'contratos', TIMESTAMP '2024-07-01 00:00:00', 1, 1, 10, 100, 0, 0, 2, 10)`,
          [runId]
        )
      }
    })

  it.effect("metrics of a run asked for are found however many runs came after it; unasked, the last 50 runs'", () =>
    Effect.gen(function*() {
      const later = Array.from({ length: 50 }, (_, i) => `20240201-0000${String(i).padStart(2, "0")}-bbbbbb`)
      yield* metricsOf(["20240101-000000-aaaaaa", ...later])
      const older = yield* records.metrics("20240101-000000-aaaaaa")
      assert.deepStrictEqual(older.map((metric) => [metric.runId, metric.endpoint]), [[
        "20240101-000000-aaaaaa",
        "contratos"
      ]])
      assert.deepStrictEqual((yield* records.metrics(later[49])).map((metric) => metric.runId), [later[49]])
      const latest = yield* records.metrics(undefined)
      assert.deepStrictEqual(latest.map((metric) => metric.runId), [...later].reverse())
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})

describe("Server: how much of an asset exists", () => {
  const now = Date.parse("2024-07-10T12:00:00Z")
  const daily = Partitions.TimeWindow.daily({ start: "2024-07-01" })
  const graph = Either.getOrThrow(AssetGraph.make([
    Asset.make({ key: "daily", partitions: daily, materialize: () => Effect.void }),
    Asset.make({
      key: "by_day_and_kind",
      partitions: Partitions.Multi.make({ day: daily, kind: Partitions.Static.make(["1", "2"]) }),
      materialize: () => Effect.void
    }),
    Asset.make({ key: "files", partitions: Partitions.Dynamic.make("files"), materialize: () => Effect.void }),
    Asset.make({ key: "shrunk", partitions: Partitions.Static.make(["x"]), materialize: () => Effect.void }),
    Asset.make({ key: "whole", materialize: () => Effect.void }),
    Asset.make({ key: "whole_built", materialize: () => Effect.void })
  ]))
  const record = (
    assetKey: string,
    partitionKey: string | null,
    stepStatus: "Materialized" | "Failed",
    materializedAt: number | null = stepStatus === "Materialized" ? now - 1_000 : null
  ): AssetState.StepRecord => ({
    assetKey,
    partitionKey,
    status: stepStatus,
    runId: "r0",
    updatedAt: now - 1_000,
    dataVersion: materializedAt === null ? null : "v1",
    codeVersion: null,
    materializedAt,
    upstreamVersions: {},
    error: stepStatus === "Failed" ? "boom" : null
  })

  it.scopedLive("partitionCount and missing: a daily graph over a fixed now, dynamic keys, removed keys", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-server-"))),
        (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
      )
      const storage = yield* Layer.build(Warehouse.layer({ path: NodePath.join(dir, "w.duckdb") }))
      const state = Context.get(storage, AssetState.AssetState)
      yield* state.addDynamicPartitions("files", ["a.csv", "b.csv", "c.csv"])
      yield* state.put([
        // 10 days (2024-07-01..10); materialized: 01, 02, 05, and 04 (it failed since, but it was built once); 03
        // only failed; 2024-06-30 is before the definition starts (a removed partition)
        record("daily", "2024-07-01", "Materialized"),
        record("daily", "2024-07-02", "Materialized"),
        record("daily", "2024-07-05", "Materialized"),
        record("daily", "2024-07-04", "Failed", now - 5_000),
        record("daily", "2024-07-03", "Failed"),
        record("daily", "2024-06-30", "Materialized"),
        // 10 days × 2 kinds
        record("by_day_and_kind", "2024-07-01|1", "Materialized"),
        record("by_day_and_kind", "2024-07-01|2", "Materialized"),
        // a.csv registered and built; gone.csv built but no longer registered
        record("files", "a.csv", "Materialized"),
        record("files", "gone.csv", "Materialized"),
        // one key now, three built: missing is 0, not -2
        record("shrunk", "x", "Materialized"),
        record("shrunk", "y", "Materialized"),
        record("shrunk", "z", "Materialized"),
        record("whole_built", null, "Materialized")
      ])
      const server = Server.layer({
        graph,
        port: 0,
        housekeeping: [],
        runDefaults: { context: Partitions.context({ now }) }
      }).pipe(Layer.provide(Layer.succeedContext(storage)))
      const base = yield* Effect.provide(Server.url, yield* Layer.build(server))

      type Counts = { readonly key: string; readonly partitionCount: number | null; readonly missing: number }
      const counts = (assets: ReadonlyArray<Counts & { readonly materialized: number; readonly status: string }>) =>
        Object.fromEntries(
          assets.map((asset) => [asset.key, [asset.partitionCount, asset.missing, asset.materialized, asset.status]])
        )
      const list = (yield* json(`${base}/api/assets`)).body as Parameters<typeof counts>[0]
      assert.deepStrictEqual(counts(list), {
        // the status is still the worst of the recorded partitions: failed
        daily: [10, 6, 5, "failed"],
        by_day_and_kind: [20, 18, 2, "fresh"],
        files: [3, 2, 2, "fresh"],
        shrunk: [1, 0, 3, "fresh"],
        whole: [null, 1, 0, "missing"],
        whole_built: [null, 0, 1, "fresh"]
      })
      // the asset's own endpoint says the same
      for (const key of ["daily", "files", "whole"]) {
        const detail = (yield* json(`${base}/api/asset?key=${key}`)).body as { readonly asset: Counts }
        assert.deepStrictEqual(
          [detail.asset.partitionCount, detail.asset.missing],
          [counts(list)[key]![0], counts(list)[key]![1]]
        )
      }
      // a dynamic key added since the last request counts at once (the keys are not kept past a change)
      yield* state.addDynamicPartitions("files", ["d.csv"])
      const files = (yield* json(`${base}/api/asset?key=files`)).body as { readonly asset: Counts }
      assert.deepStrictEqual([files.asset.partitionCount, files.asset.missing], [4, 3])
      // the OpenAPI document says what the numbers mean
      const openapi = JSON.stringify((yield* json(`${base}/api/openapi.json`)).body)
      assert.include(openapi, "never materialized")
    }))
})
