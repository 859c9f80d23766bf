import { BatchWriter, DuckDB } from "@baliza/duckdb"
import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"

layer(DuckDB.layerMemory)("BatchWriter", (it) => {
  it.effect("inputs submitted together are written by one call, each submitter gets its own output", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bw_t (id INTEGER PRIMARY KEY)")
      const db = yield* DuckDB.DuckDB
      const batches: Array<ReadonlyArray<number>> = []
      const writer = yield* BatchWriter.make((ids: ReadonlyArray<number>) =>
        Effect.gen(function*() {
          batches.push(ids)
          yield* db.execute(`INSERT INTO bw_t VALUES ${ids.map((_, i) => `($${i + 1})`).join(", ")}`, [...ids])
          return ids.map((id) => `stored ${id}`)
        }), { maxBatch: 4 })
      const ids = Array.from({ length: 20 }, (_, i) => i)
      const outputs = yield* Effect.forEach(ids, (id) => writer.submit(id), { concurrency: "unbounded" })
      assert.deepStrictEqual(outputs, ids.map((id) => `stored ${id}`))
      assert.deepStrictEqual([...batches.flat()].sort((a, b) => a - b), ids, "each input written once")
      assert.isBelow(batches.length, ids.length, "some inputs were written together")
      assert.isAtMost(Math.max(...batches.map((batch) => batch.length)), 4, "maxBatch")
    }))

  it.effect("a failing input fails alone, the rest of its batch is written again (told so) without it", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bw_f (id INTEGER PRIMARY KEY); INSERT INTO bw_f VALUES (3)")
      const db = yield* DuckDB.DuckDB
      const calls: Array<readonly [number, boolean]> = []
      const writer = yield* BatchWriter.make((ids: ReadonlyArray<number>, again: boolean) =>
        Effect.as(
          Effect.zipRight(
            Effect.sync(() => calls.push([ids.length, again])),
            db.execute(`INSERT INTO bw_f VALUES ${ids.map((_, i) => `($${i + 1})`).join(", ")}`, [...ids])
          ),
          ids
        )
      )
      const exits = yield* Effect.forEach(
        [0, 1, 2, 3, 4, 5],
        (id) => Effect.exit(writer.submit(id)),
        { concurrency: "unbounded" }
      )
      exits.forEach((exit, id) => assert.strictEqual(Exit.isFailure(exit), id === 3, `input ${id}`))
      const rows = yield* DuckDB.query("SELECT id FROM bw_f ORDER BY id")
      assert.deepStrictEqual(rows.map((row) => row.id), [0, 1, 2, 3, 4, 5])
      // The first submitter's batch holds only its input; the next five fail together as a batch (not told), then
      // each of them is written alone, told it is written again.
      assert.deepStrictEqual(calls, [[1, false], [5, false], ...Array.from({ length: 5 }, () => [1, true] as const)])
    }))

  it.effect("batches of two writers ready at once share one transaction; a failing one does not fail the other", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute("CREATE TABLE bw_a (id INTEGER PRIMARY KEY); CREATE TABLE bw_b (id INTEGER PRIMARY KEY)")
      yield* DuckDB.execute("INSERT INTO bw_b VALUES (99)")
      const db = yield* DuckDB.DuckDB
      const transactions: Array<[string, number]> = []
      const writerOf = (table: string) =>
        BatchWriter.make((ids: ReadonlyArray<number>) =>
          Effect.gen(function*() {
            const [row] = yield* db.query("SELECT txid_current()::BIGINT AS id")
            transactions.push([table, Number(row!.id)])
            yield* db.execute(`INSERT INTO ${table} VALUES ${ids.map((_, i) => `($${i + 1})`).join(", ")}`, [...ids])
            return ids
          })
        )
      const a = yield* writerOf("bw_a")
      const b = yield* writerOf("bw_b")
      // Both submit while the writer is busy, so both batches are ready when it is free.
      const submitBoth = (idA: number, idB: number) =>
        Effect.gen(function*() {
          const gate = yield* Deferred.make<void>()
          const busy = yield* Effect.fork(db.withTransaction(Deferred.await(gate)))
          const fibers = yield* Effect.forEach(
            [a.submit(idA), b.submit(idB)],
            (submit) => Effect.fork(Effect.exit(submit))
          )
          for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
          yield* Deferred.succeed(gate, undefined)
          yield* Fiber.join(busy)
          return yield* Fiber.joinAll(fibers)
        })

      const [okA, okB] = yield* submitBoth(1, 2)
      assert.isTrue(Exit.isSuccess(okA) && Exit.isSuccess(okB))
      assert.strictEqual(new Set(transactions.map(([, id]) => id)).size, 1, "one transaction for both batches")

      // bw_b already has 99: its batch fails, is rolled back with bw_a's, and bw_a's is written again alone.
      transactions.length = 0
      const [goodA, badB] = yield* submitBoth(3, 99)
      assert.isTrue(Exit.isSuccess(goodA))
      assert.isTrue(Exit.isFailure(badB))
      const rows = yield* DuckDB.query(
        "SELECT (SELECT list(id ORDER BY id) FROM bw_a) AS a, (SELECT list(id ORDER BY id) FROM bw_b) AS b"
      )
      assert.deepStrictEqual([rows[0]!.a, rows[0]!.b], [[1, 3], [2, 99]])
      assert.isAbove(
        new Set(transactions.map(([, id]) => id)).size,
        1,
        "the failed shared transaction was redone apart"
      )
    }))
})
