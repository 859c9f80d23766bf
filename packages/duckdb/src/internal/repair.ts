import * as Effect from "effect/Effect"
import * as NodeFs from "node:fs"
import type { Service } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import type { Rebuilt } from "../Repair.js"
import * as Sql from "../Sql.js"

// In the current database: a catalog's tables are those of the database the statements run in.
const where = "database_name = current_database() AND schema_name = $1 AND table_name = $2"

/** @internal */
export const rebuildTable = (db: Service, name: string): Effect.Effect<Rebuilt, DuckDBError.DuckDBError> =>
  Effect.gen(function*() {
    const parsed = Sql.parseName(name)
    if (parsed.catalog !== undefined) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: only tables of the current database.`)
    }
    const [schema] = parsed.schema === undefined
      ? yield* db.query("SELECT current_schema() AS s")
      : [{ s: parsed.schema }]
    const params = [String(schema?.s), parsed.name]
    const [found] = yield* db.query(`SELECT sql FROM duckdb_tables() WHERE ${where}`, params)
    if (found === undefined) {
      return yield* DuckDBError.make("Catalog", `Cannot rebuild ${name}: there is no such table.`)
    }
    const ddl = String(found.sql)
    // (their values would go into the copy as plain columns, which the table then refuses)
    if (/\bGENERATED\s+ALWAYS\b/i.test(ddl)) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: it has generated columns.`)
    }
    const indexes = yield* db.query(`SELECT sql FROM duckdb_indexes() WHERE ${where} AND sql IS NOT NULL`, params)
    const comments = yield* db.query(
      `SELECT NULL AS column_name, comment FROM duckdb_tables() WHERE ${where} AND comment IS NOT NULL
       UNION ALL SELECT column_name, comment FROM duckdb_columns() WHERE ${where} AND comment IS NOT NULL`,
      params
    )
    const target = `${Sql.identifier(params[0]!)}.${Sql.identifier(parsed.name)}`
    const copy = `${Sql.identifier(params[0]!)}.${Sql.identifier(`${parsed.name}__rebuild`)}`
    const rows = yield* db.withTransaction(Effect.gen(function*() {
      yield* db.execute(`CREATE TABLE ${copy} AS SELECT * FROM ${target}`)
      yield* db.execute(`DROP TABLE ${target}`)
      yield* db.execute(ddl)
      const inserted = yield* db.execute(`INSERT INTO ${target} SELECT * FROM ${copy}`)
      for (const index of indexes) yield* db.execute(String(index.sql))
      for (const { column_name, comment } of comments) {
        const on = column_name === null ? `TABLE ${target}` : `COLUMN ${target}.${Sql.identifier(String(column_name))}`
        yield* db.execute(`COMMENT ON ${on} IS ${Sql.literal(String(comment))}`)
      }
      yield* db.execute(`DROP TABLE ${copy}`)
      return inserted
    }))
    return { table: `${params[0]}.${parsed.name}`, rows }
  })

/** @internal The tables of the current database with a primary key or a unique constraint, in name order. */
export const keyedTableNames = (db: Service): Effect.Effect<ReadonlyArray<string>, DuckDBError.DuckDBError> =>
  Effect.map(
    db.query(
      `SELECT DISTINCT schema_name, table_name FROM duckdb_constraints()
       WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       ORDER BY ALL`
    ),
    (tables) =>
      tables.map((row) => `${Sql.identifier(String(row.schema_name))}.${Sql.identifier(String(row.table_name))}`)
  )

/**
 * @internal
 * The file beside a database that says a COMMIT on it failed (see `Health` in `client.ts`): its tables with keys are
 * rebuilt when it is next opened for writing. A file, because the database itself takes no more writes by then.
 */
export const markerOf = (path: string): string => `${path}.rebuild-keys`

/** @internal Leaves the marker; a marker that cannot be written costs the automatic rebuild, not the failure. */
export const markFailedCommit = (path: string, failure: string): void => {
  try {
    NodeFs.writeFileSync(markerOf(path), JSON.stringify({ failedAt: new Date().toISOString(), failure }) + "\n")
  } catch {
    // (the failure itself is still reported; `baliza repair` does the same by hand)
  }
}

/**
 * @internal
 * On a file a failed COMMIT marked: rebuilds every table with a key, each in its own transaction, and says so in the
 * log. A table that cannot be rebuilt (generated columns, a foreign key onto it) is logged and left as it is: its
 * keys then fail as the error's message describes. Returns whether it ran, so the caller drops the marker once the
 * database is still healthy.
 */
export const rebuildAfterFailedCommit = (db: Service): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const marker = markerOf(db.path)
    if (!NodeFs.existsSync(marker)) return false
    const started = Date.now()
    yield* Effect.logWarning(
      `A COMMIT on ${db.path} failed in an earlier run (${marker}): rebuilding its tables with keys, whose indexes ` +
        `DuckDB 1.5.6 may have left holding keys without rows.`
    )
    const tables = yield* Effect.orElseSucceed(keyedTableNames(db), () => [])
    const [failed, rebuilt] = yield* Effect.partition(tables, (table) => rebuildTable(db, table))
    const rows = rebuilt.reduce((sum, table) => sum + table.rows, 0)
    yield* Effect.logInfo(
      `Rebuilt ${rebuilt.length} of ${tables.length} tables with keys (${rows} rows) in ${Date.now() - started} ms.`
    )
    for (const error of failed) yield* Effect.logWarning(error.message)
    return true
  })

/** @internal */
export const removeMarker = (path: string): void => NodeFs.rmSync(markerOf(path), { force: true })
