import { CircuitBreaker, RetryPolicy } from "@baliza/core"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Exit, Fiber, Option, Ref, Stream, TestClock } from "effect"
import * as Zlib from "node:zlib"
import * as HttpError from "../src/HttpError.js"
import * as HttpSource from "../src/HttpSource.js"
import * as Paging from "../src/internal/paging.js"
import * as Pagination from "../src/Pagination.js"
import { fakeClient, type FakeHandler, type FakeResponse, pncpPage } from "./fixtures/fakeClient.js"

const noJitter = (options: RetryPolicy.Options = {}) => RetryPolicy.make({ jitter: 0, ...options })

/** A source over a fake client whose calls are logged with their (test) time. */
const sourceWith = (handler: FakeHandler, options: HttpSource.Options = {}) =>
  Effect.gen(function*() {
    const calls = yield* Ref.make<ReadonlyArray<{ readonly at: number; readonly url: URL }>>([])
    const logged: FakeHandler = (url) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((at) => Ref.update(calls, (all) => [...all, { at, url }])),
        Effect.zipRight(handler(url))
      )
    const source = yield* HttpSource.make({ baseUrl: "http://api.test/v1", ...options }).pipe(
      Effect.provide(fakeClient(logged))
    )
    return { source, calls: Ref.get(calls) }
  })

/** Answers from a script, one response per call (the last one repeats). */
const scripted = (script: ReadonlyArray<FakeResponse | "reset">): Effect.Effect<FakeHandler> =>
  Effect.map(Ref.make(0), (count) => () =>
    Ref.getAndUpdate(count, (n) => n + 1).pipe(
      Effect.map((n) => script[Math.min(n, script.length - 1)] ?? { status: 500 })
    ))

const ok = { status: 200, body: { data: [{ id: 1 }] } } as const

const failureOf = <A>(exit: Exit.Exit<A, HttpError.HttpError>): HttpError.HttpError => {
  if (Exit.isSuccess(exit)) assert.fail("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (error === undefined) assert.fail(`expected a typed failure, got ${exit.cause._tag}`)
  return error
}

describe("HttpSource", () => {
  describe("a single request", () => {
    it.scoped("returns status, headers, etag, raw bytes, parsed JSON and one attempt", () =>
      Effect.gen(function*() {
        const { source } = yield* sourceWith(() =>
          Effect.succeed({ status: 200, headers: { etag: "\"abc\"" }, body: { data: [{ id: 1 }, { id: 2 }] } })
        )
        const page = yield* source.get({ path: "items", params: { q: "x y", skip: undefined, n: 3 } })
        assert.strictEqual(page.url, "http://api.test/v1/items?q=x+y&n=3")
        assert.deepStrictEqual(page.params, { q: "x y", n: "3" })
        assert.strictEqual(page.status, 200)
        assert.strictEqual(page.etag, "\"abc\"")
        assert.strictEqual(new TextDecoder().decode(page.body), JSON.stringify({ data: [{ id: 1 }, { id: 2 }] }))
        assert.deepStrictEqual(page.json, { data: [{ id: 1 }, { id: 2 }] })
        assert.strictEqual(page.info.records, 2)
        assert.strictEqual(page.attempts, 1)
        assert.strictEqual(page.endpoint, "items")
      }))

    it.scoped("a 400 is not retried and names the URL and the server's message", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(() =>
          Effect.succeed({ status: 400, body: { message: "Data Inicial inválida" } })
        )
        const error = failureOf(yield* Effect.exit(source.get({ path: "items", params: { dataInicial: "2024" } })))
        assert.strictEqual(error.reason, "Status")
        assert.strictEqual(error.status, 400)
        assert.strictEqual(error.url, "http://api.test/v1/items?dataInicial=2024")
        assert.include(error.message, "http://api.test/v1/items?dataInicial=2024")
        assert.include(error.message, "Data Inicial inválida")
        assert.strictEqual(error.attempts, 1)
        assert.strictEqual((yield* calls).length, 1)
      }))

    it.scoped("a long server message is truncated", () =>
      Effect.gen(function*() {
        const { source } = yield* sourceWith(() => Effect.succeed({ status: 422, body: "x".repeat(5_000) }))
        const error = failureOf(yield* Effect.exit(source.get({ path: "items" })))
        assert.isBelow(error.message.length, 400)
        assert.include(error.message, "xxx…")
      }))

    it.scoped("HTTP 204 is an empty page with json null", () =>
      Effect.gen(function*() {
        const { source } = yield* sourceWith(() => Effect.succeed({ status: 204 }))
        const page = yield* source.get({ path: "items", pagination: Pagination.pncp() })
        assert.strictEqual(page.status, 204)
        assert.isNull(page.json)
        assert.strictEqual(page.body.length, 0)
        assert.isTrue(page.info.empty)
      }))
  })

  describe("bodies", () => {
    const json = JSON.stringify({ data: [{ id: 1, nome: "São Paulo" }] })
    const pretty = JSON.stringify(JSON.parse(json), null, 2)
    it.scoped("a body sent gzip, deflate (zlib or raw) or br is decoded; the archive gets the JSON's bytes", () =>
      Effect.gen(function*() {
        const encoded: ReadonlyArray<readonly [string, Uint8Array]> = [
          ["gzip", Zlib.gzipSync(json)],
          ["deflate", Zlib.deflateSync(json)],
          ["deflate", Zlib.deflateRawSync(json)],
          ["br", Zlib.brotliCompressSync(json)],
          // a client that decoded already (fetch) leaves the header: the bytes go through as they are, even indented
          // JSON, which raw deflate reads as a block that stops after a few bytes
          ["gzip", new TextEncoder().encode(json)],
          ...[json, pretty, `${pretty}\n`].flatMap((text) =>
            ["deflate", "br"].map((encoding) => [encoding, new TextEncoder().encode(text)] as const)
          )
        ]
        for (const [encoding, body] of encoded) {
          const text = new TextDecoder().decode(body)
          const expected = text.startsWith("{") ? text : json
          const { source } = yield* sourceWith(() =>
            Effect.succeed({ status: 200, headers: { "content-encoding": encoding }, body })
          )
          const page = yield* source.get({ path: "items" })
          assert.deepStrictEqual(page.json, JSON.parse(json), encoding)
          assert.strictEqual(new TextDecoder().decode(page.body), expected, encoding)
        }
      }))

    it.scoped("an unsupported or broken Content-Encoding is a Decode error that says so", () =>
      Effect.gen(function*() {
        const cases = [
          ["zstd", new TextEncoder().encode(json), "\"zstd\" is not supported"],
          ["gzip", Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), "not valid gzip"]
        ] as const
        for (const [encoding, body, says] of cases) {
          const { source } = yield* sourceWith(
            () => Effect.succeed({ status: 200, headers: { "content-encoding": encoding }, body }),
            { retry: noJitter({ maxAttempts: 1 }) }
          )
          const error = failureOf(yield* Effect.exit(source.get({ path: "items" })))
          assert.strictEqual(error.reason, "Decode")
          assert.include(error.message, says)
        }
      }))

    it.scoped("an empty 200 is a Decode error, retried, never an empty page that would end the series", () =>
      Effect.gen(function*() {
        const handler = yield* scripted([{ status: 200, body: "" }, { status: 200, body: "" }, ok])
        const { source } = yield* sourceWith(handler, { retry: noJitter({ maxAttempts: 3, baseDelay: "1 second" }) })
        const fiber = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("1 minute")
        const page = yield* Fiber.join(fiber)
        assert.deepStrictEqual([page.attempts, page.json], [3, ok.body])
        assert.deepStrictEqual((yield* source.metrics.snapshot).total.errors, { Decode: 2 })
        const once = yield* sourceWith(() => Effect.succeed({ status: 200, body: "" }), {
          retry: noJitter({ maxAttempts: 1 })
        })
        const error = failureOf(yield* Effect.exit(once.source.get({ path: "items" })))
        assert.strictEqual(error.reason, "Decode")
        assert.include(error.message, "the body is empty")
      }))
  })

  describe("retries (TestClock)", () => {
    it.scoped("5xx are retried with exponential backoff, then succeed", () =>
      Effect.gen(function*() {
        const handler = yield* scripted([{ status: 503 }, { status: 502 }, { status: 500 }, ok])
        const { calls, source } = yield* sourceWith(handler, {
          retry: noJitter({ maxAttempts: 5, baseDelay: "1 second", factor: 2 })
        })
        const fiber = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("10 seconds")
        const page = yield* Fiber.join(fiber)
        assert.deepStrictEqual((yield* calls).map((call) => call.at), [0, 1_000, 3_000, 7_000])
        assert.strictEqual(page.attempts, 4)
        const snapshot = yield* source.metrics.snapshot
        assert.strictEqual(snapshot.total.retries, 3)
        assert.strictEqual(snapshot.total.requests, 4)
        assert.deepStrictEqual(snapshot.total.errors, { Status: 3 })
      }))

    it.scoped("429 waits for Retry-After instead of the backoff", () =>
      Effect.gen(function*() {
        const handler = yield* scripted([{ status: 429, headers: { "retry-after": "7" } }, ok])
        const { calls, source } = yield* sourceWith(handler, { retry: noJitter({ baseDelay: "100 millis" }) })
        const fiber = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("6999 millis")
        assert.strictEqual((yield* calls).length, 1)
        yield* TestClock.adjust("1 millis")
        const page = yield* Fiber.join(fiber)
        assert.deepStrictEqual((yield* calls).map((call) => call.at), [0, 7_000])
        assert.strictEqual(page.attempts, 2)
      }))

    it.scoped("gives up after maxAttempts with the last error and the attempt count", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(() => Effect.succeed({ status: 503, body: "down" }), {
          retry: noJitter({ maxAttempts: 3, baseDelay: "1 second" })
        })
        const fiber = yield* Effect.fork(Effect.exit(source.get({ path: "items" })))
        yield* TestClock.adjust("1 minute")
        const error = failureOf(yield* Fiber.join(fiber))
        assert.strictEqual(error.reason, "Status")
        assert.strictEqual(error.status, 503)
        assert.strictEqual(error.attempts, 3)
        assert.include(error.message, "down")
        assert.strictEqual((yield* calls).length, 3)
        assert.strictEqual((yield* source.metrics.snapshot).total.failures, 1)
      }))

    it.scoped("resets, truncated and malformed bodies are retried with their reasons", () =>
      Effect.gen(function*() {
        const handler = yield* scripted([
          "reset",
          { status: 200, body: { data: [1, 2, 3] }, failAfter: 5 },
          { status: 200, body: "{\"data\": [1," },
          ok
        ])
        const { source } = yield* sourceWith(handler, { retry: noJitter({ maxAttempts: 4, baseDelay: "1 second" }) })
        const fiber = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("1 minute")
        const page = yield* Fiber.join(fiber)
        assert.strictEqual(page.attempts, 4)
        const errors = (yield* source.metrics.snapshot).total.errors
        assert.deepStrictEqual(errors, { Transport: 1, Truncated: 1, Decode: 1 })
      }))

    it.scoped("connect, read and total timeouts fail the attempt with reason Timeout", () =>
      Effect.gen(function*() {
        const never: FakeHandler = () => Effect.never
        const { source } = yield* sourceWith(never, {
          retry: RetryPolicy.none,
          timeouts: { connect: "2 seconds", total: "5 seconds" }
        })
        const fiber = yield* Effect.fork(Effect.exit(source.get({ path: "slow" })))
        yield* TestClock.adjust("2 seconds")
        const error = failureOf(yield* Fiber.join(fiber))
        assert.strictEqual(error.reason, "Timeout")
        assert.include(error.message, "no response headers within 2s")

        const slow: FakeHandler = () => Effect.as(Effect.sleep("3 seconds"), ok)
        const { source: total } = yield* sourceWith(slow, {
          retry: RetryPolicy.none,
          timeouts: { connect: "10 seconds", total: "1 second" }
        })
        const second = yield* Effect.fork(Effect.exit(total.get({ path: "slow" })))
        yield* TestClock.adjust("1 second")
        const totalError = failureOf(yield* Fiber.join(second))
        assert.strictEqual(totalError.reason, "Timeout")
        assert.include(totalError.message, "no complete response within 1s")
      }))

    it.scoped("a body that stalls after the headers fails with the read timeout", () =>
      Effect.gen(function*() {
        const stalled: FakeHandler = () =>
          Effect.as(Effect.sleep("1 second"), { status: 200, body: { data: [1, 2] }, stallAfter: 3 })
        const { source } = yield* sourceWith(stalled, {
          retry: RetryPolicy.none,
          timeouts: { connect: "5 seconds", read: "2 seconds", total: "1 minute" }
        })
        const fiber = yield* Effect.fork(Effect.exit(source.get({ path: "stalled" })))
        yield* TestClock.adjust("2999 millis")
        assert.isNull(fiber.unsafePoll())
        yield* TestClock.adjust("1 millis")
        const error = failureOf(yield* Fiber.join(fiber))
        assert.strictEqual(error.reason, "Timeout")
        assert.include(error.message, "no complete body within 2s")
      }))

    it.scoped("a timed-out request is retried", () =>
      Effect.gen(function*() {
        const count = yield* Ref.make(0)
        const handler: FakeHandler = () =>
          Effect.flatMap(Ref.getAndUpdate(count, (n) => n + 1), (n) => n === 0 ? Effect.never : Effect.succeed(ok))
        const { calls, source } = yield* sourceWith(handler, {
          retry: noJitter({ baseDelay: "1 second" }),
          timeouts: { connect: "5 seconds" }
        })
        const fiber = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("6 seconds")
        const page = yield* Fiber.join(fiber)
        assert.strictEqual(page.attempts, 2)
        assert.deepStrictEqual((yield* calls).map((call) => call.at), [0, 6_000])
      }))
  })

  describe("circuit breaker (TestClock)", () => {
    it.scoped("opens after consecutive failures, fails fast with CircuitOpen, half-opens after the cool-down", () =>
      Effect.gen(function*() {
        const healthy = yield* Ref.make(false)
        const handler: FakeHandler = () => Effect.map(Ref.get(healthy), (up): FakeResponse => up ? ok : { status: 503 })
        const { calls, source } = yield* sourceWith(handler, {
          retry: RetryPolicy.none,
          circuitBreaker: { consecutiveFailures: 3, resetTimeout: "30 seconds" }
        })
        for (let i = 0; i < 3; i++) yield* Effect.exit(source.get({ path: "items" }))
        assert.strictEqual((yield* calls).length, 3)
        const rejected = failureOf(yield* Effect.exit(source.get({ path: "items" })))
        assert.strictEqual(rejected.reason, "CircuitOpen")
        assert.strictEqual(rejected.url, "http://api.test/v1/items")
        assert.strictEqual((yield* calls).length, 3, "an open circuit sends nothing")
        const breaker = (yield* source.breakers).get("api.test")
        assert.isDefined(breaker)
        assert.strictEqual(yield* breaker!.state, "Open")

        yield* Ref.set(healthy, true)
        yield* TestClock.adjust("30 seconds")
        assert.strictEqual(yield* breaker!.state, "HalfOpen")
        const page = yield* source.get({ path: "items" })
        assert.strictEqual(page.status, 200)
        assert.strictEqual(yield* breaker!.state, "Closed")
        const errors = (yield* source.metrics.snapshot).total.errors
        assert.deepStrictEqual(errors, { Status: 3, CircuitOpen: 1 })
      }))

    it.scoped("an open circuit refuses at once, without waiting for a rate-limit token", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(() => Effect.succeed({ status: 503 }), {
          retry: RetryPolicy.none,
          // one token a minute: the failed request took it, the next would wait 60 s for another
          rateLimit: { requestsPerMinute: 1 },
          circuitBreaker: { consecutiveFailures: 1, resetTimeout: "1 hour" }
        })
        assert.strictEqual(failureOf(yield* Effect.exit(source.get({ path: "items" }))).reason, "Status")
        const refused = yield* Effect.fork(source.get({ path: "items" }))
        yield* TestClock.adjust("1 second")
        const exit = yield* Fiber.poll(refused)
        assert.isTrue(Option.isSome(exit), "refused within a second, not after the next token")
        assert.strictEqual(failureOf(Option.getOrThrow(exit)).reason, "CircuitOpen")
        assert.strictEqual((yield* calls).length, 1)
      }))

    it.scoped("each endpoint's breaker is known by the endpoint's name, a host's breaker for all its endpoints", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) => Effect.succeed(url.pathname.endsWith("/bad") ? { status: 500 } : ok)
        const { source } = yield* sourceWith(handler, {
          retry: RetryPolicy.none,
          circuitBreaker: { consecutiveFailures: 2, resetTimeout: "1 hour" }
        })
        yield* source.get({ path: "good" })
        for (let i = 0; i < 2; i++) yield* Effect.exit(source.get({ path: "bad" }))
        const byEndpoint = yield* source.endpointBreakers
        assert.deepStrictEqual([...byEndpoint.keys()].sort(), ["bad", "good"])
        assert.strictEqual(byEndpoint.get("good"), (yield* source.breakers).get("api.test"))
        assert.strictEqual(byEndpoint.get("bad"), byEndpoint.get("good"))
        assert.strictEqual(yield* byEndpoint.get("good")!.state, "Open")
      }))

    it.scoped("a 4xx does not count against the circuit", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(() => Effect.succeed({ status: 404 }), {
          retry: RetryPolicy.none,
          circuitBreaker: { consecutiveFailures: 2 }
        })
        for (let i = 0; i < 5; i++) yield* Effect.exit(source.get({ path: "missing" }))
        assert.strictEqual((yield* calls).length, 5)
      }))

    it.scoped("breakers per endpoint are independent", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) => Effect.succeed(url.pathname.endsWith("/bad") ? { status: 500 } : ok)
        const { source } = yield* sourceWith(handler, {
          retry: RetryPolicy.none,
          circuitBreaker: { per: "endpoint", consecutiveFailures: 2 }
        })
        for (let i = 0; i < 3; i++) yield* Effect.exit(source.get({ path: "bad" }))
        const good = yield* source.get({ path: "good" })
        assert.strictEqual(good.status, 200)
        const breakers = yield* source.breakers
        assert.strictEqual(yield* breakers.get("bad")!.state, "Open")
        assert.strictEqual(yield* breakers.get("good")!.state, "Closed")
        assert.isTrue(CircuitBreaker.isCircuitBreaker(breakers.get("good")))
      }))
  })

  describe("pagination", () => {
    const pncp = (total: number, size: number): FakeHandler => (url) => Effect.succeed(pncpPage(url, total, size))
    const ids = (pages: Chunk.Chunk<HttpSource.Page>) =>
      Chunk.toReadonlyArray(pages).flatMap((page) =>
        page.json === null ? [] : (page.json as { data: Array<{ id: number }> }).data.map((row) => row.id)
      )

    it.scoped("follows a PNCP envelope page by page", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(pncp(23, 5), { concurrency: 1 })
        const pages = yield* Stream.runCollect(
          source.pages({ path: "contratacoes", params: { dataInicial: "20240101" }, pagination: Pagination.pncp() })
        )
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), [1, 2, 3, 4, 5])
        assert.deepStrictEqual(ids(pages), Array.from({ length: 23 }, (_, i) => i + 1))
        assert.strictEqual((yield* calls).length, 5)
        assert.strictEqual(Chunk.unsafeGet(pages, 0).info.totalPages, 5)
        assert.strictEqual(Chunk.unsafeGet(pages, 0).params["pagina"], "1")
        const snapshot = yield* source.metrics.snapshot
        assert.strictEqual(snapshot.total.pages, 5)
        assert.strictEqual(snapshot.total.pagesExpected, 5)
        assert.strictEqual(snapshot.total.records, 23)
      }))

    it.scoped("204 on the first page ends the stream after one empty page", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(pncp(0, 5))
        const pages = yield* Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() }))
        assert.strictEqual(Chunk.size(pages), 1)
        assert.strictEqual(Chunk.unsafeGet(pages, 0).status, 204)
        assert.strictEqual((yield* calls).length, 1)
        // The empty page itself is the one page the series had.
        assert.strictEqual((yield* source.metrics.snapshot).total.pagesExpected, 1)
      }))

    it.scoped("fetches pages 2..N concurrently once the total is known, in order", () =>
      Effect.gen(function*() {
        // later pages answer faster, so arrival order differs from page order
        const handler: FakeHandler = (url) => {
          const page = Number(url.searchParams.get("pagina"))
          return Effect.as(Effect.sleep(`${100 - page} millis`), pncpPage(url, 40, 4))
        }
        const { source } = yield* sourceWith(handler, { concurrency: 4 })
        const fiber = yield* Effect.fork(Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() })))
        yield* TestClock.adjust("1 second")
        const pages = yield* Fiber.join(fiber)
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        assert.deepStrictEqual(ids(pages), Array.from({ length: 40 }, (_, i) => i + 1))

        const unordered = yield* Effect.fork(
          Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() }, { order: "unordered" }))
        )
        yield* TestClock.adjust("1 second")
        const arrived = Chunk.toReadonlyArray(yield* Fiber.join(unordered)).map((page) => page.page)
        assert.notDeepEqual(arrived, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        assert.deepStrictEqual([...arrived].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      }))

    it.scoped("concurrent pages never exceed the bound", () =>
      Effect.gen(function*() {
        const inFlight = yield* Ref.make(0)
        const peak = yield* Ref.make(0)
        const handler: FakeHandler = (url) =>
          Ref.updateAndGet(inFlight, (n) => n + 1).pipe(
            Effect.flatMap((n) => Ref.update(peak, (p) => Math.max(p, n))),
            Effect.zipRight(Effect.sleep("10 millis")),
            Effect.zipRight(Ref.update(inFlight, (n) => n - 1)),
            Effect.as(pncpPage(url, 200, 5))
          )
        const { source } = yield* sourceWith(handler, { concurrency: 3 })
        const fiber = yield* Effect.fork(
          Stream.runCount(source.pages({ path: "c", pagination: Pagination.pncp() }, { concurrency: 10 }))
        )
        yield* TestClock.adjust("1 second")
        assert.strictEqual(yield* Fiber.join(fiber), 40)
        assert.strictEqual(yield* Ref.get(peak), 3)
      }))

    it.scoped("pages fetched at once stop at a page past the series' end, as one at a time does", () =>
      Effect.gen(function*() {
        // the first page says 50 pages; the series has 3, and page 4 on answer 204
        const handler: FakeHandler = (url) => {
          const page = Number(url.searchParams.get("pagina"))
          return Effect.succeed(page === 1 ? pncpPage(url, 250, 5) : page > 3 ? { status: 204 } : pncpPage(url, 15, 5))
        }
        const { calls, source } = yield* sourceWith(handler, { concurrency: 4 })
        const pages = yield* Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => [page.page, page.status]), [
          [1, 200],
          [2, 200],
          [3, 200],
          [4, 204]
        ])
        // at most the pages in flight when page 4 answered, not the 50 announced
        assert.isAtMost((yield* calls).length, 1 + 3 + 4)
        // the series' pages are expected; a page already in flight past the end is fetched all the same
        const { pages: fetched, pagesExpected } = (yield* source.metrics.snapshot).total
        assert.strictEqual(pagesExpected, 4)
        assert.isAtLeast(fetched, 4)
      }))

    it.scoped("pages to skip are skipped by pages at once, and counted as expected where one at a time fetches them", () =>
      Effect.gen(function*() {
        const cases: ReadonlyArray<readonly [number, ReadonlyArray<number>]> = [[1, [1, 2, 3, 4, 5]], [4, [1, 2, 5]]]
        for (const [concurrency, fetched] of cases) {
          const { source } = yield* sourceWith(pncp(25, 5), { concurrency })
          const pages = yield* Stream.runCollect(
            source.pages({ path: "c", pagination: Pagination.pncp() }, { skipPages: [3, 4] })
          )
          assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), fetched)
          const total = (yield* source.metrics.snapshot).total
          assert.deepStrictEqual([total.pages, total.pagesExpected], [fetched.length, fetched.length])
        }
      }))

    it.scoped("resumes from a page and reads single pages at random", () =>
      Effect.gen(function*() {
        const { calls, source } = yield* sourceWith(pncp(23, 5))
        const endpoint = { path: "c", pagination: Pagination.pncp() }
        const resumed = yield* Stream.runCollect(source.pages(endpoint, { fromPage: 4 }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(resumed).map((page) => page.page), [4, 5])
        assert.deepStrictEqual(ids(resumed), [16, 17, 18, 19, 20, 21, 22, 23])
        const third = yield* source.fetchPage(endpoint, 3)
        assert.strictEqual(third.page, 3)
        assert.deepStrictEqual(ids(Chunk.of(third)), [11, 12, 13, 14, 15])
        assert.strictEqual((yield* calls).length, 3)
        // A resumed series expects the pages it has left; a single page read expects nothing.
        assert.strictEqual((yield* source.metrics.snapshot).total.pagesExpected, 2)
      }))

    it.scoped("maxPages bounds a stream", () =>
      Effect.gen(function*() {
        const { source } = yield* sourceWith(pncp(100, 5))
        const pages = yield* Stream.runCollect(
          source.pages({ path: "c", pagination: Pagination.pncp() }, { maxPages: 3 })
        )
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), [1, 2, 3])
        const sequential = yield* Stream.runCollect(
          source.pages({ path: "c", pagination: Pagination.pncp() }, { maxPages: 2, concurrency: 1 })
        )
        assert.strictEqual(Chunk.size(sequential), 2)
        assert.strictEqual((yield* source.metrics.snapshot).total.pagesExpected, 3 + 2)
      }))

    it.scoped("without totals, a short page ends page-number pagination", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) => {
          const page = Number(url.searchParams.get("page"))
          const size = Number(url.searchParams.get("size"))
          const data = Array.from({ length: page < 3 ? size : 2 }, (_, i) => ({ id: i }))
          return Effect.succeed({ status: 200, body: data })
        }
        const { source } = yield* sourceWith(handler)
        const pages = yield* Stream.runCollect(
          source.pages({ path: "c", pagination: Pagination.pageNumber({ pageSize: 10, sizeParam: "size" }) })
        )
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.info.records), [10, 10, 2])
        // Nothing announced the pages ahead: each is expected as it arrives, so a finished series has expected = fetched.
        const { pages: fetched, pagesExpected } = (yield* source.metrics.snapshot).total
        assert.deepStrictEqual([fetched, pagesExpected], [3, 3])
      }))

    it.scoped("cursor pagination sends the cursor read from the previous body", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) => {
          const at = Number(url.searchParams.get("after") ?? "0")
          return Effect.succeed({
            status: 200,
            body: { items: [at + 1, at + 2], next: at + 2 < 6 ? String(at + 2) : null }
          })
        }
        const { source } = yield* sourceWith(handler)
        const pages = yield* Stream.runCollect(source.pages({
          path: "c",
          pagination: Pagination.cursor({
            cursorParam: "after",
            nextCursor: (json) => {
              const next = (json as { next: string | null }).next
              return next === null ? Option.none() : Option.some(next)
            }
          })
        }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.cursor), [undefined, "2", "4"])
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), [1, 2, 3])
        assert.strictEqual((yield* source.metrics.snapshot).total.pagesExpected, 3)
      }))

    it.scoped("link-header pagination follows rel=next", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) => {
          const page = Number(url.searchParams.get("p") ?? "1")
          return Effect.succeed({
            status: 200,
            headers: page < 3 ? { link: `</v1/c?p=${page + 1}>; rel="next", </v1/c?p=3>; rel="last"` } : {},
            body: [page]
          })
        }
        const { calls, source } = yield* sourceWith(handler)
        const pages = yield* Stream.runCollect(source.pages({ path: "c", pagination: Pagination.linkHeader() }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.json), [[1], [2], [3]])
        assert.deepStrictEqual((yield* calls).map((call) => call.url.search), ["", "?p=2", "?p=3"])
        assert.strictEqual(Chunk.unsafeGet(pages, 2).params["p"], "3")
        // resumed from page 2's URL: numbered on from `fromPage`, and `maxPages` counts from there
        const resumed = (maxPages?: number) =>
          Effect.map(
            Stream.runCollect(
              source.pages({ path: "c", params: { p: "2" }, pagination: Pagination.linkHeader() }, {
                fromPage: 2,
                maxPages
              })
            ),
            (pages) => Chunk.toReadonlyArray(pages).map((page) => [page.page, page.json])
          )
        assert.deepStrictEqual(yield* resumed(), [[2, [2]], [3, [3]]])
        assert.deepStrictEqual(yield* resumed(1), [[2, [2]]])
      }))

    it.scoped("a series that grows while its pages are fetched at once: the pages announced later are fetched too", () =>
      Effect.gen(function*() {
        // 30 records (3 pages of 10) when page 1 is asked; 45 (5 pages) from then on
        const total = yield* Ref.make(30)
        const handler: FakeHandler = (url) =>
          Effect.map(Ref.getAndSet(total, 45), (records) => pncpPage(url, records, 10))
        const { calls, source } = yield* sourceWith(handler, { concurrency: 2 })
        const pages = yield* Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(pages).map((page) => page.page), [1, 2, 3, 4, 5])
        assert.deepStrictEqual(ids(pages), Array.from({ length: 45 }, (_, i) => i + 1))
        assert.strictEqual((yield* calls).length, 5)
        const snapshot = yield* source.metrics.snapshot
        assert.strictEqual(snapshot.total.pagesExpected, 5)
      }))

    it.scoped("a path that is no URL fails with reason InvalidUrl, not a throw or a defect", () =>
      Effect.gen(function*() {
        const source = yield* HttpSource.make({}).pipe(Effect.provide(fakeClient(() => Effect.succeed(ok))))
        // building the effect must not throw: the failure is in it
        const get = source.get({ path: "contratacoes" })
        const error = failureOf(yield* Effect.exit(get))
        assert.strictEqual(error.reason, "InvalidUrl")
        assert.include(error.message, "no baseUrl")
        assert.isFalse(HttpError.isRetryable(error))
        const streamed = failureOf(yield* Effect.exit(Stream.runDrain(source.pages({ path: "contratacoes" }))))
        assert.strictEqual(streamed.reason, "InvalidUrl")
      }))

    it.scoped("a Link header that is no URL fails the stream with InvalidUrl after the page that sent it", () =>
      Effect.gen(function*() {
        const { source } = yield* sourceWith(() =>
          Effect.succeed({ status: 200, headers: { link: "<http://[::1>; rel=\"next\"" }, body: [1] })
        )
        const seen: Array<unknown> = []
        const exit = yield* Effect.exit(
          Stream.runForEach(
            source.pages({ path: "c", pagination: Pagination.linkHeader() }),
            (page) => Effect.sync(() => seen.push(page.json))
          )
        )
        assert.deepStrictEqual(seen, [[1]])
        const error = failureOf(exit)
        assert.strictEqual(error.reason, "InvalidUrl")
        assert.include(error.message, "Link header")
      }))

    it.scoped("a page failing for good fails the stream with a typed error", () =>
      Effect.gen(function*() {
        const handler: FakeHandler = (url) =>
          Effect.succeed(
            url.searchParams.get("pagina") === "3" ? { status: 400, body: "bad page" } : pncpPage(url, 50, 5)
          )
        const { source } = yield* sourceWith(handler, { concurrency: 1 })
        const exit = yield* Effect.exit(Stream.runCollect(source.pages({ path: "c", pagination: Pagination.pncp() })))
        const error = failureOf(exit)
        assert.isTrue(HttpError.isHttpError(error))
        assert.include(error.url, "pagina=3")
      }))
  })

  describe("concurrently (the page window)", () => {
    const tracked = (running: Ref.Ref<number>, peak: Ref.Ref<number>, started: Ref.Ref<number>) => (n: number) =>
      Ref.update(started, (k) => k + 1).pipe(
        Effect.zipRight(Ref.updateAndGet(running, (k) => k + 1)),
        Effect.flatMap((k) => Ref.update(peak, (p) => Math.max(p, k))),
        Effect.zipRight(Effect.sleep(`${(n * 37) % 11 + 1} millis`)),
        Effect.ensuring(Ref.update(running, (k) => k - 1)),
        Effect.as(n)
      )

    for (const ordered of [true, false]) {
      it.effect(`${ordered ? "ordered" : "unordered"}: every number once, at most the window at once`, () =>
        Effect.gen(function*() {
          const [running, peak, started] = [yield* Ref.make(0), yield* Ref.make(0), yield* Ref.make(0)]
          const fiber = yield* Effect.fork(
            Stream.runCollect(Paging.concurrently(5, 104, tracked(running, peak, started), { concurrency: 7, ordered }))
          )
          yield* TestClock.adjust("1 second")
          const out = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
          const expected = Array.from({ length: 100 }, (_, i) => i + 5)
          if (ordered) assert.deepStrictEqual(out, expected)
          else {
            assert.notDeepEqual(out, expected)
            assert.deepStrictEqual([...out].sort((a, b) => a - b), expected)
          }
          assert.strictEqual(yield* Ref.get(peak), 7)
          assert.strictEqual(yield* Ref.get(running), 0)
        }))
    }

    it.effect("a failure fails the stream; stopping early interrupts what is still running", () =>
      Effect.gen(function*() {
        const failing = (n: number) => n === 3 ? Effect.fail(`page ${n}`) : Effect.as(Effect.sleep("1 second"), n)
        const fiber = yield* Effect.fork(
          Effect.exit(Stream.runCollect(Paging.concurrently(1, 50, failing, { concurrency: 4, ordered: false })))
        )
        yield* TestClock.adjust("10 millis")
        const exit = yield* Fiber.join(fiber)
        assert.deepStrictEqual(exit, Exit.fail("page 3"))

        const [running, peak, started] = [yield* Ref.make(0), yield* Ref.make(0), yield* Ref.make(0)]
        const firstTwo = yield* Effect.fork(
          Stream.runCollect(
            Stream.take(
              Paging.concurrently(1, 1_000, tracked(running, peak, started), { concurrency: 5, ordered: true }),
              2
            )
          )
        )
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Fiber.join(firstTwo)), [1, 2])
        assert.strictEqual(yield* Ref.get(running), 0)
        assert.isAtMost(yield* Ref.get(started), 7)
      }))
  })
})
