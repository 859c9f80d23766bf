import * as DuckDBError from "@baliza/duckdb/DuckDBError"
import * as Effect from "effect/Effect"
import * as CliError from "../CliError.js"

/** The DuckDB failure in the chain of causes: storage errors of other packages (a migration's too) keep it as one. */
const duckdbOf = (error: unknown, depth = 0): DuckDBError.DuckDBError | undefined => {
  if (DuckDBError.isDuckDBError(error)) return error
  const cause = typeof error === "object" && error !== null ? Reflect.get(error, "cause") : undefined
  return depth < 5 && cause !== undefined ? duckdbOf(cause, depth + 1) : undefined
}

/**
 * The database or the file system is in the way (a lock, a read-only or unreadable file, a database a failed commit
 * stopped): exit 3, not the user.
 */
const isStorageProblem = (error: DuckDBError.DuckDBError): boolean =>
  error.reason === "Locked" || error.reason === "Io" || error.reason === "ReadOnly" || error.reason === "Invalidated"

/** @internal Whether the failure is a write refused by a database opened read-only. */
export const isReadOnly = (error: unknown): boolean => duckdbOf(error)?.reason === "ReadOnly"

const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && typeof Reflect.get(error, "message") === "string"
    ? String(Reflect.get(error, "message"))
    : String(error)

/**
 * @internal Failures of opening the warehouse: a locked or unreadable file is exit 3, an invalid setting exit 2, anything
 * else as it is.
 */
export const opening = (path: string, memoryLimit?: string) => (error: unknown): CliError.CliError => {
  if (error instanceof CliError.CliError) return error
  // Out of memory while opening (migrations included): the memory limit the user gave is too small for this file.
  const duckdb = duckdbOf(error)
  if (memoryLimit !== undefined && duckdb?.reason === "OutOfMemory") {
    return CliError.input(
      `DuckDB ran out of memory opening ${path} with --memory-limit ${memoryLimit} (or BALIZA_MEMORY_LIMIT): ` +
        `give it more (the default is 512MB).`
    )
  }
  if (duckdb !== undefined && isStorageProblem(duckdb)) {
    return CliError.database(`${duckdb.message}\nDatabase: ${path}`)
  }
  // A setting the database was opened with, given by the user (e.g. the staging parallelism): theirs to fix.
  if (duckdb !== undefined && duckdb.reason === "InvalidInput") return CliError.input(duckdb.message)
  return CliError.database(`Cannot open the database ${path}: ${messageOf(error)}`)
}

/** @internal Failures of a user's SQL: their statement's fault (exit 2) unless the database itself is the problem. */
export const statement = (error: unknown): CliError.CliError => {
  if (error instanceof CliError.CliError) return error
  const duckdb = duckdbOf(error)
  if (duckdb !== undefined && (duckdb.reason === "Locked" || duckdb.reason === "Io")) {
    return CliError.database(duckdb.message)
  }
  return CliError.input(messageOf(error))
}

/**
 * @internal Any other failure, as a CliError that keeps its message: the database or the file system (a lock, a
 * directory that cannot be written) is exit 3, not the exit 1 of steps that failed.
 */
export const other = (error: unknown): CliError.CliError => {
  if (error instanceof CliError.CliError) return error
  const duckdb = duckdbOf(error)
  return duckdb !== undefined && isStorageProblem(duckdb) ?
    CliError.database(duckdb.message)
    : CliError.failed(messageOf(error))
}

/** @internal */
export const mapOther = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, CliError.CliError, R> =>
  Effect.mapError(self, other)
