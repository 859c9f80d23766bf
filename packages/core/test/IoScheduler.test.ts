import { assert, describe, it } from "@effect/vitest"
import { Effect, FiberRef } from "effect"
import * as IoScheduler from "../src/IoScheduler.js"

/** How many yields two busy fibers make before a callback queued with setImmediate at their start runs. */
const yieldsBeforeIo = Effect.gen(function*() {
  let yields = 0
  let seenAt = -1
  setImmediate(() => {
    seenAt = yields
  })
  const spin = Effect.gen(function*() {
    for (let i = 0; i < 5_000; i++) {
      yield* Effect.yieldNow()
      yields++
    }
  })
  yield* Effect.all([spin, spin], { concurrency: 2 })
  return seenAt
})

describe("IoScheduler", () => {
  it.live("takes in I/O between batches of busy fibers, where Effect's default scheduler makes it wait", () =>
    Effect.gen(function*() {
      const onIo = yield* IoScheduler.withIoScheduler(yieldsBeforeIo)
      assert.isAtLeast(onIo, 0)
      assert.isBelow(onIo, 10)
      const onDefault = yield* yieldsBeforeIo
      assert.isAbove(onDefault === -1 ? Number.POSITIVE_INFINITY : onDefault, 1_000)
    }))

  it.live("is the scheduler of the fibers forked inside", () =>
    Effect.gen(function*() {
      const inner = yield* IoScheduler.withIoScheduler(
        Effect.fork(FiberRef.get(FiberRef.currentScheduler)).pipe(Effect.flatMap((fiber) => fiber.await))
      )
      assert.strictEqual(inner._tag === "Success" ? inner.value : undefined, IoScheduler.scheduler)
    }))
})
