import { ExtractMetrics } from "@baliza/extract"
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as progress from "../src/internal/progress.js"

describe("progress", () => {
  it.effect("an endpoint line shows pages of the pages announced, and the breaker only when it is not closed", () =>
    Effect.gen(function*() {
      const metrics = yield* ExtractMetrics.make
      yield* metrics.recordExpected("contratos", 40)
      for (let i = 0; i < 12; i++) yield* metrics.recordPage("contratos", { records: 500, latencyMs: 80, bytes: 1 })
      yield* metrics.recordExpected("atas", 3)
      for (let i = 0; i < 3; i++) yield* metrics.recordPage("atas", { records: 10, latencyMs: 20, bytes: 1 })
      yield* metrics.recordRequest("idle", { latencyMs: 1 })
      yield* TestClock.adjust("2 seconds")
      const lines = progress.endpointLines(
        yield* metrics.snapshot,
        new Map([["contratos", "HalfOpen"], ["atas", "Closed"]])
      )
      assert.strictEqual(lines.length, 3)
      const [atas, contratos] = lines
      assert.match(contratos!, /^ {2}contratos +12\/40 pages +6,000 records +3,000\/s .* breaker HalfOpen$/)
      // A finished series shows its pages alone.
      assert.match(atas!, /^ {2}atas +3 pages +30 records/)
      assert.notInclude(atas!, "breaker")
    }))
})
