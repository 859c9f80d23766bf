/**
 * HttpSource against a real server on 127.0.0.1 (`FaultyHttpServer`) over Node's HTTP client: real sockets, real
 * faults, real time — every test bounded in requests and in time.
 */
import { RetryPolicy } from "@baliza/core"
import { FaultyHttpServer } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Scheduler, Stream } from "effect"
import * as NodeHttp from "node:http"
import * as HttpSource from "../src/HttpSource.js"
import * as Pagination from "../src/Pagination.js"
import { pncpRoute } from "./fixtures/pncpRoute.js"

const contratacoes = { path: "contratacoes", pagination: Pagination.pncp({ pageSize: 10 }) }

const ids = (pages: Chunk.Chunk<HttpSource.Page>): ReadonlyArray<number> =>
  Chunk.toReadonlyArray(pages).flatMap((page) => {
    const json = page.json
    if (json === null || typeof json !== "object" || !("data" in json) || !Array.isArray(json.data)) return []
    return json.data.map((row: { readonly id: number }) => row.id)
  })

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

// Runs each batch of fibers from `setImmediate`: Node takes in I/O between batches.
const yieldsToIo = Scheduler.makeBatched((runBatch) => setImmediate(runBatch))

const fastRetry = RetryPolicy.make({ maxAttempts: 8, baseDelay: "5 millis", maxDelay: "40 millis" })

/** A source on a fresh server, over Node's client with a keep-alive agent. */
const setup = (
  routes: FaultyHttpServer.Routes,
  options: HttpSource.Options = {},
  faults?: FaultyHttpServer.FaultPlan
) =>
  Effect.gen(function*() {
    const server = yield* FaultyHttpServer.make({ routes, faults })
    const source = yield* HttpSource.make({ baseUrl: `${server.url}/v1/`, retry: fastRetry, ...options }).pipe(
      Effect.provide(HttpSource.nodeClient())
    )
    return { server, source }
  })

/** Bounds a test in time, so a broken expectation fails instead of hanging. */
const bounded = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.timeoutFail(self, { duration: "20 seconds", onTimeout: () => new Error("test bound exceeded") })

describe("HttpSource over 127.0.0.1", () => {
  it.scopedLive("paginates the PNCP envelope, concurrently in order and unordered", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup([pncpRoute("/v1/contratacoes", 234)], { concurrency: 4 })
      const ordered = yield* Stream.runCollect(source.pages(contratacoes))
      assert.deepStrictEqual(Chunk.toReadonlyArray(ordered).map((page) => page.page), range(24))
      assert.deepStrictEqual(ids(ordered), range(234))
      assert.strictEqual((yield* server.stats).requests, 24)

      const unordered = yield* Stream.runCollect(source.pages(contratacoes, { order: "unordered" }))
      assert.deepStrictEqual([...ids(unordered)].sort((a, b) => a - b), range(234))
      assert.strictEqual(Chunk.unsafeGet(ordered, 0).url, `${server.url}/v1/contratacoes?pagina=1&tamanhoPagina=10`)
      assert.strictEqual(Chunk.unsafeGet(ordered, 0).info.totalRecords, 234)
    })))

  it.scopedLive("as a service: layerNode provides HttpSource over Node's client", () =>
    bounded(Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes: [pncpRoute("/v1/contratacoes", 25)] })
      const count = yield* HttpSource.HttpSource.pipe(
        Effect.flatMap((source) => Stream.runCount(source.pages(contratacoes))),
        Effect.provide(HttpSource.layerNode({ baseUrl: `${server.url}/v1` }))
      )
      assert.strictEqual(count, 3)
      assert.strictEqual((yield* server.stats).requests, 3)
    })))

  it.scopedLive("a refused connection fails at once, not at its deadline, on a scheduler that yields to I/O", () =>
    bounded(Effect.gen(function*() {
      // nothing listens on port 9; one attempt, a total deadline far above a refusal's milliseconds
      const source = yield* HttpSource.make({
        baseUrl: "http://127.0.0.1:9/v1/",
        retry: RetryPolicy.make({ maxAttempts: 1 }),
        timeouts: { total: "10 seconds" }
      }).pipe(Effect.provide(HttpSource.nodeClient()))
      const error = yield* Effect.withScheduler(Effect.flip(source.get({ path: "contratacoes" })), yieldsToIo)
      assert.notStrictEqual(error.reason, "Timeout", error.message)
    })))

  it.scopedLive("a body cut after the headers without a Content-Length fails as Truncated, with its status", () =>
    bounded(Effect.gen(function*() {
      // a chunked body (no Content-Length) whose connection dies half-way through its JSON
      const server = NodeHttp.createServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.write("{\"data\":[1,2,3],\"totalPag")
        setTimeout(() => response.socket?.destroy(), 20)
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.sync(() => server.close())
      )
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const source = yield* HttpSource.make({
        baseUrl: `http://127.0.0.1:${port}/v1/`,
        retry: RetryPolicy.make({ maxAttempts: 1 })
      }).pipe(Effect.provide(HttpSource.nodeClient()))
      const error = yield* Effect.flip(source.get({ path: "contratacoes" }))
      assert.strictEqual(error.reason, "Truncated", error.message)
      assert.strictEqual(error.status, 200)
    })))

  it.scopedLive("resumes from a page; fetchPage reads one page", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup([pncpRoute("/v1/contratacoes", 95)])
      const resumed = yield* Stream.runCollect(source.pages(contratacoes, { fromPage: 8 }))
      assert.deepStrictEqual(ids(resumed), range(95).slice(70))
      const page = yield* source.fetchPage(contratacoes, 3)
      assert.deepStrictEqual(ids(Chunk.of(page)), range(30).slice(20))
      assert.strictEqual((yield* server.stats).requests, 4)
    })))

  it.scopedLive("204 is one empty page; 400 fails at once with the server's message", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup([
        pncpRoute("/v1/vazio", 0),
        pncpRoute("/v1/contratacoes", 10)
      ])
      const empty = yield* Stream.runCollect(source.pages({ path: "vazio", pagination: Pagination.pncp() }))
      assert.strictEqual(Chunk.size(empty), 1)
      assert.strictEqual(Chunk.unsafeGet(empty, 0).status, 204)
      assert.strictEqual(Chunk.unsafeGet(empty, 0).body.length, 0)

      const error = yield* Effect.flip(source.fetchPage(contratacoes, 0))
      assert.strictEqual(error.reason, "Status")
      assert.strictEqual(error.status, 400)
      assert.include(error.message, "pagina inválida: 0")
      assert.include(error.message, `${server.url}/v1/contratacoes?pagina=0&tamanhoPagina=10`)
      assert.strictEqual(error.attempts, 1)
      assert.strictEqual((yield* server.stats).requests, 2)
    })))

  describe("retries each fault kind until every page arrives", () => {
    const cases = [
      { kind: "serverError", plan: { serverErrorRate: 0.4 }, reason: "Status" },
      { kind: "truncate", plan: { truncateRate: 0.4 }, reason: "Truncated" },
      { kind: "malformed", plan: { malformedRate: 0.4 }, reason: "Decode" },
      { kind: "reset", plan: { resetRate: 0.4 }, reason: "Transport" },
      { kind: "hang", plan: { hangRate: 0.3 }, reason: "Timeout" }
    ] as const
    for (const { kind, plan, reason } of cases) {
      it.scopedLive(kind, () =>
        bounded(Effect.gen(function*() {
          const { server, source } = yield* setup(
            [pncpRoute("/v1/contratacoes", 200)],
            // no breaker: a 30-40% fault rate would (rightly) open it; here only the retries are under test
            { concurrency: 4, circuitBreaker: false, timeouts: { connect: "300 millis", total: "1 second" } },
            { seed: 42, ...plan }
          )
          const pages = yield* Stream.runCollect(source.pages(contratacoes))
          assert.deepStrictEqual(ids(pages), range(200))
          const stats = yield* server.stats
          const faults = stats.faults[kind]
          assert.isAbove(faults, 0, `the plan injected ${kind}`)
          const snapshot = yield* source.metrics.snapshot
          assert.strictEqual(snapshot.total.errors[reason], faults)
          assert.strictEqual(snapshot.total.retries, faults)
          assert.strictEqual(stats.requests, 20 + faults)
          const retried = Chunk.toReadonlyArray(pages).filter((page) => page.attempts > 1).length
          assert.isAbove(retried, 0)
        })))
    }
  })

  it.scopedLive("429 with Retry-After: 1 waits a second before the retry", () =>
    bounded(Effect.gen(function*() {
      let calls = 0
      const { server, source } = yield* setup([{
        path: "/v1/limited",
        handler: () =>
          ++calls === 1
            ? { status: 429, headers: { "retry-after": "1" }, body: { message: "slow down" } }
            : { status: 200, body: [1] }
      }])
      const page = yield* source.get({ path: "limited" })
      assert.strictEqual(page.attempts, 2)
      const log = (yield* server.stats).log
      assert.strictEqual(log.length, 2)
      const waited = log[1]!.at - log[0]!.at
      assert.isAtLeast(waited, 950)
      assert.isBelow(waited, 2_000)
      assert.deepStrictEqual((yield* source.metrics.snapshot).total.errors, { RateLimited: 1 })
    })))

  it.scopedLive("the breaker opens on an outage (requests stop reaching the server) and half-opens after cool-down", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup(
        [pncpRoute("/v1/contratacoes", 10)],
        { retry: RetryPolicy.none, circuitBreaker: { consecutiveFailures: 3, resetTimeout: "300 millis" } },
        { outage: { active: true } }
      )
      const outcomes = yield* Effect.forEach(range(10), () => Effect.flip(source.fetchPage(contratacoes, 1)))
      assert.deepStrictEqual(outcomes.map((e) => e.reason), [
        "Status",
        "Status",
        "Status",
        ...Array.from({ length: 7 }, () => "CircuitOpen")
      ])
      assert.strictEqual((yield* server.stats).requests, 3)
      assert.include(outcomes[3]!.message, "open")

      yield* server.setFaults({})
      yield* Effect.sleep("350 millis")
      const page = yield* source.fetchPage(contratacoes, 1)
      assert.strictEqual(page.status, 200)
      const breaker = (yield* source.breakers).get(new URL(server.url).host)
      assert.strictEqual(yield* breaker!.state, "Closed")
      assert.strictEqual((yield* server.stats).requests, 4)
    })))

  it.scopedLive("requests in flight never exceed the bound", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup(
        [pncpRoute("/v1/contratacoes", 400)],
        { concurrency: 5 },
        { latency: { _tag: "Fixed", ms: 20 } }
      )
      const pages = yield* Stream.runCount(source.pages(contratacoes, { concurrency: 16, order: "unordered" }))
      assert.strictEqual(pages, 40)
      const stats = yield* server.stats
      assert.strictEqual(stats.maxInFlight, 5)
    })))

  it.scopedLive("600 requests per minute for 6 seconds lands within 5% of 60 requests", () =>
    Effect.gen(function*() {
      const { server, source } = yield* setup([pncpRoute("/v1/contratacoes", 100_000)], {
        concurrency: 8,
        rateLimit: { requestsPerMinute: 600 }
      })
      const fiber = yield* Effect.fork(Stream.runDrain(source.pages(contratacoes)))
      yield* Effect.sleep("6 seconds")
      yield* Fiber.interrupt(fiber)
      const requests = (yield* server.stats).requests
      assert.isAtLeast(requests, 57)
      assert.isAtMost(requests, 63)
    }), { timeout: 20_000 })

  it.scopedLive("adaptive concurrency halves during an outage and grows back when healthy", () =>
    bounded(Effect.gen(function*() {
      const { server, source } = yield* setup(
        [pncpRoute("/v1/contratacoes", 3_000)],
        {
          concurrency: { min: 1, max: 16 },
          retry: RetryPolicy.make({ maxAttempts: 20, baseDelay: "10 millis", maxDelay: "50 millis" }),
          circuitBreaker: false
        },
        { latency: { _tag: "Fixed", ms: 5 } }
      )
      const run = yield* Effect.fork(Stream.runCount(source.pages(contratacoes)))
      const until = <A>(read: Effect.Effect<A>, done: (a: A) => boolean) => {
        const loop: Effect.Effect<A> = Effect.flatMap(
          read,
          (a) => done(a) ? Effect.succeed(a) : Effect.zipRight(Effect.sleep("10 millis"), loop)
        )
        return Effect.timeoutFail(loop, { duration: "5 seconds", onTimeout: () => new Error("condition not reached") })
      }
      yield* until(source.metrics.snapshot, (snapshot) => snapshot.total.pages >= 20)
      yield* server.setFaults({ latency: { _tag: "Fixed", ms: 5 }, outage: { active: true } })
      const during = yield* until(source.concurrency.state, (state) => state.limit <= 4)
      yield* server.setFaults({ latency: { _tag: "Fixed", ms: 5 } })
      assert.strictEqual(yield* Fiber.join(run), 300)
      const after = yield* source.concurrency.state
      assert.include(during.reason, "Status 503")
      assert.isAtLeast(after.decreases, 2)
      assert.isAtLeast(after.increases, 1)
      assert.isAbove(after.limit, during.limit)
      assert.isAtMost((yield* server.stats).maxInFlight, 16)
    })))
})
