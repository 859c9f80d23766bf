/**
 * The global options reach every command that opens DuckDB (`query`, `doctor`), and each in-process run logs on its own.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { baliza, withFake } from "./fixtures/run.js"

describe("global options", () => {
  it.scopedLive("runs in one process log on their own: a warning once per run, not once per run so far", () =>
    Effect.gen(function*() {
      const { global } = yield* withFake()
      // pncp/raw/atas is by month: a day gives it no partition, which each run warns about once
      const args = ["materialize", "--select", "pncp/raw/atas or pncp/raw/contratos", "--day", "2024-07-02"]
      for (let run = 1; run <= 3; run++) {
        const out = yield* baliza(...global, ...args)
        assert.strictEqual(out.code, 0, out.stderr)
        assert.strictEqual(out.stderr.split("pncp/raw/atas: no partition").length - 1, 1, `run ${run}: ${out.stderr}`)
      }
    }))
})
