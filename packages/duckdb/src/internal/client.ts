import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api"
import type * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
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
import * as Appender from "./appender.js"
import * as GroupCommit from "./groupCommit.js"
import * as Statements from "./statements.js"
import * as Values from "./values.js"
import * as VectorWriter from "./vectorWriter.js"

const MEMORY = ":memory:"

// Prepared statements kept per connection: enough for every fixed statement the packages run, while texts that vary
// (multi-row VALUES lists) cycle out.
const STATEMENT_CACHE_SIZE = 128

const isMemoryPath = (path: string): boolean => path === MEMORY || path.startsWith(`${MEMORY}:`) || path === ""

// Statements that only read: they may run on a pooled reader connection, concurrently with the writer.
const READ_STATEMENT = /^\s*(?:\(\s*)*(?:select|with|from|values|describe|show|summarize|pragma|table)\b/i

/** @internal */
export const isReadStatement = (sql: string): boolean => {
  const text = stripLeadingComments(sql)
  return READ_STATEMENT.test(text) && !(/^\s*(?:\(\s*)*with\b/i.test(text) && writesAtTopLevel(text))
}

// The words of a statement outside parentheses, string literals and quoted names: after `WITH`'s common table
// expressions (each in parentheses) they say whether the statement itself writes (`WITH … INSERT … RETURNING`).
const WRITING_WORD = /^(?:insert|update|delete|merge|copy|create|drop|alter)$/i

const writesAtTopLevel = (sql: string): boolean => {
  let depth = 0
  let word = ""
  for (let i = 0; i <= sql.length; i++) {
    const ch = sql[i] ?? " "
    if (/[a-z_]/i.test(ch)) {
      word += ch
      continue
    }
    if (depth === 0 && WRITING_WORD.test(word)) return true
    word = ""
    if (ch === "'" || ch === "\"") {
      const close = sql.indexOf(ch, i + 1)
      if (close < 0) return false
      i = close
    } else if (ch === "(") depth++
    else if (ch === ")") depth = Math.max(0, depth - 1)
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
 * @internal
 * Runs a promise-returning DuckDB call on a connection. Interruption calls `connection.interrupt()` and waits for
 * the call to settle, so the connection is idle again before anyone else uses it.
 */
export const runOn = <A>(
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
          resume(Effect.fail(DuckDBError.isDuckDBError(cause) ? cause : DuckDBError.fromCause(cause, sql)))
        }
      )
    } catch (cause) {
      resume(Effect.fail(DuckDBError.isDuckDBError(cause) ? cause : DuckDBError.fromCause(cause, sql)))
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
  readonly connection: DuckDBConnection
}

/**
 * A write connection's discipline: statements outside a transaction take its lock one at a time; `withTransaction`
 * holds the lock from BEGIN to COMMIT, and the fibers inside run on the connection one statement at a time.
 */
const makeWriteChannel = (connection: DuckDBConnection) =>
  Effect.gen(function*() {
    const writerLock = yield* Effect.makeSemaphore(1)
    const statementLock = yield* Effect.makeSemaphore(1)
    const currentTransaction = FiberRef.unsafeMake<Option.Option<Transaction>>(Option.none())

    /** Runs on the connection: inside its transaction, otherwise taking its lock. */
    const onWriter = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      Effect.flatMap(FiberRef.get(currentTransaction), (transaction) => {
        // An any-order append that could not put `preserve_insertion_order` back (failed in a transaction, or
        // interrupted) has it put back before the writer's next statement.
        const run = statementLock.withPermits(1)(runOn(connection, (c) => Appender.inOrder(c, f), sql))
        return Option.isSome(transaction) ? run : writerLock.withPermits(1)(run)
      })

    const withTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DuckDBError.DuckDBError, R> =>
      Effect.flatMap(FiberRef.get(currentTransaction), (outer) => {
        if (Option.isSome(outer)) return self
        const statement = (sql: string) => statementLock.withPermits(1)(runOn(connection, (c) => c.run(sql), sql))
        const rollback = statement("ROLLBACK").pipe(
          Effect.catchAll((error) => Effect.logDebug("DuckDB ROLLBACK failed", error.message))
        )
        return writerLock.withPermits(1)(Effect.uninterruptibleMask((restore) =>
          Effect.gen(function*() {
            yield* statement("BEGIN TRANSACTION")
            const exit = yield* Effect.exit(
              restore(Effect.locally(self, currentTransaction, Option.some({ connection })))
            )
            if (Exit.isFailure(exit)) {
              yield* rollback
              return yield* Effect.failCause(exit.cause)
            }
            const commit = yield* Effect.exit(statement("COMMIT"))
            if (Exit.isFailure(commit)) {
              yield* rollback
              return yield* Effect.failCause(commit.cause)
            }
            return exit.value
          })
        ))
      })

    const inTransaction = Effect.map(FiberRef.get(currentTransaction), Option.isSome)
    return { writerLock, statementLock, currentTransaction, onWriter, withTransaction, inTransaction }
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
    const statementsOf = (connection: DuckDBConnection) => {
      const found = statements.get(connection)
      if (found !== undefined) return found
      const made = new Statements.StatementCache(connection, STATEMENT_CACHE_SIZE)
      statements.set(connection, made)
      return made
    }
    const connect = Effect.acquireRelease(
      Effect.tryPromise({ try: () => instance.connect(), catch: (cause) => DuckDBError.fromCause(cause) }),
      (connection) =>
        Effect.sync(() => {
          statements.get(connection)?.clear()
          connection.closeSync()
        })
    )
    const writer = yield* connect
    yield* Effect.try({
      try: () => Appender.register(writer),
      catch: (cause) => DuckDBError.fromCause(cause)
    })
    const readers = yield* Pool.make({ acquire: connect, size: config.readers ?? 2 })
    const main = yield* makeWriteChannel(writer)
    const { currentTransaction, onWriter, statementLock, withTransaction, writerLock } = main

    const onReader = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) =>
      Effect.scoped(Effect.flatMap(Pool.get(readers), (connection) => runOn(connection, f, sql)))

    const route = <A>(sql: string, f: (connection: DuckDBConnection) => Promise<A>) =>
      Effect.flatMap(
        FiberRef.get(currentTransaction),
        (transaction) =>
          Option.isNone(transaction) && (readOnly || isReadStatement(sql)) ? onReader(f, sql) : onWriter(f, sql)
      )

    const executeOn = (sql: string, params?: Params) => async (connection: DuckDBConnection) =>
      (await statementsOf(connection).run(sql, Values.toParams(params))).rowsChanged

    const queryOn = (sql: string, params?: Params) => async (connection: DuckDBConnection) => {
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

    const execute = (sql: string, params?: Params) => onWriter(executeOn(sql, params), sql)

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

    const withConnection = <A>(f: (connection: DuckDBConnection) => Promise<A>, sql?: string) => onWriter(f, sql)

    const withParallelConnections = <A>(
      parallelism: number,
      f: (connection: DuckDBConnection, index: number) => Promise<A>,
      sql?: string
    ): Effect.Effect<ReadonlyArray<A>, DuckDBError.DuckDBError> => {
      const indexes = Array.from({ length: Math.max(1, Math.floor(parallelism)) }, (_, i) => i)
      return Effect.flatMap(FiberRef.get(currentTransaction), (transaction) =>
        Option.isSome(transaction)
          ? Effect.forEach(indexes, (i) => statementLock.withPermits(1)(runOn(writer, (c) => f(c, i), sql)))
          : writerLock.withPermits(1)(Effect.scoped(Effect.forEach(
            indexes,
            (i) => Effect.flatMap(connect, (connection) => runOn(connection, (c) => f(c, i), sql)),
            { concurrency: "unbounded" }
          ))))
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
            execute: (sql, params) => channel.onWriter(executeOn(sql, params), sql),
            query: (sql, params) => channel.onWriter(queryOn(sql, params), sql),
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
            statementLock.withPermits(1)(runOn(writer, f, sql))
          )
        )
      )

    return {
      path,
      readOnly,
      execute,
      query,
      queryAs,
      withTransaction,
      withGroupCommit,
      inTransaction: main.inTransaction,
      appendRows,
      appendSink,
      appendStream,
      withConnection,
      withParallelConnections,
      writeConnection,
      withWritesPaused
    } satisfies Service
  })
