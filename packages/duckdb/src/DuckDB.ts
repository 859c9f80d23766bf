/**
 * DuckDB as an Effect resource: one instance, one writer connection serialized by a semaphore (and, for independent
 * writes that should not queue behind it, named write connections of their own), a small pool of reader connections,
 * typed queries, transactions and bulk inserts of JS rows.
 *
 * @since 0.1.0
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Sink from "effect/Sink"
import type * as Stream from "effect/Stream"
import type { DuckDBError } from "./DuckDBError.js"
import * as internal from "./internal/client.js"

/**
 * A value read from or written to DuckDB.
 *
 * **Details**
 *
 * Reading: BOOLEAN → boolean; TINYINT…INTEGER, FLOAT, DOUBLE, DECIMAL → number; BIGINT/HUGEINT (and unsigned) →
 * number when it fits in `Number.MAX_SAFE_INTEGER`, otherwise bigint (so `count(*)` is a number, and no precision is
 * lost silently); VARCHAR, UUID, ENUM → string; TIMESTAMP/TIMESTAMPTZ/DATE → Date (UTC); LIST/ARRAY → array;
 * STRUCT → object; MAP → array of `{ key, value }`; BLOB → Uint8Array; NULL → null.
 *
 * Writing (parameters and appends): the same shapes; a Date binds as TIMESTAMP (UTC), or as TIMESTAMPTZ where the
 * statement takes one (a column's value, `$1::TIMESTAMPTZ`), so the instant does not go through the session's
 * `TimeZone`; arrays bind as LIST, plain objects as STRUCT. Appends convert by the target column's type (a number
 * into BIGINT, a Date into DATE, TIMESTAMP or TIMESTAMPTZ, nested objects into STRUCT and arrays into LIST,
 * recursively).
 *
 * @since 0.1.0
 * @category models
 */
export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | ReadonlyArray<Value>
  | { readonly [key: string]: Value }

/**
 * A result row: column name → value.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly [column: string]: Value
}

/**
 * Query parameters: positional (`$1`, `?`) as an array, or named (`$name`) as a record.
 *
 * @since 0.1.0
 * @category models
 */
export type Params = ReadonlyArray<Value> | { readonly [name: string]: Value }

/**
 * A row to append: a tuple in the order of the `columns` given, or an object keyed by column name (missing keys are
 * NULL).
 *
 * @since 0.1.0
 * @category models
 */
export type RowInput = ReadonlyArray<Value> | { readonly [column: string]: Value | undefined }

/**
 * How to open a database.
 *
 * - `path`: `":memory:"` or a file path (its parent directory is created).
 * - `threads`, `memoryLimit` (e.g. `"4GB"`), `tempDirectory` (where DuckDB spills): DuckDB settings.
 * - `readOnly`: open the file read-only (no lock conflict with other read-only processes; writes fail `ReadOnly`).
 * - `readers`: size of the reader connection pool (default 2).
 * - `options`: any other DuckDB configuration option, passed through.
 * - `rebuildMarkedTables` (default true): when a failed COMMIT marked the file (`Repair.markerOf`), the first service
 *   opened on it for writing rebuilds its keyed tables before anything else. `false` leaves that to the caller, as
 *   `baliza repair` does, which rebuilds them all itself; the marker then stays until something rebuilds them.
 *
 * @since 0.1.0
 * @category models
 */
export interface DuckDBConfig {
  readonly path: string
  readonly threads?: number | undefined
  readonly memoryLimit?: string | undefined
  readonly tempDirectory?: string | undefined
  readonly readOnly?: boolean | undefined
  readonly readers?: number | undefined
  readonly options?: Readonly<Record<string, string>> | undefined
  readonly rebuildMarkedTables?: boolean | undefined
}

/**
 * Options for bulk appends.
 *
 * - `chunkSize`: how many of a stream's rows may wait for DuckDB (default 10,000); memory stays bounded by them. A
 *   batch starts once that many are waiting (or the stream has ended); in any order, it takes rows as the stream
 *   produces them.
 * - `preserveOrder` (default true): the rows land in the table in the order given, through DuckDB's Appender. With
 *   `false` they may land in any order, and DuckDB inserts on all of its threads while JavaScript fills the next data
 *   chunk: with 2 threads a stream of PNCP-like records appended 1.3–1.6× faster than in order (docs/benchmarks.md).
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendOptions {
  readonly chunkSize?: number | undefined
  readonly preserveOrder?: boolean | undefined
}

/**
 * The DuckDB service.
 *
 * **Details**
 *
 * - `execute` runs on the writer connection (serialized) and returns the number of rows changed. Several statements
 *   separated by `;` are allowed when there are no parameters.
 * - `query` returns rows as plain objects. Read statements (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE,
 *   TABLE, and the PRAGMAs that only read: `version`, `table_info`, `database_size`, `storage_info`, …) run on a
 *   pooled reader connection concurrently with writes; anything else (`INSERT … RETURNING`, `EXPLAIN ANALYZE`, a
 *   PRAGMA that sets, a read that advances a sequence with `nextval`, a text with a dollar-quoted string) runs on the
 *   writer. Inside `withTransaction` everything runs on the transaction's connection, so it sees its own uncommitted
 *   writes.
 * - `queryAs(schema)` decodes each row with a Schema; DuckDB's Dates and integers are first aligned with the Schema's
 *   encoded side (a TIMESTAMPTZ or TIMESTAMP read for `Schema.Date` is handed over as its ISO string), so the same
 *   Schema can type the JSON and the table: an optional field's NULL is an absent field (a null where the field
 *   accepts one), a MAP read for a `Schema.Record` an object, a JSON column read for `Schema.Unknown` its parsed
 *   value. A row that does not decode fails with reason `Decode`, naming the path.
 * - Connection state (`TEMP` tables, `SET search_path`, `USE`, `SET TimeZone`, `SET VARIABLE`) made with `execute`
 *   lives on the writer connection only; `query` reads on other connections, so read such state inside
 *   `withTransaction` (or with `execute`). A setting every connection should share is set with `SET GLOBAL`.
 * - Statements with parameters are prepared once per connection and kept. A change that a kept plan may have folded
 *   in (`SET`, `RESET`, `PRAGMA`, a macro or type created or dropped, `USE`, `ATTACH`, `LOAD`, or anything run through
 *   `withConnection`) makes every connection prepare its statements again.
 * - `withTransaction` runs an effect in BEGIN/COMMIT on the writer, ROLLBACK on failure or interruption; nested
 *   calls join the outer transaction. DuckDB has no savepoints: a failed statement aborts the whole transaction, and
 *   so does a nested `withTransaction` that fails or is interrupted, even when the outer effect recovers from it (the
 *   outer one then fails with reason `Transaction` and rolls back; a statement that does not parse or bind runs
 *   nothing, and the transaction goes on). After a COMMIT that failed other than by a conflict the database takes no
 *   more statements (reason `Invalidated`) until it is opened again: DuckDB 1.5.6 can otherwise store that
 *   transaction's rows at a later commit in place of that commit's own. It also leaves `<path>.rebuild-keys` beside
 *   the file, and the next `make` that opens the file for writing first rebuilds its tables with keys (see `Repair`).
 *   An interruption that arrives once the COMMIT is
 *   sent waits for it: the fiber is then interrupted with its transaction committed.
 * - `withGroupCommit` is `withTransaction` for small transactions that many fibers commit at once (a page series'
 *   checkpoint, a step's state): what was submitted meanwhile runs in one shared transaction, in order, and each
 *   submitter resumes once it has committed, with its own result. On a file every commit syncs the WAL and every
 *   transaction holds the one writer for its `BEGIN`/`COMMIT` round trips. When one submission fails the shared
 *   transaction is rolled back and each runs again alone, so a failure reaches only its submitter: the work must be
 *   safe to run again after a rollback (database statements are, side effects outside the database are not). Inside
 *   `withTransaction` it joins that transaction. A shared transaction runs to its end once started (it carries other
 *   fibers' work); a submitter interrupted before then withdraws its work.
 * - `executeDeferred(sql)` runs statements without parameters (`Sql.valueLiteral` writes values into the text) with
 *   the current transaction's next call to DuckDB, before that call's statement (in a call of their own), or with its
 *   COMMIT; outside a transaction it runs now. Statements run in the order they were given, and a failure of a
 *   deferred one fails the transaction (it rolls back). A transaction sends its `BEGIN` with its first statement that
 *   has no parameters, or with its COMMIT: a transaction whose statements are all deferred is one call, where each
 *   statement would cost a round trip (a thread of libuv's pool, then a turn of the event loop; milliseconds under
 *   load). A fiber that outlives its transaction runs its statements outside it.
 * - `inTransaction` tells whether the current fiber runs inside `withTransaction`.
 * - `appendRows` / `appendStream` / `appendSink` insert JS rows in data chunks (each column's strings are encoded into
 *   one buffer that DuckDB copies once per chunk). In order (the default) they go through DuckDB's Appender, whose
 *   storage and compression work runs on the JavaScript thread too. With `preserveOrder: false` they are an
 *   `INSERT … SELECT` from a table function that DuckDB calls for each chunk: DuckDB inserts on all its threads while
 *   JavaScript fills the next chunk. Table columns not listed in `columns` are appended as NULL (not their DEFAULT).
 *   `appendRows` is atomic (its own transaction unless it runs inside one); a stream appends a batch at a time, each
 *   committed on its own unless it runs inside `withTransaction`. Wrap bulk loads in `withTransaction`: DuckDB then
 *   writes whole row groups to the file at commit instead of logging every chunk to the WAL. Rows produced in Node
 *   suit this path; JSON already in DuckDB is faster through `Staging`.
 * - `withConnection` hands the raw `@duckdb/node-api` writer connection to a callback (serialized like `execute`) for
 *   what the typed API does not cover.
 * - `withParallelConnections(n, f)` runs `f` on `n` fresh connections at once while holding the writer lock, for
 *   bulk writes DuckDB would otherwise run on one thread (a scan of a small table is one task). Each connection
 *   commits on its own, so this is not atomic; inside `withTransaction` the calls run one after another on the
 *   transaction's connection instead, which keeps them atomic. The connections write each row group as it fills
 *   (`write_buffer_row_group_count` 1), not at their commits, which DuckDB runs one after another.
 *
 * - `writeConnection(name)` is another write connection, opened on first use and kept (one per name) until the
 *   service closes: its statements and transactions run concurrently with the writer's, for independent writes that
 *   would otherwise queue behind each other (the raw archive stores page payloads on one while the writer commits
 *   the pages' checkpoints). DuckDB checks concurrent transactions optimistically: one that writes a row, key or
 *   catalog entry another transaction wrote first fails with reason `Conflict` (a duplicate key of two concurrent
 *   inserts shows at the second one's commit; a key another transaction committed after this one started fails its
 *   statement with `Constraint`, which a caller that knows the key is only written concurrently may treat as a
 *   conflict), and running it again may succeed. A fiber holding the writer may wait for a write connection, never
 *   the other way round.
 * - `withWritesPaused(f)` is `withConnection(f)` with every write connection held too: nothing of this service
 *   commits meanwhile (for a consistent copy of the file, see `Backup`). Only this service's writes: a second service
 *   on the same file in the same process shares DuckDB's instance and may still commit.
 * - `invalidated` waits until a failed COMMIT stops the database (see `withTransaction`), and succeeds with the
 *   `Invalidated` error every statement then fails with; it never completes on a database that stays healthy. A
 *   long-running process (a server) races it to stop, and so to open the file again, rather than fail every request.
 *
 * Interrupting any of these interrupts the running DuckDB statement and waits for it to stop.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The resolved database path (absolute for files) or `":memory:"`. */
  readonly path: string
  readonly readOnly: boolean
  readonly execute: (sql: string, params?: Params) => Effect.Effect<number, DuckDBError>
  readonly query: (sql: string, params?: Params) => Effect.Effect<ReadonlyArray<Row>, DuckDBError>
  readonly queryAs: <A, I, R>(
    schema: Schema.Schema<A, I, R>
  ) => (sql: string, params?: Params) => Effect.Effect<ReadonlyArray<A>, DuckDBError, R>
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DuckDBError, R>
  readonly withGroupCommit: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DuckDBError, R>
  readonly executeDeferred: (sql: string) => Effect.Effect<void, DuckDBError>
  readonly inTransaction: Effect.Effect<boolean>
  readonly appendRows: (
    table: string,
    columns: ReadonlyArray<string>,
    rows: Iterable<RowInput>
  ) => Effect.Effect<number, DuckDBError>
  readonly appendSink: (
    table: string,
    columns: ReadonlyArray<string>,
    options?: AppendOptions
  ) => Sink.Sink<number, RowInput, never, DuckDBError>
  readonly appendStream: <E, R>(
    table: string,
    columns: ReadonlyArray<string>,
    stream: Stream.Stream<RowInput, E, R>,
    options?: AppendOptions
  ) => Effect.Effect<number, DuckDBError | E, R>
  readonly withConnection: <A>(
    f: (connection: DuckDBConnection) => Promise<A>,
    sql?: string
  ) => Effect.Effect<A, DuckDBError>
  readonly withParallelConnections: <A>(
    parallelism: number,
    f: (connection: DuckDBConnection, index: number) => Promise<A>,
    sql?: string
  ) => Effect.Effect<ReadonlyArray<A>, DuckDBError>
  readonly writeConnection: (name: string) => Effect.Effect<WriteConnection, DuckDBError>
  readonly withWritesPaused: <A>(
    f: (connection: DuckDBConnection) => Promise<A>,
    sql?: string
  ) => Effect.Effect<A, DuckDBError>
  readonly invalidated: Effect.Effect<DuckDBError>
}

/**
 * A write connection of its own (see `Service.writeConnection`): `execute`, `query`, `executeDeferred` and
 * `withTransaction` as on the service, every statement on this connection (reads too, so a transaction sees its own
 * writes).
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteConnection {
  readonly execute: (sql: string, params?: Params) => Effect.Effect<number, DuckDBError>
  readonly query: (sql: string, params?: Params) => Effect.Effect<ReadonlyArray<Row>, DuckDBError>
  readonly executeDeferred: (sql: string) => Effect.Effect<void, DuckDBError>
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DuckDBError, R>
  readonly inTransaction: Effect.Effect<boolean>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class DuckDB extends Context.Tag("@baliza/duckdb/DuckDB")<DuckDB, Service>() {}

/**
 * Opens a database: the instance, the writer and the reader pool are acquired in the scope and closed when it ends.
 * A file is opened through DuckDB's instance cache, so two services on the same file in one process share one
 * instance (DuckDB forbids two instances on one file); another process holding the file fails with `Locked`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (config: DuckDBConfig) => Effect.Effect<Service, DuckDBError, Scope.Scope> = internal.make

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: DuckDBConfig): Layer.Layer<DuckDB, DuckDBError> => Layer.scoped(DuckDB, make(config))

/**
 * A fresh in-memory database (each build of the layer is its own database).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<DuckDB, DuckDBError> = layer({ path: ":memory:" })

/**
 * The configuration read from the environment: `BALIZA_DB` (path, default `./data/baliza.duckdb`),
 * `BALIZA_DB_THREADS`, `BALIZA_DB_MEMORY_LIMIT`, `BALIZA_DB_TEMP_DIRECTORY`, `BALIZA_DB_READ_ONLY`,
 * `BALIZA_DB_READERS`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<DuckDBConfig> = Config.all({
  path: Config.string("BALIZA_DB").pipe(Config.withDefault("./data/baliza.duckdb")),
  threads: Config.integer("BALIZA_DB_THREADS").pipe(Config.option),
  memoryLimit: Config.string("BALIZA_DB_MEMORY_LIMIT").pipe(Config.option),
  tempDirectory: Config.string("BALIZA_DB_TEMP_DIRECTORY").pipe(Config.option),
  readOnly: Config.boolean("BALIZA_DB_READ_ONLY").pipe(Config.withDefault(false)),
  readers: Config.integer("BALIZA_DB_READERS").pipe(Config.option)
}).pipe(Config.map((c) => ({
  path: c.path,
  readOnly: c.readOnly,
  threads: c.threads._tag === "Some" ? c.threads.value : undefined,
  memoryLimit: c.memoryLimit._tag === "Some" ? c.memoryLimit.value : undefined,
  tempDirectory: c.tempDirectory._tag === "Some" ? c.tempDirectory.value : undefined,
  readers: c.readers._tag === "Some" ? c.readers.value : undefined
})))

/**
 * A layer from `effect/Config` (by default `config`, i.e. `BALIZA_DB` and friends).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config<DuckDBConfig> = config
): Layer.Layer<DuckDB, DuckDBError | ConfigError.ConfigError> => Layer.scoped(DuckDB, Effect.flatMap(options, make))

/**
 * Runs statements on the writer; returns the number of rows changed.
 *
 * @since 0.1.0
 * @category utils
 */
export const execute = (sql: string, params?: Params): Effect.Effect<number, DuckDBError, DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.execute(sql, params))

/**
 * Runs a query; returns rows as plain objects.
 *
 * @since 0.1.0
 * @category utils
 */
export const query = (sql: string, params?: Params): Effect.Effect<ReadonlyArray<Row>, DuckDBError, DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.query(sql, params))

/**
 * Runs a query and decodes each row with `schema`.
 *
 * @since 0.1.0
 * @category utils
 */
export const queryAs =
  <A, I, R>(schema: Schema.Schema<A, I, R>) =>
  (sql: string, params?: Params): Effect.Effect<ReadonlyArray<A>, DuckDBError, DuckDB | R> =>
    Effect.flatMap(DuckDB, (db) => db.queryAs(schema)(sql, params))

/**
 * Runs an effect in one transaction on the writer (joins an enclosing one).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError, R | DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.withTransaction(self))

/**
 * Runs an effect in a transaction shared with what other fibers submit at the same time (see {@link Service}).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withGroupCommit = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError, R | DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.withGroupCommit(self))

/**
 * Runs statements without parameters with the current transaction's next call to DuckDB (its next statement or its
 * COMMIT), or now outside a transaction (see {@link Service}).
 *
 * @since 0.1.0
 * @category utils
 */
export const executeDeferred = (sql: string): Effect.Effect<void, DuckDBError, DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.executeDeferred(sql))

/**
 * Appends rows to a table, in order and atomically (see {@link DuckDB} for how).
 *
 * @since 0.1.0
 * @category utils
 */
export const appendRows = (
  table: string,
  columns: ReadonlyArray<string>,
  rows: Iterable<RowInput>
): Effect.Effect<number, DuckDBError, DuckDB> => Effect.flatMap(DuckDB, (db) => db.appendRows(table, columns, rows))

/**
 * Appends a stream of rows in bounded chunks; returns the number appended.
 *
 * @since 0.1.0
 * @category utils
 */
export const appendStream = <E, R>(
  table: string,
  columns: ReadonlyArray<string>,
  stream: Stream.Stream<RowInput, E, R>,
  options?: AppendOptions
): Effect.Effect<number, DuckDBError | E, R | DuckDB> =>
  Effect.flatMap(DuckDB, (db) => db.appendStream(table, columns, stream, options))
