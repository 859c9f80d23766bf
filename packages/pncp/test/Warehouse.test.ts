import { DuckDB } from "@baliza/duckdb"
import { StagingAssets, Warehouse } from "@baliza/pncp"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"

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

  it.scoped("a client setting out of range fails the warehouse when it opens, not a run half-way", () =>
    Effect.gen(function*() {
      const opened = yield* Effect.either(
        Effect.provide(Effect.void, Warehouse.layer({ path: ":memory:", client: { detailsBatchSize: 0 } }))
      )
      assert.strictEqual(Either.isLeft(opened) && opened.left._tag, "InvalidSettings")
      assert.include(
        Either.isLeft(opened) ? opened.left.message : "",
        "detailsBatchSize must be a positive integer, not 0"
      )
    }))

  it.scoped("retires the day partitions pncp/raw/atas had before it was by month; other rows stay", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "baliza-warehouse-"))),
        (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
      )
      const open = <A, E>(effect: Effect.Effect<A, E, DuckDB.DuckDB>) =>
        Effect.provide(effect, Warehouse.storage({ path: NodePath.join(dir, "w.duckdb") }))
      // A warehouse from before: day keys of atas (a failed one, mid-way, with its failed request) next to a month's
      yield* open(DuckDB.execute(`
        INSERT INTO meta.asset_state VALUES
          ('pncp/raw/atas[2024-07-09]', 'pncp/raw/atas', '2024-07-09', 'Failed', 'r1', now()::TIMESTAMP, NULL, NULL,
           NULL, '{}', 'HTTP 500'),
          ('pncp/raw/atas[2024-06]', 'pncp/raw/atas', '2024-06', 'Materialized', 'r1', now()::TIMESTAMP, 'v', NULL,
           now()::TIMESTAMP, '{}', NULL),
          ('pncp/raw/contratos[2024-07-09]', 'pncp/raw/contratos', '2024-07-09', 'Failed', 'r1', now()::TIMESTAMP,
           NULL, NULL, NULL, '{}', 'HTTP 500');
        INSERT INTO meta.page_checkpoints VALUES
          ('atas', '2024-07-09', 2, [], 800, 2, 1000, 1, NULL, false, 'r1', now()::TIMESTAMP, now()::TIMESTAMP),
          ('contratos', '2024-07-09', 2, [], 8, 2, 1000, 1, NULL, false, 'r1', now()::TIMESTAMP, now()::TIMESTAMP);
        INSERT INTO meta.failed_requests VALUES
          ('a', 'atas', '{}', '2024-07-09', 'HTTP 500', 3, 'HTTP 500', now()::TIMESTAMP, now()::TIMESTAMP, false, NULL,
           500),
          ('c', 'contratos', '{}', '2024-07-09', 'HTTP 500', 3, 'HTTP 500', now()::TIMESTAMP, now()::TIMESTAMP, false,
           NULL, 500);
        DELETE FROM meta.schema_migrations WHERE namespace = 'pncp'`))
      const left = yield* open(DuckDB.query(`SELECT
        (SELECT string_agg(step_key, ' ' ORDER BY step_key) FROM meta.asset_state) AS steps,
        (SELECT string_agg(endpoint, ' ' ORDER BY endpoint) FROM meta.page_checkpoints) AS checkpoints,
        (SELECT string_agg(endpoint, ' ' ORDER BY endpoint) FROM meta.failed_requests WHERE NOT resolved) AS failing`))
      assert.deepStrictEqual(left, [{
        steps: "pncp/raw/atas[2024-06] pncp/raw/contratos[2024-07-09]",
        checkpoints: "contratos",
        failing: "contratos"
      }])
    }))
})
