import { DuckDB, GroupCommit } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"

const rows = (table: string) =>
  Effect.map(DuckDB.query(`SELECT id FROM ${table} ORDER BY id`), (found) => found.map((row) => Number(row.id)))

/** Inserts `id`, returning the id of the transaction it ran in. */
const insert = (table: string, id: number) =>
  Effect.zipRight(
    DuckDB.execute(`INSERT INTO ${table} VALUES ($1)`, [id]),
    Effect.map(DuckDB.query("SELECT txid_current() AS tx"), ([row]) => String(row?.tx))
  )

layer(DuckDB.layerMemory)("GroupCommit", (it) => {
  it.effect("work submitted at once shares transactions, each submitter gets its own result", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_shared (id INTEGER PRIMARY KEY)")
      const group = yield* GroupCommit.make()
      const ids = Array.from({ length: 40 }, (_, i) => i)
      const transactions = yield* Effect.forEach(ids, (id) => group.run(insert("gc_shared", id)), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(yield* rows("gc_shared"), ids)
      const distinct = new Set(transactions).size
      assert.isBelow(distinct, ids.length, "some submissions shared a transaction")
      assert.isAtLeast(distinct, 1)
    }))

  it.effect("maxGroup caps the work of one transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_capped (id INTEGER PRIMARY KEY)")
      const group = yield* GroupCommit.make({ maxGroup: 3 })
      const transactions = yield* Effect.forEach(
        Array.from({ length: 12 }, (_, i) => i),
        (id) => group.run(insert("gc_capped", id)),
        { concurrency: "unbounded" }
      )
      const perTransaction = new Map<string, number>()
      for (const tx of transactions) perTransaction.set(tx, (perTransaction.get(tx) ?? 0) + 1)
      assert.isAtMost(Math.max(...perTransaction.values()), 3)
      assert.strictEqual((yield* rows("gc_capped")).length, 12)
    }))

  it.effect("a failing submission fails alone: the rest of its group still commits", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_fail (id INTEGER PRIMARY KEY); INSERT INTO gc_fail VALUES (5)")
      const group = yield* GroupCommit.make()
      // id 5 exists: its insert violates the key, in whatever group it lands.
      const exits = yield* Effect.forEach(
        Array.from({ length: 10 }, (_, i) => i),
        (id) => Effect.exit(group.run(insert("gc_fail", id))),
        { concurrency: "unbounded" }
      )
      exits.forEach((exit, id) => assert.strictEqual(Exit.isFailure(exit), id === 5, `submission ${id}`))
      assert.deepStrictEqual(yield* rows("gc_fail"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }))

  it.effect("inside withTransaction, run joins that transaction", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_nested (id INTEGER)")
      const group = yield* GroupCommit.make()
      const exit = yield* Effect.exit(DuckDB.withTransaction(Effect.gen(function*() {
        yield* group.run(insert("gc_nested", 1))
        return yield* Effect.fail("abort")
      })))
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(yield* rows("gc_nested"), [], "rolled back with the outer transaction")
    }))

  it.effect("a submitter interrupted while another group runs withdraws its work", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE gc_interrupt (id INTEGER)")
      const group = yield* GroupCommit.make()
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      // The first group holds the turn until the gate opens.
      const first = yield* Effect.fork(group.run(Effect.gen(function*() {
        yield* Deferred.succeed(started, undefined)
        yield* Deferred.await(gate)
        return yield* insert("gc_interrupt", 1)
      })))
      yield* Deferred.await(started)
      const waiting = yield* Effect.fork(group.run(insert("gc_interrupt", 2)))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(waiting)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      yield* group.run(insert("gc_interrupt", 3))
      assert.deepStrictEqual(yield* rows("gc_interrupt"), [1, 3])
    }))
})
