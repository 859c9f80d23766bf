/**
 * Many rows updated in place or inserted, in one statement whatever their number.
 *
 * `INSERT … ON CONFLICT (key) DO UPDATE` updates the rows whose key exists and inserts the others. State tables
 * (checkpoints, asset state) mostly update rows seen before, and rows written together (see `BatchWriter`) cost one
 * statement, not one per row. With `deferred` the statement goes out with the transaction's next call to DuckDB,
 * usually its COMMIT (`DuckDB.executeDeferred`), without a round trip of its own.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as DuckDB from "./DuckDB.js"
import type * as DuckDBError from "./DuckDBError.js"
import * as Sql from "./Sql.js"

/**
 * A column of the rows: its name and the SQL type its value is cast to in the VALUES list (a JS array for an
 * `INTEGER[]` column, say, is bound as that list, an empty one too). `insertOnly` columns are written by the INSERT and
 * left alone by the UPDATE (e.g. `started_at`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  readonly type: string
  readonly insertOnly?: boolean | undefined
}

/**
 * - `table`: the table, with a primary key or unique constraint on exactly `key`.
 * - `key`: the names of the columns that identify a row (a prefix or any subset of `columns`).
 * - `columns`: every column the rows give, in the order of each row's values.
 * - `deferred`: inside a transaction, write the rows with its next call to DuckDB, usually its COMMIT (values
 *   written into the statement's text, each cast to its column's type, a Date in a TIMESTAMPTZ column as its instant),
 *   so they cost no round trip of their own. Outside a transaction the rows are written at once either way. A Date
 *   nested in a STRUCT or LIST column is written as a TIMESTAMP (`Sql.valueLiteral`): bind such rows (no `deferred`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly table: string
  readonly key: ReadonlyArray<string>
  readonly columns: ReadonlyArray<Column>
  readonly deferred?: boolean | undefined
}

// The column numbering the rows of one statement (see `updateOrInsert`).
const ORDER = "__baliza_row"

/**
 * Updates the rows whose key exists and inserts the others (in the current transaction, if any). When several rows
 * have the same key, the last one wins.
 *
 * @since 0.1.0
 * @category constructors
 */
export const updateOrInsert = (options: Options) => {
  const names = options.columns.map((column) => Sql.identifier(column.name)).join(", ")
  const updatable = options.columns.filter((column) => column.insertOnly !== true && !options.key.includes(column.name))
  const onConflict = `ON CONFLICT (${options.key.map(Sql.identifier).join(", ")}) ${
    updatable.length === 0
      ? "DO NOTHING"
      : `DO UPDATE SET ${
        updatable.map((column) => `${Sql.identifier(column.name)} = excluded.${Sql.identifier(column.name)}`).join(", ")
      }`
  }`
  // DuckDB 1.5 does not refuse a key twice in one INSERT … ON CONFLICT: it keeps the first row. Keys that JavaScript
  // tells apart may be one key in SQL (a UUID in two letter cases, 7 and "7" in a VARCHAR column), so the rows are
  // numbered and the last of each key wins in SQL, by the column's own equality (a row with a NULL key part is its own
  // key, as in a UNIQUE constraint).
  const keys = options.key.map(Sql.identifier)
  const insert = (values: string) =>
    `INSERT INTO ${Sql.tableName(options.table)} (${names})
     SELECT ${names} FROM (VALUES ${values}) AS v(${names}, ${ORDER})
     QUALIFY ${keys.map((key) => `${key} IS NULL`).join(" OR ")}
       OR row_number() OVER (PARTITION BY ${keys.join(", ")} ORDER BY ${ORDER} DESC) = 1
     ${onConflict}`
  // Every value cast to its column's type (the row's number to INTEGER); as parameters, NULLs written as literals (see
  // `Sql.valuesRows`).
  const cast = (text: string, column: number) =>
    `${text}::${column < options.columns.length ? options.columns[column]!.type : "INTEGER"}`
  // Written into the text, a Date in a TIMESTAMPTZ column must be the instant (a TIMESTAMP cast reads the session's zone).
  const instants = options.columns.map((column) =>
    /^\s*(TIMESTAMPTZ|TIMESTAMP\s+WITH\s+TIME\s+ZONE)\s*$/i.test(column.type)
  )
  const literal = (value: DuckDB.Value | undefined, column: number) =>
    value instanceof Date && instants[column] === true ? Sql.instantLiteral(value) : Sql.valueLiteral(value)
  return (
    rows: ReadonlyArray<ReadonlyArray<DuckDB.Value>>
  ): Effect.Effect<void, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
    Effect.gen(function*() {
      // numbered: the last row of a key wins (see `insert`)
      const numbered = rows.map((row, order) => [...row, order])
      if (numbered.length === 0) return
      const db = yield* DuckDB.DuckDB
      if (options.deferred === true) {
        return yield* db.executeDeferred(insert(Sql.literalRows(numbered, { expression: cast, literal })))
      }
      const values = Sql.valuesRows(numbered, { expression: cast })
      yield* db.execute(insert(values.sql), values.params)
    })
}
