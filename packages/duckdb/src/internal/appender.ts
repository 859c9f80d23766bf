import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  type JS,
  JSToDuckDBValueConverter
} from "@duckdb/node-api"
import type { RowInput, Value } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import * as Sql from "../Sql.js"
import * as Values from "./values.js"

// DuckDB's vector size: one data chunk per 2048 rows is what the appender flushes natively.
const CHUNK_ROWS = 2048

/** @internal The resolved target of an append: the table's columns and where each input column lands. */
export interface AppendTarget {
  readonly table: string
  readonly schema: string | undefined
  readonly columnCount: number
  /** For each table column, the index in the caller's `columns`, or -1 (appended as NULL). */
  readonly sourceIndex: ReadonlyArray<number>
  readonly columnNames: ReadonlyArray<string>
}

/** @internal Looks up the table's columns (on the given connection, so a table created in the same transaction is seen). */
export const resolveTarget = async (
  connection: DuckDBConnection,
  table: string,
  columns: ReadonlyArray<string>
): Promise<AppendTarget> => {
  const name = Sql.parseName(table)
  const reader = await connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND schema_name = coalesce($2, current_schema())
     AND database_name = current_database() ORDER BY column_index`,
    [name.name, name.schema ?? null]
  )
  const columnNames = reader.getRows().map((row) => String(row[0]))
  if (columnNames.length === 0) {
    throw DuckDBError.make("Catalog", `Cannot append to ${table}: the table does not exist.`)
  }
  const position = new Map(columns.map((column, i) => [column, i] as const))
  const unknown = columns.filter((column) => !columnNames.includes(column))
  if (unknown.length > 0) {
    throw DuckDBError.make(
      "Catalog",
      `Cannot append to ${table}: no column named ${unknown.map((c) => `"${c}"`).join(", ")} (the table has ${
        columnNames.map((c) => `"${c}"`).join(", ")
      }).`
    )
  }
  return {
    table: name.name,
    schema: name.schema,
    columnCount: columnNames.length,
    sourceIndex: columnNames.map((column) => position.get(column) ?? -1),
    columnNames
  }
}

const cellOf = (row: RowInput, index: number, name: string): Value => {
  if (Values.isValueArray(row)) return row[index] ?? null
  return row[name] ?? null
}

const convertColumn = (
  rows: ReadonlyArray<RowInput>,
  offset: number,
  count: number,
  source: number,
  name: string,
  type: DuckDBType,
  table: string
): Array<DuckDBValue> => {
  const out = new Array<DuckDBValue>(count)
  for (let r = 0; r < count; r++) {
    const cell = cellOf(rows[offset + r]!, source, name)
    try {
      // Value is JS with readonly containers; the converter only reads them.
      out[r] = JSToDuckDBValueConverter(cell as JS, type, JSToDuckDBValueConverter)
    } catch (cause) {
      throw DuckDBError.make(
        "Conversion",
        `Cannot append row ${offset + r} to ${table}: column "${name}" is ${type.toString()}, got ${describe(cell)} (${
          cause instanceof Error ? cause.message : String(cause)
        }).`,
        { cause }
      )
    }
  }
  return out
}

const describe = (value: Value): string => {
  if (value instanceof Date) return "a Date"
  if (Array.isArray(value)) return "an array"
  if (value instanceof Uint8Array) return "bytes"
  const text = typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(String(value))}`
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}

/** @internal Appends rows through one appender in data chunks; returns the number of rows appended. */
export const appendAll = async (
  connection: DuckDBConnection,
  target: AppendTarget,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<RowInput>
): Promise<number> => {
  const appender: DuckDBAppender = await connection.createAppender(target.table, target.schema ?? null)
  try {
    const types = Array.from({ length: target.columnCount }, (_, i) => appender.columnType(i))
    const label = target.schema === undefined ? target.table : `${target.schema}.${target.table}`
    for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows.length - offset)
      const chunk = DuckDBDataChunk.create(types, count)
      for (let c = 0; c < target.columnCount; c++) {
        const source = target.sourceIndex[c]!
        const values = source < 0
          ? new Array<DuckDBValue>(count).fill(null)
          : convertColumn(rows, offset, count, source, columns[source]!, types[c]!, label)
        chunk.setColumnValues(c, values)
      }
      appender.appendDataChunk(chunk)
    }
    appender.flushSync()
  } finally {
    appender.closeSync()
  }
  return rows.length
}
