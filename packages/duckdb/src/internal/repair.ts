import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as NodeFs from "node:fs"
import type { Service } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import type { Rebuilt } from "../Repair.js"
import * as Sql from "../Sql.js"
import * as Errors from "./errors.js"

// In the current database: a catalog's tables are those of the database the statements run in.
const where = "database_name = current_database() AND schema_name = $1 AND table_name = $2"

/** @internal */
export const rebuildTable = (db: Service, name: string): Effect.Effect<Rebuilt, DuckDBError.DuckDBError> =>
  Effect.gen(function*() {
    const parsed = Sql.parseName(name)
    if (parsed.catalog !== undefined) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: only tables of the current database.`)
    }
    const [schema] = parsed.schema === undefined
      ? yield* db.query("SELECT current_schema() AS s")
      : [{ s: parsed.schema }]
    const params = [String(schema?.s), parsed.name]
    const [found] = yield* db.query(`SELECT sql FROM duckdb_tables() WHERE ${where}`, params)
    if (found === undefined) {
      return yield* DuckDBError.make("Catalog", `Cannot rebuild ${name}: there is no such table.`)
    }
    const ddl = String(found.sql)
    // (their values would go into the copy as plain columns, which the table then refuses)
    if (/\bGENERATED\s+ALWAYS\b/i.test(ddl)) {
      return yield* DuckDBError.make("InvalidInput", `Cannot rebuild ${name}: it has generated columns.`)
    }
    const indexes = yield* db.query(`SELECT sql FROM duckdb_indexes() WHERE ${where} AND sql IS NOT NULL`, params)
    const comments = yield* db.query(
      `SELECT NULL AS column_name, comment FROM duckdb_tables() WHERE ${where} AND comment IS NOT NULL
       UNION ALL SELECT column_name, comment FROM duckdb_columns() WHERE ${where} AND comment IS NOT NULL`,
      params
    )
    const target = `${Sql.identifier(params[0]!)}.${Sql.identifier(parsed.name)}`
    const copy = `${Sql.identifier(params[0]!)}.${Sql.identifier(`${parsed.name}__rebuild`)}`
    const rows = yield* db.withTransaction(Effect.gen(function*() {
      yield* db.execute(`CREATE TABLE ${copy} AS SELECT * FROM ${target}`)
      yield* db.execute(`DROP TABLE ${target}`)
      yield* db.execute(ddl)
      const inserted = yield* db.execute(`INSERT INTO ${target} SELECT * FROM ${copy}`)
      for (const index of indexes) yield* db.execute(String(index.sql))
      for (const { column_name, comment } of comments) {
        const on = column_name === null ? `TABLE ${target}` : `COLUMN ${target}.${Sql.identifier(String(column_name))}`
        yield* db.execute(`COMMENT ON ${on} IS ${Sql.literal(String(comment))}`)
      }
      yield* db.execute(`DROP TABLE ${copy}`)
      return inserted
    })).pipe(
      // DuckDB's messages do not say which table
      Effect.mapError((error) =>
        DuckDBError.make(error.reason, `Cannot rebuild ${name}: ${error.message}`, { sql: error.sql, cause: error })
      )
    )
    return { table: `${params[0]}.${parsed.name}`, rows }
  })

/**
 * @internal
 * The tables of the current database whose index keeps keys: a primary key, a unique constraint or a unique index; in
 * name order.
 */
export const keyedTableNames = (db: Service): Effect.Effect<ReadonlyArray<string>, DuckDBError.DuckDBError> =>
  Effect.map(
    db.query(
      `SELECT schema_name, table_name FROM duckdb_constraints()
       WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       UNION SELECT schema_name, table_name FROM duckdb_indexes()
       WHERE database_name = current_database() AND is_unique
       ORDER BY ALL`
    ),
    (tables) =>
      tables.map((row) => `${Sql.identifier(String(row.schema_name))}.${Sql.identifier(String(row.table_name))}`)
  )

/**
 * @internal
 * The file beside a database that says a COMMIT on it failed (see `Health` in `client.ts`): its tables with keys are
 * rebuilt when it is next opened for writing. A file, because the database itself takes no more writes by then.
 */
export const markerOf = (path: string): string => `${path}.rebuild-keys`

const Marker = Schema.parseJson(Schema.Struct({
  failedAt: Schema.String,
  failure: Schema.String,
  /** Automatic rebuilds tried: one at the most, so a rebuild that cannot succeed never stops the file from opening. */
  attempts: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  notRebuilt: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
}))
type Marker = typeof Marker.Type

const readMarker = (path: string): Marker | undefined => {
  let text: string
  try {
    text = NodeFs.readFileSync(markerOf(path), "utf8")
  } catch {
    return undefined
  }
  // a marker that does not parse (written by hand, cut short) still says a commit failed
  return Either.getOrElse(
    Schema.decodeUnknownEither(Marker)(text),
    () => ({ failedAt: "", failure: "", attempts: 0, notRebuilt: [] })
  )
}

const writeMarker = (path: string, marker: Marker): boolean => {
  try {
    NodeFs.writeFileSync(markerOf(path), Schema.encodeSync(Marker)(marker) + "\n")
    return true
  } catch {
    return false
  }
}

/**
 * @internal
 * Leaves the marker; whether it could be written. A failure during the automatic rebuild keeps its count of attempts
 * (so it is not tried again for ever); any other is a new failure, whose next open rebuilds again. The tables an
 * earlier rebuild left are kept either way.
 */
export const markFailedCommit = (path: string, failure: string, duringRebuild: boolean): boolean => {
  const earlier = readMarker(path)
  return writeMarker(path, {
    failedAt: new Date().toISOString(),
    failure,
    attempts: duringRebuild ? earlier?.attempts ?? 0 : 0,
    notRebuilt: earlier?.notRebuilt ?? []
  })
}

/** @internal Removes the marker; one that cannot be removed is said in the log (the next open rebuilds again). */
export const removeMarker = (path: string): Effect.Effect<void> =>
  Effect.catchAllDefect(
    Effect.sync(() => NodeFs.rmSync(markerOf(path), { force: true })),
    (cause) => Effect.logWarning(`Cannot remove ${markerOf(path)}: ${String(cause)}`)
  )

/**
 * @internal
 * On a file a failed COMMIT marked, once: rebuilds every table with a key, each in its own transaction, and says so in
 * the log. The marker is removed when every table was rebuilt or refused for good (generated columns); otherwise it
 * stays with the tables not rebuilt, and later opens only say so (an automatic rebuild is tried once, so one that
 * cannot succeed never keeps the file from opening): `Repair.keyedTables` (`baliza repair`) then does it, and removes
 * it. A rebuild stops at the first failed COMMIT, which stops the database again (the caller fails the open).
 */
export const rebuildAfterFailedCommit = (db: Service): Effect.Effect<void> =>
  Effect.gen(function*() {
    const marker = readMarker(db.path)
    if (marker === undefined) return
    const file = `${db.path} (${markerOf(db.path)})`
    if (marker.attempts > 0) {
      return yield* Effect.logError(
        `A COMMIT on ${file} failed in an earlier run, and rebuilding its tables with keys did not succeed ` +
          `(not rebuilt: ${marker.notRebuilt.join(", ") || "see that run's log"}): an insert of a key the failed ` +
          `commit left may fail with "Duplicate key". Run \`baliza repair\` (Repair.keyedTables), with more memory ` +
          `if it ran out (--memory-limit, --temp-dir).`
      )
    }
    // Counted before it starts, so a rebuild that kills the process is not tried again either.
    if (!writeMarker(db.path, { ...marker, attempts: marker.attempts + 1 })) {
      return yield* Effect.logError(
        `A COMMIT on ${file} failed in an earlier run, and the marker cannot be written, so its tables with keys ` +
          `are not rebuilt on opening: run \`baliza repair\` (Repair.keyedTables).`
      )
    }
    const started = Date.now()
    yield* Effect.logWarning(
      `A COMMIT on ${file} failed in an earlier run${
        marker.failure === "" ? "" : ` (${marker.failure.slice(0, 200)})`
      }: rebuilding its tables with ` +
        `keys, whose indexes DuckDB 1.5.6 may have left holding keys without rows.`
    )
    const listed = yield* Effect.either(keyedTableNames(db))
    if (Either.isLeft(listed)) {
      writeMarker(db.path, {
        ...marker,
        attempts: marker.attempts + 1,
        notRebuilt: ["(the tables could not be listed)"]
      })
      return yield* Effect.logError(`Cannot list the tables with keys: ${listed.left.message}`)
    }
    const tables = listed.right
    const rebuilt: Array<Rebuilt> = []
    const notRebuilt: Array<string> = []
    for (const [i, table] of tables.entries()) {
      const outcome = yield* Effect.either(rebuildTable(db, table))
      if (Either.isRight(outcome)) {
        rebuilt.push(outcome.right)
        continue
      }
      yield* Effect.logWarning(outcome.left.message)
      // (generated columns, a table gone since it was listed: however often it is tried)
      if (outcome.left.reason !== "InvalidInput" && outcome.left.reason !== "Catalog") notRebuilt.push(table)
      // a failed COMMIT stopped the database: nothing more can be rebuilt in this run
      if (outcome.left.reason === "Invalidated" || Errors.isFailedCommit(outcome.left)) {
        notRebuilt.push(...tables.slice(i + 1))
        break
      }
    }
    const rows = rebuilt.reduce((sum, table) => sum + table.rows, 0)
    yield* Effect.logInfo(
      `Rebuilt ${rebuilt.length} of ${tables.length} tables with keys (${rows} rows) in ${Date.now() - started} ms.`
    )
    if (notRebuilt.length === 0) return yield* removeMarker(db.path)
    // (as it is now: a COMMIT of the rebuild that failed wrote its own failure meanwhile)
    writeMarker(db.path, { ...readMarker(db.path) ?? marker, attempts: marker.attempts + 1, notRebuilt })
  })
