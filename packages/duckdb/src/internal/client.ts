import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api"
import * as Cause from "effect/Cause"
import type * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Pool from "effect/Pool"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import * as NodeFs from "node:fs/promises"
import * as NodePath from "node:path"
import type { AppendOptions, DuckDBConfig, Params, Row, RowInput, Service, WriteConnection } from "../DuckDB.js"
import * as DuckDBError from "../DuckDBError.js"
import * as Sql from "../Sql.js"
import * as Appender from "./appender.js"
import * as Errors from "./errors.js"
import * as GroupCommit from "./groupCommit.js"
import * as Repair from "./repair.js"
import * as Statements from "./statements.js"
import * as Values from "./values.js"
import * as VectorWriter from "./vectorWriter.js"

const MEMORY = ":memory:"

// Prepared statements kept per connection: enough for every fixed statement the packages run, while texts that vary
// (multi-row VALUES lists) cycle out.
const STATEMENT_CACHE_SIZE = 128

/** @internal Whether `path` names an in-memory database (`:memory:`, `:memory:name`, or empty), not a file. */
export const isMemoryPath = (path: string): boolean => path === MEMORY || path.startsWith(`${MEMORY}:`) || path === ""

// Statements that only read: they may run on a pooled reader connection, concurrently with the writer.
const READ_STATEMENT = /^\s*(?:\(\s*)*(?:select|with|from|values|describe|show|summarize|table)\b/i

// The PRAGMAs that only read (a PRAGMA may also set, import a database or checkpoint).
const READ_PRAGMA =
  /^\s*pragma\s+(?:version|platform|user_agent|database_list|database_size|show_databases|show_tables|show_tables_expanded|table_info|storage_info|metadata_info|functions|collations|show)\b(?!\s*=)/i

/** @internal */
export const isReadStatement = (sql: string): boolean => {
  const text = stripLeadingComments(sql)
  if (READ_PRAGMA.test(text)) return !writesOrMore(text, false)
  return READ_STATEMENT.test(text) && !writesOrMore(text, /^\s*(?:\(\s*)*with\b/i.test(text))
}

// The words of a statement outside parentheses, string literals, quoted names and comments: after `WITH`'s common
// table expressions (each in parentheses) they say whether the statement itself writes (`WITH … INSERT … RETURNING`).
const WRITING_WORD = /^(?:insert|update|delete|merge|copy|create|drop|alter)$/i
// Functions that change the database from within a read: a sequence's next value.
const WRITING_FUNCTION = /^(?:nextval|setval)$/i

/**
 * Whether a read-looking text may write, and so belongs on the writer: a `WITH` whose statement writes (`topLevelWords`),
 * a sequence advanced (`nextval`), a second statement after a `;`, or a text this scan cannot follow (an unclosed quote
 * or comment, a dollar-quoted string `$$…$$` or `$tag$…$tag$`).
 */
const writesOrMore = (sql: string, topLevelWords: boolean): boolean => {
  // the index of the last character of `close` found from `from`, if any
  const skipTo = (close: string, from: number) => {
    const at = sql.indexOf(close, from)
    return at < 0 ? undefined : at + close.length - 1
  }
  let depth = 0
  let word = ""
  for (let i = 0; i <= sql.length; i++) {
    const ch = sql[i] ?? " "
    if (/[a-z_]/i.test(ch)) {
      word += ch
      continue
    }
    if (topLevelWords && depth === 0 && WRITING_WORD.test(word)) return true
    if (WRITING_FUNCTION.test(word)) return true
    word = ""
    let end: number | undefined = i
    if (ch === "'" || ch === "\"") end = skipTo(ch, i + 1)
    else if (ch === "-" && sql[i + 1] === "-") end = skipTo("\n", i + 2) ?? sql.length
    else if (ch === "/" && sql[i + 1] === "*") end = skipTo("*/", i + 2)
    else if (ch === "$" && /^\$[a-z_]*\$/i.test(sql.slice(i, i + 64))) return true
    else if (ch === ";") return sql.slice(i + 1).trim().length > 0 && stripLeadingComments(sql.slice(i + 1)) !== ""
    else if (ch === "(") depth++
    else if (ch === ")") depth = Math.max(0, depth - 1)
    if (end === undefined) return true
    i = end
  }
  return false
}

const stripLeadingComments = (sql: string): string => {
  let text = sql
  for (;;) {
    const trimmed = text.trimStart()
    if (trimmed.startsWith("--")) {
      const end = trimmed.indexOf("\n")
      text = end < 0 ? "" : trimmed.slice(end + 1)
    } else if (trimmed.startsWith("/*")) {
      const end = trimmed.indexOf("*/")
      text = end < 0 ? "" : trimmed.slice(end + 2)
    } else {
      return trimmed
    }
  }
}

const validate = (config: DuckDBConfig): Effect.Effect<void, DuckDBError.DuckDBError> => {
  const problems: Array<string> = []
  if (config.path.includes("\u0000")) problems.push("path contains a NUL character")
  if (config.threads !== undefined && (!Number.isInteger(config.threads) || config.threads < 1)) {
    problems.push(`threads must be a positive integer (got ${config.threads})`)
  }
  if (config.readers !== undefined && (!Number.isInteger(config.readers) || config.readers < 1)) {
    problems.push(`readers must be a positive integer (got ${config.readers})`)
  }
  if (config.readOnly === true && isMemoryPath(config.path)) {
    problems.push("an in-memory database cannot be opened read-only")
  }
  if (
    config.memoryLimit !== undefined &&
    !/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|%)?\s*$/i.test(config.memoryLimit)
  ) {
    problems.push(`memoryLimit must look like "512MB" or "4GB" (got "${config.memoryLimit}")`)
  }
  return problems.length === 0 ? Effect.void : Effect.fail(
    DuckDBError.make("InvalidInput", `Invalid DuckDB configuration for "${config.path}": ${problems.join("; ")}.`)
  )
}

const instanceOptions = (config: DuckDBConfig): Record<string, string> => {
  // New files default to the v1.2.0 storage format: the older default keeps long strings (archived JSON payloads)
  // uncompressed, 1.0× instead of ~11× with ZSTD. It only applies when a file is created; DuckDB ≥ 1.2 reads it.
  const options: Record<string, string> = { storage_compatibility_version: "v1.2.0", ...config.options }
  if (config.threads !== undefined) options.threads = String(config.threads)
  if (config.memoryLimit !== undefined) options.memory_limit = config.memoryLimit
  if (config.tempDirectory !== undefined) options.temp_directory = config.tempDirectory
  if (config.readOnly === true) options.access_mode = "READ_ONLY"
  return options
}

/**
 * Whether a database still takes statements. After a COMMIT that failed other than by a conflict (out of memory
 * while writing the WAL or checkpointing, an I/O error), DuckDB 1.5.6 can keep keys of the failed transaction in a
 * primary key's index without their rows (every later insert of them is a duplicate key, and a lookup of one may
 * return another row), and can store the failed transaction's rows at a later commit on the table, from any
 * connection, in place of that commit's own rows, which it then reports stored: a silent loss. Reopening the file
 * clears the second. So the first such failure stops every connection of the database (every service open on the
 * file: DuckDB's instance cache gives them one database), and the caller opens it again once all are closed. A
 * commit another connection had already sent when the failure came back is not stopped.
 */
interface Health {
  invalidated: DuckDBError.DuckDBError | undefined
  /** Completed with `invalidated` when it is set, for whoever waits for it (`Service.invalidated`). */
  readonly stopped: Deferred.Deferred<DuckDBError.DuckDBError>
  services: number
  /** The file to mark for a rebuild of its keyed tables at its next open (see `Repair`); none in memory. */
  readonly file: string | undefined
  /** Whether that rebuild is running now: a COMMIT failing then counts as its failed attempt. */
  rebuilding: boolean
}

// By file: the services open on one file share DuckDB's database. An in-memory database is each service's own.
const healthOfFile = new Map<string, Health>()
const healthOfConnection = new WeakMap<DuckDBConnection, Health>()

const acquireHealth = (path: string, memory: boolean) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const health = (memory ? undefined : healthOfFile.get(path)) ??
        {
          invalidated: undefined,
          stopped: Deferred.unsafeMake(FiberId.none),
          services: 0,
          file: memory ? undefined : path,
          rebuilding: false
        }
      if (!memory) healthOfFile.set(path, health)
      health.services++
      return health
    }),
    (health) =>
      Effect.sync(() => {
        if (--health.services === 0 && healthOfFile.get(path) === health) healthOfFile.delete(path)
      })
  )

const invalidate = (health: Health, error: DuckDBError.DuckDBError) => {
  if (health.invalidated !== undefined) return
  const marked = health.file !== undefined && Repair.markFailedCommit(health.file, error.message, health.rebuilding)
  health.invalidated = DuckDBError.make(
    "Invalidated",
    `A COMMIT failed, so this database takes no more statements until it is opened again: DuckDB 1.5.6 may ` +
      `otherwise store the failed transaction's rows in place of a later one's. What committed before it is kept; ` +
      (marked
        ? "run the command again to go on (it resumes from there, once the next open has rebuilt the tables with keys). "
        : "run `baliza repair` (Repair.keyedTables), then the command again (it resumes from there). ") +
      `The failure: ${error.message}`,
    { cause: error }
  )
  Deferred.unsafeDone(health.stopped, Exit.succeed(health.invalidated))
}

/**
 * @internal
 * Runs a promise-returning DuckDB call on a connection. Interruption calls `connection.interrupt()` and waits for
 * the call to settle, so the connection is idle again before anyone else uses it. On a database a failed COMMIT
 * stopped (see `Health`), fails at once.
 */
export const runOn = <A>(
  connection: DuckDBConnection,
  f: (connection: DuckDBConnection) => Promise<A>,
  sql?: string
): Effect.Effect<A, DuckDBError.DuckDBError> =>
  Effect.suspend(() => {
    const health = healthOfConnection.get(connection)
    // a rollback writes nothing, and ends what the failed commit left open
    if (health?.invalidated !== undefined && sql !== "ROLLBACK") return Effect.fail(health.invalidated)
    return callOn(connection, f, sql)
  })

// Seen as the call settles, not by the fiber that waits for it: that fiber may be interrupted meanwhile (a part of
// `withParallelConnections` whose sibling failed first).
const failureOf = (connection: DuckDBConnection, cause: unknown, sql: string | undefined): DuckDBError.DuckDBError => {
  const error = DuckDBError.isDuckDBError(cause) ? cause : DuckDBError.fromCause(cause, sql)
  const health = healthOfConnection.get(connection)
  if (health !== undefined && Errors.isFailedCommit(error)) invalidate(health, error)
  return error
}

const callOn = <A>(
  connection: DuckDBConnection,
  f: (connection: DuckDBConnection) => Promise<A>,
  sql?: string
): Effect.Effect<A, DuckDBError.DuckDBError> =>
  Effect.async<A, DuckDBError.DuckDBError>((resume) => {
    let settled = false
    let promise: Promise<void>
    try {
      promise = f(connection).then(
        (a) => {
          settled = true
          resume(Effect.succeed(a))
        },
        (cause: unknown) => {
          settled = true
          resume(Effect.fail(failureOf(connection, cause, sql)))
        }
      )
    } catch (cause) {
      resume(Effect.fail(failureOf(connection, cause, sql)))
      return
    }
    return Effect.promise(() =>
      new Promise<void>((resolve) => {
        // DuckDB drops an interrupt that arrives before the statement starts executing (the call may still be
        // preparing), so keep interrupting until the call settles rather than risk waiting for it forever.
        const interrupt = () => {
          if (!settled) connection.interrupt()
        }
        interrupt()
        const timer = setInterval(interrupt, 5)
        void promise.finally(() => {
          clearInterval(timer)
          resolve()
        })
      })
    )
  })

interface Transaction {
  /** Whether BEGIN has run: it waits for the transaction's first statement, and goes with it when it can. */
  begun: boolean
  /** Whether BEGIN was sent at all: the transaction may then be open, and a failure rolls it back. */
  sent: boolean
  /** Statements sent with the transaction's next call (`executeDeferred`), in order. */
  readonly deferred: Array<string>
  /** A deferred statement that failed when it was sent with another call: the transaction fails with it. */
  failure: DuckDBError.DuckDBError | undefined
  /** Committed or rolled back: a fiber that outlives the transaction runs its statements outside it. */
  closed: boolean
}

const BEGIN = "BEGIN TRANSACTION"

/**
 * How a statement runs on a write connection: `run(connection, prefix)` runs it with `prefix` (statements) before its
 * text when `literal` (its text has no parameters, so statements can go before it in one call); otherwise `prefix` is
 * always empty.
 */
interface WriterCall<A> {
  readonly run: (connection: DuckDBConnection, prefix: string) => Promise<A>
  readonly literal: boolean
  readonly sql?: string | undefined
}

/**
 * A write connection's discipline: statements outside a transaction take its lock one at a time; `withTransaction`
 * holds the lock from BEGIN to COMMIT, and the fibers inside run on the connection one statement at a time.
 *
 * Each call to DuckDB waits for a thread of libuv's pool and then for a turn of the event loop, milliseconds under
 * load, and every other writer of the connection waits meanwhile. So a transaction sends its BEGIN with its first
 * statement that has no parameters (or with its COMMIT), and deferred statements (`executeDeferred`) go out with its
 * next call, before that call's own statement: a transaction of deferred statements alone is one call.
 */
const makeWriteChannel = (connection: DuckDBConnection) =>
  Effect.gen(function*() {
    const writerLock = yield* Effect.makeSemaphore(1)
    const statementLock = yield* Effect.makeSemaphore(1)
    const currentTransaction = FiberRef.unsafeMake<Option.Option<Transaction>>(Option.none())

    const statement = (sql: string) => runOn(connection, (c) => c.run(sql), sql)

    /** What goes before the transaction's next statement: BEGIN unless it ran, then the deferred statements. */
    const takePending = (transaction: Transaction): ReadonlyArray<string> => {
      const pending = [...(transaction.begun ? [] : [BEGIN]), ...transaction.deferred.splice(0)]
      if (pending.length > 0) {
        transaction.begun = true
        transaction.sent = true
      }
      return pending
    }

    /**
     * Runs a call inside `transaction`. A bare BEGIN goes in the same call when the call is literal SQL; deferred
     * statements go in a call of their own first, so a failure of theirs is not mistaken for the call's (it fails the
     * transaction).
     */
    const inTransaction = <A>(transaction: Transaction, call: WriterCall<A>) =>
      statementLock.withPermits(1)(Effect.suspend(() => {
        // A statement that fails as it runs aborts DuckDB's transaction, whose COMMIT then succeeds and stores
        // nothing: a body that recovers from the failure would be told its writes committed. The transaction fails at
        // its end instead. (A text that does not parse or bind runs nothing, and the transaction goes on.)
        const aborts = (error: DuckDBError.DuckDBError) =>
          Effect.sync(() => {
            if (error.reason !== "Syntax" && error.reason !== "Catalog") {
              transaction.failure ??= DuckDBError.make(
                "Transaction",
                `The transaction was rolled back: a statement in it failed, and DuckDB then stores none of its ` +
                  `writes (${error.message})`,
                { cause: error, sql: call.sql }
              )
            }
          })
        const run = (prefix: string) =>
          runOn(connection, (c) => Appender.inOrder(c, (c) => call.run(c, prefix)), call.sql)
        const wasBegun = transaction.begun
        const pending = takePending(transaction)
        if (pending.length === 0) return Effect.tapError(run(""), aborts)
        if (pending.length === 1 && !wasBegun && call.literal) {
          // A text that does not parse runs none of its statements, BEGIN included: the next statement sends it.
          return Effect.tapError(run(`${BEGIN};\n`), (error) =>
            Effect.zipRight(
              Effect.sync(() => {
                if (error.reason === "Syntax") transaction.begun = false
              }),
              aborts(error)
            ))
        }
        const flush = Effect.tapError(statement(pending.join(";\n")), (error) =>
          Effect.sync(() => {
            if (!wasBegun && error.reason === "Syntax") transaction.begun = false
            transaction.failure ??= error
          }))
        return Effect.zipRight(flush, Effect.tapError(run(""), aborts))
      }))

    /** The fiber's open transaction on this connection, if any. */
    const openTransaction = Effect.map(
      FiberRef.get(currentTransaction),
      Option.filter((transaction) => !transaction.closed)
    )

    /** Runs on the connection: inside its transaction, otherwise taking its lock. */
    const onWriterCall = <A>(call: WriterCall<A>) =>
      Effect.flatMap(openTransaction, (transaction) =>
        Option.isSome(transaction)
          ? inTransaction(transaction.value, call)
          // An any-order append that could not put `preserve_insertion_order` back (failed in a transaction, or
          // interrupted) has it put back before the writer's next statement.
          : writerLock.withPermits(1)(
            statementLock.withPermits(1)(
              runOn(connection, (c) => Appender.inOrder(c, (c) => call.run(c, "")), call.sql)
            )
          ))

    const onWriter = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      onWriterCall({ run: (c) => f(c), literal: false, sql })

    const executeDeferred = (sql: string): Effect.Effect<void, DuckDBError.DuckDBError> =>
      Effect.flatMap(openTransaction, (transaction) =>
        Option.isSome(transaction)
          ? Effect.sync(() => {
            transaction.value.deferred.push(sql)
          })
          : Effect.asVoid(onWriterCall({ run: (c) => c.run(sql), literal: true, sql })))

    const withTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError.DuckDBError, R> =>
      Effect.flatMap(openTransaction, (outer) => {
        // DuckDB has no savepoints to undo a nested part alone: when it fails (even if the caller then recovers), the
        // whole transaction rolls back at its end instead of committing half of the nested part's writes.
        if (Option.isSome(outer)) {
          return Effect.onError(self, (cause) =>
            Effect.sync(() => {
              outer.value.failure ??= DuckDBError.make(
                "Transaction",
                "A nested withTransaction failed, so the whole transaction was rolled back: DuckDB has no savepoints " +
                  "to undo the nested part alone.",
                { cause: Cause.squash(cause) }
              )
            }))
        }
        const transaction: Transaction = {
          begun: false,
          sent: false,
          deferred: [],
          failure: undefined,
          closed: false
        }
        const rollback = statementLock.withPermits(1)(statement("ROLLBACK")).pipe(
          Effect.catchAll((error) => Effect.logDebug("DuckDB ROLLBACK failed", error.message))
        )
        // BEGIN (unless a statement took it), the deferred statements, and COMMIT, in one call; nothing when the
        // transaction ran no statement.
        const commit = Effect.suspend(() => {
          if (transaction.failure !== undefined) return Effect.fail(transaction.failure)
          if (!transaction.sent && transaction.deferred.length === 0) return Effect.void
          return statementLock.withPermits(1)(statement([...takePending(transaction), "COMMIT"].join(";\n")))
        })
        const close = Effect.sync(() => {
          transaction.closed = true
        })
        return writerLock.withPermits(1)(Effect.uninterruptibleMask((restore) =>
          Effect.gen(function*() {
            const exit = yield* Effect.exit(
              restore(Effect.locally(self, currentTransaction, Option.some(transaction)))
            )
            if (Exit.isFailure(exit)) {
              yield* close
              if (transaction.sent) yield* rollback
              return yield* Effect.failCause(exit.cause)
            }
            const committed = yield* Effect.exit(commit)
            yield* close
            if (Exit.isFailure(committed)) {
              if (transaction.sent) yield* rollback
              return yield* Effect.failCause(committed.cause)
            }
            return exit.value
          })
        ))
      })

    const inTransactionNow = Effect.map(openTransaction, Option.isSome)
    return {
      writerLock,
      statementLock,
      openTransaction,
      onWriter,
      onWriterCall,
      inTransactionOf: inTransaction,
      executeDeferred,
      withTransaction,
      inTransaction: inTransactionNow
    }
  })

/** @internal */
export const make = (config: DuckDBConfig): Effect.Effect<Service, DuckDBError.DuckDBError, Scope.Scope> =>
  Effect.gen(function*() {
    yield* validate(config)
    const memory = isMemoryPath(config.path)
    const path = memory ? MEMORY : NodePath.resolve(config.path)
    const readOnly = config.readOnly === true
    if (!memory && !readOnly) {
      yield* Effect.tryPromise({
        try: () => NodeFs.mkdir(NodePath.dirname(path), { recursive: true }),
        catch: (cause) =>
          DuckDBError.make("Io", `Cannot create the directory for the database "${path}": ${String(cause)}`, { cause })
      })
    }
    const options = instanceOptions(config)
    // released after the instance is closed
    const health = yield* acquireHealth(path, memory)
    const instance = yield* Effect.acquireRelease(
      Effect.tryPromise({
        // A file goes through DuckDB's instance cache: two instances on one file in one process would corrupt it.
        try: () => memory ? DuckDBInstance.create(MEMORY, options) : DuckDBInstance.fromCache(path, options),
        catch: (cause) => {
          const error = DuckDBError.fromCause(cause)
          return error.reason === "Unknown" || error.reason === "InvalidInput"
            ? DuckDBError.make(error.reason, `Cannot open the database "${path}": ${error.message}`, { cause })
            : error
        }
      }),
      (instance) => Effect.sync(() => instance.closeSync())
    )
    // Each connection keeps its prepared statements (see `StatementCache`); they are destroyed before it closes.
    const statements = new WeakMap<DuckDBConnection, Statements.StatementCache>()
    const sessionState: Statements.SessionState = { changes: 0 }
    const statementsOf = (connection: DuckDBConnection) => {
      const found = statements.get(connection)
      if (found !== undefined) return found
      const made = new Statements.StatementCache(connection, STATEMENT_CACHE_SIZE, sessionState)
      statements.set(connection, made)
      return made
    }
    const connect = Effect.acquireRelease(
      Effect.tryPromise({ try: () => instance.connect(), catch: (cause) => DuckDBError.fromCause(cause) }).pipe(
        Effect.tap((connection) => healthOfConnection.set(connection, health))
      ),
      (connection) =>
        Effect.sync(() => {
          statements.get(connection)?.clear()
          connection.closeSync()
        })
    )
    const writer = yield* connect
    // DuckDB 1.5.6 reads a `max_temp_directory_size` given at startup back as set, but keeps spilling past it until it
    // is SET: without this the limit on the temporary directory was not one.
    const maxTempSize = options.max_temp_directory_size
    if (maxTempSize !== undefined) {
      yield* Effect.tryPromise({
        try: () => writer.run(`SET GLOBAL max_temp_directory_size = ${Sql.literal(maxTempSize)}`),
        catch: (cause) => DuckDBError.fromCause(cause)
      })
    }
    yield* Effect.try({
      try: () => Appender.register(writer),
      catch: (cause) => DuckDBError.fromCause(cause)
    })
    const readers = yield* Pool.make({ acquire: connect, size: config.readers ?? 2 })
    const main = yield* makeWriteChannel(writer)
    const { onWriter, onWriterCall, openTransaction, statementLock, withTransaction, writerLock } = main

    const onReader = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      Effect.scoped(Effect.flatMap(Pool.get(readers), (connection) => runOn(connection, f, sql)))

    const route = <A>(sql: string, call: WriterCall<A>) =>
      Effect.flatMap(
        openTransaction,
        (transaction) =>
          Option.isNone(transaction) && (readOnly || isReadStatement(sql))
            ? onReader((c) => call.run(c, ""), sql)
            : onWriterCall(call)
      )

    // A statement without parameters is literal SQL: a transaction's BEGIN can go in the same call (see
    // `makeWriteChannel`).
    const executeOn = (sql: string, params?: Params) => ({
      run: async (connection: DuckDBConnection, prefix: string) =>
        (await statementsOf(connection).run(prefix + sql, Values.toParams(params))).rowsChanged,
      literal: params === undefined,
      sql
    })

    const queryOn = (sql: string, params?: Params) => ({
      run: (connection: DuckDBConnection, prefix: string) => rowsOf(connection, prefix + sql, params),
      literal: params === undefined,
      sql
    })

    const rowsOf = async (connection: DuckDBConnection, sql: string, params?: Params) => {
      const result = await statementsOf(connection).run(sql, Values.toParams(params))
      try {
        // JS is structurally the Value type; readonly-ness is the only difference.
        return Statements.rowObjects(result, Values.converter) as ReadonlyArray<Row>
      } catch (cause) {
        throw DuckDBError.make("Decode", `Cannot convert a DuckDB value to JavaScript: ${String(cause)}`, {
          sql,
          cause
        })
      }
    }

    const execute = (sql: string, params?: Params) => onWriterCall(executeOn(sql, params))

    const query = (sql: string, params?: Params): Effect.Effect<ReadonlyArray<Row>, DuckDBError.DuckDBError> =>
      route(sql, queryOn(sql, params))

    const queryAs = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
      const decode = Schema.decodeUnknown(Schema.Array(schema))
      const encodedAst = schema.ast
      return (sql: string, params?: Params) =>
        Effect.flatMap(
          query(sql, params),
          (rows) =>
            decode(rows.map((row) => Values.alignToEncoded(encodedAst, row))).pipe(
              Effect.mapError((error) =>
                DuckDBError.make(
                  "Decode",
                  `A row of the query does not match the schema: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
                  { sql, cause: error }
                )
              )
            )
        )
    }

    /**
     * Appends the feed's rows as they come until it is done: in order, each batch through the Appender in a
     * transaction; in any order, one insert on DuckDB's threads as long as rows keep coming (a single chunk goes
     * through the Appender, sparing the insert's session settings).
     */
    const appendFeed = (
      table: string,
      columns: ReadonlyArray<string>,
      feed: Appender.RowFeed,
      options?: AppendOptions
    ): Effect.Effect<number, DuckDBError.DuckDBError> =>
      Effect.gen(function*() {
        const preserveOrder = options?.preserveOrder ?? true
        let target: Appender.AppendTarget | undefined
        const resolved = async (connection: DuckDBConnection) =>
          target ??= await Appender.resolveTarget(connection, table, columns)
        let total = 0
        for (;;) {
          yield* feed.ready.await
          if (feed.done) return total
          total += yield* preserveOrder || (feed.isEnded && feed.size <= VectorWriter.CHUNK_ROWS)
            // withTransaction joins the caller's transaction when there is one
            ? withTransaction(onWriter(
              async (connection) => Appender.appendInOrder(connection, await resolved(connection), feed),
              `APPEND INTO ${table}`
            ))
            : onWriter(
              async (connection) => Appender.insertInAnyOrder(connection, await resolved(connection), feed),
              `INSERT INTO ${table}`
            )
        }
      }).pipe(Effect.tapError((error) => Effect.sync(() => feed.fail(error))))

    const appendRows = (table: string, columns: ReadonlyArray<string>, rows: Iterable<RowInput>) =>
      Effect.suspend(() => {
        const feed = Appender.RowFeed.of(rows)
        return feed.done ? Effect.succeed(0) : appendFeed(table, columns, feed)
      })

    const appendSink = (
      table: string,
      columns: ReadonlyArray<string>,
      options?: AppendOptions
    ): Sink.Sink<number, RowInput, never, DuckDBError.DuckDBError> =>
      Sink.unwrapScoped(Effect.gen(function*() {
        // At most chunkSize rows wait while an append runs; the stream is pulled as they are taken.
        const feed = new Appender.RowFeed(Math.max(1, options?.chunkSize ?? 10_000))
        const inserts = yield* Effect.forkScoped(appendFeed(table, columns, feed, options))
        return Sink.forEachChunk((chunk: Chunk.Chunk<RowInput>) => feed.offer(chunk)).pipe(
          Sink.mapEffect(() =>
            Effect.suspend(() => {
              feed.end()
              return Fiber.join(inserts)
            })
          )
        )
      }))

    const appendStream = <E, R>(
      table: string,
      columns: ReadonlyArray<string>,
      stream: Stream.Stream<RowInput, E, R>,
      options?: AppendOptions
    ) => Stream.run(stream, appendSink(table, columns, options))

    // The caller's own statements on a connection may change what kept statements folded in (a SET, a macro).
    const stateMayChange = Effect.sync(() => {
      sessionState.changes++
    })

    const withConnection = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      Effect.ensuring(onWriter(f, sql), stateMayChange)

    /**
     * The parallel connections insert side by side, but their commits take turns. DuckDB keeps up to
     * `write_buffer_row_group_count` (5) filled row groups of a transaction before compressing and writing them
     * together, so a connection writing fewer (4 row groups of 122,880 rows) left all of that work to its commit, one
     * connection's after the other's: staging 1,000,000 records on 2 connections spent 3.9 of 7.4 s in two serial
     * commits of 1.9 s. Writing each row group as it fills does that work in parallel (5.5–5.9 s, commits 0.15 s). The
     * setting is the fresh connection's own.
     */
    const writeRowGroupsAsFilled = "SET SESSION write_buffer_row_group_count = 1"

    const withParallelConnections = <A>(
      parallelism: number,
      f: (connection: DuckDBConnection, index: number) => Promise<A>,
      sql?: string
    ): Effect.Effect<ReadonlyArray<A>, DuckDBError.DuckDBError> => {
      const indexes = Array.from({ length: Math.max(1, Math.floor(parallelism)) }, (_, i) => i)
      return Effect.flatMap(openTransaction, (transaction) =>
        Option.isSome(transaction)
          ? Effect.forEach(indexes, (i) =>
            main.inTransactionOf(transaction.value, { run: (c) => f(c, i), literal: false, sql }))
          : writerLock.withPermits(1)(Effect.scoped(Effect.forEach(
            indexes,
            (i) =>
              Effect.flatMap(connect, (connection) =>
                runOn(connection, async (c) => {
                  await c.run(writeRowGroupsAsFilled)
                  return f(c, i)
                }, sql)),
            { concurrency: "unbounded" }
          )))).pipe(Effect.ensuring(stateMayChange))
    }

    const withGroupCommit = yield* GroupCommit.make(main)

    // Further write connections, opened on first use and closed with the service (before the instance).
    const scope = yield* Effect.scope
    const writeConnections = new Map<string, WriteConnection>()
    const writeChannels: Array<Effect.Effect.Success<ReturnType<typeof makeWriteChannel>>> = []
    const openLock = yield* Effect.makeSemaphore(1)
    const writeConnection = (name: string): Effect.Effect<WriteConnection, DuckDBError.DuckDBError> =>
      openLock.withPermits(1)(Effect.suspend(() => {
        const open = writeConnections.get(name)
        if (open !== undefined) return Effect.succeed(open)
        return Effect.gen(function*() {
          const channel = yield* makeWriteChannel(yield* Scope.extend(connect, scope))
          writeChannels.push(channel)
          const made: WriteConnection = {
            execute: (sql, params) => channel.onWriterCall(executeOn(sql, params)),
            query: (sql, params) => channel.onWriterCall(queryOn(sql, params)),
            executeDeferred: channel.executeDeferred,
            withTransaction: channel.withTransaction,
            inTransaction: channel.inTransaction
          }
          writeConnections.set(name, made)
          return made
        })
      }))

    // The writer first, then the write connections: the order in which a fiber may hold them (a transaction on the
    // writer may wait for a write connection, never the other way round).
    const withWritesPaused = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      Effect.suspend(() =>
        writerLock.withPermits(1)(
          writeChannels.reduce(
            (held, channel) => channel.writerLock.withPermits(1)(held),
            // as every writer statement: after an any-order append left `preserve_insertion_order` off
            statementLock.withPermits(1)(runOn(writer, (c) => Appender.inOrder(c, f), sql))
          )
        )
      ).pipe(Effect.ensuring(stateMayChange))

    const service = {
      path,
      readOnly,
      execute,
      query,
      queryAs,
      withTransaction,
      withGroupCommit,
      executeDeferred: main.executeDeferred,
      inTransaction: main.inTransaction,
      appendRows,
      appendSink,
      appendStream,
      withConnection,
      withParallelConnections,
      writeConnection,
      withWritesPaused,
      invalidated: Deferred.await(health.stopped)
    } satisfies Service
    // Only the first service on the file: another one open in this process would see its tables dropped under it.
    const rebuild = config.rebuildMarkedTables !== false
    if (rebuild && !memory && !readOnly && health.invalidated === undefined && health.services === 1) {
      health.rebuilding = true
      yield* Effect.ensuring(
        Repair.rebuildAfterFailedCommit(service),
        Effect.sync(() => {
          health.rebuilding = false
        })
      )
      // (a rebuild whose own COMMIT failed stopped the database again; the marker keeps that it was tried)
      if (health.invalidated !== undefined) return yield* Effect.fail(health.invalidated)
    }
    return service
  })
