import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Either, Exit, FastCheck as fc, Schema, Scope } from "effect"
import * as Net from "node:net"
import * as FaultyHttpServer from "../src/FaultyHttpServer.js"
import * as FaultPlan from "../src/internal/faultPlan.js"
import { Counters } from "../src/internal/faultyHttpServer.js"

const items = (request: FaultyHttpServer.Request): FaultyHttpServer.Response => ({
  status: 200,
  body: { page: Number(request.query.get("pagina") ?? "1"), data: [{ id: 1, nome: "órgão" }] }
})

const routes: FaultyHttpServer.Routes = [
  { method: "GET", path: "/items", handler: items },
  { path: /^\/slow\//, handler: () => Effect.succeed({ status: 200, body: "slow" }) },
  { path: "/boom", handler: () => Effect.fail("nope") },
  { path: "/bad-status", handler: () => ({ status: 42 }) },
  {
    path: "/throw",
    handler: () => {
      throw new Error("thrown")
    }
  }
]

const ErrorBody = Schema.Struct({ error: Schema.String, status: Schema.Number })

/** A fetch whose rejection stays in the error channel, so tests can assert on it. */
const request = (url: string, init?: RequestInit) =>
  Effect.tryPromise({ try: () => fetch(url, init), catch: (cause) => cause })

const text = (response: Response) => Effect.tryPromise({ try: () => response.text(), catch: (cause) => cause })

const statusOf = (url: string) =>
  request(url).pipe(
    Effect.flatMap((response) => text(response).pipe(Effect.as(response.status))),
    Effect.catchAll(() => Effect.succeed(-1))
  )

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls a condition on real time, at most `tries` × 10 ms. */
const eventually = <A>(read: Effect.Effect<A>, ok: (a: A) => boolean, tries = 200): Effect.Effect<A> =>
  Effect.gen(function*() {
    let value = yield* read
    for (let i = 0; i < tries && !ok(value); i++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
      value = yield* read
    }
    return value
  })

describe("FaultyHttpServer", () => {
  it.scoped("serves routes, answers 404 JSON for unknown paths and never faults them", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { serverErrorRate: 1 } })
      assert.strictEqual(server.url, `http://127.0.0.1:${server.port}`)
      const missing = yield* request(`${server.url}/nothing`)
      assert.strictEqual(missing.status, 404)
      assert.deepStrictEqual(yield* Effect.promise(() => missing.json()), {
        error: "Not Found",
        status: 404,
        path: "/nothing"
      })
      yield* server.setFaults({})
      const ok = yield* request(`${server.url}/items?pagina=3`)
      assert.strictEqual(ok.status, 200)
      assert.match(ok.headers.get("content-type") ?? "", /application\/json/)
      assert.deepStrictEqual(yield* Effect.promise(() => ok.json()), { page: 3, data: [{ id: 1, nome: "órgão" }] })
      const stats = yield* server.stats
      assert.strictEqual(stats.requests, 2)
      assert.deepStrictEqual(stats.byPath, { "/nothing": 1, "/items": 1 })
      assert.deepStrictEqual(stats.statuses, { "404": 1, "200": 1 })
      assert.strictEqual(stats.faults.serverError, 0)
      assert.deepStrictEqual(stats.log.map((e) => [e.path, e.query, e.status]), [
        ["/nothing", "", 404],
        ["/items", "pagina=3", 200]
      ])
    }))

  it.scoped("turns handler failures and throws into 500 JSON, and sends strings as text", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes })
      assert.strictEqual(yield* statusOf(`${server.url}/boom`), 500)
      assert.strictEqual(yield* statusOf(`${server.url}/throw`), 500)
      assert.strictEqual(yield* statusOf(`${server.url}/bad-status`), 500)
      const slow = yield* request(`${server.url}/slow/x`)
      assert.strictEqual(yield* text(slow), "slow")
      assert.match(slow.headers.get("content-type") ?? "", /text\/plain/)
      assert.strictEqual((yield* request(`${server.url}/items`, { method: "POST" })).status, 404)
    }))

  it.scoped("serverError answers 500/502/503/504 with a JSON body", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { seed: 3, serverErrorRate: 1 } })
      const seen = new Set<number>()
      for (let i = 0; i < 40; i++) {
        const response = yield* request(`${server.url}/items?i=${i}`)
        const body = Schema.decodeUnknownSync(ErrorBody)(yield* Effect.promise(() => response.json()))
        assert.strictEqual(body.status, response.status)
        seen.add(response.status)
      }
      assert.deepStrictEqual([...seen].sort(), [500, 502, 503, 504])
      assert.strictEqual((yield* server.stats).faults.serverError, 40)
    }))

  it.scoped("rateLimit answers 429 with Retry-After", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { rateLimitRate: 1, retryAfterSeconds: 7 } })
      const response = yield* request(`${server.url}/items`)
      assert.strictEqual(response.status, 429)
      assert.strictEqual(response.headers.get("retry-after"), "7")
      const stats = yield* server.stats
      assert.strictEqual(stats.faults.rateLimit, 1)
      assert.strictEqual(stats.log[0].status, "rateLimit")
      assert.strictEqual(stats.log[0].httpStatus, 429)
    }))

  it.scoped("hang never answers: the client's AbortSignal.timeout ends it and it leaves flight", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { hangRate: 1 } })
      const started = Date.now()
      const error = yield* Effect.flip(request(`${server.url}/items`, { signal: AbortSignal.timeout(150) }))
      assert.isTrue(error instanceof DOMException && error.name === "TimeoutError")
      assert.isAtLeast(Date.now() - started, 140)
      const stats = yield* eventually(server.stats, (s) => s.inFlight === 0)
      assert.strictEqual(stats.inFlight, 0)
      assert.strictEqual(stats.faults.hang, 1)
    }))

  it.scoped("truncate sends a Content-Length then half the body: reading the body fails", () =>
    Effect.gen(function*() {
      const big = { data: Array.from({ length: 500 }, (_, i) => ({ i, text: "x".repeat(20) })) }
      const server = yield* FaultyHttpServer.make({
        routes: [{ path: "/big", handler: () => ({ status: 200, body: big }) }],
        faults: { truncateRate: 1 }
      })
      const response = yield* request(`${server.url}/big`)
      assert.strictEqual(response.status, 200)
      assert.strictEqual(Number(response.headers.get("content-length")), JSON.stringify(big).length)
      const failure = yield* Effect.either(text(response))
      assert.isTrue(Either.isLeft(failure))
      assert.strictEqual((yield* server.stats).faults.truncate, 1)
    }))

  it.scoped("malformed answers 200 application/json that JSON.parse rejects", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { malformedRate: 1 } })
      const response = yield* request(`${server.url}/items`)
      assert.strictEqual(response.status, 200)
      assert.match(response.headers.get("content-type") ?? "", /application\/json/)
      const body = yield* text(response)
      assert.throws(() => JSON.parse(body))
    }))

  it.scoped("reset destroys the socket before any response: fetch rejects", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { resetRate: 1 } })
      const error = yield* Effect.flip(request(`${server.url}/items`))
      assert.instanceOf(error, TypeError)
      const stats = yield* eventually(server.stats, (s) => s.inFlight === 0)
      assert.strictEqual(stats.faults.reset, 1)
      assert.strictEqual(stats.log[0].httpStatus, null)
    }))

  it.scoped("drift rewrites JSON payloads and is counted", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({
        routes,
        faults: { drift: (body, req) => ({ wrapped: body, path: req.path }) }
      })
      const response = yield* request(`${server.url}/items`)
      const body = yield* Effect.promise(() => response.json())
      assert.deepStrictEqual(body, { wrapped: { page: 1, data: [{ id: 1, nome: "órgão" }] }, path: "/items" })
      assert.strictEqual(yield* text(yield* request(`${server.url}/slow/a`)), "slow")
      assert.strictEqual((yield* server.stats).drifted, 1)
    }))

  it.scoped("latency delays responses on real time, even under TestClock", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { latency: { _tag: "Fixed", ms: 120 } } })
      const started = Date.now()
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 200)
      assert.isAtLeast(Date.now() - started, 110)
      assert.strictEqual((yield* server.stats).log[0].latencyMs, 120)
    }))

  it.scoped("setFaults switches faults and outages on and off mid-test", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes })
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 200)
      yield* server.setFaults({ outage: { active: true } })
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 503)
      assert.strictEqual(yield* statusOf(`${server.url}/missing`), 404)
      yield* server.setFaults({ rateLimitRate: 1 })
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 429)
      yield* server.setFaults({ outage: { active: false } })
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 200)
      const stats = yield* server.stats
      assert.strictEqual(stats.faults.outage, 1)
      assert.strictEqual(stats.faults.rateLimit, 1)
      yield* server.resetStats
      const reset = yield* server.stats
      assert.strictEqual(reset.requests, 0)
      assert.strictEqual(reset.log.length, 0)
    }))

  it.scoped("an outage window relative to server start answers 503, then ends", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { outage: { fromMs: 0, durationMs: 250 } } })
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 503)
      const after = yield* eventually(statusOf(`${server.url}/items`), (s) => s === 200, 100)
      assert.strictEqual(after, 200)
    }))

  it.scoped("a retried URL eventually passes", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({
        routes,
        faults: { seed: 11, serverErrorRate: 0.6, rateLimitRate: 0.3 }
      })
      let attempts = 0
      let status = 0
      while (status !== 200 && attempts < 200) {
        attempts++
        status = yield* statusOf(`${server.url}/items?pagina=9`)
      }
      assert.strictEqual(status, 200)
      const log = (yield* server.stats).log
      assert.deepStrictEqual(log.map((e) => e.n), Array.from({ length: attempts }, (_, i) => i))
    }))

  const mixed: FaultyHttpServer.FaultPlan = {
    seed: 42,
    serverErrorRate: 0.2,
    rateLimitRate: 0.1,
    malformedRate: 0.1,
    truncateRate: 0.1,
    resetRate: 0.1
  }
  const urls = Array.from({ length: 12 }, (_, i) => `/items?pagina=${i}&tamanho=50`)

  const outcomes = (server: FaultyHttpServer.FaultyHttpServer) =>
    Effect.map(server.stats, (stats) => {
      const byUrl: Record<string, Array<string | number>> = {}
      for (const e of stats.log) (byUrl[`${e.path}?${e.query}`] ??= [])[e.n] = e.status
      return byUrl
    })

  it.scoped("same seed and same request sequence give the same outcomes", () =>
    Effect.gen(function*() {
      const run = Effect.gen(function*() {
        const server = yield* FaultyHttpServer.make({ routes, faults: mixed })
        for (let round = 0; round < 3; round++) {
          for (const url of urls) yield* statusOf(`${server.url}${url}`)
        }
        return (yield* server.stats).log.map((e) => e.status)
      })
      const first = yield* run
      const second = yield* run
      assert.deepStrictEqual(first, second)
      assert.isAbove(new Set(first).size, 3, "the plan should produce a mix of outcomes")
    }))

  it.scoped("different interleavings of distinct URLs give the same per-URL outcomes", () =>
    Effect.gen(function*() {
      const a = yield* FaultyHttpServer.make({ routes, faults: mixed })
      const b = yield* FaultyHttpServer.make({ routes, faults: mixed })
      for (let round = 0; round < 3; round++) {
        for (const url of urls) yield* statusOf(`${a.url}${url}`)
      }
      // Each URL's three requests stay in order; across URLs they run concurrently, in reverse.
      yield* Effect.forEach(
        [...urls].reverse(),
        (url) => Effect.forEach([0, 1, 2], () => statusOf(`${b.url}${url}`), { discard: true }),
        { concurrency: "unbounded", discard: true }
      )
      const fromA = yield* outcomes(a)
      assert.strictEqual(Object.keys(fromA).length, urls.length)
      assert.deepStrictEqual(yield* outcomes(b), fromA)
    }))

  it.scoped("maxInFlight counts 20 concurrent slow requests", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { latency: { _tag: "Fixed", ms: 200 } } })
      const statuses = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => statusOf(`${server.url}/items?i=${i}`),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(statuses, Array.from({ length: 20 }, () => 200))
      const stats = yield* eventually(server.stats, (s) => s.inFlight === 0)
      assert.strictEqual(stats.maxInFlight, 20)
      assert.strictEqual(stats.inFlight, 0)
    }))

  it.effect("closing the scope ends hung requests and frees the port", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const server = yield* FaultyHttpServer.make({ routes, faults: { hangRate: 1 } }).pipe(Scope.extend(scope))
      const pending = fetch(`${server.url}/items`)
      yield* eventually(server.stats, (s) => s.inFlight === 1)
      yield* Scope.close(scope, Exit.void)
      const outcome = yield* Effect.either(Effect.tryPromise(() => pending))
      assert.isTrue(Either.isLeft(outcome))
      const rebound = yield* Effect.async<boolean>((resume) => {
        const probe = Net.createServer()
        probe.once("error", () => resume(Effect.succeed(false)))
        probe.listen(server.port, "127.0.0.1", () => probe.close(() => resume(Effect.succeed(true))))
      })
      assert.isTrue(rebound)
    }))
})

describe("FaultyHttpServer shutdown", () => {
  it.effect(
    "closing the scope stops accepting, then interrupts every handler, one that arrived meanwhile too",
    () =>
      Effect.gen(function*() {
        const scope = yield* Scope.make()
        const server = yield* FaultyHttpServer.make({
          routes: [
            // a handler whose clean-up takes a while once interrupted
            {
              path: "/cleanup",
              handler: () => Effect.never.pipe(Effect.onInterrupt(() => Effect.promise(() => sleep(400))))
            },
            { path: "/slow", handler: () => Effect.as(Effect.sleep("6 seconds"), { status: 200, body: "late" }) }
          ]
        }).pipe(Scope.extend(scope))
        const controller = new AbortController()
        const settled = (url: string) =>
          fetch(url, { signal: controller.signal }).then(() => "answered", () => "failed")
        const cleanup = settled(`${server.url}/cleanup`)
        yield* eventually(server.stats, (s) => s.inFlight === 1)
        const started = Date.now()
        const closing = Effect.runPromise(Scope.close(scope, Exit.void))
        // a client that keeps asking while the server closes
        yield* Effect.promise(() => sleep(100))
        const slow = settled(`${server.url}/slow`)
        const closedWithin = yield* Effect.promise(() =>
          Promise.race([closing.then(() => Date.now() - started), sleep(3_000).then(() => -1)])
        )
        controller.abort()
        yield* Effect.promise(() => closing)
        assert.isAtLeast(closedWithin, 0, "the close waited for a handler that started during it")
        assert.deepStrictEqual(yield* Effect.promise(() => Promise.all([cleanup, slow])), ["failed", "failed"])
      }),
    15_000
  )
})

describe("FaultyHttpServer stats", () => {
  it.effect("a client that left during latency is logged as 499 with nothing sent, and counts no status", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { latency: { _tag: "Fixed", ms: 300 } } })
      const outcome = yield* Effect.either(request(`${server.url}/items`, { signal: AbortSignal.timeout(50) }))
      assert.isTrue(Either.isLeft(outcome))
      const stats = yield* eventually(server.stats, (s) => s.log.length === 1)
      assert.deepStrictEqual(
        [stats.log[0]?.status, stats.log[0]?.httpStatus, stats.log[0]?.latencyMs, stats.statuses],
        [499, null, 300, {}]
      )
    })))

  it("keep the log bounded to the last 10,000 requests", () => {
    const counters = new Counters()
    for (let n = 0; n < 12_345; n++) {
      counters.record({ method: "GET", path: "/x", query: "", n, status: 200, httpStatus: 200, latencyMs: 0, at: n })
    }
    const stats = counters.snapshot()
    assert.strictEqual(stats.log.length, 10_000)
    assert.strictEqual(stats.log[0].n, 2_345)
    assert.strictEqual(stats.log[9_999].n, 12_344)
    assert.strictEqual(stats.statuses["200"], 12_345)
  })
})

describe("FaultPlan checks", () => {
  const bad: ReadonlyArray<readonly [FaultyHttpServer.FaultPlan, string, string]> = [
    [{ retryAfterSeconds: Number.NaN }, "retryAfterSeconds", "retryAfterSeconds is NaN"],
    [{ retryAfterSeconds: -1 }, "retryAfterSeconds", "retryAfterSeconds is -1"],
    [{ serverErrorRate: Number.NaN }, "serverErrorRate", "serverErrorRate is NaN"],
    [{ rateLimitRate: 1.5 }, "rateLimitRate", "rateLimitRate is 1.5; a rate is a probability between 0 and 1"],
    [{ hangRate: -0.1 }, "hangRate", "hangRate is -0.1"],
    [{ resetRate: Number.POSITIVE_INFINITY }, "resetRate", "resetRate is Infinity"],
    [{ latency: { _tag: "Fixed", ms: -5 } }, "latency.ms", "latency.ms is -5"],
    [{ latency: { _tag: "Uniform", min: 0, max: Number.NaN } }, "latency.max", "latency.max is NaN"],
    [{ latency: { _tag: "LongTail", median: 10, p99: Number.POSITIVE_INFINITY } }, "latency.p99", "is Infinity"],
    [{ outage: { fromMs: 0, durationMs: Number.NaN } }, "outage.durationMs", "outage.durationMs is NaN"],
    [{ outage: { fromMs: -1, durationMs: 10 } }, "outage.fromMs", "outage.fromMs is -1"]
  ]

  it.effect("make refuses a plan with a bad rate, latency, duration or Retry-After, naming the field", () =>
    Effect.gen(function*() {
      for (const [faults, field, said] of bad) {
        const error = yield* Effect.flip(Effect.scoped(FaultyHttpServer.make({ routes, faults })))
        assert.isTrue(FaultyHttpServer.isFaultyHttpServerError(error))
        assert.strictEqual(error.reason, "InvalidFaultPlan")
        assert.strictEqual(error.field, field)
        assert.include(error.message, said)
      }
      // the edges are fine
      yield* Effect.scoped(FaultyHttpServer.make({
        routes,
        faults: { serverErrorRate: 0, hangRate: 1, retryAfterSeconds: 0, latency: { _tag: "Fixed", ms: 0 } }
      }))
    }))

  it.scoped("setFaults refuses a bad plan and keeps the one in force", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.make({ routes, faults: { rateLimitRate: 1, retryAfterSeconds: 7 } })
      for (const [faults, field] of bad) {
        const error = yield* Effect.flip(server.setFaults(faults))
        assert.strictEqual(error.field, field)
      }
      const response = yield* request(`${server.url}/items`)
      yield* text(response)
      assert.deepStrictEqual([response.status, response.headers.get("retry-after")], [429, "7"])
    }))
})

describe("FaultPlan decisions", () => {
  it.prop(
    "are a pure function of seed, URL and n",
    [fc.integer(), fc.string(), fc.nat({ max: 1000 })],
    ([seed, path, n]) => {
      const plan = { seed, serverErrorRate: 0.3, hangRate: 0.2, latency: { _tag: "Uniform", min: 5, max: 50 } } as const
      const a = FaultPlan.decide(plan, `GET /${path}`, n, 0)
      const b = FaultPlan.decide(plan, `GET /${path}`, n, 0)
      assert.deepStrictEqual(a, b)
      assert.isTrue(a.latencyMs >= 5 && a.latencyMs <= 50)
    }
  )

  it("follow the rates and the long-tail latency shape", () => {
    const plan: FaultyHttpServer.FaultPlan = {
      seed: 5,
      serverErrorRate: 0.2,
      resetRate: 0.1,
      latency: { _tag: "LongTail", median: 20, p99: 400 }
    }
    const decisions = Array.from({ length: 20_000 }, (_, n) => FaultPlan.decide(plan, "GET /x", n, 0))
    const share = (kind: FaultyHttpServer.FaultKind) =>
      decisions.filter((d) => d.fault === kind).length / decisions.length
    assert.closeTo(share("serverError"), 0.2, 0.015)
    assert.closeTo(share("reset"), 0.1, 0.015)
    const latencies = decisions.map((d) => d.latencyMs).sort((x, y) => x - y)
    assert.closeTo(latencies[10_000], 20, 2)
    assert.closeTo(latencies[19_800], 400, 60)
    assert.isAtMost(latencies[19_999], 4_000)
  })

  it("sorts the query so parameter order does not change a URL's identity", () => {
    const a = FaultPlan.requestKey("GET", "/x", new URLSearchParams("b=2&a=1&a=0"))
    const b = FaultPlan.requestKey("GET", "/x", new URLSearchParams("a=0&a=1&b=2"))
    assert.strictEqual(a, b)
    assert.strictEqual(a, "GET /x?a=0&a=1&b=2")
  })
})

layer(FaultyHttpServer.layer({ routes, faults: { seed: 1 } }))("FaultyHttpServer.layer", (it) => {
  it.effect("provides a running server as a service", () =>
    Effect.gen(function*() {
      const server = yield* FaultyHttpServer.FaultyHttpServer
      assert.strictEqual(yield* statusOf(`${server.url}/items`), 200)
    }))
})
