/**
 * The storage services together, fed by a real `HttpSource` over a PNCP-like server on 127.0.0.1.
 */
import { RetryPolicy } from "@baliza/core"
import { DuckDB, Migrations, Staging } from "@baliza/duckdb"
import { FaultyHttpServer } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Layer, Option, Schema } from "effect"
import * as ExtractStore from "../src/ExtractStore.js"
import * as FailedRequests from "../src/FailedRequests.js"
import * as HttpSource from "../src/HttpSource.js"
import * as PageCheckpoint from "../src/PageCheckpoint.js"
import * as Pagination from "../src/Pagination.js"
import * as RawArchive from "../src/RawArchive.js"
import { pncpEnvelope } from "./fixtures/fakeClient.js"
import { pncpRoute } from "./fixtures/pncpRoute.js"

const Store = ExtractStore.layer().pipe(Layer.provideMerge(DuckDB.layerMemory))

/** Stages the `id` of every record archived for `endpoint` into `target`; the rows staged. */
const stageIds = (endpoint: string, target: string) =>
  Staging.stageJsonPages({
    source: "raw.api_pages",
    payload: "payload",
    schema: Schema.Struct({ id: Schema.Number }),
    target,
    where: `endpoint = '${endpoint}'`
  })

describe("ExtractStore", () => {
  it.scopedLive("HttpSource pages → archive + checkpoints: a capped run, a resumed unordered run, then staging", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes: [pncpRoute("/v1/contratos", 95)] })
      const source = yield* HttpSource.make({
        baseUrl: `${server.url}/v1/`,
        retry: RetryPolicy.make({ maxAttempts: 3, baseDelay: "5 millis" }),
        concurrency: 3
      }).pipe(Effect.provide(HttpSource.nodeClient()))
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = { path: "contratos", params: { dataInicial: "20240102" }, pagination: Pagination.pncp() }
      const options = { endpoint: "contratos", partitionKey: "2024-01-02", checkpointEvery: 3 }

      const first = yield* checkpoints.archivePages(source.pages(endpoint), { ...options, batchSize: 4 })
      assert.strictEqual(first.pages, 4)
      assert.isFalse(first.checkpoint.completed)
      const from = Option.getOrThrow(yield* checkpoints.nextPage("contratos", "2024-01-02"))
      assert.strictEqual(from, 5)

      const rest = yield* checkpoints.archivePages(
        source.pages(endpoint, { fromPage: from, order: "unordered" }),
        options
      )
      assert.strictEqual(rest.pages, 6)
      assert.isTrue(rest.checkpoint.completed)
      assert.strictEqual(rest.checkpoint.totalPages, 10)

      const archive = yield* RawArchive.RawArchive
      const requests = yield* archive.requests({ endpoint: "contratos", partitionKey: "2024-01-02" })
      assert.deepStrictEqual(requests.map((r) => r.page).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      assert.deepStrictEqual(requests.find((r) => r.page === 7)?.params, {
        dataInicial: "20240102",
        pagina: "7"
      })
      assert.strictEqual(yield* stageIds("contratos", "staged_ids"), 95)
      const [{ distinct }] = yield* DuckDB.query("SELECT count(DISTINCT id) AS distinct FROM staged_ids")
      assert.strictEqual(distinct, 95)
    }).pipe(Effect.provide(Store)))

  it.scopedLive("a resume skips the pages an unordered run archived past a gap: each page is fetched once", () =>
    Effect.gen(function*() {
      const route = pncpRoute("/v1/contratos", 50)
      // page 2 is refused once, late: pages 3..5 are archived before it fails
      let refused = false
      const requested: Array<number> = []
      const server = yield* FaultyHttpServer.make({
        routes: [{
          path: route.path,
          handler: (request) => {
            const page = Number(request.query.get("pagina") ?? "1")
            requested.push(page)
            if (page === 2 && !refused) {
              refused = true
              return Effect.as(Effect.sleep("300 millis"), { status: 400, body: { message: "erro" } })
            }
            return route.handler(request)
          }
        }]
      })
      const source = yield* HttpSource.make({
        baseUrl: `${server.url}/v1/`,
        retry: RetryPolicy.make({ maxAttempts: 1 }),
        concurrency: 4
      }).pipe(Effect.provide(HttpSource.nodeClient()))
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = { path: "contratos", params: { dataInicial: "20240103" }, pagination: Pagination.pncp() }
      const options = { endpoint: "contratos", partitionKey: "2024-01-03", checkpointEvery: 1 }
      const failed = yield* Effect.exit(
        checkpoints.archivePages(source.pages(endpoint, { order: "unordered" }), options)
      )
      assert.isTrue(Exit.isFailure(failed))
      const stored = Option.getOrThrow(yield* checkpoints.resumePoint("contratos", "2024-01-03"))
      assert.deepStrictEqual([stored.lastPage, stored.pendingPages], [1, [3, 4, 5]])
      requested.length = 0
      const rest = yield* checkpoints.archivePages(
        source.pages(endpoint, { fromPage: stored.lastPage + 1, skipPages: stored.pendingPages, order: "unordered" }),
        { ...options, stored: Option.some(stored) }
      )
      assert.deepStrictEqual(requested, [2])
      assert.deepStrictEqual([rest.pages, rest.skipped, rest.checkpoint.completed], [1, 0, true])
    }).pipe(Effect.provide(Store)))

  it.scopedLive("without totals, a stream cut by maxPages leaves the series open; the page that ends it completes it", () =>
    Effect.gen(function*() {
      // 5 pages of records as bare arrays, then an empty one: no envelope, no totals
      const server = yield* FaultyHttpServer.make({
        routes: [{
          path: "/v1/itens",
          handler: (request) => {
            const page = Number(request.query.get("page") ?? "1")
            return { status: 200, body: page > 5 ? [] : [{ id: 2 * page - 1 }, { id: 2 * page }] }
          }
        }]
      })
      const source = yield* HttpSource.make({ baseUrl: `${server.url}/v1/`, concurrency: 1 }).pipe(
        Effect.provide(HttpSource.nodeClient())
      )
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const endpoint = { path: "itens", pagination: Pagination.pageNumber() }
      const options = { endpoint: "itens", partitionKey: "all", checkpointEvery: 2 }
      const cut = yield* checkpoints.archivePages(source.pages(endpoint, { maxPages: 2 }), options)
      assert.deepStrictEqual([cut.pages, cut.checkpoint.completed], [2, false])
      assert.deepStrictEqual(yield* checkpoints.nextPage("itens", "all"), Option.some(3))
      const rest = yield* checkpoints.archivePages(source.pages(endpoint, { fromPage: 3 }), options)
      assert.deepStrictEqual([rest.pages, rest.checkpoint.completed], [4, true])
      assert.deepStrictEqual(yield* checkpoints.nextPage("itens", "all"), Option.none())
    }).pipe(Effect.provide(Store)))

  it.scopedLive("pages numbered from 0: the series completes at its last page, and a fresh one starts at page 0", () =>
    Effect.gen(function*() {
      const requested: Array<number> = []
      const server = yield* FaultyHttpServer.make({
        routes: [{
          path: "/v1/atas",
          handler: (request) => {
            const page = Number(request.query.get("page") ?? "0")
            requested.push(page)
            // pncpEnvelope numbers pages from 1: page n here is its page n + 1
            return page > 2 ? { status: 204 } : pncpEnvelope(page + 1, 2, 6)
          }
        }]
      })
      const source = yield* HttpSource.make({ baseUrl: `${server.url}/v1/`, concurrency: 2 }).pipe(
        Effect.provide(HttpSource.nodeClient())
      )
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const pagination = Pagination.pageNumber({ firstPage: 0, info: Pagination.pncpInfo })
      const from = Option.getOrThrow(yield* checkpoints.nextPage("atas", "zero", 0))
      assert.strictEqual(from, 0)
      const result = yield* checkpoints.archivePages(
        source.pages({ path: "atas", pagination }, { fromPage: from }),
        { endpoint: "atas", partitionKey: "zero", firstPage: 0 }
      )
      assert.deepStrictEqual([result.pages, result.records, result.checkpoint.completed], [3, 6, true])
      assert.deepStrictEqual(yield* checkpoints.nextPage("atas", "zero", 0), Option.none())
      assert.deepStrictEqual(requested.sort(), [0, 1, 2])
    }).pipe(Effect.provide(Store)))

  it.scopedLive("a cursor series resumed from its checkpoint's cursor and page archives every record once", () =>
    Effect.gen(function*() {
      // 6 pages c0..c5, record id k + 1 on page ck; c3 is refused once
      let refused = false
      const server = yield* FaultyHttpServer.make({
        routes: [{
          path: "/v1/eventos",
          handler: (request) => {
            const k = Number((request.query.get("cursor") ?? "c0").slice(1))
            if (k === 3 && !refused) {
              refused = true
              return { status: 400, body: { message: "erro" } }
            }
            return { status: 200, body: { data: [{ id: k + 1 }], next: k < 5 ? `c${k + 1}` : null } }
          }
        }]
      })
      const source = yield* HttpSource.make({
        baseUrl: `${server.url}/v1/`,
        retry: RetryPolicy.make({ maxAttempts: 1 })
      })
        .pipe(Effect.provide(HttpSource.nodeClient()))
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const cursorOf = (initialCursor?: string) =>
        Pagination.cursor({
          initialCursor,
          nextCursor: (json) => Option.fromNullable(Object(json).next as string | null).pipe(Option.filter(Boolean))
        })
      const options = { endpoint: "eventos", partitionKey: "all", checkpointEvery: 1 }
      const first = yield* Effect.exit(
        checkpoints.archivePages(source.pages({ path: "eventos", pagination: cursorOf() }), options)
      )
      assert.isTrue(Exit.isFailure(first))
      const stored = Option.getOrThrow(yield* checkpoints.resumePoint("eventos", "all"))
      assert.deepStrictEqual([stored.lastPage, stored.lastCursor], [3, "c2"])
      const rest = yield* checkpoints.archivePages(
        source.pages(
          { path: "eventos", pagination: cursorOf(stored.lastCursor ?? undefined) },
          { fromPage: stored.lastPage }
        ),
        { ...options, stored: Option.some(stored) }
      )
      assert.isTrue(rest.checkpoint.completed)
      assert.strictEqual(yield* stageIds("eventos", "eventos_ids"), 6)
      const ids = yield* DuckDB.query("SELECT id FROM eventos_ids ORDER BY id")
      assert.deepStrictEqual(ids.map((row) => Number(row.id)), [1, 2, 3, 4, 5, 6])
    }).pipe(Effect.provide(Store)))

  it.scopedLive(
    "2,000 pages through 5% 5xx, 2% 429, 1% hangs, truncations and malformed bodies: each archived once",
    () =>
      Effect.gen(function*() {
        const total = 2_000
        const server = yield* FaultyHttpServer.make({
          routes: [pncpRoute("/v1/contratos", total)],
          faults: {
            seed: 2024,
            serverErrorRate: 0.05,
            rateLimitRate: 0.02,
            retryAfterSeconds: 1,
            hangRate: 0.01,
            truncateRate: 0.01,
            malformedRate: 0.01
          }
        })
        const source = yield* HttpSource.make({
          baseUrl: `${server.url}/v1/`,
          timeouts: { read: "400 millis", total: "2 seconds" },
          retry: RetryPolicy.make({ maxAttempts: 10, baseDelay: "10 millis", maxDelay: "200 millis" }),
          circuitBreaker: false,
          concurrency: 16
        }).pipe(Effect.provide(HttpSource.nodeClient()))
        const checkpoints = yield* PageCheckpoint.PageCheckpoint
        const endpoint = { path: "contratos", pagination: Pagination.pncp({ pageSize: 1 }) }
        const result = yield* checkpoints.archivePages(source.pages(endpoint, { order: "unordered" }), {
          endpoint: "contratos-faults",
          partitionKey: "2024-01-03",
          checkpointEvery: 50
        })
        assert.strictEqual(result.pages, total)
        assert.isTrue(result.checkpoint.completed)

        const stats = yield* server.stats
        // The faults did happen: every kind was injected at least once.
        for (const kind of ["serverError", "rateLimit", "hang", "truncate", "malformed"] as const) {
          assert.isAbove(stats.faults[kind] ?? 0, 0, kind)
        }
        const archive = yield* RawArchive.RawArchive
        const requests = yield* archive.requests({ endpoint: "contratos-faults", partitionKey: "2024-01-03" })
        const pages = requests.map((r) => r.page).sort((a, b) => a - b)
        assert.deepStrictEqual(pages, Array.from({ length: total }, (_, i) => i + 1))
        // Ground truth: page n holds exactly record n, and no payload is stored twice.
        const [{ ids, n, payloads }] = yield* DuckDB.query(`
        SELECT count(*) AS n, count(DISTINCT payload_sha256) AS payloads,
               count(DISTINCT (payload::JSON -> '$.data[0].id')::INTEGER) AS ids
        FROM raw.api_pages WHERE endpoint = 'contratos-faults'`)
        assert.deepStrictEqual([n, payloads, ids], [total, total, total])
      }).pipe(Effect.provide(Store)),
    { timeout: 120_000 }
  )

  it.scopedLive("an HttpError is recorded as a failed request and retried alone", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes: [pncpRoute("/v1/contratos", 30)] })
      const source = yield* HttpSource.make({ baseUrl: `${server.url}/v1/` }).pipe(
        Effect.provide(HttpSource.nodeClient())
      )
      const failed = yield* FailedRequests.FailedRequests
      const endpoint = { path: "contratos", pagination: Pagination.pncp() }
      const error = yield* Effect.flip(source.fetchPage(endpoint, 0))
      const recorded = yield* failed.record({ endpoint: "contratos", params: { pagina: 0 } }, error)
      assert.strictEqual(recorded.reason, "Status")
      assert.include(recorded.lastError, "pagina inválida: 0")
      const summary = yield* failed.retry((request) =>
        source.fetchPage(endpoint, Math.max(1, Number(request.params.pagina)))
      )
      assert.deepStrictEqual(summary, { retried: 1, resolved: 1, failed: 0 })
    }).pipe(Effect.provide(Store)))

  it.scopedLive("an outage opens the breaker: partitions are recorded as failed (not lost) and retried to completion", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({
        routes: [pncpRoute("/v1/contratos", 40)],
        faults: { outage: { active: true } }
      })
      const source = yield* HttpSource.make({
        baseUrl: `${server.url}/v1/`,
        retry: RetryPolicy.make({ maxAttempts: 2, baseDelay: "5 millis" }),
        // a cool-down long enough that a loaded machine does not half-open the breaker before the 6th partition
        circuitBreaker: { consecutiveFailures: 4, resetTimeout: "1 second" }
      }).pipe(Effect.provide(HttpSource.nodeClient()))
      const checkpoints = yield* PageCheckpoint.PageCheckpoint
      const failed = yield* FailedRequests.FailedRequests
      const days = ["2024-02-01", "2024-02-02", "2024-02-03", "2024-02-04", "2024-02-05", "2024-02-06"]
      const extract = (day: string) => {
        const params = { dataInicial: day.replaceAll("-", ""), dataFinal: day.replaceAll("-", "") }
        return failed.track(
          { endpoint: "contratos", params, partitionKey: day },
          checkpoints.archivePages(
            source.pages({ path: "contratos", params, pagination: Pagination.pncp() }),
            { endpoint: "contratos", partitionKey: day }
          )
        )
      }

      // The run goes on through every partition: each failure is recorded, none crashes the others.
      const outcomes = yield* Effect.forEach(days, (day) => Effect.either(extract(day)))
      assert.isTrue(outcomes.every(Either.isLeft))
      // 2 partitions × 2 attempts open the breaker; later partitions fail fast without reaching the server.
      assert.strictEqual((yield* server.stats).requests, 4)
      const open = yield* failed.list({ unresolved: true, endpoint: "contratos" })
      assert.deepStrictEqual(open.map((f) => f.partitionKey), days)
      assert.deepStrictEqual(open.map((f) => f.reason), ["Status", "Status", ...days.slice(2).map(() => "CircuitOpen")])

      // The server recovers; after the cool-down the breaker half-opens and the failed partitions are retried.
      yield* server.setFaults({})
      yield* Effect.sleep("1050 millis")
      const summary = yield* failed.retry((request) => extract(request.partitionKey ?? ""))
      assert.deepStrictEqual(summary, { retried: days.length, resolved: days.length, failed: 0 })
      assert.strictEqual((yield* failed.list({ unresolved: true })).length, 0)
      const archive = yield* RawArchive.RawArchive
      for (const day of days) {
        const pages = yield* archive.requests({ endpoint: "contratos", partitionKey: day })
        assert.strictEqual(pages.length, 4, day)
      }
      const breaker = (yield* source.breakers).get(new URL(server.url).host)
      assert.strictEqual(yield* breaker!.state, "Closed")
    }).pipe(Effect.provide(Store)))

  it.effect("the migration sets are idempotent", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Migrations.run(ExtractStore.migrations), [])
      const tables = yield* DuckDB.query(
        "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE schema_name IN ('raw', 'meta') ORDER BY 1"
      )
      const names = tables.map((row) => String(row.t))
      for (
        const table of [
          "raw.payload_index",
          "raw.payload_segment_0",
          "raw.api_requests",
          "meta.page_checkpoints",
          "meta.response_cache",
          "meta.bookmarks",
          "meta.failed_requests",
          "meta.metrics"
        ]
      ) assert.include(names, table)
    }).pipe(Effect.provide(Store)))
})
