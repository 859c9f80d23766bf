import { assert, describe, it } from "@effect/vitest"
import {
  Cause,
  Chunk,
  Deferred,
  type Duration,
  Effect,
  Either,
  Exit,
  FastCheck,
  Fiber,
  Ref,
  Schema,
  Stream,
  TestClock
} from "effect"
import * as CircuitBreaker from "../src/CircuitBreaker.js"
import * as internal from "../src/internal/circuitBreaker.js"

class HttpError extends Schema.TaggedError<HttpError>()("HttpError", { status: Schema.Number }) {}

/** A call that counts its runs and fails with the given status (or succeeds with undefined). */
const counted = (calls: Ref.Ref<number>, status?: number) =>
  Ref.update(calls, (n) => n + 1).pipe(
    Effect.zipRight(status === undefined ? Effect.void : Effect.fail(new HttpError({ status })))
  )

const repeatN = <A, E, R>(n: number, self: Effect.Effect<A, E, R>) =>
  Effect.forEach(Array.from({ length: n }), () => Effect.either(self))

/** Runs an effect that sleeps (under TestClock) to completion. */
const runTimed = <A, E, R>(self: Effect.Effect<A, E, R>, duration: Duration.DurationInput) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.either(self))
    yield* TestClock.adjust(duration)
    return yield* Fiber.join(fiber)
  })

/** Yields until `done` holds (bounded, so a broken expectation fails instead of hanging). */
const eventually = <A>(read: Effect.Effect<A>, done: (a: A) => boolean) =>
  Effect.yieldNow().pipe(Effect.zipRight(read), Effect.repeat({ until: done, times: 1_000 }))

describe("CircuitBreaker", () => {
  it.scoped("opens after N consecutive failures, then rejects without running the effect", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "api.example",
        consecutiveFailures: 3,
        resetTimeout: "30 seconds"
      })
      const calls = yield* Ref.make(0)
      yield* repeatN(2, breaker.protect(counted(calls, 503)))
      assert.strictEqual(yield* breaker.state, "Closed")
      yield* Effect.either(breaker.protect(counted(calls, 503)))
      assert.strictEqual(yield* breaker.state, "Open")
      assert.strictEqual(yield* Ref.get(calls), 3)

      yield* TestClock.adjust("10 seconds")
      const rejected = yield* Effect.flip(breaker.protect(counted(calls)))
      assert.strictEqual(yield* Ref.get(calls), 3)
      assert.isTrue(rejected instanceof CircuitBreaker.CircuitBreakerError)
      if (rejected instanceof CircuitBreaker.CircuitBreakerError) {
        assert.strictEqual(rejected.reason, "Open")
        assert.strictEqual(rejected.retryAfterMillis, 20_000)
        assert.strictEqual(
          rejected.message,
          `circuit "api.example" is open after 3 consecutive failures; next probe in 20s`
        )
        assert.deepStrictEqual(Schema.encodeSync(CircuitBreaker.CircuitBreakerError)(rejected), {
          _tag: "CircuitBreakerError",
          reason: "Open",
          circuit: "api.example",
          retryAfterMillis: 20_000,
          message: rejected.message
        })
      }
      const stats = yield* breaker.stats
      assert.deepStrictEqual({ ...stats, p95LatencyMs: 0 }, {
        state: "Open",
        consecutiveFailures: 3,
        errorRate: 1,
        p95LatencyMs: 0,
        calls: 3,
        opened: 1,
        rejected: 1
      })
    }))

  it.scoped("a success resets the consecutive-failure count", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 3 })
      const calls = yield* Ref.make(0)
      yield* repeatN(2, breaker.protect(counted(calls, 500)))
      yield* breaker.protect(counted(calls))
      yield* repeatN(2, breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Closed")
      assert.strictEqual((yield* breaker.stats).consecutiveFailures, 2)
    }))

  it.scoped("half-opens after resetTimeout, closes on a successful probe and re-opens on a failed one", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 2, resetTimeout: "30 seconds" })
      const calls = yield* Ref.make(0)
      yield* repeatN(2, breaker.protect(counted(calls, 500)))
      yield* TestClock.adjust("29 seconds")
      assert.strictEqual(yield* breaker.state, "Open")
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* breaker.state, "HalfOpen")

      // failed probe: open again for another cool-down
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Open")
      assert.strictEqual(yield* Ref.get(calls), 3)
      const rejected = yield* Effect.flip(breaker.protect(counted(calls)))
      assert.include(rejected.message, "open after a failed half-open probe; next probe in 30s")

      yield* TestClock.adjust("30 seconds")
      yield* breaker.protect(counted(calls))
      assert.strictEqual(yield* breaker.state, "Closed")
      assert.strictEqual(yield* Ref.get(calls), 4)
      const stats = yield* breaker.stats
      assert.strictEqual(stats.opened, 2)
      assert.strictEqual(stats.consecutiveFailures, 0)
      assert.strictEqual(stats.calls, 0) // fresh counters once closed
    }))

  it.scoped("error-rate trigger over a rolling window, waiting for minRequests", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "a",
        consecutiveFailures: Infinity,
        errorRate: { threshold: 0.5, window: "10 seconds", minRequests: 4 }
      })
      const calls = yield* Ref.make(0)
      // two failures that will slide out of the window
      yield* repeatN(2, breaker.protect(counted(calls, 500)))
      yield* TestClock.adjust("11 seconds")
      yield* breaker.protect(counted(calls))
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      yield* breaker.protect(counted(calls))
      yield* breaker.protect(counted(calls))
      assert.strictEqual(yield* breaker.state, "Closed") // 1 of 4 in the window
      assert.strictEqual((yield* breaker.stats).errorRate, 0.25)
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Closed") // 2 of 5 = 40%
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Open") // 3 of 6 = 50%
      const rejected = yield* Effect.flip(breaker.protect(counted(calls)))
      assert.include(rejected.message, "an error rate of 50% (threshold 50%) over the last 6 calls in 10s")
    }))

  it.scoped("error-rate trigger does not fire below minRequests", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "a",
        consecutiveFailures: Infinity,
        errorRate: { threshold: 0.1, window: "1 minute", minRequests: 5 }
      })
      const calls = yield* Ref.make(0)
      yield* repeatN(4, breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Closed")
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      assert.strictEqual(yield* breaker.state, "Open")
    }))

  it.scoped("latency trigger: slow successes open the circuit", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "slow.api",
        consecutiveFailures: Infinity,
        latency: { threshold: "1 second", window: "1 minute", minRequests: 3 }
      })
      const slow = breaker.protect(Effect.sleep("2 seconds"))
      const fast = breaker.protect(Effect.sleep("100 millis"))
      yield* runTimed(fast, "100 millis")
      yield* runTimed(slow, "2 seconds")
      assert.strictEqual(yield* breaker.state, "Closed") // 2 calls < minRequests
      yield* runTimed(slow, "2 seconds")
      assert.strictEqual(yield* breaker.state, "Open") // p95 of [100, 2000, 2000] = 2000ms > 1s
      assert.strictEqual((yield* breaker.stats).p95LatencyMs, 2000)
      const rejected = yield* Effect.flip(fast)
      assert.include(rejected.message, "a p95 latency of 2s (threshold 1s) over the last 3 calls in 1m")

      // a probe that succeeds but is still slow re-opens the circuit; a fast one closes it
      yield* TestClock.adjust("30 seconds")
      yield* runTimed(slow, "2 seconds")
      assert.strictEqual(yield* breaker.state, "Open")
      yield* TestClock.adjust("30 seconds")
      yield* runTimed(fast, "100 millis")
      assert.strictEqual(yield* breaker.state, "Closed")
    }))

  it.scoped("fast calls do not trip the latency trigger", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "a",
        latency: { threshold: "1 second", percentile: 0.5, window: "1 minute", minRequests: 3 }
      })
      for (const millis of [100, 5000, 200, 300]) {
        yield* runTimed(breaker.protect(Effect.sleep(millis)), millis)
      }
      assert.strictEqual(yield* breaker.state, "Closed") // median 300ms / 250ms
    }))

  it.prop(
    "the latency trigger fires exactly when the nearest-rank percentile of the calls so far exceeds the threshold",
    {
      latencies: FastCheck.array(FastCheck.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 40 }),
      percentile: FastCheck.double({ min: 0.01, max: 1, noNaN: true }),
      minRequests: FastCheck.integer({ min: 1, max: 10 })
    },
    ({ latencies, minRequests, percentile }) => {
      const config = internal.makeConfig({
        name: "p",
        consecutiveFailures: Infinity,
        latency: { threshold: 1_000, percentile, window: "1 day", minRequests }
      })
      let core = internal.initial
      let now = 0
      let expectedOpen = false
      latencies.forEach((latency, i) => {
        if (expectedOpen) return
        const admission = internal.admit(config)(core, now)
        assert.strictEqual(admission.result._tag, "Admitted")
        if (admission.result._tag !== "Admitted") return
        now += latency
        core = internal.complete(config, admission.result.ticket, "success")(admission.core, now).core
        const sorted = latencies.slice(0, i + 1).sort((a, b) => a - b)
        const nearestRank = sorted[Math.ceil(percentile * sorted.length) - 1]
        expectedOpen = sorted.length >= minRequests && nearestRank > 1_000
        assert.strictEqual(core.state, expectedOpen ? "Open" : "Closed", `after ${i + 1} calls`)
      })
    }
  )

  it.scoped("isFailure excludes the caller's errors from the health count", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "a",
        consecutiveFailures: 3,
        isFailure: (error) => error instanceof HttpError && error.status >= 500
      })
      const calls = yield* Ref.make(0)
      const results = yield* repeatN(10, breaker.protect(counted(calls, 400)))
      assert.strictEqual(yield* breaker.state, "Closed")
      assert.strictEqual(yield* Ref.get(calls), 10)
      // the caller still sees its own error
      assert.isTrue(results.every((result) => Either.isLeft(result) && result.left._tag === "HttpError"))
      yield* repeatN(3, breaker.protect(counted(calls, 503)))
      assert.strictEqual(yield* breaker.state, "Open")
    }))

  it.scoped("defects count as failures, interruptions do not", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 2 })
      yield* Effect.exit(breaker.protect(Effect.interrupt))
      yield* Effect.exit(breaker.protect(Effect.dieMessage("boom")))
      assert.strictEqual(yield* breaker.state, "Closed")
      yield* Effect.exit(breaker.protect(Effect.dieMessage("boom")))
      assert.strictEqual(yield* breaker.state, "Open")
    }))

  it.scoped("changes emits transitions in order, including the timer's half-open", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 1, resetTimeout: "10 seconds" })
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      yield* breaker.changes.pipe(
        Stream.runForEach((change) =>
          Ref.update(seen, (xs) => [...xs, `${change.from}->${change.to}: ${change.reason}`])
        ),
        Effect.forkScoped
      )
      // the first element (the creation marker) tells that the subscriber is listening
      yield* eventually(Ref.get(seen), (xs) => xs.length >= 1)
      const calls = yield* Ref.make(0)
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      yield* TestClock.adjust("10 seconds")
      // no call and no read: the scoped timer alone half-opens the circuit
      yield* eventually(Ref.get(seen), (xs) => xs.length >= 3)
      yield* Effect.either(breaker.protect(counted(calls, 500)))
      yield* TestClock.adjust("10 seconds")
      yield* breaker.protect(counted(calls))
      const transitions = yield* eventually(Ref.get(seen), (xs) => xs.length >= 6)
      assert.deepStrictEqual(transitions, [
        "Closed->Closed: created",
        "Closed->Open: 1 consecutive failures",
        "Open->HalfOpen: reset timeout of 10s elapsed",
        "HalfOpen->Open: a failed half-open probe",
        "Open->HalfOpen: reset timeout of 10s elapsed",
        "HalfOpen->Closed: a successful half-open probe"
      ])
    }))

  it.scoped("changes: a subscriber sees the latest transition, then each later one once, with name and time", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "pncp", consecutiveFailures: 1, resetTimeout: "5 seconds" })
      yield* TestClock.adjust("1 second")
      const listening = yield* Deferred.make<void>()
      const fiber = yield* breaker.changes.pipe(
        Stream.tap(() => Deferred.succeed(listening, undefined)),
        Stream.take(3),
        Stream.runCollect,
        Effect.fork
      )
      yield* Deferred.await(listening)
      yield* Effect.either(breaker.protect(Effect.fail("x")))
      yield* TestClock.adjust("5 seconds")
      const changes = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(changes.map(({ atMillis, circuit, from, to }) => ({ atMillis, circuit, from, to })), [
        { atMillis: 0, circuit: "pncp", from: "Closed", to: "Closed" },
        { atMillis: 1000, circuit: "pncp", from: "Closed", to: "Open" },
        { atMillis: 6000, circuit: "pncp", from: "Open", to: "HalfOpen" }
      ])
      assert.deepStrictEqual(Schema.decodeUnknownSync(CircuitBreaker.CircuitStateChange)(changes[1]), changes[1])
      // a late subscriber starts from the latest transition
      const latest = yield* breaker.changes.pipe(Stream.take(1), Stream.runCollect)
      assert.deepStrictEqual(Chunk.toReadonlyArray(latest).map((change) => change.to), ["HalfOpen"])
    }))

  it.scoped("100 concurrent calls while half-open let only halfOpenMaxCalls through", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "a",
        consecutiveFailures: 1,
        resetTimeout: "1 second",
        halfOpenMaxCalls: 3
      })
      yield* Effect.either(breaker.protect(Effect.fail("x")))
      yield* TestClock.adjust("1 second")
      const gate = yield* Deferred.make<void>()
      const calls = yield* Ref.make(0)
      const probe = breaker.protect(Effect.zipRight(Ref.update(calls, (n) => n + 1), Deferred.await(gate)))
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 100 }), () => Effect.either(probe), { concurrency: "unbounded" })
      )
      yield* eventually(breaker.stats, (stats) => stats.rejected >= 97)
      assert.strictEqual(yield* Ref.get(calls), 3)
      assert.strictEqual((yield* breaker.stats).rejected, 97)
      yield* Deferred.succeed(gate, undefined)
      const results = yield* Fiber.join(fiber)
      assert.strictEqual(results.filter(Either.isRight).length, 3)
      const lefts = results.filter(Either.isLeft).map((result) => result.left)
      assert.strictEqual(lefts.length, 97)
      assert.isTrue(lefts.every((error) => error._tag === "CircuitBreakerError" && error.reason === "HalfOpen"))
      assert.strictEqual(yield* breaker.state, "Closed")
    }))

  it.scoped("an interrupted probe frees its slot", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 1, resetTimeout: "1 second" })
      yield* Effect.either(breaker.protect(Effect.fail("x")))
      yield* TestClock.adjust("1 second")
      const hanging = yield* Effect.fork(breaker.protect(Effect.never))
      yield* eventually(breaker.state, (state) => state === "HalfOpen")
      const busy = yield* Effect.flip(breaker.protect(Effect.void))
      assert.strictEqual(busy.reason, "HalfOpen")
      yield* Fiber.interrupt(hanging)
      assert.strictEqual(yield* breaker.state, "HalfOpen")
      yield* breaker.protect(Effect.void)
      assert.strictEqual(yield* breaker.state, "Closed")
    }))

  it.scoped("outcomes of calls admitted before a transition are ignored", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 1 })
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const inFlight = yield* Effect.fork(
        breaker.protect(Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(gate)))
      )
      yield* Deferred.await(started)
      yield* Effect.either(breaker.protect(Effect.fail("x")))
      assert.strictEqual(yield* breaker.state, "Open")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(inFlight)
      assert.strictEqual(yield* breaker.state, "Open")
    }))

  it.scoped("withCircuitBreaker is pipeable", () =>
    Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({ name: "a", consecutiveFailures: 1 })
      assert.strictEqual(yield* Effect.succeed(1).pipe(CircuitBreaker.withCircuitBreaker(breaker)), 1)
      yield* Effect.either(CircuitBreaker.withCircuitBreaker(Effect.fail("x"), breaker))
      const error = yield* Effect.flip(Effect.succeed(1).pipe(CircuitBreaker.withCircuitBreaker(breaker)))
      assert.strictEqual(error._tag, "CircuitBreakerError")
      assert.isTrue(CircuitBreaker.isCircuitBreaker(breaker))
    }))

  it.scoped("invalid options are a defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(CircuitBreaker.make({ name: "a", halfOpenMaxCalls: 0 }))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      const rate = yield* Effect.exit(
        CircuitBreaker.make({ name: "a", errorRate: { threshold: 2, window: "1 minute", minRequests: 1 } })
      )
      assert.isTrue(Exit.isFailure(rate) && Cause.isDie(rate.cause))
    }))
})
