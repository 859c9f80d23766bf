import { Backup, DuckDB, type DuckDBError } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { tempDir } from "./helpers.js"

const reasonOf = <A>(exit: Exit.Exit<A, DuckDBError.DuckDBError>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.reason : undefined

const seed = Effect.gen(function*() {
  yield* DuckDB.execute(`
    CREATE SCHEMA raw;
    CREATE TABLE raw.pages (id INTEGER PRIMARY KEY, payload VARCHAR);
    INSERT INTO raw.pages SELECT range, 'page ' || range FROM range(100);
    CREATE VIEW page_count AS SELECT count(*) AS n FROM raw.pages;
    CREATE TABLE notes (note VARCHAR);
    INSERT INTO notes VALUES ('before');
    CREATE SEQUENCE ids START 10`)
})

const snapshot = Effect.gen(function*() {
  const [pages] = yield* DuckDB.query("SELECT n FROM page_count")
  const notes = yield* DuckDB.query("SELECT note FROM notes ORDER BY note")
  return { pages: pages!.n, notes: notes.map((r) => r.note) }
})

describe("Backup", () => {
  for (const kind of ["file", "memory"] as const) {
    it.scoped(`backs up and restores a ${kind} database in place`, () =>
      Effect.gen(function*() {
        const dir = yield* tempDir
        const db = yield* DuckDB.make({ path: kind === "file" ? Path.join(dir, "live.duckdb") : ":memory:" })
        yield* Effect.gen(function*() {
          yield* seed
          const backups = Path.join(dir, "backups")
          const info = yield* Backup.backup(backups)
          assert.strictEqual(info.method, kind === "file" ? "file-copy" : "copy-database")
          assert.isAbove(info.bytes, 0)
          assert.isTrue(Fs.existsSync(Path.join(backups, info.id, "database.duckdb")))
          // change everything, then restore
          yield* DuckDB.execute(`
            DELETE FROM raw.pages WHERE id < 50; INSERT INTO notes VALUES ('after');
            CREATE TABLE extra (x INTEGER); CREATE SCHEMA scratch; DROP VIEW page_count;
            CREATE VIEW page_count AS SELECT -1 AS n`)
          const second = yield* Backup.backup(backups)
          const listed = yield* Backup.listBackups(backups)
          assert.deepStrictEqual(listed.map((b) => b.id), [info.id, second.id])
          const restored = yield* Backup.restore(backups, info.id)
          assert.strictEqual(restored.id, info.id)
          assert.deepStrictEqual(yield* snapshot, { pages: 100, notes: ["before"] })
          const tables = yield* DuckDB.query(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY ALL"
          )
          assert.deepStrictEqual(tables, [
            { schema_name: "main", table_name: "notes" },
            { schema_name: "raw", table_name: "pages" }
          ])
          // the primary key came back with the data
          const duplicate = yield* Effect.exit(DuckDB.execute("INSERT INTO raw.pages VALUES (1, 'again')"))
          assert.strictEqual(reasonOf(duplicate), "Constraint")
          // and the later backup restores the later state
          yield* Backup.restore(backups, second.id)
          assert.deepStrictEqual(yield* snapshot, { pages: -1, notes: ["after", "before"] })
        }).pipe(Effect.provideService(DuckDB.DuckDB, db))
      }))
  }

  it.scoped("restores a database whose tables use a type of its own (an ENUM)", () =>
    Effect.gen(function*() {
      const backups = Path.join(yield* tempDir, "backups")
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* Effect.gen(function*() {
        yield* DuckDB.execute("CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE TABLE moods (m mood)")
        yield* DuckDB.execute("INSERT INTO moods VALUES ('happy')")
        const info = yield* Backup.backup(backups)
        yield* DuckDB.execute("INSERT INTO moods VALUES ('sad')")
        yield* Backup.restore(backups, info.id)
        assert.deepStrictEqual(yield* DuckDB.query("SELECT m::VARCHAR AS m FROM moods"), [{ m: "happy" }])
        const [type] = yield* DuckDB.query("SELECT typeof(m) AS t FROM moods")
        assert.strictEqual(type?.t, "ENUM('happy', 'sad')")
      }).pipe(Effect.provideService(DuckDB.DuckDB, db))
    }))

  it.scoped("rejects ids that escape the directory and ignores incomplete backups", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      for (const id of ["../etc", "/abs", "a/b", "..", "", "x..y"]) {
        assert.strictEqual(reasonOf(yield* Effect.exit(Backup.validateId(id))), "InvalidInput", id)
      }
      assert.strictEqual(yield* Backup.validateId("20261123T101010000Z-abc123"), "20261123T101010000Z-abc123")
      Fs.mkdirSync(Path.join(dir, ".half.partial"))
      Fs.mkdirSync(Path.join(dir, "no-manifest"))
      assert.deepStrictEqual(yield* Backup.listBackups(dir), [])
      assert.deepStrictEqual(yield* Backup.listBackups(Path.join(dir, "missing")), [])
      const missing = yield* Effect.exit(Backup.restore(dir, "no-manifest").pipe(Effect.provide(DuckDB.layerMemory)))
      assert.strictEqual(reasonOf(missing), "InvalidInput")
      const escape = yield* Effect.exit(Backup.restore(dir, "../x").pipe(Effect.provide(DuckDB.layerMemory)))
      assert.strictEqual(reasonOf(escape), "InvalidInput")
    }))
})
