import {
  dateValue,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBListValue,
  type DuckDBMaterializedResult,
  type DuckDBPreparedStatement,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  listValue,
  timestampTZValue,
  uuidValue
} from "@duckdb/node-api"
import * as DuckDBError from "../DuckDBError.js"

/**
 * @internal
 * Changes of what kept statements folded in when they were prepared, counted across the connections of a database:
 * DuckDB does not plan a statement that reads no table again (`SELECT m($1)`, `INSERT … VALUES ($1)`), so a macro
 * replaced, a setting (`SET TimeZone`), a variable, an attached database or a loaded extension changed since would
 * not reach it. Each cache drops its statements when the count moved since it last ran one.
 */
export interface SessionState {
  changes: number
}

// The first word of each statement of a text (comments and string literals left out, roughly: a false match only
// costs preparing the statements again).
const STATE_STATEMENT =
  /(?:^|;)\s*(?:set|reset|use|attach|detach|load|install|pragma|(?:create|drop)\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(?:macro|function|type))\b/i

/** @internal Whether a text may change what kept statements folded in (see {@link SessionState}). */
export const changesSessionState = (sql: string): boolean =>
  STATE_STATEMENT.test(sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, " "))

/** A statement prepared once, with the type DuckDB resolved for each of its parameters (when it resolved one). */
interface Prepared {
  readonly statement: DuckDBPreparedStatement
  readonly types: ReadonlyArray<DuckDBType | undefined>
}

/**
 * @internal
 * The prepared statements of one connection, by SQL text, least recently used first out.
 *
 * `connection.run(sql, params)` extracts, prepares and runs the statement: three asynchronous calls, each waiting for
 * a thread of libuv's pool and then for a turn of the event loop (here a new statement is prepared in one call). Under load (a busy event loop and DuckDB's threads
 * taken by other queries) each wait costs milliseconds, and the writer, which everything else queues behind, spent
 * more time waiting than executing. A statement prepared once runs in one call.
 */
export class StatementCache {
  private readonly prepared = new Map<string, Prepared>()
  private seen: number

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly capacity: number,
    private readonly state: SessionState = { changes: 0 }
  ) {
    this.seen = state.changes
  }

  /**
   * Runs `sql` with `params` (prepared once and kept), or as a plain query without them.
   *
   * A statement with no parameters (`[]` too) is never kept: DuckDB (1.5.6) runs such a prepared statement's plan as it
   * was first made, and that plan can miss rows written since (measured: a view shaped like the event log's
   * `meta.runs` kept answering "Running" for a run finished after the first run of the statement, and a plain
   * `SELECT` prepared over an empty table kept answering no rows): statistics of the moment baked into the plan, as in
   * duckdb/duckdb#23704 and #24182 (fixed upstream by #24696, not in 1.5.6). With parameters, DuckDB plans a
   * statement that reads a table again at each run (the tests show it); one that reads none keeps its plan, which is
   * why a change it may have folded in drops every kept statement (see {@link SessionState}).
   */
  async run(
    sql: string,
    params: Array<DuckDBValue> | Record<string, DuckDBValue> | undefined
  ): Promise<DuckDBMaterializedResult> {
    if (this.seen !== this.state.changes) {
      this.clear()
      this.seen = this.state.changes
    }
    try {
      return await this.runKept(sql, params)
    } finally {
      if (changesSessionState(sql)) this.state.changes++
    }
  }

  private async runKept(
    sql: string,
    params: Array<DuckDBValue> | Record<string, DuckDBValue> | undefined
  ): Promise<DuckDBMaterializedResult> {
    if (params === undefined || (Array.isArray(params) ? params.length === 0 : Object.keys(params).length === 0)) {
      return this.connection.run(sql)
    }
    const statement = await this.statement(sql)
    // Several statements in one text cannot be prepared as one: the connection runs them in turn.
    if (statement === undefined) return this.connection.run(sql, params)
    bind(statement, params)
    try {
      return await statement.statement.run()
    } finally {
      statement.statement.clearBindings()
      // The plan keeps the values of its last run until its next one: a statement given archived pages (megabytes) is
      // prepared again next time rather than kept holding them.
      if (boundBytes(params) > RETAINED_BYTES) this.forget(sql, statement)
    }
  }

  // (A statement no longer kept was destroyed when it was evicted.)
  private forget(sql: string, statement: Prepared): void {
    if (this.prepared.get(sql) !== statement) return
    this.prepared.delete(sql)
    statement.statement.destroySync()
  }

  /** Destroys every kept statement (before the connection closes). */
  clear(): void {
    for (const { statement } of this.prepared.values()) statement.destroySync()
    this.prepared.clear()
  }

  // One call for the usual single statement; a text DuckDB cannot prepare as one (several statements, or an error)
  // is split to tell which (an error then shows as the statement's own).
  private async prepareOne(sql: string): Promise<DuckDBPreparedStatement | undefined> {
    try {
      return await this.connection.prepare(sql)
    } catch {
      const extracted = await this.connection.extractStatements(sql)
      return extracted.count === 1 ? await extracted.prepare(0) : undefined
    }
  }

  private async statement(sql: string): Promise<Prepared | undefined> {
    const found = this.prepared.get(sql)
    if (found !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      this.prepared.delete(sql)
      this.prepared.set(sql, found)
      return found
    }
    const statement = await this.prepareOne(sql)
    if (statement === undefined) return undefined
    const prepared = { statement, types: parameterTypes(statement) }
    this.prepared.set(sql, prepared)
    if (this.prepared.size > this.capacity) {
      const [oldest, evicted] = this.prepared.entries().next().value ?? []
      if (oldest !== undefined && evicted !== undefined) {
        this.prepared.delete(oldest)
        evicted.statement.destroySync()
      }
    }
    return prepared
  }
}

/** The most a kept statement may hold of its last values: strings and blobs, in characters and bytes. */
const RETAINED_BYTES = 64 * 1024

const boundBytes = (params: Array<DuckDBValue> | Record<string, DuckDBValue>): number => {
  let bytes = 0
  for (const value of Array.isArray(params) ? params : Object.values(params)) {
    if (typeof value === "string") bytes += value.length
    else if (value instanceof DuckDBBlobValue) bytes += value.bytes.length
  }
  return bytes
}

/** The type of each parameter, by position from 0, or undefined where DuckDB left it open (`SELECT $1`). */
const parameterTypes = (statement: DuckDBPreparedStatement): ReadonlyArray<DuckDBType | undefined> =>
  Array.from({ length: statement.parameterCount }, (_, i) => {
    try {
      return statement.parameterType(i + 1)
    } catch {
      return undefined
    }
  })

// The integers a bigint parameter can be: a HUGEINT, or a UHUGEINT where DuckDB resolved that type.
const HUGEINT_MIN = -(2n ** 127n)
const HUGEINT_MAX = 2n ** 127n - 1n
const UHUGEINT_MAX = 2n ** 128n - 1n

/**
 * Binds `params`, each value as the statement's own type for it when the value converts to that type exactly, else as
 * the type the binding library infers from the value (DuckDB then casts it).
 *
 * DuckDB binds a prepared statement again, plan and all, on every run whose values' types differ from the types it
 * resolved at prepare (`PreparedStatementData::RequireRebind`): a JS integer is inferred as INTEGER, so every run of an
 * insert into a BIGINT column was planned afresh, and planning folds the values as constants (a copy of every payload
 * bound). A NULL is always of type NULL, so a NULL value still costs a new plan: a statement run often with one is
 * better written with the literal NULL (`Sql.valuesRows`).
 */
const bind = (prepared: Prepared, params: Array<DuckDBValue> | Record<string, DuckDBValue>): void => {
  const { statement, types } = prepared
  const bindAt = (index: number, value: DuckDBValue) => {
    const type = types[index - 1]
    const typed = type === undefined ? undefined : asType(type, value)
    if (type !== undefined && typed !== undefined) return statement.bindValue(index, typed, type)
    // Bound as it is, a bigint is a HUGEINT, and the binding wraps one outside its 128 bits round to the other sign.
    if (typeof value === "bigint" && (value < HUGEINT_MIN || value > HUGEINT_MAX)) {
      throw DuckDBError.make(
        "Conversion",
        `Parameter $${index} is ${value}, outside a HUGEINT (128-bit integer); a column of type UHUGEINT takes up to ` +
          `2^128 - 1`
      )
    }
    statement.bindValue(index, value)
  }
  if (Array.isArray(params)) params.forEach((value, i) => bindAt(i + 1, value))
  else for (const name of Object.keys(params)) bindAt(statement.parameterIndex(name), params[name] ?? null)
}

const integerRanges: Partial<Record<DuckDBTypeId, readonly [number, number]>> = {
  [DuckDBTypeId.TINYINT]: [-128, 127],
  [DuckDBTypeId.SMALLINT]: [-32_768, 32_767],
  [DuckDBTypeId.INTEGER]: [-2_147_483_648, 2_147_483_647],
  [DuckDBTypeId.BIGINT]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  [DuckDBTypeId.UTINYINT]: [0, 255],
  [DuckDBTypeId.USMALLINT]: [0, 65_535],
  [DuckDBTypeId.UINTEGER]: [0, 4_294_967_295],
  [DuckDBTypeId.UBIGINT]: [0, Number.MAX_SAFE_INTEGER]
}

const MICROS_PER_DAY = 86_400_000_000n
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * `value` as a value of `type` (what `@duckdb/node-api`'s `createValue` takes for it) when it converts exactly, else
 * undefined: a NULL, or a value DuckDB would have to cast (a fraction for an integer, a time of day for a DATE).
 */
const asType = (type: DuckDBType, value: DuckDBValue): DuckDBValue | undefined => {
  if (value === null) return undefined
  const range = integerRanges[type.typeId]
  if (range !== undefined) {
    return typeof value === "number" && Number.isInteger(value) && value >= range[0] && value <= range[1]
      ? value
      : undefined
  }
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return typeof value === "boolean" ? value : undefined
    case DuckDBTypeId.DOUBLE:
      return typeof value === "number" ? value : undefined
    case DuckDBTypeId.HUGEINT:
      return typeof value === "bigint" && value >= HUGEINT_MIN && value <= HUGEINT_MAX ? value : undefined
    case DuckDBTypeId.UHUGEINT:
      return typeof value === "bigint" && value >= 0n && value <= UHUGEINT_MAX ? value : undefined
    case DuckDBTypeId.VARCHAR:
      return typeof value === "string" ? value : undefined
    case DuckDBTypeId.BLOB:
      return value instanceof DuckDBBlobValue ? value : undefined
    case DuckDBTypeId.TIMESTAMP:
      return value instanceof DuckDBTimestampValue ? value : undefined
    case DuckDBTypeId.TIMESTAMP_TZ:
      // the same microseconds as an instant: DuckDB's own cast from TIMESTAMP reads them in the session's TimeZone
      return value instanceof DuckDBTimestampValue ? timestampTZValue(value.micros) : undefined
    case DuckDBTypeId.DATE:
      if (value instanceof DuckDBDateValue) return value
      return value instanceof DuckDBTimestampValue && value.micros % MICROS_PER_DAY === 0n
        ? dateValue(Number(value.micros / MICROS_PER_DAY))
        : undefined
    case DuckDBTypeId.UUID:
      return typeof value === "string" && UUID.test(value)
        ? uuidValue(BigInt(`0x${value.replaceAll("-", "")}`))
        : undefined
    case DuckDBTypeId.LIST: {
      if (!(value instanceof DuckDBListValue)) return undefined
      const items: Array<DuckDBValue> = []
      for (const item of value.items) {
        // a NULL item is a NULL of the list's item type
        const typed = item === null ? null : asType(type.valueType, item)
        if (typed === undefined) return undefined
        items.push(typed)
      }
      return listValue(items)
    }
    default:
      return undefined
  }
}

/**
 * @internal
 * The rows of a materialized result as objects, read synchronously (the chunks are already in memory: reading them
 * through a result reader costs an asynchronous call per chunk).
 */
export const rowObjects = <T>(
  result: DuckDBMaterializedResult,
  converter: DuckDBValueConverter<T>
): Array<Record<string, T | null>> => {
  const names = result.deduplicatedColumnNames()
  const rows: Array<Record<string, T | null>> = []
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c)
    for (let r = 0; r < chunk.rowCount; r++) {
      const row: Record<string, T | null> = {}
      chunk.visitRowValues(r, (value, _row, column, type) => {
        row[names[column]!] = converter(value, type, converter)
      })
      rows.push(row)
    }
  }
  return rows
}
