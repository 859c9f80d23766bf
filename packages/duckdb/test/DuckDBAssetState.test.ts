import { Asset, AssetGraph, AssetState, Materializer, Partitions } from "@baliza/core"
import * as StorageSuites from "@baliza/testing/StorageSuites"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option } from "effect"
import * as Path from "node:path"
import * as DuckDB from "../src/DuckDB.js"
import * as DuckDBAssetState from "../src/DuckDBAssetState.js"
import * as DuckDBEventLog from "../src/DuckDBEventLog.js"
import { tempDir } from "./helpers.js"

StorageSuites.assetStateSuite("DuckDB in memory", DuckDBAssetState.layer.pipe(Layer.provide(DuckDB.layerMemory)))

describe("DuckDBAssetState", () => {
  it.scoped("survives closing and reopening the file", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "state.duckdb")
      const open = <A, E>(use: Effect.Effect<A, E, AssetState.AssetState>) =>
        Effect.scoped(Effect.provide(use, DuckDBAssetState.layer.pipe(Layer.provide(DuckDB.layer({ path })))))
      yield* open(Effect.gen(function*() {
        const state = yield* AssetState.AssetState
        yield* state.put([{
          assetKey: "pncp/raw/contratos",
          partitionKey: "2024-01-01",
          status: "Materialized",
          runId: "r1",
          updatedAt: 1_700_000_000_123,
          dataVersion: "v1",
          codeVersion: "2",
          materializedAt: 1_700_000_000_123,
          upstreamVersions: { "a[x]": "1" },
          error: null
        }])
        yield* state.setCheckpoint({
          assetKey: "pncp/raw/contratos",
          partitionKey: "2024-01-02",
          name: "page",
          value: "17",
          updatedAt: 5
        })
        yield* state.addDynamicPartitions("orgaos", ["123", "456"])
      }))
      const [record, page, dynamic] = yield* open(Effect.gen(function*() {
        const state = yield* AssetState.AssetState
        return [
          yield* state.get("pncp/raw/contratos", "2024-01-01"),
          yield* state.getCheckpoint("pncp/raw/contratos", "2024-01-02", "page"),
          yield* state.dynamicPartitions("orgaos")
        ] as const
      }))
      assert.strictEqual(Option.getOrThrow(record).updatedAt, 1_700_000_000_123)
      assert.deepStrictEqual(Option.getOrThrow(record).upstreamVersions, { "a[x]": "1" })
      assert.deepStrictEqual(page, Option.some("17"))
      assert.deepStrictEqual(dynamic, ["123", "456"])
    }))

  it.scoped("lets a materialization resume from the file: the second process plans zero steps", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "runs.duckdb")
      let runs = 0
      const daily = Partitions.TimeWindow.daily({ start: "2024-01-01" })
      const raw = Asset.make({ key: "raw", partitions: daily, materialize: () => Effect.sync(() => void runs++) })
      const mart = Asset.make({
        key: "mart",
        deps: [raw],
        codeVersion: "1",
        materialize: () => Effect.sync(() => void runs++)
      })
      const graph = Either.getOrThrow(AssetGraph.make([raw, mart]))
      const context = Partitions.context({ now: Date.parse("2024-01-03T12:00:00Z") })
      const stores = Layer.mergeAll(DuckDBAssetState.layer, DuckDBEventLog.layer()).pipe(
        Layer.provide(DuckDB.layer({ path }))
      )
      const first = yield* Effect.scoped(Effect.provide(Materializer.materialize(graph, { context }), stores))
      assert.deepStrictEqual([first.status, first.succeeded, runs], ["Success", 4, 4])
      const plan = yield* Effect.scoped(Effect.provide(Materializer.plan(graph, { context }), stores))
      assert.strictEqual(plan.toRun, 0)
      assert.isTrue(plan.steps.every((step) => step.reason === "UpToDate"))
    }))
})
