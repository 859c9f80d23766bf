/**
 * Many rows updated in place or inserted, in two statements whatever their number.
 *
 * An UPDATE of an existing row costs about a third of an `INSERT OR REPLACE` (a delete and an insert under the
 * primary key), and state tables (checkpoints, asset state) mostly update rows seen before. One `UPDATE … FROM
 * (VALUES …) RETURNING` updates every row that exists and names them; one INSERT adds the rest. On the one writer
 * connection each statement is a round trip that every other writer waits for, so rows written together (see
 * `BatchWriter`) cost two round trips, not two per row.
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
 * - `table`: the table, with a primary key or unique constraint on `key`.
 * - `key`: the names of the columns that identify a row (a prefix or any subset of `columns`).
 * - `columns`: every column the rows give, in the order of each row's values.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly table: string
  readonly key: ReadonlyArray<string>
  readonly columns: ReadonlyArray<Column>
}

// A key value as text that tells apart what the column does: `String` of a Date drops its milliseconds.
const keyPart = (value: DuckDB.Value | undefined): string =>
  value instanceof Date
    ? `date ${value.getTime()}`
    : value instanceof Uint8Array
    ? `bytes ${Array.from(value, (byte) => byte.toString(16).padStart(2, "0")).join("")}`
    : String(value)

/**
 * Updates the rows whose key exists and inserts the others (in the current transaction, if any). When several rows
 * have the same key, the last one wins.
 *
 * @since 0.1.0
 * @category constructors
 */
export const updateOrInsert = (options: Options) => {
  const positions = options.key.map((name) => options.columns.findIndex((column) => column.name === name))
  const names = options.columns.map((column) => Sql.identifier(column.name)).join(", ")
  const updatable = options.columns.filter((column) => column.insertOnly !== true && !options.key.includes(column.name))
  // (With nothing to update, the key itself: the UPDATE still tells which rows exist.)
  const set = (updatable.length > 0 ? updatable : options.columns.filter((c) => options.key.includes(c.name)))
    .map((column) => `${Sql.identifier(column.name)} = v.${Sql.identifier(column.name)}`)
    .join(", ")
  const on = options.key.map((name) => `t.${Sql.identifier(name)} = v.${Sql.identifier(name)}`).join(" AND ")
  const returning = options.key.map((name) => `t.${Sql.identifier(name)}`).join(", ")
  const table = Sql.tableName(options.table)
  // NULLs written as literals (see `Sql.valuesRows`), every value cast to its column's type.
  const valuesOf = (rows: ReadonlyArray<ReadonlyArray<DuckDB.Value>>) =>
    Sql.valuesRows(rows, { expression: (text, c) => `${text}::${options.columns[c]!.type}` })
  const keyText = (values: ReadonlyArray<DuckDB.Value | undefined>) => JSON.stringify(values.map(keyPart))
  const keyOf = (row: ReadonlyArray<DuckDB.Value>) => keyText(positions.map((p) => row[p]))

  return (
    rows: ReadonlyArray<ReadonlyArray<DuckDB.Value>>
  ): Effect.Effect<void, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
    Effect.gen(function*() {
      const byKey = new Map<string, ReadonlyArray<DuckDB.Value>>()
      for (const row of rows) {
        const key = keyOf(row)
        byKey.delete(key)
        byKey.set(key, row)
      }
      const distinct = [...byKey.values()]
      if (distinct.length === 0) return
      const db = yield* DuckDB.DuckDB
      const values = valuesOf(distinct)
      const updated = yield* db.query(
        `UPDATE ${table} AS t SET ${set}
         FROM (VALUES ${values.sql}) AS v(${names})
         WHERE ${on}
         RETURNING ${returning}`,
        values.params
      )
      const found = new Set(updated.map((row) => keyText(options.key.map((name) => row[name]))))
      const missing = distinct.filter((row) => !found.has(keyOf(row)))
      if (missing.length === 0) return
      const inserted = valuesOf(missing)
      yield* db.execute(`INSERT INTO ${table} (${names}) VALUES ${inserted.sql}`, inserted.params)
    })
}
