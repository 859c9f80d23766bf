/**
 * The run queue on a real DuckDB file: its order (priority, then age), delays, claims, cancels and a restart.
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import { assert, describe, it } from "@effect/vitest"
import { Array as Arr, Effect, Layer, Option } from "effect"
import * as RunQueue from "../src/RunQueue.js"
import { build, entry, tempDatabase, withDatabase } from "./helpers.js"

/** A queue on a fresh DuckDB file, for the scope. */
const freshQueue = Effect.gen(function*() {
  const path = yield* tempDatabase
  const queue = yield* build(RunQueue.RunQueue, RunQueue.layer.pipe(Layer.provide(DuckDB.layer({ path }))))
  return { path, queue }
})

/** Claims until nothing is due at `now`; returns the ids in claim order. */
const drain = (queue: RunQueue.RunQueueService, now: number) =>
  Effect.gen(function*() {
    const ids: Array<string> = []
    while (true) {
      const claimed = yield* queue.claimNext(now)
      if (Option.isNone(claimed)) return ids
      ids.push(claimed.value.runId)
      if (ids.length > 1_000) return yield* Effect.die("the queue never empties")
    }
  })

const ids = (runs: ReadonlyArray<{ readonly runId: string }>) => runs.map((run) => run.runId)

describe("RunQueue", () => {
  it.scoped("claims by priority (1 before 5 before 10), oldest first within a priority", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      // Run ids in reverse alphabetical order and enqueued back to back (often within one millisecond): the order must
      // still be the order of enqueueing, not of the ids.
      yield* queue.enqueue(entry("z-low", { priority: 10 }))
      yield* queue.enqueue(entry("y-mid-1"))
      yield* queue.enqueue(entry("x-high-1", { priority: 1 }))
      yield* queue.enqueue(entry("w-mid-2"))
      yield* queue.enqueue(entry("v-high-2", { priority: 1 }))
      yield* queue.enqueue(entry("u-mid-3"))
      const listed = yield* queue.list(10)
      assert.deepStrictEqual(ids(listed), ["x-high-1", "v-high-2", "y-mid-1", "w-mid-2", "u-mid-3", "z-low"])
      assert.isTrue(listed.every((run) => run.status === "queued" && run.attempts === 0 && run.startedAt === null))
      const claimed = yield* drain(queue, Date.now())
      assert.deepStrictEqual(claimed, ["x-high-1", "v-high-2", "y-mid-1", "w-mid-2", "u-mid-3", "z-low"])
    }))

  it.scoped("enqueue returns what get reads back; claimNext starts the run", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      const before = Date.now()
      const queued = yield* queue.enqueue(
        entry("r1", { selection: "layer:raw+", partitions: "2024-07-01..2024-07-02", force: true, priority: 3 })
      )
      assert.deepStrictEqual(Option.getOrThrow(yield* queue.get("r1")), queued)
      assert.include(queued, {
        runId: "r1",
        selection: "layer:raw+",
        partitions: "2024-07-01..2024-07-02",
        force: true,
        priority: 3,
        status: "queued",
        source: "api",
        attempts: 0
      })
      assert.isAtLeast(queued.enqueuedAt, before)
      assert.isTrue(Option.isNone(yield* queue.get("nope")))

      const claimed = Option.getOrThrow(yield* queue.claimNext(before + 5))
      assert.include(claimed, { runId: "r1", status: "running", startedAt: before + 5, attempts: 1 })
      assert.deepStrictEqual(Option.getOrThrow(yield* queue.get("r1")), claimed)
      assert.isTrue(Option.isNone(yield* queue.claimNext(before + 5)))
    }))

  it.scoped("a delayed run is not claimed before its notBefore; nextDue says when it is due", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      assert.isTrue(Option.isNone(yield* queue.nextDue))
      const now = Date.now()
      // A delayed run of the highest priority does not block a due one of lower priority.
      yield* queue.enqueue(entry("later", { priority: 1, notBefore: now + 60_000 }))
      yield* queue.enqueue(entry("later-still", { priority: 1, notBefore: now + 120_000.4 }))
      yield* queue.enqueue(entry("now", { priority: 10, notBefore: now }))
      assert.deepStrictEqual(yield* queue.nextDue, Option.some(now))
      assert.deepStrictEqual(yield* drain(queue, now), ["now"])
      assert.deepStrictEqual(yield* queue.nextDue, Option.some(now + 60_000))
      assert.isTrue(Option.isNone(yield* queue.claimNext(now + 59_999)))
      assert.deepStrictEqual(yield* drain(queue, now + 60_000), ["later"])
      assert.deepStrictEqual(yield* queue.nextDue, Option.some(now + 120_000))
      assert.strictEqual(Option.getOrThrow(yield* queue.get("later-still")).notBefore, now + 120_000)
      assert.deepStrictEqual(yield* drain(queue, now + 1_000_000), ["later-still"])
      assert.isTrue(Option.isNone(yield* queue.nextDue))
    }))

  it.scoped("cancelQueued cancels only a queued run", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      yield* queue.enqueue(entry("a"))
      yield* queue.enqueue(entry("b"))
      yield* queue.enqueue(entry("c"))
      const now = Date.now()
      assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, "a")
      yield* queue.enqueue(entry("d"))
      assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, "b")
      yield* queue.finish("b", "done", "Success", now + 10)

      assert.isFalse(yield* queue.cancelQueued("a", now + 20), "running")
      assert.isFalse(yield* queue.cancelQueued("b", now + 20), "done")
      assert.isFalse(yield* queue.cancelQueued("nope", now + 20), "unknown")
      assert.isTrue(yield* queue.cancelQueued("c", now + 20))
      assert.isFalse(yield* queue.cancelQueued("c", now + 30), "already cancelled")

      assert.include(Option.getOrThrow(yield* queue.get("a")), { status: "running", finishedAt: null })
      assert.include(Option.getOrThrow(yield* queue.get("b")), { status: "done", outcome: "Success" })
      assert.include(Option.getOrThrow(yield* queue.get("c")), {
        status: "cancelled",
        finishedAt: now + 20,
        startedAt: null,
        attempts: 0
      })
      // The cancelled run is never claimed.
      assert.deepStrictEqual(yield* drain(queue, now + 1_000), ["d"])
    }))

  it.scoped("finish records the outcome; finishing as queued puts it back in line", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      yield* queue.enqueue(entry("a"))
      yield* queue.enqueue(entry("b"))
      const now = Date.now()
      yield* queue.claimNext(now)
      yield* queue.finish("a", "done", "Failed: boom", now + 100)
      assert.include(Option.getOrThrow(yield* queue.get("a")), {
        status: "done",
        outcome: "Failed: boom",
        startedAt: now,
        finishedAt: now + 100,
        attempts: 1
      })
      yield* queue.claimNext(now + 200)
      yield* queue.finish("b", "queued", null, now + 300)
      assert.include(Option.getOrThrow(yield* queue.get("b")), { status: "queued", startedAt: null, attempts: 1 })
      const again = Option.getOrThrow(yield* queue.claimNext(now + 400))
      assert.include(again, { runId: "b", status: "running", startedAt: now + 400, attempts: 2 })
      yield* queue.finish("b", "cancelled", "Interrupted", now + 500)
      assert.include(Option.getOrThrow(yield* queue.get("b")), { status: "cancelled", outcome: "Interrupted" })
    }))

  it.scoped("list: running first, then queued in the order they will run, then the latest finished (limited)", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      const now = Date.now()
      for (const id of ["f1", "f2", "f3"]) yield* queue.enqueue(entry(id, { priority: 1 }))
      yield* queue.enqueue(entry("q-late", { priority: 1, notBefore: now + 60_000 }))
      yield* queue.enqueue(entry("q10", { priority: 10 }))
      yield* queue.enqueue(entry("q2", { priority: 2 }))
      yield* queue.enqueue(entry("run", { priority: 9 }))
      // f1, f2, f3 finish in the order f2, f3, f1.
      for (const id of ["f1", "f2", "f3"]) assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, id)
      yield* queue.finish("f2", "done", "Success", now + 1)
      yield* queue.finish("f3", "cancelled", "Interrupted", now + 2)
      yield* queue.finish("f1", "done", "Failed", now + 3)
      assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, "q2")
      yield* queue.finish("q2", "done", "Success", now + 4)
      assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, "run")

      const all = yield* queue.list(10)
      assert.deepStrictEqual(ids(all), ["run", "q-late", "q10", "q2", "f1", "f3", "f2"])
      assert.deepStrictEqual(all.map((run) => run.status), [
        "running",
        "queued",
        "queued",
        "done",
        "done",
        "cancelled",
        "done"
      ])
      // The limit applies to the finished runs only: every active one is listed.
      assert.deepStrictEqual(ids(yield* queue.list(2)), ["run", "q-late", "q10", "q2", "f1"])
      assert.deepStrictEqual(ids(yield* queue.list(0)), ["run", "q-late", "q10"])
    }))

  it.scoped("many concurrent claims never hand out a run twice", () =>
    Effect.gen(function*() {
      const { queue } = yield* freshQueue
      const n = 25
      yield* Effect.forEach(Arr.range(1, n), (i) => queue.enqueue(entry(`run-${i}`, { priority: 1 + (i % 10) })), {
        discard: true
      })
      const now = Date.now()
      const claims = yield* Effect.all(Arr.replicate(queue.claimNext(now), 80), { concurrency: "unbounded" })
      const claimed = claims.flatMap((claim) => Option.isSome(claim) ? [claim.value.runId] : [])
      assert.strictEqual(claimed.length, n)
      assert.strictEqual(new Set(claimed).size, n)
      const listed = yield* queue.list(100)
      assert.isTrue(listed.every((run) => run.status === "running" && run.attempts === 1))
    }))

  it.scoped("two queue services on one file (two writer connections) never claim a run twice", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const open = build(RunQueue.RunQueue, RunQueue.layer.pipe(Layer.provide(DuckDB.layer({ path }))))
      const first = yield* open
      const second = yield* open
      const n = 20
      yield* Effect.forEach(Arr.range(1, n), (i) => first.enqueue(entry(`run-${i}`)), { discard: true })
      const now = Date.now()
      // A claim that loses a write conflict may fail; what matters is that no run is handed out twice.
      const claimOnce = (queue: RunQueue.RunQueueService) =>
        Effect.map(
          Effect.either(queue.claimNext(now)),
          (either) => either._tag === "Right" && Option.isSome(either.right) ? [either.right.value.runId] : []
        )
      const claims = yield* Effect.all(
        Arr.flatten(Arr.replicate([claimOnce(first), claimOnce(second)], 30)),
        { concurrency: "unbounded" }
      )
      const claimed = claims.flat()
      assert.strictEqual(new Set(claimed).size, claimed.length, `claimed twice: ${claimed.join(", ")}`)
      const running = (yield* first.list(100)).filter((run) => run.status === "running")
      assert.deepStrictEqual(ids(running).sort(), [...claimed].sort())
      assert.isTrue(running.every((run) => run.attempts === 1))
    }))

  it.scoped("survives a restart: the queued runs are still there in order, and recover requeues a running one", () =>
    Effect.gen(function*() {
      const path = yield* tempDatabase
      const now = Date.now()
      const useQueue = <A, E>(f: (queue: RunQueue.RunQueueService) => Effect.Effect<A, E>) =>
        withDatabase(path, Effect.flatMap(RunQueue.make, f))
      const before = yield* useQueue((queue) =>
        Effect.gen(function*() {
          yield* queue.enqueue(entry("started", { priority: 1 }))
          yield* queue.enqueue(entry("second", { priority: 5, partitions: "2024-07-01" }))
          yield* queue.enqueue(entry("first", { priority: 2 }))
          yield* queue.enqueue(entry("delayed", { priority: 1, notBefore: now + 3_600_000 }))
          yield* queue.enqueue(entry("gone", { priority: 1 }))
          assert.isTrue(yield* queue.cancelQueued("gone", now))
          assert.strictEqual(Option.getOrThrow(yield* queue.claimNext(now)).runId, "started")
          // Nothing to recover while this server runs... but `recover` is for a fresh start: not called here.
          return yield* queue.list(10)
        })
      )
      assert.deepStrictEqual(ids(before), ["started", "delayed", "first", "second", "gone"])

      const after = yield* useQueue((queue) =>
        Effect.gen(function*() {
          const listed = yield* queue.list(10)
          assert.deepStrictEqual(listed, before, "the same rows after reopening the file")
          const recovered = yield* queue.recover
          assert.deepStrictEqual(recovered, ["started"])
          assert.deepStrictEqual(yield* queue.recover, [], "recover is idempotent")
          const started = Option.getOrThrow(yield* queue.get("started"))
          assert.include(started, { status: "queued", startedAt: null, attempts: 1 })
          assert.deepStrictEqual(
            yield* queue.nextDue,
            Option.some(before.find((run) => run.runId === "first")!.notBefore)
          )
          return yield* drain(queue, now + 1)
        })
      )
      // The recovered run goes first again (priority 1, the oldest); the delayed one is not due; the cancelled one stays.
      assert.deepStrictEqual(after, ["started", "first", "second"])
      const final = yield* useQueue((queue) => queue.list(10))
      assert.include(final.find((run) => run.runId === "started")!, { status: "running", attempts: 2 })
      assert.include(final.find((run) => run.runId === "delayed")!, { status: "queued", notBefore: now + 3_600_000 })
      assert.include(final.find((run) => run.runId === "gone")!, { status: "cancelled" })
    }))
})
