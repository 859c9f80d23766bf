import { DuckDB, DuckDBError, Migrations } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Path from "node:path"
import { tempDir } from "./helpers.js"

const pncp = Migrations.make("pncp", [
  { id: 2, name: "add a column", up: "ALTER TABLE staging.itens ADD COLUMN valor DOUBLE" },
  { id: 1, name: "create staging", up: "CREATE SCHEMA staging; CREATE TABLE staging.itens (id INTEGER)" },
  {
    id: 3,
    name: "seed with an Effect",
    up: Effect.asVoid(DuckDB.execute("INSERT INTO staging.itens VALUES (1, 2.5)"))
  }
])

describe("Migrations (read-only)", () => {
  it.scoped("a read-only database that is up to date runs without writing; a pending migration fails ReadOnly", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "m.duckdb")
      const sets = [Migrations.meta, pncp]
      const first = yield* Effect.scoped(
        Effect.flatMap(
          DuckDB.make({ path }),
          (db) => Migrations.run(sets).pipe(Effect.provideService(DuckDB.DuckDB, db))
        )
      )
      assert.strictEqual(first.length, 4)
      const readOnly = yield* DuckDB.make({ path, readOnly: true })
      yield* Effect.gen(function*() {
        assert.deepStrictEqual(yield* Migrations.run(sets), [])
        const pending = yield* Effect.flip(
          Migrations.run([
            ...sets,
            Migrations.make("later", [{ id: 1, name: "t", up: "CREATE TABLE later (x INTEGER)" }])
          ])
        )
        assert.strictEqual(pending.reason, "ReadOnly")
        assert.include(pending.message, `needs migrations: later/1 ("t")`)
      }).pipe(Effect.provideService(DuckDB.DuckDB, readOnly))
    }))

  it.scoped("a read-only database without the migrations table has none applied", () =>
    Effect.gen(function*() {
      const path = Path.join(yield* tempDir, "empty.duckdb")
      yield* Effect.scoped(DuckDB.make({ path }))
      const readOnly = yield* DuckDB.make({ path, readOnly: true })
      yield* Effect.gen(function*() {
        assert.deepStrictEqual(yield* Migrations.run([]), [])
        assert.strictEqual((yield* Effect.flip(Migrations.run([Migrations.meta]))).reason, "ReadOnly")
      }).pipe(Effect.provideService(DuckDB.DuckDB, readOnly))
    }))
})

describe("Migrations (order)", () => {
  // Migrations are ordered: a migration that is inserted *before* one already applied cannot run in its order any more.
  // Running it after the later one silently (what happens now) breaks "ordered"; the run should refuse it.
  it.scoped("a new migration whose id sorts before an applied one is refused, naming both", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      const run = (sets: ReadonlyArray<Migrations.MigrationSet>) =>
        Effect.provideService(Migrations.run(sets), DuckDB.DuckDB, db)
      yield* run([Migrations.make("app", [
        { id: 1, name: "a", up: "CREATE TABLE a (x INTEGER)" },
        { id: 3, name: "c", up: "CREATE TABLE c (x INTEGER)" }
      ])])
      const exit = yield* Effect.exit(run([Migrations.make("app", [
        { id: 1, name: "a", up: "CREATE TABLE a (x INTEGER)" },
        { id: 2, name: "b", up: "CREATE TABLE b (x INTEGER)" },
        { id: 3, name: "c", up: "CREATE TABLE c (x INTEGER)" }
      ])]))
      assert.isTrue(
        Exit.isFailure(exit) && exit.cause._tag === "Fail" && DuckDBError.isDuckDBError(exit.cause.error) &&
          exit.cause.error.reason === "InvalidInput" && exit.cause.error.message.includes("app/2 (after 3)"),
        `app/2 was applied after app/3: ${JSON.stringify(exit)}`
      )
      const tables = yield* Effect.provideService(
        DuckDB.query("SELECT table_name FROM duckdb_tables() WHERE table_name = 'b'"),
        DuckDB.DuckDB,
        db
      )
      assert.deepStrictEqual(tables, [], "nothing of app/2 ran")
    }))
})

layer(DuckDB.layerMemory)("Migrations", (it) => {
  it.effect("applies pending migrations in order, once, each recorded", () =>
    Effect.gen(function*() {
      const first = yield* Migrations.run([Migrations.meta, pncp])
      assert.deepStrictEqual(first.map((m) => `${m.namespace}/${m.id}`), ["meta/1", "pncp/1", "pncp/2", "pncp/3"])
      const second = yield* Migrations.run([Migrations.meta, pncp])
      assert.deepStrictEqual(second, [])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT * FROM staging.itens"), [{ id: 1, valor: 2.5 }])
      const recorded = yield* DuckDB.query(
        "SELECT namespace, id, name, checksum IS NOT NULL AS has_checksum FROM meta.schema_migrations ORDER BY ALL"
      )
      assert.deepStrictEqual(recorded, [
        { namespace: "meta", id: 1, name: "create the meta schema", has_checksum: true },
        { namespace: "pncp", id: 1, name: "create staging", has_checksum: true },
        { namespace: "pncp", id: 2, name: "add a column", has_checksum: true },
        { namespace: "pncp", id: 3, name: "seed with an Effect", has_checksum: false }
      ])
    }))

  it.effect("a failing migration rolls back entirely and is not recorded", () =>
    Effect.gen(function*() {
      const broken = Migrations.make("broken", [
        { id: 1, name: "half", up: "CREATE TABLE half_done (x INTEGER); INSERT INTO nowhere VALUES (1)" }
      ])
      const exit = yield* Effect.exit(Migrations.run([broken]))
      assert.isTrue(Exit.isFailure(exit))
      const left = yield* DuckDB.query(
        `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done') AS tables,
          (SELECT count(*) FROM meta.schema_migrations WHERE namespace = 'broken') AS records`
      )
      assert.deepStrictEqual(left, [{ tables: 0, records: 0 }])
    }))

  it.effect("a failing migration's error names it and keeps the original reason and error", () =>
    Effect.gen(function*() {
      const broken = Migrations.make("named", [
        { id: 1, name: "fine", up: "CREATE TABLE named_fine (x INTEGER)" },
        { id: 2, name: "backfill", up: "INSERT INTO named_fine SELECT * FROM named_old" }
      ])
      const error = yield* Effect.flip(Migrations.run([broken]))
      assert.match(error.message, /^Migration named\/2 \("backfill"\) failed: Catalog Error: .*named_old/)
      assert.strictEqual(error.reason, "Catalog")
      assert.isTrue(DuckDBError.isDuckDBError(error.cause) && error.cause.message.startsWith("Catalog Error"))
    }))

  it.effect("an applied migration edited afterwards, or duplicate ids, fail the run", () =>
    Effect.gen(function*() {
      yield* Migrations.run([Migrations.make("edit", [{ id: 1, name: "t", up: "CREATE TABLE edited (x INTEGER)" }])])
      const edited = yield* Effect.exit(
        Migrations.run([Migrations.make("edit", [{ id: 1, name: "t", up: "CREATE TABLE edited (x BIGINT)" }])])
      )
      assert.isTrue(Exit.isFailure(edited) && String(edited.cause).includes("changed after it was applied"))
      const duplicate = yield* Effect.exit(Migrations.run([
        Migrations.make("dup", [{ id: 1, name: "a", up: "SELECT 1" }, { id: 1, name: "b", up: "SELECT 1" }])
      ]))
      assert.isTrue(Exit.isFailure(duplicate) && String(duplicate.cause).includes("duplicate id"))
      const concurrent = yield* Effect.all(
        [
          Migrations.run([Migrations.make("race", [{ id: 1, name: "r", up: "CREATE TABLE raced (x INTEGER)" }])]),
          Migrations.run([Migrations.make("race", [{ id: 1, name: "r", up: "CREATE TABLE raced (x INTEGER)" }])])
        ],
        { concurrency: "unbounded" }
      )
      assert.strictEqual(concurrent[0].length + concurrent[1].length, 1)
    }))
})
