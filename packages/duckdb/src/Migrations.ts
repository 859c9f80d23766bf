/**
 * Ordered, idempotent schema migrations recorded in `meta.schema_migrations`.
 *
 * **Details**
 *
 * Migrations come in sets, one per owner (`namespace`): this package's `meta` set creates the `meta` schema; the
 * event log, the asset state and the PNCP pipeline add their own sets and the application runs them together with
 * `run([Migrations.meta, EventLog.migrations, ...])`. Within a set, migrations apply in `id` order, each in its own
 * transaction together with its record, so a crash leaves either the whole migration or none of it. Running twice
 * changes nothing. The SQL text of an applied migration is fingerprinted: editing it afterwards fails the run
 * (write a new migration instead).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as NodeCrypto from "node:crypto"
import * as DuckDB from "./DuckDB.js"
import * as DuckDBError from "./DuckDBError.js"

/**
 * One migration: a positive integer `id` (its order in the set), a `name`, and `up` as SQL (several statements
 * allowed) or as an Effect.
 *
 * @since 0.1.0
 * @category models
 */
export interface Migration {
  readonly id: number
  readonly name: string
  readonly up: string | Effect.Effect<void, DuckDBError.DuckDBError, DuckDB.DuckDB>
}

/**
 * The migrations of one owner.
 *
 * @since 0.1.0
 * @category models
 */
export interface MigrationSet {
  readonly namespace: string
  readonly migrations: ReadonlyArray<Migration>
}

/**
 * A migration that was applied by a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Applied {
  readonly namespace: string
  readonly id: number
  readonly name: string
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (namespace: string, migrations: ReadonlyArray<Migration>): MigrationSet => ({
  namespace,
  migrations
})

/**
 * This package's migrations: the `meta` schema, where the event log, asset state, checkpoints and runs live.
 *
 * @since 0.1.0
 * @category constructors
 */
export const meta: MigrationSet = make("meta", [
  { id: 1, name: "create the meta schema", up: "CREATE SCHEMA IF NOT EXISTS meta" }
])

const bootstrap = `
  CREATE SCHEMA IF NOT EXISTS meta;
  CREATE TABLE IF NOT EXISTS meta.schema_migrations (
    namespace VARCHAR NOT NULL,
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    checksum VARCHAR,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (namespace, id)
  )`

const checksumOf = (migration: Migration): string | null =>
  typeof migration.up === "string" ? NodeCrypto.createHash("sha256").update(migration.up).digest("hex") : null

const label = (set: MigrationSet, migration: Migration): string =>
  `${set.namespace}/${migration.id} ("${migration.name}")`

const unchanged = (
  set: MigrationSet,
  migration: Migration,
  recorded: unknown
): Effect.Effect<void, DuckDBError.DuckDBError> => {
  const checksum = checksumOf(migration)
  return checksum !== null && recorded !== null && recorded !== checksum
    ? Effect.fail(DuckDBError.make(
      "InvalidInput",
      `Migration ${label(set, migration)} was changed after it was applied; ` +
        `add a new migration instead of editing an applied one.`
    ))
    : Effect.void
}

// Says which migration failed; the reason (and SQL) stay the original error's, which becomes the cause.
const failed = (set: MigrationSet, migration: Migration, error: DuckDBError.DuckDBError): DuckDBError.DuckDBError =>
  new DuckDBError.DuckDBError({
    reason: error.reason,
    message: `Migration ${label(set, migration)} failed: ${error.message}`,
    cause: error,
    ...(error.sql === undefined ? {} : { sql: error.sql })
  })

/** The checksums of the applied migrations by `namespace/id`; none before the table exists. */
const recordedChecksums = (db: DuckDB.Service): Effect.Effect<ReadonlyMap<string, unknown>, DuckDBError.DuckDBError> =>
  Effect.gen(function*() {
    const [table] = yield* db.query(
      `SELECT count(*)::INTEGER AS n FROM duckdb_tables()
       WHERE database_name = current_database() AND schema_name = 'meta' AND table_name = 'schema_migrations'`
    )
    if (table?.n === 0) return new Map()
    const rows = yield* db.query("SELECT namespace, id, checksum FROM meta.schema_migrations")
    return new Map(rows.map((row) => [`${String(row.namespace)}/${String(row.id)}`, row.checksum] as const))
  })

const validate = (sets: ReadonlyArray<MigrationSet>): Effect.Effect<void, DuckDBError.DuckDBError> => {
  const problems: Array<string> = []
  const namespaces = new Set<string>()
  for (const set of sets) {
    if (namespaces.has(set.namespace)) problems.push(`namespace "${set.namespace}" appears twice`)
    namespaces.add(set.namespace)
    const ids = new Set<number>()
    for (const migration of set.migrations) {
      if (!Number.isInteger(migration.id) || migration.id < 1) {
        problems.push(`${set.namespace}/${migration.id}: ids are positive integers`)
      }
      if (ids.has(migration.id)) problems.push(`${set.namespace}/${migration.id}: duplicate id`)
      ids.add(migration.id)
    }
  }
  return problems.length === 0
    ? Effect.void
    : Effect.fail(DuckDBError.make("InvalidInput", `Invalid migrations: ${problems.join("; ")}.`))
}

/**
 * Applies the pending migrations of the sets, in order; returns what was applied (empty when up to date). A database
 * that is up to date is only read, so this also works on one opened read-only. A failing migration fails the run
 * with an error that names it (`Migration pncp/2 ("backfill") failed: …`), with the reason of the original error. A
 * new migration whose id sorts before an applied one of its namespace is refused (`InvalidInput`), as is an applied one
 * whose SQL changed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (
  sets: ReadonlyArray<MigrationSet>
): Effect.Effect<ReadonlyArray<Applied>, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Effect.gen(function*() {
    yield* validate(sets)
    const db = yield* DuckDB.DuckDB
    // Read before writing anything: an up-to-date database (possibly read-only) needs no bootstrap DDL.
    const recorded = yield* recordedChecksums(db)
    const pending: Array<readonly [MigrationSet, Migration]> = []
    const outOfOrder: Array<string> = []
    for (const set of sets) {
      const ordered = [...set.migrations].sort((a, b) => a.id - b.id)
      const latest = ordered.filter((migration) => recorded.has(`${set.namespace}/${migration.id}`)).at(-1)
      for (const migration of ordered) {
        const key = `${set.namespace}/${migration.id}`
        if (recorded.has(key)) yield* unchanged(set, migration, recorded.get(key))
        else if (latest !== undefined && migration.id < latest.id) outOfOrder.push(`${key} (after ${latest.id})`)
        else pending.push([set, migration])
      }
    }
    // Each migration may rely on the ones before it: one inserted before an applied one cannot run in its place.
    if (outOfOrder.length > 0) {
      return yield* DuckDBError.make(
        "InvalidInput",
        `New migrations sort before applied ones: ${outOfOrder.join(", ")}. ` +
          `Give a new migration an id after the last applied one.`
      )
    }
    if (pending.length === 0) return []
    if (db.readOnly) {
      return yield* Effect.fail(DuckDBError.make(
        "ReadOnly",
        `The database is open read-only and needs migrations: ${
          pending.map(([set, migration]) => label(set, migration)).join(", ")
        }. Open it once for writing to apply them.`
      ))
    }
    yield* db.execute(bootstrap)
    const applied: Array<Applied> = []
    for (const [set, migration] of pending) {
      // The check and the migration share one transaction: concurrent runs in this process cannot both apply it.
      const appliedMeanwhile = yield* db.withTransaction(Effect.gen(function*() {
        const [existing] = yield* db.query(
          "SELECT checksum FROM meta.schema_migrations WHERE namespace = $1 AND id = $2",
          [set.namespace, migration.id]
        )
        if (existing !== undefined) return Option.some(existing.checksum)
        if (typeof migration.up === "string") yield* db.execute(migration.up)
        else yield* migration.up
        yield* db.execute(
          "INSERT INTO meta.schema_migrations (namespace, id, name, checksum) VALUES ($1, $2, $3, $4)",
          [set.namespace, migration.id, migration.name, checksumOf(migration)]
        )
        return Option.none()
      })).pipe(Effect.mapError((error) => failed(set, migration, error)))
      if (Option.isSome(appliedMeanwhile)) {
        yield* unchanged(set, migration, appliedMeanwhile.value)
        continue
      }
      applied.push({ namespace: set.namespace, id: migration.id, name: migration.name })
      yield* Effect.logDebug(`applied migration ${set.namespace}/${migration.id} ${migration.name}`)
    }
    return applied
  })

/**
 * A layer that runs the migrations when it is built (put it after the `DuckDB` layer).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (sets: ReadonlyArray<MigrationSet>): Layer.Layer<never, DuckDBError.DuckDBError, DuckDB.DuckDB> =>
  Layer.effectDiscard(run(sets))
