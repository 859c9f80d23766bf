/** How DuckDB's failures become `DuckDBError`s: their reason, and messages and SQL kept small and well-formed. */
import { DuckDB, type DuckDBError } from "@baliza/duckdb"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"

const errorOf = (exit: Exit.Exit<unknown, DuckDBError.DuckDBError>): DuckDBError.DuckDBError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(Cause.pretty(exit.cause))
  return error.value
}

describe("DuckDBError", () => {
  // Reason `Conflict`: "a concurrent transaction wrote the same row, key or catalog entry first; running it again may
  // succeed" (and BatchWriter retries only on Conflict). A commit that fails because another connection dropped or
  // altered the table meanwhile is exactly that.
  for (const ddl of ["ALTER TABLE t ADD COLUMN y INTEGER", "DROP TABLE t"]) {
    it.scoped(`a commit that loses to another connection's "${ddl}" fails with reason Conflict`, () =>
      Effect.gen(function*() {
        const db = yield* DuckDB.make({ path: ":memory:" })
        const other = yield* db.writeConnection("other")
        yield* db.execute("CREATE TABLE t (x INTEGER)")
        const exit = yield* Effect.exit(other.withTransaction(Effect.gen(function*() {
          yield* other.execute("INSERT INTO t VALUES (1)")
          yield* db.execute(ddl)
        })))
        const error = errorOf(exit)
        assert.strictEqual(error.reason, "Conflict", error.message)
      }))
  }

  // The SQL is truncated to 500 characters so that errors stay small in logs; the message carries the whole value.
  it.scoped("the message of a conversion error of a large value is bounded like the SQL", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      yield* db.execute("CREATE TABLE c (n INTEGER)")
      const error = errorOf(yield* Effect.exit(db.execute("INSERT INTO c VALUES ($1)", ["x".repeat(100_000)])))
      assert.strictEqual(error.reason, "Conversion")
      assert.isAtMost(error.message.length, 2_000, `message of ${error.message.length} characters`)
    }))

  // Truncating the SQL at 500 UTF-16 code units can cut an emoji (a surrogate pair) in half: the error then carries a
  // malformed string (a lone surrogate, U+FFFD once written as UTF-8).
  it.scoped("the truncated SQL is well-formed text when the cut falls inside an emoji", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      const sql = `SELECT 'a${"😀".repeat(400)}' AS x FROM nowhere_table`
      const error = errorOf(yield* Effect.exit(db.query(sql)))
      assert.isDefined(error.sql)
      assert.isTrue((error.sql as unknown as { isWellFormed(): boolean }).isWellFormed(), "lone surrogate in error.sql")
    }))
})
