import { AssetState } from "@baliza/core"
import { StorageSuites } from "@baliza/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Path from "node:path"
import * as DuckDB from "../src/DuckDB.js"
import * as DuckDBAssetState from "../src/DuckDBAssetState.js"
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
})
