/**
 * Appending JS rows to a table, two ways.
 *
 * In order: DuckDB's Appender, a data chunk at a time. It does all of its work on the calling thread, which from Node
 * is the JS thread: filling the chunks, copying them into the table's storage and compressing full row groups.
 *
 * In any order: `INSERT INTO table SELECT * FROM baliza_append_rows(id)`, where the rows come from a table function
 * that fills DuckDB's data chunks from a {@link RowFeed}. With `preserve_insertion_order` off DuckDB inserts on all of
 * its threads and calls back into JS only to fill each chunk: one thread writes a chunk into the table (and compresses
 * the row groups it fills) while JS fills the next. In order, the same statement runs on one thread, each chunk's
 * storage work waiting for its filling and each chunk a round trip to the JS thread: slower than the Appender
 * (measured 0.6–0.7× on narrow rows), hence the two ways.
 *
 * @internal
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTableFunction,
  type DuckDBTableFunctionInfo,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
  INTEGER,
  type JS,
  JSToDuckDBValueConverter
} from "@duckdb/node-api"
import duckdb from "@duckdb/node-bindings"
import * as Effect from "effect/Effect"
import type { RowInput, Value } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import * as Sql from "../Sql.js"
import * as Values from "./values.js"
import * as VectorWriter from "./vectorWriter.js"

/** @internal The resolved target of an append: the table's columns and where each input column lands. */
export interface AppendTarget {
  /** The table, quoted for SQL. */
  readonly table: string
  readonly name: string
  readonly schema: string | undefined
  readonly catalog: string | undefined
  readonly label: string
  readonly types: ReadonlyArray<DuckDBType>
  /** For each table column, the index in the caller's `columns`, or -1 (appended as NULL). */
  readonly sourceIndex: ReadonlyArray<number>
  readonly columnNames: ReadonlyArray<string>
  /** The caller's columns. */
  readonly columns: ReadonlyArray<string>
}

// DuckDB reads `a.t` as schema `a` of the current database or, when it has no such schema, as attached database `a`
// (its default schema); the Appender must be told which, so a two-part name it cannot find is tried as the latter.
const createAppender = (connection: DuckDBConnection, target: AppendTarget): Promise<DuckDBAppender> =>
  connection.createAppender(target.name, target.schema ?? null, target.catalog ?? null).catch((cause: unknown) =>
    target.catalog === undefined && target.schema !== undefined
      ? connection.createAppender(target.name, null, target.schema).catch(() => Promise.reject(cause))
      : Promise.reject(cause)
  )

/** @internal Looks up the table's columns (on the given connection, so a table created in the same transaction is seen). */
export const resolveTarget = async (
  connection: DuckDBConnection,
  table: string,
  columns: ReadonlyArray<string>
): Promise<AppendTarget> => {
  const name = Sql.parseName(table)
  const quoted = Sql.tableName(table)
  // the statement's result columns are the table's columns, with their names and types
  const shape = await connection.prepare(`SELECT * FROM ${quoted} LIMIT 0`).catch((cause: unknown) => {
    const error = DuckDBError.fromCause(cause)
    throw error.reason === "Catalog"
      ? DuckDBError.make("Catalog", `Cannot append to ${table}: the table does not exist.`, { cause })
      : error
  })
  try {
    const columnNames = Array.from({ length: shape.columnCount }, (_, i) => shape.columnName(i))
    const unknown = columns.filter((column) => !columnNames.includes(column))
    if (unknown.length > 0) {
      throw DuckDBError.make(
        "Catalog",
        `Cannot append to ${table}: no column named ${unknown.map((c) => `"${c}"`).join(", ")} (the table has ${
          columnNames.map((c) => `"${c}"`).join(", ")
        }).`
      )
    }
    const position = new Map(columns.map((column, i) => [column, i] as const))
    return {
      table: quoted,
      name: name.name,
      schema: name.schema,
      catalog: name.catalog,
      label: [name.catalog, name.schema, name.name].filter((part) => part !== undefined).join("."),
      types: columnNames.map((_, i) => shape.columnType(i)),
      sourceIndex: columnNames.map((column) => position.get(column) ?? -1),
      columnNames,
      columns
    }
  } finally {
    shape.destroySync()
  }
}

/**
 * @internal
 * The rows of one append on their way to DuckDB: the stream offers them, an append in order takes those waiting, the
 * table function a data chunk at a time. At most `capacity` rows wait (plus the last chunk offered): `offer` waits for room.
 */
export class RowFeed {
  private rows: Array<RowInput> = []
  private head = 0
  private ended = false
  private failure: DuckDBError.DuckDBError | undefined = undefined
  /** Rows taken so far: the index, in the whole append, of the next row taken. */
  taken = 0
  /** Open while there is room for more rows. */
  private readonly room = Effect.unsafeMakeLatch(true)
  /** Open while an append has work: `capacity` rows are waiting, or the rows have ended. */
  readonly ready = Effect.unsafeMakeLatch(false)

  constructor(readonly capacity: number) {}

  /** A feed holding all of `rows`, ended. */
  static of(rows: Iterable<RowInput>): RowFeed {
    const feed = new RowFeed(Number.POSITIVE_INFINITY)
    feed.rows = Array.isArray(rows) ? rows : Array.from(rows)
    feed.end()
    return feed
  }

  get size(): number {
    return this.rows.length - this.head
  }

  /** No more rows will be offered. */
  get isEnded(): boolean {
    return this.ended
  }

  /** Every row has been offered and taken. */
  get done(): boolean {
    return this.ended && this.size === 0
  }

  /** Adds rows, then waits while the feed is full; fails once the inserts have failed. */
  offer(rows: Iterable<RowInput>): Effect.Effect<void, DuckDBError.DuckDBError> {
    return Effect.suspend(() => {
      if (this.failure !== undefined) return Effect.fail(this.failure)
      for (const row of rows) this.rows.push(row)
      this.update()
      return Effect.zipRight(
        this.room.await,
        Effect.suspend(() => this.failure === undefined ? Effect.void : Effect.fail(this.failure))
      )
    })
  }

  /** No more rows will be offered. */
  end(): void {
    this.ended = true
    this.update()
  }

  /** The inserts have failed: whoever offers or waits is told. */
  fail(error: DuckDBError.DuckDBError): void {
    this.failure = error
    this.room.unsafeOpen()
    this.ready.unsafeOpen()
  }

  /** Takes up to `max` rows (synchronously: DuckDB's call for the next chunk waits on the JS thread). */
  take(max: number): ReadonlyArray<RowInput> {
    const end = Math.min(this.rows.length, this.head + max)
    // all of it (an appendRows, a batch in order): no copy
    const taken = this.head === 0 && end === this.rows.length ? this.rows : this.rows.slice(this.head, end)
    this.head = end
    this.taken += taken.length
    if (this.head === this.rows.length) {
      this.rows = []
      this.head = 0
    } else if (this.head >= 65_536) {
      this.rows = this.rows.slice(this.head)
      this.head = 0
    }
    this.update()
    return taken
  }

  private update(): void {
    if (this.failure !== undefined) return
    if (this.size < this.capacity) this.room.unsafeOpen()
    else this.room.unsafeClose()
    if (this.ended || this.size >= this.capacity) this.ready.unsafeOpen()
    else this.ready.unsafeClose()
  }
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

const cellOf = (row: RowInput, index: number, name: string): Value => {
  if (Values.isValueArray(row)) return row[index] ?? null
  return row[name] ?? null
}

/**
 * Writes `count` rows from `rows[start]` into the chunk's vectors (its row count already set), or throws a
 * `Conversion` error naming the row's index in the whole append (`first` is the first row's) and its column.
 */
const writeChunk = (
  target: AppendTarget,
  writers: ReadonlyArray<VectorWriter.ColumnWriter | undefined>,
  chunk: DuckDBDataChunk,
  rows: ReadonlyArray<RowInput>,
  start: number,
  count: number,
  first: number
): void => {
  for (let c = 0; c < target.types.length; c++) {
    const type = target.types[c]!
    const column = writers[c] ?? viaConverter(chunk.getColumnVector(c), type)
    const source = target.sourceIndex[c]!
    if (source < 0) {
      for (let r = 0; r < count; r++) column.writeNull(r)
    } else {
      const name = target.columns[source]!
      let r = 0
      try {
        for (; r < count; r++) {
          const cell = cellOf(rows[start + r]!, source, name)
          if (cell === null) column.writeNull(r)
          else column.write(r, cell)
        }
      } catch (cause) {
        throw DuckDBError.make(
          "Conversion",
          `Cannot append row ${first + r} to ${target.label}: column "${name}" is ${type.toString()}: ${
            cause instanceof Error ? cause.message : String(cause)
          }.`,
          { cause }
        )
      }
    }
    column.flush(duckdb.data_chunk_get_vector(chunk.chunk, c), count)
  }
}

/**
 * @internal
 * Appends the rows waiting in the feed through one Appender, in order, a data chunk at a time (the chunk is reused:
 * the Appender copies it). A failure leaves rows appended before it: run it in a transaction.
 */
export const appendInOrder = async (
  connection: DuckDBConnection,
  target: AppendTarget,
  feed: RowFeed
): Promise<number> => {
  const first = feed.taken
  const rows = feed.take(feed.size)
  const appender = await createAppender(connection, target)
  try {
    const writers = target.types.map(VectorWriter.make)
    const chunk = DuckDBDataChunk.create([...target.types])
    for (let offset = 0; offset < rows.length; offset += VectorWriter.CHUNK_ROWS) {
      const count = Math.min(VectorWriter.CHUNK_ROWS, rows.length - offset)
      chunk.reset()
      chunk.rowCount = count
      writeChunk(target, writers, chunk, rows, offset, count, first + offset)
      appender.appendDataChunk(chunk)
    }
    appender.flushSync()
  } catch (error) {
    // closing flushes: drop what is buffered, so that closing neither appends it nor fails again on it
    appender.clear()
    throw error
  } finally {
    appender.closeSync()
  }
  return rows.length
}

/** One insert's rows: fills DuckDB's chunks from the feed, and keeps the first failure to report it typed. */
class RowSource {
  private readonly writers: ReadonlyArray<VectorWriter.ColumnWriter | undefined>
  failure: DuckDBError.DuckDBError | undefined = undefined
  rows = 0

  constructor(readonly target: AppendTarget, readonly feed: RowFeed) {
    this.writers = target.types.map(VectorWriter.make)
  }

  fill(info: DuckDBTableFunctionInfo, output: DuckDBDataChunk): void {
    const first = this.feed.taken
    const rows = this.failure === undefined ? this.feed.take(VectorWriter.CHUNK_ROWS) : []
    output.rowCount = rows.length
    if (rows.length === 0) return
    try {
      writeChunk(this.target, this.writers, output, rows, 0, rows.length, first)
    } catch (error) {
      this.failure = DuckDBError.isDuckDBError(error) ? error : DuckDBError.fromCause(error)
      output.rowCount = 0
      return info.setError(this.failure.message)
    }
    this.rows += rows.length
  }
}

const FUNCTION = "baliza_append_rows"

// The rows of the inserts in flight, by the id their statement passes to the table function.
const sources = new Map<number, RowSource>()
let nextSource = 0

const sourceOf = (id: DuckDBValue): RowSource | undefined => typeof id === "number" ? sources.get(id) : undefined

const rowSourceFunction = (): DuckDBTableFunction =>
  DuckDBTableFunction.create({
    name: FUNCTION,
    parameterTypes: [INTEGER],
    bindFunction: (info) => {
      const source = sourceOf(info.getParameter(0))
      if (source === undefined) return info.setError(`${FUNCTION} is only called by DuckDB's appends.`)
      source.target.columnNames.forEach((name, c) => info.addResultColumn(name, source.target.types[c]!))
      info.setBindData(source)
    },
    // as many threads as DuckDB has: each takes the next chunk from the feed
    initFunction: (info) => info.setMaxThreads(1024),
    mainFunction: (info, output) => {
      const source = info.bindData
      if (source instanceof RowSource) source.fill(info, output)
      else output.rowCount = 0
    }
  })

/** @internal Makes `baliza_append_rows` known to the connection's database (once per instance is enough). */
export const register = (connection: DuckDBConnection): void => connection.registerTableFunction(rowSourceFunction())

// Connections whose session may still have `preserve_insertion_order` off: the RESET after an insert fails when the
// insert failed inside a transaction (aborted until its ROLLBACK), or is interrupted with it.
const unordered = new WeakSet<DuckDBConnection>()

/**
 * @internal
 * Runs `f` on the connection once `preserve_insertion_order` is back to DuckDB's setting, if an insert left it off.
 * (In an aborted transaction the RESET fails and waits for a statement after the ROLLBACK.)
 */
export const inOrder = <A>(connection: DuckDBConnection, f: (connection: DuckDBConnection) => Promise<A>): Promise<A> =>
  unordered.has(connection) ? restoreOrder(connection).catch(() => undefined).then(() => f(connection)) : f(connection)

const restoreOrder = async (connection: DuckDBConnection): Promise<void> => {
  await connection.run("RESET SESSION preserve_insertion_order")
  unordered.delete(connection)
}

/**
 * @internal
 * Inserts rows from the feed, in any order, until it is empty (it may be refilled for another insert) and returns
 * how many: one statement, atomic, run with `preserve_insertion_order` off so that DuckDB inserts on all its threads.
 */
export const insertInAnyOrder = async (
  connection: DuckDBConnection,
  target: AppendTarget,
  feed: RowFeed
): Promise<number> => {
  const id = nextSource
  nextSource = (nextSource + 1) % 2 ** 31
  const source = new RowSource(target, feed)
  sources.set(id, source)
  try {
    unordered.add(connection)
    await connection.run("SET SESSION preserve_insertion_order = false")
    await connection.run(`INSERT INTO ${target.table} SELECT * FROM ${FUNCTION}(${id})`)
  } catch (cause) {
    throw source.failure ?? cause
  } finally {
    sources.delete(id)
    // fails in an aborted transaction or when interrupted: the writer's next statement restores it then (`inOrder`)
    await restoreOrder(connection).catch(() => undefined)
  }
  return source.rows
}
