import { DuckDB } from "@baliza/duckdb"
import { StagingAssets, Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const settingsOf = (options: Warehouse.Options) =>
  DuckDB.query(
    "SELECT current_setting('threads')::INTEGER AS threads, current_setting('memory_limit') AS memory_limit"
  ).pipe(Effect.provide(Warehouse.storage({ path: ":memory:", ...options })))

describe("Warehouse", () => {
  it.effect("opens DuckDB with one thread and its memory limit; options and settings override them", () =>
    Effect.gen(function*() {
      const [defaults] = yield* settingsOf({})
      assert.strictEqual(defaults?.threads, 1)
      // DuckDB reports 512MB as 488.2 MiB
      assert.match(String(defaults?.memory_limit), /^488\.2 MiB$/)
      assert.strictEqual((yield* settingsOf({ threads: 2 }))[0]?.threads, 2)
      assert.strictEqual((yield* settingsOf({ settings: { threads: "2" } }))[0]?.threads, 2)
    }))

  it.effect("parses staging segments on 2 connections unless told otherwise; a bad count fails when it opens", () =>
    Effect.gen(function*() {
      const parallelismOf = (options: Warehouse.Options) =>
        Effect.provide(StagingAssets.Parallelism, Warehouse.storage({ path: ":memory:", ...options }))
      assert.strictEqual(yield* parallelismOf({}), 2)
      assert.strictEqual(yield* parallelismOf({ stagingParallelism: 4 }), 4)
      const error = yield* Effect.flip(parallelismOf({ stagingParallelism: 0 }))
      assert.strictEqual(error._tag === "DuckDBError" && error.reason, "InvalidInput")
    }))
})
