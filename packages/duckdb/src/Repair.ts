/**
 * Rebuilding tables whose key index DuckDB left inconsistent.
 *
 * **Details**
 *
 * After a COMMIT that failed for lack of memory, DuckDB 1.5.6 can keep keys of the failed transaction in a primary
 * key's (or unique constraint's) index without their rows: every later insert of such a key fails with "Duplicate
 * key", `ON CONFLICT DO NOTHING` included, and a lookup of one may return another row. The keys survive reopening,
 * `CHECKPOINT` and `VACUUM`; only a table created anew clears them. `table` copies a table's rows aside, drops it,
 * creates it again from its own DDL (and its indexes and comments), and puts the rows back, in one transaction.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"
import * as Sql from "./Sql.js"

/**
 * A table rebuilt: its name as `schema.table` and the rows it holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rebuilt {
  readonly table: string
  readonly rows: number
}

// In the current database: a catalog's tables are those of the database the statements run in.
const where = "database_name = current_database() AND schema_name = $1 AND table_name = $2"

/**
 * Rebuilds one table of the current database (`schema.table`, or a table of the current schema) with its
 * constraints, indexes and comments; returns its rows. A table that does not exist fails with reason `Catalog`, one
 * with generated columns with `InvalidInput`, and one another table's foreign key references with DuckDB's refusal to
 * drop it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const table = (name: string): Effect.Effect<Rebuilt, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const parsed = Sql.parseName(name)
    if (parsed.catalog !== undefined) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: only tables of the current database.`)
    }
    const [schema] = parsed.schema === undefined
      ? yield* DuckDB.query("SELECT current_schema() AS s")
      : [{ s: parsed.schema }]
    const params = [String(schema?.s), parsed.name]
    const [found] = yield* DuckDB.query(`SELECT sql FROM duckdb_tables() WHERE ${where}`, params)
    if (found === undefined) {
      return yield* DuckDBError.make("Catalog", `Cannot rebuild ${name}: there is no such table.`)
    }
    const ddl = String(found.sql)
    // (their values would go into the copy as plain columns, which the table then refuses)
    if (/\bGENERATED\s+ALWAYS\b/i.test(ddl)) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: it has generated columns.`)
    }
    const indexes = yield* DuckDB.query(`SELECT sql FROM duckdb_indexes() WHERE ${where} AND sql IS NOT NULL`, params)
    const comments = yield* DuckDB.query(
      `SELECT NULL AS column_name, comment FROM duckdb_tables() WHERE ${where} AND comment IS NOT NULL
       UNION ALL SELECT column_name, comment FROM duckdb_columns() WHERE ${where} AND comment IS NOT NULL`,
      params
    )
    const target = `${Sql.identifier(params[0]!)}.${Sql.identifier(parsed.name)}`
    const copy = `${Sql.identifier(params[0]!)}.${Sql.identifier(`${parsed.name}__rebuild`)}`
    const rows = yield* DuckDB.withTransaction(Effect.gen(function*() {
      yield* DuckDB.execute(`CREATE TABLE ${copy} AS SELECT * FROM ${target}`)
      yield* DuckDB.execute(`DROP TABLE ${target}`)
      yield* DuckDB.execute(ddl)
      const inserted = yield* DuckDB.execute(`INSERT INTO ${target} SELECT * FROM ${copy}`)
      for (const index of indexes) yield* DuckDB.execute(String(index.sql))
      for (const { column_name, comment } of comments) {
        const on = column_name === null ? `TABLE ${target}` : `COLUMN ${target}.${Sql.identifier(String(column_name))}`
        yield* DuckDB.execute(`COMMENT ON ${on} IS ${Sql.literal(String(comment))}`)
      }
      yield* DuckDB.execute(`DROP TABLE ${copy}`)
      return inserted
    }))
    return { table: `${params[0]}.${parsed.name}`, rows }
  })

/**
 * Rebuilds every table of the current database that has a primary key or a unique constraint (the tables an index
 * keeps keys of), one transaction each; returns them in name order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const keyedTables: Effect.Effect<ReadonlyArray<Rebuilt>, DuckDBError.DuckDBError, DuckDB.DuckDB> = Effect
  .flatMap(
    DuckDB.query(
      `SELECT DISTINCT schema_name, table_name FROM duckdb_constraints()
       WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       ORDER BY ALL`
    ),
    (tables) =>
      Effect.forEach(
        tables,
        (row) => table(`${Sql.identifier(String(row.schema_name))}.${Sql.identifier(String(row.table_name))}`)
      )
  )
