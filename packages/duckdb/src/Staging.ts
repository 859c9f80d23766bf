/**
 * Typed staging of raw JSON pages: the records inside page payloads stored in a table become typed rows, parsed by
 * DuckDB with the structure derived from an `effect/Schema`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"
import * as Sql from "./Sql.js"
import * as Tables from "./Tables.js"

/**
 * What to stage.
 *
 * - `source`: the table (or view) of pages, e.g. `raw.api_pages`; or several tables of the same columns, e.g. the
 *   segments of an archive (`raw.payload_segment_0`, …), whose pages are staged together.
 * - `payload`: the column holding each page's JSON text (VARCHAR or JSON).
 * - `path`: where the records array sits in a page, dot-separated (default `"data"`, PNCP's envelope); `""` when the
 *   payload is the array itself.
 * - `schema`: the record Schema; the `from_json` structure and column types come from it (`Tables`).
 * - `target`: the table to insert into, by column name. Created (from the query's types) when missing, unless
 *   `createTarget` is false.
 * - `where`: an SQL condition on the source rows (e.g. `endpoint = 'contratacoes' AND partition_key = '2025-01-02'`).
 * - `carry`: source columns copied next to each record (e.g. `["collected_at"]` to deduplicate keeping the newest).
 * - `mode`: `"append"` (default) or `"replace"` (the target's rows are deleted first).
 * - `parallelism`: how many connections parse pages at once (default 1). A scan of a table smaller than one DuckDB
 *   row group (122,880 pages) is a single task, so `from_json` runs on one thread. With several `source` tables, the
 *   n connections take the tables one after another, each connection inserting in one transaction of its own. With
 *   one `source`, its rowids, from the first to the last page `where` selects, are cut into n contiguous ranges, one
 *   per connection (so `source` must be a table, not a view); contiguous, not `rowid % n`: with a modulo every
 *   connection reads and parses every page before the filter drops it (1,000,000 records on 2 cores: 44–57 s of CPU
 *   against 25–36 s for ranges). Separate tables parallelize better than ranges: DuckDB compresses a row group's
 *   strings as one stream, so a range in the middle of a table decompresses what precedes it. Outside
 *   `withTransaction` each part commits on its own (not atomic); inside one, the pages are staged on the
 *   transaction's connection, one source table after another, as with `parallelism` 1. One statement over a
 *   `UNION ALL` (atomic) does not run its branches side by side.
 *
 *   Each part is one single-task statement, and DuckDB's blocking query loop polls for work while another thread
 *   runs its query's only task: with the instance's `threads` above 1 the pollers take CPU from the parts. The parts
 *   run fastest in an instance (or a moment) with `threads` = 1, where each runs on its own caller thread
 *   (`bench/duckdb.bench.ts`: 1,000,000 records on 2 cores in 50 tables, 2 parts: 11.5–12.4 s with one thread
 *   against 15.9–18.4 s with two; 20–23 s from one table on one connection).
 *
 * @since 0.1.0
 * @category models
 */
export interface StageJsonPages<A, I, R> {
  readonly source: string | ReadonlyArray<string>
  readonly payload: string
  readonly path?: string | undefined
  readonly schema: Schema.Schema<A, I, R>
  readonly target: string
  readonly where?: string | undefined
  readonly carry?: ReadonlyArray<string> | undefined
  readonly mode?: "append" | "replace" | undefined
  readonly createTarget?: boolean | undefined
  readonly parallelism?: number | undefined
}

/**
 * A half-open range of a table's rowids, `from` included, `to` excluded.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowidRange {
  readonly from: number
  readonly to: number
}

/**
 * The `SELECT` that turns pages into typed rows (the carried columns first, then one column per Schema field).
 *
 * **Details**
 *
 * Pages are parsed with `from_json(payload, structure)` where `structure` wraps the Schema's row structure in the
 * page's envelope, the records list is taken with `struct_extract` and `unnest`ed, and the row STRUCT is expanded
 * with a second `unnest`. Unlike `unnest(..., recursive := true)` this keeps nested structs as STRUCT columns (the
 * recursive form flattens them, and collides on repeated field names such as `ufNome`), and in
 * `bench/duckdb.bench.ts` it was as fast or faster; writing the payloads out for `read_json` was slower (the copy
 * costs more than the parallel parse saves). Parsing pages costs about 1.3× the CPU of `read_json` on the same
 * records.
 *
 * @since 0.1.0
 * @category constructors
 */
export const selectSql = <A, I, R>(
  options: Omit<StageJsonPages<A, I, R>, "source" | "target" | "mode" | "createTarget" | "parallelism"> & {
    readonly source: string
  },
  rowids?: RowidRange
): string => {
  const keys = (options.path ?? "data").split(".").filter((key) => key.length > 0)
  let structure = `[${Tables.jsonStructure(options.schema)}]`
  for (const key of [...keys].reverse()) structure = `{${JSON.stringify(key)}:${structure}}`
  let records = `from_json(${Sql.identifier(options.payload)}, ${Sql.literal(structure)})`
  for (const key of keys) records = `struct_extract(${records}, ${Sql.literal(key)})`
  const carry = (options.carry ?? []).map(Sql.identifier)
  const conditions = [
    ...(options.where === undefined ? [] : [`(${options.where})`]),
    ...(rowids === undefined ? [] : [`rowid >= ${rowids.from} AND rowid < ${rowids.to}`])
  ]
  return [
    `SELECT ${[...carry, "unnest(__record)"].join(", ")}`,
    `FROM (SELECT ${[...carry, `unnest(${records}) AS __record`].join(", ")}`,
    `  FROM ${Sql.tableName(options.source)}${conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`})`
  ].join("\n")
}

/**
 * Stages the records of JSON pages into a typed table; returns the number of rows inserted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stageJsonPages = <A, I, R>(
  options: StageJsonPages<A, I, R>
): Effect.Effect<number, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    const sources = typeof options.source === "string" ? [options.source] : [...options.source]
    const selectOf = (source: string, rowids?: RowidRange) =>
      Effect.try({
        try: () => selectSql({ ...options, source }, rowids),
        catch: (error) =>
          DuckDBError.isDuckDBError(error) ? error : DuckDBError.make("InvalidInput", String(error), { cause: error })
      })
    const [first] = sources
    if (first === undefined) {
      return yield* DuckDBError.make("InvalidInput", `Cannot stage into ${options.target}: no source table was given.`)
    }
    const target = Sql.tableName(options.target)
    const prepare = [
      ...(options.createTarget === false
        ? []
        : [`CREATE TABLE IF NOT EXISTS ${target} AS ${yield* selectOf(first)}\nLIMIT 0`]),
      ...(options.mode === "replace" ? [`DELETE FROM ${target}`] : [])
    ]
    const insert = (source: string, rowids?: RowidRange) =>
      Effect.map(selectOf(source, rowids), (select) => `INSERT INTO ${target} BY NAME\n${select}`)
    const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1))
    // Inside the caller's transaction there is one connection: the sources are staged in turn on it.
    if (parallelism === 1 || (yield* db.inTransaction)) {
      return yield* db.withTransaction(Effect.gen(function*() {
        for (const sql of prepare) yield* db.execute(sql)
        let inserted = 0
        for (const source of sources) inserted += yield* db.execute(yield* insert(source))
        return inserted
      }))
    }
    for (const sql of prepare) yield* db.execute(sql)
    if (sources.length > 1) {
      return yield* executeInParts(yield* Effect.forEach(sources, (source) => insert(source)), parallelism)
    }
    return yield* stageRanges(db, first, options.where, insert, parallelism)
  })

/**
 * Runs independent writes, such as the inserts of one source table each, on `parallelism` connections; returns the
 * rows they changed in all. Each connection takes the next statement until none is left, all of its statements in one
 * transaction of its own: one commit per connection, where small autocommitted inserts would each go through the WAL.
 * A failed statement stops the other connections and rolls back those not yet committed, but what a connection already
 * committed stays: outside a transaction this is not atomic. Inside `withTransaction` the statements run in turn on
 * the transaction's connection, atomically.
 *
 * @since 0.1.0
 * @category combinators
 */
export const executeInParts = (
  statements: ReadonlyArray<string>,
  parallelism: number
): Effect.Effect<number, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const db = yield* DuckDB.DuckDB
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      return yield* DuckDBError.make("InvalidInput", `parallelism must be a positive integer, not ${parallelism}.`)
    }
    const connections = Math.min(parallelism, statements.length)
    if (connections <= 1 || (yield* db.inTransaction)) {
      return yield* db.withTransaction(
        Effect.reduce(statements, 0, (changed, sql) => Effect.map(db.execute(sql), (n) => changed + n))
      )
    }
    let next = 0
    let failed = false
    const counts = yield* db.withParallelConnections(
      connections,
      async (connection) => {
        let changed = 0
        await connection.run("BEGIN TRANSACTION")
        try {
          for (let sql = statements[next++]; sql !== undefined && !failed; sql = statements[next++]) {
            changed += (await connection.run(sql)).rowsChanged
          }
          // Another part failed: roll back quietly, so the error the caller gets is that part's own, whichever
          // connection settles first.
          if (failed) {
            await connection.run("ROLLBACK")
            return 0
          }
          await connection.run("COMMIT")
        } catch (error) {
          failed = true
          await connection.run("ROLLBACK").catch(() => undefined)
          throw error
        }
        return changed
      },
      statements[0]
    )
    return counts.reduce((a, b) => a + b, 0)
  })

/** The insert of one source table cut into contiguous rowid ranges, one per connection. */
const stageRanges = (
  db: DuckDB.Service,
  source: string,
  where: string | undefined,
  insert: (source: string, rowids?: RowidRange) => Effect.Effect<string, DuckDBError.DuckDBError>,
  parallelism: number
) =>
  Effect.gen(function*() {
    // The ranges span the rowids of the pages `where` selects, so each part gets a share of those pages.
    const [bounds] = yield* db.queryAs(RowidBounds)(
      `SELECT coalesce(min(rowid), 0) AS first, coalesce(max(rowid) + 1, 0) AS end FROM ${Sql.tableName(source)}${
        where === undefined ? "" : ` WHERE (${where})`
      }`
    )
    const ranges = rowidRanges(bounds?.first ?? 0, bounds?.end ?? 0, parallelism)
    return yield* executeInParts(yield* Effect.forEach(ranges, (range) => insert(source, range)), ranges.length)
  })

const RowidBounds = Schema.Struct({ first: Schema.Number, end: Schema.Number })

/** Cuts `[first, end)` into at most `parts` contiguous ranges of nearly equal size (at least one, possibly empty). */
const rowidRanges = (first: number, end: number, parts: number): ReadonlyArray<RowidRange> => {
  const rows = Math.max(0, end - first)
  const count = Math.max(1, Math.min(parts, rows))
  return Array.from({ length: count }, (_, i) => ({
    from: first + Math.floor((rows * i) / count),
    to: first + Math.floor((rows * (i + 1)) / count)
  }))
}
