import { DuckDB } from "@baliza/duckdb"
import { Migrations } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import * as FailedRequests from "../src/FailedRequests.js"
import * as HttpError from "../src/HttpError.js"

const Store = FailedRequests.layer.pipe(Layer.provideMerge(DuckDB.layerMemory))

const timeout = (attempts: number) =>
  new HttpError.HttpError({
    reason: "Timeout",
    url: "http://x/v1/contratos",
    attempts,
    message: "No response within 30 seconds"
  })

describe("FailedRequests migrations", () => {
  it.scoped("a table from before the status column gets it, filled from the messages of HTTP status failures", () =>
    Effect.gen(function*() {
      const [first] = FailedRequests.migrations.migrations
      assert.isDefined(first)
      yield* Migrations.run([Migrations.make(FailedRequests.migrations.namespace, [first])])
      const row = (key: string, reason: string, message: string) =>
        DuckDB.execute(
          `INSERT INTO meta.failed_requests VALUES ($1, 'details', '{}', NULL, $2, 1, $3, now(), now(), false, NULL)`,
          [key, reason, message]
        )
      yield* row("gone", "Status", "GET http://127.0.0.1:9/v1/compras/1/itens?pagina=1: HTTP 404: não encontrado")
      yield* row("busy", "Status", "GET http://127.0.0.1:9/v1/contratos?pagina=2: HTTP 503 (3 attempts)")
      yield* row("slow", "Timeout", "GET http://127.0.0.1:9/v1/atas: No response within 30 seconds")
      yield* row("odd", "Status", "HTTP 500 said by a hand-written error")
      const failed = yield* FailedRequests.make
      const statuses = Object.fromEntries(
        (yield* failed.list()).map((request) => [request.id, request.httpStatus])
      )
      assert.deepStrictEqual(statuses, { gone: 404, busy: 503, slow: null, odd: null })
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})

layer(Store)("FailedRequests", (it) => {
  it.effect("records a failure with its reason and attempts; recording it again adds attempts and keeps the first time", () =>
    Effect.gen(function*() {
      const failed = yield* FailedRequests.FailedRequests
      yield* TestClock.setTime(1_000)
      const request = {
        endpoint: "contratos",
        params: { pagina: 3, dataInicial: "20240101" },
        partitionKey: "2024-01-01"
      }
      const first = yield* failed.record(request, timeout(5))
      assert.strictEqual(first.id, "contratos?dataInicial=20240101&pagina=3#2024-01-01")
      assert.deepStrictEqual([first.reason, first.attempts, first.resolved, first.httpStatus], [
        "Timeout",
        5,
        false,
        null
      ])
      assert.deepStrictEqual(first.params, { dataInicial: "20240101", pagina: "3" })
      yield* TestClock.setTime(2_000)
      const again = yield* failed.record(
        { ...request, params: { dataInicial: "20240101", pagina: "3" } },
        new HttpError.HttpError({ reason: "Status", url: "u", status: 500, message: "HTTP 500: erro interno" })
      )
      assert.deepStrictEqual(
        [again.reason, again.attempts, again.lastError, again.httpStatus, again.firstFailedAtMillis],
        ["Status", 6, "HTTP 500: erro interno", 500, 1_000]
      )
      assert.strictEqual(again.lastFailedAtMillis, 2_000)
      // a later failure without an answer clears the status: it is the last failure's
      const third = yield* failed.record(request, timeout(1))
      assert.deepStrictEqual([third.reason, third.httpStatus], ["Timeout", null])
      const other = yield* failed.record({ endpoint: "atas" }, new Error("socket hang up"))
      assert.deepStrictEqual([other.reason, other.attempts, other.lastError, other.httpStatus], [
        "Error",
        1,
        "socket hang up",
        null
      ])
      assert.strictEqual((yield* failed.list({ unresolved: true, endpoint: "contratos" })).length, 1)
    }))

  it.effect("resolve closes a failure; a new failure of the same request reopens it", () =>
    Effect.gen(function*() {
      const failed = yield* FailedRequests.FailedRequests
      const request = { endpoint: "pca", params: { ano: 2024 } }
      const stored = yield* failed.record(request, timeout(1))
      assert.isTrue(yield* failed.resolve(request))
      assert.isFalse(yield* failed.resolve(stored.id))
      const closed = Option.getOrThrow(yield* failed.get(stored.id))
      assert.isTrue(closed.resolved)
      assert.isNotNull(closed.resolvedAtMillis)
      assert.isFalse((yield* failed.list({ unresolved: true })).some((f) => f.id === stored.id))
      const reopened = yield* failed.record(request, timeout(2))
      assert.deepStrictEqual([reopened.resolved, reopened.resolvedAtMillis, reopened.attempts], [false, null, 3])
    }))

  it.effect("retry(f) runs f for each unresolved request: successes are resolved, failures recorded again", () =>
    Effect.gen(function*() {
      const failed = yield* FailedRequests.FailedRequests
      for (const page of [1, 2, 3]) {
        yield* failed.record({ endpoint: "retry-me", params: { pagina: page }, partitionKey: "d" }, timeout(1))
      }
      yield* failed.record({ endpoint: "elsewhere", params: { pagina: 1 } }, timeout(1))
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const summary = yield* failed.retry(
        (request) =>
          Effect.gen(function*() {
            yield* Ref.update(seen, (all) => [...all, request.params.pagina ?? ""])
            if (request.params.pagina === "2") return yield* Effect.fail(timeout(4))
            return request.params.pagina
          }),
        { endpoint: "retry-me", concurrency: 2 }
      )
      assert.deepStrictEqual(summary, { retried: 3, resolved: 2, failed: 1 })
      assert.deepStrictEqual([...(yield* Ref.get(seen))].sort(), ["1", "2", "3"])
      const open = yield* failed.list({ unresolved: true, endpoint: "retry-me" })
      assert.deepStrictEqual(open.map((f) => [f.params.pagina, f.attempts]), [["2", 5]])
      const skipped = yield* failed.retry(() => Effect.void, { endpoint: "retry-me", maxAttempts: 5 })
      assert.deepStrictEqual(skipped, { retried: 0, resolved: 0, failed: 0 })
      const last = yield* failed.retry(() => Effect.void, { endpoint: "retry-me" })
      assert.deepStrictEqual(last, { retried: 1, resolved: 1, failed: 0 })
      assert.strictEqual((yield* failed.list({ unresolved: true, endpoint: "elsewhere" })).length, 1)
    }))

  it.effect("a failed first read of the open failures is not kept, nor does it hide the work's outcome", () =>
    Effect.gen(function*() {
      const request = { endpoint: "atas", params: { pagina: 1 }, partitionKey: "2024-02-01" }
      yield* (yield* FailedRequests.FailedRequests).record(request, timeout(1))
      // another instance on the same database, whose first read fails
      const other = yield* FailedRequests.make
      yield* DuckDB.execute("ALTER TABLE meta.failed_requests RENAME TO failed_requests_away")
      // the bookkeeping fails with a warning; the work's outcome is what the caller gets, success or error
      assert.strictEqual(yield* other.track(request, Effect.succeed(1)), 1)
      const error = yield* Effect.flip(other.track(request, Effect.fail(timeout(2))))
      assert.strictEqual(error.reason, "Timeout")
      yield* DuckDB.execute("ALTER TABLE meta.failed_requests_away RENAME TO failed_requests")
      const still = yield* other.get(FailedRequests.idOf(request))
      assert.isTrue(Option.isSome(still) && !still.value.resolved)
      assert.strictEqual(yield* other.track(request, Effect.succeed(2)), 2)
      const stored = yield* other.get(FailedRequests.idOf(request))
      assert.isTrue(Option.isSome(stored) && stored.value.resolved)
    }))

  it.effect("track records a failure and passes it on, resolves on success, and ignores interruption", () =>
    Effect.gen(function*() {
      const failed = yield* FailedRequests.FailedRequests
      const request = { endpoint: "tracked", params: { pagina: 1 }, partitionKey: "2024-03-01" }
      const error = yield* Effect.flip(failed.track(request, Effect.fail(timeout(3))))
      assert.strictEqual(error.reason, "Timeout")
      const [open] = yield* failed.list({ unresolved: true, endpoint: "tracked" })
      assert.deepStrictEqual([open?.partitionKey, open?.attempts], ["2024-03-01", 3])
      assert.strictEqual(yield* failed.track(request, Effect.succeed(42)), 42)
      assert.strictEqual((yield* failed.list({ unresolved: true, endpoint: "tracked" })).length, 0)
      const interrupted = { endpoint: "tracked-interrupt" }
      yield* Effect.exit(failed.track(interrupted, Effect.interrupt))
      assert.strictEqual((yield* failed.list({ endpoint: "tracked-interrupt" })).length, 0)
    }))

  it("idOf ignores parameter order and undefined values", () => {
    assert.strictEqual(
      FailedRequests.idOf({ endpoint: "e", params: { b: 2, a: "x y", c: undefined } }),
      FailedRequests.idOf({ endpoint: "e", params: { a: "x y", b: "2" } })
    )
    assert.strictEqual(FailedRequests.idOf({ endpoint: "e", params: { a: "x y" } }), "e?a=x%20y")
  })
})
