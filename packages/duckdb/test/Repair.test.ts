import { DuckDB, Repair } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Path from "node:path"
import { commitOutOfMemory, keyBatch, squeezed, tempDir } from "./helpers.js"

const { insert, select: batch } = keyBatch("raw.payload_index", 2000)

describe("Repair", () => {
  it.scoped(
    "rebuilds a table whose key index a failed commit left holding keys without their rows",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "phantoms.duckdb")
        yield* Effect.scoped(Effect.gen(function*() {
          const db = yield* DuckDB.make(squeezed(path))
          yield* db.execute(
            `CREATE SCHEMA raw;
           CREATE TABLE raw.payload_index (sha256 VARCHAR PRIMARY KEY, segment INTEGER NOT NULL);
           CREATE INDEX payload_segment ON raw.payload_index (segment);
           CREATE VIEW raw.segments AS SELECT DISTINCT segment FROM raw.payload_index`
          )
          assert.lengthOf(yield* db.query(insert(0)), 2000)
          assert.isTrue(Exit.isFailure(yield* commitOutOfMemory(db, db.query(insert(1)))))
        }))
        yield* Effect.gen(function*() {
          // the failed batch's rows are not there, yet its keys are refused, even to ON CONFLICT DO NOTHING
          assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM raw.payload_index"), [{ n: 2000 }])
          const refused = yield* Effect.flip(DuckDB.query(insert(1)))
          assert.strictEqual(refused.reason, "Constraint")
          assert.include(refused.message, "Duplicate key")
          assert.include(refused.message, "rebuild the table (Repair.table")

          assert.deepStrictEqual(yield* Repair.table("raw.payload_index"), { table: "raw.payload_index", rows: 2000 })
          assert.lengthOf(yield* DuckDB.query(insert(1)), 2000)
          // the key still holds, and the index and the view are there
          const again = yield* Effect.flip(DuckDB.execute(`INSERT INTO raw.payload_index ${batch(0)} LIMIT 1`))
          assert.strictEqual(again.reason, "Constraint")
          assert.deepStrictEqual(
            yield* DuckDB.query("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'payload_index'"),
            [{ index_name: "payload_segment" }]
          )
          assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*) AS n FROM raw.segments"), [{ n: 2 }])
        }).pipe(Effect.provide(DuckDB.layer({ path })))
      }),
    60_000
  )

  it.scoped("rebuilds every table with a key, and says which table it cannot find", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        `CREATE SCHEMA meta;
         CREATE TABLE meta.asset_state (asset_key VARCHAR, partition_key VARCHAR, PRIMARY KEY (asset_key, partition_key));
         CREATE TABLE meta.names (name VARCHAR UNIQUE);
         CREATE TABLE meta.log (line VARCHAR);
         INSERT INTO meta.asset_state VALUES ('a', '1'), ('a', '2');
         INSERT INTO meta.names VALUES ('x')`
      )
      assert.deepStrictEqual(yield* Repair.keyedTables, [
        { table: "meta.asset_state", rows: 2 },
        { table: "meta.names", rows: 1 }
      ])
      const duplicate = yield* Effect.flip(DuckDB.execute("INSERT INTO meta.names VALUES ('x')"))
      assert.strictEqual(duplicate.reason, "Constraint")
      assert.notInclude(duplicate.message, "Repair.table", "a plain insert of a key that exists is a duplicate")
      assert.strictEqual((yield* Effect.flip(Repair.table("meta.missing"))).reason, "Catalog")
    }).pipe(Effect.provide(DuckDB.layerMemory)))

  it.scoped("keeps names with dots and comments, and refuses a table with generated columns", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        `CREATE TABLE "a.b" (k INTEGER PRIMARY KEY, v VARCHAR); INSERT INTO "a.b" VALUES (1, 'x');
         COMMENT ON TABLE "a.b" IS 'it''s kept'; COMMENT ON COLUMN "a.b".v IS 'the value';
         CREATE TABLE g (k INTEGER PRIMARY KEY, d INTEGER GENERATED ALWAYS AS (k * 2))`
      )
      assert.deepStrictEqual(yield* Repair.table(`"a.b"`), { table: "main.a.b", rows: 1 })
      assert.deepStrictEqual(
        yield* DuckDB.query(
          `SELECT comment FROM duckdb_tables() WHERE table_name = 'a.b'
           UNION ALL SELECT comment FROM duckdb_columns() WHERE table_name = 'a.b' AND column_name = 'v'`
        ),
        [{ comment: "it's kept" }, { comment: "the value" }]
      )
      assert.strictEqual((yield* Effect.flip(Repair.table("g"))).reason, "InvalidInput")
    }).pipe(Effect.provide(DuckDB.layerMemory)))
})
