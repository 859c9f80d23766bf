/**
 * Parquet export and import through DuckDB: `COPY … TO` (optionally hive-partitioned) and `read_parquet`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as NodeFsSync from "node:fs"
import * as NodeFs from "node:fs/promises"
import * as NodePath from "node:path"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"
import * as Sql from "./Sql.js"

/**
 * Parquet compression codecs DuckDB writes.
 *
 * @since 0.1.0
 * @category models
 */
export type Compression = "zstd" | "snappy" | "gzip" | "lz4" | "uncompressed"

/**
 * What to export and where.
 *
 * - `query` or `table`: the rows (a query may end with `;`, or with a `--` comment on a line of its own).
 * - `path`: a `.parquet` file, or a directory when `partitionBy` is given (hive layout `year=2025/month=1/…`).
 * - `partitionBy`: partition columns (they leave the files and live in the directory names).
 * - `compression`: default `"zstd"`.
 * - `overwrite`: replace an existing partitioned directory (default true); false adds files next to existing ones.
 * - `rowGroupSize`: rows per Parquet row group (DuckDB's default otherwise).
 *
 * @since 0.1.0
 * @category models
 */
export type ExportOptions =
  & ({ readonly query: string; readonly table?: never } | { readonly table: string; readonly query?: never })
  & {
    readonly path: string
    readonly partitionBy?: ReadonlyArray<string> | undefined
    readonly compression?: Compression | undefined
    readonly overwrite?: boolean | undefined
    readonly rowGroupSize?: number | undefined
  }

/**
 * The `COPY … TO` statement for an export.
 *
 * @since 0.1.0
 * @category constructors
 */
export const copySql = (options: ExportOptions): string => {
  const source = sourceOf(options)
  const settings = [`FORMAT parquet`, `COMPRESSION ${options.compression ?? "zstd"}`]
  const partitionBy = options.partitionBy ?? []
  if (partitionBy.length > 0) {
    settings.push(`PARTITION_BY (${partitionBy.map(Sql.identifier).join(", ")})`)
    settings.push(options.overwrite === false ? "APPEND true" : "OVERWRITE true")
  }
  if (options.rowGroupSize !== undefined) settings.push(`ROW_GROUP_SIZE ${Math.floor(options.rowGroupSize)}`)
  return `COPY ${source} TO ${Sql.literal(options.path)} (${settings.join(", ")})`
}

// On lines of its own, a query's closing `-- comment` cannot swallow the `)`; a trailing `;` cannot be wrapped.
const sourceOf = (options: ExportOptions): string =>
  options.query !== undefined
    ? `(\n${options.query.replace(/[\s;]+$/, "")}\n)`
    : Sql.tableName(options.table ?? "")

const HUGEINT = /\bU?HUGEINT\b/

/**
 * The export's rows with their 128-bit integers as `DECIMAL(38, 0)`, or undefined when it has none. Parquet has no
 * 128-bit integer, and DuckDB writes HUGEINT and UHUGEINT (what `sum` of integers gives) as DOUBLE, which rounds past
 * 2^53 without a word. A DECIMAL keeps them exact, and a value beyond 38 digits fails the export instead of rounding.
 */
const exactIntegers = (options: ExportOptions) => {
  const source = sourceOf(options)
  return Effect.map(DuckDB.query(`DESCRIBE SELECT * FROM ${source}`), (columns) => {
    const casts = columns.flatMap((column) => {
      const type = String(column.column_type)
      if (!HUGEINT.test(type)) return []
      const name = Sql.identifier(String(column.column_name))
      return [`${name}::${type.replaceAll(new RegExp(HUGEINT, "g"), "DECIMAL(38, 0)")} AS ${name}`]
    })
    return casts.length === 0 ? undefined : `SELECT * REPLACE (${casts.join(", ")}) FROM ${source}`
  })
}

/**
 * Exports rows to Parquet; returns the number of rows written. The parent directory is created. Columns of 128-bit
 * integers (HUGEINT, UHUGEINT, also inside structs and lists) are written as `DECIMAL(38, 0)`: Parquet has no such
 * integer, and DuckDB would write them as DOUBLE, rounding past 2^53.
 *
 * @since 0.1.0
 * @category utils
 */
export const exportParquet = (options: ExportOptions): Effect.Effect<number, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    const parent = options.partitionBy !== undefined && options.partitionBy.length > 0
      ? options.path
      : NodePath.dirname(options.path)
    yield* Effect.tryPromise({
      try: () => NodeFs.mkdir(parent, { recursive: true }),
      catch: (cause) => DuckDBError.make("Io", `Cannot create the directory "${parent}": ${String(cause)}`, { cause })
    })
    const exact = yield* exactIntegers(options)
    const { query: _query, table: _table, ...settings } = options
    return yield* DuckDB.execute(copySql(exact === undefined ? options : { ...settings, query: exact }))
  })

/**
 * Options for reading Parquet back.
 *
 * - `hive`: read `key=value` directory names as columns (default true).
 * - `hiveTypes`: the DuckDB type of partition columns (`{ day: "DATE", ts: "TIMESTAMP" }`). Without it DuckDB infers
 *   each partition column's type from the directory names (a TIMESTAMP comes back as VARCHAR); either way a value
 *   written as the string `NULL` reads back as NULL, hive's spelling of a missing value.
 * - `unionByName`: align files whose columns differ by name (default true).
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  readonly hive?: boolean | undefined
  readonly hiveTypes?: Readonly<Record<string, string>> | undefined
  readonly unionByName?: boolean | undefined
}

const GLOB = /[*?[]/

// DuckDB reads `[` `*` `?` as a glob everywhere in a path; in a class of its own each is itself.
const literalGlob = (path: string) => path.replace(/[*?[]/g, (char) => `[${char}]`)

// A path that cannot be looked at (ENOTDIR, EACCES, …) is left to DuckDB, whose read fails with a typed error.
const kindOf = (path: string): "file" | "directory" | undefined => {
  try {
    const stat = NodeFsSync.statSync(path, { throwIfNoEntry: false })
    return stat === undefined ? undefined : stat.isDirectory() ? "directory" : "file"
  } catch {
    return undefined
  }
}

/**
 * A `read_parquet(...)` table expression for a file, a glob, or a directory (read recursively), to use in SQL:
 * `SELECT count(*) FROM ${Parquet.source("exports/contratos")}`. A path that exists is that file or directory, even
 * with `*`, `?` or `[` in its name; any other path with one of them is a glob.
 *
 * @since 0.1.0
 * @category constructors
 */
export const source = (path: string, options?: ReadOptions): string => {
  const kind = kindOf(path)
  const directory = (dir: string) => `${dir.replace(/\/+$/, "")}/**/*.parquet`
  const glob = kind === "file"
    ? literalGlob(path)
    : kind === "directory"
    ? directory(literalGlob(path))
    : GLOB.test(path) || path.endsWith(".parquet")
    ? path
    : directory(path)
  const types = Object.entries(options?.hiveTypes ?? {}).map(([column, type]) => `${Sql.literal(column)}: ${type}`)
  return `read_parquet(${Sql.literal(glob)}, hive_partitioning = ${options?.hive ?? true}, union_by_name = ${
    options?.unionByName ?? true
  }${types.length === 0 ? "" : `, hive_types = {${types.join(", ")}}`})`
}

/**
 * Reads Parquet rows back (hive partition columns included).
 *
 * @since 0.1.0
 * @category utils
 */
export const readParquet = (
  path: string,
  options?: ReadOptions
): Effect.Effect<ReadonlyArray<DuckDB.Row>, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.suspend(() => DuckDB.query(`SELECT * FROM ${source(path, options)}`))
