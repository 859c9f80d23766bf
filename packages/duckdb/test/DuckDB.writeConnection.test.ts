import { BatchWriter, DuckDB, DuckDBError } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Option, TestServices } from "effect"

const reasonOf = <A, E>(exit: Exit.Exit<A, E>): DuckDBError.Reason | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const error = Cause.failureOption(exit.cause)
  return Option.isSome(error) && DuckDBError.isDuckDBError(error.value) ? error.value.reason : undefined
}

const countOf = (table: string) =>
  Effect.map(DuckDB.query(`SELECT count(*)::INTEGER AS n FROM ${table}`), (rows) => Number(rows[0]?.n))

// A table of one row (id 1) whose `n` concurrent updates add to.
const makeCounter = (table: string) =>
  DuckDB.execute(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO ${table} VALUES (1, 0)`)

const counterOf = (table: string) =>
  Effect.map(DuckDB.query(`SELECT n FROM ${table} WHERE id = 1`), (rows) => Number(rows[0]?.n))

// Holds a transaction open on the writer (after `work` ran in it) until the gate opens.
const holdWriter = <A, E>(work: Effect.Effect<A, E, DuckDB.DuckDB>) =>
  Effect.gen(function*() {
    const inside = yield* Deferred.make<void>()
    const gate = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(DuckDB.withTransaction(Effect.gen(function*() {
      yield* work
      yield* Deferred.succeed(inside, undefined)
      yield* Deferred.await(gate)
    })))
    yield* Deferred.await(inside)
    return { release: Deferred.succeed(gate, undefined), fiber }
  })

layer(DuckDB.layerMemory)("DuckDB.writeConnection", (it) => {
  it.effect("commits a transaction while the writer's is still open, each on its own", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE wc_main (id INTEGER); CREATE TABLE wc_other (id INTEGER)")
      const db = yield* DuckDB.DuckDB
      const other = yield* db.writeConnection("other")
      const held = yield* holdWriter(DuckDB.execute("INSERT INTO wc_main VALUES (1)"))
      // On the writer this would wait for the held transaction: the timeout says it did not.
      yield* other.withTransaction(other.execute("INSERT INTO wc_other VALUES (1), (2)")).pipe(
        Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "waited for the writer" })
      )
      assert.strictEqual(yield* countOf("wc_other"), 2, "committed while the writer's transaction is open")
      assert.strictEqual(yield* countOf("wc_main"), 0, "the writer's transaction is not committed yet")
      yield* held.release
      yield* Fiber.join(held.fiber)
      assert.strictEqual(yield* countOf("wc_main"), 1)
    }))

  it.effect("one connection per name; a failed transaction on it rolls back and reads see its own writes", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE wc_rollback (id INTEGER)")
      const db = yield* DuckDB.DuckDB
      const first = yield* db.writeConnection("same")
      assert.strictEqual(yield* db.writeConnection("same"), first)
      assert.notStrictEqual(yield* db.writeConnection("another"), first)
      const exit = yield* Effect.exit(first.withTransaction(Effect.gen(function*() {
        yield* first.execute("INSERT INTO wc_rollback VALUES (7)")
        const [row] = yield* first.query("SELECT count(*)::INTEGER AS n FROM wc_rollback")
        assert.strictEqual(Number(row?.n), 1, "the transaction sees its own insert")
        assert.isTrue(yield* first.inTransaction)
        assert.isFalse(yield* db.inTransaction, "the writer is not in this transaction")
        return yield* Effect.fail("abort" as const)
      })))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(yield* countOf("wc_rollback"), 0)
    }))

  it.effect("a write that collides with another connection's open transaction fails Conflict", () =>
    Effect.gen(function*() {
      yield* makeCounter("wc_conflict")
      const db = yield* DuckDB.DuckDB
      const other = yield* db.writeConnection("conflicting")
      const held = yield* holdWriter(DuckDB.execute("UPDATE wc_conflict SET n = n + 1 WHERE id = 1"))
      const exit = yield* Effect.exit(
        other.withTransaction(other.execute("UPDATE wc_conflict SET n = n + 10 WHERE id = 1"))
      )
      assert.strictEqual(reasonOf(exit), "Conflict")
      yield* held.release
      yield* Fiber.join(held.fiber)
      assert.strictEqual(yield* counterOf("wc_conflict"), 1, "only the writer's update committed")
    }))

  it.effect("a BatchWriter on a write connection runs a conflicting batch again once the other commits", () =>
    Effect.gen(function*() {
      yield* makeCounter("wc_retry")
      const db = yield* DuckDB.DuckDB
      const connection = yield* db.writeConnection("batches")
      let attempts = 0
      const writer = yield* BatchWriter.make((amounts: ReadonlyArray<number>) =>
        Effect.gen(function*() {
          attempts++
          const total = amounts.reduce((a, b) => a + b, 0)
          yield* connection.execute("UPDATE wc_retry SET n = n + $1 WHERE id = 1", [total])
          return amounts
        }), { connection })
      const held = yield* holdWriter(DuckDB.execute("UPDATE wc_retry SET n = n + 1 WHERE id = 1"))
      const submitted = yield* Effect.fork(writer.submit(10))
      // The batch conflicts while the writer's transaction is open, then commits once it has.
      yield* Effect.sleep("30 millis")
      yield* held.release
      yield* Fiber.join(held.fiber)
      assert.strictEqual(yield* Fiber.join(submitted), 10)
      assert.isAtLeast(attempts, 2, "the batch ran again after its conflict")
      assert.strictEqual(yield* counterOf("wc_retry"), 11, "both updates committed, the batch's once")
    }).pipe(TestServices.provideLive)) // the retry's pauses and the sleep above run on the real clock

  it.effect("withWritesPaused holds the write connections too: their statements wait until it is done", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE wc_paused (id INTEGER)")
      const db = yield* DuckDB.DuckDB
      const other = yield* db.writeConnection("paused")
      let release = () => {}
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      const entered = yield* Deferred.make<void>()
      const paused = yield* Effect.fork(db.withWritesPaused(async () => {
        Effect.runSync(Deferred.succeed(entered, undefined))
        await gate
      }))
      yield* Deferred.await(entered)
      const write = yield* Effect.fork(other.execute("INSERT INTO wc_paused VALUES (1)"))
      yield* Effect.sleep("50 millis")
      assert.strictEqual(yield* countOf("wc_paused"), 0, "the write connection waited")
      release()
      yield* Fiber.join(paused)
      yield* Fiber.join(write)
      assert.strictEqual(yield* countOf("wc_paused"), 1)
    }).pipe(TestServices.provideLive))
})
