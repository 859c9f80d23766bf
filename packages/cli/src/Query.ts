/**
 * The commands that read the database directly: `query` (read-only, one SELECT), `dump-catalog`, `fetch-payload`.
 *
 * @since 0.1.0
 */
import * as DuckDB from "@baliza/duckdb/DuckDB"
import * as Sql from "@baliza/duckdb/Sql"
import * as RawArchive from "@baliza/extract/RawArchive"
import { StatementType } from "@duckdb/node-api"
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

/**
 * Refuses anything but one SELECT (or EXPLAIN): the read-only connection already refuses writes to the database,
 * and this also refuses what a read-only database allows — `COPY … TO` a file, `ATTACH`, `INSTALL`/`LOAD`, `SET`, a
 * `PRAGMA` that sets something — and a second statement smuggled after the first. A reading `PRAGMA` is the `SELECT`
 * DuckDB rewrites it to, and passes.
 *
 * @since 0.1.0
 * @category guards
 */
export const checkReadOnly = (sql: string) =>
  Effect.flatMap(DuckDB.DuckDB, (db) =>
    db.withConnection(async (connection) => {
      // DuckDB's extraction fails with no message of its own on text with no statement (blanks, a comment)
      const statements = await connection.extractStatements(sql).catch((cause: unknown) => {
        if (cause instanceof Error && cause.message === "Error in native callback") return undefined
        throw cause
      })
      if (statements === undefined) return "one statement, got none"
      if (statements.count !== 1) return `one statement, got ${statements.count}`
      const prepared = await statements.prepare(0)
      const type = prepared.statementType
      prepared.destroySync()
      return readable.has(type) ? undefined : `a read (SELECT), got a statement of type ${StatementType[type]}`
    }, sql)).pipe(
      Effect.mapError(errors.statement),
      Effect.flatMap((problem) =>
        problem === undefined
          ? Effect.void
          : Effect.fail(CliError.input(`baliza query runs ${problem}; the database is never changed by it.`))
      )
    )

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "object") return JSON.stringify(value, (_, v: unknown) => typeof v === "bigint" ? String(v) : v)
  return String(value)
}

const csvCell = (value: unknown) => {
  const text = cell(value)
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/**
 * Rows as a table that fits `width` columns (cells cut with `…`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (rows: ReadonlyArray<Record<string, unknown>>, width: number): string => {
  const first = rows[0]
  if (first === undefined) return "(no rows)"
  const columns = Object.keys(first)
  const texts = rows.map((row) => columns.map((column) => cell(row[column])))
  const widths = columns.map((column, i) => Math.max(column.length, ...texts.map((row) => row[i]!.length)))
  const budget = Math.max(8, Math.floor((width - 3 * (columns.length - 1)) / Math.max(1, columns.length)))
  const fitted = widths.map((w) => Math.min(w, Math.max(budget, 4)))
  const clip = (text: string, w: number) => text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w)
  const line = (cells: ReadonlyArray<string>) => cells.map((text, i) => clip(text, fitted[i]!)).join(" | ").trimEnd()
  return [line(columns), fitted.map((w) => "-".repeat(w)).join("-+-"), ...texts.map(line)].join("\n")
}

/**
 * `baliza query "SQL" [--json|--csv]`.
 *
 * @since 0.1.0
 * @category commands
 */
export const query = Command.make("query", {
  sql: Args.text({ name: "sql" }),
  csv: Options.boolean("csv").pipe(Options.withDescription("CSV instead of a table"))
}, ({ csv, sql }) =>
  Effect.gen(function*() {
    const globals = yield* root.root
    const rows = yield* Effect.zipRight(
      checkReadOnly(sql),
      Effect.flatMap(DuckDB.DuckDB, (db) => db.query(sql)).pipe(Effect.mapError(errors.statement))
    ).pipe(Effect.provide(readOnly(globals)))
    if (globals.json) {
      return yield* Console.log(JSON.stringify(rows, (_, v: unknown) => typeof v === "bigint" ? String(v) : v))
    }
    if (csv) {
      const columns = Object.keys(rows[0] ?? {})
      return yield* Console.log(
        [columns.join(","), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(","))].join("\n")
      )
    }
    yield* Console.log(table(rows, NodeProcess.stdout.columns ?? 120))
  })).pipe(Command.withDescription("Run one read-only SELECT on the database"))

/**
 * `baliza dump-catalog [--json]`: every schema, table and column with its type, and each table's row count.
 *
 * @since 0.1.0
 * @category commands
 */
export const dumpCatalog = Command.make("dump-catalog", {}, () =>
  Effect.gen(function*() {
    const globals = yield* root.root
    const { columns, tables } = yield* Effect.gen(function*() {
      const db = yield* DuckDB.DuckDB
      const tables = yield* db.query(
        `SELECT schema_name AS schema, table_name AS "table", estimated_size AS estimated FROM duckdb_tables()
         WHERE database_name = current_database() ORDER BY 1, 2`
      )
      const columns = yield* db.query(
        `SELECT schema_name AS schema, table_name AS "table", column_name AS "column", data_type AS type
         FROM duckdb_columns() WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index`
      )
      const counted = yield* Effect.forEach(tables, (row) =>
        Effect.map(
          db.query(
            `SELECT count(*)::BIGINT AS n FROM ${Sql.identifier(String(row.schema))}.${
              Sql.identifier(String(row.table))
            }`
          ),
          ([count]) => ({ schema: String(row.schema), table: String(row.table), rows: Number(count?.n ?? 0) })
        ))
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
      yield* Console.log(`${t.schema}.${t.table} (${t.rows.toLocaleString("en")} rows)`)
      for (const c of t.columns) yield* Console.log(`  ${c.name} ${c.type}`)
    }
  })).pipe(Command.withDescription("Every schema, table and column with its type, and row counts"))

/**
 * `baliza fetch-payload SHA256`: an archived response body, byte for byte, on stdout.
 *
 * @since 0.1.0
 * @category commands
 */
export const fetchPayload = Command.make(
  "fetch-payload",
  { sha256: Args.text({ name: "sha256" }) },
  ({ sha256 }) =>
    Effect.gen(function*() {
      const globals = yield* root.root
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
