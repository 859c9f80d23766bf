/**
 * The core `AssetState` stored in DuckDB (`meta.asset_state`, `meta.checkpoints`, `meta.dynamic_partitions`). Writes go
 * straight through: a step's status and its checkpoints are what a killed run resumes from, so they must be on disk when
 * the call returns.
 *
 * @since 0.1.0
 */
import * as AssetState from "@baliza/core/AssetState"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as BatchWriter from "./BatchWriter.js"
import * as DuckDB from "./DuckDB.js"
import type * as DuckDBError from "./DuckDBError.js"
import * as Migrations from "./Migrations.js"
import * as Upsert from "./Upsert.js"

/**
 * The tables of the asset state. Steps are keyed by `step_key` (`asset[partition]`, or the asset key alone), since a
 * primary key column cannot hold the `NULL` partition of an unpartitioned asset.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Migrations.MigrationSet = Migrations.make("asset_state", [
  {
    id: 1,
    name: "asset state, checkpoints and dynamic partitions",
    up: `
      CREATE SCHEMA IF NOT EXISTS meta;
      CREATE TABLE meta.asset_state (
        step_key VARCHAR PRIMARY KEY,
        asset_key VARCHAR NOT NULL,
        partition_key VARCHAR,
        status VARCHAR NOT NULL,
        run_id VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        data_version VARCHAR,
        code_version VARCHAR,
        materialized_at TIMESTAMP,
        upstream_versions VARCHAR NOT NULL,
        error VARCHAR
      );
      CREATE TABLE meta.checkpoints (
        step_key VARCHAR NOT NULL,
        asset_key VARCHAR NOT NULL,
        partition_key VARCHAR,
        name VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (step_key, name)
      );
      CREATE TABLE meta.dynamic_partitions (
        name VARCHAR NOT NULL,
        partition_key VARCHAR NOT NULL,
        position BIGINT NOT NULL,
        PRIMARY KEY (name, partition_key)
      )`
  }
])

const toError = (error: DuckDBError.DuckDBError) =>
  new AssetState.AssetStateError({ message: `Asset state: ${error.message}`, cause: error })

const upstreamVersions = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String }))
const encodeUpstream = Schema.encodeSync(upstreamVersions)
const decodeUpstream = Schema.decodeUnknownSync(upstreamVersions)
const decodeStatus = Schema.decodeUnknownSync(AssetState.StepStatus)

const millis = (value: DuckDB.Value): number | null => (value instanceof Date ? value.getTime() : null)
const text = (value: DuckDB.Value): string | null => (value === null ? null : String(value))

const toRecord = (row: DuckDB.Row): AssetState.StepRecord => ({
  assetKey: String(row.asset_key),
  partitionKey: text(row.partition_key),
  status: decodeStatus(row.status),
  runId: String(row.run_id),
  updatedAt: millis(row.updated_at) ?? 0,
  dataVersion: text(row.data_version),
  codeVersion: text(row.code_version),
  materializedAt: millis(row.materialized_at),
  upstreamVersions: decodeUpstream(row.upstream_versions),
  error: text(row.error)
})

const inAssets = (assetKeys: ReadonlyArray<string> | undefined) =>
  assetKeys === undefined ? { sql: "", params: [] } : { sql: "WHERE list_contains($1, asset_key)", params: [assetKeys] }

/**
 * An asset state in the database of the `DuckDB` service (its migrations run first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<AssetState.AssetStateService, DuckDBError.DuckDBError, DuckDB.DuckDB> = Effect.gen(
  function*() {
    const db = yield* DuckDB.DuckDB
    yield* Migrations.run([migrations])
    const run = <A>(effect: Effect.Effect<A, DuckDBError.DuckDBError>) => Effect.mapError(effect, toError)
    const upsert = Upsert.updateOrInsert({
      table: "meta.asset_state",
      deferred: true,
      key: ["step_key"],
      columns: [
        { name: "step_key", type: "VARCHAR" },
        { name: "asset_key", type: "VARCHAR" },
        { name: "partition_key", type: "VARCHAR" },
        { name: "status", type: "VARCHAR" },
        { name: "run_id", type: "VARCHAR" },
        { name: "updated_at", type: "TIMESTAMP" },
        { name: "data_version", type: "VARCHAR" },
        { name: "code_version", type: "VARCHAR" },
        { name: "materialized_at", type: "TIMESTAMP" },
        { name: "upstream_versions", type: "VARCHAR" },
        { name: "error", type: "VARCHAR" }
      ]
    })
    const stepWriter = yield* BatchWriter.make((puts: ReadonlyArray<ReadonlyArray<AssetState.StepRecord>>) =>
      Effect.as(
        upsert(
          puts.flat().map((record) => [
            AssetState.stepKey(record.assetKey, record.partitionKey),
            record.assetKey,
            record.partitionKey,
            record.status,
            record.runId,
            new Date(record.updatedAt),
            record.dataVersion,
            record.codeVersion,
            record.materializedAt === null ? null : new Date(record.materializedAt),
            encodeUpstream(record.upstreamVersions),
            record.error
          ])
        ).pipe(Effect.provideService(DuckDB.DuckDB, db)),
        puts.map(() => undefined)
      )
    )

    return {
      get: (assetKey, partitionKey) =>
        run(db.query("SELECT * FROM meta.asset_state WHERE step_key = $1", [
          AssetState.stepKey(assetKey, partitionKey)
        ])).pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toRecord))),
      list: (filter) => {
        const where = inAssets(filter?.assetKeys)
        return run(db.query(`SELECT * FROM meta.asset_state ${where.sql} ORDER BY step_key`, where.params)).pipe(
          Effect.map((rows) => rows.map(toRecord))
        )
      },
      // Steps ending together share one transaction and two statements (see `Upsert`: most puts update a step
      // seen before).
      put: (records) => records.length === 0 ? Effect.void : run(stepWriter.submit(records)),
      getCheckpoint: (assetKey, partitionKey, name) =>
        run(db.query("SELECT value FROM meta.checkpoints WHERE step_key = $1 AND name = $2", [
          AssetState.stepKey(assetKey, partitionKey),
          name
        ])).pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => String(row.value)))),
      setCheckpoint: (checkpoint) =>
        run(db.execute("INSERT OR REPLACE INTO meta.checkpoints VALUES ($1, $2, $3, $4, $5, $6)", [
          AssetState.stepKey(checkpoint.assetKey, checkpoint.partitionKey),
          checkpoint.assetKey,
          checkpoint.partitionKey,
          checkpoint.name,
          checkpoint.value,
          new Date(checkpoint.updatedAt)
        ])).pipe(Effect.asVoid),
      clearCheckpoint: (assetKey, partitionKey, name) =>
        run(
          name === undefined
            ? db.execute("DELETE FROM meta.checkpoints WHERE step_key = $1", [
              AssetState.stepKey(assetKey, partitionKey)
            ])
            : db.execute("DELETE FROM meta.checkpoints WHERE step_key = $1 AND name = $2", [
              AssetState.stepKey(assetKey, partitionKey),
              name
            ])
        ).pipe(Effect.asVoid),
      listCheckpoints: (filter) => {
        const where = inAssets(filter?.assetKeys)
        return run(db.query(`SELECT * FROM meta.checkpoints ${where.sql} ORDER BY step_key, name`, where.params)).pipe(
          Effect.map((rows) =>
            rows.map((row): AssetState.Checkpoint => ({
              assetKey: String(row.asset_key),
              partitionKey: text(row.partition_key),
              name: String(row.name),
              value: String(row.value),
              updatedAt: millis(row.updated_at) ?? 0
            }))
          )
        )
      },
      dynamicPartitions: (name) =>
        run(db.query("SELECT partition_key FROM meta.dynamic_partitions WHERE name = $1 ORDER BY position", [name]))
          .pipe(
            Effect.map((rows) => rows.map((row) => String(row.partition_key)))
          ),
      addDynamicPartitions: (name, keys) =>
        keys.length === 0 ? Effect.void : Effect.zipRight(
          AssetState.checkDynamicKeys(name, keys),
          run(db.withTransaction(Effect.gen(function*() {
            const [{ next }] = yield* db.query(
              "SELECT coalesce(max(position), 0) + 1 AS next FROM meta.dynamic_partitions WHERE name = $1",
              [name]
            )
            let position = Number(next)
            for (const key of new Set(keys)) {
              yield* db.execute(
                "INSERT INTO meta.dynamic_partitions VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [name, key, position++]
              )
            }
          })))
        )
    }
  }
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AssetState.AssetState, DuckDBError.DuckDBError, DuckDB.DuckDB> = Layer.effect(
  AssetState.AssetState,
  make
)
