import type { Reason } from "../DuckDBError.js"

const MAX_SQL = 500
// DuckDB quotes the offending value in some messages (a conversion error of a bound page payload quotes megabytes).
const MAX_MESSAGE = 1_000

/** The first `max` characters of a text, not cutting a surrogate pair in half, and how many more there were. */
const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text
  const high = text.charCodeAt(max - 1)
  const end = high >= 0xd800 && high <= 0xdbff ? max - 1 : max
  return `${text.slice(0, end)}… (${text.length - end} more characters)`
}

/** @internal */
export const truncateSql = (sql: string): string => truncate(sql, MAX_SQL)

// DuckDB appends "LINE 1: ..." with a caret and "See also <url>" hints; keep the first paragraph for the user.
const firstParagraph = (text: string): string => truncate(text.split(/\n\s*\n/)[0]!.trim(), MAX_MESSAGE)

const quoted = (text: string, after: string): string | undefined => {
  const index = text.indexOf(after)
  if (index < 0) return undefined
  const match = /"([^"]+)"/.exec(text.slice(index + after.length))
  return match?.[1]
}

/** @internal */
export const classify = (raw: string): { readonly reason: Reason; readonly message: string } => {
  const text = firstParagraph(raw)
  if (text.includes("Could not set lock on file")) {
    const file = quoted(text, "Could not set lock on file") ?? "(unknown file)"
    const pid = /\(PID (\d+)\)/.exec(text)?.[1]
    return {
      reason: "Locked",
      message:
        `The database file "${file}" is locked by another process${
          pid === undefined ? "" : ` (PID ${pid})`
        }: while one process writes a DuckDB file, no other may open it, not even to read. Wait for that ` +
        `process to finish, or stop it.`
    }
  }
  if (/read-only mode|read only mode|attached in read-only/i.test(text) && !text.includes("database does not exist")) {
    return { reason: "ReadOnly", message: `The database is open read-only, so this statement cannot write. (${text})` }
  }
  if (text.startsWith("INTERRUPT Error") || /\bInterrupted!?$/.test(text)) {
    return { reason: "Interrupted", message: "The query was interrupted before it finished." }
  }
  // Memory was full and so was the room to spill to: the advice below (set a tempDirectory) would not help. DuckDB
  // says it as "Out of Memory Error: failed to offload…", or at a COMMIT as "TransactionContext Error: Failed to commit:
  // failed to offload…", whose "Failed to commit" is kept: it stops the database as every failed commit does.
  const offload = /failed to offload data block[^\n]*/.exec(text)
  if (offload !== null && text.includes("max_temp_directory_size")) {
    return {
      reason: "OutOfMemory",
      message: `${text.includes("Failed to commit") ? "Failed to commit: " : ""}DuckDB ran out of memory and its ` +
        `temporary directory is full: it ${offload[0].replace(/\.$/, "")}, at the limit of the ` +
        "max_temp_directory_size setting. Free disk space where the temporary directory is, raise " +
        "max_temp_directory_size (DuckDB's default is the free space of that disk), or raise memoryLimit."
    }
  }
  // The Appender reports it without the prefix: "Failed to append: could not allocate block of size 256.0 KiB (…)".
  if (text.startsWith("Out of Memory Error") || /\bcould not allocate block of size\b/.test(text)) {
    return {
      reason: "OutOfMemory",
      message: `DuckDB ran out of memory (${
        text.replace("Out of Memory Error: ", "")
      }). Raise memoryLimit, lower threads, or set a tempDirectory so DuckDB can spill to disk.`
    }
  }
  if (text.startsWith("Parser Error")) return { reason: "Syntax", message: `The SQL does not parse: ${text}` }
  if (text.startsWith("Catalog Error") || text.startsWith("Binder Error")) {
    return { reason: "Catalog", message: text }
  }
  // Optimistic concurrency: a write that collides with another connection's transaction (a duplicate key of two
  // concurrent transactions only shows at commit).
  // Another connection's DDL committed first: "Transaction conflict: … has been altered/dropped by a different
  // transaction".
  if (
    /write-write conflict|Conflict on (update|tuple deletion)|Failed to commit: .*constraint violation|Transaction conflict/i
      .test(text)
  ) {
    return { reason: "Conflict", message: text }
  }
  // the Appender reports violations without the prefix: "Failed to append: PRIMARY KEY or UNIQUE constraint violation…",
  // or "Failed to append: Duplicate key "id: 308" violates primary key constraint."
  if (
    text.startsWith("Constraint Error") || /\bconstraint (violation|failed)/i.test(text) ||
    /\bviolates (primary key|unique|foreign key|check|not null) constraint\b/i.test(text)
  ) {
    return { reason: "Constraint", message: text }
  }
  if (text.startsWith("Conversion Error") || text.startsWith("Mismatch Type Error") || text.startsWith("Expected ")) {
    return { reason: "Conversion", message: text }
  }
  if (text.startsWith("TransactionContext Error") || text.startsWith("Transaction Error")) {
    return { reason: "Transaction", message: text }
  }
  if (text.startsWith("IO Error") || text.startsWith("Permission Error")) return { reason: "Io", message: text }
  if (text.startsWith("Invalid Input Error") || text.startsWith("Failed to set config")) {
    return { reason: "InvalidInput", message: text }
  }
  return { reason: "Unknown", message: text }
}

/**
 * @internal Whether a duplicate key was refused to a statement that handles conflicts (`INSERT … ON CONFLICT`, `INSERT OR
 * IGNORE/REPLACE`): that cannot happen for a key whose row exists, only for a key a failed commit left in the index.
 */
export const isPhantomKey = (classified: { readonly reason: Reason; readonly message: string }, sql: string): boolean =>
  classified.reason === "Constraint" && classified.message.includes("Duplicate key") &&
  /\bON\s+CONFLICT\b|\bINSERT\s+OR\s+(IGNORE|REPLACE)\b/i.test(sql)

/**
 * @internal Whether a COMMIT failed in a way that stops the database (see `Health` in `client.ts`). DuckDB says
 * "Failed to commit: <why>"; a conflict (a concurrent write, a duplicate key between transactions) is rolled back
 * cleanly and may be run again.
 */
export const isFailedCommit = (error: { readonly reason: Reason; readonly message: string }): boolean =>
  error.reason !== "Conflict" && error.reason !== "Interrupted" && error.message.includes("Failed to commit")
