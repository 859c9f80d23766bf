import { DuckDB, Repair } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Logger } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { commitOutOfMemory, keyBatch, squeezed, tempDir } from "./helpers.js"

const { insert, select: batch } = keyBatch("raw.payload_index", 2000)

/**
 * A file whose key index a failed commit left holding the keys of batch 1 without their rows (batch 0 committed), with
 * an index and a view on the table; the marker the failure left beside it is returned.
 */
const phantomKeys = (path: string) =>
  Effect.scoped(Effect.gen(function*() {
    const db = yield* DuckDB.make(squeezed(path))
    yield* db.execute(
      `CREATE SCHEMA raw;
       CREATE TABLE raw.payload_index (sha256 VARCHAR PRIMARY KEY, segment INTEGER NOT NULL);
       CREATE INDEX payload_segment ON raw.payload_index (segment);
       CREATE VIEW raw.segments AS SELECT DISTINCT segment FROM raw.payload_index;
       CREATE TABLE raw.notes (note VARCHAR)`
    )
    assert.lengthOf(yield* db.query(insert(0)), 2000)
    assert.isTrue(Exit.isFailure(yield* commitOutOfMemory(db, db.query(insert(1)))))
    return `${path}.rebuild-keys`
  }))

/** The messages logged by what `logged` is provided to. */
const capturedLogs = () => {
  const logs: Array<string> = []
  const logged = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(String(message))))
  return { logs, logged }
}

describe("Repair", () => {
  it.scoped(
    "rebuilds a table whose key index a failed commit left holding keys without their rows",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "phantoms.duckdb")
        const marker = yield* phantomKeys(path)
        // as a file that failed without its marker (an older version): the keys stay until the table is rebuilt
        assert.include(Fs.readFileSync(marker, "utf8"), "Failed to commit")
        Fs.rmSync(marker)
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

  it.scoped(
    "the next open of a file a failed commit marked rebuilds its tables with keys by itself, once",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "marked.duckdb")
        const marker = yield* phantomKeys(path)
        // a read-only open leaves the file as it is
        yield* Effect.scoped(Effect.flatMap(DuckDB.make({ path, readOnly: true }), (db) => db.query("SELECT 1 AS x")))
        assert.isTrue(Fs.existsSync(marker))
        const { logged, logs } = capturedLogs()
        // so does an open told not to rebuild (`baliza repair` rebuilds every table itself): the keys are still refused
        yield* Effect.scoped(
          Effect.flatMap(DuckDB.make({ path, rebuildMarkedTables: false }), (db) => Effect.flip(db.query(insert(1))))
        ).pipe(
          Effect.map((refused) => assert.include(refused.message, "Duplicate key")),
          Effect.provide(logged)
        )
        assert.isTrue(Fs.existsSync(marker))
        assert.deepStrictEqual(logs, [])

        yield* Effect.scoped(
          Effect.gen(function*() {
            const db = yield* DuckDB.make({ path })
            assert.isFalse(Fs.existsSync(marker), "the marker is removed once the tables are rebuilt")
            // the batch whose commit failed goes in (ON CONFLICT DO NOTHING refused it before the rebuild), as itself
            assert.lengthOf(yield* db.query(insert(1)), 2000)
            assert.deepStrictEqual(
              yield* db.query("SELECT segment, count(*) AS n FROM raw.payload_index GROUP BY ALL ORDER BY ALL"),
              [{ segment: 0, n: 2000 }, { segment: 1, n: 2000 }]
            )
            assert.deepStrictEqual(yield* db.query("SELECT count(*) AS n FROM raw.segments"), [{ n: 2 }])
            assert.deepStrictEqual(
              yield* db.query("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'payload_index'"),
              [{ index_name: "payload_segment" }]
            )
          }).pipe(Effect.provide(logged))
        )
        assert.isTrue(logs.some((line) => line.includes("failed in an earlier run")), logs.join("\n"))
        assert.isTrue(
          logs.some((line) => line.includes("Rebuilt 1 of 1 tables with keys (2000 rows)")),
          logs.join("\n")
        )

        // opened again: nothing to rebuild
        logs.length = 0
        yield* Effect.scoped(DuckDB.make({ path })).pipe(Effect.provide(logged))
        assert.deepStrictEqual(logs, [])
      }),
    60_000
  )

  it.scoped(
    "an automatic rebuild that fails is tried once: later opens say so and open, and keyedTables then does it",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "big.duckdb")
        const marker = `${path}.rebuild-keys`
        yield* Effect.scoped(Effect.flatMap(DuckDB.make({ path }), (db) =>
          db.execute(
            `CREATE TABLE big (k VARCHAR PRIMARY KEY, v VARCHAR);
             INSERT INTO big SELECT sha256(range::VARCHAR), repeat(md5(range::VARCHAR), 4) FROM range(300000)`
          )))
        Fs.writeFileSync(marker, "{}")
        const { logged, logs } = capturedLogs()
        // too little memory to copy the table aside: the open still succeeds, the marker keeps what was not rebuilt
        const openSqueezed = Effect.scoped(
          Effect.flatMap(DuckDB.make(squeezed(path)), (db) => db.query("SELECT count(*) AS n FROM big"))
        ).pipe(Effect.provide(logged))
        assert.deepStrictEqual(yield* openSqueezed, [{ n: 300000 }])
        assert.isTrue(logs.some((line) => line.includes(`Cannot rebuild "main"."big": DuckDB ran out of memory`)))
        assert.deepStrictEqual(JSON.parse(Fs.readFileSync(marker, "utf8")).notRebuilt, [`"main"."big"`])
        // tried once: the next open says so and opens, rebuilding nothing
        logs.length = 0
        assert.deepStrictEqual(yield* openSqueezed, [{ n: 300000 }])
        assert.isFalse(logs.some((line) => line.startsWith("Rebuilt ")), logs.join("\n"))
        const said = logs.find((line) => line.includes(`did not succeed (not rebuilt: "main"."big")`))
        assert.include(said, "baliza repair")
        // by hand, with memory enough
        const rebuilt = yield* Repair.keyedTables.pipe(Effect.provide(DuckDB.layer({ path })))
        assert.deepStrictEqual(rebuilt, [{ table: "main.big", rows: 300000 }])
        assert.isFalse(Fs.existsSync(marker))
      }),
    60_000
  )

  it.scoped(
    "a new failed COMMIT after an automatic rebuild that failed gets its own rebuild at the next open",
    () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const path = Path.join(dir, "again.duckdb")
        const marker = `${path}.rebuild-keys`
        const earlier = {
          failedAt: "2026-01-01T00:00:00.000Z",
          failure: "earlier",
          attempts: 1,
          notRebuilt: [`"m"."t"`]
        }
        Fs.writeFileSync(marker, JSON.stringify(earlier))
        yield* phantomKeys(path)
        const now = JSON.parse(Fs.readFileSync(marker, "utf8"))
        assert.strictEqual(now.attempts, 0)
        assert.include(now.failure, "Failed to commit")
        assert.deepStrictEqual(now.notRebuilt, earlier.notRebuilt)
      }),
    60_000
  )

  it.scoped("a marked file's table that cannot be rebuilt is said in the log, and the rest is rebuilt", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const path = Path.join(dir, "generated.duckdb")
      yield* Effect.scoped(Effect.flatMap(DuckDB.make({ path }), (db) =>
        db.execute(
          `CREATE TABLE g (k INTEGER PRIMARY KEY, d INTEGER GENERATED ALWAYS AS (k * 2));
           CREATE TABLE t (k INTEGER PRIMARY KEY); INSERT INTO g (k) VALUES (1); INSERT INTO t VALUES (1), (2)`
        )))
      Fs.writeFileSync(`${path}.rebuild-keys`, "{}")
      const { logged, logs } = capturedLogs()
      yield* Effect.scoped(Effect.gen(function*() {
        const db = yield* DuckDB.make({ path })
        assert.deepStrictEqual(yield* db.query("SELECT k, d FROM g"), [{ k: 1, d: 2 }])
        assert.deepStrictEqual(yield* db.query("SELECT count(*) AS n FROM t"), [{ n: 2 }])
      })).pipe(Effect.provide(logged))
      assert.isTrue(logs.some((line) => line.includes("Rebuilt 1 of 2 tables with keys (2 rows)")), logs.join("\n"))
      assert.isTrue(
        logs.some((line) => line.includes(`Cannot rebuild "main"."g": it has generated columns`)),
        logs.join("\n")
      )
      assert.isFalse(Fs.existsSync(`${path}.rebuild-keys`))
    }))

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
