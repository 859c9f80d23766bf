/**
 * The commands that read the database directly: `query` (read-only, one SELECT), `dump-catalog`, `fetch-payload`.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import type { DuckDBError } from "@baliza/duckdb/DuckDBError"
import * as Sql from "@baliza/duckdb/Sql"
import * as RawArchive from "@baliza/extract/RawArchive"
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api"
import { DuckDBTypeId, StatementType } from "@duckdb/node-api"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as NodeOs from "node:os"
import * as NodeProcess from "node:process"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as root from "./internal/root.js"
import * as Stdout from "./internal/stdout.js"

/**
 * The database opened read-only (DuckDB itself refuses any write on it), with the global options (`--memory-limit`,
 * `--temp-dir`, `--max-temp-size`) as every command has them. A query reads the database, not the network: DuckDB
 * would otherwise download and load an extension a function names (`read_csv('https://…')` pulls httpfs).
 */
// One analytical statement at a time: every core works on it (the warehouse's one thread suits the pipeline's many
// concurrent statements, not this).
const readOnly = (database: root.Database): Layer.Layer<DuckDB.DuckDB, CliError.CliError> =>
  root.readOnlyDatabase(database, {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    threads: String(NodeOs.availableParallelism())
  })

const readable = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN])

// Blanks and comments before a keyword.
const LEADING = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/
const skip = (text: string) => text.replace(LEADING, "")

/**
 * The texts the statement an `EXPLAIN` explains may be: what follows `EXPLAIN`, then `ANALYZE` (or `ANALYSE`), and,
 * when that is not a statement by itself, what follows an options list (`EXPLAIN (ANALYZE, FORMAT json) …`).
 */
const explainedCandidates = (sql: string): ReadonlyArray<string> => {
  const explain = /^explain\b/i.exec(skip(sql))
  if (explain === null) return []
  let rest = skip(skip(sql).slice(explain[0].length))
  const analyze = /^analy[sz]e\b/i.exec(rest)
  if (analyze !== null) rest = skip(rest.slice(analyze[0].length))
  const options = analyze === null ? /^\([^()]*\)/.exec(rest) : null
  return options === null ? [rest] : [rest, skip(rest.slice(options[0].length))]
}

// DuckDB's extraction fails with no message of its own on text with no statement (blanks, a comment)
const extract = (connection: DuckDBConnection, sql: string) =>
  connection.extractStatements(sql).catch((cause: unknown) => {
    if (cause instanceof Error && cause.message === "Error in native callback") return undefined
    throw cause
  })

/**
 * What is wrong with `sql` for `query`, or undefined: one statement, a read; an EXPLAIN only of a statement that is
 * one (`EXPLAIN ANALYZE` runs what it explains).
 */
const problemOf = async (connection: DuckDBConnection, sql: string): Promise<string | undefined> => {
  const statements = await extract(connection, sql)
  if (statements === undefined) return "one statement, got none"
  if (statements.count !== 1) return `one statement, got ${statements.count}`
  const prepared = await statements.prepare(0)
  const type = prepared.statementType
  prepared.destroySync()
  if (!readable.has(type)) return `a read (SELECT), got a statement of type ${StatementType[type]}`
  if (type !== StatementType.EXPLAIN) return undefined
  for (const candidate of explainedCandidates(sql)) {
    // the first reading that is one statement is the one DuckDB explains
    const parsed = await extract(connection, candidate).catch(() => undefined)
    if (parsed !== undefined && parsed.count === 1) return problemOf(connection, candidate)
  }
  return "a read (SELECT), got an EXPLAIN of a statement that cannot be told apart"
}

/**
 * Refuses anything but one SELECT (or EXPLAIN of one): the read-only connection already refuses writes to the
 * database, and this also refuses what a read-only database allows — `COPY … TO` a file, `ATTACH`, `INSTALL`/`LOAD`,
 * `SET`, a `PRAGMA` that sets something — and a second statement smuggled after the first. An `EXPLAIN` is refused as
 * the statement it explains is (`EXPLAIN ANALYZE COPY … TO` would write the file). A reading `PRAGMA` is the `SELECT`
 * DuckDB rewrites it to, and passes.
 *
 * @since 0.1.0
 * @category guards
 */
export const checkReadOnly = (sql: string) =>
  Effect.flatMap(DuckDB.DuckDB, (db) => db.withConnection((connection) => problemOf(connection, sql), sql)).pipe(
    Effect.mapError(errors.statement),
    Effect.flatMap((problem) =>
      problem === undefined
        ? Effect.void
        : Effect.fail(CliError.input(`query runs ${problem}; the database is never changed by it.`))
    )
  )

/**
 * A value as DuckDB writes it as text (`2024-01-02`, `01:02:03`, `\\xAA`, `[1, 2]`, `{'a': 1}`); NULL is empty.
 *
 * @since 0.1.0
 * @category formatting
 */
export const text = (value: DuckDBValue): string => value === null ? "" : String(value)

const csvCell = (text: string) => /[",\n\r]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text

/**
 * Rows of texts as CSV: the header line, then one line a row (a header alone when there are none).
 *
 * @since 0.1.0
 * @category formatting
 */
export const csv = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [columns, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\n")

/**
 * Rows of texts as a table that fits `width` columns (cells cut with `…`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  width: number
): string => {
  if (rows.length === 0) return "(no rows)"
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]!.length)))
  const budget = Math.max(8, Math.floor((width - 3 * (columns.length - 1)) / Math.max(1, columns.length)))
  const fitted = widths.map((w) => Math.min(w, Math.max(budget, 4)))
  const clip = (text: string, w: number) => text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w)
  const line = (cells: ReadonlyArray<string>) => cells.map((text, i) => clip(text, fitted[i]!)).join(" | ").trimEnd()
  return [line(columns), fitted.map((w) => "-".repeat(w)).join("-+-"), ...rows.map(line)].join("\n")
}

// The statement's columns and its rows as DuckDB's text of each value.
const texts = (sql: string) =>
  Effect.flatMap(DuckDB.DuckDB, (db) =>
    db.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(sql)
      return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(text)) }
    }, sql))

// The statement's DATE columns, from its prepared form (nothing runs): the rows give a DATE as a UTC midnight Date.
const dateColumns = (sql: string) =>
  Effect.flatMap(DuckDB.DuckDB, (db) =>
    db.withConnection(async (connection) => {
      const prepared = await connection.prepare(sql)
      try {
        const names = new Set<string>()
        for (let i = 0; i < prepared.columnCount; i++) {
          if (prepared.columnTypeId(i) === DuckDBTypeId.DATE) names.add(prepared.columnName(i))
        }
        return names
      } finally {
        prepared.destroySync()
      }
    }, sql))

/**
 * A row as JSON values: a DATE column's value as its day (`"2024-01-02"`), as the table and CSV show it, not as the
 * instant of its UTC midnight; a TIMESTAMP or TIMESTAMPTZ as its ISO instant; an integer beyond
 * `Number.MAX_SAFE_INTEGER` as a string.
 *
 * @since 0.1.0
 * @category formatting
 */
export const json = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>, dates: ReadonlySet<string>): string =>
  JSON.stringify(
    dates.size === 0 ? rows : rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([column, value]) =>
          dates.has(column) && value instanceof Date && !Number.isNaN(value.getTime())
            ? [column, value.toISOString().replace(/T.*$/, "")]
            : [column, value]
        )
      )
    ),
    (_, v: unknown) => typeof v === "bigint" ? String(v) : v
  )

/**
 * `baliza query "SQL" [--json|--csv]`.
 *
 * @since 0.1.0
 * @category commands
 */
export const query = Command.make("query", {
  sql: Args.text({ name: "sql" }).pipe(Args.withDescription("One SELECT (or EXPLAIN of one); writes are refused")),
  csv: Options.boolean("csv").pipe(Options.withDescription("CSV instead of a table"))
}, ({ csv: csvFlag, sql }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const run = <A, E, R>(read: Effect.Effect<A, E, R>) =>
      Effect.zipRight(checkReadOnly(sql), Effect.mapError(read, errors.statement)).pipe(
        Effect.provide(readOnly(globals))
      )
    if (globals.json) {
      const { dates, rows } = yield* run(
        Effect.all({ dates: dateColumns(sql), rows: Effect.flatMap(DuckDB.DuckDB, (db) => db.query(sql)) })
      )
      return yield* Console.log(json(rows, dates))
    }
    const { columns, rows } = yield* run(texts(sql))
    yield* Console.log(csvFlag ? csv(columns, rows) : table(columns, rows, NodeProcess.stdout.columns ?? 120))
  })).pipe(Command.withDescription("Run one read-only SELECT on the database"))

interface CatalogEntry {
  readonly schema: string
  readonly table: string
  readonly kind: "table" | "view"
  readonly rows: number | null
}

/**
 * `baliza dump-catalog [--json]`: every schema, table and view with its columns and their types, and each table's row
 * count (a view's rows are not counted: that would run its query).
 *
 * @since 0.1.0
 * @category commands
 */
export const dumpCatalog = Command.make("dump-catalog", {}, () =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const { columns, tables } = yield* Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      const tables = yield* db.query(
        `SELECT schema_name AS schema, table_name AS "table", 'table' AS kind FROM duckdb_tables()
         WHERE database_name = current_database()
         UNION ALL
         SELECT schema_name, view_name, 'view' FROM duckdb_views()
         WHERE database_name = current_database() AND NOT internal
         ORDER BY 1, 2`
      )
      const columns = yield* db.query(
        `SELECT schema_name AS schema, table_name AS "table", column_name AS "column", data_type AS type
         FROM duckdb_columns() WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index`
      )
      const counted = yield* Effect.forEach(tables, (row): Effect.Effect<CatalogEntry, DuckDBError> => {
        const entry = { schema: String(row.schema), table: String(row.table) }
        return row.kind === "view"
          ? Effect.succeed({ ...entry, kind: "view", rows: null })
          : Effect.map(
            db.query(
              `SELECT count(*)::BIGINT AS n FROM ${Sql.identifier(entry.schema)}.${Sql.identifier(entry.table)}`
            ),
            ([count]) => ({ ...entry, kind: "table", rows: Number(count?.n ?? 0) })
          )
      })
      return { tables: counted, columns }
    }).pipe(Effect.mapError(errors.statement), Effect.provide(readOnly(globals)))
    const catalog = tables.map((t) => ({
      ...t,
      columns: columns.filter((c) => c.schema === t.schema && c.table === t.table).map((c) => ({
        name: String(c.column),
        type: String(c.type)
      }))
    }))
    if (globals.json) return yield* Console.log(JSON.stringify(catalog))
    for (const t of catalog) {
      yield* Console.log(
        `${t.schema}.${t.table} (${t.rows === null ? "view" : `${t.rows.toLocaleString("en")} rows`})`
      )
      for (const c of t.columns) yield* Console.log(`  ${c.name} ${c.type}`)
    }
  })).pipe(Command.withDescription("Every schema, table and view with its columns and types, and row counts"))

/**
 * `baliza fetch-payload SHA256`: an archived response body, byte for byte, on stdout.
 *
 * @since 0.1.0
 * @category commands
 */
export const fetchPayload = Command.make(
  "fetch-payload",
  { sha256: Args.text({ name: "sha256" }).pipe(Args.withDescription("The payload's sha256, 64 hex digits")) },
  ({ sha256 }) =>
    Effect.gen(function*() {
      const globals = yield* root.settings
      const bytes = yield* Effect.flatMap(RawArchive.RawArchive, (archive) => archive.fetchPayload(sha256)).pipe(
        Effect.provide(root.existingStorage(globals)),
        Effect.mapError((error) =>
          error instanceof CliError.CliError
            ? error
            : error.reason === "InvalidInput" || error.reason === "NotFound"
            ? CliError.input(error.message)
            : errors.other(error)
        )
      )
      // byte for byte (see `Stdout`): no newline added, nothing decoded
      yield* Stdout.write(bytes).pipe(
        Effect.mapError((error) => CliError.failed(`Cannot write the payload to stdout: ${error.message}`))
      )
    })
).pipe(Command.withDescription("Print an archived response body by its sha256"))
