import { Asset, AssetGraph, AssetState, EventLog, Materializer, RetryPolicy, type RunEvent } from "@baliza/core"
import { DuckDB } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Stream } from "effect"
import * as HttpSource from "../src/HttpSource.js"
import * as HttpSourceMonitor from "../src/HttpSourceMonitor.js"
import * as MetricsStore from "../src/MetricsStore.js"
import * as Pagination from "../src/Pagination.js"
import { fakeClient, pncpPage } from "./fixtures/fakeClient.js"

/** `contratos` pages 23 records 5 at a time; `down` always answers 503. */
const source = HttpSource.make({
  baseUrl: "http://api.test/v1",
  retry: RetryPolicy.none,
  circuitBreaker: { per: "endpoint", consecutiveFailures: 2, resetTimeout: "1 hour" }
}).pipe(
  Effect.provide(
    fakeClient((url) => Effect.succeed(url.pathname.endsWith("/down") ? { status: 503 } : pncpPage(url, 23, 5)))
  )
)

const Stores = Layer.mergeAll(EventLog.layerMemory, AssetState.layerMemory, MetricsStore.layer).pipe(
  Layer.provideMerge(DuckDB.layerMemory)
)

const lastProgress = (runId: string) =>
  Effect.gen(function*() {
    const events = (yield* (yield* EventLog.EventLog).query({ runId })).map((stored) => stored.event)
    const progress = events.filter((event): event is RunEvent.RunEvent & { _tag: "SourceProgress" } =>
      event._tag === "SourceProgress"
    )
    assert.strictEqual(events.at(-2)?._tag, "SourceProgress", `${runId}: ${events.map((e) => e._tag).join()}`)
    return new Map(progress.at(-1)!.sources.map((figures) => [figures.source, figures]))
  })

describe("HttpSourceMonitor", () => {
  it.scoped("each run's log has its own endpoints' figures and breaker states; meta.metrics gets its totals", () =>
    Effect.gen(function*() {
      const http = yield* source
      const extract = Asset.make({
        key: "contratos",
        materialize: () =>
          Effect.gen(function*() {
            const pages = yield* Stream.runCount(http.pages({ path: "contratos", pagination: Pagination.pncp() }))
            // Two failures open the `down` endpoint's breaker; the third attempt is refused without a request.
            for (let i = 0; i < 3; i++) yield* Effect.exit(http.get({ path: "down" }))
            return { rows: pages }
          })
      })
      const graph = Either.getOrThrow(AssetGraph.make([extract]))
      const monitor = HttpSourceMonitor.layer(Effect.succeed([http]), { interval: "1 hour" })
      const run = (runId: string) =>
        Materializer.materialize(graph, { runId, force: true }).pipe(Effect.provide(monitor))

      yield* run("first")
      yield* run("second")
      for (const runId of ["first", "second"]) {
        const figures = yield* lastProgress(runId)
        const contratos = figures.get("contratos")!
        // The second run sees only its own pages, not the first run's as well.
        assert.deepInclude(contratos, { pages: 5, pagesExpected: 5, records: 23, requests: 5, breaker: "Closed" })
        // The first run's two 503s open the breaker; from then on (the second run too) `down` is refused unsent.
        assert.deepInclude(figures.get("down")!, {
          requests: runId === "first" ? 2 : 0,
          errors: 3,
          failures: 3,
          breaker: "Open"
        })
      }

      const stored = Option.getOrThrow(yield* (yield* MetricsStore.MetricsStore).load("second"))
      assert.strictEqual(stored.total.pages, 5)
      assert.strictEqual(stored.total.records, 23)
      assert.strictEqual(stored.total.failures, 3)
      assert.deepStrictEqual(stored.endpoints.map((endpoint) => endpoint.endpoint), ["contratos", "down"])
    }).pipe(Effect.provide(Stores)))

  it.scoped("with a breaker per host (the default), each endpoint's figures carry its host's breaker state", () =>
    Effect.gen(function*() {
      const http = yield* HttpSource.make({
        baseUrl: "http://api.test/v1",
        retry: RetryPolicy.none,
        circuitBreaker: { consecutiveFailures: 2, resetTimeout: "1 hour" }
      }).pipe(
        Effect.provide(
          fakeClient((url) => Effect.succeed(url.pathname.endsWith("/down") ? { status: 503 } : pncpPage(url, 3, 5)))
        )
      )
      const extract = Asset.make({
        key: "down",
        materialize: () =>
          Effect.gen(function*() {
            yield* http.get({ path: "contratos" })
            for (let i = 0; i < 2; i++) yield* Effect.exit(http.get({ path: "down" }))
            return { rows: 0 }
          })
      })
      const graph = Either.getOrThrow(AssetGraph.make([extract]))
      yield* Materializer.materialize(graph, { runId: "per-host", force: true }).pipe(
        Effect.provide(HttpSourceMonitor.layer(Effect.succeed([http]), { interval: "1 hour" }))
      )
      const figures = yield* lastProgress("per-host")
      assert.strictEqual(figures.get("down")!.breaker, "Open")
      assert.strictEqual(figures.get("contratos")!.breaker, "Open")
    }).pipe(Effect.provide(Stores)))
})
