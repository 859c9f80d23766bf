import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
  type JS,
  JSToDuckDBValueConverter
} from "@duckdb/node-api"
import duckdb from "@duckdb/node-bindings"
import type { RowInput, Value } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import * as Sql from "../Sql.js"
import * as Statements from "./statements.js"
import * as Values from "./values.js"
import * as VectorWriter from "./vectorWriter.js"

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
  statements: Statements.StatementCache,
  table: string,
  columns: ReadonlyArray<string>
): Promise<AppendTarget> => {
  const name = Sql.parseName(table)
  const result = await statements.run(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND schema_name = coalesce($2, current_schema())
     AND database_name = current_database() ORDER BY column_index`,
    [name.name, name.schema ?? null]
  )
  const columnNames = Statements.rowObjects(result, (value) => String(value)).map((row) => String(row.column_name))
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

const convert = (value: Value, type: DuckDBType): DuckDBValue => {
  try {
    // Value is JS with readonly containers; the converter only reads them.
    return JSToDuckDBValueConverter(value as JS, type, JSToDuckDBValueConverter)
  } catch (cause) {
    throw new VectorWriter.ConversionFailure(cause instanceof Error ? cause.message : String(cause))
  }
}

/**
 * A column of a type {@link VectorWriter.make} has no writer for (LIST, MAP, DECIMAL, …, or a STRUCT holding one),
 * written through `@duckdb/node-api`'s vector classes and JS converter.
 */
const viaConverter = (vector: DuckDBVector, type: DuckDBType): VectorWriter.ColumnWriter => ({
  write: (row, value) => vector.setItem(row, convert(value, type)),
  writeNull: (row) => vector.setItem(row, null),
  flush: () => vector.flush()
})

/**
 * @internal Appends rows through one appender, a data chunk of 2048 rows at a time (the chunk is reused: the appender
 * copies it); returns the number of rows appended.
 */
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
    const direct = types.map(VectorWriter.make)
    const chunk = DuckDBDataChunk.create(types)
    for (let offset = 0; offset < rows.length; offset += VectorWriter.CHUNK_ROWS) {
      const count = Math.min(VectorWriter.CHUNK_ROWS, rows.length - offset)
      chunk.reset()
      chunk.rowCount = count
      for (let c = 0; c < target.columnCount; c++) {
        const column = direct[c] ?? viaConverter(chunk.getColumnVector(c), types[c]!)
        const source = target.sourceIndex[c]!
        if (source < 0) {
          for (let r = 0; r < count; r++) column.writeNull(r)
        } else {
          const name = columns[source]!
          let r = 0
          try {
            for (; r < count; r++) {
              const cell = cellOf(rows[offset + r]!, source, name)
              if (cell === null) column.writeNull(r)
              else column.write(r, cell)
            }
          } catch (cause) {
            throw DuckDBError.make(
              "Conversion",
              `Cannot append row ${offset + r} to ${label}: column "${name}" is ${types[c]!.toString()}: ${
                cause instanceof Error ? cause.message : String(cause)
              }.`,
              { cause }
            )
          }
        }
        column.flush(duckdb.data_chunk_get_vector(chunk.chunk, c), count)
      }
      appender.appendDataChunk(chunk)
    }
    appender.flushSync()
  } finally {
    appender.closeSync()
  }
  return rows.length
}
